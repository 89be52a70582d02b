"""The desk's library of term types: what it knows about kinds of contract term, whatever a mandate calls them.

A mandate term is the collective's own: its key, label, options, unit and positions
are the only truth about what it wants. What the desk brings is knowledge of *kinds*
of term: how contracts phrase a fee per period, a price per hour of audio, a
governing law, an exclusivity carve-out. That knowledge is a :class:`TermType`,
chosen by an optional ``type = "..."`` in the mandate or inferred from the term's
label, key, query, kind, unit and categories (:func:`type_of`). A term that matches
no type is read by the generic reader of its kind, from its own words.

The types say *where to look and what to read*; the reading itself is in
:mod:`desk.review` (values, units, options) and :mod:`desk.statements` (polarity).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from core.domain import MandateTerm
from desk.units import Measure, parse_unit


@dataclass(frozen=True)
class TermType:
    """One kind of contract term the desk knows how to read."""

    name: str
    title: str
    kinds: tuple[str, ...]
    summary: str  # what the reader looks for, in a sentence a legal adviser can check
    signals: str = ""  # a regex over the term's key, label and query that suggests the type
    categories: tuple[str, ...] = ()  # clause categories that suggest it
    measures: tuple[Measure, ...] = ()  # for number terms: the units it reads


def _t(name: str, title: str, kinds: str, summary: str, signals: str = "", categories: tuple[str, ...] = (), measures: str = "") -> TermType:
    return TermType(name, title, tuple(kinds.split()), summary, signals, categories, tuple(measures.split()))  # type: ignore[arg-type]


TYPES: dict[str, TermType] = {
    t.name: t
    for t in (
        _t("fee_per_period", "Fee per period", "number", "a sum of money payable each year, quarter or month (instalments added up; 'royalty-free' or 'at no charge' is zero)",
           r"\b(fee|fees|payment|price|compensation|consideration|remuneration|minimum guarantee|royalt(y|ies)|licen[cs]e charge|subscription)\b", ("Compensation", "Minimum Commitment"), "money"),
        _t("price_per_unit", "Price per unit of data", "number", "a price per hour of audio, per record, per token, per gigabyte, per work or image, converted to the mandate's unit",
           r"\b(price|rate|fee|tariff|payment)s?\b.*\b(per|each|a)\b|\bper[- ](hour|record|token|image|work|item|gb|track)", ("Compensation", "Price Restrictions"), "money"),
        _t("revenue_share", "Revenue share", "number", "a percentage of revenue, proceeds or profits paid to the collective",
           r"\b(revenue|proceeds|profits?|royalt(y|ies)|share|percentage|split)\b", ("Revenue/Profit Sharing",), "percent"),
        _t("licence_term", "Duration and expiry", "number", "how long the licence lasts: 'a term of three years', 'thirty-six (36) months', 'expires on the fifth anniversary', effective-to-expiry dates; 'perpetual' is unlimited",
           r"\b(term|duration|length|lasts?|expir\w*|period of (the )?(licen[cs]e|agreement)|licen[cs]e period)\b", ("Expiration Date", "Irrevocable Or Perpetual License"), "duration"),
        _t("renewal", "Renewal", "choice boolean", "how the licence renews: by mutual written agreement, automatically with a right to opt out, or automatically / at the licensee's option",
           r"\brenew|\bextension\b|\bextend\w*\b|\bevergreen", ("Renewal Term", "Notice Period To Terminate Renewal")),
        _t("notice_period", "Notice or response period", "number", "a notice period (for an audit, termination, changes), read only where the period is tied to the term's subject",
           r"\bnotice\b|\bprior written\b|\badvance\b", ("Audit Rights", "Termination For Convenience", "Notice Period To Terminate Renewal"), "duration"),
        _t("reporting_frequency", "Reporting frequency", "number", "how often the licensee reports or accounts (monthly, quarterly, each half-year, annually), as an interval",
           r"\b(report\w*|statements?|accounting|usage data)\b", ("Usage Reporting",), "duration frequency"),
        _t("exclusivity", "Exclusivity", "boolean", "whether the licence is exclusive, including exclusivity limited to a field, territory or period; 'non-exclusive' and 'exclusive of VAT' are not",
           r"\bexclusiv", ("Exclusivity",)),
        _t("permitted_uses", "Permitted uses", "choice", "the uses the licence grants (training, fine-tuning, retrieval and display, evaluation, research, synthetic data, ...), a use named after 'shall not' being prohibited, not granted",
           r"\b(uses?|purposes?|scope|permitted|field of use)\b", ("License Grant", "AI Training Use", "Retrieval And Display Use")),
        _t("prohibition", "Prohibition in the mandate's own words", "boolean", "whether the contract prohibits what the term names (true when prohibited, false when permitted)",
           r"^\s*no\b|\b(shall|must|may|will) not\b|\bprohibit|\bban\b|\bforbid"),
        _t("obligation", "Obligation in the mandate's own words", "boolean", "whether the contract obliges the licensee to do what the term names",
           r"\b(shall|must|required to|obliged to|obligation to)\b"),
        _t("deletion", "Deletion and unlearning", "number boolean", "deletion of the data (and models trained on it) on termination or request: the deadline, 'immediately', or 'no obligation to delete' (never)",
           r"\b(delet\w*|destr\w*|eras\w*|purg\w*|unlearn\w*|retrain\w*|return of)", ("Data Deletion And Unlearning",), "duration"),
        _t("audit", "Audit", "boolean number", "the collective's right to audit the licensee's use and records, and the notice it must give",
           r"\baudit|\binspect", ("Audit Rights",), "duration"),
        _t("attribution", "Attribution and credit", "choice boolean", "whether outputs credit the member or source, with or without links",
           r"\b(attribut\w*|credit\w*|acknowledg\w*|byline|cit(e|es|ed|ing|ation|ations))\b", ("Attribution",)),
        _t("liability_cap", "Liability cap", "number", "the cap on the licensee's liability as a multiple of the fees, or an amount converted to a multiple of the annual fee; 'unlimited' is unlimited",
           r"\bliabilit", ("Cap On Liability", "Uncapped Liability"), "multiple money"),
        _t("indemnity", "Indemnity", "boolean", "whether one party indemnifies the other (for claims arising from use of the data)",
           r"\bindemn", ()),
        _t("governing_law", "Governing law", "choice", "the law the contract is governed by: 'the laws of England and Wales', 'English law', 'the State of New York' (the courts named beside it are jurisdiction, not law)",
           r"\bgoverning law|\bapplicable law|\bgoverned by|\blaw\b", ("Governing Law",)),
        _t("jurisdiction", "Jurisdiction and venue", "choice", "the courts or arbitral seat disputes go to",
           r"\b(jurisdiction|courts?|venue|forum|arbitrat\w*|seat|disputes?)\b", ()),
        _t("territory", "Territory", "choice", "where the licence may be exercised (worldwide, a country, a region), including the definition of Territory",
           r"\bterritor|\bgeograph|\bregion|\bcountr", ()),
        _t("member_opt_out", "Member opt-out", "number boolean", "members' right to withdraw their works and how quickly the licensee honours it",
           r"\bopt[- ]?outs?\b|\bwithdraw|\btake-?\s?downs?\b|\bremov(al|ed|e)\b|\bobjection", ("Member Opt-Out",), "duration"),
        _t("security", "Security and breach notification", "boolean number", "security measures and how quickly a data breach is notified",
           r"\b(security|secure|breach notification|data breach|incident|encrypt\w*)\b", ("Data Security",), "duration"),
        _t("confidentiality", "Confidentiality", "boolean", "whether a party must keep information (or the agreement itself) confidential",
           r"\bconfidential", ()),
        _t("assignment", "Assignment and change of control", "boolean choice", "whether the licence can be assigned or transferred, or survives a change of control, without consent",
           r"\b(assign\w*|transfer\w*|change of control|novat\w*)", ("Anti-Assignment", "Change Of Control")),
        _t("output_ownership", "Model and output ownership", "choice boolean", "who owns the models and outputs trained on or generated from the data",
           r"\b(owner\w*|own|title|intellectual property)\b.*\b(output|model|derivative|result)|\b(output|model)s?\b.*\bown", ("Model Output Rights", "Ip Ownership Assignment", "Joint Ip Ownership")),
        _t("member_access", "Access for members", "boolean", "whether members get access to the licensee's products, models or data (free or discounted)",
           r"\baccess\b.*\bmembers?\b|\bmembers?\b.*\baccess\b", ("Content Delivery And Access",)),
        _t("most_favoured_nation", "Most-favoured-nation", "boolean", "a promise of terms no less favourable than those given to others",
           r"most[- ]favou?red|\bmfn\b|no less favou?rable", ("Most Favored Nation",)),
        _t("downstream_restrictions", "Downstream use and resale", "boolean", "whether the licensee may resell, sublicense or redistribute the data (true when that is restricted)",
           r"\b(downstream|resal\w*|resell\w*|sublicens\w*|redistribut\w*|onward|third[- ]part)", ("Downstream Use Restrictions", "Non-Transferable License")),
        _t("payment_terms", "Payment terms", "number", "how many days after invoice (or after the period) payment is due: 'net 30', 'within ninety (90) days of receipt of a valid invoice'",
           r"\b(payment (due|terms?)|paid within|pay\w* within|invoice|net \d+)\b", ("Compensation",), "duration"),
        _t("lump_sum", "One-off payment", "number", "a single sum payable once (an advance, signing payment, up-front fee); 'none' or 'no signing payment' is zero",
           r"\b(up-?front|upfront|signing|signature|advance|one-?time|one-?off|lump[- ]sum|initial payment|execution fee)\b", ("Compensation",), "money"),
        _t("generic_number", "Number in the term's own words", "number", "the values of the term's unit in sentences that use the term's own words", ""),
        _t("generic_choice", "Choice in the term's own words", "choice", "the mandate's options, matched by their words and synonyms, in sentences that use the term's own words", ""),
        _t("generic_boolean", "Statement in the term's own words", "boolean", "whether the contract says what the term says (its polarity read from 'may', 'shall', 'shall not', 'except')", ""),
        _t("text", "Free text", "text", "the clause that speaks to the term is found and quoted; its value is for a person to judge", ""),
    )
}

#: What the desk knows about non-disclosure agreements: the terms a legal adviser checks in an NDA
#: (the kinds ContractNLI labels, Koreeda & Manning 2021), each a boolean that is true when the NDA
#: says what the term names. Their signals need the NDA's own words (Confidential Information, copies,
#: solicitation, reverse engineering...), so a data-licensing term is not taken for one.
NDA_TYPES: tuple[TermType, ...] = (
    _t("explicit_identification", "Confidential Information must be marked", "boolean",
       "whether only information marked or identified as confidential is protected (true); 'whether or not marked', 'need not be identified' or 'would reasonably be understood to be confidential' make it false",
       r"\b(expressly|explicit(ly)?|clearly|conspicuously)\s+(identif|mark|designat|label)|\bexplicit identification\b|\b(identif\w*|mark\w*|designat\w*|label\w*|legend)\b[^.]{0,40}\bas (being )?(confidential|proprietary)|\bconfidential\w*\b[^.]{0,60}\b(must|shall|to) be (marked|identified|designated|labell?ed)\b",
       ("Data Security",)),
    _t("technical_information_only", "Confidential Information limited to technical information", "boolean",
       "whether the definition of Confidential Information is limited to technical information (true); a definition that takes in business, financial, commercial or any information makes it false",
       r"\bnon-?technical\b|\bonly\b[^.]{0,20}\btechnical (information|data)\b|\btechnical (information|data) only\b", ()),
    _t("verbal_information", "Orally disclosed information is covered", "boolean",
       "whether Confidential Information includes information disclosed orally or visually (or in any form)",
       r"\b(verbal\w*|oral(ly)?)\b[^.]{0,40}\b(information|disclos\w*|conveyed|communicat\w*)|\b(information|disclos\w*)\b[^.]{0,40}\b(verbal\w*|oral(ly)?)\b", ()),
    _t("purpose_limitation", "Use limited to the purpose", "boolean",
       "whether the recipient may use Confidential Information only for the stated purpose",
       r"\blimited use\b|\bpurpose limitation\b|\b(use|used|using)\b[^.]{0,30}\bconfidential (information|materials?)\b[^.]{0,60}\b(purposes? other than|other purposes?|solely for|only for)\b",
       ("Downstream Use Restrictions",)),
    _t("sharing_with_employees", "Sharing with employees", "boolean",
       "whether the recipient may share Confidential Information with its employees (on a need-to-know basis)",
       r"\b(shar\w*|disclos\w*|access|reveal\w*)\b[^.]{0,40}\bconfidential (information|materials?)\b[^.]{0,80}\b(employees?|staff|personnel)\b|\bsharing with (its |some |the )?(employees|staff|personnel)\W*$", ()),
    _t("sharing_with_advisers", "Sharing with advisers and other third parties", "boolean",
       "whether the recipient may share Confidential Information with third parties such as consultants, agents, professional advisers or affiliates (true), or must not disclose it to any third party (false)",
       r"\b(shar\w*|disclos\w*|reveal\w*)\b[^.]{0,40}\bconfidential (information|materials?)\b[^.]{0,80}\b(third[- ]part\w*|consultants?|advis[eo]rs?|agents|representatives|affiliates)\b|\bsharing with (some )?(third[- ]part\w*|consultants|advis[eo]rs|agents|representatives)\W*$", ("Downstream Use Restrictions",)),
    _t("compelled_disclosure_notice", "Notice of compelled disclosure", "boolean",
       "whether the recipient must notify the discloser before disclosing Confidential Information under a subpoena, court order or other legal requirement",
       r"\bcompell\w*|\brequired by (law|regulation|court)|\b(judicial|legal) process\b|\bsubpoena|\bcourt order|\bprotective order", ()),
    _t("agreement_confidential", "Confidentiality of the agreement itself", "boolean",
       "whether the parties must keep the existence and terms of the agreement, and of their discussions, confidential",
       r"\bconfidentiality of (the |this )?(agreement|nda|negotiations?|discussions?)\b|\b(fact|existence) (that|of)\b[^.]{0,40}\b(agreement|negotiat\w*|discussions?|agreed)\b|\bdisclos\w* (the )?(fact|existence|terms)\b", ()),
    _t("no_reverse_engineering", "No reverse engineering", "boolean",
       "whether the recipient is prohibited from reverse engineering, decompiling or disassembling what embodies the Confidential Information",
       r"\breverse[- ]?engineer\w*|\bdecompil\w*|\bdisassembl\w*", ()),
    _t("independent_development", "Independent development permitted", "boolean",
       "whether the recipient stays free to develop similar information independently (independently developed information is excluded, or nothing prevents it)",
       r"\bindependent(ly)?\b[^.]{0,40}\bdevelop\w*|\bdevelop\w*\b[^.]{0,60}\b(similar|independent\w*)\b", ("Competitive Restriction Exception",)),
    _t("third_party_acquisition", "Information from third parties", "boolean",
       "whether information the recipient lawfully receives from a third party without a duty of confidence is excluded (it may acquire similar information elsewhere)",
       r"\b(acqui\w*|obtain\w*|receiv\w*)\b[^.]{0,60}\b(similar|from (a |any )?third[- ]part\w*)|\bacquirement\b", ("Competitive Restriction Exception",)),
    _t("no_licence_granted", "No licence granted", "boolean",
       "whether the agreement says it grants no licence or other right in the Confidential Information (which stays the discloser's property)",
       r"\bno licen[cs]ing\W*$|\b(not|no|nor)\b[^.]{0,30}\bgrant\w*\b[^.]{0,40}\b(rights?|licen[cs]es?)\b[^.]{0,30}\bconfidential (information|materials?)|\b(licen[cs]es?|rights?)\b[^.]{0,20}\b(in|to|under) (the |any |some )?confidential (information|materials?)", ("License Grant",)),
    _t("retain_copies", "Retention of copies permitted", "boolean",
       "whether the recipient may keep some Confidential Information after returning or destroying it (an archival or legally required copy, automatic back-ups): true; 'return all copies and retain none' is false",
       r"\b(retain\w*|retention|keep\w*)\b[^.]{0,40}\b(confidential|information|cop(y|ies))\b[^.]{0,80}\b(after|following|notwithstanding|despite)\b|\bpost-?(agreement|termination) (possession|retention)\b|\barchival cop",
       ("Data Deletion And Unlearning",)),
    _t("return_or_destroy", "Return or destruction of Confidential Information", "boolean",
       "whether the recipient must return or destroy the Confidential Information when the agreement ends (or the purpose is complete)",
       r"\b(return\w*|destroy\w*|destruction)\b[^.]{0,60}\bconfidential (information|materials?)\b|\bconfidential (information|materials?)\b[^.]{0,60}\b(return\w*|destroy\w*|destruction)\b",
       ("Data Deletion And Unlearning",)),
    _t("no_solicitation", "No solicitation of staff", "boolean",
       "whether the recipient must not solicit or hire the discloser's employees or other representatives",
       r"\bsolicit\w*|\bpoach\w*|\b(hire|hiring|recruit\w*)\b[^.]{0,40}\b(employees?|staff|personnel|representatives)", ("No-Solicit Of Employees", "No-Solicit Of Customers")),
    _t("survival", "Obligations survive termination", "boolean",
       "whether confidentiality obligations continue after the agreement ends (they survive termination or expiry, for a period or indefinitely)",
       r"\bsurviv\w*", ()),
    _t("permissible_copy", "Copies permitted", "boolean",
       "whether the recipient may make copies of Confidential Information in some circumstances (as necessary for the purpose): true; 'shall not copy' without such an exception is false",
       r"\bpermissible cop(y|ies)\b|\b(make|create|making|creating|take|taking)\b[^.]{0,20}\bcop(y|ies)\b[^.]{0,40}\bconfidential|\bcop(y|ies|ying)\b[^.]{0,20}\bof (some |any |the )?confidential", ()),
)
TYPES.update({t.name: t for t in NDA_TYPES})
_NDA = frozenset(t.name for t in NDA_TYPES)

GENERIC = {"number": "generic_number", "choice": "generic_choice", "boolean": "generic_boolean", "text": "text"}


@dataclass(frozen=True)
class TypeChoice:
    """The type a term will be read as, and why (``how``: "mandate", "inferred" or "generic")."""

    type: TermType
    how: str
    why: str


@lru_cache(maxsize=2048)
def type_of(term: MandateTerm) -> TypeChoice:
    """The term's type: the mandate's ``type`` if it names one, else the best-supported inference."""
    if term.type:
        return TypeChoice(TYPES[term.type], "mandate", f"type = {term.type!r} in the mandate")
    words = f"{term.key.replace('_', ' ')} {term.label} {term.query}"
    label = f"{term.key.replace('_', ' ')} {term.label}"
    unit = parse_unit(term.unit, term.kind)
    best: tuple[float, TermType | None, str] = (0.0, None, "")
    for t in TYPES.values():
        if term.kind not in t.kinds or not t.signals:
            continue
        if term.kind == "number" and t.measures and unit.measure not in t.measures and unit.measure != "count":
            continue
        score, why = 0.0, []
        if re.search(t.signals, label, re.I):
            score += 2.0
            why.append("its label")
        elif re.search(t.signals, words, re.I):
            score += 1.0
            why.append("its query")
        shared = [c for c in term.categories if c in t.categories]
        if shared:
            score += 0.75 if score else 0.5
            why.append(f"category {shared[0]!r}")
        if term.kind == "number" and t.measures and unit.measure in t.measures:
            score += 0.5
            why.append(f"unit {term.unit!r}")
        if t.name == "price_per_unit" and unit.per_data and not why[:1] == ["its label"]:
            score += 2.0 - (1.0 if why[:1] == ["its query"] else 0.0)  # money per unit of data says what the term is, whatever its label
            why.append(f"unit {term.unit!r}")
        score += _specific(t, term, unit)
        if score > best[0]:
            best = (score, t, ", ".join(why))
    score, chosen, why = best
    if chosen is not None and score >= 2.0:
        return TypeChoice(chosen, "inferred", f"inferred from {why}")
    return TypeChoice(TYPES[GENERIC[term.kind]], "generic", "no type fits: read from the term's own words")


def _specific(t: TermType, term: MandateTerm, unit) -> float:
    """Tie-breakers that need the unit (a fee per year is not a price per record)."""
    if t.name in _NDA:
        # an NDA term named in NDA words outranks the general types its words also touch (confidentiality, deletion...)
        return 1.0 if re.search(t.signals, f"{term.key.replace('_', ' ')} {term.label} {term.query}", re.I) else 0.0
    if t.name == "fee_per_period":
        return 0.6 if unit.per_period else (0.0 if unit.measure == "money" and not unit.per else -3.0)
    if t.name == "lump_sum":
        return 0.6 if unit.measure == "money" and not unit.per else -3.0
    if t.name == "assignment" and not re.search(r"assign|change of control|novat", term.label, re.I):
        return -1.0
    if t.name == "audit" and term.kind == "number" and unit.measure == "count":
        return 0.5
    if t.name == "price_per_unit":
        return 0.8 if unit.per_data else -3.0
    if t.name == "revenue_share":
        return 0.5 if unit.measure == "percent" else -3.0
    if t.name == "liability_cap":
        return 0.5
    if t.name in ("prohibition", "obligation"):
        return -0.9  # the mandate's own words, when no library type names the subject
    if t.name == "notice_period" and term.kind == "number":
        return 0.4 if re.search(r"\bnotice\b", term.label, re.I) else 0.0
    if t.name == "reporting_frequency" and unit.measure == "duration":
        return 0.3
    if t.name == "jurisdiction" and re.search(r"\blaw\b", term.label, re.I) and not re.search(r"court|jurisdiction|venue|forum", term.label, re.I):
        return -2.5
    return 0.0


def nearest_types(name: str, n: int = 3) -> list[str]:
    import difflib

    return difflib.get_close_matches(name, list(TYPES), n=n, cutoff=0.4) or list(TYPES)[:n]
