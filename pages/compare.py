"""Clause-by-clause comparison: not available yet; the page says what it will do."""

import streamlit as st

from desk import appstate

st.title('Clause-by-clause comparison')
appstate.not_yet('Clause-by-clause comparison', ['put each clause of the proposal beside the closest clauses of comparable contracts', 'highlight word-level differences and numbers that differ', 'flag unusual clauses with the reason'], 'desk compare FILE --json')
