"""Counteroffers: not available yet; the page says what it will do."""

import streamlit as st

from desk import appstate

st.title('Counteroffers')
appstate.not_yet('Counteroffers', ['suggest packages of terms with clause language that respect the mandate', 'offer three equivalent simultaneous offers (MESOs) of equal value to the collective'], 'desk counteroffer FILE --mandate M --json')
