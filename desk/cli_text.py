"""The CLI's human-readable output: one formatter per command, from the command's typed result.

The ``--json`` output is the result's ``to_dict()``; these are for people at a
terminal. They live on the CLI side so the engines and the ``Desk`` never
decide how a terminal line looks.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any

from desk.review_service import PROBLEMS, STATUS_WORDS

if TYPE_CHECKING:
    from desk.compare import Comparison
    from desk.market import MarketView

# C0 and C1 controls (newline and escape included), bidirectional overrides and isolates, zero-width characters
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def terminal_safe(text: object) -> str:
    """``text`` with every character that could move the cursor, recolour the terminal, reorder the
    line or hide itself written as an escape (``\\n``, ``\\x1b``, ``\\u202e``): a file name or a label
    from a hostile file prints as one honest line."""
    return _UNSAFE.sub(lambda m: ascii(m.group())[1:-1], str(text))


def safe_payload(payload: Any) -> Any:
    """Every string in a JSON-ready payload made :func:`terminal_safe`, for the human formatters."""
    if isinstance(payload, str):
        return terminal_safe(payload)
    if isinstance(payload, dict):
        return {k: safe_payload(v) for k, v in payload.items()}
    if isinstance(payload, list):
        return [safe_payload(v) for v in payload]
    return payload


STATUS_MARK = {"meets_preferred": "OK  ", "acceptable": "~   ", "breaches_walk_away": "XX  ", "not_addressed": "--  ", "unclear": "??  "}


def ingest_text(p: dict[str, Any]) -> str:
    lines = []
    for r in p["results"]:
        d = r["document"]
        if r["status"] == "unchanged":
            lines.append(f"unchanged: {r['path']} is already in the workspace as {d['id'][:12]} ({d['title']}); nothing to do")
        else:
            lines.append(f"added: {r['path']} -> {d['id'][:12]} {d['kind']} '{d['title']}', {d['pages']} pages, {d['clauses']} clauses")
    return "\n".join(lines)


def reanalyse_text(p: dict[str, Any]) -> str:
    if not p["results"]:
        return "every stored document was analysed by the current clause model; nothing to do"
    return "\n".join(
        f"reanalysed: {r['document']['id'][:12]} '{r['document']['title']}', {r['document']['clauses']} clauses"
        for r in p["results"]
    )


def clauses_text(p: dict[str, Any]) -> str:
    lines = [f"{p['document']['title']}: {len(p['clauses'])} clauses, {p['document']['pages']} pages"]
    lines += [f"warning: {w}" for w in p["document"].get("warnings", [])]
    for c in p["clauses"]:
        cats = ", ".join(f"{k['name']} {k['score']:.2f}" for k in c["categories"]) or "-"
        lines.append(f"p{c['page']:<3} {c['start']:>7}-{c['end']:<7} {c['heading'][:40]:<40} {cats}")
    return "\n".join(lines)


def search_text(p: dict[str, Any]) -> str:
    if not p["hits"]:
        return "no matching clauses"
    out = []
    for i, h in enumerate(p["hits"], 1):
        about = f" (category: {', '.join(h['matched_categories'])})" if h.get("matched_categories") else ""
        out.append(f"{i:>2}. {h['score']:.4f} [{h['deal'] or h['document_title']}] p{h['page']} {h['heading'][:50]}{about}")
        out.append("    " + " ".join(h["text"].split())[:200])
    return "\n".join(out)


def status_text(p: dict[str, Any]) -> str:
    c = p["collective"]
    lines = [f"workspace: {p['workspace']}"]
    lines.append(f"collective: {c['name']} ({c['sector']}, {c['members']} members)" if c else "collective: no mandate yet")
    if p["counterparty"]:
        lines.append(f"counterparty: {p['counterparty']}")
    for kind, docs in p["documents"].items():
        for d in docs:
            lines.append(f"{kind:<10} {d['id'][:12]} {d['title']} ({d['pages']} pages, {d['clauses']} clauses){' - ' + d['deal'] if d['deal'] else ''}")
    lines += [f"next: {s}" for s in p["next_steps"]]
    lines += [f"problem: {s}" for s in p["problems"]]
    return "\n".join(lines)


def _clip(text: object, width: int) -> str:
    text = str(text)
    return text if len(text) <= width else text[: width - 1] + "…"


def review_text(p: dict[str, Any]) -> str:
    """Findings problems first, statuses in words (the ids and the mandate's order stay in --json)."""
    lines = [f"{p['document']['title']} against {p['mandate']['name']} (mandate {p['mandate']['version'][:12]})"]
    lines += [f"warning: {w}" for w in p["document"].get("warnings", [])]
    # problems first, heaviest first, as on the Review page (Review.problems_first)
    findings = sorted(p["findings"], key=lambda f: (f["status"] not in PROBLEMS, -(f.get("weight") or 0)))
    for f in findings:
        where = ", ".join(f"p{e['page']} {e['heading'][:24]}" for e in f["evidence"][:2])
        status = STATUS_WORDS.get(f["status"], f["status"])
        llm = " [read by the LLM, quote verified]" if f.get("assisted") else ""
        lines.append(f"{STATUS_MARK[f['status']]}{_clip(f['label'], 38):<38} {status:<18} {_clip(f['value_text'], 40):<40} {where}{llm}")
    counts = p["summary"]["counts"]
    lines.append(" · ".join(f"{STATUS_WORDS.get(k, k)}: {v:,}" for k, v in counts.items()))
    for t in p["summary"]["top_problems"]:
        lines.append(f"problem: {t['label']} ({STATUS_WORDS.get(t['status'], t['status'])}, weight {t['weight']:.2f})")
    if p.get("assistance"):
        a = p["assistance"]
        lines.append(f"LLM reader ({a['model']} at {a['endpoint']}): {len(a['accepted'])} answers applied, {len(a['rejected'])} rejected"
                     + "".join(f"\n  rejected {r['term']}: {r['why']}" for r in a["rejected"]))
    return "\n".join(lines)


def decision_text(p: dict[str, Any]) -> str:
    return f"recorded: {p['term']} {p['decision']}" + (f" ({p['reason']})" if p["reason"] else "")


def value_text(r: dict[str, Any]) -> str:
    lines = [f"{r['collective']}: P10 {r['p10']:,.0f}  P50 {r['p50']:,.0f}  P90 {r['p90']:,.0f} {r['unit']}"]
    for e in r["estimates"]:
        lines.append(f"  {e['method']:<22} P10 {e['p10']:>14,.0f}  P50 {e['p50']:>14,.0f}  P90 {e['p90']:>14,.0f}  n={e['sample_size']}"
                     + ("  (Monte Carlo NOT converged)" if e.get("converged") is False else ""))
    lines += [f"  note: {n}" for n in r.get("notes", [])]
    for m in r.get("payout", {}).get("members", []):
        lines.append(f"  {m['member']:<12} by value {m['shapley_cents'] / 100:>14,.2f}  pro rata {m['pro_rata_cents'] / 100:>14,.2f}")
    return "\n".join(lines)


def audit_text(p: dict[str, Any]) -> str:
    if p["ok"]:
        return f"audit trail ok: {p['entries']} entries, chain intact, every stored item logged"
    if p.get("missing"):
        return "\n".join([f"audit trail INCOMPLETE: {p['problem']}", *[f"  {m}" for m in p["missing"]]])
    return f"audit trail BROKEN at entry {p['line']}: {p['problem']}"


def _squash(text: str) -> str:
    return " ".join(text.split())


def comparison_text(comparison: Comparison, width: int = 100) -> str:
    """The comparison for a terminal: each clause, its best precedents with the one-line summary."""
    t = terminal_safe
    lines = [f"{t(comparison.document_title)}: {len(comparison.clauses)} clauses against "
             f"{len(comparison.comparables)} comparable contracts"]
    lines += [f"note: {t(n)}" for n in comparison.notes]
    for row in comparison.clauses:
        head = t((row.heading.split("\n")[0] or _squash(row.text)[:60])[:70])
        mark = " [material]" if row.material else ""
        lines.append("")
        lines.append(f"p.{row.page} {head}{mark}  ({', '.join(row.categories) or 'unclassified'})")
        for flag in row.unusual:
            lines.append(f"  ! {t(flag.reason)}")
        for n in row.neighbours:
            lines.append(f"  {n.similarity:.2f}  {t(n.deal or n.document_title)} p.{n.page} {t((n.heading.split(chr(10))[0] or '')[:50])}")
            lines.append(f"        {t(n.summary[: width - 8])}")
    return "\n".join(lines)


def _money(v: float | None) -> str:
    return "-" if v is None else f"${v / 1e6:,.1f}M"


def market_text(view: MarketView) -> str:
    """The market view for a terminal: the proposal's position first, then the deals by record type."""
    lines = []
    stats = view.statistics["yearly_value_usd"]
    if view.proposal is not None:
        p = view.proposal
        term = "-" if p.term_years is None else ("perpetual" if math.isinf(p.term_years) else f"{p.term_years:g} years")
        lines.append(f"proposal {terminal_safe(p.title)}: {_money(p.yearly_value_usd)}/year, term {term}, "
                     f"uses {terminal_safe(', '.join(p.uses)) or '-'}")
        if view.position:
            lines.append(f"  yearly value: {view.position['note']} ({view.position['below']} below, {view.position['above']} above)")
        if view.term_position:
            lines.append(f"  term: {view.term_position['note']}")
        if view.uses_position:
            lines.append(f"  uses: {view.uses_position['note']}")
        lines.append("")
    if stats["n"]:
        lines.append(f"licences with a yearly value: n={stats['n']}, median {_money(stats['median'])}, "
                     f"range {_money(stats['min'])} to {_money(stats['max'])} ({stats['note']})")
    for record_type, group in view.groups.items():
        lines.append("")
        lines.append(f"{group['label']} ({len(group['deal_ids'])})" + ("" if group["in_statistics"] else " - listed apart, not in the statistics"))
        for d in (safe_payload(r) for r in view.deals if r["record_type"] == record_type):
            yearly = (f"{_money(d['yearly_low_usd'])}" + (f" to {_money(d['yearly_high_usd'])}" if d["yearly_high_usd"] not in (None, d["yearly_low_usd"]) else "")
                      + ("+" if d["yearly_low_usd"] is not None and d["yearly_high_usd"] is None else "") + "/yr") if d["yearly_low_usd"] is not None else (
                      f"total {_money(d['total_low_usd'])}" if d["total_low_usd"] is not None else (
                      f"${d['anchors'][0]['low_usd']:,.4g} per {d['anchors'][0]['unit']}" if d["anchors"] else "undisclosed"))
            hand = " [entered by hand]" if d["hand_entered"] else ""
            lines.append(f"  {d['deal_id']:<12} {d['announced']} {d['licensor'][:28]:<28} -> {d['licensee'][:28]:<28} {yearly:<24} "
                         f"{d['confidence']}{hand}  {d['source_url']}")
    lines += ["", *[f"note: {terminal_safe(n)}" for n in view.notes]]
    return "\n".join(lines)


def mandate_check_text(p: dict[str, Any]) -> str:
    """One block per term: its type and why, the unit as understood, then each warning."""
    lines = [f"{p['mandate']} (mandate {p['version'][:12]}): {len(p['terms'])} terms, {p['warnings']} warnings"]
    for t in p["terms"]:
        unit = f"; {t['unit']}" if t["unit"] else ""
        lines.append(f"- {t['key']} ({t['kind']}): {t['type']} [{t['chosen']}: {t['why']}]{unit}")
        lines.append(f"    reads {t['reader']}")
        lines.extend(f"    warning: {w}" for w in t["warnings"])
    if p["unreadable"]:
        lines.append("nothing can read: " + ", ".join(p["unreadable"]))
    return "\n".join(terminal_safe(line) for line in lines)


def term_types_text(p: dict[str, Any]) -> str:
    return "\n".join(f"{t['type']:26} {t['kinds']:16} {t['reads']}" for t in p["types"])
