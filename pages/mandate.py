"""Mandate: the collective's playbook, viewed and edited; every save is a new version."""

from datetime import datetime

import streamlit as st

from desk import appstate
from desk.mandate_edit import apply_table, terms_table
from desk.markup import md
from desk.service import DeskError

desk = appstate.desk()

st.title("Mandate")

with st.expander("Load a mandate file (TOML)"):
    upload = st.file_uploader("Mandate TOML", type=["toml"], key="mandate_upload")
    if upload is not None and st.button("Validate and save as a new version", key="mandate_upload_save"):
        try:
            text = upload.getvalue().decode("utf-8")
            version = desk.save_mandate(text, note=f"uploaded {upload.name}")
        except (DeskError, UnicodeDecodeError) as exc:
            st.error(f"{md(upload.name)}: not saved. {md(exc)}")
        else:
            st.success(f"Saved version {version[:12]}.")

try:
    mandate = desk.active_mandate()
except DeskError as exc:
    st.error(f"The active mandate does not load: {md(exc)}")
    st.stop()
if mandate is None:
    st.info("No mandate yet: load a TOML file above, or run `desk demo` for the example.")
    st.stop()

c = mandate.collective
st.subheader(md(c.name))
st.caption(
    f"{md(c.sector)} · {c.members} members"
    + (f" · {c.records:,.0f} records" if c.records else "")
    + (f" · {c.tokens:,.0f} tokens" if c.tokens else "")
    + f" · currency {c.currency} · version `{mandate.version[:12]}`"
)

st.markdown(f"**{len(mandate.terms)} terms:** " + " · ".join(md(t.label) for t in mandate.terms))
st.markdown(
    "Edit positions in the grid: numbers (use `inf` for perpetual), options separated by commas, yes/no. "
    "Weights should add up to 1. Saving validates the whole mandate and keeps the previous version."
)
rows = terms_table(mandate)
edited = st.data_editor(
    rows,
    hide_index=True,
    disabled=["key", "kind", "unit", "direction", "options"],
    column_config={
        "weight": st.column_config.NumberColumn("weight", min_value=0.0, max_value=1.0, step=0.01, format="%.3f"),
        "fallback": st.column_config.TextColumn("fallback clause", width="large"),
        "rationale": st.column_config.TextColumn("rationale", width="medium"),
    },
    key="mandate_terms",
)
total = sum(float(r["weight"] or 0) for r in edited)
normalise = st.checkbox(f"Rescale weights to sum to 1 (now {total:.3f})", value=False, key="mandate_normalise")
note = st.text_input("What changed (kept with the version)", key="mandate_note")
if st.button("Save as new version", type="primary", key="mandate_save"):
    try:
        new = apply_table(mandate, edited, normalise=normalise)
        version = desk.save_mandate(new, note=note)
    except DeskError as exc:
        st.error(f"Not saved. {md(exc)}")
    else:
        st.success(f"Saved version {version[:12]}.")
        st.rerun()

with st.expander("Term details and rationale"):
    for t in mandate.terms:
        st.markdown(f"**{md(t.label)}** ({md(t.key)}, weight {t.weight:.2f}) · categories: {md(', '.join(t.categories))}")
        if t.rationale:
            st.caption(md(t.rationale))

st.subheader("Versions")
st.dataframe(
    [{"version": v["version"][:12], "name": v["name"], "note": v["note"], "saved": datetime.fromtimestamp(v["added_at"])} for v in reversed(desk.mandate_versions())],
    hide_index=True,
    column_config={"saved": st.column_config.DatetimeColumn("saved", format="YYYY-MM-DD HH:mm")},
    key="mandate_versions",
)
