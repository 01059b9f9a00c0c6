"""The rules of what the Guarantor owes the trustee, on plain values (no database)."""

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trustee import deliverable_rules as rules
from trustee.deliverable_rules import Refused, Signer

C, OC, P = rules.CertificateState, rules.OfficersState, rules.PeriodicState
LABELS = {s: s.value for s in [*C, *OC, *P]}

# The two demo guarantees' §1.1 groups, as their definitions word them.
HARTFORD = {
    "a first signer": ["Chairman and Chief Executive Officer", "President", "Vice President"],
    "a second signer": [
        "Treasurer",
        "Associate Treasurer",
        "Assistant Treasurer",
        "Controller",
        "Secretary",
        "Assistant Secretary",
    ],
}
HSB = {
    "a first signer": [
        "Senior Vice President",
        "Chief Executive Officer",
        "President",
        "Vice President",
    ],
    "a second signer": [
        "Treasurer",
        "Assistant Treasurer",
        "Corporate Secretary",
        "Assistant Corporate Secretary",
    ],
}
ALL = {"read": True, "scope": True, "sufficient": True, "complied": True}


# -- state machines --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("transitions", "path"),
    [
        (rules.CERTIFICATE_TRANSITIONS, [C.EXPECTED, C.RECEIVED, C.EXAMINED, C.ACCEPTED]),
        (
            rules.CERTIFICATE_TRANSITIONS,
            [C.EXPECTED, C.LATE, C.LATE, C.RECEIVED, C.RETURNED, C.LATE, C.RECEIVED],
        ),
        (rules.CERTIFICATE_TRANSITIONS, [C.RETURNED, C.NOT_REQUIRED]),
        (rules.OFFICERS_TRANSITIONS, [OC.RECEIVED, OC.EXAMINED, OC.EXAMINED, OC.ACCEPTED]),
        (rules.OFFICERS_TRANSITIONS, [OC.RECEIVED, OC.RETURNED, OC.RECEIVED, OC.EXAMINED]),
        (rules.PERIODIC_TRANSITIONS, [P.EXPECTED, P.LATE, P.LATE, P.RECEIVED, P.FILED]),
    ],
)
def test_the_paths_an_officer_walks_are_allowed(transitions, path):
    for old, new in itertools.pairwise(path):
        rules.check(transitions, LABELS, old, new)


@pytest.mark.parametrize(
    ("transitions", "old", "new", "message"),
    [
        (rules.CERTIFICATE_TRANSITIONS, C.EXPECTED, C.ACCEPTED, "from here"),
        (rules.CERTIFICATE_TRANSITIONS, C.ACCEPTED, C.RETURNED, "it is closed"),
        (rules.CERTIFICATE_TRANSITIONS, C.RECEIVED, C.ACCEPTED, "from here"),
        (rules.OFFICERS_TRANSITIONS, OC.RECEIVED, OC.ACCEPTED, "from here"),
        (rules.OFFICERS_TRANSITIONS, OC.ACCEPTED, OC.RETURNED, "it is closed"),
        (rules.PERIODIC_TRANSITIONS, P.FILED, P.RECEIVED, "it is closed"),
    ],
)
def test_a_move_the_workflow_does_not_allow_is_refused_naming_both_states(
    transitions, old, new, message
):
    with pytest.raises(Refused, match=message) as refusal:
        rules.check(transitions, LABELS, old, new)
    assert old.value in str(refusal.value) and new.value in str(refusal.value)


def test_every_state_is_at_most_twenty_characters_and_has_its_transitions():
    for transitions, states in (
        (rules.CERTIFICATE_TRANSITIONS, C),
        (rules.OFFICERS_TRANSITIONS, OC),
        (rules.PERIODIC_TRANSITIONS, P),
    ):
        assert set(transitions) == set(states)
        assert all(len(state) <= 20 for state in states)


# -- dates -----------------------------------------------------------------------------------


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 1, 1)), st.integers(-400, 400))
def test_a_certificate_is_late_from_the_day_after_its_due_date(due, offset):
    today = due + timedelta(days=offset)
    assert rules.is_late(due, today) == (offset >= 1)
    assert rules.late_since(due) == due + timedelta(days=1)
    assert rules.opens_on(due) - due == timedelta(days=1)


