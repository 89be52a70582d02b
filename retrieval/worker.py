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

How the children are made. The desk's own process runs dozens of threads
(the embedding model's, Chroma's, Streamlit's), and a process forked from it
can wait forever on a lock one of them held (seen under load). A fresh
interpreter per file costs half a second. So a small **reader server**
(``python -m retrieval.worker``) is started once per process: single-threaded,
the readers and the clause model loaded, it forks one child per file, enforces
the limits and answers over a pipe. Only bytes and frozen objects cross the
pipe, pickled, between two processes of our own.
"""

from __future__ import annotations

import os
import pickle
import resource
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, fields
from typing import Any, BinaryIO

from core.domain import Clause, Document
from core.errors import BadInputError
from core.paths import REPO_ROOT

_HEADER = struct.Struct("!Q")


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
        for limit in fields(self):
            if not getattr(self, limit.name) > 0:
                raise BadInputError(f"limit {limit.name}", f"must be positive, not {getattr(self, limit.name)!r}")


# ------------------------------------------------------------------ the desk's side


class ReaderServer:
    """The reader server of this process, started on first use and again if it dies.

    One request at a time (a lock): the server reads one file at a time, and
    two cores are better spent on one file than split over two.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._process: subprocess.Popen[bytes] | None = None

    def _running(self) -> subprocess.Popen[bytes]:
        if self._process is None or self._process.poll() is not None:
            env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
            root = str(REPO_ROOT)
            env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
            self._process = subprocess.Popen(
                [sys.executable, "-m", "retrieval.worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL, env=env, cwd=root,
            )
        return self._process

    def request(self, job: tuple[Any, ...], seconds: float) -> tuple[str, Any]:
        with self._lock:
            process = self._running()
            try:
                _send(process.stdin, job)  # type: ignore[arg-type]
                answer = _receive(process.stdout, seconds + 60)  # type: ignore[arg-type]
            except (OSError, EOFError, TimeoutError) as exc:
                process.kill()
                process.wait()
                return "error", f"the reader server stopped ({type(exc).__name__}); try again"
            return answer

    def close(self) -> None:
        with self._lock:
            if self._process is not None and self._process.poll() is None:
                self._process.stdin.close()  # type: ignore[union-attr]
                try:
                    self._process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self._process.kill()
            self._process = None


_server = ReaderServer()  # one per process, like the interpreter's own resources; restarted when it dies


def read_and_analyse(
    data: bytes, filename: str, kind: str = "proposal", deal: str = "", title: str | None = None,
    limits: ReadLimits = ReadLimits(), analyse: bool = True,
) -> tuple[Document, list[Clause]]:
    """``data`` read (and, with ``analyse``, segmented and classified) in a child process within ``limits``."""
    if len(data) > limits.max_bytes:
        raise BadInputError(filename, f"too large: {len(data):,} bytes exceeds the limit of {limits.max_bytes:,} bytes")
    status, payload = _server.request((data, filename, kind, deal, title, limits, analyse), limits.seconds)
    if status == "ok":
        return payload
    if status == "bad":
        subject, reason = payload
        raise BadInputError(filename if subject == "\0" else subject, reason)
    if status == "timeout":
        raise BadInputError(filename, f"reading took longer than the limit of {limits.seconds:g} s (DESK_READ_SECONDS)")
    if status == "memory":
        raise BadInputError(filename, f"reading needs more memory than the limit of {limits.memory_mb:,} MB (DESK_READ_MEMORY_MB)")
    if status == "crashed":
        raise BadInputError(filename, f"the reader stopped abnormally ({payload}); the file may be malformed")
    raise BadInputError(filename, f"could not be read: {payload}")


# ------------------------------------------------------------------ the server's side


def _send(stream: BinaryIO, message: Any) -> None:
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(_HEADER.pack(len(body)) + body)
    stream.flush()


def _read_exactly(fd: int, size: int, deadline: float | None) -> bytes:
    chunks, left = [], size
    while left:
        if deadline is not None:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not select.select([fd], [], [], remaining)[0]:
                raise TimeoutError
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _receive(stream: BinaryIO, seconds: float | None = None) -> Any:
    deadline = None if seconds is None else time.monotonic() + seconds
    fd = stream.fileno()
    (size,) = _HEADER.unpack(_read_exactly(fd, _HEADER.size, deadline))
    return pickle.loads(_read_exactly(fd, size, deadline))


def serve() -> None:
    """The server loop: one request in, one forked child, one answer out; until stdin closes."""
    from retrieval.clauses import analyser_id, default_classifier

    default_classifier()  # loaded once here, inherited by every child
    analyser_id()
    # answers go to a private copy of stdout; anything a library prints goes to stderr instead
    answers = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    requests = sys.stdin.buffer
    while True:
        try:
            job = _receive(requests)
        except EOFError:
            return
        _send(answers, _run_child(job))


def _run_child(job: tuple[Any, ...]) -> tuple[str, Any]:
    data, filename, kind, deal, title, limits, analyse = job
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: cap memory, read, answer, exit without running any cleanup of the server's
        os.close(read_end)
        try:
            message = _child(data, filename, kind, deal, title, limits, analyse)
            with os.fdopen(write_end, "wb") as out:
                _send(out, message)
        finally:
            os._exit(0)
    os.close(write_end)
    try:
        with os.fdopen(read_end, "rb") as answers:
            try:
                return _receive(answers, limits.seconds)
            except TimeoutError:
                os.kill(pid, signal.SIGKILL)
                return "timeout", None
            except EOFError:
                _, status = os.waitpid(pid, 0)
                pid = 0
                how = f"signal {os.WTERMSIG(status)}" if os.WIFSIGNALED(status) else f"exit code {os.WEXITSTATUS(status)}"
                return "crashed", how
    finally:
        if pid:
            os.waitpid(pid, 0)


def _child(data: bytes, filename: str, kind: str, deal: str, title: str | None, limits: ReadLimits,
           analyse: bool) -> tuple[str, Any]:
    """In the child: read within the caps; every outcome is one message."""
    cap = _cap_memory(limits.memory_mb)
    try:
        return "ok", _read_within(data, filename, kind, deal, title, limits, analyse)
    except MemoryError:
        return "memory", None
    except Exception as exc:
        if _peak_near(cap):  # a parser that ran out of memory may call the file malformed
            return "memory", None
        if isinstance(exc, BadInputError):
            return "bad", ("\0" if exc.subject == filename else exc.subject, exc.reason)
        if isinstance(exc, RecursionError):
            return "bad", ("\0", "nested too deeply to read")
        return "error", f"{type(exc).__name__}: {' '.join(str(exc).split())[:200]}"  # one line for the user


def _cap_memory(memory_mb: int) -> int:
    """Let the address space grow by ``memory_mb`` beyond the child's size now (libraries already
    mapped); returns the cap in bytes."""
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[0])
    limit = pages * os.sysconf("SC_PAGE_SIZE") + memory_mb * 2**20
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


if __name__ == "__main__":
    serve()
