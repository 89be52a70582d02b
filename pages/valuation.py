"""Valuation: what the collective's data is worth per year, by method, with its evidence."""

import altair as alt
import pandas as pd
import streamlit as st

from desk import appstate
from desk.markup import md
from desk.service import DeskError
from desk.valuation_service import ValuationInputs

desk = appstate.desk()
st.title("Valuation")

with st.sidebar.expander("Assumptions", expanded=True):
    vpp = st.number_input("Buyer's yearly value per point of model quality (USD; 0 = derive from comparables)", min_value=0.0, value=0.0, step=500_000.0, key="val_vpp")
    consent = st.slider("Share of the data members consent to license", 0.0, 1.0, (0.7, 0.95), step=0.05, key="val_consent")
    buyer_scale = st.number_input("Buyer's own data (sample rows)", min_value=1_000, value=100_000, step=10_000, key="val_scale")
    eur = st.number_input("USD per EUR (0 = shipped rate)", min_value=0.0, value=0.0, step=0.01, format="%.4f", key="val_eur")
    gbp = st.number_input("USD per GBP (0 = shipped rate)", min_value=0.0, value=0.0, step=0.01, format="%.4f", key="val_gbp")
    draws = st.select_slider("Monte Carlo draws", [200, 500, 1000, 2000, 5000], value=1000, key="val_draws")

with st.expander("Data sample for the counterfactual methods"):
    own = desk.sample_in_use()
    st.caption(f"In use: `{own.name}` (uploaded)" if own else "In use: the demo's STAND-IN sample (CUAD clause texts, not the collective's data).")
    upload = st.file_uploader("Labelled sample (CSV or JSONL with columns label, member, and text or numeric features)", type=["csv", "jsonl"], key="val_sample")
    if upload is not None and st.button("Use this sample", key="val_sample_save"):
        try:
            desk.store_sample(upload.getvalue(), upload.name)
        except DeskError as exc:
            st.error(f"Not stored. {md(exc)}")
        else:
            st.success("Sample stored; the valuation below uses it.")

fx = {k: v for k, v in (("EUR", eur), ("GBP", gbp)) if v > 0}
inputs = ValuationInputs(
    value_per_point_usd=float(vpp) if vpp > 0 else None, consent_share=tuple(consent), buyer_scale_n=float(buyer_scale),
    mc_draws=int(draws), fx_overrides=fx or None,
)

bar = st.progress(0.0, text="Valuing…")
try:
    report = desk.value(inputs=inputs, progress=lambda f, m: bar.progress(min(1.0, f), text=m))
except DeskError as exc:
    bar.empty()
    st.error(md(exc))
    st.stop()
bar.empty()

st.subheader(f"{md(report.collective)}: value per year")
c1, c2, c3 = st.columns(3)
c1.metric("P10", f"USD {report.p10:,.0f}")
c2.metric("P50", f"USD {report.p50:,.0f}")
c3.metric("P90", f"USD {report.p90:,.0f}")
st.caption(("Reused from the workspace cache (inputs unchanged). " if report.cached else "") + "Combined: " + md(report.combined.assumptions["mixture"]))
for note in report.notes:
    st.info(md(note))

methods = pd.DataFrame(
    [{"method": e.method.replace("_", " "), "P10": e.p10, "P50": e.p50, "P90": e.p90, "n": e.sample_size} for e in report.estimates]
    + [{"method": "combined", "P10": report.p10, "P50": report.p50, "P90": report.p90, "n": report.combined.sample_size}]
)
st.markdown("**Value range by method (USD per year, log scale)**")
base = alt.Chart(methods).encode(y=alt.Y("method:N", sort=None, title=None))
chart = base.mark_rule(strokeWidth=3).encode(
    x=alt.X("P10:Q", scale=alt.Scale(type="log"), title="USD per year"), x2="P90:Q"
) + base.mark_point(filled=True, size=90, color="#c5221f").encode(x="P50:Q", tooltip=["method", "P10", "P50", "P90", "n"])
st.altair_chart(chart.properties(height=180), key="val_range_chart")

for e in report.estimates:
    unconverged = e.converged is False
    with st.expander(
        f"{e.method.replace('_', ' ').title()}: P50 USD {e.p50:,.0f} (n = {e.sample_size})"
        + (" · Monte Carlo NOT converged" if unconverged else ""),
        expanded=unconverged,
    ):
        if unconverged:
            st.warning("The Monte Carlo estimate behind these numbers did not reach its stopping rule within the budget: treat them as rough.")
        for note in e.notes:
            st.markdown(f"- {md(note)}")
        st.markdown("**Inputs**")
        st.json(e.inputs, expanded=False)
        st.markdown("**Assumptions**")
        st.json(e.assumptions, expanded=False)
        if e.evidence:
            st.caption("Evidence: " + md(", ".join(e.evidence)))

curve = report.learning_curve
if curve:
    st.markdown("**Learning curve of the buyer-side model** (points measured; line and band: power-law fit with 80% band)")
    pts = pd.DataFrame({"rows": curve["sizes"], "score": curve["scores"]})
    band = pd.DataFrame(curve["band80"])
    lc = (
        alt.Chart(band).mark_area(opacity=0.25, color="#1a73e8").encode(x=alt.X("n:Q", scale=alt.Scale(type="log"), title="training rows"), y=alt.Y("low:Q", title="score", scale=alt.Scale(zero=False)), y2="high:Q")
        + alt.Chart(band).mark_line(color="#1a73e8").encode(x="n:Q", y="fit:Q")
        + alt.Chart(pts).mark_point(color="#202124").encode(x="rows:Q", y="score:Q")
    )
    st.altair_chart(lc.properties(height=260), key="val_curve_chart")
    up = curve["extrapolated_uplift_points"]
    st.caption(
        f"Measured: {curve['score_without']:.3f} without the collective's data, {curve['score_with']:.3f} with it "
        f"(+{curve['measured_uplift_points']:.2f} points). Extrapolated to the buyer's scale: +{up['point']:.4f} points "
        f"(80% band {up['low']:.4f} to {up['high']:.4f})."
    )

if report.member_values:
    st.subheader("Members' contributions and a fair split")
    proceeds = st.number_input("Proceeds to split (USD)", min_value=0.0, value=float(round(report.p50, -3)), step=100_000.0, key="val_proceeds")
    rows = report.share_out(proceeds).members
    st.dataframe(
        [
            {
                "member": r.member, "rows": r.rows, "Shapley value": r.shapley_value,
                "by value (USD)": r.shapley_cents / 100, "pro rata (USD)": r.pro_rata_cents / 100,
                "difference (USD)": r.difference_cents / 100, "opted out": r.opted_out, "why": r.explanation,
            }
            for r in rows
        ],
        hide_index=True,
        key="val_members",
    )
    st.caption(f"The split sums to USD {sum(r.shapley_cents for r in rows) / 100:,.2f} exactly. Negative Shapley values are floored at zero.")

st.caption("CLI: `desk value --json` gives the same numbers.")
