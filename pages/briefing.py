"""The briefing pack: not available yet; the page says what it will do."""

import streamlit as st

from desk import appstate

st.title('The briefing pack')
appstate.not_yet('The briefing pack', ['put the review, comparison, valuation, scenarios and counteroffers in one document for the negotiating team', 'export it as PDF, DOCX or Markdown'], 'desk brief FILE --mandate M --out PATH')
