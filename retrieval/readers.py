"""Turn a contract file (PDF, DOCX, text, Markdown, HTML) into a ``Document``.

Every clause, value and finding downstream points into ``Document.text`` by
character offset, so the text built here is the single reference: it must be
deterministic (same bytes, same text) and faithful (we fix only what an
extractor demonstrably gets wrong, never "improve" the wording). For ``.txt``
and ``.md`` the text is the file exactly as decoded, so offsets also index the
file a user opens in an editor.

The format is decided by the bytes as well as the name: a ``.pdf`` that is
really an HTML error page is refused with that diagnosis rather than a parser
traceback. Every refusal is a ``BadInputError`` with a one-line reason.
"""

from __future__ import annotations

import hashlib
import io
import stat
import logging
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from core.domain import DOCUMENT_KINDS, Document, Page
from core.errors import BadInputError
from retrieval.pdf_visibility import HiddenText, suspect, visible_page_text
from retrieval.visible import invisible_count

DEFAULT_MAX_BYTES = 50_000_000
DEFAULT_MAX_PAGES = 2000

# extension -> format name (the value stored in Document.format)
_EXTENSION_FORMATS: dict[str, str] = {
    ".pdf": "pdf",
    ".docx": "docx",
    ".txt": "txt",
    ".text": "txt",
    ".md": "md",
    ".markdown": "md",
    ".html": "html",
    ".htm": "html",
}

# Formats people often try that we cannot read, with the fix they need.
_UNSUPPORTED_HINTS: dict[str, str] = {
    ".doc": "legacy Word .doc is not supported: save it as .docx",
    ".rtf": "RTF is not supported: save it as .docx or .pdf",
    ".odt": "OpenDocument .odt is not supported: save it as .docx or .pdf",
    ".pages": "Apple Pages is not supported: export it as .docx or .pdf",
}


def supported_extensions() -> tuple[str, ...]:
    """The file name endings the desk reads, lower case with the dot."""
    return tuple(_EXTENSION_FORMATS)


def iter_supported_files(directory: Path | str) -> Iterator[Path]:
    """Readable files under ``directory``, recursively, in a stable sorted order.

    Hidden files and folders (``.git``, ``.DS_Store``, Office lock files ``~$x``)
    are skipped because ingesting them is never what a user meant.
    """
    root = Path(directory)
    if not root.is_dir():
        raise BadInputError(root, "not a directory")
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).parts
        if any(part.startswith((".", "~$")) for part in relative):
            continue
        if path.is_file() and path.suffix.lower() in _EXTENSION_FORMATS:
            yield path


def read_document(
    path: Path | str,
    kind: str = "proposal",
    deal: str = "",
    title: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pages: int = DEFAULT_MAX_PAGES,
) -> Document:
    """Read the file at ``path``; refuse bad input with a ``BadInputError``."""
    path = Path(path)
    data = read_input(path, max_bytes)
    return _read(data, path.name, str(path), kind, deal, title, max_bytes, max_pages)


