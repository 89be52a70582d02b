"""How a contract states each kind of mandate term: the wording the review engine reads.

A mandate term says what the collective wants ("deletion within 30 days"); this
module says how contracts *phrase* it, so the engine can find the deciding words
in a proposal. Cues are keyed by mandate term key; a term without cues is read
generically from its label words, kind and unit (see ``desk.review``). Lawyers'
wording for these terms is formulaic enough that explicit, reviewable patterns
beat a black box here, and every match is quoted back as evidence.

Fields of a cue:

* ``anchors``: a sentence must match one of these to speak to the term.
* ``measure`` (number terms): which values to read: ``money_per_year``,
  ``percent``, ``duration`` (converted to the term's unit), ``frequency``
  (reporting intervals in months), ``fee_multiple`` (liability caps).
* ``dominant``: patterns whose presence fixes the value regardless of other
  statements (a licence that is *perpetual* is perpetual whatever the initial
  term says), with that value.
* ``options`` (choice terms): option id -> patterns; ``resolve`` is ``set``
  (the proposal grants every option it mentions), ``best`` (the most favourable
  option stated wins; weaker statements are about other situations) or
  ``single`` (two different options are a conflict: ``unclear``).
* ``true`` / ``false`` (boolean terms): patterns for each answer; ``resolve``
  ``any`` means one true statement decides (one exclusive grant is exclusivity).
* ``near`` (number terms): a value counts only with this pattern within a few
  words of it (the audit *notice* period, not the audit frequency).
* ``not_near`` (number terms): a value with this pattern within a few words is
  about something else (the *renewal* term, a *notice* period).
* ``other`` (choice terms): a pattern whose first group names an option the
  mandate does not list (a governing law of "Nevada"); such a value is outside
  every position and breaches.
* ``fixed`` (number terms): words that state a value without a number
  ("immediately" is 0 days), read when the sentence has no number of its own.
* ``negated_before`` (choice terms): an option whose match follows this pattern
  within a few words is prohibited, not granted.
* ``date_span`` (duration terms): when no sentence states a duration, the span
  from the stated effective date to the stated expiration date is the term.
* ``skip``: sentences matching these are not read (prohibitions, interest on
  late payment, definitions...).
* ``require``: a sentence must also match one of these to be read.
* ``aliases`` (choice terms, with ``other``): a named place -> the option it is
  ("english" -> "england_and_wales").
* ``by_category`` (boolean terms the library does not know): the answer is
  "yes" when a clause carries one of the term's categories.

:class:`Cue` types these fields; a cue sets only those it needs.
"""

from __future__ import annotations

from typing import Literal, TypedDict

#: a pattern that fixes or states a value, the value, and the words a finding quotes for it
ValuePattern = tuple[str, float, str]


class Cue(TypedDict, total=False):
    """How a contract phrases one mandate term (see the module docstring for each field)."""

    anchors: list[str]
    measure: Literal["money_per_year", "percent", "duration", "frequency", "fee_multiple", "count"]
    dominant: list[ValuePattern]
    fixed: list[ValuePattern]
    options: dict[str, list[str]]
    resolve: Literal["set", "best", "single", "any"]
    true: list[str]
    false: list[str]
    near: str
    not_near: str
    other: str
    aliases: dict[str, str]
    negated_before: str
    date_span: bool
    skip: list[str]
    require: list[str]
    by_category: bool

NEGATION = r"\b(shall not|may not|must not|will not|is not permitted|are not permitted|prohibited|no right to|nor)\b"

