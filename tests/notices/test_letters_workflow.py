"""A notice's first-class letters, end to end: approved, printed to one PDF by the mail task,
mailed and recorded, and the certificate of mailing downloaded from the admin."""

from __future__ import annotations

import csv
import hashlib
import io
import threading
from datetime import timedelta
from pathlib import Path

import pypdf
import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.utils import timezone

from holders.models import Holder
from notices.mailing import letters_mailed, letters_prepare, letters_requeue_stale
from notices.models import Delivery, Notice
from notices.tasks import prepare_letters, sweep_deliveries
from notices.workflows import (
    NoticeRefused,
    notice_approve,
    notice_create,
)
from tests.factories import make_officer
from tests.holders.helpers import HEADER, imported
from tests.notices.helpers import register
from trustee.models import NoticeAddress

pytestmark = pytest.mark.django_db

HOLDERS = 12
TOO_WIDE = "Apartment 4B, The Very Long Name of a Building, " * 3  # wider than the window


@pytest.fixture
def officers():
    return make_officer("maker"), make_officer("checker")


def approve(security, officers, *, text=None, capture=None, kind="default_notice"):
    if text is not None:
        imported(security, text)
    maker, checker = officers
    notice = notice_create(
        kind=kind,
        agreement=security.agreement,
        security=security,
        title="Failure to pay distributions",
        details="The Guarantor did not make the Guarantee Payment due March 1, 2026.",
        by=maker.user,
    )
    if capture is None:
        notice_approve(notice_id=notice.pk, by=checker.user)
    else:
        with capture(execute=True):
            notice_approve(notice_id=notice.pk, by=checker.user)
    notice.refresh_from_db()
    return notice


def pdf_pages(path) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(path).pages]