def test_without_a_due_date_nothing_is_late():
    assert rules.is_late(None, date(2027, 1, 1)) is False


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)))
def test_the_fiscal_year_end_is_read_back_from_the_calendars_key(year_end):
    assert rules.period_end_from_key(f"compliance_certificate:{year_end.isoformat()}") == year_end


@pytest.mark.parametrize(
    "key", ["holder_list:2026-02-15", "compliance_certificate:2026-02-30", "", None]
)
def test_a_key_of_another_shape_gives_no_fiscal_year_end(key):
    assert rules.period_end_from_key(key) is None


def test_escalation_is_the_workflow_rules_own():
    since = date(2027, 5, 1)
    assert rules.escalation_due(overdue_since=since, last_escalated=None, every_days=7, today=since)
    assert not rules.escalation_due(
        overdue_since=since, last_escalated=since, every_days=7, today=since + timedelta(days=6)
    )


# -- the compliance certificate (TIA §314(a)(4)) --------------------------------------------


def test_a_conforming_compliance_certificate_has_no_problem():
    assert (
        rules.compliance_problems(
            signer_name="Jane Roe",
            signer_title="Chief Financial Officer",
            signer_is_principal=True,
            covers_period=True,
            states_compliance=True,
        )
        == []
    )


def test_a_certificate_naming_a_default_still_conforms():
    assert not rules.compliance_problems(
        signer_name="Jane Roe",
        signer_title="Chief Executive Officer",
        signer_is_principal=True,
        covers_period=True,
        states_compliance=False,
    )


def test_every_failing_of_a_compliance_certificate_is_named():
    problems = rules.compliance_problems(
        signer_name=" ",
        signer_title="Assistant Secretary",
        signer_is_principal=False,
        covers_period=None,
        states_compliance=None,
    )
    text = " ".join(problems)
    assert len(problems) == 4
    assert "Name the officer" in text
    assert "principal executive" in text
    assert "fiscal year" in text
    assert "all conditions and covenants" in text


# -- Officers' Certificates and opinions (§1.1, TIA §314(e)) --------------------------------


@pytest.mark.parametrize(
    ("written", "normal"),
    [
        ("the  Vice Presidents", "vice president"),
        ("one of the Senior Vice Presidents", "senior vice president"),
        ("an Assistant Treasurer,", "assistant treasurer"),
        ("Assistant Secretaries", "assistant secretary"),
        ("Chairman and Chief Executive Officer", "chairman and chief executive officer"),
        ("", ""),
    ],
)
def test_titles_are_compared_without_case_articles_or_plurals(written, normal):
    assert rules.normalize_title(written) == normal


def test_a_hartford_certificate_signed_by_a_vice_president_and_the_controller_conforms():
    signers = [Signer("A. Roe", "Vice President"), Signer("B. Roe", "Controller")]
    assert not rules.officers_problems(
        kind="officers_certificate",
        signers=signers,
        statements=ALL,
        allowed=HARTFORD,
        states_complied=True,
    )


def test_the_titles_are_the_agreements_own_not_a_constant():
    # The Controller may sign under Hartford's §1.1, not under HSB's; a Corporate Secretary
    # the other way round.
    controller = [Signer("A. Roe", "Senior Vice President"), Signer("B. Roe", "Controller")]
    assert rules.signer_problems(controller, HSB, "§1.1")
    assert rules.signer_problems(
        [Signer("A. Roe", "President"), Signer("B. Roe", "Corporate Secretary")], HARTFORD, "§1.1"
    )
    assert not rules.signer_problems(
        [Signer("A. Roe", "President"), Signer("B. Roe", "Corporate Secretary")], HSB, "§1.1"
    )


def test_a_title_is_not_stretched():
    problems = rules.signer_problems(
        [Signer("A. Roe", "Executive Vice President"), Signer("B. Roe", "Treasurer")],
        HARTFORD,
        "§1.1",
    )
    assert any("“Executive Vice President” is not a title" in p for p in problems)
    assert any("a first signer" in p for p in problems)


def test_a_certificate_missing_a_group_of_signers_names_the_group():
    problems = rules.signer_problems([Signer("A. Roe", "President")], HARTFORD, "§1.1")
    assert problems == [
        "§1.1: it must be signed by a second signer: one of Treasurer, Associate Treasurer, "
        "Assistant Treasurer, Controller, Secretary, Assistant Secretary; no signer holds one "
        "of these titles."
    ]


