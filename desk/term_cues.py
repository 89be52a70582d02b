"""How a contract states each kind of mandate term: the wording the review engine reads.

A mandate term says what the collective wants ("deletion within 30 days"); this
module says how contracts *phrase* it, so the engine can find the deciding words
in a proposal. Cues are keyed by term type (``desk.term_types``), never by a
mandate's own keys: the mandate's options, unit and words are combined with its
type's cue when the term is read (``desk.review.cue_for``), and a term no type
fits is read from its own words. Lawyers'
wording for these terms is formulaic enough that explicit, reviewable patterns
beat a black box here, and every match is quoted back as evidence.

Fields of a cue:

* ``anchors``: a sentence must match one of these to speak to the term.
* ``measure`` (number terms): which values to read: ``money_per_period`` (a fee,
  converted to the term's period), ``price_per_unit`` (per hour of audio, record,
  token..., converted to the term's unit of data), ``money`` (a sum),
  ``percent``, ``duration`` (converted to the term's unit), ``frequency``
  (reporting intervals), ``fee_multiple`` (liability caps). The review picks
  the measure from the term's unit when the type has none.
* ``dominant``: patterns whose presence fixes the value regardless of other
  statements (a licence that is *perpetual* is perpetual whatever the initial
  term says), with that value.
* ``concepts`` (choice types): concept -> (a pattern over a mandate option's
  words that says the option *is* this concept, the contract patterns that state
  it). The mandate's options are the only options: each is matched to a concept
  by its words, and an option no concept fits is read from its own words.
* ``options`` (computed for a term, never written in the library): option id ->
  patterns; ``resolve`` is ``set``
  (the proposal grants every option it mentions), ``best`` (the most favourable
  option stated wins; weaker statements are about other situations) or
  ``single`` (two different options are a conflict: ``unclear``).
* ``true`` / ``false`` (boolean terms): patterns for each answer; ``resolve``
  ``any`` means one true statement decides (one exclusive grant is exclusivity),
  ``any_false`` that one false statement does ("whether or not marked" beside
  "marked as confidential"). A sentence matching both is read as false, unless
  ``true_first``: then the true patterns are exceptions to the false ones
  ("shall not copy except as necessary for the Purpose" permits copies). ``permissive``:
  one permission decides against a restriction (a right to sublicense to partners
  means onward use is not barred, whatever else the contract restricts).
* ``near`` (number terms): a value counts only with this pattern within a few
  words of it (the audit *notice* period, not the audit frequency);
  ``near_reach``: how many characters "a few words" is (default 50).
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
* ``extensions`` (duration terms): extensions the licensee alone may choose are
  added (the term lasts as long as it wants); mutual renewals are not.
* ``skip``: sentences matching these are not read (prohibitions, interest on
  late payment, definitions...); ``skip_measure``: sentences matching these
  speak to the term but their numbers are about something else (an audit
  "once in each year" in the reporting article).
* ``require``: a sentence must also match one of these to be read.
* ``aliases`` (choice terms, with ``other``): a named place -> the option it is
  ("english" -> "england_and_wales").
* ``concept`` (boolean types read by polarity): patterns naming the thing the
  term is about; the answer comes from what the sentence does with it
  (:mod:`desk.statements`) and how the mandate states the term.
* ``negated_by`` (boolean types with ``true``/``false``): a pattern over the
  term's label that means the term asks the opposite ("Non-exclusive licence").
* ``places`` (choice types): options are places (:mod:`desk.places`) named after
  "laws of" (``law``), "courts of" (``courts``) or anywhere (``territory``).
* ``definitions``: definitions are read too (they decide the Territory);
  ``defined_terms``: only the definitions of these defined terms are ("Permitted
  Purpose" means ...).
* ``option_anchors`` (choice types): a sentence stating one of the options speaks
  to the term even without an anchor (a credit in the model card).
* ``concept_of`` (set by the review): concept -> the mandate option it matched.
* ``words`` (set by the review, not the library): sentences are found by the
  term's own words (:class:`desk.term_words.WordMatcher`), not by anchors.
* ``within`` (boolean and choice terms): a sentence is read only if its clause
  (heading and text) matches one of these (an item of a list is read as part of the
  definition it belongs to).

:class:`Cue` types these fields; a cue sets only those it needs.
"""

from __future__ import annotations

from typing import Literal, TypedDict

#: a pattern that fixes or states a value, the value, and the words a finding quotes for it
ValuePattern = tuple[str, float, str]


class Cue(TypedDict, total=False):
    """How a contract phrases one mandate term (see the module docstring for each field)."""

    anchors: list[str]
    measure: Literal["money_per_period", "price_per_unit", "money", "percent", "duration", "frequency", "fee_multiple", "count"]
    dominant: list[ValuePattern]
    fixed: list[ValuePattern]
    options: dict[str, list[str]]
    resolve: Literal["set", "best", "single", "any", "any_false", "permissive"]
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
    concepts: dict[str, tuple[str, list[str]]]
    concept: list[str]
    negated_by: str
    places: Literal["law", "courts", "territory"]
    definitions: bool
    defined_terms: str
    extensions: bool
    skip_measure: list[str]
    concept_of: dict[str, str]
    near_reach: int
    option_anchors: bool
    words: bool
    true_first: bool
    within: list[str]

NEGATION = r"\b(shall not|may not|must not|will not|is not permitted|are not permitted|prohibited|no right to|nor)\b"

# -- non-disclosure agreements ---------------------------------------------------------------
# What NDAs say about Confidential Information, in the words they use. Each type is a boolean
# that is true when the NDA says what the term names; ``true_first`` reads an exception ("shall
# not copy except as necessary") before the prohibition it qualifies; ``resolve`` says which
# statement decides when an NDA says both ("marked as confidential" beside "whether or not
# marked": the second is what the recipient is held to).

#: what an NDA calls the information it protects
CI = r"(confidential|proprietary|evaluation|secret|non-?public)\w*\s+(information|material|materials|data|documents?)|\binformation\b|\bmaterials?\b|\bCI\b"
#: verbs of passing information on
DISCLOSE = (
    r"disclos\w*|reveal\w*|divulg\w*|communicat(e|es|ed|ing)\b|furnish(es|ing)?\b|furnished\s+to|provid(e|es|ing)\b|provided\s+to|"
    r"transmit\w*|shar(e|ed|ing)\b|make\s+available|made\s+available|dissemina\w*|access\s+to|give\s+access|release\b|supply\b"
)
#: people inside the recipient
STAFF = r"employees?|staff|personnel|officers|directors|workers"
#: people outside the recipient an NDA lets it share with
OUTSIDERS = (
    r"advis[eo]rs?|consultants?|counsel|attorneys?|lawyers?|solicitors|accountants?|auditors?|agents|contractors?|"
    r"sub-?contractors?|representatives|affiliates?|affiliated|bankers|financing sources|lenders|investors|"
    r"subsidiar\w*|parent compan\w*|group (companies|members|parties)|partners"
)
#: an item of a list that continues a sentence before it ("(b) to its professional advisers")
ITEM = r"^\W*(?:\(?[a-z0-9]{1,4}[.)]\s*)*"
#: a clause that defines the protected information ("Confidential Information" means..., (the "Evaluation Material"))
CI_DEFINED = (
    r"[“\"'‘]\s*(confidential|proprietary|evaluation|secret|non-?public)?\s*(information|material|materials|data)\s*[”\"'’]"
    r"|\b(confidential|proprietary|evaluation)\s*(information|material|materials)\W{0,3}\s*(shall\s+|will\s+|may\s+)?(mean|means|include|includes|is defined|consists?|comprises?|is that|refers? to|encompass\w*)\b"
    r"|\bterm\s+[“\"'‘]?(confidential|proprietary|evaluation)"
)
#: a sentence that says what information is protected ("information ... may include", "such information includes")
CI_DESCRIBED = r"\b(information|material|materials|data)\b[^.;]{0,40}\b(include|includes|including|means|shall mean|consists? of|comprises?)\b"
#: kinds of information that are not technical (a definition that names one is not limited to technical information)
NON_TECHNICAL = (
    r"business|financial|finances|commercial|marketing|sales|pricing|prices|price lists?|customers|clients|"
    r"customer (lists?|information|data|names|base)|client (lists?|information|data|names)|suppliers|personnel|"
    r"strateg(y|ies|ic)|operations|operational|economic|fiscal|investors|costs?|profits?|forecasts?|budgets?|"
    r"affairs|payroll|human resources|fees|students?|patients?|health|personal|tax|legal|prospects"
)
#: giving back or getting rid of information
RETURN = r"return|destroy|destruction|delet\w*|eras\w*|expung\w*|purg\w*|redeliver|deliver|dispos\w*"
#: information given orally, or in any form
VERBAL = [
    r"\b(oral(ly)?|verbal(ly)?|spoken|visual(ly)?|by inspection|observation)\b",
    r"\b(in\s+)?(any|whatever|whatsoever|every|all)\s+(other\s+)?(form|forms|format|medium|media|means)\b",
    r"\bregardless of (the )?(form|format|medium|manner)\b|\bhowever (conveyed|communicated|disclosed|transmitted|recorded|provided|made available)\b",
    r"\b(tangible or intangible|intangible|non-?tangible|non-?written|otherwise than in writing)\b",
]
#: the agreement ends (or the purpose does)
ENDS = r"terminat\w*|expir\w*|end of|completion|complet\w*|conclu\w*|cessation|ceas\w*|no longer|abandon\w*|not (to )?proceed|not (be )?consummated|elect\w* not to|decid\w* not to|(is|are) not (entered|consummated)"


