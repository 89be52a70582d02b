"""Review: the proposal against the mandate, term by term, with the clauses behind each status."""

import streamlit as st

from desk import appstate
from desk.mandate import format_value
from desk.markup import Html, element, highlight, join, md, table
from desk.review_service import DECISIONS
from desk.service import DeskError

STATUS_STYLE = {
    "meets_preferred": ("Meets preferred", "#1e8e3e", "#e6f4ea"),
    "acceptable": ("Acceptable", "#b06000", "#fef7e0"),
    "breaches_walk_away": ("Breaches walk-away", "#c5221f", "#fce8e6"),
    "not_addressed": ("Not addressed", "#5f6368", "#f1f3f4"),
    "unclear": ("Unclear", "#7b1fa2", "repeating-linear-gradient(45deg,#f3e8fd,#f3e8fd 6px,#ffffff 6px,#ffffff 12px)"),
}

desk = appstate.desk()
st.title("Review against the mandate")

doc_id = appstate.pick_proposal(key="review_document")
versions = list(reversed(desk.mandate_versions()))
version = st.selectbox(
    "Mandate version",
    [v["version"] for v in versions],
    format_func=lambda v: f"{v[:12]} · " + next(x["note"] or x["name"] for x in versions if x["version"] == v),
    key="review_mandate",
)
assistant = desk.assistant()
use_llm = assistant.enabled and st.toggle(
    "LLM reader: let the configured model settle unclear and unaddressed terms (its quotes are checked against the clause)",
    key="review_assist",
)
try:
    result = desk.review(doc_id, version, assist=use_llm)
except DeskError as exc:
    st.error(md(exc))
    st.stop()
review, mandate = result.review, result.mandate
summary = review.summary()
for warning in result.document.warnings:  # hidden text, repaired encodings: the reviewer must know
    st.warning(md(warning), icon=":material/visibility_off:")
if result.assistance:
    used = result.assistance
    st.info(
        f"LLM reader ({md(used['model'])} at {md(used['endpoint'])}): {len(used['accepted'])} answer(s) applied, "
        f"{len(used['rejected'])} rejected (quote not in the cited clause, or not a value of the term). "
        "Findings it settled are marked “LLM” below.",
        icon=":material/smart_toy:",
    )

cols = st.columns(5)
for col, (status, (label, fg, _bg)) in zip(cols, STATUS_STYLE.items()):
    col.metric(label, f"{summary['counts'][status]:,}")
findings = review.problems_first()  # problems first (breaches, unclear, not addressed), heaviest first; then the rest
problems = result.problems()
if problems:
    st.markdown(
        "**Most important problems:** "
        + "; ".join(md(f"{p.label} ({STATUS_STYLE[p.status][0].lower()}, weight {p.weight:.2f})") for p in problems[:3])
    )
missing = [f.label for f in problems if f.status == "not_addressed"]
if missing:
    st.markdown("**Missing entirely:** " + md(", ".join(missing)))

terms = {t.key: t for t in mandate.terms}
rows = []
for f in findings:
    t = terms[f.term]
    label, fg, bg = STATUS_STYLE[f.status]
    rows.append([
        element("b", f.label),
        join([element("span", label, {"style": f"color:{fg};background:{bg};padding:2px 8px;border-radius:10px;white-space:nowrap"}),
              element("span", " LLM", {"title": "read by the LLM reader; quote verified", "style": "font-size:0.75rem;color:#1a73e8"}) if f.assisted else ""]),
        f.value_text,
        format_value(t, t.preferred),
        format_value(t, t.acceptable),
        format_value(t, t.walk_away),
        join((f"p. {e.page} · {e.heading[:40]}" for e in f.evidence[:3]), separator=Html("<br>")) if f.evidence else "—",
        made.short if (made := result.decision(f.term)) else "",
    ])
st.html(table(
    ["Term", "Status", "Proposal", "Preferred", "Acceptable", "Walk-away", "Clauses", "Decision"], rows,
    {"id": "review-table", "style": "width:100%;border-collapse:collapse;font-size:0.9rem"},
))

st.subheader("Finding detail")
finding_labels = {f.term: f"{f.label} · {STATUS_STYLE[f.status][0]}" for f in review.findings}
term_key = st.selectbox("Term", [f.term for f in findings], format_func=finding_labels.get, key="review_term")
finding = next(f for f in review.findings if f.term == term_key)
st.markdown(md(finding.explanation))
st.caption(
    ("LLM-assisted · " if finding.assisted else "")
    + f"Read by {md(finding.reader)} · confidence {finding.confidence:.0%}"
)

