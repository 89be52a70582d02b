"""The desk's NDA knowledge: each NDA term type is inferred from either label style, and reads an NDA's
position (entailment, contradiction, not mentioned) from clauses drafted for these tests (not ContractNLI
text). A smoke test checks that ``bench/contractnli.py`` maps ContractNLI's labels onto findings."""

from __future__ import annotations

import dataclasses

import pytest

from core.paths import EVALUATION_DIR, SHARED_DATA_DIR
from desk.mandate import load_mandate
from desk.review import review_term
from desk.term_types import NDA_TYPES, type_of
from retrieval.clauses import analyse_document
from retrieval.readers import read_bytes

MANDATES = {
    "hypothesis": load_mandate(EVALUATION_DIR / "contractnli" / "nda_mandate.toml"),
    "short": load_mandate(EVALUATION_DIR / "contractnli" / "nda_mandate_short.toml"),
}
# the mandate's term keys -> the type each must be read as (the keys only name the terms here;
# inference never sees them: see test_type_is_inferred_without_the_key)
TYPE_OF_KEY = {
    "nda_explicit_identification": "explicit_identification",
    "nda_technical_information_only": "technical_information_only",
    "nda_verbal_information": "verbal_information",
    "nda_limited_use": "purpose_limitation",
    "nda_sharing_with_employees": "sharing_with_employees",
    "nda_sharing_with_advisers": "sharing_with_advisers",
    "nda_compelled_disclosure_notice": "compelled_disclosure_notice",
    "nda_agreement_confidential": "agreement_confidential",
    "nda_no_reverse_engineering": "no_reverse_engineering",
    "nda_independent_development": "independent_development",
    "nda_third_party_acquisition": "third_party_acquisition",
    "nda_no_licence_granted": "no_licence_granted",
    "nda_return_or_destruction": "return_or_destroy",
    "nda_no_solicitation": "no_solicitation",
    "nda_survival": "survival",
    "nda_retention_of_copies": "retain_copies",
    "nda_permissible_copy": "permissible_copy",
}
KEY_OF_TYPE = {v: k for k, v in TYPE_OF_KEY.items()}

E, C, N = "Entailment", "Contradiction", "NotMentioned"
LABEL = {"meets_preferred": E, "acceptable": E, "breaches_walk_away": C, "not_addressed": N, "unclear": N}
UNRELATED = "7. Governing Law. This Agreement is governed by the laws of the State of New York."

