"""Append-only, hash-chained audit log: who did what, when.

Each line is a JSON object whose ``hash`` covers its content and the previous
line's hash, so editing or deleting any past line breaks every hash after it
and ``verify`` says where. Negotiation records are evidence; they must not be
rewritten quietly.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core.domain import Serializable

GENESIS = "0" * 64


def current_user() -> str:
    try:
        return os.environ.get("DESK_USER") or getpass.getuser()
    except Exception:  # no passwd entry in some containers
        return "unknown"


def _digest(entry: dict[str, Any]) -> str:
    body = {k: v for k, v in entry.items() if k != "hash"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class AuditCheck(Serializable):
    ok: bool
    entries: int
    problem: str = ""
    line: int | None = None


class AuditLog:
    def __init__(self, path: Path):
        self.path = Path(path)

    def _last_hash(self) -> str:
        if not self.path.exists() or self.path.stat().st_size == 0:
            return GENESIS
        with self.path.open("rb") as fh:
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            fh.seek(max(0, size - 65536))
            tail = fh.read().decode("utf-8").strip().splitlines()
        return json.loads(tail[-1])["hash"] if tail else GENESIS

    def append(self, action: str, details: dict[str, Any] | None = None, user: str | None = None) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "user": user or current_user(),
            "action": action,
            "details": details or {},
            "prev": self._last_hash(),
        }
        entry["hash"] = _digest(entry)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self.path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(entry, ensure_ascii=False) + "\n")
            fh.flush()
            os.fsync(fh.fileno())
        return entry

    def entries(self) -> list[dict[str, Any]]:
        if not self.path.exists():
            return []
        return [json.loads(line) for line in self.path.read_text(encoding="utf-8").splitlines() if line.strip()]

    def verify(self) -> AuditCheck:
        prev = GENESIS
        count = 0
        if not self.path.exists():
            return AuditCheck(ok=True, entries=0)
        for number, line in enumerate(self.path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError:
                return AuditCheck(False, count, "line is not JSON", number)
            if entry.get("prev") != prev:
                return AuditCheck(False, count, "chain broken: previous hash does not match", number)
            if entry.get("hash") != _digest(entry):
                return AuditCheck(False, count, "entry was altered: hash does not match its content", number)
            prev = entry["hash"]
            count += 1
        return AuditCheck(ok=True, entries=count)
