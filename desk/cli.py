"""The ``desk`` command line: every capability of the workbench, scriptable.

A thin layer over :class:`desk.service.Desk`: each command parses its
arguments, calls one ``Desk`` method and formats the typed result (the text
formatters are in :mod:`desk.cli_text`). Each command prints human-readable
text, or exactly one JSON document on stdout with ``--json``. Bad input gives one line ``error: <subject>: <reason>``
on stderr and exit code 2, and leaves the workspace as it was.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import TYPE_CHECKING, Any, Callable, Sequence

from core.domain import Serializable
from core.errors import BadInputError, DeskError
from desk import cli_text
from desk.service import Desk

if TYPE_CHECKING:
    from desk.valuation_service import ValuationInputs

Handler = Callable[[argparse.Namespace, Desk], None]


def _emit(args: argparse.Namespace, result: Any, human: Callable[[dict[str, Any]], str]) -> None:
    """One JSON document with ``--json``, else the command's human-readable text."""
    payload = result.to_dict() if isinstance(result, Serializable) else result
    if args.json:
        json.dump(payload, sys.stdout, ensure_ascii=False, indent=2, default=str)
        sys.stdout.write("\n")
    else:  # strings from files and users are escaped, so none can forge a line or drive the terminal
        text = human(cli_text.safe_payload(payload))
        if text:
            print(text)


def _print_progress(fraction: float, message: str) -> None:
    """Progress for people at a terminal; scripts and pipes get only the result (or one error line)."""
    if sys.stderr.isatty():
        print(f"[{fraction:4.0%}] {message}", file=sys.stderr, flush=True)


def _progress(args: argparse.Namespace) -> Callable[[float, str], None] | None:
    return None if args.json else _print_progress


# -- commands: parse, call one Desk method, format -------------------------------------


def cmd_demo(args: argparse.Namespace, desk: Desk) -> None:
    summary = desk.seed_demo(progress=_progress(args))
    _emit(args, summary, lambda s: f"demo workspace ready at {s['workspace']}: {s['documents']} documents, mandate {s['mandate'][:12]}")


def cmd_ingest(args: argparse.Namespace, desk: Desk) -> None:
    results = desk.ingest(args.files, kind=args.kind, deal=args.deal or "", progress=_progress(args))
    _emit(args, {"results": [r.to_dict() for r in results]}, cli_text.ingest_text)


def cmd_reanalyse(args: argparse.Namespace, desk: Desk) -> None:
    results = desk.reanalyse(progress=_progress(args))
    _emit(args, {"results": [r.to_dict() for r in results]}, cli_text.reanalyse_text)


def cmd_text(args: argparse.Namespace, desk: Desk) -> None:
    doc = desk.text(args.file)
    if args.json:
        _emit(args, {"document": {"id": doc.id, "title": doc.title, "pages": [p.to_dict() for p in doc.pages], "chars": len(doc.text)}, "text": doc.text}, str)
    elif sys.stdout.isatty():  # at a terminal, escape codes from the file are shown, not obeyed
        sys.stdout.write("\n".join(cli_text.terminal_safe(line) for line in doc.text.split("\n")))
    else:  # piped: exactly the text that offsets index
        sys.stdout.write(doc.text)


def cmd_clauses(args: argparse.Namespace, desk: Desk) -> None:
    _emit(args, desk.clauses(args.file), cli_text.clauses_text)


def cmd_search(args: argparse.Namespace, desk: Desk) -> None:
    _emit(args, desk.search(args.query, k=args.k, category=args.category, deal=args.deal, kind=args.kind), cli_text.search_text)


def cmd_status(args: argparse.Namespace, desk: Desk) -> None:
    _emit(args, desk.status(), cli_text.status_text)


def cmd_review(args: argparse.Namespace, desk: Desk) -> None:
    _emit(args, desk.review(args.file, args.mandate, assist=args.assist), cli_text.review_text)


def cmd_decide(args: argparse.Namespace, desk: Desk) -> None:
    decision = desk.decide(args.file, args.term, args.decision, args.reason or "")
    payload = {"document": decision.document, "term": decision.term, "decision": decision.decision, "reason": decision.reason}
    _emit(args, payload, cli_text.decision_text)


def _valuation_inputs(args: argparse.Namespace) -> ValuationInputs:
    """The options of ``desk value`` as the typed inputs the Valuation page builds too."""
    from desk.valuation_service import ValuationInputs

    consent = fx = None
    if args.consent:
        lo, _, hi = args.consent.partition(",")
        try:
            consent = (float(lo), float(hi or lo))
        except ValueError:
            raise BadInputError("--consent", f"expected two shares like 0.7,0.95, not {args.consent!r}") from None
    if args.fx:
        try:
            fx = {k.strip().upper(): float(v) for k, v in (pair.split("=") for pair in args.fx.split(","))}
        except ValueError:
            raise BadInputError("--fx", f"expected rates like EUR=1.05,GBP=1.27, not {args.fx!r}") from None
    opted_out = tuple(m.strip() for m in args.opted_out.split(",") if m.strip()) if args.opted_out else None
    return ValuationInputs(
        value_per_point_usd=args.value_per_point, consent_share=consent, buyer_scale_n=args.buyer_scale,
        mc_draws=args.draws, seed=args.seed, opted_out=opted_out or None, fx_overrides=fx,
    )


