"""Resignation and removal of the Guarantee Trustee (§4.2) through the services: the clock on
the calendar, the successor appointed and accepted (maker-checker), the sweep that opens the
petition when the window passes, removals that take effect only on an acceptance."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from holders.models import HolderList
from holders.services import seed_demo_holders
from holders.votes import solicitation_open, vote_record
from tests.factories import make_agreement, make_officer, make_security, make_terms, with_guarantor
from trustee.calendar import DutyKind
from trustee.models import Obligation, Succession, WorkflowStep
from trustee.obligations import TransitionRefused, advance_statuses
from trustee.roles import RoleRefused
from trustee.workflows import resignations as flows
from trustee.workflows import workflows_sweep

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")
DELIVERED = date(2026, 9, 1)


@pytest.fixture
def officers():
    return (
        make_officer("maker").user,
        make_officer("checker").user,
        make_officer("clerk", responsible=False).user,
    )


def agreement_with(**terms):
    agreement = make_agreement()
    make_terms(agreement, **terms)
    with_guarantor(agreement)
    make_security(agreement)
    return agreement


@pytest.fixture
def hartford_like():
    return agreement_with()  # 60 days from the instrument delivered to the Guarantor


def steps(case):
    return list(
        WorkflowStep.objects.filter(workflow="resignation", case_id=case.pk)
        .order_by("at", "pk")
        .values_list("new_state", flat=True)
    )


def resign(agreement, by, **values):
    return flows.succession_record(
        agreement=agreement,
        kind="resignation",
        delivered_on=DELIVERED,
        instrument_reference="Instrument of resignation dated September 1, 2026",
        by=by,
        today=values.pop("today", DELIVERED + timedelta(days=1)),
        **values,
    )


def test_a_resignation_through_appointment_and_acceptance(hartford_like, officers):
    maker, checker, clerk = officers
    case = resign(hartford_like, clerk)
    assert case.state == "delivered" and case.window_ends_on == date(2026, 10, 31)
    duty = Obligation.objects.get(pk=case.obligation_id)
    assert duty.kind == DutyKind.SUCCESSOR_PETITION and duty.due_date == date(2026, 10, 31)
    first = WorkflowStep.objects.get(workflow="resignation", case_id=case.pk)
    assert "60-day window" in first.comment and "by 2026-10-31" in first.comment

    flows.succession_appoint(
        case_id=case.pk,
        by=maker,
        successor_name="Successor Trust Company, N.A.",
        appointed_on=date(2026, 10, 1),
        reference="Instrument of appointment",
        today=date(2026, 10, 2),
    )
    # Maker-checker: who recorded the appointment does not confirm the acceptance, and only a
    # Responsible Officer does.
    with pytest.raises(TransitionRefused, match="a second officer must"):
        flows.succession_accept(
            case_id=case.pk, by=maker, accepted_on=date(2026, 10, 15), today=date(2026, 10, 16)
        )
    with pytest.raises(RoleRefused, match="only a Responsible Officer"):
        flows.succession_accept(
            case_id=case.pk, by=clerk, accepted_on=date(2026, 10, 15), today=date(2026, 10, 16)
        )
    with pytest.raises(TransitionRefused) as future:
        flows.succession_accept(
            case_id=case.pk, by=checker, accepted_on=date(2026, 10, 17), today=date(2026, 10, 16)
        )
    assert "accepted_on" in future.value.message_dict
    flows.succession_accept(
        case_id=case.pk,
        by=checker,
        accepted_on=date(2026, 10, 15),
        reference="Instrument of acceptance",
        today=date(2026, 10, 16),
    )
    case.refresh_from_db()
    duty.refresh_from_db()
    assert case.state == "accepted" and case.effective_on == date(2026, 10, 15)
    assert duty.status == "done" and "accepted 2026-10-15" in duty.resolution
    assert steps(case) == ["delivered", "successor_appointed", "accepted"]
    last = WorkflowStep.objects.filter(workflow="resignation", case_id=case.pk).first()
    assert "duties under the agreement end on 2026-10-15" in last.comment
    assert last.by == checker
    # Past the window, the sweep leaves an accepted resignation alone; nothing is deleted.
    assert flows.sweep(today=date(2026, 11, 5)) == {"successions_petition_open": 0}
    assert case.history.count() >= 3  # the audit trail: insert and each change


def test_no_successor_in_time_opens_the_petition_and_escalates(hartford_like, officers):
    maker, checker, _ = officers
    case = resign(hartford_like, maker)
    flows.succession_appoint(
        case_id=case.pk,
        by=maker,
        successor_name="Slow Bank",
        appointed_on=date(2026, 10, 20),
        today=date(2026, 10, 20),
    )
    day = DELIVERED + timedelta(days=1)
    while day <= date(2026, 10, 31):  # the window's last day: still in time
        assert flows.sweep(today=day)["successions_petition_open"] == 0
        day += timedelta(days=1)
    case.refresh_from_db()
    assert case.state == "successor_appointed"

    assert workflows_sweep(today=date(2026, 11, 1))["successions_petition_open"] == 1
    assert flows.sweep(today=date(2026, 11, 1))["successions_petition_open"] == 0  # once
    case.refresh_from_db()
    assert case.state == "petition_open" and case.escalations == 1
    escalation = WorkflowStep.objects.filter(workflow="resignation", case_id=case.pk).first()
    assert escalation.notify and escalation.by is None
    assert "Slow Bank was appointed but has not accepted" in escalation.comment
    assert "From 2026-11-01 the trustee may petition a court" in escalation.comment
    # The calendar's own sweep has the duty overdue.
    advance_statuses(now=datetime(2026, 11, 1, 9, tzinfo=NEW_YORK))
    assert Obligation.objects.get(pk=case.obligation_id).status == "overdue"

    # The successor appointed in time accepts late: still effective, the lateness recorded.
    flows.succession_accept(
        case_id=case.pk, by=checker, accepted_on=date(2026, 11, 3), today=date(2026, 11, 3)
    )
    case.refresh_from_db()
    assert case.state == "accepted"
    assert steps(case) == ["delivered", "successor_appointed", "petition_open", "accepted"]
    last = WorkflowStep.objects.filter(workflow="resignation", case_id=case.pk).first()
    assert "after the window that ended 2026-10-31" in last.comment


def test_a_petition_to_a_court_and_the_courts_appointee(hartford_like, officers):
    maker, checker, clerk = officers
    case = resign(hartford_like, maker)
    flows.sweep(today=date(2026, 11, 1))
    with pytest.raises(RoleRefused):
        flows.succession_petition(
            case_id=case.pk, by=clerk, petitioned_on=date(2026, 11, 2), court="NY Supreme Court"
        )
    with pytest.raises(TransitionRefused) as unnamed:
        flows.succession_petition(
            case_id=case.pk, by=maker, petitioned_on=date(2026, 11, 2), court=" "
        )
    assert "court" in unnamed.value.message_dict
    flows.succession_petition(
        case_id=case.pk,
        by=maker,
        petitioned_on=date(2026, 11, 2),
        court="Supreme Court of the State of New York",
        today=date(2026, 11, 2),
    )
    case.refresh_from_db()
    assert case.state == "petitioned"
    assert Obligation.objects.get(pk=case.obligation_id).status == "done"
    flows.succession_appoint(
        case_id=case.pk,
        by=maker,
        successor_name="Court-Appointed Trust Co.",
        appointed_on=date(2026, 12, 1),
        today=date(2026, 12, 1),
    )
    flows.succession_accept(
        case_id=case.pk, by=checker, accepted_on=date(2026, 12, 2), today=date(2026, 12, 2)
    )
    case.refresh_from_db()
    assert steps(case) == [
        "delivered",
        "petition_open",
        "petitioned",
        "successor_appointed",
        "accepted",
    ]


def test_hsb_counts_the_window_from_the_notice_to_the_holders(officers):
    maker, _, _ = officers
    hsb_like = agreement_with(successor_runs_from="notice_to_holders")
    with pytest.raises(TransitionRefused) as missing:
        resign(hsb_like, maker)
    assert "Holders and the Guarantor" in missing.value.message_dict["holders_notified_on"][0]
    assert not Succession.objects.exists()
    case = resign(hsb_like, maker, holders_notified_on=date(2026, 9, 10), today=date(2026, 9, 10))
    assert case.window_starts_on == date(2026, 9, 10)
    assert case.window_ends_on == date(2026, 11, 9)


def test_an_agreement_without_the_successor_term_is_refused(officers):
    maker, _, _ = officers
    agreement = agreement_with(successor_days=None, successor_runs_from="")
    with pytest.raises(TransitionRefused, match="successor_runs_from"):
        resign(agreement, maker)
    terms = agreement.terms
    terms.successor_runs_from = "resignation_delivered"
    terms.save()
    with pytest.raises(TransitionRefused, match="successor_days"):
        resign(agreement, maker)
    assert not Succession.objects.exists()


def test_one_succession_at_a_time_and_illegal_moves_refused(hartford_like, officers):
    maker, _, _ = officers
    case = resign(hartford_like, maker)
    with pytest.raises(TransitionRefused, match="one succession at a time"):
        resign(hartford_like, maker)
    with pytest.raises(TransitionRefused, match="“Delivered: successor window running” to “Court"):
        flows.succession_petition(
            case_id=case.pk, by=maker, petitioned_on=DELIVERED, court="A court", today=DELIVERED
        )
    with pytest.raises(TransitionRefused) as early:
        flows.succession_appoint(
            case_id=case.pk,
            by=maker,
            successor_name="Early Bank",
            appointed_on=DELIVERED - timedelta(days=1),
            today=DELIVERED,
        )
    assert "appointed_on" in early.value.message_dict
    with pytest.raises(TransitionRefused) as unnamed:
        flows.succession_appoint(
            case_id=case.pk, by=maker, successor_name="", appointed_on=DELIVERED
        )
    assert "successor_name" in unnamed.value.message_dict
    with pytest.raises(TransitionRefused) as future:
        flows.succession_appoint(
            case_id=case.pk,
            by=maker,
            successor_name="Bank",
            appointed_on=DELIVERED + timedelta(days=5),
            today=DELIVERED,
        )
    assert "appointed_on" in future.value.message_dict
    with pytest.raises(TransitionRefused) as future_petition:
        flows.succession_petition(
            case_id=case.pk, by=maker, petitioned_on=date(2030, 1, 1), court="A court"
        )
    assert "petitioned_on" in future_petition.value.message_dict


def test_a_removal_by_the_guarantor_is_effective_only_on_an_acceptance(hartford_like, officers):
    maker, checker, _ = officers
    case = flows.succession_record(
        agreement=hartford_like,
        kind="removal",
        removed_by="guarantor",
        delivered_on=DELIVERED,
        instrument_reference="Guarantor's instrument of removal",
        by=maker,
        today=DELIVERED,
    )
    assert case.state == "delivered" and case.obligation_id is None
    assert case.window_ends_on is None  # §4.2(d)'s petition runs from a resignation only
    with pytest.raises(
        TransitionRefused, match=r"§4\.2: no removal or resignation .* no successor"
    ):
        flows.succession_accept(case_id=case.pk, by=checker, accepted_on=DELIVERED)
    # A removal has no window: the sweep never opens a petition for it.
    assert flows.sweep(today=DELIVERED + timedelta(days=400))["successions_petition_open"] == 0
    flows.succession_appoint(
        case_id=case.pk, by=maker, successor_name="New Bank", appointed_on=DELIVERED
    )
    flows.succession_accept(case_id=case.pk, by=checker, accepted_on=DELIVERED)
    case.refresh_from_db()
    assert case.state == "accepted" and case.effective_on == DELIVERED
    assert "removal is effective" in WorkflowStep.objects.filter(case_id=case.pk).first().comment


def test_a_removal_by_the_holders_needs_their_majority(hartford_like, officers):
    maker, _, _ = officers
    security = hartford_like.securities.get()
    seed_demo_holders(security, count=6)
    record = HolderList.objects.get(security=security)
    with pytest.raises(TransitionRefused) as no_vote:
        flows.succession_record(
            agreement=hartford_like,
            kind="removal",
            removed_by="holders",
            delivered_on=DELIVERED,
            by=maker,
            today=DELIVERED,
        )
    assert "majority" in no_vote.value.message_dict["solicitation"][0]
    vote = solicitation_open(
        record_list=record,
        kind="direction",
        description="Remove the Guarantee Trustee",
        opened_on=DELIVERED - timedelta(days=20),
        by=maker,
    )
    holders = list(record.holders.order_by("-amount"))
    vote_record(
        solicitation=vote,
        holder=holders[-1],
        response="consent",
        received_on=DELIVERED - timedelta(days=5),
        by=maker,
    )
    with pytest.raises(TransitionRefused) as short:
        flows.succession_record(
            agreement=hartford_like,
            kind="removal",
            removed_by="holders",
            solicitation=vote,
            delivered_on=DELIVERED,
            by=maker,
            today=DELIVERED,
        )
    assert "The removal is not carried" in short.value.message_dict["solicitation"][0]
    total = sum((h.amount for h in holders), Decimal(0))
    consented = Decimal(0)
    for holder in holders:
        if consented * 2 > total:
            break
        vote_record(
            solicitation=vote,
            holder=holder,
            response="consent",
            received_on=DELIVERED - timedelta(days=5),
            by=maker,
        )
        consented += holder.amount
    case = flows.succession_record(
        agreement=hartford_like,
        kind="removal",
        removed_by="holders",
        solicitation=vote,
        delivered_on=DELIVERED,
        by=maker,
        today=DELIVERED,
    )
    assert case.solicitation == vote
    first = WorkflowStep.objects.get(workflow="resignation", case_id=case.pk)
    assert ": met." in first.comment
