"""Truth tables for polarity: what a sentence does with a mention (``stance``), how a mandate states a
boolean term (``term_modality``), and the answer the two give together (``answer``)."""

from __future__ import annotations

import pytest

from desk.statements import answer, stance, term_modality

# (sentence, the mention, what the sentence does with it)
STANCES = [
    # permitted
    ("Licensee may sublicense the Data to its Affiliates.", "sublicense", "permitted"),
    ("Sublicensing is permitted.", "Sublicensing", "permitted"),
    ("The Recipient has the right to retain one archival copy.", "retain", "permitted"),
    ("The Recipient is entitled to retain one archival copy.", "retain", "permitted"),
    ("The Agreement grants the Licensee a worldwide licence to train models on the Data.", "train", "permitted"),
    ("The Recipient may disclose Confidential Information to its professional advisers.", "professional advisers", "permitted"),
    ("Licensee may assign this Agreement without consent.", "assign", "permitted"),
    # an exception carves the mention out of a prohibition
    ("Licensee shall not disclose the Data except to its employees.", "employees", "permitted"),
    ("Licensee shall not disclose the Data other than to its advisers.", "advisers", "permitted"),
    ("Recipient shall not disclose the Information, provided that it may disclose it to its counsel.", "counsel", "permitted"),
    ("Nothing in this Agreement prevents the Recipient from developing similar products.", "developing", "permitted"),
    ("This Agreement shall not prevent the Recipient from developing similar products.", "developing", "permitted"),
    # the nearest governing word decides
    ("Licensee shall not sell the Data and may use it for research.", "research", "permitted"),
    # required
    ("Licensee shall delete the Data within 30 days.", "delete", "required"),
    ("Licensee must delete the Data within 30 days.", "delete", "required"),
    ("Licensee agrees to delete the Data.", "delete", "required"),
    ("Licensee is required to delete the Data.", "delete", "required"),
    ("Recipient shall promptly notify Discloser of any subpoena.", "notify", "required"),
    ("The obligations of confidentiality shall survive termination.", "survive", "required"),
    ("Licensee shall use the Data for training.", "training", "required"),
    # prohibited
    ("Licensee shall not sublicense the Data.", "sublicense", "prohibited"),
    ("Licensee may not sublicense the Data.", "sublicense", "prohibited"),
    ("Licensee must not sublicense the Data.", "sublicense", "prohibited"),
    ("Licensee cannot sublicense the Data.", "sublicense", "prohibited"),
    ("Licensee agrees not to sublicense the Data.", "sublicense", "prohibited"),
    ("Recipient undertakes not to reverse engineer the samples.", "reverse engineer", "prohibited"),
    ("Recipient shall refrain from reverse engineering the samples.", "reverse engineering", "prohibited"),
    ("Licensee is prohibited from sublicensing the Data.", "sublicensing", "prohibited"),
    ("Sublicensing is prohibited.", "Sublicensing", "prohibited"),
    ("Sublicensing is strictly forbidden.", "Sublicensing", "prohibited"),
    ("Licensee may not, without Licensor's prior written consent, assign this Agreement.", "assign", "prohibited"),
    ("Licensee shall not disclose the Data to any third party unless the Licensor consents.", "third party", "prohibited"),
    ("The Recipient will not, directly or indirectly, solicit any employee of the Discloser.", "solicit", "prohibited"),
    ("The Recipient shall neither copy nor reverse engineer the prototype.", "reverse engineer", "prohibited"),
    # a negation before the modal ("In no event shall", "Neither party shall") prohibits
    ("In no event shall the Recipient reverse engineer the prototype.", "reverse engineer", "prohibited"),
    ("Under no circumstances may the Recipient publish the results.", "publish", "prohibited"),
    ("Neither party shall disclose the terms of this Agreement.", "disclose", "prohibited"),
    ("Neither the Recipient nor its employees shall disclose the Information.", "disclose", "prohibited"),
    ("The Recipient shall not copy, nor shall it reverse engineer, the samples.", "reverse engineer", "prohibited"),
    ("Licensee shall delete the data and neither party shall keep copies.", "keep", "prohibited"),
    ("Licensee shall delete the data and neither party shall keep copies.", "delete", "required"),
    # not required
    ("Licensee shall not be required to delete the Data.", "delete", "not_required"),
    ("Licensee is under no obligation to delete the Data.", "delete", "not_required"),
    ("Licensee has no obligation to delete the Data.", "delete", "not_required"),
    ("Licensee need not delete the Data.", "delete", "not_required"),
    ("Recipient will not be obliged to return the copies.", "return", "not_required"),
    # denied: the thing itself is negated
    ("The licence is non-exclusive.", "exclusive", "denied"),
    ("There is no sublicensing.", "sublicensing", "denied"),
    ("The Data is provided without attribution.", "attribution", "denied"),
    ("No licence to any patent is granted.", "licence", "denied"),
    # stated: named, no modality
    ("The Data includes audio recordings.", "audio", "stated"),
]


