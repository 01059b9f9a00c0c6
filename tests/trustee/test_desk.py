"""The officer's desk on the admin's first page: late duties, defaults with their notice
clock in words, lists to review, failed deliveries and approvals waiting."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.factories import make_officer
from trustee import workflows as flows
from trustee.models import Agreement, Obligation, OfficerAssignment
from trustee.obligations import materialize

pytestmark = pytest.mark.django_db


def test_the_desk_shows_what_is_late_and_what_waits_for_me(client):
    call_command("load_demo", holders=4, stdout=io.StringIO())
    hartford = Agreement.objects.get(slug="hartford-capital-iii")
    today = timezone.localdate()
    materialize(today=today)
    primary = OfficerAssignment.objects.get(agreement=hartford, role="primary").officer
    primary.user.is_superuser = primary.user.is_staff = True
    primary.user.save()
    late = Obligation.objects.filter(agreement=hartford, officer=primary).first()
    Obligation.objects.filter(pk=late.pk).update(
        status="overdue", due_date=today - timedelta(days=3)
    )
    other = make_officer("colleague")
    case = flows.default_record(
        agreement=hartford,
        occurred_on=today - timedelta(days=85),
        is_payment_default=True,
        description="Distribution not paid.",
        by=other.user,
    )
    flows.default_notice_draft(case_id=case.pk, by=other.user, details="Not paid.")
    case.refresh_from_db()
    client.force_login(primary.user)
    page = client.get("/admin/").content.decode()
    assert "My desk" in page
    assert late.title in page  # the overdue duty, one click from here
    left = (case.notice_due_on - today).days
    assert left <= 10 and f"{left} days left" in page and "(10 days or fewer)" in page
    assert "Waiting for your approval" in page and case.notice.reference in page


def test_no_desk_for_a_user_who_is_not_a_trust_officer(client, django_user_model):
    clerk = django_user_model.objects.create_user("clerk", is_staff=True, is_superuser=True)
    client.force_login(clerk)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert (
        'id="desk"' not in response.content.decode() and "My desk" not in response.content.decode()
    )
