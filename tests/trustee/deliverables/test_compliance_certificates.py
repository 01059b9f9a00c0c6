"""The annual compliance certificate (§2.4, TIA §314(a)(4)) through the services and the sweep,
with time travel: on its happy path and on its late path (trustee/workflows/deliverables.py)."""

import hashlib
from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from notices.models import Delivery, Notice
from tests.factories import make_agreement, make_terms
from tests.trustee.deliverables.helpers import PDF, opened, states, sweep_days
from trustee.calendar import DutyKind
from trustee.escalations import escalation_send
from trustee.models import (
    ComplianceCertificate,
    DeliverableDocument,
    Obligation,
    WorkflowStep,
)
from trustee.obligations import TransitionRefused, materialize, obligation_waive
from trustee.workflows import deliverables as flows
from trustee.workflows import workflows_sweep

pytestmark = pytest.mark.django_db


def test_the_calendar_opens_the_certificate_once_the_fiscal_year_has_ended(agreement):
    materialize(today=date(2026, 12, 1))
    obligation = Obligation.objects.get(
        agreement=agreement, kind=DutyKind.COMPLIANCE_CERTIFICATE, due_date__year=2027
    )
    assert flows.sweep(today=date(2026, 12, 31))["certificates_opened"] == 0
    assert flows.sweep(today=date(2027, 1, 1))["certificates_opened"] == 1
    # Safe to run again: the obligation has its case.
    assert flows.sweep(today=date(2027, 1, 1))["certificates_opened"] == 0
    case = ComplianceCertificate.objects.get(agreement=agreement)
    assert (case.period_end, case.due_on) == (date(2026, 12, 31), obligation.due_date)
    assert obligation.due_date == date(2027, 4, 30)  # 120 days after December 31
    assert case.state == "expected" and states(case, "certificate") == ["expected"]


def test_a_certificate_received_examined_and_accepted_closes_the_duty(agreement, officers):
    maker, checker = officers
    case = opened(agreement)
    flows.certificate_receive(
        case_id=case.pk,
        file=PDF,
        file_name="fy2026-certificate.pdf",
        received_on=date(2027, 4, 20),
        by=maker,
        today=date(2027, 4, 21),
    )
    case.refresh_from_db()
    assert case.state == "received"
    assert case.document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert bytes(case.document.content) == PDF and case.document.content_type == "application/pdf"

    flows.certificate_examine(
        case_id=case.pk,
        by=maker,
        signer_name="Jane Roe",
        signer_title="Chief Financial Officer",
        signer_is_principal=True,
        covers_period=True,
        states_compliance=True,
        today=date(2027, 4, 22),
    )
    with pytest.raises(TransitionRefused, match="examined the certificate cannot accept"):
        flows.certificate_accept(case_id=case.pk, by=maker, today=date(2027, 4, 22))
    flows.certificate_accept(case_id=case.pk, by=checker, today=date(2027, 4, 23))

    case.refresh_from_db()
    obligation = Obligation.objects.get(pk=case.obligation_id)
    assert case.state == "accepted" and case.accepted_by == checker
    assert obligation.status == "done"
    assert case.document.sha256 in obligation.resolution
    assert states(case, "certificate") == ["expected", "received", "examined", "accepted"]
    # Accepted: nothing late, nothing chased.
    assert sweep_days(date(2027, 4, 29), date(2027, 5, 10))[date(2027, 5, 1)] == {
        "certificates_opened": 0,
        "certificates_late": 0,
        "officers_certificates_late": 0,
        "periodic_reports_late": 0,
    }
    assert case.chase_notice_id is None