def cmd_value(args: argparse.Namespace, desk: Desk) -> None:
    result = desk.value(args.mandate, args.sample, _valuation_inputs(args), proceeds=args.proceeds, progress=_progress(args))
    _emit(args, result, cli_text.value_text)


def cmd_compare(args: argparse.Namespace, desk: Desk) -> None:
    comparison = desk.compare(args.file, k=args.k, category=args.category, deal=args.deal, material_only=args.material)
    _emit(args, comparison, lambda _p: cli_text.comparison_text(comparison))


def cmd_market(args: argparse.Namespace, desk: Desk) -> None:
    view = desk.market(args.proposal, sector=args.sector, year=args.year, data_type=args.data_type, use=args.use,
                       record_type=args.record_type)
    _emit(args, view, lambda _p: cli_text.market_text(view))


def cmd_deal_add(args: argparse.Namespace, desk: Desk) -> None:
    fields: dict[str, Any] = {}
    for pair in args.fields:
        key, sep, value = pair.partition("=")
        if not sep:
            raise BadInputError(pair, "expected FIELD=VALUE")
        fields[key.strip()] = value.strip()
    _emit(args, desk.add_deal(fields), lambda p: f"added deal {p.get('deal_id', '')} (entered by hand)")


def cmd_audit_verify(args: argparse.Namespace, desk: Desk) -> None:
    check = desk.audit_verify()
    _emit(args, check, cli_text.audit_text)
    if not check.ok:
        raise SystemExit(1)


def cmd_mandate_check(args: argparse.Namespace, desk: Desk) -> None:
    _emit(args, desk.check_mandate(args.mandate), cli_text.mandate_check_text)


def cmd_mandate_types(args: argparse.Namespace, desk: Desk) -> None:
    _emit(args, {"types": desk.term_types()}, cli_text.term_types_text)


def cmd_scenarios(args: argparse.Namespace, desk: Desk) -> None:
    _emit(args, desk.scenarios(args.file, args.mandate), str)


def cmd_counteroffer(args: argparse.Namespace, desk: Desk) -> None:
    _emit(args, desk.counteroffer(args.file, args.mandate), str)


def cmd_brief(args: argparse.Namespace, desk: Desk) -> None:
    _emit(args, desk.brief(args.file, args.out, args.mandate), str)


def cmd_members(args: argparse.Namespace, desk: Desk) -> None:
    _emit(args, desk.members(args.action, args.path), str)


def cmd_users(args: argparse.Namespace, desk: Desk) -> None:
    _emit(args, desk.add_user(args.name, args.role), str)


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
    p.add_argument("--assist", action="store_true", help="let the configured LLM settle unclear or unaddressed terms (quotes verified; never overrules a reading)")

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

    for name, handler, help in (
        ("scenarios", cmd_scenarios, "the scenario table, Pareto frontier, Nash point and ZOPA"),
        ("counteroffer", cmd_counteroffer, "suggested packages of terms with clause language"),
    ):
        p = add(name, handler, help)
        p.add_argument("file", metavar="FILE")
        p.add_argument("--mandate", metavar="M")

    p = add("mandate", None, "check a mandate before any contract arrives: the type and reader of each term")
    msub = p.add_subparsers(dest="mandate_command", metavar="ACTION", required=True)
    q = msub.add_parser("check", help="which term type and reader each term gets; what nothing can read")
    _common(q)
    q.add_argument("mandate", metavar="M", nargs="?", help="a mandate TOML file or saved version (default: the workspace's)")
    q.set_defaults(handler=cmd_mandate_check, command_name="mandate check")
    q = msub.add_parser("types", help='the library of term types a mandate can name with type = "..."')
    _common(q)
    q.set_defaults(handler=cmd_mandate_types, command_name="mandate types")

    p = add("brief", cmd_brief, "write the briefing pack (PDF, DOCX or Markdown)")
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

    p = add("members", cmd_members, "the member register: consent scopes and opt-outs")
    p.add_argument("action", choices=["import", "export", "list"])
    p.add_argument("path", nargs="?")

    p = add("users", cmd_users, "accounts and roles")
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
    try:
        args.handler(args, Desk.open(getattr(args, "workspace", None)))
    except DeskError as exc:
        print(f"error: {cli_text.terminal_safe(exc)}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("error: interrupted; the workspace keeps its previous state", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `desk market | head`: the reader left; that is not an error
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception as exc:  # a failure no check foresaw is still one line, never a traceback
        if os.environ.get("DESK_DEBUG"):
            raise
        reason = " ".join(str(exc).split())[:300] or "no details"
        print(f"error: {args.command_name}: unexpected {type(exc).__name__}: {cli_text.terminal_safe(reason)} "
              "(set DESK_DEBUG=1 for the traceback)", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
