"""The audit trail: who did what when, hash-chained so that any edit to the past shows.

Entries live in the workspace catalogue (table ``audit``, see
:mod:`desk.workspace`) and are written **in the same SQLite transaction as the
action they record**: a document is catalogued with its ``ingest`` entry or not
at all, a decision is stored with its ``review.decision`` entry or not at all.
The chain head is the last row, read exactly; entries may be of any size and
hold any characters. (Until 2026-12 the log was a file, ``audit.jsonl``, whose
head was found by reading its last 64 KiB: one long decision reason jammed
every later write. A workspace that still has that file has it imported, with
its hashes, the first time the catalogue's log is used.)

This module is the chain's rules alone (what an entry is, how it is hashed,
how a sequence of entries is checked); it touches no storage.
"""

from __future__ import annotations

import getpass
import hashlib
import json
import os
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from core.domain import Serializable

GENESIS = "0" * 64


def current_user() -> str:
    try:
        return os.environ.get("DESK_USER") or getpass.getuser()
    except Exception:  # no passwd entry in some containers
        return "unknown"


def digest(entry: Mapping[str, Any]) -> str:
    """The hash of an entry's content and its predecessor's hash."""
    body = {k: v for k, v in entry.items() if k != "hash"}
    return hashlib.sha256(json.dumps(body, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class AuditEvent:
    """What an action records: its name, its details (JSON-ready) and who did it (default: the OS user)."""

    action: str
    details: Mapping[str, Any] = field(default_factory=dict)
    user: str = ""


def chained(event: AuditEvent, prev: str) -> dict[str, Any]:
    """The entry for ``event`` after the entry whose hash is ``prev``."""
    entry: dict[str, Any] = {
        "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "user": event.user or current_user(),
        "action": event.action,
        "details": dict(event.details),
        "prev": prev,
    }
    entry["hash"] = digest(entry)
    return entry


@dataclass(frozen=True)
class AuditCheck(Serializable):
    """The verdict of ``desk audit verify``: the chain is intact and every stored thing has its entry.

    ``line`` is the 1-based number of the first bad entry; ``missing`` lists
    stored documents, decisions, mandate versions and deals with no entry.
    """

    ok: bool
    entries: int
    problem: str = ""
    line: int | None = None
    missing: tuple[str, ...] = ()


def verify_chain(entries: Iterable[Mapping[str, Any]]) -> AuditCheck:
    """Each entry's ``prev`` is its predecessor's hash and its ``hash`` matches its content."""
    prev = GENESIS
    count = 0
    for number, entry in enumerate(entries, start=1):
        if entry.get("prev") != prev:
            return AuditCheck(False, count, "chain broken: previous hash does not match", number)
        if entry.get("hash") != digest(entry):
            return AuditCheck(False, count, "entry was altered: hash does not match its content", number)
        prev = str(entry["hash"])
        count += 1
    return AuditCheck(ok=True, entries=count)