#: type -> (clause that entails it, clause that contradicts it or None, clause that does not mention it)
SNIPPETS: dict[str, tuple[str, str | None, str]] = {
    "explicit_identification": (
        '1. Definitions. "Confidential Information" means information disclosed by the Discloser that is marked '
        '"Confidential" when disclosed or, if disclosed orally, identified as confidential at that time and confirmed in writing within thirty days.',
        '1. Definitions. "Confidential Information" means all information disclosed by either party, whether or not marked as confidential.',
        "2. The Recipient shall keep the Confidential Information secret and use it only for the Project.",
    ),
    "technical_information_only": (
        '1. "Confidential Information" means only technical information, namely the engineering drawings and test data of the Discloser.',
        '1. "Confidential Information" means technical, financial and business information of the Discloser, including customer lists and pricing.',
        "4. The Recipient shall return all documents to the Discloser on request.",
    ),
    "verbal_information": (
        '1. "Confidential Information" means information disclosed by the Discloser in writing or orally.',
        "1. Information disclosed orally shall not be deemed Confidential Information.",
        "3. The Recipient shall use the Confidential Information only for the Purpose.",
    ),
    "purpose_limitation": (
        "3. The Recipient shall use the Confidential Information solely for the purpose of evaluating the proposed collaboration.",
        '8. Residuals. The Recipient may use Residuals for any purpose. "Residuals" means information retained in the unaided memory of the Recipient\'s staff.',
        "5. The Recipient shall return all Confidential Information on request.",
    ),
    "sharing_with_employees": (
        "4. The Recipient may disclose Confidential Information to its employees who need to know it for the Purpose.",
        None,  # an NDA that forbids telling the recipient's own staff is not something the desk reads
        UNRELATED,
    ),
    "sharing_with_advisers": (
        "4. The Recipient may disclose Confidential Information to its professional advisers and consultants who are bound by duties of confidence.",
        "4. The Recipient shall not disclose Confidential Information to any third party.",
        "3. The Recipient shall use the Confidential Information only for the Purpose.",
    ),
    "compelled_disclosure_notice": (
        "6. If the Recipient is required by law or court order to disclose any Confidential Information, it shall promptly notify the Discloser so that the Discloser may seek a protective order.",
        "6. The Recipient may disclose Confidential Information as required by law without notice to the Discloser.",
        "2. The Recipient shall keep the Confidential Information secret.",
    ),
    "agreement_confidential": (
        "9. Neither party shall disclose the existence or terms of this Agreement to any third party.",
        "9. Either party may disclose the existence and terms of this Agreement.",
        "5. The Recipient shall return all Confidential Information on request.",
    ),
    "no_reverse_engineering": (
        "5. The Recipient shall not reverse engineer, decompile or disassemble any prototype provided under this Agreement.",
        "5. The Recipient may reverse engineer the samples to verify their performance.",
        "5. The Recipient shall return the samples on request.",
    ),
    "independent_development": (
        "2. Confidential Information does not include information that the Recipient develops independently without use of the Discloser's information.",
        "8. The Recipient shall not develop any product similar to the Discloser's products during the term of this Agreement.",
        "2. The Recipient shall keep the Confidential Information secret.",
    ),
    "third_party_acquisition": (
        "2. Confidential Information does not include information that the Recipient lawfully receives from a third party without a duty of confidentiality.",
        None,  # no NDA forbids learning the same thing elsewhere; the desk reads no contradiction
        "4. The Recipient shall not disclose Confidential Information to any third party.",
    ),
    "no_licence_granted": (
        "7. No licence or other right in the Confidential Information is granted to the Recipient by this Agreement.",
        None,  # a licence granted in an NDA is read by the licence types, not this one
        "5. The Recipient shall return all Confidential Information on request.",
    ),
    "return_or_destroy": (
        "8. Upon termination of this Agreement, the Recipient shall return or destroy all Confidential Information.",
        "8. Upon termination of this Agreement the Recipient shall not be required to return or destroy any Confidential Information.",
        "3. The Recipient shall use the Confidential Information only for the Purpose.",
    ),
    "no_solicitation": (
        "10. For twelve months after the date of this Agreement, the Recipient shall not solicit for employment any employee of the Discloser.",
        "10. Nothing in this Agreement prevents either party from hiring or soliciting employees of the other party.",
        "2. The Recipient shall keep the Confidential Information secret.",
    ),
    "survival": (
        "11. The obligations of confidentiality in this Agreement shall survive its termination for five years.",
        "11. The Recipient's obligations under this Agreement shall terminate upon the termination of this Agreement.",
        "3. The Recipient shall use the Confidential Information only for the Purpose.",
    ),
    "retain_copies": (
        "8. Upon termination the Recipient shall return or destroy all Confidential Information, except that it may retain one archival copy for legal compliance purposes.",
        "8. Upon termination the Recipient shall return all Confidential Information to the Discloser without retaining any copies.",
        "3. The Recipient shall use the Confidential Information only for the Purpose.",
    ),
    "permissible_copy": (
        "4. The Recipient may make copies of Confidential Information only to the extent necessary for the Purpose.",
        "4. The Recipient shall not copy or reproduce any Confidential Information without the Discloser's prior written consent.",
        "2. The Recipient shall keep the Confidential Information secret.",
    ),
}


def _read(text: str, term) -> str:
    doc = read_bytes(f"MUTUAL NON-DISCLOSURE AGREEMENT\n\n{text}\n".encode(), "nda.txt")
    return LABEL[review_term(term, analyse_document(doc), {}).status]


def test_every_nda_type_has_snippets_and_a_mandate_term():
    assert {t.name for t in NDA_TYPES} == set(SNIPPETS) == set(TYPE_OF_KEY.values())
    for mandate in MANDATES.values():
        assert {t.key for t in mandate.terms} == set(TYPE_OF_KEY)
        assert abs(sum(t.weight for t in mandate.terms) - 1) < 1e-9


