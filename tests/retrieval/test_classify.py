"""The shipped clause model: loads fast, finds the obvious on real contracts, knows AI-deal clauses."""

from __future__ import annotations

import json
import time
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

from core.domain import CategoryScore
from core.errors import DeskError
from retrieval.classify import DEFAULT_MODEL_PATH, ClauseClassifier
from retrieval.segment import segment

SHARED_DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
CUAD = SHARED_DATA / "cuad" / "cuad_train.jsonl"


@lru_cache(maxsize=1)
def model() -> ClauseClassifier:
    return ClauseClassifier.load()


@lru_cache(maxsize=1)
def sample_contracts() -> list[dict]:
    """Five real contracts spread over the file (the shipped model saw them in training:
    these check wiring and obvious cases; held-out quality is bench/eval_clauses.py's job)."""
    with open(CUAD, encoding="utf-8") as fh:
        docs = [json.loads(line) for line in fh]
    return [docs[i] for i in (3, 97, 181, 263, 349)]


def test_artifact_is_small_and_loads_fast():
    assert DEFAULT_MODEL_PATH.exists()
    assert DEFAULT_MODEL_PATH.stat().st_size < 8_000_000
    t0 = time.perf_counter()
    clf = ClauseClassifier.load()
    assert time.perf_counter() - t0 < 1.0
    assert len(clf.categories_) == 51
    assert {"Governing Law", "Parties", "AI Training Use", "Retrieval And Display Use"} <= set(clf.categories_)
    assert np.all((clf.clause_thresholds_ > 0) & (clf.clause_thresholds_ < 1))


def test_missing_artifact_is_a_desk_error(tmp_path):
    with pytest.raises(DeskError):
        ClauseClassifier.load(tmp_path / "nope.npz")


def test_governing_law_and_front_matter_found_on_real_contracts():
    clf = model()
    for d in sample_contracts():
        text = d["text"]
        segs = segment(text)
        labels = clf.classify_segments(text, segs)
        assert len(labels) == len(segs)
        assert all(isinstance(c, CategoryScore) and 0 <= c.score <= 1 for cs in labels for c in cs)
        found = {c.name for cs in labels for c in cs}
        assert "Parties" in found and "Document Name" in found, d["title"]
        gold_gov = [g for g in d["clauses"] if g["category"] == "Governing Law"]
        for g in gold_gov:
            a = g["answer_start"]
            i = next(i for i, s in enumerate(segs) if s.start <= a < s.end)
            assert "Governing Law" in {c.name for c in labels[i]}, (d["title"], g["answer_text"][:80])


def test_probabilities_are_ordered_best_first():
    d = sample_contracts()[0]
    for cs in model().classify_segments(d["text"], segment(d["text"])):
        scores = [c.score for c in cs]
        assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("text,heading,expected", [
    ("Licensee shall not use the Licensed Content to train, fine-tune or otherwise develop any machine learning model.",
     "4. Restrictions", "AI Training Use"),
    ("Upon expiry of the Term, the Licensee shall permanently delete the Dataset and all copies from its systems and "
     "shall not use any model trained on the Dataset thereafter.", "Effect of Termination", "Data Deletion And Unlearning"),
    ("The Licensee may show short excerpts of Publisher articles in its chatbot answers, with a link to the source page.",
     "Display", "Retrieval And Display Use"),
    ("This Agreement shall be governed by and construed in accordance with the laws of the State of New York.",
     "12. Miscellaneous", "Governing Law"),
])
def test_handwritten_clauses(text, heading, expected):
    (labels,) = model().predict([text], [heading])
    assert expected in [c.name for c in labels], labels


def test_ordinary_boilerplate_is_not_ai_training():
    (labels,) = model().predict(["All notices under this Agreement shall be in writing and delivered by courier."], ["Notices"])
    assert "AI Training Use" not in [c.name for c in labels]


def test_calibration_recovers_a_known_curve():
    """Out-of-fold logits whose true probability is sigmoid(2z + 1): the fitted
    Platt curve finds that slope and intercept, so reported scores mean what they say."""
    from retrieval.train import fit_calibration

    rng = np.random.RandomState(0)
    z = rng.normal(0, 2, size=(40_000, 2)).astype(np.float32)
    y = np.zeros_like(z, dtype=bool)
    y[:, 0] = rng.uniform(size=len(z)) < 1 / (1 + np.exp(-(2 * z[:, 0] + 1)))
    y[0, 1] = True  # one positive is too few to fit: that category is left as it is
    cal = fit_calibration(z, y)
    assert cal[0, 0] == pytest.approx(2.0, abs=0.1) and cal[0, 1] == pytest.approx(1.0, abs=0.1)
    assert tuple(cal[1]) == (1.0, 0.0)


def test_shipped_model_is_calibrated_and_round_trips(tmp_path):
    clf = model()
    assert clf.calibration_.shape == (len(clf.categories_), 2)
    assert np.all(clf.calibration_[:, 0] > 0)  # monotone: calibration never reorders clauses
    again = ClauseClassifier.load(clf.save(tmp_path / "m.npz"))
    d = sample_contracts()[1]
    segs = segment(d["text"])
    assert again.classify_segments(d["text"], segs) == clf.classify_segments(d["text"], segs)


def test_ai_categories_fire_inside_a_whole_contract():
    """The AI examples are single clauses; a model trained on them as they are learned that
    *having no neighbours* marks an AI clause, and scored the demo proposal's training
    licence 0.02. In its document, among its neighbours, it must be found."""
    from desk.ingest import analyse
    from retrieval.readers import read_document

    proposal = read_document(Path(__file__).resolve().parents[2] / "data" / "demo" / "proposal.pdf", kind="proposal", title="p")
    by_section = {c.heading.split(" ")[0]: set(c.category_names) for c in analyse(proposal)}
    assert "AI Training Use" in by_section["2.1"]
    assert "Usage Reporting" in by_section["8.1"]
    assert "Data Security" in by_section["10.1"]
    assert not any(name in by_section["17.1"] for name in ("AI Training Use", "Data Security", "Usage Reporting"))


def test_ai_categories_on_a_held_out_contract():
    """A licence written for the tests and never trained on (data/evaluation): at least seven of its
    eleven AI-category labels found (the model card's figure), and none on its boilerplate."""
    from retrieval.train import AI_CATEGORIES

    data = Path(__file__).resolve().parents[2] / "data" / "evaluation"
    labels = json.loads((data / "ai_holdout_labels.json").read_text())["sections"]
    text = (data / "ai_holdout_licence.md").read_text()
    segments = segment(text)
    found, extra = 0, []
    for seg, scores in zip(segments, model().classify_segments(text, segments)):
        section = seg.heading.split(" ")[0]
        predicted = {s.name for s in scores if s.name in AI_CATEGORIES}
        if section in labels:
            found += len(predicted & set(labels[section]))
            extra += [(section, name) for name in predicted - set(labels[section])]
    assert found >= 7
    assert len(extra) <= 2
    assert not [e for e in extra if e[0].startswith("10.")]