CUES: dict[str, Cue] = {
    "annual_fee": {
        "anchors": [r"\b(annual|yearly|per annum|per (contract )?year|each (contract )?year|licen[cs]e fee|royalt)|\bfree of (any|all) (fees|charges?)"],
        "measure": "money_per_year",
        "fixed": [(r"\bfree of (any|all) (fees|charges?)|\bfree of charge\b|\bwithout (any )?(fee|charge)\b", 0.0, "free of any fees")],
        "skip": [r"\binterest\b", r"\bunderpayment\b", r"\bindemn", r"\bliabilit"],
    },
    "display_revenue_share": {
        "anchors": [r"\b(revenue|net (display )?revenue|proceeds|profits?)\b.*\b(share|percent|%)|(percent|%).*\brevenue"],
        "measure": "percent",
        "skip": [r"\binterest\b", r"\bunderpayment\b", r"\bwithholding\b"],
    },
    "licence_term_years": {
        "anchors": [r"\b(initial term|term of|the term|perpetu|irrevocabl|in perpetuity|survive)"],
        "measure": "duration",
        "dominant": [(r"\b(perpetual|in perpetuity|irrevocable and perpetual)\b", float("inf"), "a perpetual licence")],
        "near": r"\b(initial term|term of|period of|continue|remain in (full )?(force|effect)|expire|for a (period|term))\b",
        "not_near": r"\b(renew\w*|additional|extension|extend\w*|notice|cure|prior|before|within)\b",
        "date_span": True,
        "skip": [r"\brecords?\b", r"\bconfidential"],
    },
    "renewal": {
        "anchors": [r"\brenew"],
        "options": {
            "mutual_written_agreement": [r"renew\w*\s+(only\s+)?(by|upon|with|subject to)\s+(the\s+)?mutual\s+(written\s+)?agreement", r"may be renewed by (a )?written agreement of (both|the) parties"],
            "auto_renew_with_opt_out": [r"renew\w* automatically.{0,300}\bunless (either|one|a) party", r"automatically renew.{0,300}\b(notice of non-renewal|elects not to renew)"],
            "automatic_or_unilateral": [r"renew\w* automatically(?!.{0,300}\bunless)", r"\bat (its|licensee'?s|helix'?s) (sole )?(option|discretion).{0,60}\brenew", r"\blicensee may renew\b"],
        },
        "resolve": "single",
    },
    "exclusivity": {
        "anchors": [r"exclusiv|shall not.{0,120}\bgrant\b.{0,80}\b(licen[cs]e|right)|\bcompeting\b"],
        "true": [
            r"(?<!non-)(?<!non)\bexclusive,? [^.]{0,40}licen[cs]e",
            r"\bgrants? [^.]{0,60}(?<!non-)(?<!non)\bexclusive\b",
            r"shall not,?(?: and shall procure that [^.]{0,60} do not,)? grant to any [^.]{0,80}(licen[cs]e|right)",
            r"\blicen[cs]e[ds]? [^.]{0,60}\bexclusively to\b",
        ],
        "false": [r"\bnon-?exclusive\b"],
        # Any exclusive grant ties the collective's hands, even beside non-exclusive ones (a trademark licence).
        "resolve": "any",
    },
    "permitted_uses": {
        "anchors": [r"\b(grant|licen[cs]e|may use|permitted to use|right to use|may exercise)\b"],
        "options": {
            "display_rag": [
                r"\bdisplay use\b", r"retrieval[- ]augmented", r"\bdisplay(ing)? (of )?(excerpts|snippets|summaries)",
                r"\b(reproduce|publish|display|distribute|perform|transmit)\b[^.]{0,80}\b(content|licensed|materials|programs?|titles?)",
                r"\buse the licensed content in connection with [^.]{0,40}\b(websites?|web sites?|online services?)\b",
            ],
            "fine_tuning": [r"\bfine[- ]?tun"],
            "training": [r"\b(pre-?)?train(ing)?\b(?! dataset)"],
            "synthetic_data_generation": [r"\bsynthetic (data|datasets?)\b"],
        },
        "resolve": "set",
        # A use named right after "shall not" is a prohibition, not a grant (local, so a proviso
        # elsewhere in a long grant sentence does not hide the grant).
        "negated_before": NEGATION,
        "skip": [r"\bmeans\b", r"\bno attribution\b", r"\backnowledge"],
    },
    "attribution": {
        "anchors": [r"\battribut|\bidentify the originating|\blink to\b|\bcredit"],
        "options": {
            "attribution_with_links": [r"\b(clickable |hyper)?link to the (original|canonical)", r"\bhyperlink", r"\bclickable link"],
            "attribution_only": [r"\bidentify the [^.]{0,40}\bby name\b", r"\battribute[ds]? to the [^.]{0,40}(publication|member|source)"],
            "no_attribution": [r"\bno attribution obligation\b", r"\bshall not be required to attribute\b"],
        },
        "resolve": "best",
        "skip": [r"\bmeans\b"],
    },
    "audit_notice_days": {
        "anchors": [r"\b(audit|inspect)"],
        "measure": "duration",
        "require": [r"\bnotice\b"],
        "near": r"\bnotice\b",
    },
    "usage_reporting_months": {
        "anchors": [r"\b(usage )?reports?\b"],
        "measure": "frequency",
        "skip": [r"\bincident\b", r"\bbreach\b"],
    },
    "member_opt_out_days": {
        "anchors": [r"\bopt[- ]?out\b|\bwithdraw\w*\b[^.]{0,80}\b(content|consent|member)|\bremove\b[^.]{0,60}\bmember'?s? content"],
        "measure": "duration",
    },
    "deletion_days": {
        "anchors": [r"\b(delet|destroy|destruction|unlearn|retrain|purg)\w*|\bremov\w* [^.]{0,40}(content|data)|\breturn (or destroy |and destroy )?(all|the|any) [^.]{0,30}(content|data|materials)"],
        "require": [r"terminat|expir|end of the term|cessation|no obligation to delete"],
        "fixed": [(r"\b(immediately|forthwith)\b", 0.0, "immediately")],
        "measure": "duration",
        "dominant": [
            (r"\bno obligation to (delete|destroy|remove|return|retrain)", float("inf"), "no obligation to delete"),
            (r"\bmay (continue to )?(retain|keep) [^.]{0,80}(models?|training datasets?|licensed content)", float("inf"), "may retain the content or models"),
        ],
        "skip": [r"\bunless the audit\b"],
    },
    "downstream_restrictions": {
        "anchors": [r"\b(sublicens|resell|resale|sell|transfer|third part|make available)"],
        "true": [
            r"shall not (sell|sublicense|license|lease|resell|transfer|make available|otherwise make available)",
            r"\bno (sublicensing|resale)\b",
            r"\bnon-?\s*sublicens(e|a)ble\b",
            r"\bmay not (sell|sublicense|resell|transfer)\b",
        ],
        "false": [r"\bmay (freely )?(sublicense|resell|transfer)\b(?! to (its )?affiliates)", r"without restriction on (onward|downstream) use"],
        "resolve": "single",
    },
    "most_favoured_nation": {
        "anchors": [r"most[- ]favou?red|no less favou?rable|at least as favou?rable|equal terms"],
        "true": [r"most[- ]favou?red", r"(no less|at least as) favou?rable (terms|pricing|rates)"],
        "false": [],
        "resolve": "single",
    },
    "liability_cap_multiple": {
        "anchors": [r"\b(aggregate )?liabilit"],
        "measure": "fee_multiple",
        "require": [r"exceed|limited to|cap|in no event"],
        "dominant": [(r"\b(unlimited|uncapped) liabilit", float("inf"), "unlimited liability")],
    },
    "governing_law": {
        "anchors": [r"\bgovern\w*\b|\bconstrued\b"],
        "options": {
            "new_york": [r"laws? of (the state of )?new york", r"\bnew york law\b"],
            "england_and_wales": [r"laws? of england( and wales)?", r"\benglish law\b"],
            "delaware": [r"laws? of (the state of )?delaware", r"\bdelaware law\b"],
            "california": [r"laws? of (the state of )?california", r"\bcalifornia law\b"],
        },
        # A law the mandate does not list is still read (and judged outside the walk-away list).
        "aliases": {"prc": "People's Republic of China", "people’s republic of china": "People's Republic of China", "uk": "England and Wales"},
        "other": r"laws? of (?:the )?(?i:state of |province of |commonwealth of )?((?:[A-Z][\w’']+)(?:\s+(?:of\s+)?[A-Z][\w’']+){0,3})",
        "resolve": "single",
        "skip": [r"\bcourts?\b(?!.*\bgovern)"],
    },
}