@pytest.mark.parametrize("style", sorted(MANDATES))
@pytest.mark.parametrize("key", sorted(TYPE_OF_KEY))
def test_type_is_inferred_from_either_label_style(style, key):
    term = MANDATES[style].term(key)
    assert type_of(term).type.name == TYPE_OF_KEY[key], type_of(term).why


@pytest.mark.parametrize("style", sorted(MANDATES))
@pytest.mark.parametrize("key", sorted(TYPE_OF_KEY))
def test_type_is_inferred_without_the_key_query_or_categories(style, key):
    """An outside mandate names its terms its own way: the label alone must carry the type."""
    term = MANDATES[style].term(key)
    bare = dataclasses.replace(term, key=f"term_{abs(hash(key)) % 1000}", query=term.label, categories=("Parties",))
    assert type_of(bare).type.name == TYPE_OF_KEY[key], type_of(bare).why


@pytest.mark.parametrize("style", sorted(MANDATES))
@pytest.mark.parametrize("name", sorted(SNIPPETS))
def test_reads_entailment_contradiction_and_silence(style, name):
    term = MANDATES[style].term(KEY_OF_TYPE[name])
    entails, contradicts, silent = SNIPPETS[name]
    assert _read(entails, term) == E
    if contradicts is not None:
        assert _read(contradicts, term) == C
    assert _read(silent, term) == N


def test_an_exception_to_a_prohibition_is_read_first():
    term = MANDATES["hypothesis"].term("nda_sharing_with_advisers")
    text = "4. The Recipient shall not disclose Confidential Information to any third party, except to its attorneys and accountants."
    assert _read(text, term) == E
    copy = MANDATES["hypothesis"].term("nda_permissible_copy")
    assert _read("4. The Recipient shall not copy Confidential Information except as necessary for the Purpose.", copy) == E


def test_whether_or_not_marked_outweighs_a_marking_clause():
    term = MANDATES["short"].term("nda_explicit_identification")
    text = (
        '1. "Confidential Information" means information marked as confidential by the Discloser.\n\n'
        "2. Information not so marked shall nevertheless be Confidential Information if a reasonable person would understand it to be confidential."
    )
    assert _read(text, term) == C


def test_nda_types_leave_data_licensing_terms_alone():
    """The demo mandate's terms keep their own types: NDA knowledge needs NDA words."""
    from core.paths import DEMO_DIR

    demo = load_mandate(DEMO_DIR / "mandate.toml")
    assert not {type_of(t).type.name for t in demo.terms} & set(SNIPPETS)


# -- the ContractNLI loader ------------------------------------------------------------------

CONTRACTNLI = SHARED_DATA_DIR / "contractnli"


@pytest.mark.skipif(not (CONTRACTNLI / "dev.jsonl").is_file(), reason="ContractNLI is not in the shared data folder")
def test_loader_maps_labels_and_evidence_on_one_dev_document():
    from bench import contractnli

    (item,) = contractnli.load("dev", limit=1)
    record = next(contractnli.records("dev"))
    assert item.document.text == record["text"]  # offsets are ContractNLI's
    assert len(item.labels) == 17 and set(item.labels.values()) <= set(contractnli.LABELS)
    for hid, spans in item.evidence.items():
        for s, e in spans:
            assert 0 <= s < e <= len(record["text"])
        assert bool(spans) == (item.labels[hid] != "NotMentioned")
    for clause in item.clauses:
        assert item.document.text[clause.start:clause.end] == clause.text
    for style, mandate in MANDATES.items():
        outcomes = contractnli.review_document(item, mandate)
        assert sorted(o.hypothesis for o in outcomes) == sorted(item.labels)
        for o in outcomes:
            assert o.gold == item.labels[o.hypothesis]
            assert o.predicted == contractnli.STATUS_LABEL[o.status]
        scores = contractnli.scores(outcomes)
        assert scores["pairs"] == 17 and 0 <= scores["accuracy"] <= 1
    assert contractnli.STATUS_LABEL == {
        "meets_preferred": "Entailment", "acceptable": "Entailment", "breaches_walk_away": "Contradiction",
        "not_addressed": "NotMentioned", "unclear": "NotMentioned",
    }
    assert contractnli.overlaps((5, 10), [(9, 20)]) and not contractnli.overlaps((5, 10), [(10, 20)])
