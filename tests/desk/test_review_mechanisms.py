"""One test per mechanism the outside checks found behind wrong reviews (issue 13), on drafted snippets.

1. the mandate's options are the truth (a known type never substitutes its own option list);
2. terms under keys the desk has never seen: yes/no read both ways, choices by meaning, numbers in any unit;
3. polarity and scope ("exclusive of VAT", "non-exclusive except...", "royalty-free", "may redistribute");
4. units (per hour of audio, anniversaries, "thirty-six (36) months", half-yearly statements, caps of two parties);
5. sentences not skipped (governing law beside the courts; definitions that decide scope);
6. the mandate check warns about what nothing can read.
"""

from __future__ import annotations

import math

import pytest

from desk.mandate import parse_mandate
from desk.review import review
from desk.term_types import type_of
from desk.units import parse_unit
from retrieval.clauses import analyse_document
from retrieval.readers import read_bytes

CHOIR = '''
[collective]
name = "Northern Choirs Voice Collective"
sector = "music"
members = 120

[[terms]]
key = "hourly_rate"
label = "Price per hour of recorded audio"
categories = ["Compensation"]
kind = "number"
unit = "GBP/hour"
direction = "higher"
preferred = 400
acceptable = 250
walk_away = 150
weight = 0.15

[[terms]]
key = "sole_rights"
label = "Licence is exclusive"
categories = ["Exclusivity"]
kind = "boolean"
preferred = false
acceptable = false
walk_away = false
weight = 0.1

[[terms]]
key = "cloning_banned"
label = "Licensee shall not use the recordings to clone or synthesise a member's voice"
categories = ["AI Training Use"]
kind = "boolean"
preferred = true
acceptable = true
walk_away = true
weight = 0.15

[[terms]]
key = "onward_sharing"
label = "Licensee may redistribute the recordings to third parties"
categories = ["Downstream Use Restrictions"]
kind = "boolean"
preferred = false
acceptable = false
walk_away = false
weight = 0.1

[[terms]]
key = "law"
label = "Governing law"
categories = ["Governing Law"]
kind = "choice"
options = ["england_and_wales", "scotland", "ireland"]
preferred = ["england_and_wales"]
acceptable = ["england_and_wales", "scotland"]
walk_away = ["england_and_wales", "scotland"]
weight = 0.1

[[terms]]
key = "duration_months"
label = "Length of the licence"
categories = ["Expiration Date"]
kind = "number"
unit = "months"
direction = "lower"
preferred = 24
acceptable = 36
walk_away = 48
weight = 0.1

[[terms]]
key = "statements"
label = "Royalty statements every (months)"
categories = ["Usage Reporting"]
kind = "number"
unit = "months"
direction = "lower"
preferred = 3
acceptable = 6
walk_away = 12
weight = 0.1

[[terms]]
key = "uses"
label = "Permitted uses"
categories = ["License Grant"]
kind = "choice"
options = ["speech_recognition", "internal_research", "voice_synthesis"]
preferred = ["speech_recognition"]
acceptable = ["speech_recognition", "internal_research"]
walk_away = ["speech_recognition", "internal_research"]
weight = 0.1

[[terms]]
key = "licensee_cap"
label = "Licensee liability cap (multiple of annual fees)"
categories = ["Cap On Liability"]
kind = "number"
unit = "times annual fees"
direction = "higher"
preferred = 3
acceptable = 2
walk_away = 1
weight = 0.05

[[terms]]
key = "annual_minimum"
label = "Annual minimum fee"
categories = ["Compensation"]
kind = "number"
unit = "GBP/year"
direction = "higher"
preferred = 100000
acceptable = 50000
walk_away = 20000
weight = 0.05
'''
MANDATE = parse_mandate(CHOIR, "choir.toml")


def findings(text: str, mandate=MANDATE):
    doc = read_bytes(text.encode(), "snippet.md")
    return {f.term: f for f in review(doc, analyse_document(doc), mandate).findings}


# -- 1. the mandate's options are the truth -----------------------------------------------


