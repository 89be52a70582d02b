"""The market of AI data deals: not available yet; the page says what it will do."""

import streamlit as st

from desk import appstate

st.title('The market of AI data deals')
appstate.not_yet('The market of AI data deals', ['show the publicly reported AI data-licensing deals with their sources and confidence', 'normalise values to a yearly figure and place the proposal among them'], 'desk market --json')
