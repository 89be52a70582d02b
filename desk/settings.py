"""Every setting the desk reads from its environment, read in one place.

The desk runs offline by default; the only switches that make it talk to
another machine are the LLM endpoint and the Chroma server URL, so both are
visible here and shown in the UI when set.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from core.errors import BadInputError
from retrieval.worker import ReadLimits


@dataclass(frozen=True)
class Settings:
    workspace: Path
    llm_base_url: str = ""
    llm_api_key: str = ""
    llm_model: str = ""
    chroma_url: str = ""
    redact_personal_data: bool = True
    limits: ReadLimits = ReadLimits()

    @property
    def llm_enabled(self) -> bool:
        """LLM help is on only when the user configured an endpoint or a key."""
        return bool(self.llm_base_url or self.llm_api_key)

    @property
    def llm_endpoint_label(self) -> str:
        if not self.llm_enabled:
            return ""
        return self.llm_base_url or "https://api.openai.com/v1"

    def describe(self) -> dict[str, object]:
        """What the desk is configured to do, safe to print (no secrets)."""
        return {
            "workspace": str(self.workspace),
            "llm": {
                "enabled": self.llm_enabled,
                "endpoint": self.llm_endpoint_label,
                "model": self.llm_model or ("gpt-4o-mini" if self.llm_enabled else ""),
                "api_key_set": bool(self.llm_api_key),
            },
            "chroma": self.chroma_url or "embedded (in the workspace)",
            "redact_personal_data": self.redact_personal_data,
        }


def load_settings(workspace: str | os.PathLike[str] | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Settings from ``--workspace`` (wins), then ``DESK_HOME``, then ``./workspace``."""
    env = os.environ if env is None else env
    if workspace is None:
        workspace = env.get("DESK_HOME") or "workspace"
    return Settings(
        workspace=Path(workspace).expanduser().resolve(),
        llm_base_url=env.get("DESK_LLM_BASE_URL", "").strip(),
        llm_api_key=env.get("OPENAI_API_KEY", "").strip(),
        llm_model=env.get("DESK_LLM_MODEL", "").strip(),
        chroma_url=env.get("DESK_CHROMA_URL", "").strip(),
        redact_personal_data=env.get("DESK_LLM_REDACT", "1").strip().lower() not in ("0", "false", "no", "off"),
        limits=read_limits(env),
    )


#: environment variable -> ReadLimits field (each documented in the README's configuration table)
LIMIT_VARIABLES = {
    "DESK_READ_SECONDS": "seconds",
    "DESK_READ_MEMORY_MB": "memory_mb",
    "DESK_MAX_BYTES": "max_bytes",
    "DESK_MAX_PAGES": "max_pages",
    "DESK_MAX_CHARS": "max_chars",
    "DESK_MAX_CLAUSES": "max_clauses",
}


def read_limits(env: Mapping[str, str]) -> ReadLimits:
    """The limits one file may cost (:mod:`retrieval.worker`), defaults overridden from the environment."""
    chosen: dict[str, float | int] = {}
    for variable, field in LIMIT_VARIABLES.items():
        raw = env.get(variable, "").strip()
        if not raw:
            continue
        try:
            chosen[field] = float(raw) if field == "seconds" else int(raw)
        except ValueError:
            raise BadInputError(variable, f"must be a {'number' if field == 'seconds' else 'whole number'}, not {raw!r}") from None
    return ReadLimits(**chosen)
