"""Market: publicly reported AI data-licensing deals, and where the proposal sits among them."""

import altair as alt
import pandas as pd
import streamlit as st

from desk import appstate
from desk.markup import md
from desk.service import DeskError

desk = appstate.desk()
st.title("The market for AI data deals")

view_all = desk.market()
sectors = sorted({d["sector"] for d in view_all.deals if d["sector"]})
years = sorted({d["year"] for d in view_all.deals if d["year"]})
f1, f2, f3, f4 = st.columns(4)
sector = f1.selectbox("Sector", ["(all)", *sectors], key="market_sector")
year = f2.selectbox("Year", ["(all)", *years], key="market_year")
data_type = f3.text_input("Data type contains", key="market_data_type")
use = f4.selectbox("Use", ["(any)", "training", "display_rag"], key="market_use")
view = desk.market(
    sector=None if sector == "(all)" else sector,
    year=None if year == "(all)" else year,
    data_type=data_type or None,
    use=None if use == "(any)" else use,
)

if view.proposal is not None:
    p = view.proposal
    st.subheader("Where the proposal sits")
    c1, c2, c3 = st.columns(3)
    c1.metric("Proposal's yearly value", f"USD {p.yearly_value_usd:,.0f}" if p.yearly_value_usd is not None else "not stated")
    c2.metric("Term", "perpetual" if p.term_years == float("inf") else (f"{p.term_years:g} years" if p.term_years else "not stated"))
    c3.metric("Uses", ", ".join(p.uses) or "not stated")
    for pos in (view.position, view.term_position, view.uses_position):
        if pos:
            (st.warning if pos.get("small_sample") else st.markdown)(md(pos["note"]))

stats = view.statistics["yearly_value_usd"]
st.caption(f"Licences with a reported yearly value: n = {stats['n']} ({stats['note']}).")

chart = view.chart_data()
if chart["points"]:
    points = pd.DataFrame(chart["points"])
    base = alt.Chart(points)
    strip = base.mark_circle(size=110, opacity=0.8).encode(
        x=alt.X("yearly_mid_usd:Q", scale=alt.Scale(type="log"), title="reported yearly value (USD, log scale)"),
        y=alt.Y("sector:N", title=None),
        color=alt.Color("confidence:N", title="confidence"),
        tooltip=["label", "yearly_low_usd", "yearly_high_usd", "confidence", "source_url"],
    )
    ranges = base.mark_rule().encode(x="yearly_low_usd:Q", x2="yearly_high_usd:Q", y="sector:N")
    layers = ranges + strip
    if chart["proposal"]:
        marker = pd.DataFrame([chart["proposal"]])
        layers += alt.Chart(marker).mark_rule(color="#c5221f", strokeWidth=2, strokeDash=[6, 3]).encode(x="yearly_value_usd:Q", tooltip=["label", "yearly_value_usd"])
    st.altair_chart(layers.properties(height=60 + 40 * len(chart["sectors"])), key="market_chart")
    st.caption("Dots: reported yearly values (lines: reported ranges); dashed red line: the proposal.")

for record_type, group in view.groups.items():
    rows = [d for d in view.deals if d["record_type"] == record_type]
    if not rows:
        continue
    st.markdown(f"**{md(group['label'])}** ({len(rows)})" + ("" if group["in_statistics"] else " · listed apart, not in the statistics"))
    st.dataframe(
        [
            {
                "deal": d["deal_id"], "announced": d["announced"], "licensor": d["licensor"], "licensee": d["licensee"],
                "sector": d["sector"], "as reported": d["value_as_reported"], "yearly low (USD)": d["yearly_low_usd"],
                "yearly high (USD)": d["yearly_high_usd"], "term (years)": d["term_years"], "confidence": d["confidence_text"] or d["confidence"],
                "entered by hand": d["hand_entered"], "source": d["source_url"],
            }
            for d in rows
        ],
        hide_index=True,
        column_config={"source": st.column_config.LinkColumn("source")},
        key=f"market_table_{record_type}",
    )

with st.expander("Add a comparable deal by hand"):
    with st.form("deal_form"):
        a, b = st.columns(2)
        fields = {
            "licensor": a.text_input("Licensor", key="deal_licensor"),
            "licensee": b.text_input("Licensee", key="deal_licensee"),
            "announced": a.text_input("Announced (YYYY-MM)", key="deal_announced"),
            "currency": b.selectbox("Currency", ["USD", "EUR", "GBP"], key="deal_currency"),
            "value_low": a.text_input("Value, low", key="deal_low"),
            "value_high": b.text_input("Value, high", key="deal_high"),
            "basis": a.selectbox("Basis", ["per_year", "total_over_term"], key="deal_basis"),
            "term": b.text_input("Term (years)", key="deal_term"),
            "uses": a.text_input("Uses (training, display_rag)", key="deal_uses"),
            "confidence": b.selectbox("Confidence", ["high", "medium", "low"], key="deal_confidence"),
            "source_url": st.text_input("Source (URL or document)", key="deal_source"),
        }
        if st.form_submit_button("Add deal"):
            try:
                desk.add_deal({k: v for k, v in fields.items() if v not in ("", None)})
            except DeskError as exc:
                st.error(f"Not added. {md(exc)}")
            else:
                st.success("Added; it is marked as entered by hand.")
                st.rerun()

for note in view.notes:
    st.caption(md(note))
st.caption("CLI: `desk market --json`.")
