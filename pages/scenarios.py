"""Scenario tables: not available yet; the page says what it will do."""

import streamlit as st

from desk import appstate

st.title('Scenario tables')
appstate.not_yet('Scenario tables', ['value each package of terms for the collective and, as best we can, for the buyer', 'show the zone of possible agreement, the Pareto frontier and the Nash bargaining point'], 'desk scenarios FILE --mandate M --json')
