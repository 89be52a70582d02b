"""Split contract text into clauses the way contracts are written.

A clause is the unit the desk classifies, cites and compares, so it should say
one thing (a numbered section or subsection, a definition, a recital, a
signature block) yet be large enough that a lawyer's highlighted passage sits
mostly inside one clause.  The segmenter therefore:

1. cuts the text into *blocks* at blank lines and at line starts that open a
   numbered unit (``1.``, ``1.1``, ``(a)``, ``(iv)``, ``Section 5``,
   ``ARTICLE V``), a heading line (ALL CAPS, or "Term and Termination."),
   ``WHEREAS`` or an exhibit/schedule marker; PDF text with hard-wrapped lines
   is handled because a wrapped line never starts a block unless it looks like
   one of those openers (or follows a line ending a sentence well short of the
   usual line width);
2. tracks the nearest enclosing heading for every block (what a reader sees
   above the clause), and folds a bare heading line into the clause it heads;
3. packs consecutive minor blocks (lettered items, plain paragraphs) of one
   section together while they stay short, and cuts over-long blocks at
   sentence ends, so clauses stay paragraph-sized.

Everything works on character offsets into the untouched input, so
``text[seg.start:seg.end]`` is always the clause text; segments are trimmed of
surrounding whitespace, ordered, non-overlapping and together cover every
non-whitespace character.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Segment", "segment", "MAX_CLAUSE_CHARS", "PACK_CHARS"]

# Minor blocks are packed together up to PACK_CHARS; a single block longer than
# MAX_CLAUSE_CHARS is cut at sentence ends into pieces of about PACK_CHARS.
PACK_CHARS = 900
MAX_CLAUSE_CHARS = 1600
HEADING_MAX_CHARS = 90


@dataclass(frozen=True)
class Segment:
    """One clause: ``text[start:end]`` of the segmented text."""

    heading: str
    start: int
    end: int
    level: int
    kind: str  # section | definition | recital | signature | exhibit | paragraph | title


_ROMAN = r"(?:x{0,3})(?:ix|iv|v?i{0,3})"
_ARTICLE_RE = re.compile(rf"(?:ARTICLE|Article|PART|Part)\s+(?:\d+|[IVXL]+|{_ROMAN.upper()}|[A-Z])\b\.?", re.UNICODE)
_SECTION_WORD_RE = re.compile(r"(?:SECTION|Section|§)\s*\d+(?:\.\d+)*[A-Za-z]?\.?(?=\s|$)")
_DOTTED_RE = re.compile(r"(\d{1,3}|[A-Z])((?:\.\d{1,3}){1,4})\.?(?=\s|$)")  # 1.1, 2.3.4, and exhibit paragraphs A.1
_NUMBER_RE = re.compile(r"(\d{1,3})[.)](?=\s)")
_PAREN_RE = re.compile(r"\(([a-zA-Z]{1,2}|\d{1,2}|[ivxlIVXL]{1,6})\)(?=\s)")
_LETTER_RE = re.compile(r"([a-zA-Z]|[ivxIVX]{1,5})[.)](?=\s)")
_EXHIBIT_RE = re.compile(r"(?:EXHIBIT|Exhibit|SCHEDULE|Schedule|ANNEX|Annex|APPENDIX|Appendix|ADDENDUM|Addendum|ATTACHMENT|Attachment)\s+[A-Z0-9][\w.-]*\s*$|(?:EXHIBIT|SCHEDULE|ANNEX|APPENDIX|ADDENDUM|ATTACHMENT)\b")
_WHEREAS_RE = re.compile(r"(?:WHEREAS|Whereas|RECITALS?|Recitals?\b|BACKGROUND\b)")
_SIGNATURE_RE = re.compile(r"IN WITNESS WHEREOF|In Witness Whereof|(?m:^\s*(?:By|Name|Title|Signature|Its)\s*:)")
_DEFINITION_RE = re.compile(r"^\s*(?:\(?[a-z0-9.]{1,6}\)?\s+)?[\"“”']{1,2}[A-Z][^\"“”\n]{0,80}[\"“”']{1,2}\s*(?:shall\s+(?:have|mean)|means|has\s+the\s+meaning|:|-|—|includes|refers)")
_SENTENCE_END_RE = re.compile(r"(?<=[.;:!?])[\"”')\]]*\s+(?=[\"“(]?[A-Z0-9])")


@dataclass
class _Block:
    start: int
    end: int
    opener: str  # "article" | "section" | "sub" | "item" | "heading" | "recital" | "exhibit" | "plain"
    level: int
    label: str  # the heading text this block contributes ("7. Exclusivity"), "" if none
    bare_heading: bool  # the block is only a heading line


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of each line without its newline."""
    out = []
    pos = 0
    n = len(text)
    while pos < n:
        nl = text.find("\n", pos)
        if nl < 0:
            out.append((pos, n))
            break
        out.append((pos, nl))
        pos = nl + 1
    return out


