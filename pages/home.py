"""Home: the negotiation at a glance."""

import streamlit as st

from desk import appstate
from desk.markup import md

view = appstate.desk().status()
collective = view.collective

if collective:
    st.title(md(collective["name"]))
    st.caption(f"{md(collective['sector'].title())} collective · {collective['members']} members · mandate version `{view.mandate_version[:12]}`")
    if collective.get("description"):
        st.markdown(md(collective["description"]))
else:
    st.title("Negotiation Desk")
    st.info("No mandate in this workspace yet. Run `desk demo` for the example negotiation, or write one on the Mandate page.")

for problem in view.problems:
    st.error(md(problem))

st.markdown(f"**Across the table:** {md(view.counterparty or 'no counterparty recorded yet')}")
mid, right, far = st.columns(3)
mid.metric("Proposals", len(view.proposals))
right.metric("Comparable contracts", len(view.comparables))
far.metric("Mandate terms", view.mandate_terms)

st.subheader("Documents on the table")
rows = [
    {"kind": d.kind, "title": d.title, "deal": d.deal, "pages": d.pages, "clauses": d.clauses, "id": d.id[:12]}
    for d in (*view.proposals, *view.comparables, *view.references)
]
if rows:
    st.dataframe(rows, hide_index=True, width="stretch", key="home_documents")
else:
    st.caption("No documents yet.")

st.subheader("What to do next")
for step in view.next_steps:
    st.markdown(f"- {step}")
