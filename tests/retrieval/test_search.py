"""Hybrid search over real CUAD contracts stored in a temporary Chroma store."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import numpy as np
import pytest

from core.domain import CategoryScore, Clause, Document, Page
from retrieval.embed import MiniLMEmbedder
from retrieval.search import BM25Index, HybridSearcher, SearchHit, tokenize
from retrieval.store import ClauseStore

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data"
# Four short CUAD train contracts (by exact title) that each have a labelled Governing Law clause.
CONTRACTS = {
    "LejuHoldingsLtd_20140121_DRS (on F-1)_EX-10.26_8473102_EX-10.26_Content License Agreement2": ("leju", "comparable"),
    "TICKETSCOMINC_06_22_1999-EX-10.22-SPONSORSHIP AGREEMENT": ("tickets", "comparable"),
    "PACIFICSYSTEMSCONTROLTECHNOLOGYINC_08_24_2000-EX-10.53-SPONSORSHIP AGREEMENT": ("pacific", "proposal"),
    "VERSOTECHNOLOGIESINC_12_28_2007-EX-99.3-INTELLECTUAL PROPERTY AGREEMENT": ("verso", "comparable"),
}


def cuad_document(record: dict, deal: str, kind: str) -> tuple[Document, list[Clause]]:
    """Paragraph clauses (blank-line split, long ones by line) labelled with CUAD's gold categories."""
    text = record["text"]
    doc_id = hashlib.sha256(text.encode()).hexdigest()
    document = Document(id=doc_id, title=record["title"], kind=kind, text=text, pages=(Page(1, 0, len(text)),), deal=deal, format="txt")
    gold = [(c["answer_start"], c["answer_start"] + len(c["answer_text"]), c["category"]) for c in record["clauses"]]
    clauses = []
    for block in re.finditer(r"\S(?:.|\n(?!\s*\n))*", text):
        lines = [block] if len(block.group()) <= 1200 else list(re.finditer(r"[^\n]*\S", block.group()))
        for piece in lines:
            start = block.start() + (piece.start() if piece is not block else 0)
            end = start + len(piece.group())
            if end - start < 20:
                continue
            names = sorted({cat for s, e, cat in gold if s < end and e > start})
            clauses.append(
                Clause(id=f"{doc_id[:16]}:{start}-{end}", document_id=doc_id, heading="", text=text[start:end], page=1,
                       start=start, end=end, categories=tuple(CategoryScore(n, 1.0) for n in names))
            )
    return document, clauses


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[HybridSearcher, dict[str, tuple[Document, list[Clause]]]]:
    documents = {}
    with open(DATA / "cuad" / "cuad_train.jsonl") as handle:
        for line in handle:
            record = json.loads(line)
            if record["title"] in CONTRACTS:
                deal, kind = CONTRACTS[record["title"]]
                documents[deal] = cuad_document(record, deal, kind)
    assert set(documents) == {deal for deal, _ in CONTRACTS.values()}, "CUAD contracts for the search tests are missing"
    store = ClauseStore(tmp_path_factory.mktemp("chroma"), embedder=MiniLMEmbedder())
    for document, clauses in documents.values():
        store.add_clauses(document, clauses)
    return HybridSearcher(store), documents


def test_governing_law_question_finds_the_gold_clause(corpus) -> None:
    searcher, documents = corpus
    hits = searcher.search("which law governs this agreement", k=10)
    assert any("Governing Law" in h.categories for h in hits[:3])
    for document, _ in documents.values():
        per_document = searcher.search("which law governs this agreement", k=3, document_id=document.id)
        assert any("Governing Law" in h.categories for h in per_document), document.title


@pytest.mark.parametrize(
    "question, category",
    [
        ("when does this agreement expire and how long is the term", "Expiration Date"),
        ("can a party assign this agreement to someone else", "Anti-Assignment"),
        ("is there a limit on the amount of damages a party can recover", "Cap On Liability"),
    ],
)
def test_category_questions_rank_a_labelled_clause_high(corpus, question: str, category: str) -> None:
    searcher, documents = corpus
    labelled = {c.id for _, clauses in documents.values() for c in clauses if category in c.category_names}
    assert labelled, f"no {category} clause in the test contracts"
    assert any(h.clause_id in labelled for h in searcher.search(question, k=5))


def test_hits_carry_provenance_and_both_rankings(corpus) -> None:
    searcher, documents = corpus
    texts = {d.id: d.text for d, _ in documents.values()}
    hits = searcher.search("governed by the laws of the State of New York", k=10)
    assert len(hits) == 10 and isinstance(hits[0], SearchHit)
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    assert all(texts[h.document_id][h.start : h.end] == h.text for h in hits)
    assert all(h.dense_rank is not None or h.lexical_rank is not None for h in hits)
    assert any(h.dense_rank and h.lexical_rank for h in hits)
    weights = (searcher.dense_weight, searcher.lexical_weight, searcher.category_weight)
    for hit in hits:  # weighted reciprocal rank fusion with k=60
        ranks = (hit.dense_rank, hit.lexical_rank, hit.category_rank)
        assert hit.score == pytest.approx(sum(w / (60 + r) for w, r in zip(weights, ranks) if r is not None))
        assert set(hit.matched_categories) <= set(hit.categories)
        assert (hit.category_rank is not None) == bool(hit.matched_categories)


