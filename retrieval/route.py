"""Which clause categories a negotiator's question is about.

"Can they walk away from the deal without a reason?" shares no word with
"either party may terminate this Agreement upon ninety days' notice", and its
nearest clauses by meaning are often about something else that also says
"deal". But it is close in meaning to the taxonomy's description of
Termination For Convenience ("Can a party terminate this contract without
cause...?"), and the classifier has already scored every stored clause for
that category. So a question is routed to the categories whose descriptions it
is closest to, and the clauses the classifier scored highest for them become a
third ranking for fusion.

Routing uses only the taxonomy (``data/taxonomy/categories.json``), never the
questions it is evaluated on, and says which categories it chose, so a search
hit can show why it was found.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from retrieval.embed import Embedder


@dataclass(frozen=True)
class RoutedCategory:
    name: str
    similarity: float  # cosine between the question and the category's description
    weight: float  # share of the category ranking this category contributes


class CategoryRouter:
    """Route a question vector to at most ``max_categories`` taxonomy categories.

    A category is chosen when its description is at least ``floor`` similar to
    the question and within ``margin`` of the best one: a question that is close
    to nothing in particular ("Section 5.1", a party's name) is not forced onto a
    category, and one that is close to two ("exceptions to the non-compete")
    gets both. The floor was chosen with ``bench/search_quality.py``: 0.25-0.35
    rank equally well on CUAD (within-contract MRR 0.698-0.702; 0.681 at 0.40,
    0.651 at 0.50), and 0.35 is the highest of them, so names and section
    numbers (similarity 0.24-0.29) stay unrouted.
    """

    def __init__(
        self,
        embedder: Embedder,
        categories: Sequence[tuple[str, str]],
        floor: float = 0.35,
        margin: float = 0.05,
        max_categories: int = 3,
    ):
        self.names = [name for name, _ in categories]
        self.floor = floor
        self.margin = margin
        self.max_categories = max_categories
        self.vectors = embedder.embed([f"{name}. {description}" for name, description in categories])

    @classmethod
    def from_taxonomy(cls, embedder: Embedder, **options: float) -> "CategoryRouter":
        from core.taxonomy import load_taxonomy

        return cls(embedder, list(load_taxonomy().items()), **options)  # type: ignore[arg-type]

    def route(self, vector: np.ndarray) -> list[RoutedCategory]:
        similarities = self.vectors @ vector
        order = np.argsort(-similarities, kind="stable")[: self.max_categories]
        best = float(similarities[order[0]]) if len(order) else 0.0
        chosen = [int(i) for i in order if similarities[i] >= max(self.floor, best - self.margin)]
        if not chosen:
            return []
        total = float(sum(similarities[i] for i in chosen))
        return [RoutedCategory(self.names[i], float(similarities[i]), float(similarities[i]) / total) for i in chosen]