def read_input(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes:
    """A file's bytes, after checking from ``stat`` alone that it is a regular file of a sane size.

    Nothing is read from a named pipe (reading blocks forever), a device
    (``/dev/zero`` never ends) or a file bigger than the limit (a sparse 3 GB
    file used to be read whole before its size was checked); at most
    ``max_bytes`` are read even if the file grows meanwhile.
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        raise BadInputError(path, "a broken link" if path.is_symlink() else "no such file") from None
    except OSError as exc:
        raise BadInputError(path, f"cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise BadInputError(path, "is a directory, not a file")
    if not stat.S_ISREG(info.st_mode):
        what = ("a named pipe" if stat.S_ISFIFO(info.st_mode) else "a socket" if stat.S_ISSOCK(info.st_mode) else "a device")
        raise BadInputError(path, f"not a regular file ({what})")
    _check_size(path, info.st_size, max_bytes)
    try:
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        raise BadInputError(path, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise BadInputError(path, f"too large: grew past the limit of {max_bytes:,} bytes while being read")
    return data


def read_bytes(
    data: bytes,
    filename: str,
    kind: str = "proposal",
    deal: str = "",
    title: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pages: int = DEFAULT_MAX_PAGES,
) -> Document:
    """Read an upload: ``filename`` supplies the extension and the default title."""
    _check_size(filename, len(data), max_bytes)
    return _read(bytes(data), Path(filename).name, filename, kind, deal, title, max_bytes, max_pages)


# --------------------------------------------------------------------------- dispatch


def _check_size(subject: object, size: int, max_bytes: int) -> None:
    if size == 0:
        raise BadInputError(subject, "empty file (0 bytes)")
    if size > max_bytes:
        raise BadInputError(subject, f"too large: {size:,} bytes exceeds the limit of {max_bytes:,} bytes")


def _read(
    data: bytes,
    name: str,
    source: str,
    kind: str,
    deal: str,
    title: str | None,
    max_bytes: int,
    max_pages: int,
) -> Document:
    subject = source or name
    if kind not in DOCUMENT_KINDS:
        raise BadInputError(f"kind {kind!r}", f"must be one of {', '.join(DOCUMENT_KINDS)}")
    _check_size(subject, len(data), max_bytes)
    suffix = Path(name).suffix.lower()
    fmt = _EXTENSION_FORMATS.get(suffix)
    if fmt is None:
        hint = _UNSUPPORTED_HINTS.get(suffix)
        if hint is None:
            shown = f"'{suffix}'" if suffix else "(no extension)"
            hint = f"unsupported format {shown}: use one of {', '.join(_EXTENSION_FORMATS)}"
        raise BadInputError(subject, hint)

    sniffed = sniff_format(data)
    warnings: list[str] = []
    if fmt == "pdf":
        if sniffed != "pdf":
            raise BadInputError(subject, f"not a PDF (looks like {_describe(sniffed)})")
        text, pages = _read_pdf(data, subject, max_pages, warnings)
    elif fmt == "docx":
        if sniffed != "zip":
            raise BadInputError(subject, f"not a DOCX (looks like {_describe(sniffed)})")
        text, pages = _read_docx(data, subject, warnings)
    else:
        if sniffed in ("pdf", "zip", "binary"):
            raise BadInputError(subject, f"not a text file (looks like {_describe(sniffed)})")
        decoded = _decode_text(data, subject, warnings)
        try:
            text = _html_to_text(decoded) if fmt == "html" else decoded
        except RecursionError:
            raise BadInputError(subject, "HTML nested too deeply to read (thousands of levels); save it as PDF or text") from None
        pages = (Page(1, 0, len(text)),)

    if not text.strip():
        raise BadInputError(subject, "empty: no text")
    invisible = invisible_count(text)
    if invisible:
        warnings.append(
            f"this file contains {invisible:,} characters you cannot see (zero-width or text-direction controls); "
            "they were ignored when reading it"
        )
    return Document(
        id=hashlib.sha256(data).hexdigest(),
        title=title if title else Path(name).stem,
        kind=kind,
        text=text,
        pages=pages,
        source=source,
        deal=deal,
        format=fmt,
        warnings=tuple(warnings),
    )


def sniff_format(data: bytes) -> str:
    """What the bytes are, whatever the name says: pdf, zip, html, text or binary.

    PDF readers accept up to 1 KB of junk before ``%PDF-``, so we do too.
    """
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04") or data.startswith(b"PK\x05\x06"):
        return "zip"
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        return "ole"  # legacy Office (.doc/.xls) container
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "binary"
    probe = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if probe.startswith((b"<!doctype html", b"<html", b"<head", b"<body")) or (
        probe.startswith(b"<") and (b"<html" in probe or b"<body" in probe)
    ):
        return "html"
    return "text"


def _describe(sniffed: str) -> str:
    return {
        "pdf": "a PDF",
        "zip": "a ZIP archive",
        "ole": "a legacy Office file (.doc/.xls)",
        "html": "HTML",
        "text": "plain text",
        "binary": "binary data",
    }[sniffed]


# --------------------------------------------------------------------------- text


_TEXT_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _decode_text(data: bytes, subject: str, warnings: list[str]) -> str:
    """UTF-8 exactly; a legacy 8-bit code page only when it yields plain text.

    Offsets index the decoded text, so we never normalise newlines or Unicode:
    a ``\\r\\n`` file keeps its ``\\r``. A UTF-8 byte-order mark is an encoding
    marker, not text, so it is dropped (with a warning, since offsets then count
    from after it). UTF-16 with a BOM is decoded too: Windows tools still write it.
    """
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise BadInputError(subject, f"invalid UTF-8 at byte {exc.start}") from exc
        warnings.append("UTF-8 byte-order mark removed: offsets count from after it")
        return text
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise BadInputError(subject, "invalid UTF-16 text") from exc
        warnings.append("decoded as UTF-16 (byte-order mark found)")
        return text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    mixed = _decode_mixed(data, warnings)
    if mixed is not None:
        return mixed
    for encoding, label in (("cp1252", "Windows-1252"), ("latin-1", "Latin-1")):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_like_text(text):
            warnings.append(
                f"not valid UTF-8 (byte {first_bad}): decoded as {label}; check accented characters"
            )
            return text
    raise BadInputError(subject, f"not UTF-8 text (invalid byte at {first_bad}) and not a recognised 8-bit encoding")


def _decode_mixed(data: bytes, warnings: list[str]) -> str | None:
    """Text pasted together from UTF-8 and Windows-1252 sources, decoded line by line.

    Decoding the whole file as Windows-1252 turned every UTF-8 "é" into "Ã©";
    here each line is UTF-8 if it can be, else Windows-1252, and the warning
    names the lines that were not. None when no line is non-ASCII UTF-8 (the
    file is simply in an 8-bit code page: the caller decodes it whole).
    """
    lines = data.splitlines(keepends=True)
    utf8_lines, legacy = 0, []
    out = []
    for number, line in enumerate(lines, start=1):
        try:
            text = line.decode("utf-8")
            utf8_lines += not line.isascii()
        except UnicodeDecodeError:
            try:
                text = line.decode("cp1252")
            except UnicodeDecodeError:
                text = line.decode("latin-1")
            if not _looks_like_text(text.rstrip("\r\n")):
                return None
            legacy.append(number)
        out.append(text)
    if not utf8_lines:
        return None
    shown = ", ".join(map(str, legacy[:10])) + (f" and {len(legacy) - 10} more" if len(legacy) > 10 else "")
    warnings.append(f"mixed encodings: line(s) {shown} are not UTF-8 and were decoded as Windows-1252; check accented characters there")
    return "".join(out)


def _looks_like_text(text: str) -> bool:
    """No control characters (bar tab/newline/CR/form feed) and no C1 controls."""
    if _TEXT_CONTROL.search(text):
        return False
    return not any("\x80" <= ch <= "\x9f" for ch in text)


# --------------------------------------------------------------------------- PDF

# pypdf's plain extraction keeps the reading order of these filings far better
# than ``extraction_mode="layout"`` (which returned nothing for 6 of the 10
# CUAD PDFs); see the measurement in tests/test_readers.py. What it gets wrong
# is characters, fixed here: no-break spaces the PDF producer used for every
# space (they defeat phrase search), and U+037E GREEK QUESTION MARK emitted for
# ';' (NFC maps it to ';'; NFC changes nothing a reader would see).
_PDF_CHAR_FIXES = str.maketrans({"\u00a0": " "})


def _clean_pdf_page(raw: str) -> str:
    return unicodedata.normalize("NFC", raw).translate(_PDF_CHAR_FIXES)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(" ".join(record.getMessage().split()))


@contextmanager
def _pypdf_log_captured(warnings: list[str]) -> Iterator[None]:
    """pypdf logs the damage it repairs; without logging configured Python prints
    that to stderr, which breaks the CLI's one-line error contract. We keep it on
    the document instead, where a user can see the file needed repair."""
    logger = logging.getLogger("pypdf")
    handler = _Collect()
    previous = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = previous
        if handler.messages:
            unique = list(dict.fromkeys(handler.messages))
            more = f" (+{len(unique) - 1} more)" if len(unique) > 1 else ""
            warnings.append(f"PDF needed repair while reading: {unique[0]}{more}")


def _read_pdf(data: bytes, subject: str, max_pages: int, warnings: list[str]) -> tuple[str, tuple[Page, ...]]:
    """Pages joined by a newline; each ``Page`` spans its text and that newline.

    Pages tile the text (page k ends where page k+1 starts) so every offset has
    a page, which ``Document.page_at`` relies on.
    """
    with _pypdf_log_captured(warnings):
        return _read_pdf_pages(data, subject, max_pages, warnings)


def _read_pdf_pages(data: bytes, subject: str, max_pages: int, warnings: list[str]) -> tuple[str, tuple[Page, ...]]:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError

    if b"%%EOF" not in data[-2048:]:
        raise BadInputError(subject, "corrupt PDF: truncated (no end-of-file marker)")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted:
            try:
                opened = reader.decrypt("")
            except DependencyError as exc:
                raise BadInputError(
                    subject, "encrypted PDF: cannot decrypt this cipher (needs the 'cryptography' package)"
                ) from exc
            if not opened:
                raise BadInputError(subject, "encrypted PDF: a password is needed")
            warnings.append("PDF is encrypted with an empty password; read without one")
        page_count = len(reader.pages)
    except BadInputError:
        raise
    except FileNotDecryptedError as exc:
        raise BadInputError(subject, "encrypted PDF: a password is needed") from exc
    except Exception as exc:  # pypdf raises many exception types on damaged files
        raise BadInputError(subject, f"corrupt PDF: {_short(exc)}") from exc

    if page_count == 0:
        raise BadInputError(subject, "corrupt PDF: no pages")
    if page_count > max_pages:
        raise BadInputError(subject, f"too large: {page_count:,} pages exceeds the limit of {max_pages:,} pages")

    texts: list[str] = []
    hidden: dict[int, HiddenText] = {}
    for index in range(page_count):
        page = reader.pages[index]
        try:
            if suspect(page):  # only pages that could hide text pay for the operator-by-operator pass
                raw, found = visible_page_text(page)
                if found.pieces:
                    hidden[index + 1] = found
            else:
                raw = page.extract_text() or ""
        except Exception as exc:  # a damaged content stream must not kill the whole file
            raise BadInputError(subject, f"corrupt PDF: page {index + 1}: {_short(exc)}") from exc
        texts.append(_clean_pdf_page(raw))
    if hidden:
        chars = sum(h.chars for h in hidden.values())
        reasons = sorted({r for h in hidden.values() for r in h.reasons})
        first = " ".join(next(iter(hidden.values())).pieces[0].split())[:80]
        warnings.append(
            f"this PDF contains {chars:,} characters you cannot see ({', '.join(reasons)}) on page(s) "
            f"{', '.join(map(str, hidden))}; they were left out of the reading: \u201c{first}\u201d"
        )

    if not any(t.strip() for t in texts):
        raise BadInputError(subject, "no extractable text: looks scanned; run OCR (e.g. ocrmypdf) first")
    blank = [str(i + 1) for i, t in enumerate(texts) if not t.strip()]
    if blank:
        warnings.append(f"no extractable text on page(s) {', '.join(blank)}: scanned images? run OCR to include them")

    parts: list[str] = []
    pages: list[Page] = []
    cursor = 0
    for number, page_text in enumerate(texts, start=1):
        chunk = page_text if number == page_count or page_text.endswith("\n") else page_text + "\n"
        parts.append(chunk)
        pages.append(Page(number, cursor, cursor + len(chunk)))
        cursor += len(chunk)
    return "".join(parts), tuple(pages)


def _short(exc: BaseException) -> str:
    """An exception as one short line for a user, not a traceback."""
    message = " ".join(str(exc).split()) or type(exc).__name__
    return message if len(message) <= 160 else message[:157] + "..."


# --------------------------------------------------------------------------- DOCX


def _read_docx(data: bytes, subject: str, warnings: list[str]) -> tuple[str, tuple[Page, ...]]:
    """Body paragraphs and tables in document order; one page (DOCX has no fixed pages)."""
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except zipfile.BadZipFile as exc:
        raise BadInputError(subject, f"not a valid DOCX: {_short(exc)}") from exc
    if "word/document.xml" not in names:
        raise BadInputError(subject, "not a valid DOCX: a ZIP archive without word/document.xml")
    try:
        document = docx.Document(io.BytesIO(data))
        _drop_unresolved_entities(document.element.body, warnings)
        numbering = _ListNumbering(document)
        lines: list[str] = []
        for element in _body_blocks(document.element.body):
            if element.tag == _W + "p":
                paragraph = Paragraph(element, document._body)
                lines.append(numbering.label(paragraph) + paragraph.text)
            else:
                lines.extend(_table_lines(Table(element, document._body)))
    except BadInputError:
        raise
    except Exception as exc:  # python-docx/lxml raise many types on damaged parts
        raise BadInputError(subject, f"not a valid DOCX: {_short(exc)}") from exc
    text = _collapse_blank_lines("\n".join(lines)).strip("\n")
    if text:
        text += "\n"
    return text, (Page(1, 0, len(text)),)


_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _drop_unresolved_entities(body, warnings: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Entity references the parser would not resolve (external ones: no file is ever read) are
    removed, and the words after them kept: python-docx reads only an element's text before its
    first child node, so "pay &ext; USD 5,000,000 per year" read as "pay"."""
    from lxml import etree

    entities = [node for node in body.iter() if isinstance(node, etree._Entity)]
    for node in entities:
        parent, previous, tail = node.getparent(), node.getprevious(), node.tail or ""
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail
        parent.remove(node)
    if entities:
        names = sorted({f"&{node.name};" for node in entities})
        warnings.append(f"{len(entities)} unresolved XML entit{'y' if len(entities) == 1 else 'ies'} ({', '.join(names[:3])}) ignored; the text around them is kept")


def _body_blocks(container) -> Iterator:  # type: ignore[no-untyped-def]
    """Paragraph and table elements in body order, including those inside content controls.

    python-docx's own iterator skips ``w:sdt`` blocks, and contract templates put
    whole clauses in content controls.
    """
    for child in container.iterchildren():
        if child.tag in (_W + "p", _W + "tbl"):
            yield child
        elif child.tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                yield from _body_blocks(content)


def _table_lines(table) -> list[str]:  # type: ignore[no-untyped-def]
    """One line per row, cells joined by " | "; merged cells appear once."""
    lines: list[str] = []
    for row in table.rows:
        seen: set[int] = set()
        cells: list[str] = []
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue
            seen.add(id(cell._tc))
            cells.append(" ".join(cell.text.split()))
        if any(cells):
            lines.append(" | ".join(cells))
    return lines


class _ListNumbering:
    """Renders Word's automatic list numbers ("1.", "(a)", "•") as text.

    python-docx exposes the numbering definitions but not the rendered numbers,
    and contracts refer to clauses by them ("see 4(b)"), so we count them here:
    one counter per (list, level), restarting deeper levels when a shallower
    one advances, which is what Word does for ordinary outline lists.
    """

    _BULLET = "\u2022"

    def __init__(self, document) -> None:  # type: ignore[no-untyped-def]
        self._levels: dict[tuple[str, int], tuple[str, str, int]] = {}
        self._counters: dict[tuple[str, int], int] = {}
        from docx.opc.constants import RELATIONSHIP_TYPE

        try:  # not ``document.part.numbering_part``: that would add an empty part to a document without lists
            part = document.part.part_related_by(RELATIONSHIP_TYPE.NUMBERING)
        except KeyError:
            return
        root = part.element
        ns = root.nsmap.get("w") or "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
        w = "{%s}" % ns
        abstract: dict[str, dict[int, tuple[str, str, int]]] = {}
        for node in root.iter(f"{w}abstractNum"):
            levels: dict[int, tuple[str, str, int]] = {}
            for lvl in node.iter(f"{w}lvl"):
                ilvl = int(lvl.get(f"{w}ilvl", "0"))
                fmt = _attr(lvl, f"{w}numFmt", w) or "decimal"
                text = _attr(lvl, f"{w}lvlText", w) or ""
                start = int(_attr(lvl, f"{w}start", w) or "1")
                levels[ilvl] = (fmt, text, start)
            abstract[node.get(f"{w}abstractNumId", "")] = levels
        for num in root.iter(f"{w}num"):
            num_id = num.get(f"{w}numId", "")
            ref = _attr(num, f"{w}abstractNumId", w)
            for ilvl, spec in abstract.get(ref or "", {}).items():
                self._levels[(num_id, ilvl)] = spec

    def label(self, paragraph) -> str:  # type: ignore[no-untyped-def]
        if not self._levels:
            return ""
        num_id, ilvl = _paragraph_numbering(paragraph)
        if num_id is None or num_id == "0" or (num_id, ilvl) not in self._levels:
            return ""
        fmt, template, start = self._levels[(num_id, ilvl)]
        key = (num_id, ilvl)
        self._counters[key] = self._counters.get(key, start - 1) + 1
        for (other, level) in list(self._counters):
            if other == num_id and level > ilvl:
                del self._counters[(other, level)]
        if fmt == "bullet":
            return self._BULLET + " "
        if fmt == "none":
            return ""

        def substitute(match: re.Match[str]) -> str:
            level = int(match.group(1)) - 1
            spec = self._levels.get((num_id, level))
            count = self._counters.get((num_id, level), spec[2] if spec else 1)
            return _format_number(count, spec[0] if spec else "decimal")

        rendered = re.sub(r"%(\d)", substitute, template).strip()
        return rendered + " " if rendered else ""


def _attr(node, tag: str, w: str) -> str | None:  # type: ignore[no-untyped-def]
    child = node.find(tag)
    return None if child is None else child.get(f"{w}val")


def _paragraph_numbering(paragraph) -> tuple[str | None, int]:  # type: ignore[no-untyped-def]
    """(numId, level) from the paragraph, else from its style chain."""
    p_pr = paragraph._p.pPr
    num_pr = p_pr.numPr if p_pr is not None else None
    style = paragraph.style
    while num_pr is None and style is not None:
        s_pr = style.element.pPr
        num_pr = s_pr.numPr if s_pr is not None else None
        style = style.base_style
    if num_pr is None or num_pr.numId is None:
        return None, 0
    level = num_pr.ilvl.val if num_pr.ilvl is not None else 0
    return str(num_pr.numId.val), int(level)


def _format_number(value: int, fmt: str) -> str:
    if fmt == "lowerLetter":
        return _letters(value).lower()
    if fmt == "upperLetter":
        return _letters(value)
    if fmt == "lowerRoman":
        return _roman(value).lower()
    if fmt == "upperRoman":
        return _roman(value)
    return str(value)


def _letters(value: int) -> str:
    """Word's a..z, aa..zz, aaa.. scheme (letter repeated, not base 26)."""
    if value <= 0:
        return str(value)
    letter = chr(ord("A") + (value - 1) % 26)
    return letter * ((value - 1) // 26 + 1)


def _roman(value: int) -> str:
    if value <= 0:
        return str(value)
    numerals = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))
    out = []
    for number, numeral in numerals:
        while value >= number:
            out.append(numeral)
            value -= number
    return "".join(out)


