"""The ``desk`` command line: every capability of the workbench, scriptable.

Each command prints human-readable text, or exactly one JSON document on
stdout with ``--json``. Bad input gives one line ``error: <subject>: <reason>``
on stderr and exit code 2, and leaves the workspace as it was.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Callable, Sequence

from desk.errors import DeskError, NotAvailableError
from desk.settings import Settings, load_settings

Handler = Callable[[argparse.Namespace, Settings], Any]


def _emit(args: argparse.Namespace, payload: Any, human: Callable[[Any], str]) -> None:
    if getattr(args, "json", False):
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
    else:
        text = human(payload)
        if text:
            print(text)


# -- commands -------------------------------------------------------------------


def cmd_demo(args: argparse.Namespace, settings: Settings) -> None:
    from desk.demo import seed_demo

    summary = seed_demo(settings, progress=None if args.json else _print_progress)
    _emit(args, summary, lambda s: f"demo workspace ready at {s['workspace']}: {s['documents']} documents, mandate {s['mandate'][:12]}")


def _print_progress(fraction: float, message: str) -> None:
    """Progress for people at a terminal; scripts and pipes get only the result (or one error line)."""
    if sys.stderr.isatty():
        print(f"[{fraction:4.0%}] {message}", file=sys.stderr, flush=True)


def cmd_ingest(args: argparse.Namespace, settings: Settings) -> None:
    from desk.ingest import expand_paths, ingest_files

    paths = expand_paths([Path(p) for p in args.files])
    results = ingest_files(settings, paths, kind=args.kind, deal=args.deal or "", progress=None if args.json else _print_progress)
    payload = {"results": [r.to_dict() for r in results]}

    def human(p: dict[str, Any]) -> str:
        lines = []
        for r in p["results"]:
            d = r["document"]
            if r["status"] == "unchanged":
                lines.append(f"unchanged: {r['path']} is already in the workspace as {d['id'][:12]} ({d['title']}); nothing to do")
            else:
                lines.append(f"added: {r['path']} -> {d['id'][:12]} {d['kind']} '{d['title']}', {d['pages']} pages, {d['clauses']} clauses")
        return "\n".join(lines)

    _emit(args, payload, human)


def cmd_reanalyse(args: argparse.Namespace, settings: Settings) -> None:
    from desk.ingest import reanalyse

    results = reanalyse(settings, progress=None if args.json else _print_progress)
    payload = {"results": [r.to_dict() for r in results]}

    def human(p: dict[str, Any]) -> str:
        if not p["results"]:
            return "every stored document was analysed by the current clause model; nothing to do"
        return "\n".join(
            f"reanalysed: {r['document']['id'][:12]} '{r['document']['title']}', {r['document']['clauses']} clauses"
            for r in p["results"]
        )

    _emit(args, payload, human)


def cmd_text(args: argparse.Namespace, settings: Settings) -> None:
    from desk.ingest import read_any

    doc = read_any(settings, args.file)
    if args.json:
        _emit(args, {"document": {"id": doc.id, "title": doc.title, "pages": [p.to_dict() for p in doc.pages], "chars": len(doc.text)}, "text": doc.text}, str)
    else:
        sys.stdout.write(doc.text)


def cmd_clauses(args: argparse.Namespace, settings: Settings) -> None:
    from desk.ingest import analyse_any

    doc, clauses = analyse_any(settings, args.file)
    payload = {
        "document": {"id": doc.id, "title": doc.title, "pages": doc.page_count, "chars": len(doc.text)},
        "clauses": [clause_json(c) for c in clauses],
    }

    def human(p: dict[str, Any]) -> str:
        lines = [f"{p['document']['title']}: {len(p['clauses'])} clauses, {p['document']['pages']} pages"]
        for c in p["clauses"]:
            cats = ", ".join(f"{k['name']} {k['score']:.2f}" for k in c["categories"]) or "-"
            lines.append(f"p{c['page']:<3} {c['start']:>7}-{c['end']:<7} {c['heading'][:40]:<40} {cats}")
        return "\n".join(lines)

    _emit(args, payload, human)


def clause_json(c: Any) -> dict[str, Any]:
    """The clause shape of design §6 (values carry kind, amount, unit, span)."""
    return {
        "id": c.id,
        "heading": c.heading,
        "page": c.page,
        "start": c.start,
        "end": c.end,
        "text": c.text,
        "categories": [{"name": k.name, "score": round(k.score, 4)} for k in c.categories],
        "values": [
            {"kind": v.kind, "amount": v.amount, "unit": v.unit, "text": v.text, "start": v.start, "end": v.end, **({"iso": v.iso} if v.iso else {})}
            for v in c.values
        ],
    }


def cmd_search(args: argparse.Namespace, settings: Settings) -> None:
    from desk.ingest import search_clauses

    hits = search_clauses(settings, args.query, k=args.k, category=args.category, deal=args.deal, kind=args.kind)
    payload = {"query": args.query, "filters": {"category": args.category, "deal": args.deal, "kind": args.kind}, "hits": hits}

    def human(p: dict[str, Any]) -> str:
        if not p["hits"]:
            return "no matching clauses"
        out = []
        for i, h in enumerate(p["hits"], 1):
            about = f" (category: {', '.join(h['matched_categories'])})" if h.get("matched_categories") else ""
            out.append(f"{i:>2}. {h['score']:.4f} [{h['deal'] or h['document_title']}] p{h['page']} {h['heading'][:50]}{about}")
            out.append("    " + " ".join(h["text"].split())[:200])
        return "\n".join(out)

    _emit(args, payload, human)


def cmd_status(args: argparse.Namespace, settings: Settings) -> None:
    from desk.overview import overview

    payload = overview(settings).to_dict()

    def human(p: dict[str, Any]) -> str:
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

    _emit(args, payload, human)


STATUS_MARK = {"meets_preferred": "OK  ", "acceptable": "~   ", "breaches_walk_away": "XX  ", "not_addressed": "--  ", "unclear": "??  "}


def cmd_review(args: argparse.Namespace, settings: Settings) -> None:
    from desk.review_service import run_review

    payload = run_review(settings, args.file, args.mandate).to_dict()

    def human(p: dict[str, Any]) -> str:
        lines = [f"{p['document']['title']} against {p['mandate']['name']} (mandate {p['mandate']['version'][:12]})"]
        for f in p["findings"]:
            where = ", ".join(f"p{e['page']} {e['heading'][:24]}" for e in f["evidence"][:2])
            lines.append(f"{STATUS_MARK[f['status']]}{f['label'][:38]:<38} {f['status']:<19} {str(f['value_text'])[:34]:<34} {where}")
        counts = p["summary"]["counts"]
        lines.append(" · ".join(f"{k}: {v}" for k, v in counts.items()))
        for t in p["summary"]["top_problems"]:
            lines.append(f"problem: {t['label']} ({t['status']}, weight {t['weight']:.2f})")
        return "\n".join(lines)

    _emit(args, payload, human)


def cmd_decide(args: argparse.Namespace, settings: Settings) -> None:
    from desk.ingest import read_any
    from desk.review_service import record_decision

    document = read_any(settings, args.file)
    record_decision(settings, document.id, args.term, args.decision, args.reason or "")
    payload = {"document": document.id, "term": args.term, "decision": args.decision, "reason": args.reason or ""}
    _emit(args, payload, lambda p: f"recorded: {p['term']} {p['decision']}" + (f" ({p['reason']})" if p["reason"] else ""))


def cmd_value(args: argparse.Namespace, settings: Settings) -> None:
    from desk.valuation_service import payout, run_valuation

    overrides: dict[str, Any] = {}
    if args.value_per_point is not None:
        overrides["value_per_point_usd"] = args.value_per_point
    if args.consent:
        lo, _, hi = args.consent.partition(",")
        try:
            overrides["consent_share"] = (float(lo), float(hi or lo))
        except ValueError:
            raise DeskError("--consent", f"expected two shares like 0.7,0.95, not {args.consent!r}") from None
    if args.buyer_scale is not None:
        overrides["buyer_scale_n"] = args.buyer_scale
    if args.draws is not None:
        overrides["mc_draws"] = args.draws
    if args.seed is not None:
        overrides["seed"] = args.seed
    if args.opted_out:
        overrides["opted_out"] = tuple(m.strip() for m in args.opted_out.split(",") if m.strip())
    if args.fx:
        try:
            overrides["fx_overrides"] = {k.strip().upper(): float(v) for k, v in (pair.split("=") for pair in args.fx.split(","))}
        except ValueError:
            raise DeskError("--fx", f"expected rates like EUR=1.05,GBP=1.27, not {args.fx!r}") from None
    report = run_valuation(settings, args.mandate, Path(args.sample) if args.sample else None, overrides,
                           progress=None if args.json else _print_progress)
    if args.proceeds is not None:
        report["payout"] = {"proceeds": args.proceeds, "members": payout(report, args.proceeds)}

    def human(r: dict[str, Any]) -> str:
        lines = [f"{r['collective']}: P10 {r['p10']:,.0f}  P50 {r['p50']:,.0f}  P90 {r['p90']:,.0f} {r['unit']}"]
        for e in r["estimates"]:
            lines.append(f"  {e['method']:<22} P10 {e['p10']:>14,.0f}  P50 {e['p50']:>14,.0f}  P90 {e['p90']:>14,.0f}  n={e['sample_size']}"
                         + ("  (Monte Carlo NOT converged)" if e.get("converged") is False else ""))
        lines += [f"  note: {n}" for n in r.get("notes", [])]
        for m in r.get("payout", {}).get("members", []):
            lines.append(f"  {m['member']:<12} by value {m['shapley_cents'] / 100:>14,.2f}  pro rata {m['pro_rata_cents'] / 100:>14,.2f}")
        return "\n".join(lines)

    _emit(args, report, human)


def cmd_compare(args: argparse.Namespace, settings: Settings) -> None:
    from desk.compare import compare_document, comparison_text

    comparison = compare_document(settings, args.file, k=args.k, category=args.category, deal=args.deal, material_only=args.material)
    _emit(args, comparison.to_dict(), lambda _p: comparison_text(comparison))


def cmd_market(args: argparse.Namespace, settings: Settings) -> None:
    from desk.market import market, market_text, workspace_proposal

    view = market(
        settings, proposal_ref=args.proposal or workspace_proposal(settings), sector=args.sector, year=args.year,
        data_type=args.data_type, use=args.use, record_type=args.record_type,
    )
    _emit(args, view.to_dict(), lambda _p: market_text(view))


def cmd_deal_add(args: argparse.Namespace, settings: Settings) -> None:
    from desk.deals_catalogue import add_manual_deal

    fields: dict[str, Any] = {}
    for pair in args.fields:
        key, sep, value = pair.partition("=")
        if not sep:
            raise DeskError(pair, "expected FIELD=VALUE")
        fields[key.strip()] = value.strip()
    record = add_manual_deal(settings, fields)
    payload = record.to_dict() if hasattr(record, "to_dict") else record.__dict__
    _emit(args, payload, lambda p: f"added deal {p.get('deal_id', '')} (entered by hand)")


def cmd_audit_verify(args: argparse.Namespace, settings: Settings) -> None:
    from desk.audit import AuditLog
    from desk.workspace import Workspace

    check = AuditLog(Workspace(settings.workspace).audit_path).verify()
    payload = {"ok": check.ok, "entries": check.entries, "problem": check.problem, "line": check.line}
    _emit(args, payload, lambda p: f"audit log ok: {p['entries']} entries, chain intact" if p["ok"] else f"audit log BROKEN at line {p['line']}: {p['problem']}")
    if not check.ok:
        raise SystemExit(1)


def _not_available(name: str) -> Handler:
    def handler(args: argparse.Namespace, settings: Settings) -> None:
        raise NotAvailableError(name)

    return handler


# -- parser --------------------------------------------------------------------------


def _common(p: argparse.ArgumentParser) -> None:
    # SUPPRESS, so that an option given before the command is not reset by the subparser.
    p.add_argument("--workspace", metavar="DIR", default=argparse.SUPPRESS, help="workspace folder (default: $DESK_HOME, else ./workspace)")
    p.add_argument("--json", action="store_true", default=argparse.SUPPRESS, help="print one JSON document on stdout")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="desk",
        description="Negotiation desk for trusted data intermediaries: review AI data-licensing proposals against your mandate.",
    )
    _common(parser)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, handler: Handler, help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        _common(p)
        p.set_defaults(handler=handler, command_name=name)
        return p

    p = add("ingest", cmd_ingest, "add documents to the workspace and the vector store (idempotent)")
    p.add_argument("files", nargs="+", metavar="FILE", help="PDF, DOCX, TXT, MD or HTML files, or folders of them")
    p.add_argument("--kind", choices=["proposal", "comparable", "reference"], default="proposal")
    p.add_argument("--deal", metavar="NAME", help="the deal these documents belong to")

    add("reanalyse", cmd_reanalyse, "analyse stored documents again if an older clause model analysed them")

    p = add("text", cmd_text, "print the extracted plain text that clause offsets refer to")
    p.add_argument("file", metavar="FILE", help="a file, or the id/title of a stored document")

    p = add("clauses", cmd_clauses, "segment and classify one file without storing it")
    p.add_argument("file", metavar="FILE")

    p = add("search", cmd_search, "hybrid (lexical + semantic) search over stored clauses")
    p.add_argument("query", metavar="QUERY")
    p.add_argument("--category", metavar="C")
    p.add_argument("--deal", metavar="D")
    p.add_argument("--kind", choices=["proposal", "comparable", "reference"])
    p.add_argument("-k", type=int, default=10, metavar="N")

    p = add("review", cmd_review, "findings for every mandate term, with evidence and fallback language")
    p.add_argument("file", metavar="FILE", help="a file, or the id/title of a stored document")
    p.add_argument("--mandate", metavar="M", help="a mandate TOML file or saved version (default: the workspace's)")

    p = add("decide", cmd_decide, "record a legal adviser's decision on a finding (accepted, overridden, escalated)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("term", metavar="TERM")
    p.add_argument("decision", choices=["accepted", "overridden", "escalated"])
    p.add_argument("--reason", metavar="TEXT", help="why; required for an override")

    p = add("compare", cmd_compare, "each clause of the file with its nearest comparable clauses, differences marked")
    p.add_argument("file", metavar="FILE")
    p.add_argument("-k", type=int, default=3, metavar="N", help="neighbours per clause (default 3)")
    p.add_argument("--category", metavar="C")
    p.add_argument("--deal", metavar="D")
    p.add_argument("--material", action="store_true", help="only clauses that differ materially from precedent")

    for name, help in (
        ("scenarios", "the scenario table, Pareto frontier, Nash point and ZOPA"),
        ("counteroffer", "suggested packages of terms with clause language"),
    ):
        p = add(name, _not_available(name), help)
        p.add_argument("file", metavar="FILE")
        p.add_argument("--mandate", metavar="M")

    p = add("brief", _not_available("brief"), "write the briefing pack (PDF, DOCX or Markdown)")
    p.add_argument("file", metavar="FILE")
    p.add_argument("--mandate", metavar="M")
    p.add_argument("--out", metavar="PATH")

    p = add("value", cmd_value, "value estimates by method, and the combined range (P10/P50/P90 per year)")
    p.add_argument("--mandate", metavar="M")
    p.add_argument("--sample", metavar="CSV", help="a labelled sample of the collective's data (label, member, text or features)")
    p.add_argument("--value-per-point", type=float, metavar="USD", help="the buyer's yearly value per point of model quality")
    p.add_argument("--consent", metavar="LO,HI", help="share of the data members consent to license, e.g. 0.7,0.95")
    p.add_argument("--buyer-scale", type=float, metavar="N", help="the buyer's own data size, in sample rows")
    p.add_argument("--draws", type=int, metavar="N", help="Monte Carlo draws (default 1000)")
    p.add_argument("--seed", type=int)
    p.add_argument("--opted-out", metavar="M1,M2", help="members whose data is excluded and who get nothing")
    p.add_argument("--fx", metavar="EUR=1.05,GBP=1.27", help="exchange rates to USD, overriding the shipped table")
    p.add_argument("--proceeds", type=float, metavar="USD", help="split these proceeds among members")

    p = add("market", cmd_market, "the public deals normalised, and the proposal's position among them")
    p.add_argument("--proposal", metavar="FILE", help="the proposal to place (default: the workspace's latest)")
    p.add_argument("--sector")
    p.add_argument("--year", type=int)
    p.add_argument("--data-type")
    p.add_argument("--use", choices=["training", "display_rag"])
    p.add_argument("--record-type")

    p = add("deal", cmd_deal_add, "add a comparable deal by hand (stored in the workspace, marked as hand-entered)")
    p.add_argument("action", choices=["add"])
    p.add_argument("fields", nargs="+", metavar="FIELD=VALUE", help="licensor, licensee, announced (YYYY-MM), value_low, value_high, currency, basis, term, uses, source_url, confidence")

    p = add("members", _not_available("members"), "the member register: consent scopes and opt-outs")
    p.add_argument("action", choices=["import", "export", "list"])
    p.add_argument("path", nargs="?")

    p = add("users", _not_available("users"), "accounts and roles")
    p.add_argument("action", choices=["add"])
    p.add_argument("name")
    p.add_argument("--role", required=True)

    p = add("audit", cmd_audit_verify, "verify the hash-chained audit log")
    p.add_argument("action", choices=["verify"])

    add("status", cmd_status, "the negotiation at a glance: collective, counterparty, documents, next steps")
    add("demo", cmd_demo, "seed the demo workspace (a news publishers' collective and an AI company's proposal)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 0
    # `desk --workspace X cmd` and `desk cmd --workspace X` both work.
    args.json = getattr(args, "json", False)
    settings = load_settings(getattr(args, "workspace", None))
    try:
        args.handler(args, settings)
    except DeskError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted; the workspace keeps its previous state", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `desk market | head`: the reader left; that is not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