def test_a_preferred_governing_law_is_read_under_the_mandate_s_own_option_ids():
    f = findings("## 14. Law\n\n14.1 This Agreement shall be governed by English law.")["law"]
    assert (f.status, f.value) == ("meets_preferred", ["england_and_wales"])


def test_a_law_the_mandate_does_not_list_breaches_and_says_so():
    f = findings("## 14. Law\n\n14.1 This Agreement is governed by the laws of the Republic of Ireland.")["law"]
    assert f.status == "breaches_walk_away" and f.value == ["ireland"]
    f = findings("## 14. Law\n\n14.1 This Agreement is governed by the laws of the State of Texas.")["law"]
    assert f.status == "breaches_walk_away" and "not an option of the mandate" in f.value_text


# -- 2. terms under keys the desk has never seen ------------------------------------------------


def test_a_yes_no_term_under_a_new_key_reads_no_as_well_as_yes():
    no = findings("## 5. Restrictions\n\n5.1 Licensee shall not use the Recordings to clone, synthesise or imitate any Member's voice.")
    assert (no["cloning_banned"].status, no["cloning_banned"].value) == ("meets_preferred", True)
    yes = findings("## 5. Use\n\n5.1 Licensee may use the Recordings to clone and synthesise the voices of Members for its text-to-speech products.")
    assert (yes["cloning_banned"].status, yes["cloning_banned"].value) == ("breaches_walk_away", False)


def test_choice_options_are_matched_by_meaning_not_only_by_their_ids():
    f = findings("## 2. Grant\n\n2.1 Licensor grants Licensee a licence to use the Recordings for automatic speech recognition and for internal research, but Licensee shall not use them for voice synthesis.")["uses"]
    assert sorted(f.value) == ["internal_research", "speech_recognition"] and f.status == "acceptable"


def test_spelling_does_not_decide_what_is_read():
    mandate = parse_mandate(CHOIR.replace('label = "Licence is exclusive"', 'label = "Exclusive license"'), "us.toml")
    f = findings("## 2. Grant\n\n2.1 Licensor grants Licensee an exclusive licence to the Recordings.", mandate)["sole_rights"]
    assert (f.value, f.status) == (True, "breaches_walk_away")


# -- 3. polarity and scope -----------------------------------------------------------------------


def test_exclusive_of_vat_is_not_an_exclusive_licence():
    f = findings("## 2. Grant\n\n2.1 Licensor grants Licensee a non-exclusive licence to the Recordings.\n\n## 6. Fees\n\n6.1 All fees are exclusive of VAT.")["sole_rights"]
    assert (f.value, f.status) == (False, "meets_preferred")


def test_non_exclusive_except_a_carved_out_field_is_exclusive():
    text = (
        "## 2. Grant\n\n2.1 Licensor grants Licensee a non-exclusive licence (except as provided in Section 2.4) to the Recordings.\n\n"
        "2.4 Within the Field of choral speech synthesis, the licence in Section 2.1 is exclusive for the first two years of the Term."
    )
    assert findings(text)["sole_rights"].status == "breaches_walk_away"


def test_royalty_free_is_a_zero_fee():
    f = findings("## 3. Fees\n\n3.1 The licence in Section 2 is granted royalty-free and at no charge to Licensee.")["annual_minimum"]
    assert (f.value, f.status) == (0.0, "breaches_walk_away")


def test_may_redistribute_is_onward_distribution():
    f = findings("## 9. Sharing\n\n9.1 Licensee may redistribute the Recordings to its customers and other third parties.")["onward_sharing"]
    assert (f.value, f.status) == (True, "breaches_walk_away")
    f = findings("## 9. Sharing\n\n9.1 Licensee shall not redistribute, resell or sublicense the Recordings to any third party.")["onward_sharing"]
    assert (f.value, f.status) == (False, "meets_preferred")


# -- 4. units ------------------------------------------------------------------------------------------