@pytest.mark.parametrize("text, mention, expected", STANCES)
def test_stance(text, mention, expected):
    start = text.index(mention)
    assert stance(text, start, start + len(mention)) == expected


# (a mandate's words for a boolean term, how it states it)
MODALITIES = [
    ("Licensee may not train voice models", "prohibition"),
    ("Licensee cannot sublicense", "prohibition"),
    ("Licensee will not sell the data", "prohibition"),
    ("Licensee is not permitted to resell", "prohibition"),
    ("Licensee never trains on member data", "prohibition"),
    ("No reverse engineering", "prohibition"),
    ("Ban on resale", "prohibition"),
    ("Limits on downstream use", "prohibition"),
    ("Restrictions on downstream use", "prohibition"),
    ("Assignment without consent", "prohibition"),
    ("Receiving Party shall not reverse engineer any objects", "prohibition"),
    ("Agreement shall not grant Receiving Party any right to Confidential Information.", "prohibition"),
    ("Receiving Party shall notify Disclosing Party of compelled disclosure", "obligation"),
    ("Licensee must delete the data on termination", "obligation"),
    ("Licensee is required to report usage quarterly", "obligation"),
    ("Licensee has to attribute the author", "obligation"),
    ("Confidential Information shall only include technical information.", "obligation"),
    ("Members may opt out", "permission"),
    ("Licensee is permitted to fine-tune", "permission"),
    ("Right to audit", "permission"),
    ("Receiving Party may share some Confidential Information with employees", "permission"),
    ("Some obligations of Agreement may survive termination of Agreement.", "permission"),
    ("Exclusive licence granted to the licensee", "statement"),
    ("Survival of obligations", "statement"),
    ("Sharing with third-parties", "statement"),
]


@pytest.mark.parametrize("words, expected", MODALITIES)
def test_term_modality(words, expected):
    assert term_modality(words) == expected


# the answer to a boolean term: its modality x what the contract does with its concept
ANSWERS = {
    "prohibition": {"prohibited": True, "denied": True, "permitted": False, "required": False, "stated": False, "not_required": None},
    "obligation": {"required": True, "stated": True, "not_required": False, "denied": False, "prohibited": False, "permitted": None},
    "permission": {"permitted": True, "required": True, "stated": True, "not_required": True, "prohibited": False, "denied": False},
    "statement": {"permitted": True, "required": True, "stated": True, "not_required": False, "prohibited": False, "denied": False},
}


@pytest.mark.parametrize("modality", sorted(ANSWERS))
def test_answer_truth_table(modality):
    for found, expected in ANSWERS[modality].items():
        assert answer(modality, found) is expected, (modality, found)


def test_a_term_and_a_sentence_together():
    """'Licensee may not train voice models' holds where the contract prohibits training voice models."""
    text = "The Licensee shall not use the Recordings to train voice models."
    at = text.index("train")
    assert answer(term_modality("Licensee may not train voice models"), stance(text, at, at + 5)) is True
    assert answer(term_modality("Licensee may train voice models"), stance(text, at, at + 5)) is False
