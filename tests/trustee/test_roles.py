"""Who may do what (trustee/roles.py), enforced by the workflow functions themselves: for
each role and each action, allowed or refused."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from holders.intake import holder_list_receive, holder_list_total_override
from holders.models import HolderList
from holders.retention import holder_list_destroy
from holders.votes import solicitation_open
from notices.workflows import notice_approve, notice_create
from tests.factories import make_officer
from tests.holders.helpers import HEADER, imported, rows
from trustee import roles
from trustee import workflows as flows
from trustee.models import Agreement, Obligation, TrustOfficer
from trustee.obligations import event_record, materialize, obligation_complete

pytestmark = pytest.mark.django_db
ROLES = [
    "trust_administrator",
    "responsible_officer",
    "supervisor",
    "auditor",
    "system_administrator",
]


@pytest.fixture
def hartford():
    call_command("load_demo", holders=4, stdout=io.StringIO())
    return Agreement.objects.get(slug="hartford-capital-iii")


def person(role):
    """A user in exactly one role; the two trust roles are trust officers."""
    officer = make_officer(f"{role}-{timezone.now().timestamp()}", responsible=False)
    user = officer.user
    name = {
        "trust_administrator": roles.TRUST_ADMINISTRATOR,
        "responsible_officer": roles.RESPONSIBLE_OFFICER,
        "supervisor": roles.SUPERVISOR,
        "auditor": roles.AUDITOR,
        "system_administrator": roles.SYSTEM_ADMINISTRATOR,
    }[role]
    if role == "responsible_officer":
        TrustOfficer.objects.filter(pk=officer.pk).update(is_responsible_officer=True)
    elif role in ("supervisor", "auditor", "system_administrator"):
        officer.delete()  # not a trust officer at all
    user.groups.set([Group.objects.get(name=name)])
    return get_user_model().objects.get(pk=user.pk)


def outcome(action, user):
    try:
        action(user)
    except roles.RoleRefused as refusal:
        return "refused: " + " ".join(refusal.messages)
    except ValidationError as refusal:
        text = " ".join(refusal.messages)
        if "Only a Responsible Officer" in text or "only a" in text:
            return "refused: " + text
        raise
    return "allowed"


def expect(result, allowed):
    if allowed:
        assert result == "allowed", result
    else:
        assert result.startswith("refused"), result
        assert "only a" in result.lower()


@pytest.mark.parametrize("role", ROLES)
def test_recording_a_default_is_for_trust_officers(hartford, role):
    def action(user):
        flows.default_record(
            agreement=hartford,
            occurred_on=timezone.localdate() - timedelta(days=3),
            is_payment_default=True,
            description="Distribution not paid.",
            by=user,
        )

    expect(outcome(action, person(role)), role in ("trust_administrator", "responsible_officer"))


@pytest.mark.parametrize("role", ROLES)
def test_withholding_a_notice_is_for_responsible_officers(hartford, role):
    recorder = make_officer("recorder")
    case = flows.default_record(
        agreement=hartford,
        occurred_on=timezone.localdate() - timedelta(days=200),
        notice_received_on=timezone.localdate() - timedelta(days=199),
        is_payment_default=False,
        description="Covenant breach.",
        by=recorder.user,
    )
    assert case.state == "event_of_default"

    def action(user):
        flows.default_withhold(case_id=case.pk, by=user, rationale="A cure is near.")

    expect(outcome(action, person(role)), role == "responsible_officer")


@pytest.mark.parametrize("role", ROLES)
def test_drafting_and_approving_a_notice(hartford, role):
    security = hartford.securities.first()
    user = person(role)

    def draft(by):
        notice_create(
            kind="default_notice",
            agreement=hartford,
            security=security,
            title="Default",
            details="Not paid.",
            by=by,
        )

    expect(outcome(draft, user), role in ("trust_administrator", "responsible_officer"))
    prepared = notice_create(
        kind="default_notice",
        agreement=hartford,
        security=security,
        title="Default",
        details="Not paid.",
        by=make_officer("preparer", responsible=False).user,
    )
    expect(
        outcome(lambda by: notice_approve(notice_id=prepared.pk, by=by), user),
        role == "responsible_officer",
    )


@pytest.mark.parametrize("role", ROLES)
def test_requests_for_a_list_and_their_exceptions(hartford, role):
    user = person(role)
    expect(
        outcome(lambda by: flows.list_request_demand(agreement=hartford, by=by), user),
        role in ("trust_administrator", "responsible_officer"),
    )
    request = flows.list_request_demand(agreement=hartford, by=make_officer("maker").user)

    def excuse(by):
        flows.list_request_excuse(
            request_id=request.pk, by=by, exception="already_received", note="We are registrar."
        )

    expect(outcome(excuse, user), role == "responsible_officer")


@pytest.mark.parametrize("role", ROLES)
def test_importing_and_overriding_a_list(security, role):
    user = person(role)

    def receive(by):
        holder_list_receive(
            security=security,
            as_of=timezone.localdate(),
            received_on=timezone.localdate(),
            source="guarantor",
            file=io.BytesIO((HEADER + rows(3)).encode()),
            file_name="list.csv",
            by=by,
            enqueue=False,
        )

    expect(outcome(receive, user), role in ("trust_administrator", "responsible_officer"))
    security.amount_outstanding = Decimal("999")
    security.save()
    failed, _ = imported(
        security, HEADER + rows(3), as_of=timezone.localdate(), received=timezone.localdate()
    )
    assert failed.status == HolderList.Status.FAILED

    def override(by):
        holder_list_total_override(list_id=failed.pk, by=by, reason="Transfers after the date.")

    expect(outcome(override, user), role == "responsible_officer")


@pytest.mark.parametrize("role", ROLES)
def test_closing_a_duty_is_for_trust_officers(hartford, role):
    materialize(today=timezone.localdate())
    duty = Obligation.objects.filter(
        agreement=hartford, status__in=["upcoming", "due_soon"]
    ).first()
    expect(
        outcome(
            lambda by: obligation_complete(obligation_id=duty.pk, by=by, evidence="Received."),
            person(role),
        ),
        role in ("trust_administrator", "responsible_officer"),
    )


@pytest.mark.parametrize("role", ROLES)
def test_giving_officers_their_roles_is_for_supervisors(hartford, role):
    officer = make_officer("junior", responsible=False)

    def promote(by):
        roles.officer_roles_set(officer=officer, roles=[roles.RESPONSIBLE_OFFICER], by=by)

    may = role in ("supervisor", "system_administrator")
    expect(outcome(promote, person(role)), may)
    officer.refresh_from_db()
    assert officer.is_responsible_officer == may
    assert roles.is_responsible(get_user_model().objects.get(pk=officer.user_id)) == may


def test_a_supervisor_cannot_change_their_own_roles(hartford):
    boss = make_officer("boss")
    boss.user.groups.add(Group.objects.get(name=roles.SUPERVISOR))
    with pytest.raises(roles.RoleRefused, match="own roles"):
        roles.officer_roles_set(officer=boss, roles=[roles.SUPERVISOR], by=boss.user)


def test_an_auditor_reads_everything_and_changes_nothing(hartford, client):
    auditor = person("auditor")
    auditor.is_staff = True
    auditor.save()
    client.force_login(auditor)
    for page in (
        "/admin/trustee/agreement/",
        f"/admin/trustee/agreement/{hartford.pk}/change/",
        "/admin/trustee/obligation/",
        "/admin/holders/holderlist/",
        "/admin/notices/notice/",
        # The audit trail's page queries PostgreSQL's history tables (none on SQLite).
        *(["/admin/pghistory/events/"] if connection.vendor == "postgresql" else []),
    ):
        assert client.get(page).status_code == 200, page
    change = client.get(f"/admin/trustee/agreement/{hartford.pk}/change/").content
    assert b'name="_save"' not in change  # view only
    before = hartford.short_name
    response = client.post(
        f"/admin/trustee/agreement/{hartford.pk}/change/", {"short_name": "Renamed"}
    )
    assert response.status_code == 403
    hartford.refresh_from_db()
    assert hartford.short_name == before
    assert client.get("/admin/trustee/defaultcase/add/").status_code == 403


def _payment_default(hartford):
    return flows.default_record(
        agreement=hartford,
        occurred_on=timezone.localdate() - timedelta(days=2),
        is_payment_default=True,
        description="Distribution not paid.",
        by=make_officer("first-recorder").user,
    )


def _two_lists(security):
    older, _ = imported(
        security,
        HEADER + rows(3),
        as_of=timezone.localdate() - timedelta(days=40),
        received=timezone.localdate() - timedelta(days=35),
    )
    imported(
        security,
        HEADER + rows(3, start=10),
        as_of=timezone.localdate() - timedelta(days=5),
        received=timezone.localdate(),
    )
    return older


# (action, who may) — each action sets up what it needs from the demo agreement.
MORE_ACTIONS = {
    "record an event": (
        lambda h, by: event_record(
            agreement=h,
            kind="list_requested",
            occurred_on=timezone.localdate(),
            description="Written request received.",
            by=by,
        ),
        "preparer",
    ),
    "draft a notice of default": (
        lambda h, by: flows.default_notice_draft(
            case_id=_payment_default(h).pk, by=by, details="Not paid."
        ),
        "preparer",
    ),
    "record a cure": (
        lambda h, by: flows.default_cure(
            case_id=_payment_default(h).pk,
            by=by,
            cured_on=timezone.localdate(),
            note="Paid.",
        ),
        "preparer",
    ),
    "open a solicitation": (
        lambda h, by: solicitation_open(
            record_list=HolderList.objects.filter(security__agreement=h).first(),
            kind="waiver",
            description="Waiver",
            opened_on=timezone.localdate(),
            by=by,
        ),
        "preparer",
    ),
    "destroy a superseded list": (
        lambda h, by: holder_list_destroy(
            list_id=_two_lists(_outstanding(h)).pk, by=by, reason="§2.2(a): superseded."
        ),
        "responsible",
    ),
}


def _outstanding(agreement):
    security = agreement.securities.first()
    security.amount_outstanding = Decimal(300)
    security.save()
    return security


@pytest.mark.parametrize("action", sorted(MORE_ACTIONS))
@pytest.mark.parametrize("role", ROLES)
def test_each_further_action_by_each_role(hartford, action, role):
    do, who = MORE_ACTIONS[action]
    allowed = role == "responsible_officer" or (who == "preparer" and role == "trust_administrator")
    expect(outcome(lambda by: do(hartford, by), person(role)), allowed)
