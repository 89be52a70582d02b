"""Compare: each clause of the proposal beside its closest precedent in comparable contracts."""

import html

import streamlit as st

from desk import appstate
from desk.compare import compare_document
from desk.errors import DeskError

settings = appstate.settings()
ws = appstate.workspace()
appstate.store()
st.title("Compare with precedent")

doc_id = appstate.pick_proposal(ws, key="compare_document")


@st.cache_data(show_spinner="Finding the closest precedent for every clause…", max_entries=16)
def _compare(workspace: str, doc_id: str, k: int, deal: str | None, n_docs: int):
    return compare_document(settings, doc_id, k=k, deal=deal)


f1, f2, f3 = st.columns([2, 2, 1])
deal_options = sorted({d.deal for d in ws.documents(kind="comparable") if d.deal})
deal = f2.selectbox("Deal", ["(all comparable deals)", *deal_options], key="compare_deal")
try:
    comparison = _compare(str(settings.workspace), doc_id, 3, None if deal.startswith("(") else deal, len(ws.documents()))
except DeskError as exc:
    st.error(str(exc))
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
    + ", ".join(c["deal"] or c["title"] for c in comparison.comparables)
)

table = []
for r in rows:
    best = r.neighbours[0] if r.neighbours else None
    heading = html.escape((r.heading.splitlines() or [""])[0][:60])
    precedent = html.escape(best.deal or best.document_title) if best else "—"
    score = f"{best.similarity:.2f}" if best else "—"
    difference = html.escape(best.summary) if best else "no counterpart in any comparable contract"
    flags = html.escape("; ".join(f.reason for f in r.unusual))
    table.append(
        f"<tr><td>p. {r.page}</td><td><b>{heading}</b></td><td>{html.escape(', '.join(r.categories))}</td>"
        f"<td>{precedent}</td><td>{score}</td><td>{difference}</td><td style='color:#c5221f'>{flags}</td></tr>"
    )
st.html(
    "<div style='max-height:360px;overflow:auto'><table id='compare-table' style='width:100%;border-collapse:collapse;font-size:0.85rem'>"
    "<thead><tr style='text-align:left;border-bottom:2px solid #ddd'><th>Page</th><th>Clause</th><th>Categories</th>"
    "<th>Closest precedent</th><th>Score</th><th>Difference</th><th>Unusual</th></tr></thead><tbody>"
    + "".join(table) + "</tbody></table></div>"
)

if not rows:
    st.stop()
choice = st.selectbox(
    "Clause", range(len(rows)), format_func=lambda i: f"p. {rows[i].page} · {(rows[i].heading.splitlines() or ['clause'])[0][:70]}", key="compare_clause"
)
row = rows[choice]
for flag in row.unusual:
    st.warning(f"Unusual: {flag.reason}", icon=":material/priority_high:")
left, right = st.columns(2)
with left:
    st.markdown(f"**Proposal** · p. {row.page} · {', '.join(row.categories) or 'unclassified'}")
    st.html(f"<div style='font-family:Georgia,serif;white-space:pre-wrap;border:1px solid #ddd;padding:0.6rem;border-radius:6px'>{html.escape(row.text)}</div>")
with right:
    for n in row.neighbours:
        st.markdown(f"**{n.deal or n.document_title}** · p. {n.page} · score {n.similarity:.2f} (dense {n.dense:.2f}, categories {n.category_agreement:.2f}, words {n.lexical:.2f})")
        st.caption(n.summary)
        st.html(f"<div class='compare-redline' style='font-family:Georgia,serif;line-height:1.5;border:1px solid #ddd;padding:0.6rem;border-radius:6px;margin-bottom:0.6rem'>{n.redline_html()}</div>")
st.caption("Redline: struck text is the precedent's wording, underlined text is the proposal's. CLI: `desk compare FILE --json`.")