recorded = result.decision(finding.term)
if recorded:  # the legal adviser's call belongs beside the finding, not only in the table
    said = [element("b", f"Legal adviser's decision: {recorded.decision}")]
    if recorded.reason:
        said += [Html("<br>"), "Reason: ", recorded.reason]
    by = " · ".join(x for x in (f"by {recorded.user}" if recorded.user else "", recorded.when) if x)
    if by:
        said += [Html("<br>"), element("span", f"Recorded {by}", {"style": "color:#5f6368;font-size:0.85rem"})]
    st.html(element("div", join(said), {
        "id": "recorded-decision",
        "style": "border-left:4px solid #1a73e8;background:#e8f0fe;padding:0.6rem 0.8rem;border-radius:4px",
    }))

for ev in finding.evidence:
    with st.expander(f"Clause: {md(ev.heading or 'clause')} · page {ev.page} · characters {ev.start:,}–{ev.end:,}", expanded=False):
        st.html(highlight(result.document.text, ev.start, ev.end, context=600))

rl = result.redline(finding)
if rl:
    against = rl["against"]
    if against:  # the clause whose words decided the finding (its first evidence): that is the one to amend
        st.markdown(
            f"**Fallback clause from the mandate, as a redline against “{md(against['heading'] or 'the deciding clause')}” "
            f"(page {against['page']})**, "
            + ("the first clause that leaves this term unclear" if finding.status == "unclear" else "the clause whose words decided this finding")
        )
    else:
        st.markdown("**Fallback clause from the mandate, as a new clause** (the proposal has no clause on this term to amend)")
    redline = Html(rl["html"])  # desk.redline escapes every word it marks up
    st.html(element("div", redline, {"id": "redline", "style": "font-family:Georgia,serif;line-height:1.6;border:1px solid #ddd;padding:0.8rem;border-radius:6px"}))
    st.code(finding.fallback, language=None)

with st.form("decision_form"):
    st.markdown("**Change the legal adviser's decision on this finding**" if recorded else "**Legal adviser's decision on this finding**")
    decision = st.radio("Decision", DECISIONS, horizontal=True, key="review_decision")
    reason = st.text_input("Reason (required to override; kept in the briefing pack and the audit log)", key="review_reason")
    if st.form_submit_button("Record decision"):
        try:
            desk.decide(result.document.id, finding.term, decision, reason)
        except DeskError as exc:
            st.error(md(exc))
        else:
            st.success(f"Recorded: {md(finding.label)} {decision}.")
            st.rerun()

st.caption(f"CLI: `desk review {result.document.id[:12]} --mandate {mandate.version[:12]} --json`")

st.subheader("LLM assistance")
if not assistant.enabled:
    st.caption(
        ":material/lock: LLM assistance is off: nothing leaves this machine and the review above is complete without it. "
        "Set `DESK_LLM_BASE_URL` (and `DESK_LLM_MODEL`, `OPENAI_API_KEY`) to turn it on."
    )
else:
    tasks = {
        "summary": ("Narrative summary for the negotiator", assistant.summarise),
        "opinion": ("Second opinion on unclear findings", assistant.second_opinion),
        "drafting": ("Smoother fallback drafting", assistant.draft_fallbacks),
    }
    task = st.radio("Task", list(tasks), format_func=lambda k: tasks[k][0], horizontal=True, key="llm_task")
    preview = assistant.outgoing(tasks[task][0], result.clauses, review.findings)
    st.warning(
        f"Sending will transmit the text below to **{preview['endpoint']}** (model {preview['model']})."
        + (" Member names and personal data are redacted." if preview["redacted"] else " Redaction is OFF."),
        icon=":material/cloud_upload:",
    )
    with st.expander("Exactly what will leave the machine"):
        for m in preview["messages"]:
            st.markdown(f"**{m['role']}**")
            st.text(m["content"][:20000])
    if st.button("Send", key="llm_send"):
        try:
            checked = tasks[task][1](result.clauses, review.findings)
        except DeskError as exc:
            st.error(md(exc))
        else:
            for item in checked.kept:  # model output: shown as text, never as HTML or Markdown
                st.markdown("- " + md(item.get("text") or item.get("reading") or item.get("clause_text")))
                st.caption("cites " + md(", ".join(item["clause_ids"])))
            if checked.dropped_count:
                st.caption(f"{checked.dropped_count} statement(s) dropped: they cited no clause of this document.")
