"""Officers' Certificates and Opinions of Counsel (§2.5, TIA §314(c)) through the services and
the sweep, with time travel (trustee/workflows/deliverables.py)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.trustee.deliverables.helpers import ALL, PDF, states, sweep_days
from trustee.models import (
    OfficersCertificate,
    SignatoryTitle,
    WorkflowStep,
)
from trustee.obligations import TransitionRefused
from trustee.workflows import deliverables as flows

pytestmark = pytest.mark.django_db


def titles(agreement):
    quote = "a certificate signed by the President or a Vice President, and by the Treasurer..."
    for group, names in {
        "first": ["President", "Vice President"],
        "second": ["Treasurer", "Controller"],
    }.items():
        for name in names:
            SignatoryTitle.objects.create(agreement=agreement, group=group, title=name, quote=quote)


def receive_officers(agreement, by, *, act_on=date(2027, 6, 30), kind="officers_certificate"):
    return flows.officers_certificate_receive(
        agreement=agreement,
        kind=kind,
        act="Amendment of §9.1",
        act_section="8.2",
        act_on=act_on,
        dated=date(2027, 6, 1),
        received_on=date(2027, 6, 2),
        file=b"Officers' Certificate ...",
        file_name="officers-certificate.txt",
        by=by,
        today=date(2027, 6, 2),
    )


def test_an_officers_certificate_with_the_four_statements_and_allowed_titles_is_accepted(
    agreement, officers
):
    maker, checker = officers
    titles(agreement)
    case = receive_officers(agreement, maker)
    assert case.state == "received"
    flows.officers_certificate_examine(
        case_id=case.pk,
        by=maker,
        signers=[
            {"name": "A. Roe", "title": "Vice President"},
            {"name": "B. Roe", "title": "Controller"},
            {"name": "", "title": ""},
        ],
        statements=ALL,
        states_complied=True,
        today=date(2027, 6, 3),
    )
    case.refresh_from_db()
    assert case.problems == [] and len(case.signers) == 2
    with pytest.raises(TransitionRefused, match="examined it cannot accept"):
        flows.officers_certificate_accept(case_id=case.pk, by=maker)
    flows.officers_certificate_accept(case_id=case.pk, by=checker, today=date(2027, 6, 4))
    case.refresh_from_db()
    assert case.state == "accepted" and case.accepted_by == checker
    comment = WorkflowStep.objects.filter(workflow="officers_certificate", case_id=case.pk).latest(
        "pk"
    )
    assert "all four statements present" in comment.comment
    assert "A. Roe, Vice President; B. Roe, Controller" in comment.comment
    assert states(case, "officers_certificate") == ["received", "examined", "accepted"]
    # Accepted before the act: never escalated.
    assert not any(
        d["officers_certificates_late"]
        for d in sweep_days(date(2027, 6, 25), date(2027, 7, 10)).values()
    )


def test_a_certificate_missing_a_statement_is_refused_sent_back_and_replaced(agreement, officers):
    maker, checker = officers
    titles(agreement)
    case = receive_officers(agreement, maker)
    flows.officers_certificate_examine(
        case_id=case.pk,
        by=maker,
        signers=[
            {"name": "A. Roe", "title": "President"},
            {"name": "B. Roe", "title": "Treasurer"},
        ],
        statements={**ALL, "scope": False},
        states_complied=True,
        today=date(2027, 6, 3),
    )
    with pytest.raises(TransitionRefused) as refusal:
        flows.officers_certificate_accept(case_id=case.pk, by=checker)
    assert any("(b) is missing" in m for m in refusal.value.messages)
    flows.officers_certificate_return(
        case_id=case.pk, by=checker, reason="", today=date(2027, 6, 4)
    )
    case.refresh_from_db()
    assert case.state == "returned" and "(b) is missing" in case.returned_reason
    with pytest.raises(TransitionRefused):
        flows.officers_certificate_accept(case_id=case.pk, by=checker)

    flows.officers_certificate_resubmit(
        case_id=case.pk,
        file=PDF,
        file_name="corrected.pdf",
        dated=date(2027, 6, 5),
        received_on=date(2027, 6, 6),
        by=maker,
        today=date(2027, 6, 6),
    )
    case.refresh_from_db()
    assert (
        case.state == "received"
        and case.statements == {}
        and case.document.file_name == ("corrected.pdf")
    )
    flows.officers_certificate_examine(
        case_id=case.pk,
        by=checker,
        signers=[
            {"name": "A. Roe", "title": "President"},
            {"name": "B. Roe", "title": "Treasurer"},
        ],
        statements=ALL,
        states_complied=True,
        today=date(2027, 6, 7),
    )
    flows.officers_certificate_accept(case_id=case.pk, by=maker, today=date(2027, 6, 7))
    case.refresh_from_db()
    assert case.state == "accepted"


def test_a_signer_whose_title_the_agreement_does_not_allow_blocks_acceptance(agreement, officers):
    maker, checker = officers
    titles(agreement)
    case = receive_officers(agreement, maker)
    flows.officers_certificate_examine(
        case_id=case.pk,
        by=maker,
        signers=[{"name": "A. Roe", "title": "Executive Vice President"}],
        statements=ALL,
        states_complied=True,
    )
    with pytest.raises(TransitionRefused) as refusal:
        flows.officers_certificate_accept(case_id=case.pk, by=checker)
    text = " ".join(refusal.value.messages)
    assert "“Executive Vice President” is not a title" in text and "a second signer" in text


def test_an_officers_certificate_not_accepted_by_the_act_is_escalated(
    agreement, officers, settings
):
    settings.TRUSTDESK_ESCALATE_EVERY_DAYS = {"list_request": 7}
    maker, _ = officers
    case = receive_officers(agreement, maker, act_on=date(2027, 6, 30))
    done = sweep_days(date(2027, 6, 20), date(2027, 7, 8))
    escalated = [day for day, d in done.items() if d["officers_certificates_late"]]
    assert escalated == [date(2027, 6, 30), date(2027, 7, 7)]
    step = WorkflowStep.objects.filter(workflow="officers_certificate", case_id=case.pk).latest(
        "pk"
    )
    assert step.notify and step.old_state == step.new_state == "received"
    assert "Amendment of §9.1 is set for 2027-06-30" in step.comment


def test_an_opinion_of_counsel_names_counsel_and_needs_the_four_statements(agreement, officers):
    maker, checker = officers
    case = receive_officers(agreement, maker, kind="opinion_of_counsel")
    flows.officers_certificate_examine(
        case_id=case.pk,
        by=maker,
        signers=[{"name": "Roe & Doe LLP", "title": ""}],
        statements=ALL,
        states_complied=True,
    )
    flows.officers_certificate_accept(case_id=case.pk, by=checker)
    case.refresh_from_db()
    assert case.state == "accepted"


def test_an_officers_certificate_is_refused_bad_input_naming_the_field(agreement, officers):
    maker, _ = officers
    base = {
        "agreement": agreement,
        "kind": "officers_certificate",
        "act": "Amendment",
        "act_on": date(2027, 6, 30),
        "dated": date(2027, 6, 1),
        "received_on": date(2027, 6, 2),
        "file": PDF,
        "file_name": "c.pdf",
        "by": maker,
        "today": date(2027, 6, 2),
    }
    for change, field in (
        ({"kind": "memo"}, "kind"),
        ({"act": " "}, "act"),
        ({"received_on": date(2027, 6, 3)}, "received_on"),
        ({"dated": date(2027, 6, 3)}, "dated"),
        ({"file": b""}, "file"),
    ):
        with pytest.raises(ValidationError) as refusal:
            flows.officers_certificate_receive(**{**base, **change})
        assert field in refusal.value.message_dict
    assert not OfficersCertificate.objects.exists()


# == periodic reports ===========================================================================
