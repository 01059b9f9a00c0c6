"""A notice of default previewed, approved and followed in the admin."""

import pytest
from django.test import Client

from notices.models import Delivery, Notice
from tests.factories import make_officer
from tests.holders.helpers import HEADER, imported, rows

pytestmark = pytest.mark.django_db


def logged_in(officer):
    officer.user.is_superuser = True
    officer.user.save()
    client = Client()
    client.force_login(officer.user)
    return client


def test_draft_preview_approve_and_follow(
    security, smtp_server, django_capture_on_commit_callbacks
):
    imported(security, HEADER + rows(50))
    maker, checker = make_officer("maker"), make_officer("checker")
    as_maker, as_checker = logged_in(maker), logged_in(checker)
    response = as_maker.post(
        "/admin/notices/notice/add/",
        {
            "kind": "default_notice",
            "agreement": security.agreement.pk,
            "security": security.pk,
            "title": "Covenant default",
            "details": "The Guarantor failed to deliver the list.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    notice = Notice.objects.get()
    assert notice.created_by == maker.user and notice.reference.startswith("DN-")

    preview = as_maker.get(f"/admin/notices/notice/{notice.pk}/preview/").content.decode()
    assert "Holder 0" in preview  # the first holder on the list as the sample
    assert "failed to deliver the list" in preview and "Section 2.7(a)" in preview
    assert "recipient.address" in preview  # the documented variables

    refused = as_maker.post(
        "/admin/notices/notice/",
        {"action": "approve", "_selected_action": [notice.pk]},
        follow=True,
    )
    assert "cannot approve it" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=False):
        approved = as_checker.post(
            "/admin/notices/notice/",
            {"action": "approve", "_selected_action": [notice.pk]},
            follow=True,
        )
    assert "approved; delivery has begun" in approved.content.decode()
    assert Delivery.objects.filter(notice=notice, channel="letter").count() == 50

    page = as_checker.get(f"/admin/notices/notice/{notice.pk}/change/").content.decode()
    assert "50 queued" in page
    assert as_checker.get("/admin/notices/delivery/?state__exact=queued").status_code == 200


def test_the_preview_needs_the_permission_to_view_notices(security):
    imported(security, HEADER + rows(3))
    maker = make_officer("maker")
    from notices.workflows import notice_create

    notice = notice_create(
        kind="default_notice",
        agreement=security.agreement,
        security=security,
        title="Covenant default",
        details="Private until approved.",
        by=maker.user,
    )
    clerk_officer = make_officer("clerk")
    clerk_officer.user.groups.clear()  # staff, in no role: no permission on notices
    clerk = Client()
    clerk.force_login(clerk_officer.user)
    assert clerk.get(f"/admin/notices/notice/{notice.pk}/preview/").status_code == 403
    assert logged_in(maker).get(f"/admin/notices/notice/{notice.pk}/preview/").status_code == 200
