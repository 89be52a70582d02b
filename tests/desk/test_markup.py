"""One escaping rule for the UI: text from a document, a user or a model is never markup."""

import pytest

from desk.markup import Html, element, escape, highlight, join, md, table

HOSTILE = '<img src=x onerror="alert(1)">'


def test_plain_strings_are_escaped_and_markup_the_desk_wrote_is_kept():
    assert escape(HOSTILE) == "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;"
    assert escape(Html("<b>ok</b>")) == "<b>ok</b>"
    assert join(["<i>", Html("<br>"), "&"]) == "&lt;i&gt;<br>&amp;"


def test_elements_and_tables_escape_every_cell_and_attribute():
    cell = element("td", HOSTILE, {"title": '" onmouseover="x'})
    assert "<img" not in cell and 'title="&quot; onmouseover=&quot;x"' in cell
    html = table(["Term", HOSTILE], [[element("b", HOSTILE), "<b>x</b>"]], {"id": "t"})
    assert html.count("<img") == 0 and "&lt;b&gt;x&lt;/b&gt;" in html and html.startswith('<table id="t">')
    with pytest.raises(ValueError):
        element("img src=x onerror=alert(1)", "")


def test_highlight_marks_the_span_and_escapes_the_text():
    text = "before <script>alert(1)</script> span after"
    start = text.index("span")
    shown = highlight(text, start, start + 4)
    assert "<script>" not in shown and "&lt;script&gt;" in shown
    assert '<mark style="background:#ffe08a">span</mark>' in shown


@pytest.mark.parametrize(
    ("text", "rendered_as_markup"),
    [("![x](http://evil.example/pixel.png)", "!["), ("[click](http://evil.example)", "]("), ("**bold**", "**"),
     ("x\n# Heading", "\n#"), ("<b>x</b>", "<b>")],
)
def test_markdown_text_is_escaped_so_nothing_renders_or_loads(text, rendered_as_markup):
    escaped = md(text)
    assert rendered_as_markup not in escaped
    assert escaped.replace("\\", "") == text  # a Markdown renderer shows the original characters
