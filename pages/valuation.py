"""Valuation: not available yet; the page says what it will do."""

import streamlit as st

from desk import appstate

st.title('Valuation')
appstate.not_yet('Valuation', ["estimate what the collective's data is worth per year (P10/P50/P90) by comparable deals and by data counterfactuals", "show learning curves, members' contributions (Shapley values) and a fair split of proceeds"], 'desk value --mandate M --json')