def _is_caps_heading(line: str) -> bool:
    """ALL CAPS short line such as 'TERM AND TERMINATION' or 'GRANT OF RIGHTS'."""
    s = line.strip()
    if not s or len(s) > HEADING_MAX_CHARS:
        return False
    letters = [c for c in s if c.isalpha()]
    if len(letters) < 3:
        return False
    upper = sum(1 for c in letters if c.isupper())
    return upper / len(letters) > 0.85 and not s.endswith(",")


_SMALL_WORDS = {"and", "or", "of", "the", "to", "in", "on", "for", "a", "an", "by", "with", "its", "from", "as", "at", "upon", "under", "not"}


def _is_title_heading(line: str) -> bool:
    """A short Title Case line such as 'Term and Termination.' standing alone."""
    s = line.strip().rstrip(".:")
    if not s or len(s) > 70 or s.endswith(","):
        return False
    words = re.findall(r"[A-Za-z][A-Za-z'’-]*", s)
    if not 1 <= len(words) <= 9:
        return False
    caps = sum(1 for w in words if w[0].isupper())
    small = sum(1 for w in words if w.lower() in _SMALL_WORDS and not w[0].isupper())
    return caps + small == len(words) and caps >= max(1, (len(words) + 1) // 2)


def _caption(rest: str) -> str:
    """The caption right after a number: '7. Exclusivity. Licensee shall' -> 'Exclusivity'."""
    s = rest.strip()
    if not s:
        return ""
    first_line = s.split("\n", 1)[0].strip()
    if _is_caps_heading(first_line) or (_is_title_heading(first_line) and len(first_line) < 60 and not first_line.rstrip().endswith(",")):
        # whole first line is the caption unless it is a long running sentence
        m = re.match(r"(.{2,80}?)(?:\.\s|:\s|\s{2,}|$)", first_line)
        cap = m.group(1) if m else first_line
        if _is_caps_heading(cap) or _is_title_heading(cap):
            return cap.strip().rstrip(".:")
    m = re.match(r"([A-Z][^.:\n]{1,80}?)[.:](?:\s|$)", s)
    if m and (_is_title_heading(m.group(1)) or _is_caps_heading(m.group(1))):
        return m.group(1).strip()
    m = re.match(r"([A-Z][A-Z0-9 ,;&'’/-]{2,80}?)(?:\s{2,}|\.\s|\n)", s)
    if m and _is_caps_heading(m.group(1)):
        return m.group(1).strip().rstrip(",;")
    return ""


_MARKDOWN_PREFIX_RE = re.compile(r"^(?:#{1,6}[ \t]+|>[ \t]*)+")
_MARKDOWN_EMPHASIS_RE = re.compile(r"(?<![*_])(?:\*\*|__)(?![*_])")  # bold markers, not "____" signature blanks


def _without_markup(line: str) -> str:
    """The line as a reader sees it: "## 2. Grant" is "2. Grant", "**2.1 Licence.** Helix" is "2.1 Licence. Helix".

    Only for recognising headings; offsets always index the original text."""
    return _MARKDOWN_EMPHASIS_RE.sub("", _MARKDOWN_PREFIX_RE.sub("", line.lstrip()))


def _classify_line(line: str) -> tuple[str, int, str, bool] | None:
    """Whether a line (without Markdown markup) opens a block, and how: (opener, level, label, bare)."""
    stripped = line.lstrip()
    if not stripped:
        return None
    body = stripped.rstrip()
    m = _ARTICLE_RE.match(stripped)
    if m:
        rest = stripped[m.end():]
        cap = _caption(rest.lstrip(" -–—:."))
        if not cap and rest.strip() and len(rest.strip()) < HEADING_MAX_CHARS:
            cap = rest.strip(" -–—:.")
        label = (m.group(0).rstrip(".") + (" " + cap if cap else "")).strip()
        bare = len(body) <= HEADING_MAX_CHARS + 12
        return ("article", 1, label, bare)
    m = _SECTION_WORD_RE.match(stripped)
    if m:
        rest = stripped[m.end():]
        cap = _caption(rest.lstrip(" -–—:."))
        label = (m.group(0).rstrip(".") + (" " + cap if cap else "")).strip()
        depth = m.group(0).count(".")
        return ("section", 2 if depth <= 1 else 3, label, _is_bare(body))
    m = _DOTTED_RE.match(stripped)
    if m and not re.match(r"\d+\.\d+\s*(?:%|percent|million|billion|per|days|years)", stripped):
        depth = m.group(2).count(".")
        cap = _caption(stripped[m.end():])
        label = (m.group(0).rstrip(".") + " " + cap).strip() if cap else ""
        return ("sub", 2 + depth, label, _is_bare(body))
    m = _NUMBER_RE.match(stripped)
    if m and int(m.group(1)) < 200:
        cap = _caption(stripped[m.end():])
        label = (m.group(1) + ". " + cap).strip() if cap else ""
        return ("section", 2, label, _is_bare(body))
    m = _PAREN_RE.match(stripped) or _LETTER_RE.match(stripped)
    if m:
        cap = _caption(stripped[m.end():])
        return ("item", 4, (m.group(0) + " " + cap).strip() if cap else "", _is_bare(body))
    if _EXHIBIT_RE.match(stripped) and len(body) <= HEADING_MAX_CHARS:
        return ("exhibit", 1, body.strip(), True)
    if stripped.upper().startswith("IN WITNESS"):
        return ("signature", 2, "", False)
    if _WHEREAS_RE.match(stripped):
        return ("recital", 3, "", len(body) <= 20)
    if _is_caps_heading(body):
        return ("heading", 2, body.strip().rstrip(".:"), True)
    if _is_title_heading(body) and not body.rstrip().endswith((",", ";")):
        return ("heading", 2, body.strip().rstrip(".:"), True)
    return None


def _markdown_heading(raw: str, clean: str, info: tuple[str, int, str, bool] | None) -> tuple[str, int, str, bool] | None:
    """A Markdown heading line ("## 8. Governing law") is a heading whatever its capitals: its caption
    is the label of what follows (a sentence-case caption is not recognised by its capitals alone)."""
    if not re.match(r"^\s*#{1,6}[ \t]+\S", raw):
        return info
    caption = clean.strip().rstrip(".:")
    if len(caption) > HEADING_MAX_CHARS + 12:
        return info
    if info is None:
        return ("heading", 2, caption, True)
    opener, level, label, _bare = info
    return (opener, level, label or caption, True)


def _is_bare(body: str) -> bool:
    """A numbered line that carries only a caption ('7. EXCLUSIVITY')."""
    s = re.sub(r"^\s*(?:\S+)\s*", "", body, count=1)
    return len(body) <= HEADING_MAX_CHARS and (_is_caps_heading(s) or _is_title_heading(s))


_PAGE_NO_RE = re.compile(r"^\s*(?:-\s*)?(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?(?:\s*-)?\s*$|^\s*[ivxIVX]{1,5}\s*$", re.IGNORECASE)


def _furniture(text: str, lines: list[tuple[int, int]]) -> set[str]:
    """Short lines repeated on many pages: running headers and footers."""
    counts: dict[str, int] = {}
    for ls, le in lines:
        key = re.sub(r"\d+", "#", text[ls:le].strip())
        if 0 < len(key) <= 100:
            counts[key] = counts.get(key, 0) + 1
    return {k for k, c in counts.items() if c >= 3 and not k.startswith(("#.", "(", "By", "Name", "Title", "Date"))}


def _blocks(text: str) -> list[_Block]:
    lines = _lines(text)
    furniture = _furniture(text, lines)
    widths = sorted(le - ls for ls, le in lines if le - ls > 20)
    typical = widths[int(len(widths) * 0.8)] if widths else 80
    blocks: list[_Block] = []
    cur: _Block | None = None
    prev_blank = True
    prev_len = 0
    prev_end_char = "."
    prev_is_heading = False
    for ls, le in lines:
        raw = text[ls:le]
        if not raw.strip():
            prev_blank = True
            continue
        if cur is not None and (_PAGE_NO_RE.match(raw) or re.sub(r"\d+", "#", raw.strip()) in furniture):
            cur.end = ls + len(raw.rstrip())  # page furniture stays with the clause it interrupts
            prev_blank = False
            continue
        clean = _without_markup(raw)
        info = _markdown_heading(raw, clean, _classify_line(clean))
        first = ls + (len(raw) - len(raw.lstrip()))
        last = ls + len(raw.rstrip())
        starts = False
        if info is not None and info[0] != "plain":
            # A wrapped line that happens to start with a number ("3. " inside a
            # sentence), a bare cross-reference ("5.1." after "Section"), or an
            # ALL CAPS line continuing an ALL CAPS sentence only opens a block if
            # the previous line ended a thought.
            mid_sentence = not prev_blank and prev_end_char not in ".:;!?)\"”" and not prev_is_heading
            after_number = re.sub(r"^\S+\s*", "", clean.strip(), count=1)
            if mid_sentence and (
                info[0] in ("item", "section", "heading")
                or (info[0] == "sub" and (not after_number or after_number[0].islower() or after_number[0] in ",;.)"))
            ):
                info = None
            else:
                starts = True
        if not starts and info is None:
            if prev_blank or cur is None:
                starts = True
            elif prev_end_char in ".:;!?\"”" and prev_len < 0.7 * typical and typical > 40:
                starts = True
            elif prev_is_heading:
                starts = True
        if starts:
            if cur is not None:
                blocks.append(cur)
            if info is None:
                cur = _Block(first, last, "plain", 5, "", False)
            else:
                opener, level, label, bare = info
                cur = _Block(first, last, opener, level, label, bare)
        else:
            assert cur is not None
            cur.end = last
            cur.bare_heading = False
        stripped = clean.strip()
        prev_end_char = stripped[-1] if stripped else "."
        prev_len = len(raw.rstrip())
        prev_is_heading = bool(info and info[3] and info[0] in ("heading", "article", "exhibit", "section", "sub"))
        prev_blank = False
    if cur is not None:
        blocks.append(cur)
    return blocks


def _split_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut an over-long block at sentence ends into pieces of about PACK_CHARS."""
    if end - start <= MAX_CLAUSE_CHARS:
        return [(start, end)]
    cuts = [start + m.end() for m in _SENTENCE_END_RE.finditer(text, start, end)]
    pieces: list[tuple[int, int]] = []
    s = start
    for c in cuts:
        if c - s >= PACK_CHARS and end - c >= 200:
            pieces.append((s, c))
            s = c
    pieces.append((s, end))
    out = []
    for a, b in pieces:
        # a sentence longer than the cap (tables, run-on lists): cut at line ends or spaces
        while b - a > 2 * MAX_CLAUSE_CHARS:
            cut = text.rfind("\n", a + PACK_CHARS, a + MAX_CLAUSE_CHARS)
            if cut < 0:
                cut = text.rfind(" ", a + PACK_CHARS, a + MAX_CLAUSE_CHARS)
            if cut < 0:
                cut = a + MAX_CLAUSE_CHARS
            out.append((a, cut))
            a = cut
        out.append((a, b))
    return [_trim(text, a, b) for a, b in out if text[a:b].strip()]


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    return a, b


def _kind_of(text: str, blk: _Block, heading: str, section_kind: str) -> str:
    chunk = _without_markup(text[blk.start:blk.end])
    if section_kind in ("exhibit", "signature"):
        return section_kind
    if _SIGNATURE_RE.search(chunk):
        return "signature"
    if blk.opener == "recital" or chunk.lstrip().startswith(("WHEREAS", "Whereas")):
        return "recital"
    if _DEFINITION_RE.match(chunk) or "definition" in heading.lower():
        return "definition"
    if blk.opener in ("article", "section", "sub"):
        return "section"
    return "paragraph"


def segment(text: str) -> list[Segment]:
    """Clauses of ``text`` in order; ``text[s.start:s.end]`` is each clause."""
    blocks = _blocks(text)
    if not blocks:
        return []
    segs: list[Segment] = []
    heading_stack: dict[int, str] = {}
    section_kind = ""  # sticky kinds: once in an exhibit or signature area
    seen_body = False
    pending: _Block | None = None  # a bare heading waiting for its body
    group: list[_Block] = []  # minor blocks being packed
    group_heading = ""
    group_level = 5
    group_area = ""  # the sticky area (exhibit, signature) the group started in

    def current_heading() -> str:
        return heading_stack[max(heading_stack)] if heading_stack else ""

    def flush_group() -> None:
        nonlocal group, group_area
        if not group:
            return
        start, end = group[0].start, group[-1].end
        kind = _kind_of(text, _Block(start, end, group[0].opener, group[0].level, "", False), group_heading, group_area)
        if kind == "paragraph" and not seen_body_before(start):
            kind = "title"
        for a, b in _split_long(text, start, end):
            segs.append(Segment(group_heading, a, b, group_level, kind))
        group = []

    first_section_start = next((b.start for b in blocks if b.opener in ("article", "section", "sub")), len(text))

    def seen_body_before(pos: int) -> bool:
        return pos >= first_section_start or seen_body

    for blk in blocks:
        chunk = text[blk.start:blk.end]
        if section_kind == "signature" and blk.opener in ("article", "section", "heading") and not _SIGNATURE_RE.search(chunk):
            section_kind = ""  # a signature page on the cover: the terms that follow are still operative
        if blk.opener in ("article", "exhibit", "heading", "section", "sub") and blk.label:
            lvl = blk.level
            if blk.opener == "exhibit" and seen_body_before(blk.start):
                section_kind = "exhibit"  # an exhibit marker atop the filing is only its title
                heading_stack = {}
            elif blk.opener == "heading" and _SIGNATURE_RE.search(chunk):
                section_kind = "signature"
            label = re.sub(r"\s+", " ", blk.label)[:120]
            if blk.opener == "heading" and pending is not None and _ARTICLE_RE.fullmatch(pending.label or ""):
                lvl, label = pending.level, f"{pending.label} {label}"  # "ARTICLE 5" over "TERM"
            elif blk.opener == "heading":
                lvl = 1 if not any(k == 1 for k in heading_stack) or heading_stack.get(1, "").isupper() and not _ARTICLE_RE.match(heading_stack.get(1, "")) else 2
            for k in [k for k in heading_stack if k >= lvl]:
                del heading_stack[k]
            if blk.opener != "exhibit" or seen_body_before(blk.start):
                heading_stack[lvl] = label
        elif blk.opener in ("section", "sub", "article"):
            for k in [k for k in heading_stack if k > blk.level]:
                del heading_stack[k]
        major = blk.opener in ("article", "section", "heading", "exhibit", "recital", "signature") or (blk.opener == "sub" and blk.level <= 3)
        if blk.bare_heading and blk.end - blk.start <= HEADING_MAX_CHARS + 12:
            flush_group()
            if pending is None:
                pending = _Block(blk.start, blk.end, blk.opener, blk.level, blk.label, True)
            else:
                pending.end = blk.end  # stacked headings ("ARTICLE 5" then "TERM")
            continue
        if pending is not None:
            blk = _Block(pending.start, blk.end, pending.opener if major is False else blk.opener, min(pending.level, blk.level), blk.label, False)
            pending = None
            major = True
        size = (group[-1].end - group[0].start) if group else 0
        if major or not group or size + (blk.end - blk.start) > PACK_CHARS:
            flush_group()
            if section_kind != "exhibit" and re.search(r"IN WITNESS WHEREOF|In Witness Whereof", chunk):
                section_kind = "signature"
            group = [blk]
            group_area = section_kind
            group_heading = current_heading()
            group_level = blk.level if blk.opener != "plain" else max(heading_stack or {1: ""}) + 1
        else:
            group.append(blk)
        if blk.opener in ("section", "sub", "article", "recital"):
            seen_body = True
    flush_group()
    if pending is not None:
        segs.append(Segment(current_heading(), pending.start, pending.end, pending.level, section_kind or "title"))
    return segs
