"""Hybrid clause search: BM25, dense vectors and clause categories, fused by reciprocal rank.

Dense retrieval finds clauses that say the same thing in other words ("which
law governs" -> "construed in accordance with the laws of Delaware"); BM25
finds the exact terms a lawyer types ("MFN", "escrow"). The third ranking is
the classifier's: a question about a category (:mod:`retrieval.route`) ranks
the clauses scored for it, which neither words nor general-purpose
embeddings find reliably ("can they walk away without a reason?"). Weighted
reciprocal rank fusion (Cormack et al. 2009, k=60) combines the rankings
without calibrating their scores against each other. Facet filters
(category, deal, kind, document) apply to every side before ranking, never
after, so a filtered search still returns ``k`` hits when ``k`` exist.

The BM25 index is a scipy sparse matrix of precomputed per-term weights, so a
query is a sum of a few sparse columns: milliseconds over 100k clauses. It is
rebuilt from the store when the store's record count (or this process's
write generation) changes, from the store's on-disk snapshot of its records
when no write has happened since (``ClauseStore.snapshot``).
"""

from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from scipy import sparse

from core.domain import FLATTEN, Located, Location, Serializable
from retrieval.route import CategoryRouter, RoutedCategory
from retrieval.store import CATEGORY_SEPARATOR, ClauseStore, build_where

RRF_K = 60
# The category ranking counts three times as much as each of the other two. Measured
# by bench/search_quality.py (82 questions on 60 CUAD contracts): within-contract MRR
# 0.50 -> 0.70. The category ranking alone scores higher still on those questions, but
# a question routed nowhere, or a search for a name or a defined term, needs the others.
CATEGORY_WEIGHT = 3.0
_TOKEN = re.compile(r"[a-z0-9]+")
# Function words carry no signal in contracts and their postings are huge.
_STOPWORDS = frozenset(
    "a an and are as at be by for from has have he her his i if in into is it its of on or our she "
    "that the their them then there these they this those to was we were which who will with you your "
    "shall may such any all s".split()
)


_SUFFIXES = ("ations", "ation", "ities", "ity", "ings", "ing", "edly", "ed", "ies", "es", "s", "ly")
_REPLACEMENTS = {"ations": "at", "ation": "at", "ies": "y"}


def stem(token: str) -> str:
    """A deliberately light suffix stripper: "governs"/"governed"/"governing"
    -> "govern", "laws" -> "law", "licenses"/"licensed"/"licensing" -> "licens",
    "parties" -> "party".

    It only has to make a clause and a question about it share terms; a full
    Porter stemmer would be another dependency for little gain on contracts.
    """
    if token.isdigit() or len(token) <= 3:
        return token
    for suffix in _SUFFIXES:
        if token.endswith(suffix) and len(token) - len(suffix) >= 3:
            if suffix == "s" and token.endswith(("ss", "us", "is")):
                continue
            token = token[: -len(suffix)] + _REPLACEMENTS.get(suffix, "")
            break
    if len(token) > 4 and token.endswith("e"):
        token = token[:-1]
    return token


_STEMS: dict[str, str] = {}


def tokenize(text: str) -> list[str]:
    """Lower-cased, lightly stemmed word tokens without function words, for BM25."""
    stems = _STEMS  # memoised: contracts reuse a small vocabulary, so indexing 100k clauses stays fast
    out = []
    for token in _TOKEN.findall(text.lower()):
        if token in _STOPWORDS:
            continue
        stemmed = stems.get(token)
        if stemmed is None:
            stemmed = stem(token)
            if len(stems) < 500_000:  # bounded: numbers and typos would otherwise grow it forever
                stems[token] = stemmed
        out.append(stemmed)
    return out


@dataclass(frozen=True)
class SearchHit(Located, Serializable):
    """A stored clause that answers a query, with where it is and how each ranking placed it."""

    clause_id: str
    location: Location = field(metadata=FLATTEN)
    deal: str = ""
    kind: str = ""
    text: str = ""
    categories: tuple[str, ...] = ()
    score: float = 0.0
    dense_rank: int | None = None
    lexical_rank: int | None = None
    category_rank: int | None = None
    matched_categories: tuple[str, ...] = ()  # the question's categories that this clause carries
    document_title: str = ""  # filled in by the desk, which knows the catalogue


