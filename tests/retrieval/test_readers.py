"""Readers: real CUAD PDFs, generated DOCX/PDF/HTML/text, and every bad input we refuse."""

from __future__ import annotations

import hashlib
import io
import json
import re
import zipfile
from functools import lru_cache
from pathlib import Path

import docx
import pytest
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from core.errors import BadInputError
from retrieval.readers import (
    iter_supported_files,
    read_bytes,
    read_document,
    sniff_format,
    supported_extensions,
)

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
PDFS = DATA / "pdfs"
# Small real PDFs, so the suite stays fast (the 45-page Playboy one takes ~3 s).
EUROMEDIA = "EuromediaHoldingsCorp_20070215_10SB12G_EX-10.B(01)_525118_EX-10.B(01)_Content License Agreement.pdf"
DATACALL = "DataCallTechnologies_20060918_SB-2A_EX-10.9_944510_EX-10.9_Content License Agreement.pdf"
WEBMD = "WebmdHealthCorp_20050908_S-1A_EX-10.7_1027007_EX-10.7_Content License Agreement.pdf"
MORGAN = "MorganStanleyDirectLendingFund_20191119_10-12GA_EX-10.5_11898508_EX-10.5_Trademark License Agreement.pdf"
FAST_PDFS = (EUROMEDIA, DATACALL, WEBMD, MORGAN)

# CUAD's gold answer texts use straight quotes where the filed PDFs print curly
# ones; we keep the PDF's characters, so the comparison folds quotes on both sides.
_QUOTES = str.maketrans({"\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'"})


def _squash(text: str, fold_quotes: bool = False) -> str:
    if fold_quotes:
        text = text.translate(_QUOTES)
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=None)
def _cuad_records() -> dict[str, dict]:
    with (DATA / "cuad" / "cuad_train.jsonl").open(encoding="utf-8") as handle:
        return {record["id"]: record for record in map(json.loads, handle)}


@lru_cache(maxsize=None)
def _manifest() -> dict[str, dict]:
    files = json.loads((PDFS / "MANIFEST.json").read_text(encoding="utf-8"))["files"]
    return {entry["pdf"]: entry for entry in files}


@lru_cache(maxsize=None)
def _read_real_pdf(pdf_name: str):  # type: ignore[no-untyped-def]
    return read_document(PDFS / pdf_name)


def cuad_answer_recall(pdf_name: str, fold_quotes: bool = True) -> tuple[int, int]:
    """(found, total): CUAD gold answers present in our text after whitespace normalisation.

    Also the measurement behind the choice of extraction mode; run it over all
    ten PDFs with:
    ``python -c "from tests.retrieval.test_readers import report; report()"``.
    """
    document = _read_real_pdf(pdf_name)
    haystack = _squash(document.text, fold_quotes)
    record = _cuad_records()[_manifest()[pdf_name]["jsonl_id"]]
    answers = [c["answer_text"] for c in record["clauses"] if c["answer_text"].strip()]
    found = sum(_squash(answer, fold_quotes) in haystack for answer in answers)
    return found, len(answers)


def report() -> None:
    """Print the recall table for all ten PDFs (whitespace-only and quote-folded)."""
    totals = [0, 0, 0]
    for name in sorted(_manifest()):
        plain, total = cuad_answer_recall(name, fold_quotes=False)
        folded, _ = cuad_answer_recall(name, fold_quotes=True)
        totals = [totals[0] + plain, totals[1] + folded, totals[2] + total]
        print(f"{name[:60]:60s} ws {plain:3d}/{total:<3d} ws+quotes {folded:3d}/{total:<3d}")
    print(f"overall: ws {totals[0]}/{totals[2]} = {totals[0] / totals[2]:.3f}; "
          f"ws+quotes {totals[1]}/{totals[2]} = {totals[1] / totals[2]:.3f}")


def _text_pdf(pages: list[str]) -> bytes:
    pdf = FPDF()
    pdf.set_font("helvetica", size=12)
    for text in pages:
        pdf.add_page()
        if text:
            pdf.multi_cell(0, 10, text)
    return bytes(pdf.output())


def _scanned_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.rect(20, 20, 100, 60, style="F")
    return bytes(pdf.output())


