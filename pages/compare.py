"""Compare: each clause of the proposal beside its closest precedent in comparable contracts."""

import streamlit as st

from desk import appstate
from desk.markup import Html, element, md, table
from desk.service import DeskError

desk = appstate.desk()
st.title("Compare with precedent")

doc_id = appstate.pick_proposal(key="compare_document")

f1, f2, f3 = st.columns([2, 2, 1])
deal_options = sorted({d.deal for d in desk.documents(kind="comparable") if d.deal})
deal = f2.selectbox("Deal", ["(all comparable deals)", *deal_options], key="compare_deal")
try:
    comparison = appstate.compare(str(desk.workspace.root), doc_id, 3, None if deal.startswith("(") else deal, len(desk.documents()))
except DeskError as exc:
    st.error(md(exc))
    st.stop()
category = f1.selectbox("Category", ["(any)", *comparison.categories()], key="compare_category")
material_only = f3.checkbox("Only material differences", value=True, key="compare_material")
for note in comparison.notes:
    st.info(note)

rows = [
    r for r in comparison.clauses
    if (category == "(any)" or category in r.categories) and (not material_only or r.material)
]
st.caption(
    f"{len(rows)} of {len(comparison.clauses)} clauses shown · against {len(comparison.comparables)} comparable contracts: "
    + md(", ".join(c["deal"] or c["title"] for c in comparison.comparables))
)

cells = []
for r in rows:
    best = r.neighbours[0] if r.neighbours else None
    cells.append([
        f"p. {r.page}",
        element("b", (r.heading.splitlines() or [""])[0][:60]),
        ", ".join(r.categories),
        (best.deal or best.document_title) if best else "—",
        f"{best.similarity:.2f}" if best else "—",
        best.summary if best else "no counterpart in any comparable contract",
        element("span", "; ".join(f.reason for f in r.unusual), {"style": "color:#c5221f"}),
    ])
st.html(element("div", table(
    ["Page", "Clause", "Categories", "Closest precedent", "Score", "Difference", "Unusual"], cells,
    {"id": "compare-table", "style": "width:100%;border-collapse:collapse;font-size:0.85rem"},
), {"style": "max-height:360px;overflow:auto"}))

if not rows:
    st.stop()
choice = st.selectbox(
    "Clause", range(len(rows)), format_func=lambda i: f"p. {rows[i].page} · {(rows[i].heading.splitlines() or ['clause'])[0][:70]}", key="compare_clause"
)
row = rows[choice]
for flag in row.unusual:
    st.warning(f"Unusual: {md(flag.reason)}", icon=":material/priority_high:")
left, right = st.columns(2)
with left:
    st.markdown(f"**Proposal** · p. {row.page} · {md(', '.join(row.categories) or 'unclassified')}")
    st.html(element("div", row.text, {"style": "font-family:Georgia,serif;white-space:pre-wrap;border:1px solid #ddd;padding:0.6rem;border-radius:6px"}))
with right:
    for n in row.neighbours:
        st.markdown(f"**{md(n.deal or n.document_title)}** · p. {n.page} · score {n.similarity:.2f} (dense {n.dense:.2f}, categories {n.category_agreement:.2f}, words {n.lexical:.2f})")
        st.caption(md(n.summary))
        redline = Html(n.redline_html())  # desk.redline escapes every word it marks up
        st.html(element("div", redline, {"class": "compare-redline", "style": "font-family:Georgia,serif;line-height:1.5;border:1px solid #ddd;padding:0.6rem;border-radius:6px;margin-bottom:0.6rem"}))
st.caption("Redline: struck text is the precedent's wording, underlined text is the proposal's. CLI: `desk compare FILE --json`.")
