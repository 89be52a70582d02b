"""Reading in a worker process: the same answer as reading in-process, and every limit holds."""

from __future__ import annotations

import time

import pytest

from core.errors import BadInputError
from retrieval.clauses import analyse_document
from retrieval.readers import read_bytes
from retrieval.worker import ReadLimits, read_and_analyse
from tests.conftest import REPO
from tests.hostile.generate import docx_with_paragraphs, pdf_with_stream

PROPOSAL = REPO / "data" / "demo" / "proposal.pdf"


def test_a_worker_reads_and_analyses_exactly_as_in_process():
    data = PROPOSAL.read_bytes()
    document, clauses = read_and_analyse(data, "proposal.pdf", kind="proposal", title="P")
    here = read_bytes(data, "proposal.pdf", kind="proposal", title="P")
    assert document == here and clauses == analyse_document(here)


def test_a_file_that_takes_too_long_is_stopped_at_the_limit():
    quadratic = pdf_with_stream(b"BT /F1 12 Tf 72 700 Td " + b"(word ) Tj " * 400_000 + b"ET")
    began = time.monotonic()
    with pytest.raises(BadInputError, match=r"^slow.pdf: reading took longer than the limit of 2 s"):
        read_and_analyse(quadratic, "slow.pdf", limits=ReadLimits(seconds=2))
    assert time.monotonic() - began < 6


def test_a_file_that_needs_too_much_memory_is_stopped_and_blamed_on_the_limit():
    many = docx_with_paragraphs(["a"] * 300_000)
    with pytest.raises(BadInputError, match=r"^many.docx: reading needs more memory than the limit of 150 MB"):
        read_and_analyse(many, "many.docx", limits=ReadLimits(seconds=60, memory_mb=150))


def test_the_reader_server_comes_back_after_it_dies():
    from retrieval import worker

    data = (REPO / "data" / "demo" / "proposal.md").read_bytes()
    read_and_analyse(data, "proposal.md")
    worker._server._process.kill()  # as the out-of-memory killer would
    worker._server._process.wait()
    document, clauses = read_and_analyse(data, "proposal.md")
    assert clauses and document.title == "proposal"


@pytest.mark.parametrize(
    ("limits", "message"),
    [
        (ReadLimits(max_chars=1000), r"too long: 26,150 characters exceeds the limit of 1,000"),
        (ReadLimits(max_clauses=10), r"too many clauses: 98 exceeds the limit of 10"),
        (ReadLimits(max_pages=3), r"too large: 10 pages exceeds the limit of 3 pages"),
        (ReadLimits(max_bytes=1000), r"too large: [\d,]+ bytes exceeds the limit of 1,000 bytes"),
    ],
)
def test_caps_on_characters_clauses_pages_and_bytes(limits, message):
    with pytest.raises(BadInputError, match=message):
        read_and_analyse(PROPOSAL.read_bytes(), "proposal.pdf", limits=limits)


def test_limits_must_be_positive():
    with pytest.raises(BadInputError, match="limit seconds: must be positive"):
        ReadLimits(seconds=0)