def sha256(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def logged_in(user, *, superuser=True):
    if superuser:
        user.is_superuser = True
        user.save()
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def ready(security, trustee_bank, officers, eager, django_capture_on_commit_callbacks):
    """A notice of default to 12 holders, approved, its letters printed by the task that the
    approval enqueued on commit."""
    return approve(
        security,
        officers,
        text=register(HOLDERS),
        capture=django_capture_on_commit_callbacks,
    )


# -- the letters PDF -----------------------------------------------------------------------------


def test_approval_prints_one_letter_per_holder_in_delivery_order(ready, settings):
    notice = ready
    assert notice.letters_status == Notice.Letters.READY
    assert notice.letters_count == HOLDERS and notice.letters_pages == HOLDERS
    path = Path(notice.letters_file.path)
    assert path.is_relative_to(Path(settings.MEDIA_ROOT) / "notices" / notice.reference)
    assert not list(path.parent.glob("*.part"))
    assert notice.letters_sha256 == sha256(path)
    assert notice.letters_generated_at is not None
    pages = pdf_pages(path)
    assert len(pages) == HOLDERS
    names = Delivery.objects.filter(notice=notice, channel="letter").order_by("pk")
    for page, delivery in zip(pages, names, strict=True):
        assert delivery.recipient_name in page and delivery.key in page
        assert "WILMINGTON TRUST COMPANY" in page and "Section 2.7(a)" in page
    assert Delivery.objects.filter(notice=notice, channel="letter", state="queued").count() == 12


def test_a_second_run_does_nothing(ready):
    notice = ready
    before = (notice.letters_file.name, notice.letters_sha256, notice.letters_generated_at)
    assert letters_prepare(notice_id=notice.pk) == "skipped"
    prepare_letters(notice.pk)  # the task itself, as a redelivered message would run it
    notice.refresh_from_db()
    assert (notice.letters_file.name, notice.letters_sha256, notice.letters_generated_at) == before
    assert len(list(Path(notice.letters_file.path).parent.iterdir())) == 1


def test_the_task_called_directly_prints_the_letters(security, trustee_bank, officers):
    notice = approve(security, officers, text=register(3))
    assert notice.letters_status == Notice.Letters.PENDING  # no task ran: on_commit not run
    prepare_letters(notice.pk)
    notice.refresh_from_db()
    assert notice.letters_status == Notice.Letters.READY and notice.letters_count == 3
    assert len(pypdf.PdfReader(notice.letters_file.path).pages) == 3


def test_an_unprintable_address_fails_only_its_delivery(
    security, trustee_bank, officers, eager, django_capture_on_commit_callbacks
):
    text = register(8, f'Wide Holder,"{TOO_WIDE}",Hartford,CT,06100,100\n')
    imported(security, text)
    # The import refuses a holder without an address; one that lost it since is caught too.
    Holder.objects.filter(name="Holder 6").update(name="Nowhere Holder", address_lines="", city="")
    notice = approve(security, officers, capture=django_capture_on_commit_callbacks)
    assert notice.letters_status == Notice.Letters.READY
    assert notice.letters_count == 7
    pages = pdf_pages(notice.letters_file.path)
    assert len(pages) == 7
    assert not any("Wide Holder" in page or "Nowhere Holder" in page for page in pages)
    failed = Delivery.objects.filter(notice=notice, channel="letter", state="failed")
    assert sorted(failed.values_list("recipient_name", flat=True)) == [
        "Nowhere Holder",
        "Wide Holder",
    ]
    wide = failed.get(recipient_name="Wide Holder")
    assert "Letter to Wide Holder not printed" in wide.last_error
    assert "wider than the envelope window" in wide.last_error
    assert "incomplete" in failed.get(recipient_name="Nowhere Holder").last_error

    # The mailing certifies the 7 letters printed, not the 9 deliveries.
    letters_mailed(notice_id=notice.pk, by=officers[0].user, mailed_on=timezone.localdate())
    notice.refresh_from_db()
    assert notice.manifest_counts["addressees"] == 7
    assert Delivery.objects.filter(notice=notice, channel="letter", state="failed").count() == 2


def test_when_no_address_can_be_printed_the_letters_fail_with_the_reason(
    security, trustee_bank, officers
):
    text = HEADER + f'Wide Holder,"{TOO_WIDE}",Hartford,CT,06100,5000\n'
    notice = approve(security, officers, text=text)
    assert letters_prepare(notice_id=notice.pk) == "failed"
    notice.refresh_from_db()
    assert notice.letters_status == Notice.Letters.FAILED
    assert "every address was refused" in notice.letters_error
    assert not notice.letters_file
    assert Delivery.objects.get(notice=notice, channel="letter").state == "failed"
    assert not list((Path(notice.letters_file.storage.location) / "notices").glob("**/*.pdf*"))


def test_an_agreement_without_a_trustee_has_no_letterhead(security, officers):
    notice = approve(security, officers, text=register(2))
    assert letters_prepare(notice_id=notice.pk) == "failed"
    notice.refresh_from_db()
    assert notice.letters_status == Notice.Letters.FAILED
    assert "names no trustee" in notice.letters_error
    assert Delivery.objects.filter(notice=notice, channel="letter", state="queued").count() == 2


def test_a_request_to_the_guarantor_is_one_letter_addressed_to_it(security, trustee_bank, officers):
    guarantor = security.agreement.party_in_role("guarantor")
    NoticeAddress.objects.create(
        agreement=security.agreement,
        party=guarantor,
        attention="Corporate Secretary",
        address_lines="One Hartford Plaza",
        city="Hartford",
        state="CT",
        postal_code="06155",
    )
    notice = approve(security, officers, kind="list_request")
    assert letters_prepare(notice_id=notice.pk) == "ready"
    notice.refresh_from_db()
    (page,) = pdf_pages(notice.letters_file.path)
    assert f"To {guarantor.name}, Attention: Corporate Secretary" in page
    assert "One Hartford Plaza" in page


def test_a_claim_whose_task_died_is_handed_to_a_new_task(security, trustee_bank, officers):
    notice = approve(security, officers, text=register(2))
    long_ago = timezone.now() - timedelta(hours=2)
    # A task claimed the letters two hours ago and was never heard of again.
    Notice.objects.filter(pk=notice.pk).update(
        letters_status="preparing", letters_claim="dead", letters_claimed_at=long_ago
    )
    assert letters_prepare(notice_id=notice.pk) == "skipped"  # claimed: not ours to take
    assert letters_requeue_stale() == [notice.pk]
    assert letters_requeue_stale() == []  # handed over once, not every minute
    assert letters_prepare(notice_id=notice.pk) == "ready"
    # Letters whose on_commit enqueue was lost (approved, never tried) are found by the sweep.
    other = approve(security, officers)
    Notice.objects.filter(pk=other.pk).update(approved_at=long_ago)
    assert letters_requeue_stale() == [other.pk]


def test_the_sweep_task_prints_letters_no_task_was_given(security, trustee_bank, officers, eager):
    notice = approve(security, officers, text=register(2))
    Notice.objects.filter(pk=notice.pk).update(approved_at=timezone.now() - timedelta(hours=1))
    sweep_deliveries()
    notice.refresh_from_db()
    assert notice.letters_status == Notice.Letters.READY


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_tasks_at_once_print_the_letters_once(security, trustee_bank, officers):
    notice = approve(security, officers, text=register(40))
    outcomes = []
    start = threading.Barrier(2)

    def run():
        try:
            start.wait()
            outcomes.append(letters_prepare(notice_id=notice.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ready", "skipped"]
    notice.refresh_from_db()
    folder = Path(notice.letters_file.path).parent
    assert [p.name for p in folder.iterdir()] == [Path(notice.letters_file.name).name]
    assert len(pypdf.PdfReader(notice.letters_file.path).pages) == 40


# -- recording the mailing ------------------------------------------------------------------------


def test_recording_the_mailing_sends_the_letters_and_writes_the_certificate(ready, officers):
    notice = ready
    mailer = officers[0]
    mailed_on = timezone.localdate()
    letters_mailed(notice_id=notice.pk, by=mailer.user, mailed_on=mailed_on)
    notice.refresh_from_db()
    assert notice.letters_status == Notice.Letters.MAILED
    assert notice.letters_mailed_on == mailed_on and notice.letters_mailed_by == mailer.user
    letters = Delivery.objects.filter(notice=notice, channel="letter")
    assert letters.filter(state="sent").count() == HOLDERS
    assert {timezone.localtime(d.sent_at).date() for d in letters} == {mailed_on}
    assert notice.manifest_counts == {
        "addressees": HOLDERS,
        "domestic": HOLDERS,
        "foreign": 0,
        "pages": 1,
    }
    assert notice.manifest_sha256 == sha256(notice.manifest_pdf.path)
    (page,) = pdf_pages(notice.manifest_pdf.path)
    assert "Certificate of mailing" in page and notice.reference in page
    assert "Test Maker, Vice President" in page
    with open(notice.manifest_csv.path, encoding="utf-8-sig", newline="") as file:
        table = list(csv.DictReader(file))
    assert [row["key"] for row in table] == [d.key for d in letters.order_by("pk")]


def test_refusals(security, trustee_bank, officers):
    maker, checker = officers
    notice = approve(security, officers, text=register(3))
    today = timezone.localdate()
    with pytest.raises(NoticeRefused, match="not ready to mail"):
        letters_mailed(notice_id=notice.pk, by=maker.user, mailed_on=today)
    letters_prepare(notice_id=notice.pk)
    with pytest.raises(NoticeRefused, match="cannot be in the future") as future:
        letters_mailed(notice_id=notice.pk, by=maker.user, mailed_on=today + timedelta(days=1))
    assert "mailed_on" in future.value.message_dict
    with pytest.raises(NoticeRefused, match="before the notice was approved"):
        letters_mailed(notice_id=notice.pk, by=maker.user, mailed_on=today - timedelta(days=1))
    # Printed a day after the approval (by the sweep, say): not mailed before they existed.
    Notice.objects.filter(pk=notice.pk).update(
        approved_at=timezone.now() - timedelta(days=2),
        letters_generated_at=timezone.now() - timedelta(days=1),
    )
    with pytest.raises(NoticeRefused, match="not printed until"):
        letters_mailed(notice_id=notice.pk, by=maker.user, mailed_on=today - timedelta(days=2))
    clerk = make_officer("clerk", responsible=False)
    nobody = type(clerk.user).objects.create_user("nobody", is_staff=True)
    with pytest.raises(NoticeRefused, match="Only a trust officer"):
        letters_mailed(notice_id=notice.pk, by=nobody, mailed_on=today)
    assert Delivery.objects.filter(notice=notice, channel="letter", state="queued").count() == 3
    letters_mailed(notice_id=notice.pk, by=clerk.user, mailed_on=today)  # any trust officer
    with pytest.raises(NoticeRefused, match=r"already recorded: mailed on .* by Test Clerk"):
        letters_mailed(notice_id=notice.pk, by=checker.user, mailed_on=today)
    notice.refresh_from_db()
    assert notice.letters_mailed_by == clerk.user
    files = list(Path(notice.manifest_pdf.path).parent.glob("manifest-*"))
    assert len(files) == 2  # one PDF and one CSV: the refused attempts left nothing behind


def test_a_notice_without_letters_has_none_to_mail(security, officers):
    notice = notice_create(
        kind="default_notice",
        agreement=security.agreement,
        security=security,
        title="Draft",
        details="Not approved.",
        by=officers[0].user,
    )
    with pytest.raises(NoticeRefused, match="no letters to mail"):
        letters_mailed(notice_id=notice.pk, by=officers[0].user, mailed_on=timezone.localdate())


# -- the admin ----------------------------------------------------------------------------------


def test_admin_shows_the_letters_records_the_mailing_and_serves_the_files(ready, officers):
    notice = ready
    client = logged_in(officers[0].user)
    change = f"/admin/notices/notice/{notice.pk}/change/"
    page = client.get(change).content.decode()
    assert f"ready ({HOLDERS} letters, {HOLDERS} pages" in page
    assert f"First-class letter: {HOLDERS} queued" in page
    assert "Record mailing" in page
    listing = client.get("/admin/notices/notice/").content.decode()
    assert f"First-class letter: {HOLDERS} queued" in listing

    letters = client.get(f"/admin/notices/notice/{notice.pk}/files/letters.pdf")
    assert letters.status_code == 200
    assert letters["Content-Type"] == "application/pdf"
    assert f'filename="{notice.reference}-letters.pdf"' in letters["Content-Disposition"]
    body = b"".join(letters.streaming_content)
    assert len(pypdf.PdfReader(io.BytesIO(body)).pages) == HOLDERS
    assert client.get(f"/admin/notices/notice/{notice.pk}/files/manifest.pdf").status_code == 404

    mailing = f"/admin/notices/notice/{notice.pk}/mailing/"
    assert "Date mailed" in client.get(mailing).content.decode()
    tomorrow = timezone.localdate() + timedelta(days=1)
    refused = client.post(mailing, {"mailed_on": tomorrow.isoformat()})
    assert refused.status_code == 200
    assert "cannot be in the future" in refused.content.decode()
    assert "not a date" not in refused.content.decode()
    assert "Enter a valid date" in client.post(mailing, {"mailed_on": "soon"}).content.decode()
    notice.refresh_from_db()
    assert notice.letters_status == Notice.Letters.READY

    done = client.post(mailing, {"mailed_on": timezone.localdate().isoformat()}, follow=True)
    page = done.content.decode()
    assert "mailing recorded" in page
    assert f"{HOLDERS} addressees" in page and f"First-class letter: {HOLDERS} sent" in page
    again = client.post(mailing, {"mailed_on": timezone.localdate().isoformat()})
    assert "already recorded" in again.content.decode()

    manifest = client.get(f"/admin/notices/notice/{notice.pk}/files/manifest.csv")
    assert manifest.status_code == 200
    assert "mailing-manifest.csv" in manifest["Content-Disposition"]
    body = b"".join(manifest.streaming_content).decode("utf-8-sig")
    table = list(csv.DictReader(io.StringIO(body)))
    holders = Holder.objects.filter(holder_list=notice.holder_list)
    assert len(table) == HOLDERS
    assert [row["number"] for row in table] == [str(n) for n in range(1, HOLDERS + 1)]
    assert {row["name"] for row in table} == set(holders.values_list("name", flat=True))
    certificate = client.get(f"/admin/notices/notice/{notice.pk}/files/manifest.pdf")
    assert certificate.status_code == 200
    assert "certificate-of-mailing.pdf" in certificate["Content-Disposition"]
    text = pypdf.PdfReader(io.BytesIO(b"".join(certificate.streaming_content))).pages[0]
    assert "Holder 11" in text.extract_text()


def test_downloads_need_the_permission_to_view_notices(ready):
    notice = ready
    url = f"/admin/notices/notice/{notice.pk}/files/letters.pdf"
    assert Client().get(url).status_code == 302  # to the login page
    # Staff, in no role: an officer's Trust Administrator role would grant the view.
    staff = make_officer("staffer")
    staff.user.groups.clear()
    client = logged_in(staff.user, superuser=False)
    assert client.get(url).status_code == 403
    assert client.get(f"/admin/notices/notice/{notice.pk}/mailing/").status_code == 403
    staff.user.user_permissions.add(Permission.objects.get(codename="view_notice"))
    client = logged_in(staff.user, superuser=False)
    assert client.get(url).status_code == 200
    # Viewing is not recording: the mailing needs the permission to change notices.
    assert client.get(f"/admin/notices/notice/{notice.pk}/mailing/").status_code == 403
    assert client.get(f"/admin/notices/notice/{notice.pk}/files/other.txt").status_code == 404


def test_admin_shows_letters_being_prepared_and_failed(security, officers):
    notice = approve(security, officers, text=register(2))
    client = logged_in(officers[0].user)
    change = f"/admin/notices/notice/{notice.pk}/change/"
    assert "being prepared" in client.get(change).content.decode()
    letters_prepare(notice_id=notice.pk)  # no trustee on the agreement: no letterhead
    assert "failed: The agreement names no trustee" in client.get(change).content.decode()
