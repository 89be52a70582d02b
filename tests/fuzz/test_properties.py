"""Properties that hold for any input, found by hypothesis: the readers, segmentation, values, the mandate loader.

``make test`` runs a short, derandomised pass (60 examples a property);
``make fuzz`` runs 3,000 random examples a property. A failure is a bug: the
only exception bad input may raise is the desk's own one-line error.
"""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from core.errors import BadInputError, MandateError
from desk.mandate import parse_mandate
from retrieval.readers import read_bytes
from retrieval.segment import segment
from retrieval.values import extract_values

CONTRACTISH = st.text(
    alphabet=st.sampled_from(list(string.ascii_letters + string.digits + " \n\t.,;:()[]$%-\"'") + ["§", "€", "\u200b", "\u202e", "é", "\r"]),
    max_size=3000,
)
FORMATS = st.sampled_from(["a.txt", "a.md", "a.html", "a.pdf", "a.docx", "a.doc", "a"])


@given(data=st.binary(max_size=4000), name=FORMATS)
def test_any_bytes_read_or_refused_in_one_line(data, name):
    try:
        document = read_bytes(data, name)
    except BadInputError as exc:
        assert "\n" not in exc.reason
        return
    assert document.text.strip() and document.pages
    assert document.pages[0].start == 0 and document.pages[-1].end == len(document.text)


@given(text=CONTRACTISH)
def test_text_files_keep_their_text_exactly(text):
    data = text.encode("utf-8")
    try:
        document = read_bytes(data, "contract.txt")
    except BadInputError:
        return
    assert document.text == text


@given(text=CONTRACTISH)
def test_segments_are_ordered_spans_of_the_text(text):
    previous_end = 0
    for seg in segment(text):
        assert previous_end <= seg.start < seg.end <= len(text)
        previous_end = seg.end


@given(text=CONTRACTISH, offset=st.integers(min_value=0, max_value=10_000))
def test_values_point_at_their_own_words(text, offset):
    for value in extract_values(text, offset=offset):
        assert offset <= value.start < value.end <= offset + len(text)
        assert text[value.start - offset : value.end - offset] == value.text


TOML_PIECES = st.sampled_from([
    "[collective]\n", 'name = "T"\n', 'sector = "news"\n', "members = 3\n", "[[terms]]\n", 'key = "fee"\n',
    'label = "Fee"\n', 'kind = "number"\n', 'categories = ["Compensation"]\n', "preferred = 10\n", "acceptable = 5\n",
    "walk_away = 1\n", "weight = 1.0\n", 'direction = "higher"\n', "members = 1" + "0" * 30 + "\n", "x = [[[[[[]]]]]]\n",
    'fallback = "{value}"\n', "preferred = inf\n", "weight = nan\n", '"\n', "= =\n", "kind = 3\n",
])


@given(pieces=st.lists(TOML_PIECES, max_size=30))
def test_the_mandate_loader_accepts_or_names_the_problem(pieces):
    try:
        mandate = parse_mandate("".join(pieces))
    except MandateError as exc:
        assert exc.subject and exc.reason
        return
    assert mandate.terms and abs(sum(t.weight for t in mandate.terms) - 1) < 1e-6