def _encrypted(data: bytes, user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _docx_bytes(build) -> bytes:  # type: ignore[no-untyped-def]
    document = docx.Document()
    build(document)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _refusal(tmp_path: Path, name: str, data: bytes, **kwargs) -> str:  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(BadInputError) as info:
        read_document(path, **kwargs)
    assert info.value.subject == str(path)
    assert "\n" not in str(info.value)
    return info.value.reason


# ----------------------------------------------------------------------------- real PDFs


@pytest.fixture(scope="module")
def euromedia():
    return read_document(PDFS / EUROMEDIA, kind="comparable", deal="rogers")


def test_pdf_document_fields(euromedia) -> None:
    data = (PDFS / EUROMEDIA).read_bytes()
    assert euromedia.id == hashlib.sha256(data).hexdigest()
    assert euromedia.format == "pdf"
    assert euromedia.kind == "comparable" and euromedia.deal == "rogers"
    assert euromedia.title == Path(EUROMEDIA).stem
    assert euromedia.source == str(PDFS / EUROMEDIA)
    assert euromedia.page_count == len(PdfReader(PDFS / EUROMEDIA).pages) == 12
    assert euromedia.warnings == ()


@pytest.mark.parametrize("name", FAST_PDFS)
def test_pdf_pages_tile_the_text(name: str) -> None:
    document = _read_real_pdf(name)
    pages = document.pages
    assert pages[0].start == 0 and pages[-1].end == len(document.text)
    assert [p.number for p in pages] == list(range(1, len(pages) + 1))
    for before, after in zip(pages, pages[1:]):
        assert before.end == after.start
    for page in pages:
        if page.end > page.start:
            assert document.page_at(page.start) == page.number
            assert document.page_at(page.end - 1) == page.number


def test_pdf_page_of_a_clause_matches_pypdf(euromedia) -> None:
    """The page we report for a passage is the page pypdf finds it on."""
    reader = PdfReader(PDFS / EUROMEDIA)
    needle = "MUTUAL TERMINATION"
    offset = euromedia.text.index(needle)
    expected = next(i + 1 for i, page in enumerate(reader.pages) if needle in page.extract_text().replace("\u00a0", " "))
    assert euromedia.page_at(offset) == expected
    page = euromedia.pages[expected - 1]
    assert needle in euromedia.text[page.start:page.end]


def test_pdf_fixes_only_what_pypdf_gets_wrong(euromedia) -> None:
    assert "\u00a0" not in euromedia.text  # the producer set every space as a no-break space
    assert "\u037e" not in euromedia.text  # Greek question mark emitted for ';'
    assert "Rogers; or (ii)" in _squash(euromedia.text)
    assert "\u201cTerritory\u201d" in euromedia.text  # curly quotes are the PDF's own: kept
    reader = PdfReader(PDFS / EUROMEDIA)
    for page, pdf_page in zip(euromedia.pages, reader.pages):
        raw = pdf_page.extract_text().replace("\u00a0", " ").replace("\u037e", ";")
        assert euromedia.text[page.start:page.end].rstrip("\n") == raw.rstrip("\n")


@pytest.mark.parametrize(("name", "minimum"), [(EUROMEDIA, 30), (DATACALL, 22), (MORGAN, 27), (WEBMD, 19)])
def test_cuad_gold_answers_are_in_the_pdf_text(name: str, minimum: int) -> None:
    found, total = cuad_answer_recall(name)
    assert found >= minimum, f"{found}/{total} CUAD answers found"


def test_read_bytes_matches_read_document(euromedia) -> None:
    uploaded = read_bytes((PDFS / EUROMEDIA).read_bytes(), EUROMEDIA, kind="comparable", deal="rogers")
    assert uploaded.id == euromedia.id
    assert uploaded.text == euromedia.text
    assert uploaded.pages == euromedia.pages
    assert uploaded.source == EUROMEDIA


# ----------------------------------------------------------------------------- generated PDFs


def test_generated_pdf_pages_and_blank_page_warning(tmp_path: Path) -> None:
    path = tmp_path / "deal.pdf"
    path.write_bytes(_text_pdf(["First page licence fee.", "", "Third page term of three years."]))
    document = read_document(path)
    assert document.page_count == 3
    assert document.page_at(document.text.index("Third page")) == 3
    assert document.page_at(document.text.index("First page")) == 1
    assert any("page(s) 2" in warning for warning in document.warnings)


def test_pdf_with_empty_user_password_is_read_with_warning(tmp_path: Path) -> None:
    path = tmp_path / "open.pdf"
    path.write_bytes(_encrypted(_text_pdf(["Royalty of ten percent."]), user_password=""))
    document = read_document(path)
    assert "Royalty of ten percent." in document.text
    assert any("empty password" in warning for warning in document.warnings)


# ----------------------------------------------------------------------------- DOCX


def test_docx_paragraphs_lists_and_tables_in_body_order(tmp_path: Path) -> None:
    def build(document) -> None:  # type: ignore[no-untyped-def]
        document.add_heading("Data Licence Agreement", level=1)
        document.add_paragraph("The Licensor grants a licence.", style="List Number")
        document.add_paragraph("The Licensee pays the fee.", style="List Number")
        table = document.add_table(rows=2, cols=3)
        for column, text in enumerate(("Term", "Fee", "Exclusivity")):
            table.cell(0, column).text = text
        table.cell(1, 0).text = "3 years"
        table.cell(1, 1).text = "$5 million"
        table.cell(1, 2).text = "none"
        document.add_paragraph("Signed by both parties.")
        document.add_paragraph("Exhibit A", style="List Bullet")

    path = tmp_path / "licence.docx"
    path.write_bytes(_docx_bytes(build))
    document = read_document(path, title="Licence")
    assert document.format == "docx" and document.title == "Licence"
    assert document.pages == (document.pages[0],) and document.pages[0].start == 0
    assert document.pages[0].end == len(document.text)
    lines = document.text.splitlines()
    assert lines[0] == "Data Licence Agreement"
    assert lines[1] == "1. The Licensor grants a licence."
    assert lines[2] == "2. The Licensee pays the fee."
    assert lines[3] == "Term | Fee | Exclusivity"
    assert lines[4] == "3 years | $5 million | none"
    assert lines[5] == "Signed by both parties."
    assert lines[6] == "\u2022 Exhibit A"


def test_docx_with_tables_only_reads_the_tables(tmp_path: Path) -> None:
    def build(document) -> None:  # type: ignore[no-untyped-def]
        table = document.add_table(rows=2, cols=2)
        table.cell(0, 0).text = "Licence fee"
        table.cell(0, 1).text = "EUR 2.5m"
        merged = table.cell(1, 0).merge(table.cell(1, 1))
        merged.text = "Perpetual licence"

    document = read_bytes(_docx_bytes(build), "terms.docx")
    assert document.text == "Licence fee | EUR 2.5m\nPerpetual licence\n"


# ----------------------------------------------------------------------------- text, Markdown, HTML


def test_txt_is_exactly_the_utf8_text(tmp_path: Path) -> None:
    raw = "Clause 1.\r\nFee: €2.5m – “net” 😀\r\nÜber\tdone\r\n".encode("utf-8")
    path = tmp_path / "terms.txt"
    path.write_bytes(raw)
    document = read_document(path)
    assert document.text == raw.decode("utf-8")
    assert "\r\n" in document.text
    assert document.pages[0].end == len(document.text)
    assert document.format == "txt" and document.warnings == ()
    start = document.text.index("€2.5m")
    assert document.text[start:start + 5] == "€2.5m"


def test_markdown_is_exact(tmp_path: Path) -> None:
    raw = b"# Term\n\n* three (3) years\n* **exclusive**\n"
    path = tmp_path / "terms.md"
    path.write_bytes(raw)
    document = read_document(path)
    assert document.text == raw.decode() and document.format == "md"


def test_cp1252_text_falls_back_with_warning(tmp_path: Path) -> None:
    path = tmp_path / "legacy.txt"
    path.write_bytes("Café fee – €100\r\n".encode("cp1252"))
    document = read_document(path)
    assert document.text == "Café fee – €100\r\n"
    assert any("Windows-1252" in warning for warning in document.warnings)


def test_html_visible_text_with_block_breaks(tmp_path: Path) -> None:
    html = (
        "<!DOCTYPE html><html><head><title>Hidden title</title><style>p {color: red}</style></head>"
        "<body><h1>Licence</h1><p>The   fee is\n <b>$5 million</b>.</p>"
        "<script>var secret = 1;</script><ul><li>Exclusive</li><li>Three years</li></ul>"
        "<table><tr><th>Term</th><th>Fee</th></tr><tr><td>3 years</td><td>5%</td></tr></table>"
        "Signed<br>Today<!-- a comment --></body></html>"
    )
    path = tmp_path / "offer.html"
    path.write_text(html, encoding="utf-8")
    document = read_document(path)
    assert document.format == "html"
    assert document.text == (
        "Licence\nThe fee is $5 million.\nExclusive\nThree years\nTerm | Fee\n3 years | 5%\nSigned\nToday\n"
    )


# ----------------------------------------------------------------------------- refusals


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(BadInputError, match="must be one of proposal, comparable, reference"):
        read_bytes(b"text", "a.txt", kind="draft")


def test_missing_file_and_directory(tmp_path: Path) -> None:
    with pytest.raises(BadInputError, match="no such file"):
        read_document(tmp_path / "absent.pdf")
    with pytest.raises(BadInputError, match="is a directory"):
        read_document(tmp_path)


def test_zero_byte_and_whitespace_only(tmp_path: Path) -> None:
    assert _refusal(tmp_path, "empty.pdf", b"") == "empty file (0 bytes)"
    assert _refusal(tmp_path, "blank.txt", b" \r\n\t\n") == "empty: no text"
    with pytest.raises(BadInputError, match="empty file"):
        read_bytes(b"", "upload.docx")


def test_unsupported_extensions(tmp_path: Path) -> None:
    assert "unsupported format '.xlsx'" in _refusal(tmp_path, "book.xlsx", b"PK\x03\x04xx")
    assert ".docx" in _refusal(tmp_path, "old.doc", b"\xd0\xcf\x11\xe0rest")
    assert "no extension" in _refusal(tmp_path, "README", b"hello")


def test_pdf_that_is_html(tmp_path: Path) -> None:
    page = b"<!DOCTYPE html>\n<html><body>403 Forbidden</body></html>"
    assert _refusal(tmp_path, "contract.pdf", page) == "not a PDF (looks like HTML)"


def test_truncated_pdf_is_corrupt(tmp_path: Path) -> None:
    data = (PDFS / DATACALL).read_bytes()
    reason = _refusal(tmp_path, "cut.pdf", data[: len(data) // 2])
    assert reason.startswith("corrupt PDF")


def test_damaged_pdf_never_leaks_a_raw_exception(tmp_path: Path, capfd) -> None:  # type: ignore[no-untyped-def]
    """Overwrite the middle of a real PDF: we either read it or refuse it cleanly, and
    pypdf's repair log goes to Document.warnings, not to stderr."""
    data = bytearray((PDFS / DATACALL).read_bytes())
    repaired = 0
    for seed in range(5):
        damaged = bytearray(data)
        start = len(data) // 4 + seed * 997
        damaged[start:start + 4000] = bytes((seed * 31 + i) % 256 for i in range(4000))
        try:
            document = read_bytes(bytes(damaged), "damaged.pdf")
            repaired += any("needed repair" in warning for warning in document.warnings)
        except BadInputError as error:
            assert error.reason
    assert repaired >= 1
    assert capfd.readouterr().err == ""


def test_encrypted_pdf_needs_a_password(tmp_path: Path) -> None:
    data = _encrypted(_text_pdf(["Confidential terms."]), user_password="s3cret")
    assert _refusal(tmp_path, "locked.pdf", data) == "encrypted PDF: a password is needed"


def test_scanned_pdf_asks_for_ocr(tmp_path: Path) -> None:
    reason = _refusal(tmp_path, "scan.pdf", _scanned_pdf())
    assert reason == "no extractable text: looks scanned; run OCR (e.g. ocrmypdf) first"


def test_size_limits_are_named(tmp_path: Path) -> None:
    data = _text_pdf(["one", "two", "three"])
    assert "limit of 2 pages" in _refusal(tmp_path, "long.pdf", data, max_pages=2)
    assert "limit of 100 bytes" in _refusal(tmp_path, "big.txt", b"x" * 101, max_bytes=100)
    with pytest.raises(BadInputError, match="limit of 10 bytes"):
        read_bytes(b"x" * 11, "big.txt", max_bytes=10)


def test_non_utf8_binary_is_refused(tmp_path: Path) -> None:
    assert "not a text file" in _refusal(tmp_path, "blob.txt", bytes(range(256)))
    # C1 control bytes decode under latin-1 but are not text anyone wrote
    assert "not UTF-8" in _refusal(tmp_path, "odd.txt", b"fee \x81\x8d\x8f\x90\x9d due")


def test_bad_docx(tmp_path: Path) -> None:
    assert _refusal(tmp_path, "plain.docx", b"just text") == "not a DOCX (looks like plain text)"
    assert _refusal(tmp_path, "broken.docx", b"PK\x03\x04 not really a zip").startswith("not a valid DOCX")
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("hello.txt", "hi")
    assert "without word/document.xml" in _refusal(tmp_path, "other.docx", archive.getvalue())


# ----------------------------------------------------------------------------- discovery


def test_sniff_format() -> None:
    assert sniff_format(b"%PDF-1.7\n") == "pdf"
    assert sniff_format(b"PK\x03\x04") == "zip"
    assert sniff_format(b"  <html><body>") == "html"
    assert sniff_format(b"Plain words") == "text"
    assert sniff_format(b"\x00\x01binary") == "binary"


def test_supported_files_are_listed_in_order(tmp_path: Path) -> None:
    assert {".pdf", ".docx", ".txt", ".md", ".html", ".htm"} <= set(supported_extensions())
    for name in ("b.pdf", "a.TXT", "sub/c.md", "skip.xlsx", ".hidden/d.txt", "~$lock.docx"):
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(b"x")
    found = [p.relative_to(tmp_path).as_posix() for p in iter_supported_files(tmp_path)]
    assert found == ["a.TXT", "b.pdf", "sub/c.md"]
    with pytest.raises(BadInputError, match="not a directory"):
        list(iter_supported_files(tmp_path / "b.pdf"))


def test_docx_reads_clauses_inside_content_controls() -> None:
    """Templates wrap clauses in content controls (w:sdt), which python-docx's iterator skips."""
    from docx.oxml import parse_xml

    def build(document) -> None:  # type: ignore[no-untyped-def]
        document.add_paragraph("Before the control.")
        control = parse_xml(
            '<w:sdt xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            "<w:sdtPr/><w:sdtContent><w:p><w:r><w:t>Licence fee of $5 million.</w:t></w:r></w:p>"
            "</w:sdtContent></w:sdt>"
        )
        after = document.add_paragraph("After the control.")
        after._p.addprevious(control)

    document = read_bytes(_docx_bytes(build), "template.docx")
    assert document.text == "Before the control.\nLicence fee of $5 million.\nAfter the control.\n"


def test_mixed_utf8_and_windows_1252_lines_are_each_decoded_right():
    data = "Café licence (UTF-8).\n".encode("utf-8") + "Café fee of € 5,000 (Windows-1252).\n".encode("cp1252") + "naïve\n".encode("utf-8")
    document = read_bytes(data, "mixed.txt")
    assert document.text == "Café licence (UTF-8).\nCafé fee of € 5,000 (Windows-1252).\nnaïve\n"
    assert any("line(s) 2 are not UTF-8" in w for w in document.warnings)


def test_words_after_an_unresolved_entity_in_a_docx_are_kept_and_no_file_is_read(tmp_path):
    from tests.hostile.generate import docx_with_paragraphs

    secret = tmp_path / "secret.txt"
    secret.write_text("SECRET-CONTENT", encoding="utf-8")
    xml = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           f'<!DOCTYPE w:document [<!ENTITY ext SYSTEM "file://{secret}">]>'
           '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>'
           '<w:p><w:r><w:t>Licensee shall pay &ext; USD 5,000,000 per year.</w:t></w:r></w:p></w:body></w:document>')
    source = zipfile.ZipFile(io.BytesIO(docx_with_paragraphs(["x"])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name in source.namelist():
            archive.writestr(name, xml if name == "word/document.xml" else source.read(name))
    document = read_bytes(out.getvalue(), "entity.docx")
    assert "USD 5,000,000 per year." in document.text
    assert "SECRET-CONTENT" not in document.text
    assert any("unresolved XML entity (&ext;)" in w for w in document.warnings)
