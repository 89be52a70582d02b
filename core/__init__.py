"""The ground floor of the desk: the vocabulary every other part shares.

``core`` holds the frozen domain types (:mod:`core.domain`), the one error
family (:mod:`core.errors`), the clause taxonomy (:mod:`core.taxonomy`) and
where the shipped data lives (:mod:`core.paths`). It imports nothing else of
ours and never Streamlit, so ``retrieval``, ``valuation`` and ``desk`` can all
stand on it without pointing at each other.
"""
