"""The cue library is typed: every cue uses only the documented fields, with values of their type."""

import re
import typing

import pytest

from desk.term_cues import CUES, Cue

FIELDS = typing.get_type_hints(Cue)


@pytest.mark.parametrize("key", sorted(CUES))
def test_every_cue_uses_documented_fields_and_compiles(key):
    cue = CUES[key]
    assert set(cue) <= set(FIELDS), set(cue) - set(FIELDS)
    for name in ("measure", "resolve"):
        if name in cue:
            assert cue[name] in typing.get_args(FIELDS[name]), (name, cue[name])
    patterns = [*cue.get("anchors", []), *cue.get("skip", []), *cue.get("require", []), *cue.get("true", []), *cue.get("false", [])]
    patterns += [p for group in cue.get("options", {}).values() for p in group]
    patterns += [p for p, _value, _words in (*cue.get("dominant", []), *cue.get("fixed", []))]
    patterns += [cue[name] for name in ("near", "not_near", "other", "negated_before") if name in cue]
    for pattern in patterns:
        re.compile(pattern)