def test_signers_without_names_or_no_signers_at_all_are_named():
    assert rules.signer_problems([], HARTFORD, "§1.1") == [
        "Name the officers who signed it, with their titles."
    ]
    problems = rules.signer_problems(
        [Signer("", "President"), Signer("B. Roe", "Treasurer")], HARTFORD, "§1.1"
    )
    assert problems == ["A signer titled “President” has no name."]


def test_without_titles_recorded_the_certificate_cannot_conform():
    problems = rules.signer_problems([Signer("A. Roe", "President")], {}, "§1.1")
    assert "No titles are recorded" in problems[0]


def test_each_missing_statement_is_named_with_its_clause():
    problems = rules.officers_problems(
        kind="officers_certificate",
        signers=[Signer("A. Roe", "President"), Signer("B. Roe", "Treasurer")],
        statements={**ALL, "scope": False, "sufficient": None},
        allowed=HARTFORD,
        states_complied=True,
    )
    assert len(problems) == 2
    assert problems[0].startswith("§1.1 “Officers' Certificate” (b) is missing")
    assert "nature and scope" in problems[0]
    assert problems[1].startswith("§1.1 “Officers' Certificate” (c) is missing")
    assert [s.code for s in rules.missing_statements({"read": True})] == [
        "scope",
        "sufficient",
        "complied",
    ]


def test_an_opinion_of_counsel_needs_the_same_four_statements_and_counsel_named():
    problems = rules.officers_problems(
        kind="opinion_of_counsel",
        signers=[Signer("", "")],
        statements={**ALL, "read": False},
        allowed={},
        states_complied=True,
    )
    assert problems[0].startswith("TIA §314(e) (a) is missing")
    assert problems[1] == "Name the counsel who gave the opinion."
    # Counsel's title is not checked: neither agreement defines "Opinion of Counsel".
    assert not rules.officers_problems(
        kind="opinion_of_counsel",
        signers=[Signer("Roe & Doe LLP", "")],
        statements=ALL,
        allowed={},
        states_complied=True,
    )


def test_a_certificate_saying_the_condition_was_not_complied_with_cannot_support_the_act():
    problems = rules.officers_problems(
        kind="officers_certificate",
        signers=[Signer("A. Roe", "President"), Signer("B. Roe", "Treasurer")],
        statements=ALL,
        allowed=HARTFORD,
        states_complied=False,
    )
    assert problems == [
        "§1.1 “Officers' Certificate” (d): in the signers' opinion the condition has not been "
        "complied with; it cannot support the act."
    ]


def test_an_unknown_kind_of_document_is_refused():
    with pytest.raises(Refused, match="Unknown kind"):
        rules.officers_problems(
            kind="letter", signers=[], statements={}, allowed={}, states_complied=None
        )


# -- uploaded documents ----------------------------------------------------------------------

LIMIT = 1000


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [
        ("certificate.pdf", b"%PDF-1.7\n...", "application/pdf"),
        ("CERTIFICATE.PDF", b"\n%PDF-1.4 ...", "application/pdf"),
        ("10-K.txt", "Annual report — 2026".encode(), "text/plain"),
        ("10-K.htm", b"<html><body>report</body></html>", "text/html"),
        ("old.txt", "caf\xe9".encode("cp1252"), "text/plain"),
    ],
)
def test_the_documents_kept(name, data, kind):
    assert rules.document_type(name, data, LIMIT) == kind


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("certificate.pdf", b"", "is empty"),
        ("", b"", "The file is empty"),
        ("certificate.pdf", b"%PDF-" + b"x" * LIMIT, "the most kept is"),
        ("certificate.docx", b"PK\x03\x04", "only .htm, .html, .pdf, .txt"),
        ("certificate", b"text", "only .htm"),
        ("certificate.pdf", b"<html>not a pdf</html>", "not a PDF"),
        ("report.txt", b"MZ\x00\x00binary", "holds binary data"),
        ("report.txt", b"\x81\x8d\x8f\x90\x9d", "not readable text"),
    ],
)
def test_an_empty_oversized_or_wrong_file_is_refused_saying_why(name, data, message):
    with pytest.raises(Refused, match=message):
        rules.document_type(name, data, LIMIT)
