"""The clause taxonomy: CUAD's 41 categories spelled as CUAD spells them, plus the desk's AI-data ones."""

import json

import pytest

from core.errors import BadInputError
from core.taxonomy import load_categories, load_taxonomy
from tests.conftest import SHARED_DATA


def test_cuad_categories_are_all_there_with_descriptions():
    taxonomy = load_taxonomy()
    cuad = json.loads((SHARED_DATA / "cuad" / "categories.json").read_text(encoding="utf-8"))
    names = [c["category"] for c in cuad["categories"]]
    assert len(names) == 41 and set(names) <= set(taxonomy)
    assert {"AI Training Use", "Data Deletion And Unlearning", "Member Opt-Out"} <= set(taxonomy)
    assert all(description.strip() for description in taxonomy.values())
    assert {c["source"] for c in load_categories()} == {"cuad", "desk"}


@pytest.mark.parametrize(
    ("content", "reason"),
    [("{", "invalid JSON"), ('{"categories": []}', "non-empty"), ('{"categories": [{"name": "A"}]}', "needs string"),
     ('{"categories": [' + '{"name": "A", "description": "d", "source": "desk"},' * 2 + '{"name": "B", "description": "d", "source": "desk"}]}', "twice")],
)
def test_a_damaged_taxonomy_file_is_one_clear_error(tmp_path, content, reason):
    path = tmp_path / "categories.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(BadInputError, match=reason):
        load_taxonomy(path)
