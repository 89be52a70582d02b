"""The one escaping rule of the UI: text from a document, a user or a model is never markup.

A clause heading, a decision reason, a deal name or an LLM's answer can hold
``<img src=x onerror=…>`` or ``![](http://…)``; shown as HTML or Markdown it
would run script or make the browser fetch from elsewhere. So pages never
build HTML from strings themselves:

* :class:`Html` marks markup the desk itself wrote; :func:`escape` turns any
  other value into ``Html`` by escaping it; :func:`element` and :func:`table`
  escape every piece that is not already ``Html``. Forgetting to escape is
  then safe: a plain ``str`` is always escaped.
* :func:`md` escapes text for ``st.markdown`` (which renders no raw HTML but
  does render links, images and emphasis), so document text reads literally.

Streamlit is not imported here; pages pass the result to ``st.html`` or
``st.markdown``.
"""

from __future__ import annotations

import html as _html
import re
from collections.abc import Iterable, Mapping, Sequence


class Html(str):
    """Markup the desk wrote itself (already safe to show as HTML)."""


def escape(value: object) -> Html:
    """``value`` as HTML text: markup as-is when it is already :class:`Html`, escaped otherwise."""
    if isinstance(value, Html):
        return value
    return Html(_html.escape("" if value is None else str(value), quote=True))


def join(parts: Iterable[object], separator: str = "") -> Html:
    """Pieces joined into one fragment, each escaped unless it is :class:`Html`."""
    return Html(escape(separator).join(escape(p) for p in parts))


def element(tag: str, content: object = "", attrs: Mapping[str, object] | None = None) -> Html:
    """``<tag attrs>content</tag>`` with the content and every attribute value escaped."""
    if not re.fullmatch(r"[a-z][a-z0-9]*", tag):
        raise ValueError(f"not a tag name: {tag!r}")
    attributes = "".join(f' {name}="{escape(value)}"' for name, value in (attrs or {}).items() if value is not None)
    return Html(f"<{tag}{attributes}>{escape(content)}</{tag}>")


def table(
    headers: Sequence[object], rows: Iterable[Sequence[object]], attrs: Mapping[str, object] | None = None,
    header_style: str = "text-align:left;border-bottom:2px solid #ddd",
) -> Html:
    """An HTML table; every cell is escaped unless it is :class:`Html` the page built from escaped parts."""
    head = element("tr", join(element("th", h) for h in headers), {"style": header_style})
    body = join(element("tr", join(element("td", cell) for cell in row)) for row in rows)
    return element("table", join([element("thead", head), element("tbody", body)]), attrs)


_MARKDOWN_SPECIALS = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~$])")


def md(text: object) -> str:
    """Text for ``st.markdown`` that renders literally: no emphasis, links, images or headings from it."""
    return _MARKDOWN_SPECIALS.sub(r"\\\1", "" if text is None else str(text))


def highlight(text: str, start: int, end: int, context: int = 1200) -> Html:
    """``text`` around [start, end) with that span marked, in a scrolling box; everything escaped."""
    lo, hi = max(0, start - context), min(len(text), end + context)
    body = join(
        [
            "…" if lo > 0 else "",
            text[lo:start],
            element("mark", text[start:end], {"style": "background:#ffe08a"}),
            text[end:hi],
            "…" if hi < len(text) else "",
        ]
    )
    style = ("white-space:pre-wrap;font-family:Georgia,serif;font-size:0.92rem;max-height:420px;overflow:auto;"
             "border:1px solid #ddd;padding:0.8rem;border-radius:6px")
    return element("div", body, {"style": style})
