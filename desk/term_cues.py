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
* ``true`` / ``false`` (boolean terms): patterns for each answer.
* ``near`` (number terms): a value counts only with this pattern within a few
  words of it (the audit *notice* period, not the audit frequency).
* ``skip``: sentences matching these are not read (prohibitions, interest on
  late payment, definitions...).
"""

from __future__ import annotations

from typing import Any

NEGATION = r"\b(shall not|may not|must not|will not|is not permitted|are not permitted|prohibited|no right to|nor)\b"

CUES: dict[str, dict[str, Any]] = {
    "annual_fee": {
        "anchors": [r"\b(annual|yearly|per annum|per (contract )?year|each (contract )?year|licen[cs]e fee|royalt)"],
        "measure": "money_per_year",
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
        "skip": [r"\brenewal terms? of\b", r"\brecords?\b", r"\bconfidential"],
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
        "true": [r"(?<!non-)(?<!non)\bexclusive (licen[cs]e|right)", r"shall not,?(?: and shall procure that [^.]{0,60} do not,)? grant to any [^.]{0,80}(licen[cs]e|right)", r"\bexclusively\b(?! in good faith)"],
        "false": [r"\bnon-?exclusive\b"],
        "resolve": "single",
    },
    "permitted_uses": {
        "anchors": [r"\b(grant|licen[cs]e|may use|permitted to use|right to use|may exercise)\b"],
        "options": {
            "display_rag": [r"\bdisplay use\b", r"retrieval[- ]augmented", r"\bdisplay(ing)? (of )?(excerpts|snippets|summaries)"],
            "fine_tuning": [r"\bfine[- ]?tun"],
            "training": [r"\b(pre-?)?train(ing)?\b(?! dataset)"],
            "synthetic_data_generation": [r"\bsynthetic (data|datasets?)\b"],
        },
        "resolve": "set",
        "skip": [NEGATION, r"\bmeans\b", r"\bno attribution\b", r"\backnowledge"],
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
        "anchors": [r"\b(delet|destroy|destruction|remov|unlearn|retrain|purg|return)\w*"],
        "measure": "duration",
        "dominant": [
            (r"\bno obligation to (delete|destroy|remove|return|retrain)", float("inf"), "no obligation to delete"),
            (r"\bmay (continue to )?(retain|keep) [^.]{0,80}(models?|training datasets?|licensed content)", float("inf"), "may retain the content or models"),
        ],
        "skip": [r"\bunless the audit\b"],
    },
    "downstream_restrictions": {
        "anchors": [r"\b(sublicens|resell|resale|sell|transfer|third part|make available)"],
        "true": [r"shall not (sell|sublicense|license|lease|resell|transfer|make available|otherwise make available)", r"\bno (sublicensing|resale)\b"],
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
        "resolve": "single",
        "skip": [r"\bcourts?\b(?!.*\bgovern)"],
    },
}
