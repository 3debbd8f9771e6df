"""The validator we hold every statement to does find what is wrong."""
from tests.lrs.validation import problems


def test_the_validator_finds_a_bad_mbox_and_registration_and_passes_a_good_statement():
    bad = {"actor": {"mbox": "ada@example.org"}, "verb": {"id": "http://adlnet.gov/expapi/verbs/answered"},
           "object": {"id": "https://training.example.org/q"}, "context": {"registration": "not-a-uuid"}}
    assert {p["path"] for p in problems([bad])} == {"statement.actor.mbox", "statement.context.registration"}
    good = {**bad, "actor": {"mbox": "mailto:ada@example.org"},
            "context": {"registration": "6f1e9a52-3c1b-4d7e-9a40-2b8c0f4d7e61"}}
    assert problems([good]) == []
