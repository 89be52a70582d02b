"""A labelled sample of the collective's data, with a member id per row.

Why strict checks: every counterfactual value is "the buyer's model with vs
without these rows", which means nothing without a label with at least two
classes, a member per row (members are paid, not rows) and enough rows to
hold out a test set. Each problem raises :class:`DeskError` naming it.
"""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from core.errors import DeskError

MIN_ROWS = 20


@dataclass(frozen=True)
class Sample:
    """Rows of the collective's data: features (text or numeric), label, member."""

    frame: pd.DataFrame
    label: str
    member: str
    text: str | None  # the text column, or None for numeric features
    features: tuple[str, ...]  # numeric feature columns (empty for text)
    source: str = ""

    @property
    def y(self) -> np.ndarray:
        return self.frame[self.label].to_numpy()

    @property
    def members(self) -> np.ndarray:
        return self.frame[self.member].astype(str).to_numpy()

    @property
    def X(self):
        """Texts (list of str) or a float matrix, as the buyer-side model expects."""
        if self.text is not None:
            return self.frame[self.text].astype(str).tolist()
        return self.frame[list(self.features)].to_numpy(dtype=float)

    def __len__(self) -> int:
        return len(self.frame)

    def facts(self) -> dict[str, object]:
        counts = self.frame[self.label].value_counts()
        return {"rows": len(self), "members": int(self.frame[self.member].nunique()),
                "classes": int(len(counts)), "features": "text" if self.text else f"{len(self.features)} numeric",
                "source": self.source}


def load_sample(path_or_bytes: str | Path | bytes, label: str = "label", member: str = "member",
                text: str = "text") -> Sample:
    """Read a CSV or JSONL sample and check it can support a valuation."""
    name = "sample" if isinstance(path_or_bytes, bytes) else str(path_or_bytes)
    try:
        raw = path_or_bytes if isinstance(path_or_bytes, bytes) else Path(path_or_bytes).read_bytes()
    except OSError as exc:
        raise DeskError(name, f"cannot read ({exc.strerror or exc})") from exc
    frame = _parse(raw, name)
    if label not in frame.columns:
        raise DeskError(f"{name}: column {label}", "no label column")
    if member not in frame.columns:
        raise DeskError(f"{name}: column {member}", "no member column (every row needs the member it comes from)")
    frame = frame.dropna(subset=[label, member]).reset_index(drop=True)
    if len(frame) < MIN_ROWS:
        raise DeskError(name, f"only {len(frame)} labelled rows; at least {MIN_ROWS} are needed")
    if frame[label].nunique() < 2:
        raise DeskError(f"{name}: column {label}", f"a single class ({frame[label].iloc[0]!r}); need at least two")
    if text in frame.columns:
        frame[text] = frame[text].fillna("").astype(str)
        return Sample(frame, label, member, text, (), name)
    others = [c for c in frame.columns if c not in (label, member)]
    if not others:
        raise DeskError(name, "no feature columns besides label and member")
    bad = [c for c in others if not pd.api.types.is_numeric_dtype(frame[c])]
    if bad:
        raise DeskError(f"{name}: column {bad[0]}",
                        f"non-numeric feature and no {text!r} column (name the text column with text=...)")
    return Sample(frame, label, member, None, tuple(others), name)


def _parse(raw: bytes, name: str) -> pd.DataFrame:
    head = raw.lstrip()[:1]
    try:
        if head in (b"{", b"["):
            if head == b"[":
                return pd.DataFrame(json.loads(raw.decode("utf-8")))
            return pd.read_json(io.BytesIO(raw), lines=True)
        return pd.read_csv(io.BytesIO(raw))
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise DeskError(name, f"not a readable CSV or JSONL file ({exc})") from exc


@dataclass(frozen=True)
class SampleSplit:
    """Row indices: a fixed test set, the buyer's own (base) data, the collective's rows."""

    test: np.ndarray
    base: np.ndarray
    collective: np.ndarray


def split_sample(sample: Sample, test_fraction: float = 0.25, base_fraction: float = 0.25,
                 random_state: int = 0) -> SampleSplit:
    """Stratified split. The base stands in for the buyer's own data: without it,
    "with vs without the collective" would compare a model with nothing."""
    idx = np.arange(len(sample))
    y = sample.y
    rest, test = train_test_split(idx, test_size=test_fraction, random_state=random_state, stratify=y)
    base_share = base_fraction / (1 - test_fraction)
    collective, base = train_test_split(rest, test_size=base_share, random_state=random_state, stratify=y[rest])
    return SampleSplit(np.sort(test), np.sort(base), np.sort(collective))