def test_a_price_per_hour_of_audio_is_a_price_not_a_count():
    f = findings("## 6. Fees\n\n6.1 Licensee shall pay GBP 180 per hour of Recorded Audio delivered.")["hourly_rate"]
    assert (f.value, f.status) == (180.0, "acceptable")
    f = findings("## 6. Fees\n\n6.1 Licensee shall pay GBP 5 for each minute of Recorded Audio delivered.")["hourly_rate"]
    assert (f.value, f.status) == (300.0, "acceptable")


def test_expiry_on_an_anniversary_and_a_term_in_months():
    f = findings("## 12. Term\n\n12.1 This Agreement commences on the Effective Date and expires on the fifth anniversary of the Effective Date.")["duration_months"]
    assert (round(f.value), f.status) == (60, "breaches_walk_away")
    f = findings('## 12. Term\n\n12.1 This Agreement shall continue for a period of thirty-six (36) months (the "Term").')["duration_months"]
    assert (round(f.value), f.status) == (36, "acceptable")


def test_a_statement_for_each_half_year_is_six_monthly():
    f = findings("## 8. Statements\n\n8.1 Licensee shall send Licensor a royalty statement for each half-year within 30 days of its end.")["statements"]
    assert (f.value, f.status) == (6.0, "acceptable")


def test_two_caps_binding_different_parties_are_not_a_conflict():
    text = (
        "## 6. Fees\n\n6.1 Licensee shall pay an annual fee of GBP 60,000 per year.\n\n"
        "## 15. Liability\n\n15.1 Licensor's aggregate liability shall not exceed the fees received in the twelve (12) months before the claim.\n\n"
        "15.2 Licensee's aggregate liability under this Agreement shall not exceed two (2) times the annual fees."
    )
    f = findings(text)["licensee_cap"]
    assert (f.value, f.status) == (2.0, "acceptable")


# -- 5. sentences that were skipped ------------------------------------------------------------------


def test_governing_law_beside_the_courts_is_still_read():
    text = "## 18. Disputes\n\n18.1 This Agreement is governed by the laws of Scotland and the courts of Edinburgh shall have exclusive jurisdiction."
    f = findings(text)["law"]
    assert (f.value, f.status) == (["scotland"], "acceptable")


def test_a_definition_decides_the_territory():
    mandate = parse_mandate(CHOIR + '''
[[terms]]
key = "where"
label = "Territory of the licence"
categories = ["License Grant"]
kind = "choice"
options = ["united_kingdom", "european_union", "worldwide"]
preferred = ["united_kingdom"]
acceptable = ["united_kingdom", "european_union"]
walk_away = ["united_kingdom", "european_union"]
weight = 0.05
''', "t.toml", normalise=True)
    text = '## 1. Definitions\n\n1.1 "Territory" means worldwide.\n\n## 2. Grant\n\n2.1 Licensor grants Licensee a licence to use the Recordings in the Territory.'
    f = findings(text, mandate)["where"]
    assert (f.value, f.status) == (["worldwide"], "breaches_walk_away")


# -- the reader that decided, and the deciding words ---------------------------------------------------


def test_findings_name_their_reader_and_quote_the_deciding_words():
    f = findings("## 6. Fees\n\n6.1 Licensee shall pay GBP 180 per hour of Recorded Audio delivered.")["hourly_rate"]
    assert f.reader.startswith("price_per_unit") and 0 < f.confidence <= 1
    assert f.evidence[0].quote == "GBP 180"


# -- 6. units and types the mandate names ----------------------------------------------------------


@pytest.mark.parametrize(
    "unit, measure",
    [("GBP/hour", "money"), ("hrs", "duration"), ("USD per 1,000 tokens", "money"), ("EUR/record", "money"), ("percent", "percent"),
     ("times annual fees", "multiple"), ("business days", "duration"), ("USD/year", "money"), ("GBP/fortnightly-ish", "unknown"), ("3 apples/h", "unknown")],
)
def test_units_people_write(unit, measure):
    assert parse_unit(unit).measure == measure


def test_per_1000_tokens_is_a_price_per_token_scaled():
    u = parse_unit("USD per 1,000 tokens")
    assert (u.per, u.scale, u.per_data) == ("token", 1000.0, True)