class BM25Index:
    """Okapi BM25 over a fixed corpus, as a sparse (docs x terms) weight matrix.

    Parameters follow the usual defaults (k1=1.5, b=0.75); idf is the
    non-negative Lucene variant, so very common terms add little but never
    subtract.
    """

    def __init__(self, k1: float = 1.5, b: float = 0.75):
        self.k1 = k1
        self.b = b

    def fit(self, texts: list[str]) -> "BM25Index":
        vocabulary: dict[str, int] = {}
        rows: list[int] = []
        cols: list[int] = []
        lengths = np.zeros(len(texts), dtype=np.float32)
        for row, text in enumerate(texts):
            tokens = tokenize(text)
            lengths[row] = len(tokens)
            for token in tokens:
                cols.append(vocabulary.setdefault(token, len(vocabulary)))
            rows.extend([row] * len(tokens))
        shape = (len(texts), max(1, len(vocabulary)))
        tf = sparse.csr_matrix(
            (np.ones(len(cols), dtype=np.float32), (np.array(rows, dtype=np.int64), np.array(cols, dtype=np.int64))),
            shape=shape,
        )
        tf.sum_duplicates()
        doc_freq = np.bincount(tf.indices, minlength=shape[1]).astype(np.float32)
        n = max(1, len(texts))
        self.idf_ = np.log1p((n - doc_freq + 0.5) / (doc_freq + 0.5)).astype(np.float32)
        average = float(lengths.mean()) if len(texts) and lengths.mean() > 0 else 1.0
        norm = self.k1 * (1.0 - self.b + self.b * lengths / average)
        row_of_entry = np.repeat(np.arange(shape[0]), np.diff(tf.indptr))
        data = tf.data * (self.k1 + 1.0) / (tf.data + norm[row_of_entry]) * self.idf_[tf.indices]
        self.weights_ = sparse.csc_matrix(
            sparse.csr_matrix((data.astype(np.float32), tf.indices, tf.indptr), shape=shape)
        )
        self.vocabulary_ = vocabulary
        return self

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every document for ``query`` (zeros when no term matches)."""
        columns = [self.vocabulary_[t] for t in tokenize(query) if t in self.vocabulary_]
        if not columns:
            return np.zeros(self.weights_.shape[0], dtype=np.float32)
        # a repeated query term counts once per occurrence, as in BM25's sum
        return np.asarray(self.weights_[:, columns].sum(axis=1)).ravel()


class _LexicalCorpus:
    """The store's clauses as arrays, with the BM25 index and facet masks.

    With ``keep_vectors`` it also holds the clause vectors, so filtered dense
    search is an exact scan of the allowed rows: Chroma's metadata-filtered
    queries cost 20-70 ms at 100k clauses, the scan a few.
    """

    def __init__(self, store: ClauseStore, keep_vectors: bool = True, index_headings: bool = False):
        records = store.snapshot() if keep_vectors else store.records()
        self.vectors = records.embeddings
        self.ids = records.ids
        self.texts = records.texts
        self.metadatas = records.metadatas
        indexed = self.texts
        if index_headings:  # a subsection "(b)" under "12. Termination" is about termination too
            indexed = [f"{meta.get('heading', '')}\n{text}" for meta, text in zip(self.metadatas, self.texts)]
        self.bm25 = BM25Index().fit(indexed)
        self.position = {cid: i for i, cid in enumerate(self.ids)}
        facets: dict[tuple[str, str], list[int]] = defaultdict(list)
        scored: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for i, meta in enumerate(self.metadatas):
            for name, score in json.loads(str(meta.get("categories_json", "[]"))):
                scored[name].append((i, float(score)))
            facets[("deal", str(meta.get("deal", "")))].append(i)
            facets[("kind", str(meta.get("kind", "")))].append(i)
            facets[("document_id", str(meta.get("document_id", "")))].append(i)
            for name in _categories(meta):
                facets[("category", name)].append(i)
        self._facets = {key: np.array(rows, dtype=np.int64) for key, rows in facets.items()}
        self._category_scores = {
            name: (np.array([i for i, _ in pairs], dtype=np.int64), np.array([s for _, s in pairs], dtype=np.float32))
            for name, pairs in scored.items()
        }

    def allowed(self, **facets: str | None) -> np.ndarray | None:
        """Boolean row mask for the given facets (None when nothing filters)."""
        mask: np.ndarray | None = None
        for facet, value in facets.items():
            if not value:
                continue
            rows = np.zeros(len(self.ids), dtype=bool)
            rows[self._facets.get((facet, value), np.zeros(0, dtype=np.int64))] = True
            mask = rows if mask is None else mask & rows
        return mask

    def top(self, query: str, k: int, mask: np.ndarray | None) -> list[int]:
        return self._best(self.bm25.scores(query), k, mask)

    def by_category(self, routes: list[RoutedCategory], k: int, mask: np.ndarray | None) -> list[int]:
        """Clauses the classifier scored for the routed categories, best first (score x route weight)."""
        scores = np.zeros(len(self.ids), dtype=np.float32)
        for route in routes:
            rows, values = self._category_scores.get(route.name, (np.zeros(0, dtype=np.int64), np.zeros(0)))
            scores[rows] += route.weight * values
        return self._best(scores, k, mask)

    def _best(self, scores: np.ndarray, k: int, mask: np.ndarray | None) -> list[int]:
        """Rows with a positive score that ``mask`` allows, the ``k`` best first (ties by id, so runs repeat)."""
        if mask is not None:
            scores = np.where(mask, scores, 0.0)
        candidates = np.flatnonzero(scores > 0)
        if len(candidates) > k:
            candidates = candidates[np.argpartition(-scores[candidates], k - 1)[:k]]
        return sorted(candidates.tolist(), key=lambda i: (-scores[i], self.ids[i]))

    def nearest(self, vector: np.ndarray, k: int, mask: np.ndarray) -> list[int]:
        """Exact cosine top-``k`` among the rows ``mask`` allows (vectors are unit length)."""
        rows = np.flatnonzero(mask)
        if len(rows) == 0 or self.vectors is None:
            return []
        similarities = self.vectors[rows] @ vector
        if len(rows) > k:
            best = np.argpartition(-similarities, k - 1)[:k]
        else:
            best = np.arange(len(rows))
        return [int(rows[i]) for i in sorted(best.tolist(), key=lambda i: (-similarities[i], self.ids[rows[i]]))]


def _categories(metadata: dict[str, Any]) -> tuple[str, ...]:
    joined = str(metadata.get("categories", ""))
    return tuple(c for c in joined.split(CATEGORY_SEPARATOR) if c)


class HybridSearcher:
    """Search over a :class:`ClauseStore`: BM25, dense and category rankings, reciprocal rank fusion.

    ``candidates`` is how deep each side's ranking goes before fusion; a clause
    that only one side finds still scores, just lower. The category ranking
    (``category_weight``; 0 turns it off) holds the clauses the classifier
    scored for the categories the question is about (:mod:`retrieval.route`). Unfiltered dense
    retrieval is Chroma's HNSW index; with ``exact_filtered`` (the default)
    filtered dense retrieval scans the allowed clauses' vectors held in memory
    (1.5 kB a clause), otherwise it is Chroma's ``where``-filtered query.
    """

    def __init__(
        self,
        store: ClauseStore,
        candidates: int = 50,
        rrf_k: int = RRF_K,
        exact_filtered: bool = True,
        recheck_seconds: float = 2.0,
        dense_weight: float = 1.0,
        lexical_weight: float = 1.0,
        index_headings: bool = False,
        category_weight: float = CATEGORY_WEIGHT,
        router: CategoryRouter | None = None,
    ):
        self.store = store
        self.candidates = candidates
        self.rrf_k = rrf_k
        self.dense_weight = dense_weight
        self.lexical_weight = lexical_weight
        self.index_headings = index_headings
        self.category_weight = category_weight
        self._router = router
        self.exact_filtered = exact_filtered
        self.recheck_seconds = recheck_seconds
        self._corpus: _LexicalCorpus | None = None
        self._corpus_key: tuple[int, int] | None = None
        self._checked_at = float("-inf")

    def lexical_corpus(self) -> _LexicalCorpus:
        """The cached lexical index, rebuilt when the store changed.

        Writes through this process's store are seen at once (its generation
        counter); writes by other clients of a shared store are seen through
        the record count, asked at most every ``recheck_seconds`` because a
        Chroma count costs ~7 ms at 100k clauses, a third of a search.
        """
        now = time.monotonic()
        stale_generation = self._corpus_key is None or self._corpus_key[1] != self.store.generation
        if self._corpus is None or stale_generation or now - self._checked_at >= self.recheck_seconds:
            key = (self.store.count(), self.store.generation)
            self._checked_at = now
            if self._corpus is None or key != self._corpus_key:
                self._corpus = _LexicalCorpus(
                    self.store, keep_vectors=self.exact_filtered, index_headings=self.index_headings
                )
                self._corpus_key = key
        return self._corpus

    @property
    def router(self) -> CategoryRouter:
        if self._router is None:
            # embedding the taxonomy costs ~0.3 s: callers that make many searchers pass one router
            self._router = CategoryRouter.from_taxonomy(self.store.embedder)
        return self._router

    def search(
        self,
        query: str,
        k: int = 10,
        category: str | None = None,
        deal: str | None = None,
        kind: str | None = None,
        document_id: str | None = None,
    ) -> list[SearchHit]:
        if not query.strip() or k <= 0:
            return []
        corpus = self.lexical_corpus()
        depth = max(self.candidates, k)
        mask = corpus.allowed(category=category, deal=deal, kind=kind, document_id=document_id)
        lexical = [corpus.ids[i] for i in corpus.top(query, depth, mask)]
        vector = self.store.embedder.embed([query])[0]
        if mask is not None and corpus.vectors is not None:
            dense = [corpus.ids[i] for i in corpus.nearest(vector, depth, mask)]
        else:  # vectors only from Chroma: texts and metadata are already in memory
            where = build_where(category=category, deal=deal, kind=kind, document_id=document_id)
            dense = [cid for cid, _ in self.store.nearest_ids(vector, depth, where)]

        records: dict[str, tuple[dict[str, Any], str]] = {}
        for cid in dict.fromkeys(dense + lexical):
            i = corpus.position.get(cid)
            if i is not None:
                records[cid] = (corpus.metadatas[i], corpus.texts[i])
        missing = [cid for cid in dense if cid not in records]  # written by another client since the index was built
        if missing:
            fetched = self.store.get_records(missing)
            records.update({cid: (meta, text) for cid, text, meta in zip(fetched.ids, fetched.texts, fetched.metadatas)})
        dense = [cid for cid in dense if cid in records]
        routes = self.router.route(vector) if self.category_weight > 0 else []
        by_category = [corpus.ids[i] for i in corpus.by_category(routes, depth, mask)] if routes else []
        for cid in by_category:
            if cid not in records:
                i = corpus.position[cid]
                records[cid] = (corpus.metadatas[i], corpus.texts[i])
        dense_rank = {cid: rank for rank, cid in enumerate(dense, start=1)}
        lexical_rank = {cid: rank for rank, cid in enumerate(lexical, start=1)}
        category_rank = {cid: rank for rank, cid in enumerate(by_category, start=1)}
        routed = [route.name for route in routes]
        sides = (
            (self.dense_weight, dense_rank),
            (self.lexical_weight, lexical_rank),
            (self.category_weight, category_rank),
        )
        fused = {
            cid: sum(weight / (self.rrf_k + ranks[cid]) for weight, ranks in sides if cid in ranks) for cid in records
        }
        ordered = sorted(fused, key=lambda cid: (-fused[cid], dense_rank.get(cid, depth + 1), cid))[:k]
        hits = []
        for cid in ordered:
            meta, text = records[cid]
            hits.append(
                SearchHit(
                    clause_id=cid,
                    location=Location(
                        document_id=str(meta.get("document_id", "")),
                        page=int(meta.get("page", 1)),
                        start=int(meta.get("start", 0)),
                        end=int(meta.get("end", 0)),
                        heading=str(meta.get("heading", "")),
                    ),
                    deal=str(meta.get("deal", "")),
                    kind=str(meta.get("kind", "")),
                    text=text,
                    categories=_categories(meta),
                    score=float(fused[cid]),
                    dense_rank=dense_rank.get(cid),
                    lexical_rank=lexical_rank.get(cid),
                    category_rank=category_rank.get(cid),
                    matched_categories=tuple(name for name in routed if name in _categories(meta)),
                )
            )
        return hits
