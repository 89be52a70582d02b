"""Every shipped file the code reads is named in core/paths.py, and is there."""

import pytest

from core import paths


@pytest.mark.parametrize(
    "name", ["DEMO_DIR", "TAXONOMY_PATH", "CLAUSE_MODEL_PATH", "TOKENIZER_PATH", "DEALS_CSV", "FX_RATES", "TRAINING_DIR",
             "EVALUATION_DIR", "SEARCH_QUESTIONS_DIR", "PAGES_DIR"],
)
def test_shipped_paths_exist_inside_the_repository(name):
    path = getattr(paths, name)
    assert path.exists(), path
    assert paths.REPO_ROOT in path.parents
