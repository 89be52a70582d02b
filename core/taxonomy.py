"""The clause taxonomy: CUAD's 41 categories plus the desk's AI-data categories.

The list ships as data (``data/taxonomy/categories.json``) rather than code so the
UI can show each category's one-line description and a legal adviser can read
where it came from (``source`` is ``"cuad"`` or ``"desk"``) without reading Python.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from core.errors import BadInputError
from core.paths import TAXONOMY_PATH



def load_categories(path: Path | str = TAXONOMY_PATH) -> tuple[dict[str, Any], ...]:
    """Every category record (name, description, group, source), in file order."""
    return _load(str(path))


def load_taxonomy(path: Path | str = TAXONOMY_PATH) -> dict[str, str]:
    """Category name -> one-line description; the names are the only valid labels."""
    return {c["name"]: c["description"] for c in _load(str(path))}


@lru_cache(maxsize=4)
def _load(path: str) -> tuple[dict[str, Any], ...]:
    # Cached because the mandate loader and the classifier ask for it on every call.
    try:
        raw = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BadInputError(path, "taxonomy file not found") from exc
    except json.JSONDecodeError as exc:
        raise BadInputError(path, f"invalid JSON: {exc}") from exc
    categories = raw.get("categories") if isinstance(raw, dict) else None
    if not isinstance(categories, list) or not categories:
        raise BadInputError(path, "expected an object with a non-empty 'categories' list")
    seen: set[str] = set()
    for i, c in enumerate(categories):
        if not isinstance(c, dict) or not all(isinstance(c.get(k), str) for k in ("name", "description", "source")):
            raise BadInputError(path, f"category #{i + 1} needs string 'name', 'description' and 'source'")
        if c["name"] in seen:
            raise BadInputError(path, f"category {c['name']!r} is listed twice")
        seen.add(c["name"])
    return tuple(dict(c) for c in categories)
