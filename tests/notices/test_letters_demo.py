"""The demo, as an officer would show it: a notice of default to the holders of Hartford
Capital III created, previewed, approved, its letters printed, the mailing recorded and the
letters and the certificate of mailing downloaded, all through the admin."""

import csv
import io

import pypdf
import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from notices.models import Delivery, Notice
from trustee.models import Security, TrustOfficer

pytestmark = pytest.mark.django_db


def as_officer(username):
    officer = TrustOfficer.objects.get(user__username=username)
    # The demo officers are staff; what they may do in the admin is the operator's to grant.
    officer.user.is_superuser = True
    officer.user.save()
    client = Client()
    client.force_login(officer.user)
    return client


def download(client, notice, what):
    response = client.get(f"/admin/notices/notice/{notice.pk}/files/{what}")
    assert response.status_code == 200, what
    return b"".join(response.streaming_content)


def test_the_demo_notice_of_default_from_draft_to_certificate_of_mailing(
    eager, django_capture_on_commit_callbacks
):
    call_command("load_demo", holders=20, stdout=io.StringIO())
    security = Security.objects.get(agreement__slug="hartford-capital-iii")
    maker, checker = as_officer("mreyes"), as_officer("dchen")
    assert maker.get("/admin/notices/notice/add/").status_code == 200

    created = maker.post(
        "/admin/notices/notice/add/",
        {
            "kind": "default_notice",
            "agreement": security.agreement.pk,
            "security": security.pk,
            "title": "Failure to make a Guarantee Payment",
            "details": "The Guarantor did not make the Guarantee Payment due January 15.",
        },
    )
    assert created.status_code == 302, created.content.decode()[:2000]
    notice = Notice.objects.get(kind="default_notice")
    draft_page = maker.get(f"/admin/notices/notice/{notice.pk}/change/").content.decode()
    assert "Record mailing" not in draft_page
    preview = maker.get(f"/admin/notices/notice/{notice.pk}/preview/").content.decode()
    assert "Guarantee Payment due January 15" in preview

    with django_capture_on_commit_callbacks(execute=True):
        approved = checker.post(
            "/admin/notices/notice/",
            {"action": "approve", "_selected_action": [notice.pk]},
            follow=True,
        )
    assert "approved; delivery has begun" in approved.content.decode()
    notice.refresh_from_db()
    assert notice.letters_status == Notice.Letters.READY, notice.letters_error
    letters = Delivery.objects.filter(notice=notice, channel="letter")
    printed = letters.filter(state="queued").count()
    assert printed == notice.letters_count and printed + letters.filter(state="failed").count()
    page = maker.get(f"/admin/notices/notice/{notice.pk}/change/").content.decode()
    assert f"ready ({notice.letters_count} letters" in page and "Record mailing" in page

    pdf = pypdf.PdfReader(io.BytesIO(download(maker, notice, "letters.pdf")))
    assert len(pdf.pages) == notice.letters_pages
    assert "Wilmington Trust Company".upper() in pdf.pages[0].extract_text()

    recorded = maker.post(
        f"/admin/notices/notice/{notice.pk}/mailing/",
        {"mailed_on": timezone.localdate().isoformat()},
        follow=True,
    )
    assert "mailing recorded" in recorded.content.decode()
    notice.refresh_from_db()
    assert notice.letters_status == Notice.Letters.MAILED
    assert letters.filter(state="sent").count() == printed

    table = list(csv.DictReader(io.StringIO(download(maker, notice, "manifest.csv").decode())))
    assert len(table) == printed
    assert {row["key"] for row in table} == set(
        letters.filter(state="sent").values_list("key", flat=True)
    )
    certificate = pypdf.PdfReader(io.BytesIO(download(maker, notice, "manifest.pdf")))
    text = certificate.pages[-1].extract_text()
    assert "Maria Reyes, Vice President, Corporate Trust" in text