def test_a_late_certificate_is_chased_escalated_sent_back_and_finally_accepted(
    agreement, officers, settings
):
    settings.TRUSTDESK_ESCALATE_EVERY_DAYS = {"list_request": 7, "certificate": 7}
    maker, checker = officers
    case = opened(agreement)
    done = sweep_days(date(2027, 4, 25), date(2027, 5, 9))
    late = {day: d["certificates_late"] for day, d in done.items() if d["certificates_late"]}
    # Late the day after April 30, escalated at once and again seven days later.
    assert late == {date(2027, 5, 1): 1, date(2027, 5, 8): 1}
    case.refresh_from_db()
    assert case.state == "late" and case.escalations == 2
    assert case.overdue_since == date(2027, 5, 1)

    # The chase letter: drafted under the scheduler's account, for an officer to approve.
    chase = case.chase_notice
    assert chase.kind == "certificate_chase" and chase.status == Notice.Status.DRAFT
    assert chase.created_by.username == "trustdesk-scheduler"
    assert "fiscal year ended December 31, 2026" in chase.details
    steps = WorkflowStep.objects.filter(workflow="certificate", case_id=case.pk, notify=True)
    assert steps.count() == 2
    assert "awaits an officer's approval" in steps.order_by("pk").first().comment

    # The escalation e-mail goes to the agreement's officers.
    mail.outbox.clear()
    assert escalation_send(step_id=steps.order_by("pk").first().pk)
    assert sorted(mail.outbox[0].to) == ["checker@bank.example", "maker@bank.example"]

    flows.certificate_chase_send(case_id=case.pk, by=maker, today=date(2027, 5, 9))
    chase.refresh_from_db()
    assert chase.status == Notice.Status.APPROVED
    channels = set(Delivery.objects.filter(notice=chase).values_list("channel", flat=True))
    assert channels == {"letter", "email"}
    with pytest.raises(TransitionRefused):
        flows.certificate_chase_send(case_id=case.pk, by=checker, today=date(2027, 5, 9))

    flows.certificate_receive(
        case_id=case.pk,
        file=b"Compliance certificate for 2026",
        file_name="certificate.txt",
        received_on=date(2027, 5, 10),
        by=maker,
        today=date(2027, 5, 10),
    )
    assert (
        "10 days after it was due"
        in WorkflowStep.objects.filter(workflow="certificate", case_id=case.pk).latest("pk").comment
    )
    # Received: the clock stops.
    assert not any(
        d["certificates_late"] for d in sweep_days(date(2027, 5, 10), date(2027, 5, 20)).values()
    )

    flows.certificate_examine(
        case_id=case.pk,
        by=maker,
        signer_name="John Roe",
        signer_title="Assistant Secretary",
        signer_is_principal=False,
        covers_period=True,
        states_compliance=True,
        today=date(2027, 5, 20),
    )
    with pytest.raises(TransitionRefused, match="principal executive"):
        flows.certificate_accept(case_id=case.pk, by=checker, today=date(2027, 5, 20))
    with pytest.raises(ValidationError) as refusal:
        flows.certificate_return(case_id=case.pk, by=checker, reason=" ", today=date(2027, 5, 20))
    assert "reason" in refusal.value.message_dict
    flows.certificate_return(
        case_id=case.pk,
        by=checker,
        reason="Signed by an Assistant Secretary, not a principal officer (TIA §314(a)(4)).",
        today=date(2027, 5, 20),
    )
    # Sent back after its day: late again at the next sweep, and escalated.
    assert flows.sweep(today=date(2027, 5, 21))["certificates_late"] == 1
    case.refresh_from_db()
    assert case.state == "late" and case.escalations == 3
    assert case.chase_notice_id == chase.pk  # one chase letter per case

    flows.certificate_receive(
        case_id=case.pk,
        file=PDF,
        file_name="certificate-corrected.pdf",
        received_on=date(2027, 5, 24),
        by=maker,
        today=date(2027, 5, 24),
    )
    flows.certificate_examine(
        case_id=case.pk,
        by=checker,
        signer_name="Jane Roe",
        signer_title="Chief Financial Officer",
        signer_is_principal=True,
        covers_period=True,
        states_compliance=False,
        today=date(2027, 5, 24),
    )
    flows.certificate_accept(case_id=case.pk, by=maker, today=date(2027, 5, 25))
    case.refresh_from_db()
    assert case.state == "accepted"
    assert (
        "discloses a default"
        in WorkflowStep.objects.filter(workflow="certificate", case_id=case.pk).latest("pk").comment
    )
    assert Obligation.objects.get(pk=case.obligation_id).status == "done"
    assert states(case, "certificate") == [
        "expected",
        "late",
        "late",
        "late",  # the chase letter approved
        "received",
        "examined",
        "returned",
        "late",
        "received",
        "examined",
        "accepted",
    ]