def _collapse_blank_lines(text: str) -> str:
    """At most one empty line in a row: runs of empty paragraphs are layout, not content."""
    return re.sub(r"\n[ \t]*(?:\n[ \t]*)+\n", "\n\n", text)


# --------------------------------------------------------------------------- HTML

_BLOCK_TAGS = frozenset(
    "address article aside blockquote body caption dd details dialog div dl dt fieldset figcaption figure "
    "footer form h1 h2 h3 h4 h5 h6 header hgroup hr html li main nav ol p pre section summary table "
    "tbody thead tfoot tr ul".split()
)
_HIDDEN_TAGS = frozenset("script style noscript template head title meta link iframe object svg".split())
_CELL_TAGS = frozenset(("td", "th"))


def _html_to_text(html: str) -> str:
    """Visible text: blocks on their own lines, table cells joined by " | ".

    Whitespace collapses as a browser would (except inside ``<pre>``), so the
    text matches what the reader saw on screen.
    """
    from bs4 import BeautifulSoup
    from bs4.element import Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag

    soup = BeautifulSoup(html, "html.parser")
    out: list[str] = []

    def newline() -> None:
        if out and not out[-1].endswith("\n"):
            out.append("\n")

    def walk(node: Tag, in_pre: bool) -> None:
        first_cell = True
        for child in node.children:
            if isinstance(child, (Comment, Declaration, Doctype, ProcessingInstruction)):
                continue
            if isinstance(child, NavigableString):
                text = str(child)
                if not in_pre:
                    text = re.sub(r"[ \t\r\n\f]+", " ", text)
                    if out and out[-1].endswith((" ", "\n")) and text.startswith(" "):
                        text = text[1:]
                if text:
                    out.append(text)
                continue
            if not isinstance(child, Tag):
                continue
            name = child.name.lower()
            if name in _HIDDEN_TAGS:
                continue
            if name == "br":
                out.append("\n")
                continue
            if name in _CELL_TAGS:
                if not first_cell:
                    if out and out[-1].endswith(" "):
                        out[-1] = out[-1][:-1]
                    out.append(" | ")
                first_cell = False
                walk(child, in_pre)
                continue
            block = name in _BLOCK_TAGS
            if block:
                newline()
            walk(child, in_pre or name == "pre")
            if block:
                newline()

    walk(soup, False)
    lines = [line.strip(" \t") for line in "".join(out).split("\n")]
    text = _collapse_blank_lines("\n".join(lines)).strip("\n")
    return text + "\n" if text else ""
