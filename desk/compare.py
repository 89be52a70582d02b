"""Clause-by-clause comparison of a document with precedent in the workspace.

For each clause of the proposal, the closest clauses of comparable contracts
(stored with ``kind="comparable"``, never the document itself), side by side,
with a word-level redline, the numbers that changed and a one-line difference
summary a lawyer can read ("notice 30 days vs 10 days in Euromedia 2006;
missing: on-site inspection").

Speed: the stored corpus (ids, texts, metadata, vectors) is pulled from Chroma
once per store state and cached; the proposal's clause vectors come from the
store when it is stored (else one embedding batch), and every neighbour search
is one matrix product. ``bench/compare.py`` measured it on 20 stored contracts
(838 comparable clauses): 0.02 s for 57 clauses by matrix product against
0.26 s for one Chroma HNSW query per clause (which was no faster than a
per-pair numpy brute force), with identical top 3. The whole comparison
(including redlines) takes about 1 s cold; the redlines, not the search,
dominate.

Re-ranking. Dense cosine alone confuses clauses that share boilerplate
("Licensee shall..."), so the top ``candidates`` by cosine are re-scored::

    score = 0.65 * dense + 0.20 * category_agreement + 0.15 * lexical

* ``dense``: cosine of the sentence embeddings (what the clause means);
* ``category_agreement``: Jaccard overlap of the two clauses' category sets
  (both unclassified: 0.5, we know nothing; one side only: 0), so an audit
  clause prefers audit clauses when wording is close;
* ``lexical``: IDF-weighted Jaccard of content words, which rewards the
  specific terms ("inspection", "royalty statement") that embeddings blur.

The weights keep dense similarity in charge (a category tag can break ties,
not overturn meaning). ``similarity`` reported for a neighbour is this score.
A neighbour differs **materially** when its dense similarity is below
``material_below`` (0.50: on the demo, clauses of the same kind from other
contracts score 0.43-0.78, unrelated ones below 0.45), when a stated value
(amount, percentage, period, governing law) or a number differs (section
numbering excluded), or when a category is on one side only.

The summary names values by the noun they qualify ("notice", "cure",
"underpayment") and lists as *missing* the phrases of the precedent none of
whose words the proposal uses, as *added* the reverse, ranked by IDF over
the stored corpus so that specific terms beat boilerplate.
"""

from __future__ import annotations

import math
import re
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Sequence

import numpy as np

from core.domain import FLATTEN, Clause, Document, Located, Location, Serializable, Value
from desk.redline import NUMBER, Edit, redline, to_html, to_markdown
from desk.unusual import UnusualDetector, UnusualFlag, amount_of
from desk.workspace import DocumentRecord
from retrieval.store import ClauseStore, StoredRecords, clause_from_record

WEIGHTS = {"dense": 0.65, "category": 0.20, "lexical": 0.15}
MATERIAL_BELOW = 0.50  # dense cosine under which two clauses no longer say the same thing (MiniLM; see docstring)
CANDIDATES = 25