def test_an_unreadable_infinite_walk_away_still_judges():
    f = findings("## 12. Term\n\n12.1 The licence granted hereunder is perpetual and irrevocable.")["duration_months"]
    assert math.isinf(f.value) and f.status == "breaches_walk_away"


def test_types_are_inferred_from_label_kind_and_unit():
    kinds = {t.key: type_of(t).type.name for t in MANDATE.terms}
    assert kinds["hourly_rate"] == "price_per_unit"
    assert kinds["annual_minimum"] == "fee_per_period"
    assert kinds["law"] == "governing_law"
    assert kinds["licensee_cap"] == "liability_cap"
    assert kinds["statements"] == "reporting_frequency"


# -- parts, parties and definitions ------------------------------------------------------------------


def test_an_order_of_precedence_clause_decides_between_parts():
    text = (
        "# MASTER TERMS\n\n## 1. Structure\n\n1.1 If there is any conflict between these General Terms and an Order Form, "
        "the Order Form shall prevail.\n\n## 2. Term\n\n2.1 The licence continues for a period of four (4) years.\n\n"
        "## PART 2: ORDER FORM No. 7\n\n| Item | Detail |\n|---|---|\n| Term | The licence continues for a period of thirty (30) months. |\n"
    )
    f = findings(text)["duration_months"]
    assert (f.value, f.status) == (30.0, "acceptable")
    without = text.replace("1.1 If there is any conflict between these General Terms and an Order Form, the Order Form shall prevail.", "1.1 Both parts bind.")
    assert findings(without)["duration_months"].status == "unclear"


def test_the_preamble_says_whose_cap_is_whose():
    text = (
        '# LICENCE\n\nThis Agreement is between **Aurore Intelligence Inc.**, a corporation ("**Aurore**"), and '
        '**Harbour Choirs Co-operative**, a co-operative (the "**Co-operative**").\n\n'
        "## 6. Fees\n\n6.1 Aurore shall pay an annual fee of GBP 60,000 per year.\n\n"
        "## 15. Liability\n\n15.1 The Co-operative's aggregate liability shall not exceed one (1) times the annual fees.\n\n"
        "15.2 Aurore's aggregate liability shall not exceed three (3) times the annual fees."
    )
    f = findings(text)["licensee_cap"]
    assert (f.value, f.status) == (3.0, "meets_preferred")


def test_a_term_the_licensee_alone_can_extend_is_read_at_its_longest():
    text = (
        '# LICENCE\n\nBetween **Aurore Intelligence Inc.** ("**Licensee**") and **Harbour Choirs Co-operative** ("**Licensor**").\n\n'
        "## 12. Term\n\n12.1 The licence continues for an initial term of two (2) years.\n\n"
        "12.2 Licensee may extend the Term for up to two (2) successive periods of one (1) year each by written notice "
        "given at least sixty (60) days before expiry."
    )
    f = findings(text)["duration_months"]
    assert (round(f.value), f.status) == (48, "acceptable")


def test_what_a_defined_term_means_decides_what_a_sentence_is_about():
    text = (
        '## 1. Definitions\n\n1.1 "Voice Replica" means a synthetic model that can clone or synthesise the voice of a member.\n\n'
        "## 5. Restrictions\n\n5.1 The Licensee must not use the Recordings to create a Voice Replica."
    )
    f = findings(text)["cloning_banned"]
    assert (f.value, f.status) == (True, "meets_preferred")


def test_to_be_agreed_is_unclear_not_missing():
    f = findings("## 8. Statements\n\n8.1 The frequency of royalty statements is to be agreed.")["statements"]
    assert f.status == "unclear" and "to be agreed" in f.value_text


def test_a_redlined_counter_draft_is_read_as_amended():
    text = "## 3. Fees\n\n3.1 Licensee shall pay an annual fee of ~~GBP 10,000~~ **GBP 60,000** per year."
    f = findings(text)["annual_minimum"]
    assert (f.value, f.status) == (60000.0, "acceptable")
