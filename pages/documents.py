"""Documents: upload, list, delete; each document's clauses; search across deals."""

import streamlit as st

from desk import appstate
from desk.markup import highlight, md
from desk.service import DeskError

desk = appstate.desk()

st.title("Documents")

with st.expander("Add documents", expanded=not desk.documents()):
    uploads = st.file_uploader(
        "Proposals, contracts or term sheets (PDF, DOCX, TXT, MD, HTML)",
        type=["pdf", "docx", "txt", "md", "markdown", "html", "htm"],
        accept_multiple_files=True,
        key="upload_files",
    )
    c1, c2 = st.columns(2)
    kind = c1.selectbox("Kind", ["proposal", "comparable", "reference"], key="upload_kind")
    deal = c2.text_input("Deal", placeholder="e.g. Helix AI proposal", key="upload_deal")
    if st.button("Ingest", type="primary", disabled=not uploads, key="upload_go"):
        # read on a server thread: the page stays live while a large or hostile file is read
        st.session_state["ingest_job"] = appstate.start_ingest([(u.name, u.name, u.getvalue()) for u in uploads], kind, deal.strip())


@st.fragment(run_every=0.5)
def ingest_progress(job_id: str) -> None:
    """The running upload's progress, polled; when it ends, the whole page reruns to show it."""
    job = appstate.ingest_job(job_id)
    if job is None or job.finished:
        st.session_state.pop("ingest_job", None)
        st.session_state["ingest_done"] = job_id
        st.rerun()
    st.progress(min(1.0, job.fraction), text=job.message)


# always drawn, so what follows keeps its place in the page (the tabs keep their selection) when it empties
with st.container(key="ingest_status"):
    if "ingest_job" in st.session_state:
        ingest_progress(st.session_state["ingest_job"])
    if (done := appstate.ingest_job(st.session_state.pop("ingest_done", ""), forget=True)) is not None:
        if done.error:
            st.error(f"Nothing was added. {md(done.error)}")
        for r in done.results:
            if r.status == "added":
                st.success(f"Added {md(r.document.title)}: {r.document.pages} pages, {r.document.clauses} clauses.")
            else:
                st.info(f"{md(r.path)} is already in the workspace (same bytes): nothing to do.")

docs = desk.documents()
if not docs:
    st.info("No documents yet: upload the proposal and any comparable contracts above.")
    st.stop()

stale = desk.stale_documents()
if stale:
    with st.container(border=True):
        st.warning(
            f"{len(stale)} of {len(docs)} documents were analysed by an older clause model, so their categories "
            "may be out of date. Analysing them again keeps their text and offsets."
        )
        if st.button("Analyse them again", key="reanalyse_go"):
            bar = st.progress(0.0, text="Starting…")
            try:
                desk.reanalyse(progress=lambda f, m: bar.progress(min(1.0, f), text=m))
            except DeskError as exc:  # e.g. an analysis file deleted by hand: say which, change nothing more
                bar.empty()
                st.error(f"Stopped. {md(exc)}")
            else:
                st.rerun()  # the notice goes, the clause table shows the new analysis

st.dataframe(
    [
        {"kind": d.kind, "title": d.title, "deal": d.deal, "pages": d.pages, "clauses": d.clauses, "format": d.format, "sha256": d.id}
        for d in docs
    ],
    hide_index=True,
    key="documents_table",
)

labels = {d.id: f"{d.title} ({d.kind}{', ' + d.deal if d.deal else ''})" for d in docs}
chosen = st.selectbox("Document", list(labels), format_func=labels.get, key="doc_select")
record = next(d for d in docs if d.id == chosen)

with st.popover("Delete this document", icon=":material/delete:"):
    st.markdown(f"Remove **{md(record.title)}** and its clauses from the workspace and the clause store?")
    if st.button("Delete", type="primary", key="doc_delete"):
        desk.delete_document(record.id)
        st.rerun()

tab_clauses, tab_search = st.tabs(["Clauses", "Search all deals"])

with tab_clauses:
    stored = desk.stored(record)
    document, clauses = stored.document, stored.clauses
    for warning in document.warnings:
        st.warning(md(warning), icon=":material/visibility_off:")
    taxonomy = desk.taxonomy()
    categories = sorted({c for cl in clauses for c in cl.category_names})
    only = st.multiselect("Only clauses about", categories, key="clause_filter")
    shown = [c for c in clauses if not only or set(only) & set(c.category_names)]
    st.caption(
        f"{len(shown)} of {len(clauses)} clauses. Category scores are calibrated probabilities; a category is listed "
        "from a low threshold so that few clauses are missed, so read those under 50% as possible, not likely."
    )
    event = st.dataframe(
        [
            {
                "page": c.page,
                "section": c.heading,
                "categories": ", ".join(f"{k.name} {k.score:.0%}" for k in c.categories),
                "values": ", ".join(v.text for v in c.values),
                "text": " ".join(c.text.split())[:160],
            }
            for c in shown
        ],
        hide_index=True,
        on_select="rerun",
        selection_mode="single-row",
        key="clause_table",
    )
    rows = event.selection.rows if event and event.selection else []
    if rows:
        clause = shown[rows[0]]
        st.markdown(f"**{md(clause.heading or 'Clause')}** · page {clause.page} · characters {clause.start}–{clause.end} · id `{clause.id}`")
        for k in clause.categories:
            st.markdown(f"- **{k.name}**, {k.confidence} ({k.score:.0%}): {md(taxonomy.get(k.name, ''))}")
        if clause.values:
            st.markdown("Values: " + "; ".join(md(f"“{v.text}” → {v.kind} {v.amount if v.amount is not None else v.iso} {v.unit}") for v in clause.values))
        st.html(highlight(document.text, clause.start, clause.end))
    else:
        st.caption("Select a clause to see it highlighted in the document text.")

with tab_search:
    query = st.text_input("Ask about clauses in every stored deal", placeholder="can they keep training on our archive after the deal ends?", key="search_query")
    f1, f2, f3 = st.columns(3)
    cat = f1.selectbox("Category", ["(any)", *sorted(desk.taxonomy())], key="search_category")
    deal_filter = f2.selectbox("Deal", ["(any)", *sorted({d.deal for d in docs if d.deal})], key="search_deal")
    kind_filter = f3.selectbox("Kind", ["(any)", "proposal", "comparable", "reference"], key="search_kind")
    if query.strip():
        hits = desk.search(
            query,
            k=10,
            category=None if cat == "(any)" else cat,
            deal=None if deal_filter == "(any)" else deal_filter,
            kind=None if kind_filter == "(any)" else kind_filter,
        ).hits
        if not hits:
            st.info("No matching clauses.")
        for i, h in enumerate(hits, 1):
            with st.container(border=True):
                why = ", ".join(
                    f"{name} rank {rank}"
                    for name, rank in (
                        ("meaning", h.dense_rank),
                        ("words", h.lexical_rank),
                        (f"category ({', '.join(h.matched_categories)})", h.category_rank),
                    )
                    if rank is not None
                )
                about = f" · {', '.join(h.categories)}" if h.categories else ""
                st.markdown(f"**{i}. {md(h.heading or 'Clause')}** · {md(h.deal or h.document_title)} · {h.kind} · page {h.page}{md(about)}")
                st.caption(f"matched by {md(why)}")
                st.markdown(md(" ".join(h.text.split())))
