"""Read and analyse a counterparty's file in a separate process, within limits.

A contract comes from the other side of a negotiation, so its bytes are hostile
until proven otherwise: a 204 KB PDF whose one text stream makes extraction
quadratic can take an hour, a 1 MB DOCX can need 2 GB of memory. Each file is
therefore read, segmented and classified in a child process that

* may run for ``seconds`` of wall-clock time, then is killed;
* may grow its address space by ``memory_mb`` beyond what it starts with;
* may extract ``max_chars`` characters in ``max_pages`` pages and ``max_clauses`` clauses.

A limit hit is a :class:`core.errors.BadInputError` naming the file and the
limit; a child that crashes is one too. The defaults pass a real 500-page
contract easily (about 1.5 million characters, 15 s on two cores).

Children are forked from the calling process (tens of milliseconds, and the
readers and the clause model are already loaded there), not started as new
interpreters (half a second each). Not multiprocessing's *forkserver*: every
child of it first re-runs the parent's ``__main__`` (the ``desk`` script, or
Streamlit's), which cost seconds a file. A fork copies one thread only, so the
modules a child needs are imported before forking, and the wall-clock limit
also bounds the rare child that would wait on a lock another thread held.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
from dataclasses import dataclass
from typing import Any

from core.domain import Clause, Document
from core.errors import BadInputError

#: imported (and the clause model loaded) before the first fork, so no child imports anything
PRELOAD = ("retrieval.readers", "retrieval.clauses", "pypdf", "pypdf.filters", "docx", "bs4")


@dataclass(frozen=True)
class ReadLimits:
    """What one file may cost; every field names the limit in its error message."""

    seconds: float = 120.0
    memory_mb: int = 2048
    max_bytes: int = 50_000_000
    max_pages: int = 2000
    max_chars: int = 5_000_000
    max_clauses: int = 20_000

    def __post_init__(self) -> None:
        for name in ("seconds", "memory_mb", "max_bytes", "max_pages", "max_chars", "max_clauses"):
            if not getattr(self, name) > 0:
                raise BadInputError(f"limit {name}", f"must be positive, not {getattr(self, name)!r}")


def _fork_context() -> Any:
    """The fork context, with everything a child needs already imported and loaded."""
    import importlib

    from retrieval.clauses import analyser_id, default_classifier

    for name in PRELOAD:
        importlib.import_module(name)
    default_classifier()
    analyser_id()
    return multiprocessing.get_context("fork")


def read_and_analyse(
    data: bytes, filename: str, kind: str = "proposal", deal: str = "", title: str | None = None,
    limits: ReadLimits = ReadLimits(), analyse: bool = True,
) -> tuple[Document, list[Clause]]:
    """``data`` read (and, with ``analyse``, segmented and classified) in a child process within ``limits``."""
    subject = filename
    if len(data) > limits.max_bytes:
        raise BadInputError(subject, f"too large: {len(data):,} bytes exceeds the limit of {limits.max_bytes:,} bytes")
    context = _fork_context()
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(
        target=_child, args=(sender, data, filename, kind, deal, title, limits, analyse), daemon=True, name="desk-reader"
    )
    child.start()
    sender.close()
    try:
        if not receiver.poll(limits.seconds):
            raise BadInputError(subject, f"reading took longer than the limit of {limits.seconds:g} s (DESK_READ_SECONDS)")
        try:
            status, payload = receiver.recv()
        except EOFError:
            child.join(5)
            raise BadInputError(subject, f"the reader stopped abnormally (exit code {child.exitcode}); the file may be malformed") from None
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiver.close()
    if status == "ok":
        return payload
    if status == "bad":
        raise BadInputError(payload[0] if payload[0] != "\0" else subject, payload[1])
    if status == "memory":
        raise BadInputError(subject, f"reading needs more memory than the limit of {limits.memory_mb:,} MB (DESK_READ_MEMORY_MB)")
    raise BadInputError(subject, f"could not be read: {payload}")


def _child(sender: Any, data: bytes, filename: str, kind: str, deal: str, title: str | None,
           limits: ReadLimits, analyse: bool) -> None:
    """In the child: cap memory, read, check the caps, analyse, send back one message."""
    cap = _cap_memory(limits.memory_mb)
    message: tuple[str, Any]
    try:
        message = ("ok", _read_within(data, filename, kind, deal, title, limits, analyse))
    except MemoryError:
        message = ("memory", None)
    except Exception as exc:
        if _peak_near(cap):  # a parser that ran out of memory may call the file malformed
            message = ("memory", None)
        elif isinstance(exc, BadInputError):
            message = ("bad", ("\0" if exc.subject == filename else exc.subject, exc.reason))
        elif isinstance(exc, RecursionError):
            message = ("bad", ("\0", "nested too deeply to read"))
        else:  # a parser's surprise stays one line for the user
            message = ("error", f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}")
    try:
        sender.send(message)
    except MemoryError:
        sender.send(("memory", None))
    finally:
        sender.close()


def _cap_memory(memory_mb: int) -> int:
    """Let the address space grow by ``memory_mb`` beyond the child's size now (libraries already
    mapped); returns the cap in bytes."""
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[0])
    current = pages * os.sysconf("SC_PAGE_SIZE")
    limit = current + memory_mb * 2**20
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return limit


def _peak_near(cap: int) -> bool:
    """Whether this process's address space came within 5% of ``cap``: lxml, for one, reports a
    failed allocation as a syntax error, which would blame the file instead of the limit."""
    try:
        with open("/proc/self/status") as fh:
            peak_kb = next(int(line.split()[1]) for line in fh if line.startswith("VmPeak:"))
    except (OSError, StopIteration, ValueError):
        return False
    return peak_kb * 1024 >= cap * 0.95


def _read_within(data: bytes, filename: str, kind: str, deal: str, title: str | None,
                 limits: ReadLimits, analyse: bool) -> tuple[Document, list[Clause]]:
    from retrieval.clauses import analyse_document
    from retrieval.readers import read_bytes

    document = read_bytes(data, filename, kind=kind, deal=deal, title=title, max_bytes=limits.max_bytes, max_pages=limits.max_pages)
    if len(document.text) > limits.max_chars:
        raise BadInputError(filename, f"too long: {len(document.text):,} characters exceeds the limit of {limits.max_chars:,} (DESK_MAX_CHARS)")
    if not analyse:
        return document, []
    clauses = analyse_document(document)
    if len(clauses) > limits.max_clauses:
        raise BadInputError(filename, f"too many clauses: {len(clauses):,} exceeds the limit of {limits.max_clauses:,} (DESK_MAX_CLAUSES)")
    return document, clauses