def test_an_empty_or_wrong_file_is_refused_on_the_field_and_nothing_is_written(agreement, officers):
    maker, _ = officers
    case = opened(agreement)
    for data, name, message in (
        (b"", "certificate.pdf", "is empty"),
        (b"PK\x03\x04", "certificate.docx", "only"),
        (b"<html></html>", "certificate.pdf", "not a PDF"),
    ):
        with pytest.raises(ValidationError) as refusal:
            flows.certificate_receive(
                case_id=case.pk,
                file=data,
                file_name=name,
                received_on=date(2027, 2, 1),
                by=maker,
                today=date(2027, 2, 1),
            )
        assert message in refusal.value.message_dict["file"][0]
    with pytest.raises(ValidationError) as refusal:
        flows.certificate_receive(
            case_id=case.pk,
            file=PDF,
            file_name="c.pdf",
            received_on=date(2027, 2, 2),
            by=maker,
            today=date(2027, 2, 1),
        )
    assert "received_on" in refusal.value.message_dict
    case.refresh_from_db()
    assert case.state == "expected" and not DeliverableDocument.objects.exists()


def test_an_agreement_whose_terms_state_no_date_gets_its_case_from_an_officer(officers):
    maker, checker = officers
    agreement = make_agreement()
    make_terms(agreement)  # no fiscal year end: §2.4 defers to TIA §314
    case = flows.certificate_expect(
        agreement=agreement,
        period_end=date(2026, 12, 31),
        due_on=date(2027, 3, 31),
        basis="TIA §314(a)(4): not less often than annually; FY per the Guarantor's 10-K.",
        by=maker,
        today=date(2027, 1, 5),
    )
    assert case.obligation_id is None and case.state == "expected"
    for kwargs, field in (
        ({"period_end": date(2026, 12, 31)}, "period_end"),  # already open
        ({"period_end": date(2025, 12, 31), "basis": " "}, "basis"),
        ({"period_end": date(2027, 6, 30)}, "due_on"),  # due before the year ends
    ):
        values = {
            "agreement": agreement,
            "period_end": date(2026, 12, 31),
            "due_on": date(2027, 3, 31),
            "basis": "TIA §314(a)(4)",
            "by": maker,
            **kwargs,
        }
        with pytest.raises(ValidationError) as refusal:
            flows.certificate_expect(**values)
        assert field in refusal.value.message_dict
    # Late with no calendar duty: escalated all the same, and excused by a Responsible Officer.
    assert flows.sweep(today=date(2027, 4, 1))["certificates_late"] == 1
    flows.certificate_excuse(
        case_id=case.pk, by=checker, reason="Guarantee terminated (§7.1).", today=date(2027, 4, 2)
    )
    case.refresh_from_db()
    assert case.state == "not_required"
    assert flows.sweep(today=date(2027, 4, 20))["certificates_late"] == 0


def test_terms_that_give_the_date_leave_the_opening_to_the_calendar(agreement, officers):
    with pytest.raises(ValidationError) as refusal:
        flows.certificate_expect(
            agreement=agreement,
            period_end=date(2026, 12, 31),
            due_on=date(2027, 3, 31),
            basis="by hand",
            by=officers[0],
        )
    assert "calendar opens its cases" in refusal.value.message_dict["agreement"][0]


def test_excusing_a_certificate_waives_the_duty_on_the_calendar(agreement, officers):
    case = opened(agreement)
    flows.certificate_excuse(
        case_id=case.pk, by=officers[1], reason="Securities redeemed in full (§7.1)."
    )
    assert Obligation.objects.get(pk=case.obligation_id).status == "not_required"


def test_a_duty_closed_on_the_calendar_is_not_chased(agreement, officers):
    case = opened(agreement)
    obligation_waive(
        obligation_id=case.obligation_id, by=officers[0], reason="Terms changed (§7.1)."
    )
    assert flows.sweep(today=date(2027, 5, 1))["certificates_late"] == 0
    case.refresh_from_db()
    assert case.state == "not_required" and case.chase_notice_id is None
    assert (
        "not required: Terms changed (§7.1)."
        in WorkflowStep.objects.filter(workflow="certificate", case_id=case.pk).latest("pk").comment
    )


def test_the_hourly_workflow_sweep_runs_this_one(agreement):
    materialize(today=date(2027, 1, 1))
    counts = workflows_sweep(today=date(2027, 1, 1))
    assert counts["certificates_opened"] == 1


# == Officers' Certificates and Opinions of Counsel ============================================