_WORD = re.compile(r"[a-z][a-z'’-]*[a-z]|[a-z]")
STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being below between
    both but by can could did do does doing down during each either few for from further had has have having he her
    here hers herein hereof hereto hereunder him his how i if in into is it its itself may me more most must my no nor
    not of off on once only or other our ours out over own per same shall she should so some such than that the their
    theirs them then there thereof these they this those through thereto to too under until up upon very was we were
    what when where which while who whom why will with within without would you your yours party parties agreement
    section article s""".split()
)
# Numbers and units are reported as values, not as "missing"/"added" phrases.
NUMBER_WORDS = frozenset(
    """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen
    eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred thousand million billion percent
    day days month months year years week weeks business calendar twenty-four""".split()
)
# Nouns a value is usually about, by value kind; the nearest one names the value in a summary.
VALUE_NOUNS = {
    "duration": ("notice", "term", "renewal", "cure", "period", "report", "reports", "reporting", "payment", "deletion",
                 "opt-out", "audit", "warranty", "holdback", "invoice", "delivery", "records"),
    "money": ("fee", "fees", "royalty", "royalties", "payment", "guarantee", "minimum", "advance", "cap", "liability",
              "price", "penalty", "commission", "insurance"),
    "percent": ("royalty", "royalties", "share", "revenue", "revenues", "interest", "underpayment", "discrepancy",
                "commission", "discount", "fee", "fees", "ownership"),
    "count": ("words", "articles", "titles", "users", "copies", "requests", "licences", "licenses"),
}


# ---------------------------------------------------------------- result types
@dataclass(frozen=True)
class Neighbour(Located, Serializable):
    """A precedent clause for one proposal clause, with how and where it differs."""

    document_title: str
    deal: str
    clause_id: str
    location: Location = field(metadata=FLATTEN)
    text: str = ""
    categories: tuple[str, ...] = ()
    similarity: float = 0.0  # the re-ranking score
    dense: float = 0.0
    lexical: float = 0.0
    category_agreement: float = 0.0
    text_similarity: float = 0.0  # word-sequence overlap (desk.redline.similarity)
    redline: tuple[Edit, ...] = ()  # from the precedent (old) to the proposal (new)
    changed_numbers: tuple[tuple[str, str], ...] = ()  # (precedent, proposal)
    value_differences: tuple[dict[str, Any], ...] = ()
    missing: tuple[str, ...] = ()  # key phrases the precedent has and the proposal lacks
    added: tuple[str, ...] = ()  # key phrases only the proposal has
    only_here: tuple[str, ...] = ()  # categories of the proposal clause absent from the precedent
    only_there: tuple[str, ...] = ()
    summary: str = ""
    material: bool = False

    def redline_html(self) -> str:
        return to_html(list(self.redline))

    def redline_markdown(self) -> str:
        return to_markdown(list(self.redline))


@dataclass(frozen=True)
class ClauseComparison(Located, Serializable):
    """One clause of the compared document, its closest precedents and what is unusual about it."""

    clause_id: str
    location: Location = field(metadata=FLATTEN)
    text: str = ""
    categories: tuple[str, ...] = ()
    values: tuple[Value, ...] = ()
    neighbours: tuple[Neighbour, ...] = ()
    material: bool = False  # no neighbour, or the best one differs materially
    unusual: tuple[UnusualFlag, ...] = ()


@dataclass(frozen=True)
class Comparison(Serializable):
    document_id: str
    document_title: str
    comparables: tuple[dict[str, Any], ...]  # {document_id, title, deal, clauses}
    clauses: tuple[ClauseComparison, ...]
    filters: dict[str, Any] = field(default_factory=dict)
    weights: dict[str, float] = field(default_factory=lambda: dict(WEIGHTS))
    timings: dict[str, float] = field(default_factory=dict)
    notes: tuple[str, ...] = ()

    def categories(self) -> list[str]:
        """Categories of the compared clauses (the Compare page's category filter options)."""
        return sorted({c for row in self.clauses for c in row.categories})

    def deals(self) -> list[str]:
        """Comparable deals in the workspace (the deal filter options)."""
        return sorted({c["deal"] for c in self.comparables if c["deal"]})

    def to_dict(self) -> dict[str, Any]:
        payload = super().to_dict()
        # JSON readers want the redline as {"op", "text"} objects and a ready-made HTML/Markdown view.
        for row, cmp in zip(payload["clauses"], self.clauses):
            del row["document_id"]  # every compared clause is of the one document named at the top
            for nrow, n in zip(row["neighbours"], cmp.neighbours):
                nrow["redline_markdown"] = n.redline_markdown()
        return payload


# ---------------------------------------------------------------- the corpus
@dataclass
class _Corpus:
    ids: list[str]
    texts: list[str]
    metadatas: list[dict[str, Any]]
    vectors: np.ndarray  # (n, dim), L2-normalised
    clauses: list[Clause]
    words: list[frozenset[str]]
    document_freq: Counter


def content_words(text: str) -> list[str]:
    return [w for w in _WORD.findall(text.lower().replace("’", "'")) if w not in STOPWORDS and len(w) > 1]


class CorpusCache:
    """The stored corpus as arrays, kept until the store changes.

    Owned by the :class:`desk.service.Desk` (one per open store); a write
    through the store bumps its ``generation`` and another client's write
    changes its count, and either makes the next :meth:`load` pull again.
    It pulls through ``ClauseStore.snapshot()``, the same records with their
    vectors that search indexes, read from the store's disk copy when no write
    has happened since (one pass over Chroma serves both).
    """

    def __init__(self) -> None:
        self._key: tuple[int, int, int] | None = None
        self._corpus: _Corpus | None = None

    def load(self, store: ClauseStore) -> _Corpus:
        key = (id(store), store.count(), store.generation)
        if self._corpus is None or key != self._key:
            self._corpus = corpus_from_records(store.snapshot())  # the searcher's on-disk copy, when current
            self._key = key
        return self._corpus


def corpus_from_records(records: StoredRecords) -> _Corpus:
    """Normalised vectors, clauses and content words of every stored record (one pass)."""
    vectors = records.embeddings if records.embeddings is not None else np.zeros((0, 1), dtype=np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True) if len(vectors) else np.ones((0, 1))
    vectors = (vectors / np.clip(norms, 1e-12, None)).astype(np.float32)
    ids, texts, metas = records.ids, records.texts, records.metadatas
    clauses = [clause_from_record(i, t, m) for i, t, m in zip(ids, texts, metas)]
    words = [frozenset(content_words(t)) for t in texts]
    df = Counter(w for ws in words for w in ws)
    return _Corpus(ids, texts, metas, vectors, clauses, words, df)


# ---------------------------------------------------------------- scoring parts
def category_agreement(a: Sequence[str], b: Sequence[str]) -> float:
    sa, sb = set(a), set(b)
    if not sa and not sb:
        return 0.5
    return len(sa & sb) / len(sa | sb)


def lexical_overlap(a: frozenset[str], b: frozenset[str], idf: dict[str, float] | Any) -> float:
    union = a | b
    if not union:
        return 0.0
    total = sum(idf(w) for w in union)
    return sum(idf(w) for w in a & b) / total if total else 0.0


def _idf_function(df: Counter, n: int):
    def idf(word: str) -> float:
        return math.log((n + 1) / (df.get(word, 0) + 1)) + 1.0

    return idf


def numbers_from_edits(edits: Sequence[Edit]) -> list[tuple[str, str]]:
    """``desk.redline.changed_numbers`` computed from a redline we already have.

    ``changed_numbers(old, new)`` re-runs the diff twice; over hundreds of
    clause pairs that tripled the comparison time. Same rule: the n-th
    deletion paired with the n-th insertion, numbers that differ (a test
    checks both agree on real clause pairs).
    """
    pairs = []
    for e_old, e_new in zip([e for e in edits if e.op == "delete"], [e for e in edits if e.op == "insert"]):
        n_old, n_new = NUMBER.findall(e_old.text), NUMBER.findall(e_new.text)
        if n_old and n_new and n_old != n_new:
            pairs.append((" ".join(n_old), " ".join(n_new)))
    return pairs


_SECTION_NUMBER = re.compile(r"^\d+(?:\.\d+)+\.?$|^\d+\.$")


def substantive_numbers(pairs: Sequence[tuple[str, str]], old: str, new: str) -> list[tuple[str, str]]:
    """Changed numbers without section numbering ("6.1.3", "12.", a clause's leading "4").

    Two contracts number their sections differently, so every pair of
    precedents would otherwise "differ" in numbers; what a lawyer wants called
    out is a changed amount, period or count.
    """
    lead_old, lead_new = set(NUMBER.findall(old[:12])), set(NUMBER.findall(new[:12]))
    out = []
    for a, b in pairs:
        ta = [t for t in a.split() if not _SECTION_NUMBER.match(t) and t not in lead_old]
        tb = [t for t in b.split() if not _SECTION_NUMBER.match(t) and t not in lead_new]
        if ta and tb and ta != tb:
            out.append((" ".join(ta), " ".join(tb)))
    return out


_LAW = re.compile(r"laws? of (?:the )?(?:(?i:state|commonwealth|province) of )?([A-Z][A-Za-z]+(?: [A-Z][A-Za-z]+)?)")


def governing_law(text: str) -> str:
    """The place whose law a clause names ("Delaware", "England"), or ''."""
    m = _LAW.search(" ".join(text.split()))
    return m.group(1) if m and m.group(1) not in ("This", "Any", "The") else ""


def similarity_from_edits(edits: Sequence[Edit]) -> float:
    """Word-sequence similarity (2 * matched / total words), like ``desk.redline.similarity`` without a second diff."""
    count = {"equal": 0, "delete": 0, "insert": 0}
    for e in edits:
        count[e.op] += len(e.text.split())
    total = 2 * count["equal"] + count["delete"] + count["insert"]
    return 2 * count["equal"] / total if total else 1.0


def _squash(text: str) -> str:
    return " ".join(text.split())


def key_phrases(edits: Sequence[Edit], op: str, other_words: frozenset[str], idf, limit: int = 3) -> list[str]:
    """The most telling phrases in ``op`` edits whose content words the other clause lacks entirely.

    A redline of two different contracts deletes and inserts a lot; what a
    lawyer needs is the few specific things one side has ("on-site
    inspection", "inspect the records"). A phrase is a run of up to four
    content words absent from the other clause, with single function words
    allowed inside it; possessives (party names: "HDI's") end a run. Phrases
    are ranked by the summed IDF of their content words.
    """
    scored: dict[str, float] = {}

    def close(run: list[str]) -> None:
        while run and (run[-1] in STOPWORDS):
            run.pop()
        content = [w for w in run if w not in STOPWORDS]
        if content:
            phrase = " ".join(run)
            scored[phrase] = max(scored.get(phrase, 0.0), sum(idf(w) for w in content))

    for e in edits:
        if e.op != op:
            continue
        run: list[str] = []
        for token in re.findall(r"[A-Za-z][A-Za-z'’-]*|[^A-Za-z\s]+", e.text):
            word = token.lower().replace("’", "'")
            is_word = bool(re.fullmatch(r"[a-z][a-z-]*", word))
            if is_word and word in STOPWORDS and run and run[-1] not in STOPWORDS:
                run.append(word)  # a function word inside a phrase ("inspect the records")
                continue
            if is_word and word not in STOPWORDS and word not in NUMBER_WORDS and len(word) > 2 and word not in other_words:
                run.append(word)
                if sum(w not in STOPWORDS for w in run) < 4:
                    continue
            close(run)
            run = []
        close(run)
    ranked = sorted(scored, key=lambda p: (-scored[p], p))
    chosen: list[str] = []
    for phrase in ranked:
        if not any(phrase in c or c in phrase for c in chosen):
            chosen.append(phrase)
        if len(chosen) == limit:
            break
    return chosen


def value_label(value: Value, clause: Clause) -> str:
    """The noun a value is about (the nearest of its kind's VALUE_NOUNS within 80 characters), else its kind."""
    rel_start, rel_end = value.start - clause.start, value.end - clause.start
    lo, hi = max(0, rel_start - 80), min(len(clause.text), rel_end + 80)
    window = clause.text[lo:hi].lower()
    best, best_dist = "", 10**9
    for noun in VALUE_NOUNS.get(value.kind, ()):
        for m in re.finditer(rf"\b{re.escape(noun)}\b", window):
            begin, end = lo + m.start(), lo + m.end()
            dist = max(begin - rel_end, rel_start - end, 0)  # the gap between the noun and the value
            if dist < best_dist:
                best, best_dist = noun, dist
    return best or {"money": "amount", "percent": "percentage", "duration": "period", "count": "number", "date": "date"}.get(value.kind, value.kind)


def value_differences(ours: Clause, theirs: Clause) -> list[dict[str, Any]]:
    """Values of the same kind, unit and label whose amounts differ (proposal first)."""
    def keyed(clause: Clause) -> dict[tuple[str, str, str], Value]:
        out: dict[tuple[str, str, str], Value] = {}
        for v in clause.values:
            if v.kind in ("money", "percent", "duration", "count") and amount_of(v) is not None:
                out.setdefault((v.kind, v.unit, value_label(v, clause)), v)
        return out

    a, b = keyed(ours), keyed(theirs)
    diffs = []
    for key in a.keys() & b.keys():
        va, vb = a[key], b[key]
        if amount_of(va) != amount_of(vb):
            diffs.append({"label": key[2], "kind": key[0], "unit": key[1], "ours": amount_of(va), "ours_text": va.text.strip(),
                          "theirs": amount_of(vb), "theirs_text": vb.text.strip()})
    # Unlabelled but unique by kind and unit on both sides: still a like-for-like pair.
    if not diffs:
        ka = Counter((v.kind, v.unit) for v in ours.values if v.kind in ("money", "percent", "duration") and amount_of(v) is not None)
        kb = Counter((v.kind, v.unit) for v in theirs.values if v.kind in ("money", "percent", "duration") and amount_of(v) is not None)
        for kind_unit in sorted(k for k in ka if ka[k] == 1 and kb.get(k) == 1):
            va = next(v for v in ours.values if (v.kind, v.unit) == kind_unit)
            vb = next(v for v in theirs.values if (v.kind, v.unit) == kind_unit)
            if amount_of(va) != amount_of(vb):
                diffs.append({"label": value_label(va, ours), "kind": va.kind, "unit": va.unit, "ours": amount_of(va),
                              "ours_text": va.text.strip(), "theirs": amount_of(vb), "theirs_text": vb.text.strip()})
    law_ours, law_theirs = governing_law(ours.text), governing_law(theirs.text)
    if law_ours and law_theirs and law_ours.lower() != law_theirs.lower():
        diffs.append({"label": "law of", "kind": "jurisdiction", "unit": "", "ours": law_ours, "ours_text": law_ours,
                      "theirs": law_theirs, "theirs_text": law_theirs})
    return sorted(diffs, key=lambda d: (d["label"], d["kind"]))


def difference_summary(
    deal: str, values: Sequence[dict[str, Any]], numbers: Sequence[tuple[str, str]], missing: Sequence[str],
    added: Sequence[str], only_here: Sequence[str], only_there: Sequence[str], identical: bool,
) -> str:
    """One line: values first (they move money), then what is missing, then what is added."""
    where = deal or "the precedent"
    if identical:
        return f"same wording as in {where}"
    parts = []
    if values:
        parts.append(", ".join(f"{d['label']} {d['ours_text']} vs {d['theirs_text']}" for d in values[:3]) + f" in {where}")
    elif numbers:
        parts.append(", ".join(f"{new} vs {old}" for old, new in numbers[:3]) + f" in {where}")
    else:
        parts.append(f"vs {where}")
    if missing:
        parts.append("missing: " + ", ".join(missing))
    if added:
        parts.append("added: " + ", ".join(added))
    if only_there:
        parts.append("precedent also covers: " + ", ".join(only_there))
    if only_here:
        parts.append("only here: " + ", ".join(only_here))
    return "; ".join(parts)


# ---------------------------------------------------------------- the engine
def _query_vectors(store: ClauseStore, corpus: _Corpus, clauses: Sequence[Clause], stored: bool) -> np.ndarray:
    """The proposal's clause vectors: from the store if there, else one embedding batch."""
    if stored:
        position = {cid: i for i, cid in enumerate(corpus.ids)}
        rows = [position.get(c.id) for c in clauses]
        if all(r is not None for r in rows):
            return corpus.vectors[rows]
    vectors = np.asarray(store.embedder.embed([c.text for c in clauses]), dtype=np.float32)
    return vectors / np.clip(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12, None)


def compare_clauses(
    clauses: Sequence[Clause],
    query_vectors: np.ndarray,
    corpus: _Corpus,
    document_id: str,
    titles: dict[str, str],
    catalogued: set[str] | None = None,
    k: int = 3,
    deal: str | None = None,
    candidates: int = CANDIDATES,
    material_below: float = MATERIAL_BELOW,
    detector: UnusualDetector | None = None,
) -> list[ClauseComparison]:
    """Neighbours for each clause among comparable records of the corpus (the pure core)."""
    n = len(corpus.ids)
    own = np.array([m.get("document_id") == document_id for m in corpus.metadatas], dtype=bool)
    known = np.array([catalogued is None or m.get("document_id") in catalogued for m in corpus.metadatas], dtype=bool)
    other = ~own & known
    comparable = other & np.array([m.get("kind") == "comparable" for m in corpus.metadatas], dtype=bool)
    if deal:
        comparable &= np.array([m.get("deal") == deal for m in corpus.metadatas], dtype=bool)
    if detector is None:
        detector = UnusualDetector().fit([c for c, keep in zip(corpus.clauses, other) if keep])
    idf = _idf_function(corpus.document_freq, max(1, n))
    sims = query_vectors @ corpus.vectors.T if n else np.zeros((len(clauses), 0), dtype=np.float32)
    comparable_rows = np.flatnonzero(comparable)
    other_rows = np.flatnonzero(other)
    out = []
    for qi, clause in enumerate(clauses):
        words = frozenset(content_words(clause.text))
        neighbours: list[Neighbour] = []
        if len(comparable_rows):
            row_sims = sims[qi, comparable_rows]
            depth = min(candidates, len(comparable_rows))
            top = comparable_rows[np.argpartition(-row_sims, depth - 1)[:depth]]
            scored = []
            for j in top:
                dense = float(sims[qi, j])
                cat = category_agreement(clause.category_names, corpus.clauses[j].category_names)
                lex = lexical_overlap(words, corpus.words[j], idf)
                score = WEIGHTS["dense"] * dense + WEIGHTS["category"] * cat + WEIGHTS["lexical"] * lex
                scored.append((score, dense, cat, lex, int(j)))
            scored.sort(key=lambda s: (-s[0], corpus.ids[s[4]]))
            for score, dense, cat, lex, j in scored[:k]:
                neighbours.append(_neighbour(clause, words, corpus, j, titles, score, dense, cat, lex, idf, material_below))
        if len(other_rows):
            best = int(other_rows[np.argmax(sims[qi, other_rows])])
            best_sim = float(sims[qi, best])
            meta = corpus.metadatas[best]
            source = meta.get("deal") or titles.get(str(meta.get("document_id")), "")
        else:
            best_sim, source = None, ""
        flags = detector.flags(clause, best_sim, source)
        out.append(
            ClauseComparison(
                clause_id=clause.id, location=clause.location, text=clause.text, categories=clause.category_names, values=clause.values, neighbours=tuple(neighbours),
                material=(not neighbours) or neighbours[0].material, unusual=flags,
            )
        )
    return out


def _neighbour(
    clause: Clause, words: frozenset[str], corpus: _Corpus, j: int, titles: dict[str, str], score: float, dense: float,
    cat: float, lex: float, idf, material_below: float,
) -> Neighbour:
    other = corpus.clauses[j]
    meta = corpus.metadatas[j]
    old, new = _squash(other.text), _squash(clause.text)
    edits = redline(old, new)
    numbers = tuple(substantive_numbers(numbers_from_edits(edits), old, new))
    values = tuple(value_differences(clause, other))
    missing = tuple(key_phrases(edits, "delete", words, idf))
    added = tuple(key_phrases(edits, "insert", corpus.words[j], idf))
    only_here = tuple(sorted(set(clause.category_names) - set(other.category_names)))
    only_there = tuple(sorted(set(other.category_names) - set(clause.category_names)))
    identical = all(e.op == "equal" for e in edits)
    deal = str(meta.get("deal") or "")
    doc_id = str(meta.get("document_id", ""))
    title = titles.get(doc_id) or str(meta.get("document_title", ""))
    material = (not identical) and (dense < material_below or bool(values) or bool(numbers) or bool(only_here) or bool(only_there))
    return Neighbour(
        document_title=title, deal=deal, clause_id=other.id,
        location=Location(doc_id, other.page, other.start, other.end, other.heading), text=other.text, categories=other.category_names, similarity=round(score, 4),
        dense=round(dense, 4), lexical=round(lex, 4), category_agreement=round(cat, 4),
        text_similarity=round(similarity_from_edits(edits), 4), redline=tuple(edits), changed_numbers=numbers,
        value_differences=values, missing=missing, added=added, only_here=only_here, only_there=only_there,
        summary=difference_summary(deal or title, values, numbers, missing, added, only_here, only_there, identical),
        material=material,
    )


def compare_document(
    document: Document,
    clauses: Sequence[Clause],
    stored: bool,
    store: ClauseStore,
    corpus: _Corpus,
    records: Sequence[DocumentRecord],
    k: int = 3,
    category: str | None = None,
    deal: str | None = None,
    material_only: bool = False,
    timings: dict[str, float] | None = None,
) -> Comparison:
    """Each clause of ``document`` beside its ``k`` closest precedents among the catalogued ``records``.

    ``category`` keeps the proposal clauses of that category (their neighbours
    are still chosen from all comparable clauses, so a precedent the
    classifier tagged differently is not lost); ``deal`` restricts neighbours
    to one comparable deal; ``material_only`` keeps clauses whose best
    precedent differs materially (or that have none). ``stored`` says the
    document's vectors are in the store already.
    """
    timings = dict(timings or {})
    t0 = time.perf_counter()
    titles = {r.id: r.title for r in records}
    catalogued = set(titles)
    if category:
        clauses = [c for c in clauses if category in c.category_names]
    t2 = time.perf_counter()
    vectors = _query_vectors(store, corpus, clauses, stored)
    timings["embed_s"] = time.perf_counter() - t2
    t3 = time.perf_counter()
    rows = compare_clauses(clauses, vectors, corpus, document.id, titles, catalogued, k=k, deal=deal)
    timings["neighbours_s"] = time.perf_counter() - t3
    if material_only:
        rows = [r for r in rows if r.material]
    counts = Counter(m.get("document_id") for m in corpus.metadatas if m.get("kind") == "comparable")
    comparables = tuple(
        {"document_id": r.id, "title": r.title, "deal": r.deal, "clauses": counts.get(r.id, 0)}
        for r in records if r.kind == "comparable" and r.id != document.id and (not deal or r.deal == deal)
    )
    notes = []
    if not comparables:
        notes.append("no comparable contracts in the workspace: ingest some with --kind comparable")
    timings["total_s"] = timings.get("total_s", 0.0) + time.perf_counter() - t0
    return Comparison(
        document_id=document.id, document_title=document.title, comparables=comparables, clauses=tuple(rows),
        filters={"k": k, "category": category, "deal": deal, "material_only": material_only},
        timings={key: round(v, 4) for key, v in timings.items()}, notes=tuple(notes),
    )