def test_filters_apply_to_both_rankings(corpus) -> None:
    searcher, documents = corpus
    hits = searcher.search("payment and fees", k=20, deal="tickets")
    assert hits and {h.deal for h in hits} == {"tickets"}
    proposal = searcher.search("termination", k=20, kind="proposal")
    assert proposal and {h.kind for h in proposal} == {"proposal"}
    governing = searcher.search("notices shall be in writing", k=20, category="Governing Law")
    assert governing and all("Governing Law" in h.categories for h in governing)
    assert len(governing) == sum("Governing Law" in c.category_names for _, cs in documents.values() for c in cs)
    assert searcher.search("termination", category="No Such Category") == []


def test_lexical_index_is_rebuilt_when_the_store_changes(tmp_path: Path) -> None:
    from retrieval.embed import HashingEmbedder

    store = ClauseStore(tmp_path / "chroma", embedder=HashingEmbedder())
    searcher = HybridSearcher(store)
    text = "The escrow agent releases the source code on insolvency."
    doc = Document(id="e" * 64, title="escrow", kind="comparable", text=text, pages=(Page(1, 0, len(text)),), deal="x")
    assert searcher.search("escrow") == []
    store.add_clauses(doc, [Clause(id="e:0", document_id=doc.id, heading="", text=text, page=1, start=0, end=len(text))])
    (hit,) = searcher.search("escrow")
    assert hit.clause_id == "e:0" and hit.lexical_rank == 1 and hit.dense_rank == 1


def test_bm25_matches_the_okapi_formula() -> None:
    texts = ["royalty royalty fee", "fee schedule", "exclusive licence grant"]
    index = BM25Index(k1=1.5, b=0.75).fit(texts)
    lengths = np.array([3, 2, 3])
    n, df = 3, 1  # "royalty" occurs in one document
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
    tf = 2
    expected = idf * tf * 2.5 / (tf + 1.5 * (1 - 0.75 + 0.75 * 3 / lengths.mean()))
    scores = index.scores("Royalty?")
    assert scores[0] == pytest.approx(expected, rel=1e-5)
    assert scores[1] == 0 and scores[2] == 0
    assert index.scores("the of and").sum() == 0  # stopwords only
    assert tokenize("The Licensee's FEES, 5%") == ["license", "fee", "5"]
    assert tokenize("governed by the laws") == tokenize("governs law") == ["govern", "law"]
    assert tokenize("termination")[0] == tokenize("terminates")[0]
    assert tokenize("parties")[0] == tokenize("party")[0] and tokenize("licensed")[0] == tokenize("licensing")[0]


def test_exact_filtered_dense_scan_agrees_with_chroma_where_filter(corpus) -> None:
    searcher, documents = corpus
    via_chroma = HybridSearcher(searcher.store, exact_filtered=False)
    for facets in ({"category": "Governing Law"}, {"deal": "tickets"}, {"kind": "proposal", "deal": "pacific"}):
        ours = searcher.search("termination of the agreement", k=5, **facets)
        theirs = via_chroma.search("termination of the agreement", k=5, **facets)
        assert ours and {h.clause_id for h in ours} == {h.clause_id for h in theirs}, facets
        assert [h.dense_rank is not None for h in ours] == [h.dense_rank is not None for h in theirs]


def test_writes_by_another_client_are_seen_through_the_record_count(tmp_path: Path) -> None:
    from retrieval.embed import HashingEmbedder

    embedder = HashingEmbedder()
    reader = HybridSearcher(ClauseStore(tmp_path / "chroma", embedder=embedder), recheck_seconds=0.0)
    writer = ClauseStore(tmp_path / "chroma", embedder=embedder)  # another workbench: its own generation counter
    assert reader.search("royalty") == []
    text = "Licensee pays a royalty of four percent."
    doc = Document(id="r" * 64, title="r", kind="comparable", text=text, pages=(Page(1, 0, len(text)),), deal="y")
    writer.add_clauses(doc, [Clause(id="r:0", document_id=doc.id, heading="", text=text, page=1, start=0, end=len(text))])
    assert [h.clause_id for h in reader.search("royalty")] == ["r:0"]


def test_questions_are_routed_to_taxonomy_categories_or_to_none() -> None:
    from retrieval.route import CategoryRouter

    embedder = MiniLMEmbedder()
    router = CategoryRouter.from_taxonomy(embedder)

    def route(question: str) -> list[str]:
        return [r.name for r in router.route(embedder.embed([question])[0])]

    assert route("can either party end the contract at any time on notice?")[0] == "Termination For Convenience"
    assert route("which law governs this agreement")[0] == "Governing Law"
    assert route("what is the weather in Paris tomorrow") == []
    routes = router.route(embedder.embed(["is consent needed to assign the agreement?"])[0])
    assert sum(r.weight for r in routes) == pytest.approx(1.0)


def test_category_ranking_brings_the_classified_clause_first(corpus) -> None:
    """A question about a category ranks the clauses carrying it; without the category
    ranking, words and meaning alone put something else first in at least one contract."""
    searcher, documents = corpus
    question = "which state's law applies?"
    plain = HybridSearcher(searcher.store, category_weight=0.0)
    misses_without = 0
    for document, _ in documents.values():
        hits = searcher.search(question, k=3, document_id=document.id)
        assert "Governing Law" in hits[0].categories, document.title
        assert hits[0].matched_categories == ("Governing Law",) and hits[0].category_rank == 1
        first = plain.search(question, k=1, document_id=document.id)[0]
        misses_without += "Governing Law" not in first.categories and first.category_rank is None
    assert misses_without >= 1
