"""Review against the mandate: not available yet; the page says what it will do."""

import streamlit as st

from desk import appstate

st.title('Review against the mandate')
appstate.not_yet('Review against the mandate', ['show one row per mandate term with a traffic-light status (meets preferred, acceptable, breaches walk-away, not addressed, unclear)', 'cite the clauses behind each status, highlighted in the contract', "offer the mandate's fallback clause as a redline against the proposal's clause", 'record accepted / overridden / escalated decisions with reasons'], 'desk review FILE --mandate M --json')
