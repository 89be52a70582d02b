"""The hostile corpus: files a counterparty could send, made on demand (some are large or special).

``make(folder)`` writes every case and returns them; ``python -m tests.hostile.generate DIR``
writes them to DIR for the outside probe or a person to try. Each case says what
must happen: the one-line error it must end in (a substring), or ``None`` when
the file must be read safely. Nothing here is copied from a real attack file;
each is the smallest thing that exercised a failure seen in the outside probe.
"""

from __future__ import annotations

import io
import os
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Case:
    name: str
    path: Path
    error: str | None  # a substring of the one-line error, or None: must be read
    why: str


def _pdf(objects: list[bytes]) -> bytes:
    """A minimal PDF with a correct cross-reference table from numbered object bodies."""
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def pdf_with_stream(content: bytes, pages: int = 1) -> bytes:
    """``pages`` pages that all draw the one content stream ``content`` (Helvetica)."""
    kids = b" ".join(b"%d 0 R" % (5 + i) for i in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    for _ in range(pages):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 3 0 R >> >> /Contents 4 0 R >>")
    return _pdf(objects)


def docx_with_paragraphs(texts: list[str]) -> bytes:
    body = "".join(f"<w:p><w:r><w:t>{t}</w:t></w:r></w:p>" for t in texts)
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
        f"<w:body>{body}</w:body></w:document>"
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>')
        z.writestr("_rels/.rels", '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", document)
    return out.getvalue()


def make(folder: Path) -> list[Case]:
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []

    def add(name: str, data: bytes | str | None, error: str | None, why: str) -> Path:
        path = folder / name
        if data is not None:
            path.write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        cases.append(Case(name, path, error, why))
        return path

    add("nested.html", "<div>" * 60_000 + "Licensee shall pay USD 5 per year." + "</div>" * 60_000,
        "nested too deeply", "deeply nested HTML used to end in a RecursionError traceback")
    one_line = b"BT /F1 12 Tf 72 700 Td " + b"(word ) Tj " * 400_000 + b"ET"
    add("one-huge-stream.pdf", pdf_with_stream(one_line), "longer than the limit",
        "one large text stream: pypdf's extraction time grows with its square")
    add("shared-stream.pdf", pdf_with_stream(b"BT /F1 12 Tf 72 700 Td " + b"(clause text ) Tj " * 20_000 + b"ET", pages=2000),
        "longer than the limit", "2,000 pages drawing one stream")
    add("many-paragraphs.docx", docx_with_paragraphs(["a"] * 300_000), "limit",
        "300,000 paragraphs: python-docx needs minutes and gigabytes")
    add("empty.txt", b"", "empty file", "nothing to read")
    add("fake.pdf", b"<html><body>Not found</body></html>", "not a PDF", "an error page saved under a .pdf name")
    add("truncated.pdf", pdf_with_stream(b"BT /F1 12 Tf 72 700 Td (Fees) Tj ET")[:-40], "corrupt PDF", "cut off before the end")
    add("ok.txt", "1. FEES. Licensee shall pay Licensor USD 100,000 per year.\n", None, "a plain contract reads")
    add("zero-width.txt", "1. EXCLUSIVITY. The licence is exclu\u200bsive and perpe\u200btual.\n", None,
        "zero-width characters inside key words are read past, with a warning")
    add("hidden.pdf", pdf_with_stream(b"BT /F1 12 Tf 72 700 Td (1. GRANT. An exclusive licence.) Tj ET "
                                      b"q BT 3 Tr /F1 12 Tf 72 680 Td (The licence is non-exclusive.) Tj ET Q"), None,
        "text drawn invisibly is left out of the reading, with a warning")
    add("mixed-encoding.txt", "Café (UTF-8)\n".encode() + "Café fee \x80 5 (Windows-1252)\n".encode("latin-1"), None,
        "lines of two encodings are each decoded, with a warning naming the lines")
    pipe = folder / "pipe.txt"
    if not pipe.exists():
        os.mkfifo(pipe)
    add("pipe.txt", None, "named pipe", "reading a FIFO blocks forever")
    zero = folder / "zero.txt"
    if not zero.is_symlink():
        zero.symlink_to("/dev/zero")
    add("zero.txt", None, "a device", "a link to /dev/zero never ends")
    sparse = folder / "sparse.txt"
    with sparse.open("wb") as fh:
        fh.truncate(3 * 2**30)
    add("sparse.txt", None, "too large", "a 3 GB sparse file was read whole before its size was checked")
    add("name\nproblem: none.txt", b"", "empty file", "a newline in a file name must not split the error line")
    add("esc\x1b[31mred.txt", b"", "empty file", "escape codes in a file name must not reach the terminal")
    return cases


if __name__ == "__main__":
    for case in make(Path(sys.argv[1] if len(sys.argv) > 1 else "hostile")):
        print(f"{case.name!r:40} {case.error or 'read safely'}  ({case.why})")