CUES: dict[str, Cue] = {
    "fee_per_period": {
        "anchors": [r"\b(annual|yearly|per annum|per (contract )?year|each (contract )?year|quarterly|monthly|per (calendar )?(month|quarter)|for each (calendar )?(month|quarter|year)|licen[cs]e fee|fees?\b|royalt|charge|payment|consideration|subscription|remuneration|minimum|guarantee)|\bfree of (any|all) (fees|charges?)|\bat no (charge|cost)"],
        "measure": "money_per_period",
        "fixed": [
            (r"\broyalty[- ]free\b|\bfree of (any |all )?(fees|charges?)|\bfree of charge\b|\bat no (charge|cost)\b|\bwithout (any )?(fee|charge|payment)\b|\bno (fee|royalt(y|ies)|charge|payment) (shall be |is )?(payable|due)\b(?!\s+(for|in respect of|on|with respect to)\b)", 0.0, "free of any fees"),
            (r"\|\s*(none|nil|n/?a|not applicable)\b|\bthere is no (minimum|annual|guaranteed)\b", 0.0, "none"),
        ],
        "skip": [r"\binterest\b", r"\bunderpayment\b", r"\bindemn", r"\bliabilit"],
    },
    "revenue_share": {
        "anchors": [r"\b(revenue|net (display )?revenue|proceeds|profits?)\b.*\b(share|percent|%)|(percent|%).*\brevenue"],
        "measure": "percent",
        "skip": [r"\binterest\b", r"\bunderpayment\b", r"\bwithholding\b"],
    },
    "licence_term": {
        "anchors": [r"\b(initial term|term of|the term|perpetu|irrevocabl|in perpetuity|survive|expir\w*|anniversary|continues? for|remains? in (full )?(force|effect) for|runs? for|lasts? for|has a term of|for a term of)|^\W*(licen[cs]e\s+)?(term|duration|period)\s*\||\b(project|licen[cs]e|subscription|engagement|access) (period|term)\b"],
        "measure": "duration",
        "dominant": [
            (r"\b(perpetual|in perpetuity|irrevocable and perpetual)\b", float("inf"), "a perpetual licence"),
            (r"\bfor the (full |entire )?(duration|term|life) of (the )?(applicable )?(copyright|database right|intellectual property right)s?\b", float("inf"), "for as long as copyright lasts"),
        ],
        "near": r"\b(initial term|term of|period of|continu\w*|remain in (full )?(force|effect)|expir\w*|anniversary|for a (period|term))\b|^\W*(licen[cs]e\s+)?(term|duration|period)\s*\|",
        "not_near": r"\b(renew\w*|additional|extension|extend\w*|notice|cure|prior|before|within|such)\b",
        "date_span": True,
        "extensions": True,
        "skip": [r"\brecords?\b", r"\bconfidential", r"^\W*(\(\w+\)\s*)?(upon|on|following|after) (the )?(termination|expiration|expiry)\b"],
    },
    "renewal": {
        "anchors": [r"\brenew|\bextend\w*\b[^.]{0,40}\b(term|licen[cs]e|agreement)|\bextension\b"],
        "concepts": {
            "mutual": (r"mutual|agree|written|consent|both", [r"renew\w*\s+(only\s+)?(by|upon|with|subject to)\s+(the\s+)?mutual\s+(written\s+)?(agreement|consent)", r"may be renewed (only )?by (a )?(mutual )?written agreement of (both|the) parties", r"renew\w*[^.]{0,60}\bif (both|the) parties (so )?agree", r"\bno automatic renewal\b"]),
            "auto_opt_out": (r"opt[ -]?out|unless|notice|non[ -]?renewal|auto\w* with", [r"renew\w* automatically.{0,300}\bunless (either|one|a) party", r"automatically renew.{0,300}\b(notice of non-renewal|elects not to renew|notice not to renew)", r"\bauto(matic(ally)?)?[- ]renew\w*.{0,200}\bunless\b"]),
            "automatic": (r"automatic|unilateral|option|evergreen|licensee", [r"renew\w* automatically(?!.{0,300}\bunless)", r"\bat (its|licensee'?s|[a-z]+'?s) (sole )?(option|discretion).{0,60}\b(renew|extend)", r"\bshall have the (right|option)\b[^.]{0,300}\b(renew|extend)", r"\b(renew|extend)\w*\b[^.]{0,80}\bin its (sole )?discretion\b", r"\blicensee may (elect to )?renew\b", r"\brenew\w*[^.]{0,60}\bat (the )?licensee'?s (sole )?(option|election)"]),
        },
        "resolve": "single",
        "extensions": True,
    },
    "exclusivity": {
        "anchors": [r"exclusiv|shall not.{0,120}\bgrant\b.{0,80}\b(licen[cs]e|right)|\bnot to grant\b|\bcompeting\b"],
        "true": [
            r"(?<!non-)(?<!non)\bexclusive(?!\s+of\b),? [^.]{0,40}(licen[cs]e|rights?)\b",
            r"\bgrants? [^.]{0,60}(?<!non-)(?<!non)\bexclusive\b(?!\s+of\b)",
            r"\bexclusive(ly)? (in|within|for) the (field|territory)\b",
            r"\bon an exclusive basis\b",
            r"\b(licen[cs]e|rights?)\b(?:[^.]|\.(?=\d)){0,60}\b(is|are|shall be|will be) exclusive\b(?!\s+of\b)",
            r"shall not,?(?: and shall procure that [^.]{0,60} do not,)? grant to any [^.]{0,80}(licen[cs]e|right)",
            r"shall not,?\s+and shall (?:procure|ensure|cause)\b[^.]{0,100}?,\s*grant\b[^.]{0,160}\b(licen[cs]e|right)",
            r"(?<!licensee\s)(?<!recipient\s)(?<!customer\s)shall not (license|licence|make available|provide)\b[^.]{0,100}?\bto any (other|third)\b",
            r"\b(licensor|collective|co-?operative|trust|partner|provider)\b[^.]{0,80}\bnot to grant (to )?any (third part(y|ies)|other (person|party|licensee))\b[^.]{0,100}\b(right|licen[cs]e)",
            r"(?<!licensee\s)(?<!recipient\s)(?<!customer\s)shall not grant,?[^.]{0,100}?\bto any (third part(y|ies)|other (person|party|licensee|developer)|person)\b[^.]{0,60}\b(licen[cs]e|right)",
            r"\bexclusivity\b[^.]{0,60}\b(in|within|for) the field\b|\b\d+[- ]month exclusivity\b|\bexclusivity (period|in the field)\b",
            r"\blicen[cs]e[ds]? [^.]{0,60}\bexclusively to\b",
        ],
        "false": [r"\bnon-?exclusive\b"],
        "negated_by": r"\bnon-?exclusiv|\bno exclusiv|\bnot exclusive",
        # Any exclusive grant ties the collective's hands, even beside non-exclusive ones (a trademark licence).
        "resolve": "any",
    },
    "permitted_uses": {
        "anchors": [r"\b(grant|licen[cs]e|may use|permitted to use|right to use|may exercise|use the|permitted purpose|may be used|solely for|only for|purpose)\b|\bmay (sub-?licen[cs]e|distribute|redistribute|sell|resell)\b"],
        "concepts": {
            "code_search": (r"code search|code analysis|static analysis|code navigation", [r"\bcode (search|analysis|navigation|intelligence)\b", r"\bsearch\w* (of |over |across )?(the )?(code|repositor\w+|source)\b"]),
            "text_and_data_mining": (r"text and data mining|\btdm\b|data mining|\bmining\b", [r"\btext and data mining\b", r"\bTDM\b", r"\bdata mining\b"]),
            "display_rag": (r"display|\brag\b|retriev|\bsearch|snippet|summar|excerpt|ground|answer", [
                r"\bdisplay use\b", r"retrieval[- ]augmented", r"\bdisplay(ing)? (of )?(excerpts|snippets|summaries)", r"\b(retrieval|grounding|search)\b",
                r"\b(reproduce|publish|display|distribute|perform|transmit)\b[^.]{0,80}\b(content|licensed|materials|programs?|titles?)",
                r"\buse the licensed content in connection with [^.]{0,40}\b(websites?|web sites?|online services?)\b",
            ]),
            "fine_tuning": (r"fine|tun|adapt", [r"\bfine[- ]?tun", r"\badapt(ing|ation)? (of )?(a |the )?(pre-?trained )?models?\b"]),
            "synthetic_data": (r"synthetic", [r"\bsynthetic (data|datasets?|content|records?)\b"]),
            "voice_synthesis": (r"voice|clon|tts|text[ -]to[ -]speech|speech synth|singing synth", [r"\bvoice[- ]?(clon\w*|synthes\w*|model\w*|conversion)", r"\btext[- ]to[- ]speech\b", r"\bsynthes\w* [^.]{0,40}\b(voices?|singing|speech)\b", r"\bclon\w* [^.]{0,30}\bvoices?"]),
            "speech_recognition": (r"speech recog|\basr\b|transcri|recogni", [r"\bspeech[- ]recognition\b", r"\b(automatic )?transcription\b", r"\basr\b"]),
            "evaluation": (r"evaluat|benchmark|test|validat", [r"\b(evaluat\w*|benchmark\w*|testing|validation)\b"]),
            "research": (r"research|academic|non[ -]?commercial|scientific|study", [r"\b(internal |academic |scientific |non-?commercial )?research\b", r"\bnon-?commercial\b"]),
            "commercial": (r"commercial|product|deploy|monetis|moneti", [r"\bcommercial (products?|services?|purposes?|use|deployment)\b", r"\bcommerciali[sz]\w*"]),
            "music_generation": (r"music|song|accompaniment|composition", [r"\bmusic[- ]generat\w*|\bgenerat\w* (of )?(new )?(music|songs?)\b|\baccompaniment[- ]generat\w*|\b(music|song) (generation|composition) models?\b"]),
            "analysis": (r"analy|classif|tagging|understanding|detection", [r"\b(audio |image |content |data )?(analysis|analy[sz]ing|classification|classifying|tagging|detection)\b", r"\bimage[- ]understanding\b"]),
            "code_generation": (r"code|completion|programming", [r"\bcode (generation|completion|assistants?)\b"]),
            "image_generation": (r"image gen|generat\w* image|text[ -]to[ -]image", [r"\bimage[- ]generat\w*", r"\bgenerat\w* (of )?images?\b", r"\btext[- ]to[- ]image\b"]),
            "training": (r"train|pre[ -]?train|model development|development of (ai|models)", [r"\b(pre-?)?train(ing|ed)?\b(?! dataset)(?![- ](?:staff|personnel|employees))", r"\bdevelop\w* (and improv\w* )?(of )?(its |the )?(artificial intelligence|ai|machine[- ]learning) models?\b"]),
            "redistribution": (r"redistribut|resell|resale|sublicen|share with third|onward", [r"\b(redistribut\w*|resell\w*|resale|sublicens\w*)\b"]),
        },
        "resolve": "set",
        # A use named right after "shall not" is a prohibition, not a grant (local, so a proviso
        # elsewhere in a long grant sentence does not hide the grant).
        "negated_before": NEGATION,
        "defined_terms": r"permitted (purpose|use)s?|authori[sz]ed (purpose|use)s?|purpose|field( of use)?|licensed use",
        "skip": [r"\bno attribution\b", r"\backnowledge"],
    },
    "attribution": {
        "anchors": [r"\battribut|\bidentify the originating|\blink to\b|\bcredit|\backnowledg|\bbyline"],
        "concepts": {
            "none": (r"\bno\b|none|without attribution|not required", [r"\bno attribution (obligation|requirement|is required)\b", r"\bshall not be (required|obliged) to (attribute|credit|acknowledge)", r"\bwithout (any )?(attribution|credit)\b", r"\bno (obligation|requirement) to (attribute|credit|acknowledge)"]),
            "with_links": (r"link|url|hyperlink", [r"\b(clickable |hyper)?link (back )?to the (original|canonical|source)", r"\bhyperlink", r"\bclickable link", r"\b(url|link) (of|to) the (source|original)", r"\b(hyper)?links? (back )?to (the|each|its|a) "]),
            "in_documentation": (r"document|readme|datasheet|data sheet|model card|list|collective|group|choir", [r"\b(list|name|identify|credit|acknowledge|publish)\w*\b[^.]{0,100}\b(documentation|model cards?|data ?sheets?|readme|dataset cards?|credits page)\b"]),
            "doi": (r"\bdoi\b|identifier|persistent", [r"\b(doi|digital object identifier)s?\b"]),
            "name_only": (r"only|name|credit|without link|attribution$|^attribution", [r"\bidentify the [^.]{0,40}\bby name\b", r"\b(identif\w*|nam\w*|cit\w*)\b[^.]{0,40}\b(the )?(journal|publication|title|source|publisher)s?\b(?! (identifier|doi))", r"\bdisplay (the )?name (of|and)\b", r"\b(name|credit)s? (each|the) (singer|performer|photographer|contributor|author|member)s?\b", r"\battribute[ds]? to the [^.]{0,40}(publication|member|source|performer|choir|author|creator|photographer)", r"\b(credit|acknowledge)\w* (the )?[^.]{0,40}\b(performer|choir|member|author|creator|source|photographer|contributor)s?\b", r"\bcredit(ed)? (as|in)\b"]),
        },
        "resolve": "best",
        "option_anchors": True,
        "skip": [r"\bmeans\b"],
    },
    "notice_period": {
        "anchors": [r"\b(audit|inspect)"],
        "measure": "duration",
        "require": [r"\bnotice\b"],
        "near": r"\bnotice\b",
    },
    "reporting_frequency": {
        "anchors": [r"\b(usage |royalty |sales )?(reports?|statements?|accounts?|accounting|summary|summaries)\b"],
        "skip_measure": [r"\b(inspect\w*|audit\w*)\b"],
        "measure": "frequency",
        "skip": [r"\bincident\b", r"\bbreach\b"],
    },
    "member_opt_out": {
        "anchors": [r"\bopt[- ]?out\b|\bwithdraw\w*\b|\bremov\w*\b[^.]{0,80}\b(content|works?|images?|recordings?|records?|data)\b|\btake-?\s?downs?\b|\bobject\w*\b|\bidentif\w*\b[^.]{0,60}\bto (be )?remov"],
        "measure": "duration",
        "dominant": [(r"\b(is|are|shall be|will be) not (obliged|required|bound) to (remove|delete|exclude|withdraw|cease)", float("inf"), "not obliged to remove")],
    },
    "deletion": {
        "anchors": [r"\b(delet|destroy|destruction|unlearn|retrain|purg)\w*|\bremov\w* [^.]{0,40}(content|data)|\breturn (or destroy |and destroy )?(all|the|any) [^.]{0,30}(content|data|materials)"],
        "require": [r"terminat|expir|end of the term|cessation|no obligation to delete"],
        "fixed": [(r"\b(immediately|forthwith)\b", 0.0, "immediately")],
        "measure": "duration",
        "dominant": [
            (r"\bno obligation to (delete|destroy|remove|return|retrain)", float("inf"), "no obligation to delete"),
            (r"\bmay (continue to )?(retain|keep) [^.]{0,80}(models?|training datasets?|licensed content)", float("inf"), "may retain the content or models"),
            (r"\bmay continue to (use|operate|exploit|commerciali[sz]e)\b[^.]{0,80}\bmodels?\b", float("inf"), "may keep using the models"),
            (r"\bnothing\b[^.]{0,60}\brequires?\b[^.]{0,40}\b(retrain|retire|delete|destroy)\w*[^.]{0,40}\bmodels?\b", float("inf"), "models need not be retrained or deleted"),
            (r"\b(is|are|shall be|will be) not (required|obliged|obligated) to (delete|destroy|erase|remove|return|retrain)\b", float("inf"), "not required to delete"),
        ],
        "skip": [r"\bunless the audit\b"],
    },
    "indemnity": {
        "anchors": [r"\bindemnif\w*|\bhold (\w+ )?harmless"],
        "concept": [r"\bindemnif\w*", r"\bhold (\w+ )?harmless"],
    },
    "confidentiality": {
        "anchors": [r"\bconfiden\w*|\bnon-?disclos"],
        "concept": [r"\b(keep|hold|treat|maintain)\b[^.]{0,60}\bconfiden\w*|\bconfidential(ity)?\b"],
        "definitions": True,
    },
    "audit": {
        "anchors": [r"\baudit\w*|\binspect\w*|\bexamin\w* (the )?(books|records)"],
        "concept": [r"\baudit\w*|\binspect\w*|\bexamin\w* (the )?(books|records)"],
        "measure": "duration",
        "near": r"\bnotice\b",
    },
    "security": {
        "anchors": [r"\bsecurity\b|\bbreach\b|\bincident\b|\bencrypt|\bunauthori[sz]ed access"],
        "concept": [r"\b(appropriate|reasonable|industry[- ]standard)? ?(technical and organi[sz]ational )?security (measures|controls|safeguards)", r"\bencrypt\w*", r"\bnotif\w* [^.]{0,60}\b(breach|incident)"],
        "measure": "duration",
        "near": r"\b(notif\w*|inform\w*|report\w*|tell|advise|alert)\b",
        "near_reach": 80,
        "require": [r"\bbreach|\bincident|\bunauthori[sz]ed|\bsecurity"],
    },
    "assignment": {
        "anchors": [r"\bassign\w*|\btransfer\w*|\bchange (of|in) control|\bnovat"],
        "concept": [r"\bassign\w*", r"\btransfer\w*", r"\bnovat\w*"],
        "concepts": {
            "consent": (r"consent|approv|not without", [r"\bwithout (the )?(prior )?(written )?consent\b", r"\bshall not (assign|transfer)"]),
            "free": (r"free|without consent|any|unrestrict", [r"\bmay (freely )?(assign|transfer)\b(?![^.]{0,80}\bconsent)"]),
        },
        "resolve": "single",
    },
    "member_access": {
        "anchors": [r"\bmembers?\b[^.]{0,80}\baccess|\baccess\b[^.]{0,80}\bmembers?\b"],
        "concept": [r"\baccess\b"],
    },
    "output_ownership": {
        "anchors": [r"\bown\w*|\btitle\b|\bintellectual property|\bvest"],
        "concepts": {
            "collective": (r"collective|trust|licensor|members?|us\b|our|consortium|choir|hospital|archive", [r"\b(licensor|members?|trust|collective)\b[^.]{0,40}\b(shall )?(own|retain|hold)s?\b[^.]{0,60}\b(outputs?|models?)"]),
            "licensee": (r"licensee|developer|company|provider|lab|them", [r"\b(licensee|company|developer|provider)\b[^.]{0,40}\b(shall )?(owns?|retains?|holds?)\b[^.]{0,80}\b(outputs?|models?|weights)", r"\b(outputs?|models?|weights)\b[^.]{0,60}\b(shall be|are|is) (the )?(sole )?(and exclusive )?property of (the )?(licensee|company|developer|provider)"]),
            "joint": (r"joint|shared|co-?own", [r"\bjoint(ly)? own\w*", r"\bco-?own\w*"]),
        },
        "resolve": "single",
    },
    "downstream_restrictions": {
        "anchors": [r"\b(sublicens|sub-licens|resell|resale|sell|transfer|third part|make available|redistribut|distribut|onward)"],
        "true": [
            r"(shall|will|may|must) not,? (?:[\w-]+,? (?:or )?){0,3}(sell|sublicense|sub-license|sublicence|license|lease|resell|transfer|redistribute|distribute|disclose|share|make available|otherwise make available)\b",
            r"\bno (sublicensing|resale)\b",
            r"\bnon-?\s*sublicens(e|a)ble\b",
            r"\b(redistribution|resale|sublicensing|onward (transfer|distribution)) (is|are|shall be) (strictly )?(prohibited|not permitted)",
        ],
        "false": [r"\bmay (freely )?(sublicense|resell|transfer|redistribute|distribute)\b(?![^.]{0,40}\bto (its |an? )?affiliates?\b)", r"without restriction on (onward|downstream) use", r"\bfree to (redistribute|resell|sublicense|share)\b"],
        "negated_by": r"\b(may|right to|free to|permitted to|allowed to)\s+(resell|sublicens|redistribut|transfer)",
        "resolve": "permissive",
    },
    "most_favoured_nation": {
        "anchors": [r"most[- ]favou?red|no less favou?rable|at least as favou?rable|equal terms"],
        "true": [r"most[- ]favou?red", r"(no less|at least as) favou?rable (terms|pricing|rates)"],
        "false": [],
        "resolve": "single",
    },
    "liability_cap": {
        "anchors": [r"\b(aggregate )?liabilit"],
        "measure": "fee_multiple",
        "require": [r"exceed|limited to|cap|in no event"],
        "dominant": [(r"\b(unlimited|uncapped) liabilit", float("inf"), "unlimited liability")],
    },
    "governing_law": {
        "anchors": [r"\bgovern\w*\b|\bconstrued\b|\bapplicable law\b|\blaws? of\b"],
        "places": "law",
        "resolve": "single",
    },
    "jurisdiction": {
        "anchors": [r"\bcourts?\b|\bjurisdiction\b|\bvenue\b|\barbitrat\w*|\bseat\b|\bforum\b"],
        "places": "courts",
        "resolve": "single",
    },
    "territory": {
        "anchors": [r"\bterritor\w*|\bworld-?wide\b|\bthroughout the world\b|\bglobal\b|\bin the (united|european)"],
        "places": "territory",
        "resolve": "set",
        "definitions": True,
    },
    "price_per_unit": {
        "anchors": [r"\b(per|for each|each|every)\b[^.;]{0,40}?\b(hour|minute|record|token|gigabyte|gb|terabyte|work|image|photo|item|file|track|song|recording|title|article|character|word|page|study|studies|document|repositor(y|ies))s?\b|/\s*(hour|record|token|image|gb)|\brate\b|\bprice\b|\btariff\b"],
        "measure": "price_per_unit",
        "fixed": [(r"\broyalty[- ]free\b|\bfree of (any |all )?(fees|charges?)|\bfree of charge\b|\bat no (charge|cost)\b|\bwithout (any )?(fee|charge|payment)\b|\bno (separate |additional |extra )?(fee|charge|payment)s?\b", 0.0, "free of charge")],
        "skip": [r"\binterest\b", r"\bunderpayment\b"],
    },
    "payment_terms": {
        "anchors": [r"\bpa(y|id|yable|yment)\b|\binvoice|\bnet \d+"],
        "measure": "duration",
        "require": [r"\binvoice|\bnet \d+|\bstatement|\bafter the end of (each|the)"],
        "fixed": [(r"\b(on|upon) (signature|signing|receipt of (the |an )?invoice)\b|\bin advance\b", 0.0, "on invoice")],
        "near": r"\b(pa(y|id|yable|yment)|net|settle\w*)\b",
        "skip": [r"\binterest\b", r"\bdispute"],
    },
    "lump_sum": {
        "anchors": [r"(?<!in\s)\badvance\b|\bsigning\b|\bsignature\b|\bup-?front\b|\bone-?(time|off)\b|\blump[- ]sum\b|\binitial payment\b|\bexecution fee\b"],
        "measure": "money",
        "fixed": [(r"\b(none|nil|not applicable|n/a)\b|\bno (signing|up-?front|advance|one-?time)\b|\bno such (payment|fee)\b", 0.0, "none")],
    },
    # -- non-disclosure agreements (vocabulary above) --
    "explicit_identification": {
        "anchors": [r"\bmark(ed|ing|s)?\b|\blegend\b|\bidentif\w*|\bdesignat\w*|\blabell?(ed|ing)?\b|\bstamp|\breduced to writing|\bconfirmed in writing|\bsummari[sz]ed in writ|\breasonabl|\bnature\b|\bintended\b|\bwhether or not\b|\bregardless\b"],
        "require": [r"confidential|proprietary|secret"],
        "skip": [r"\bcop(y|ies)\b[^.;]{0,80}\b(shall|will|must)\s+(also\s+)?(be\s+marked|bear|include|contain|reproduce)\b"],
        "true": [
            r"\b(marked|labell?ed|designated|identified|stamped|legend|indicated)\b[^.;]{0,80}\b(as|as being|with|to be)\s+[\"“'‘]?(confidential|proprietary|secret)",
            r"\b(confidential|proprietary)[\"”'’]?,?\s+(or [\"“'‘]?\w+[\"”'’]?\s+)?(legend|marking|stamp|notice|designation)",
            r"\b(mark|identify|designate|label)\b[^.;]{0,60}\b(as )?(confidential|proprietary)",
            r"\b(reduced to|confirmed in|summari[sz]ed in)\s+(a\s+)?writ\w*",
            r"\bbears?\b[^.;]{0,40}\b(legend|marking)",
        ],
        "false": [
            r"\b(whether|regardless of whether|irrespective of whether)\b[^.;]{0,60}\b(or not\s+)?(so\s+)?(marked|identified|designated|labell?ed|stamped)",
            r"\b(marked|identified|designated|labell?ed)\s+(as\s+such\s+)?or not\b",
            r"\bnot\s+(so\s+)?(marked|identified|designated|labell?ed)\b",
            r"\bneed not\s+(be\s+)?(marked|identified|designated|labell?ed)",
            r"\bwithout (any )?(marking|legend|designation)",
            r"\b(reasonabl[ey]|ought reasonably|should reasonably|would reasonably)\b[^.;]{0,60}\b(understood|considered|expected|deemed|known|regarded|believed|recogni[sz]ed|held)\b[^.;]{0,40}\b(confidential|proprietary|secret)",
            r"\breasonable (person|party|business ?person)\b[^.;]{0,80}\b(confidential|proprietary)",
            r"\bby (its|their) (very )?nature\b[^.;]{0,80}\b(confidential|proprietary|secret)|\b(confidential|proprietary)\b[^.;]{0,30}\bby (its|their) (very )?nature",
            r"\bought\s+(reasonably\s+)?to\s+be\s+(considered|treated|regarded|understood|deemed|known)\b[^.;]{0,30}\b(confidential|proprietary)",
            r"\b(should|would|ought to)\s+have\s+(reasonably\s+)?(known|understood)\b",
            r"\b(does|do|did)\s+not\s+bear\b[^.;]{0,60}\b(legends?|markings?)|\bnevertheless\s+(be\s+)?(protected|treated|considered|deemed)",
            r"\b(clearly |otherwise )?intended to be (disclosed |held |kept |treated )?(in )?confiden",
        ],
        "resolve": "any_false",
        "definitions": True,
    },
    "technical_information_only": {
        "anchors": [rf"({CI}|\bconfidential\b|\bproprietary\b)"],
        # what the protected information is: a definition, or an item of the list in a clause that defines it
        "within": [CI_DEFINED, CI_DESCRIBED, r"\bdefinitions?\b"],
        "require": [CI_DEFINED, CI_DESCRIBED, rf"{ITEM}\(?([a-z]{{1,4}}|\d{{1,2}}(\.\d+)*)[.)]\s", r"^\W*[a-z]"],
        "skip": [r"\b(shall|does|do|will) not (include|apply|extend)\b|\bexclud\w*|\bnot (be )?(deemed|considered)\b|\bpublic domain\b|\bpublicly\b|\bgenerally (known|available)\b|\b(previously|already) known\b|\bin (its|the \w+ party'?s) possession\b|\bindependently\b|\bwithout (restriction|breach)\b|\brequired by law\b|\bthird part\w*\b[^.;]{0,60}\b(lawful|rightful|without)"],
        "true": [
            r"\b(only|solely|limited to|exclusively)\b[^.;]{0,40}\b(technical|scientific|engineering)\b(?![^.;]{0,30}\b(and|or)\s+(non-?technical|business|commercial|financial))",
        ],
        "false": [
            r"\bnon-?technical\b",
            rf"\b({NON_TECHNICAL})\b(?!\s+(records?|days?|hours|purposes?|relationship|opportunit\w*|judgment|day|associat\w*|process\w*))",
            r"\b(any|all|any and all)\s+(other\s+)?(information|data)\b[^.;]{0,30}\b(of\s+(any|whatever|every)\s+(kind|nature|type|description)|whatsoever|whether\s+(or\s+not\s+)?technical)",
        ],
        "resolve": "any_false",
        "definitions": True,
    },
    "verbal_information": {
        "anchors": VERBAL,
        "require": [CI, r"\bconfidential"],
        "skip": [r"\bentire (agreement|understanding)|\bsupersedes?\b|\b(no|any) (amendment|modification|waiver)s?\b|\bamended\b|\bwaived\b|\bnotices?\s+(shall|must|will|under|required|given|hereunder|to be)\b|\b(written|verbal|oral)\s+notice|\bnotice\s+(in writing|orally)|\brepresentations?\s+(or|and)\s+warrant"],
        "true": VERBAL,
        "false": [
            r"\b(oral(ly)?|verbal(ly)?|spoken)\b[^.;]{0,80}\b(shall|will|does|do|is|are)\s+not\s+(be\s+)?(constitute|considered|deemed|treated|included|include|protected|subject)\w*\b(?![^.;]{0,120}\b(unless|except|until|if|provided)\b)",
            r"\b(only|solely)\b[^.;]{0,40}\b(in\s+)?(written|tangible|documentary)\s+(form|information|materials|documents)\b(?![^.;]{0,120}\b(or|and)\s+(oral|verbal))",
        ],
        "resolve": "any",
        "definitions": True,
    },
    "purpose_limitation": {
        "anchors": [r"\b(use|used|uses|using|utili[sz]\w*|exploit\w*|benefit|appropriate)\b"],
        "true": [
            r"\b(use|used|using|utili[sz]\w*|exploit\w*)\b[^;]{0,160}\b(solely|only|exclusively|strictly|purely)\b[^;]{0,60}\b(for|in connection with|to|on|as|with respect to|in relation to|in order to)\b",
            r"\b(solely|only|exclusively|strictly)\b[^;]{0,30}\b(for|in connection with|in relation to)\b[^;]{0,80}\b(purpose|evaluat\w*|transaction|project|permitted|assess\w*|discussions?|negotiat\w*|relationship|services|business|proposal|review|consideration|bid|rfp|work)",
            r"\bfor\s+the\s+(sole|exclusive|limited)\s+purpose\b",
            r"\bnot\b[^;]{0,60}\b(use|utili[sz]e|exploit|apply|appropriate)\b[^;]{0,160}\b(other than|except|for any (\w+ or )?(other )?(purpose|reason)|for (its|their|his|her|your|any) own|own account|for (the )?(benefit|purpose) of (any|itself|anyone)|outside|beyond|otherwise than|commercial|competitive|advantage)",
            rf"{ITEM}(use|utili[sz]e|exploit)\b[^;]{{0,120}}\b(except|other than|for any (other )?purpose|otherwise than)",
            r"\b(for\s+(any|no)\s+other\s+purpose|purposes?\s+other\s+than|other\s+than\s+(for\s+)?the\s+(permitted\s+|stated\s+|agreed\s+)?purpose)",
            r"\b(limited|restricted)\s+(to\s+)?(the\s+)?(use|purpose)|\buse\b[^;]{0,60}\b(limited|restricted) to\b",
            r"\bnot\b[^;]{0,40}\bderive any benefit\b",
        ],
        # a residuals clause (what staff remember may be used for any purpose) takes the limit away
        "false": [
            r"\bresidual\w*\b[^.;]{0,200}\b(any purpose|free to use|not be restricted|without restriction|may use|right to use)",
            r"\b(free to use|may use|not be restricted from using|right to use)\b[^.;]{0,120}\b(residual\w*|retained in (the )?(unaided )?(memor\w*|minds?))",
            r"\b(neither|no|not)\b[^.;]{0,60}\b(restricted|prevented|precluded|limited)\s+from\s+using\b[^.;]{0,160}\b(retained in (the )?(unaided )?(memor\w*|minds?)|residual\w*)",
            r"\bmay (freely )?use\b[^.;]{0,60}\bfor any purpose(?! other)",
            r"\b(free|entitled) to use\b[^.;]{0,60}\b(for any purpose|without restriction)",
        ],
        "skip": [r"\bnotices?\b|\bname of the other\b|\bpublicity\b"],
        "resolve": "any_false",
        "definitions": True,
    },
    "sharing_with_employees": {
        "anchors": [rf"\b({STAFF}|employed by)\b"],
        "require": [rf"\b({DISCLOSE}|need[- ]to[- ]know|need to know|require access|limit\w*|restrict\w*)", r"\brepresentatives\b"],
        "skip": [r"\b(solicit\w*|hire|hiring|recruit\w*|employ)\b\s+(or\s+\w+\s+)?(any\s+)?(of\s+)?(the\s+)?(\w+\s+)?(employees?|personnel)|\bindemnif|\bnegligen|\bliab"],
        # any sentence that lets the information reach employees (a need-to-know limit included) permits sharing with them
        "true": [rf"\b({STAFF}|employed by)\b"],
        "resolve": "any",
        "definitions": True,
    },
    "sharing_with_advisers": {
        "anchors": [rf"\b({OUTSIDERS}|third[- ]part\w*|any (other )?(person|party|one|entity|individual)|anyone|outside)\b|\bonly to\b|\bsolely to\b"],
        "require": [rf"\b({DISCLOSE}|need[- ]to[- ]know|need to know)", rf"{ITEM}(to|with)\s+(its|their|such|the|any of its)\b"],
        "skip": [r"\b(solicit\w*|hire|hiring|recruit\w*)\b|\bindemnif|\bprovided by the disclosing\b|\bassign\w*|\bthe fact that\b|\bexistence of\b"],
        "true": [
            rf"\b({DISCLOSE})\b[^.;]{{0,160}}?\b(to|with)\s+(any\s+of\s+|such\s+of\s+|those\s+of\s+)?(its|their|his|her|such|the|those|your|our|each|either|any)\b[^.;]{{0,160}}?\b({OUTSIDERS})\b",
            rf"\b(except|other\s+than|save|excluding|apart\s+from|but\s+only)\s+(\w+\s+){{0,2}}?(to\s+|with\s+|for\s+)?(any\s+of\s+|such\s+of\s+|those\s+of\s+)?(its|their|the|such|those|your|our|[\w-]+['’]s)\b[^.;]{{0,160}}?\b({OUTSIDERS})\b",
            rf"\b(limited|restricted)\s+to\b[^.;]{{0,100}}?\b({OUTSIDERS})\b",
            rf"\b(used|reviewed|accessed)\s+(only\s+|solely\s+)?by\b[^.;]{{0,100}}?\b({OUTSIDERS})\b",
            rf"{ITEM}(to|with)\s+(its|their|such|the|any of its)\b[^.;]{{0,80}}\b({OUTSIDERS})\b",
            r"\bmay\b[^.;]{0,60}\b(disclose|share|provide|furnish|transmit|reveal)\b[^.;]{0,80}\bthird[- ]part",
        ],
        "false": [
            rf"\b(not|no|nor|never)\b[^.;]{{0,120}}\b({DISCLOSE})\b[^.;]{{0,160}}\b(any|a|other)\s+(third[- ]part\w*|person|persons|one|entity|individual|party|firm|corporation)\b",
            rf"\b(only|solely)\s+to\s+(those\s+)?(of\s+)?(its|their|the\s+\w+'?s?)?\s*(own\s+)?(\w+\s+)?({STAFF})\b(?![^.;]{{0,100}}\b({OUTSIDERS})\b)",
            rf"\b(not|no|nor)\b[^.;]{{0,80}}\b({DISCLOSE})\b[^.;]{{0,100}}\b(anyone|outside|third[- ]part\w*)",
            r"\b(shall|will|must) be (kept|held) (in )?(strict(est)? )?(confidence|confidential)\b[^.;]{0,80}\bnot\b[^.;]{0,40}\bdisclos",
        ],
        "true_first": True,
        "resolve": "any",
        "definitions": True,
    },
    "compelled_disclosure_notice": {
        "anchors": [
            r"\b(required|compelled|requested|obliged|obligated|ordered|requirement|demand\w*|necessary)\b[^.;]{0,120}\b(law|laws|court|subpoena|legal|regulat\w*|judicial|government\w*|authorit\w*|interrogator\w*|deposition|stock exchange|tribunal|statut\w*)",
            r"\bsubpoena|\bcourt order|\border of (a|any) court|\blegal process|\bjudicial|\bprotective order|\bcompell\w*",
        ],
        "true": [
            r"\bnotif(y|ies|ied|ying|ication)\b|\b(give|provide|furnish|send)\s+(\w+\s+){0,4}notice\b|\b(prior|prompt|advance|immediate|reasonable|written|sufficient)\s+(written\s+)?notice\b|\bnotice\s+(thereof|of\s+(such|the|any|its))\b|\binform(s|ed)?\b|\badvise(s|d)?\b",
        ],
        "false": [
            r"\bwithout\s+(any\s+)?(prior\s+)?(notice|notif\w*|informing)\b",
            r"\bno\s+(obligation|duty|requirement)\s+to\s+(notify|inform|give\s+notice)",
            r"\bnot\s+(be\s+)?(required|obliged|obligated)\s+to\s+(notify|inform|give\s+notice)",
        ],
        "resolve": "any",
        "definitions": True,
    },
    "agreement_confidential": {
        "anchors": [r"\bexistence\b|\bterms\b|\bfact\b|\bannounce\w*|\bpress release|\bpublicity\b|\bpublici[sz]\w*|\bparticipation\b|\binvolvement\b|\bdiscussions?\b|\bnegotiations?\b|\bcontents?\b|\bsubject matter\b|\bnature\b|\bpurpose\b|\bagreement\b[^.;]{0,100}\bconfiden"],
        "require": [r"\b(not|no|nor|neither|never|prohibit\w*|forbidden|without|confidential\w*|secret|include|including|includes|means|mean)\b", r"^\W*\(?[a-z0-9]{1,4}[.)]", r"\bmay\s+(publicly\s+)?(disclose|announce|publici[sz]e)\b"],
        "skip": [r"\bentire (agreement|understanding)|\bsupersede|\bamend\w*|\bwaive|\bgoverned by|\bcounterparts\b|\bseverab"],
        "true": [
            r"\b(disclos\w*|reveal\w*|announc\w*|publici[sz]\w*|divulg\w*|communicat\w*|make public|confiden\w*|secret)\b[^.;]{0,80}\b(the\s+)?(existence|fact|contents?|substance|nature|status|subject matter)\b[^.;]{0,40}\bof\s+(this|the)\s+(agreement|nda|letter agreement|cda|confidentiality agreement)",
            r"\b(disclos\w*|reveal\w*|divulg\w*|make public|announc\w*)\s+(to\s+any\s+(\w+\s+)?(person|party|one|third\s+party)\s+)?(any\s+of\s+)?the\s+terms\s+(and\s+conditions\s+)?of\s+(this|the)\s+(agreement|nda|letter agreement)",
            r"\b(existence|fact|contents?|substance|nature|status)\b[^.;]{0,40}\bof\s+(this|the)\s+(agreement|nda|letter agreement|cda)\b[^.;]{0,120}\b(confiden\w*|secret|(not|cannot)\b[^.;]{0,30}\bdisclos\w*|disclos\w* to any|forbidden|prohibited)",
            r"\b(means|mean|include|includes|including|shall include)\b[^.;]{0,400}\b(existence|contents?)\b[^.;]{0,40}\bof\s+(this|the)\s+(agreement|nda|letter agreement|discussions|negotiations)",
            r"\bterms\s+(and\s+conditions\s+)?of\s+(this|the)\s+(agreement|nda)\s+(shall|will|are\s+to|must)\s+(be\s+)?(kept|treated|held|remain|deemed|considered|confidential)",
            r"\b(this|the)\s+agreement\b[^.;]{0,100}\b(shall|will|must|is\s+to)\s+be\s+(kept|held|treated)\s+(strictly\s+)?(confidential|in\s+confidence|secret)",
            r"\bfact\s+that\b[^.;]{0,120}\b(discussions?|negotiations?|information|material|transaction|agreement)\b",
            r"\b(discussions?|negotiations?|investigations?)\b[^.;]{0,40}\b(are|is|have been|has been|may be)\s+(taking|take|taken|being|occurring|under ?way|held|conducted)",
            r"\b(existence|fact|status|substance|content|contents)\b[^.;]{0,30}\bof\s+(the\s+|any\s+|such\s+)?(discussions?|negotiations?|communications\s+between|proposed transaction|possible transaction|transaction|relationship|business relationship|potential|contemplated)",
            r"\b(not|no|neither|nor)\b[^.;]{0,60}\b(disclos\w*|announc\w*|reveal\w*)\s+(or\s+\w+\s+)?(the\s+)?(purpose|proposed\s+transaction|possible\s+transaction|contemplated\s+transaction|discussions|negotiations|business\s+relationship)\b",
            r"\b(no|not|nor|prohibited\w*)\b[^.;]{0,60}\b(public\s+)?(announce\w*|press release|publicity|news release|publici[sz]\w*)",
            r"\b(participation|involvement|interest)\s+in\s+(the\s+|any\s+|such\s+)?(discussions?|negotiations?|(proposed\s+|possible\s+|potential\s+|contemplated\s+)?transaction)",
            r"^\W*(\(?[a-z0-9]{1,4}[.)]\s*)*(the\s+)?(existence|terms)\b[^.;]{0,60}\bof\s+(this|the)\s+agreement",
        ],
        "false": [
            r"\bmay\s+(publicly\s+)?(disclose|announce|publici[sz]e)\b[^.;]{0,40}\b(existence|terms)\b[^.;]{0,20}\bof\s+(this|the)\s+agreement",
            r"\b(existence|terms)\s+(and\s+\w+\s+)?of\s+(this|the)\s+agreement\s+(is|are|shall|will)\s+not\s+(be\s+)?(confidential|secret)",
        ],
        "resolve": "any",
        "definitions": True,
    },
    "no_reverse_engineering": {
        "anchors": [r"\breverse[- ]?engineer\w*|\bdecompil\w*|\bdisassembl\w*|\banaly[sz]\w*|\bdetermine (the )?(structure|composition)"],
        "true": [
            r"\b(not|no|nor|never|prohibited|refrain\w*)\b[^.;]{0,200}\b(reverse[- ]?engineer\w*|decompil\w*|disassembl\w*)",
            r"\b(reverse[- ]?engineer\w*|decompil\w*|disassembl\w*)\b[^.;]{0,60}\b(is|are|shall be) (strictly )?(prohibited|forbidden|not permitted)",
            r"\b(not|no|nor|never|must not)\b[^.;]{0,80}\banaly[sz]\w*\b[^.;]{0,80}\b(structure|composition|determine|reverse)",
            r"\b(models?|samples?|prototypes?|products?|materials?)\b[^.;]{0,30}\b(must|shall|may) not be analy[sz]ed",
        ],
        "false": [r"\bmay\b[^.;]{0,40}\b(reverse[- ]?engineer|decompile|disassemble)\b"],
        "true_first": True,
        "resolve": "any",
        "definitions": True,
    },
    "independent_development": {
        "anchors": [r"\bindependent\w*|\bdevelop\w*|\bgenerat\w*|\bcreat\w*"],
        "true": [
            r"\bindependent(ly)?\b[^.;]{0,60}\b(develop|generat|creat|conceiv|deriv|discover|invent)\w*",
            r"\b(develop|generat|creat|conceiv|deriv|discover)\w*\b[^.;]{0,80}\bindependent(ly)?\b",
            r"\b(develop|generat|creat)\w*\b[^.;]{0,100}\bwithout (the )?(use|reference|benefit|access|aid|reliance|breach|violat)",
            r"\bnothing\b[^.;]{0,160}\b(prevent|restrict|prohibit|preclude|limit|impair)\w*\b[^.;]{0,160}\b(develop|compet|acqui|market|products?)\w*",
            r"\b(free|right|entitled) to\b[^.;]{0,60}\b(develop|acquire|market)\b[^.;]{0,80}\b(similar|compet|products?|technolog)",
        ],
        "false": [
            r"\b(shall|will|may)\s+not\b[^.;]{0,60}\b(develop|design|manufacture|market)\w*\b[^.;]{0,80}\b(similar|competing|compet\w*)",
        ],
        "resolve": "any",
        "definitions": True,
    },
    "third_party_acquisition": {
        "anchors": [r"\bthird[- ]?part\w*|\bthird person|\bsource\b|\bsources\b|\bnon-?confidential basis|\bfrom (another|any other|others|a person|any person)|\bother than\b|\bfree of (any )?(confidentiality|restriction)"],
        # the third party is where the information comes from, free of any duty of confidence
        "true": [
            r"\b(from|by|through)\s+(a|an|any|such\s+a|another|the)?\s*(third[- ]?part(y|ies)|third\s+persons?|persons?|sources?|entity|entities)\b[^.;]{0,200}\b(without|not\b|no\s+(obligation|duty)|lawful\w*|rightful\w*|free\s+to|entitled|right\s+to|authori[sz]ed|non-?confidential|in good faith|did\s+not|does\s+not|unless|who\s+is\s+not|which\s+is\s+not)",
            r"\b(lawful\w*|rightful\w*|legitimate\w*|properly)\b[^.;]{0,100}\b(receiv|obtain|acquir|disclosed|learn|possess|made available|come|comes|became|becomes)\w*\b[^.;]{0,100}\b(third|source|other than|another|others|person)",
            r"\bsource other than\b|\bother than (from |through )?the disclos\w*|\bfrom (a |any )?(source|person|third[- ]?party) (other than|not)\b",
            r"\bon a non-?confidential basis\b",
            r"\bthird[- ]?part(y|ies)\b[^.;]{0,60}\b(having|with|has|had)\s+(no|the)\s+(obligation|duty|right)\b",
        ],
        "resolve": "any",
        "definitions": True,
    },
    "no_licence_granted": {
        "anchors": [r"\blicen[cs]\w*|\brights?\b|\btitle\b|\bproperty\b|\bownership\b|\bowner\b|\binterest\b|\bvest\w*"],
        "require": [r"confidential|proprietary|information|disclos\w*|agreement|intellectual property|materials?|nda\b|\bCI\b|patent|copyright|trade ?mark|trade secret"],
        "skip": [r"\bassign\w*|\bremed(y|ies)\b|\bwaive\w*|\bresidual"],
        "true": [
            r"\bno\b[^.;]{0,60}\b(licen[cs]\w*|rights?|title|interest|ownership)\b[^.;]{0,160}\b(granted|grant|implied|conferred|confer|conveyed|convey|transferred|transfer|deduced|acquired|acquire|created|vest\w*|given|passes|pass)\b",
            r"\b(not|nor|nothing|neither|never)\b[^.;]{0,160}\b(grant|confer|convey|transfer|vest|construed|deemed|implied|create|give|pass)\w*\b[^.;]{0,200}\b(licen[cs]\w*|rights?|title|interest|ownership)\b[^.;]{0,30}\b(in|to|under|of|with\s+respect\s+to|by\s+licen[cs]e)\b",
            r"\bno\b[^.;]{0,40}\b(transfer|grant|conveyance|assignment)\s+of\s+(ownership|title|rights?|licen[cs]e)",
            r"\b(remains?|shall\s+remain|will\s+remain|is\s+and\s+shall\s+remain|are\s+and\s+(shall|will)\s+remain|retains?|shall\s+retain|continue\s+to\s+be|be\s+and\s+remain)\b[^.;]{0,80}\b(the\s+)?(sole\s+|exclusive\s+|sole\s+and\s+exclusive\s+|absolute\s+)?(property|owner\w*|title)\b",
            r"\breserves?\s+all\s+(of\s+its\s+)?rights",
            r"\b(does\s+not|shall\s+not|will\s+not)\s+(receive|acquire|obtain|have)\b[^.;]{0,60}\b(licen[cs]\w*|rights?|title|interest)",
            r"\bacquires?\s+(no|any)\s+(licen[cs]\w*|rights?)",
            r"\b(property|ownership|title)\b[^.;]{0,60}\b(shall\s+)?(remain|vest|stay)\w*\b[^.;]{0,30}\b(with|in)\b",
            r"\bno\s+licen[cs]e\s+granted\b",
        ],
        "resolve": "any",
        "definitions": True,
    },
    "retain_copies": {
        "anchors": [r"\bretain\w*|\bretention\b|\bkeep\w*|\bback-?ups?\b|\barchiv\w*|\breturn\w*|\bdestr\w*|\bdelet\w*|\berase|\bexpunge|\bdeliver\w*"],
        "require": [
            rf"\b({RETURN})\w*\b[^.;]*\b(retain\w*|keep\w*|cop(y|ies)|reproductions?|back-?ups?|archiv\w*)",
            r"\b(retain\w*|keep\w*)\b[^.;]{0,80}\b(cop(y|ies)|reproductions?|archiv\w*|back-?ups?|records?|files?|minutes|notes|work product)\b",
            r"\b(retain\w*|keep\w*)\b[^.;]{0,80}\b(confidential information|evaluation material|proprietary information|information)\b[^.;]{0,100}\b(law|legal|regulat\w*|archiv\w*|record|compliance|policy|policies)",
            r"\bback-?ups?\b|\barchiv\w*",
        ],
        "true": [
            r"\bmay\b[^.;]{0,60}\b(retain|keep|maintain)\b",
            r"\b(entitled|permitted|allowed|free|right)\s+to\s+(retain|keep|maintain)\b",
            rf"\bnot\s+(be\s+)?(required|obliged|obligated|need)\s+to\s+({RETURN})",
            rf"\bno\s+(such\s+)?(obligation|requirement)\s+to\s+({RETURN})",
            r"\b(return|destruction|deletion|destroy|delete|erasure)\w*\b[^.;]{0,40}\b(shall|will|is|are)\s+not\s+(be\s+)?(required|made|necessary)",
            r"\bretain\w*\b[^.;]{0,120}\b(archiv\w*|back-?up|legal|records?|compliance|regulat\w*|required by (law|applicable)|by law|audit|evidence|policies|defend|enforce)",
            r"\bno\s+(such\s+)?(return|destruction|deletion|erasure)\b[^.;]{0,40}\b(shall|will)\s+be\s+required",
            rf"\b({RETURN})\w*\b[^.;]{{0,250}}\b(except|other than|save|unless)\b[^.;]{{0,80}}\b(required|necessary|obliged)\b[^.;]{{0,40}}\b(by|under|to comply with)\s+(applicable\s+)?(law|regulation|legal|rule)",
            r"\b(automatic|automated|routine)\w*\b[^.;]{0,60}\b(back-?up|archiv\w*)",
            r"\bback-?up\s+(tapes?|systems?|files?|copies|procedures|media)\b[^.;]{0,80}\b(not|need not|except|retain)",
            r"\b(so\s+)?retained\b[^.;]{0,80}\b(shall|will)\s+(remain|continue|be)\b[^.;]{0,40}\b(subject|confidential|bound)",
        ],
        "false": [
            rf"\b({RETURN})\w*\b[^.;]{{0,250}}\bwithout\s+(retaining|keeping)\b",
            r"\b(shall|will|may|must)\s+not\s+(thereafter\s+)?(be\s+)?(retain|kept|keep|retained)\b[^.;]{0,60}\b(cop(y|ies)|any|form|part|reproductions?|information|material)",
            r"\bretain\w*\s+no\b|\bno\s+cop(y|ies)\b[^.;]{0,40}\b(retain|kept|keep)",
        ],
        "true_first": True,
        "resolve": "any",
        "definitions": True,
    },
    "return_or_destroy": {
        "anchors": [rf"\b({RETURN}|surrender)\w*"],
        # the hypothesis is about the end of the agreement (or of the purpose): a return on request alone is another matter
        "require": [ENDS],
        "skip": [r"\breturn receipt\b|\btax returns?\b|\breturn of (the )?(signed|executed)|\b(complete|sign) and return\b|\bnotices?\b|\bdeliver(ed|y)? (by hand|personally)|\bdelivery of (this|the) agreement|\bcounterparts?\b"],
        "true": [rf"\b({RETURN}|surrender)\w*\b[^.;]{{0,200}}\b({CI}|cop(y|ies)|documents?|records?|notes|media|files)"],
        "false": [
            r"\b(not|no)\b[^.;]{0,20}\b(required|obliged|obligated|obligation|duty)\s+to\s+(return|destroy|delete|erase)",
        ],
        "resolve": "any",
        "definitions": True,
    },
    "no_solicitation": {
        "anchors": [r"\bsolicit\w*|\brecruit\w*|\bhire\b|\bhiring\b|\bentice\w*|\binduce\w*|\bpoach\w*|\bemploy\b|\bcontact\b|\bconduct business with\b|\binterfere\b"],
        "require": [r"\b(not|no|nor|neither|never|nothing|refrain\w*|prohibited|restrict\w*)\b|\bmay\s+(freely\s+)?(solicit|hire|employ|recruit)\b"],
        "skip": [r"\bsolicitation of (an )?offer|\bsolicit\w* (any )?(offers?|proxies|proxy|consents?|votes?|bids?|tenders?)\b"],
        "true": [
            r"\b(solicit\w*|recruit\w*|hire|hiring|entice\w*|induce\w*|poach\w*|employ|offer\w* (employment|to hire))\b[^.;]{0,160}\b(employees?|personnel|staff|officers?|directors?|consultants?|persons?|individuals?|customers?|clients?|suppliers?|representatives?|agents|employment|partners)\b",
            r"\b(employees?|personnel|staff|customers?|clients?)\b[^.;]{0,80}\b(solicit\w*|hire|recruit\w*|entice\w*|induc\w*)",
            r"\bcontact\w*\b[^.;]{0,120}\b(employees?|directors?|officers?|partners|residents|customers?|suppliers?|personnel|management)\b",
            r"\bconduct business with\b[^.;]{0,80}\b(sources?|contacts?|customers?|clients?)",
        ],
        "false": [
            r"\bnothing\b[^.;]{0,120}\b(prevent|restrict|prohibit|preclude|limit)\w*\b[^.;]{0,80}\b(soliciting|hiring|employing|recruiting)\b(?![^.;]{0,60}\bgeneral)",
            r"\bmay\s+(freely\s+)?(solicit|hire|employ|recruit)\b",
        ],
        "resolve": "any",
        "definitions": True,
    },
    "survival": {
        "anchors": [r"\bsurviv\w*|\bcontinu\w*|\bremain\w*|\bterminat\w*|\bexpir\w*|\bperiod\b|\bperpetu\w*|\bindefinite\w*|\bthereafter\b|\bafter\b|\buntil\b|\byears?\b|\bso long as\b"],
        "skip": [r"\bsurviving (corporation|entity|company|party)\b|\bsolicit"],
        "true": [
            r"\bsurviv\w*",
            r"\b(continu\w*|remain\w*)\b[^.;]{0,80}\b(in (full )?(force|effect)|binding|bound|apply|applicable|effective|in place|subject to|obligat\w*)\b[^.;]{0,160}\b(after|following|notwithstanding|beyond|despite|termination|expir\w*|return|destruction|completion|conclusion|end)\b",
            r"\b(after|following|notwithstanding|beyond|despite|regardless of)\b[^.;]{0,80}\b(terminat\w*|expir\w*|return|destruction|completion|conclusion)\b[^.;]{0,160}\b(continu\w*|remain\w*|bound|obligations?|binding|in (full )?(force|effect))\b",
            r"\b(obligations?|undertakings?|restrictions?|duties|covenants?)\b[^.;]{0,100}\b(continu\w*|remain\w*)\b[^.;]{0,60}\b(after|following|beyond|notwithstanding|unless and until|until|for so long as|so long as)\b",
            r"\b(continu\w*|remain\w*)\s+(to\s+be\s+)?(subject\s+to|held|treated|bound\s+by|protected)\b[^.;]{0,80}\b(confiden\w*|obligations?|terms|agreement)",
            r"\bfor\s+(so|as)\s+long\s+as\b[^.;]{0,80}\b(remains?|is|are|qualif\w*)\b",
            r"\b(terminat\w*|expir\w*)\b[^.;]{0,120}\b(shall|will|does|do)\s+not\b[^.;]{0,40}\b(affect|relieve|release|terminate|extinguish|discharge|impair|limit)",
            r"\bfor\s+a\s+period\s+of\b[^.;]{0,80}\b(after|following|beyond)\b[^.;]{0,60}\b(terminat\w*|expir\w*)",
            r"\b(obligations?|undertakings?|restrictions?|duties)\b[^.;]{0,120}\b(for\s+a\s+period\s+of|until|for)\b[^.;]{0,20}\(?\w+\)?\s*\(?\d*\)?\s*(years?|months?)\b",
            r"\bwithout limitation (of|as to) time\b|\bin perpetuity\b|\bperpetual\w*\b|\bindefinite(ly)?\b",
            r"\b(at any time|at all times)\b[^.;]{0,40}\b(during or after|thereafter)\b|\bduring\b[^.;]{0,40}\b(term|agreement|period|employment|relationship|discussions|negotiations|engagement)\b[^.;]{0,20}\b(and|or) (at any time )?(thereafter|after)",
        ],
        "false": [
            r"\b(shall|will)\s+not\s+survive\b",
            r"\b(obligations?|undertakings?|duties)\b[^.;]{0,80}\b(terminate|cease|end|expire)\w*\s+(upon|on|with|at)\s+(the\s+)?(termination|expiration|expiry)\b",
        ],
        "resolve": "any",
        "definitions": True,
    },
    "permissible_copy": {
        "anchors": [r"\bcop(y|ies|ying|ied)\b|\breproduc\w*|\bduplicat\w*|\bphotocop\w*"],
        # keeping a copy after return is another term (retain_copies); this one is about making copies
        "skip": [r"\bcopyright|\bretain\w*|\breturn\w*|\bdestr\w*"],
        "true": [
            r"\bmay\b[^.;]{0,60}\b(make|create|take|produce)\b[^.;]{0,50}\b(cop(y|ies)|reproductions?|duplicates?)",
            rf"\b(cop(y|ies|ying)|reproduc\w*|duplicat\w*)\b[^.;]{{0,150}}\b(except|other than|unless|save)\b[^.;]{{0,80}}\b(necessary|required|needed|need|purpose|permitted|extent|for use|for the|as (is )?(reasonably )?(required|necessary)|{STAFF}|representatives)",
            r"\b(only|solely)\b[^.;]{0,40}\b(make|create|take)\b[^.;]{0,40}\b(cop(y|ies)|reproductions?)",
            r"\b(necessary|reasonably required|reasonable number of) copies\b",
            r"\bcopies\b[^.;]{0,80}\b(shall|will|must)\s+(bear|be marked|contain|include|reproduce)\b",
        ],
        "false": [
            r"\b(shall|will|must|may|can)\s+not\b[^.;]{0,120}\b(copy|reproduce|duplicate|photocopy|make\s+(any\s+)?(copies|reproductions|duplicates))\b",
            r"\bnot\s+to\b[^.;]{0,60}\b(copy|reproduce|duplicate|photocopy)\b",
            r"\bno\s+cop(y|ies)\b[^.;]{0,40}\b(shall|may|will)\s+be\s+made",
            r"\b(must|shall|may)\s+not\s+be\s+(photocopied|copied|reproduced|duplicated)",
            r"\bnor\b[^.;]{0,40}\b(copy|reproduce|duplicate)\b",
        ],
        "true_first": True,
        "resolve": "any",
        "definitions": True,
    },
}
