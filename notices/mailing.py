"""Letters and the certificate of mailing: the PDF of a notice's letters printed after
approval, and the mailing recorded by the officer who mailed them, which writes the
manifest. The notice's own life (drafted, approved, its deliveries) is notices/workflows.py.
"""

from __future__ import annotations

import hashlib
import logging
import os
import uuid
from datetime import datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import get_valid_filename

from notices.letters import (
    Addressee,
    Letterhead,
    address_problem,
    render_letters,
    write_manifest,
)
from notices.models import Delivery, Notice
from notices.rendering import render, thaw
from notices.workflows import BATCH, NoticeRefused
from trustee.roles import is_preparer

log = logging.getLogger(__name__)


# -- letters and the certificate of mailing ----------------------------------------------------

# A claim on the letters older than this is presumed dead (its worker was lost) and handed to a
# new task by the sweep. Far above the minutes that even 100,000 letters take to render, so that
# a slow task is never raced by a second one; the claim token fences it off if it ever were.
LETTERS_STUCK_AFTER = timedelta(minutes=30)
# The on_commit enqueue of the approval gets this long before the sweep also hands it over.
LETTERS_ENQUEUE_GRACE = timedelta(minutes=5)
LETTER_BODY_PARTS = ("subject", "letter")


def letters_prepare(*, notice_id) -> str:
    """Make the one PDF of a notice's letters and record it on the notice.

    Claimed in the database (pending → preparing, a conditional update whose count is checked),
    so a second task, at once or later, does nothing. An address the envelope window cannot show
    fails its delivery only; the PDF is made for the others. The PDF is written beside its final
    name and renamed when complete, and recorded only after that, and only while this task's
    claim token is still on the notice. Returns what happened: "ready", "failed", "skipped" or
    "superseded"."""
    token = uuid.uuid4().hex
    claimed = Notice.objects.filter(pk=notice_id, letters_status=Notice.Letters.PENDING).update(
        letters_status=Notice.Letters.PREPARING,
        letters_claim=token,
        letters_claimed_at=timezone.now(),
    )
    if not claimed:
        return "skipped"
    try:
        return _letters_make(notice_id, token)
    except Exception as error:
        # Back to pending, with the error shown in the admin: the task's retry or, after
        # LETTERS_STUCK_AFTER, the sweep tries again.
        Notice.objects.filter(
            pk=notice_id, letters_claim=token, letters_status=Notice.Letters.PREPARING
        ).update(
            letters_status=Notice.Letters.PENDING,
            letters_claim="",
            letters_claimed_at=timezone.now(),
            letters_error=f"{type(error).__name__}: {error}"[:2000],
        )
        raise


def _letters_make(notice_id, token) -> str:
    notice = Notice.objects.select_related("agreement").get(pk=notice_id)
    queued = Delivery.objects.filter(
        notice=notice, channel=Delivery.Channel.LETTER, state=Delivery.State.QUEUED
    ).order_by("pk")
    try:
        letterhead, signature = _letterhead(notice)
        subject, body = _letter_text(notice, queued)
    except LettersImpossible as error:
        return _letters_failed(notice, token, str(error))

    failures: list[tuple[int, str]] = []
    printed = 0

    def addressees():
        nonlocal printed
        for delivery in queued.iterator(chunk_size=BATCH):
            problem = _unprintable(delivery)
            if problem:
                failures.append((delivery.pk, problem))
                continue
            printed += 1
            yield _addressee(delivery)

    name = _stored_name(notice, f"letters-{token}.pdf")
    path = _media_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        pages = render_letters(
            path=path,
            letterhead=letterhead,
            reference=notice.reference,
            date_text=_date_text(notice_date(notice)),
            subject=subject,
            body=body,
            addressees=addressees(),
            signature=signature,
        )
    except ValueError as error:  # no printable addressee, or a letterhead that does not fit
        path.unlink(missing_ok=True)
        reason = (
            "no letter could be printed: every address was refused"
            if failures and not printed
            else str(error)
        )
        return _letters_failed(notice, token, reason, failures)
    try:
        digest = _durable_sha256(path)
        with transaction.atomic():
            recorded = Notice.objects.filter(
                pk=notice.pk, letters_claim=token, letters_status=Notice.Letters.PREPARING
            ).update(
                letters_status=Notice.Letters.READY,
                letters_file=name,
                letters_count=printed,
                letters_pages=pages,
                letters_sha256=digest,
                letters_generated_at=timezone.now(),
                letters_error="",
            )
            if recorded:
                _fail_deliveries(failures)
    except BaseException:
        path.unlink(missing_ok=True)  # never recorded: the retry makes its own
        raise
    if not recorded:
        # A sweep presumed this task dead and gave the letters to another: theirs stands.
        path.unlink(missing_ok=True)
        return "superseded"
    return "ready"


class LettersImpossible(Exception):
    """The notice's letters cannot be made at all, whatever the addresses."""


def _letters_failed(notice, token, reason, failures=()) -> str:
    with transaction.atomic():
        recorded = Notice.objects.filter(
            pk=notice.pk, letters_claim=token, letters_status=Notice.Letters.PREPARING
        ).update(letters_status=Notice.Letters.FAILED, letters_error=reason[:2000])
        if recorded:
            _fail_deliveries(failures)
    return "failed" if recorded else "superseded"


def _fail_deliveries(failures):
    for pk, error in failures:
        Delivery.objects.filter(pk=pk, state=Delivery.State.QUEUED).update(
            state=Delivery.State.FAILED, last_error=error
        )


def _unprintable(delivery) -> str | None:
    """Why this delivery's letter cannot be mailed, naming the recipient, or None."""
    if not delivery.address_lines.strip() or not (
        delivery.city.strip() or delivery.postal_code.strip()
    ):
        return f"Letter to {delivery.recipient_name} not printed: the address is incomplete."
    problem = address_problem(_addressee(delivery))
    if problem:
        return f"Letter to {delivery.recipient_name} not printed: {problem}."
    return None


def _addressee(delivery) -> Addressee:
    return Addressee(
        key=delivery.key,
        name=delivery.recipient_name,
        address_lines=delivery.address_lines,
        city=delivery.city,
        state=delivery.state_code,
        postal_code=delivery.postal_code,
        country=delivery.country,
    )


def _letterhead(notice):
    trustee = notice.agreement.party_in_role("trustee")
    if trustee is None:
        raise LettersImpossible(
            "The agreement names no trustee, whose name and address head the letters."
        )
    city_line = ", ".join(
        part
        for part in (trustee.city, f"{trustee.state} {trustee.postal_code}".strip())
        if part.strip()
    )
    lines = tuple(line for line in [*trustee.address_lines.splitlines(), city_line] if line)
    role = notice.agreement.our_role
    if role and role != notice.agreement.OurRole.NONE:
        capacity = notice.agreement.get_our_role_display().title()
    else:
        capacity = "Trustee"
    return Letterhead(name=trustee.name, address_lines=lines), (
        f"{trustee.name.upper()},",
        f"as {capacity}",
    )


_PROBES = ({"name": "\x00probe-1", "address": "\x00a"}, {"name": "\x00probe-2", "address": "\x00b"})


def _letter_text(notice, recipients):
    """The subject and body every letter shares. render_letters prints one text for all, so a
    template that names its recipient (the request to a Guarantor) can be used only for a
    single letter, rendered for that recipient."""
    first, second = (render(notice, probe, parts=LETTER_BODY_PARTS) for probe in _PROBES)
    if first == second:
        return first["subject"], first["letter"]
    some = list(recipients[:2])
    if len(some) > 1:
        raise LettersImpossible(
            "The letter template names its recipient, and one letter text is printed for all "
            f"{recipients.count():,} recipients: take recipient.* out of its letter.txt and "
            "subject.txt."
        )
    if not some:
        return first["subject"], ""
    content = render(notice, recipient_context(some[0]), parts=LETTER_BODY_PARTS)
    return content["subject"], content["letter"]


def recipient_context(delivery) -> dict:
    """`recipient` as the templates see it: the name and the address on one line."""
    parts = [
        *delivery.address_lines.splitlines(),
        delivery.city,
        f"{delivery.state_code} {delivery.postal_code}".strip(),
        delivery.country,
    ]
    return {"name": delivery.recipient_name, "address": ", ".join(p for p in parts if p)}


def notice_date(notice):
    """The notice's date as frozen at approval (what the letters and e-mails say)."""
    frozen = thaw(notice.frozen_context).get("notice", {}).get("date")
    return frozen or timezone.localdate(notice.approved_at)


def _date_text(day) -> str:
    return date_format(day, "F j, Y")


def _stored_name(notice, file_name) -> str:
    """The file's name relative to MEDIA_ROOT, as its FileField stores it."""
    return f"notices/{get_valid_filename(notice.reference)}/{file_name}"


def _media_path(name) -> Path:
    return Path(settings.MEDIA_ROOT) / name


def _durable_sha256(path) -> str:
    """The file's SHA-256, once its bytes are on disk: the record that follows says it exists."""
    digest = hashlib.sha256()
    with open(path, "rb") as file:
        for block in iter(lambda: file.read(1 << 20), b""):
            digest.update(block)
        os.fsync(file.fileno())
    return digest.hexdigest()


def letters_requeue_stale(*, now=None) -> list[int]:
    """The notices whose letters a task should (re)try, for the sweep: claims held longer than
    LETTERS_STUCK_AFTER go back to pending (their task died; the token change fences it off),
    and pending letters no task has tried for that long, or never since an approval
    LETTERS_ENQUEUE_GRACE ago, are handed over and marked so. Conditional updates make two
    sweeps at once harmless."""
    now = now or timezone.now()
    stale = now - LETTERS_STUCK_AFTER
    Notice.objects.filter(
        letters_status=Notice.Letters.PREPARING, letters_claimed_at__lt=stale
    ).update(
        # Its old claimed_at kept: handed to a task just below.
        letters_status=Notice.Letters.PENDING,
        letters_claim="",
        letters_error="The task preparing the letters stopped; they are being prepared again.",
    )
    due = Notice.objects.filter(
        Q(letters_claimed_at__isnull=True, approved_at__lt=now - LETTERS_ENQUEUE_GRACE)
        | Q(letters_claimed_at__lt=stale),
        letters_status=Notice.Letters.PENDING,
    )
    ids = list(due.values_list("pk", flat=True)[:1000])
    Notice.objects.filter(pk__in=ids, letters_status=Notice.Letters.PENDING).update(
        letters_claimed_at=now
    )
    return ids


def letters_mailed(*, notice_id, by, mailed_on):
    """Record that the letters in the PDF were deposited in the mail, by whom and on which date:
    every letter delivery in it becomes sent on that date, and the mailing manifest (the
    certificate of mailing) is written from those same deliveries, naming who mailed them."""
    with transaction.atomic():
        notice = Notice.objects.select_for_update().select_related("agreement").get(pk=notice_id)
        if notice.letters_status == Notice.Letters.MAILED:
            who = notice.letters_mailed_by
            raise NoticeRefused(
                f"The mailing of {notice.reference}'s letters was already recorded: mailed on "
                f"{_date_text(notice.letters_mailed_on)} by {_person(who)}."
            )
        if notice.letters_status != Notice.Letters.READY:
            state = notice.get_letters_status_display().lower()
            raise NoticeRefused(
                f"{notice.reference}'s letters are not ready to mail ({state})."
                if notice.letters_status
                else f"{notice.reference} has no letters to mail."
            )
        officer = getattr(by, "trust_officer", None)
        if officer is None or not is_preparer(by):
            raise NoticeRefused("Only a trust officer may record the mailing of letters.")
        if mailed_on is None:
            raise NoticeRefused({"mailed_on": "Give the date the letters were mailed."})
        today = timezone.localdate()
        if mailed_on > today:
            raise NoticeRefused(
                {"mailed_on": f"The date mailed cannot be in the future (today is {today})."}
            )
        approved_on = timezone.localdate(notice.approved_at)
        if mailed_on < approved_on:
            raise NoticeRefused(
                {
                    "mailed_on": "The letters cannot have been mailed before the notice was "
                    f"approved on {approved_on}."
                }
            )
        printed_on = timezone.localdate(notice.letters_generated_at)
        if mailed_on < printed_on:
            raise NoticeRefused({"mailed_on": f"The letters were not printed until {printed_on}."})
        letters = Delivery.objects.filter(
            notice=notice, channel=Delivery.Channel.LETTER, state=Delivery.State.QUEUED
        )
        if letters.count() != notice.letters_count:
            raise NoticeRefused(
                f"{notice.letters_count:,} letters are in the PDF but {letters.count():,} letter "
                "deliveries are waiting: the PDF no longer matches them."
            )
        # The mailing is known to the day, not the hour: sent at the start of that day.
        sent_at = timezone.make_aware(datetime.combine(mailed_on, time.min))
        letters.update(state=Delivery.State.SENT, sent_at=sent_at, last_error="")
        mailed = Delivery.objects.filter(
            notice=notice, channel=Delivery.Channel.LETTER, state=Delivery.State.SENT
        ).order_by("pk")
        try:
            letterhead, _ = _letterhead(notice)
            subject, _ = _letter_text(notice, mailed)
        except LettersImpossible as error:
            raise NoticeRefused(str(error)) from error
        token = uuid.uuid4().hex
        pdf_name = _stored_name(notice, f"manifest-{token}.pdf")
        csv_name = _stored_name(notice, f"manifest-{token}.csv")
        pdf_path, csv_path = _media_path(pdf_name), _media_path(csv_name)
        pdf_path.parent.mkdir(parents=True, exist_ok=True)
        try:
            counts = write_manifest(
                path_pdf=pdf_path,
                path_csv=csv_path,
                letterhead=letterhead,
                reference=notice.reference,
                date_text=_date_text(mailed_on),
                subject=subject,
                addressees=(_addressee(d) for d in mailed.iterator(chunk_size=BATCH)),
                mailed_by=_mailed_by(by, officer),
            )
            digest = _durable_sha256(pdf_path)
            _durable_sha256(csv_path)
            notice.letters_status = Notice.Letters.MAILED
            notice.letters_mailed_on = mailed_on
            notice.letters_mailed_by = by
            notice.letters_mailed_recorded_at = timezone.now()
            notice.manifest_pdf = pdf_name
            notice.manifest_csv = csv_name
            notice.manifest_sha256 = digest
            notice.manifest_counts = counts
            notice.save(
                update_fields=[
                    "letters_status",
                    "letters_mailed_on",
                    "letters_mailed_by",
                    "letters_mailed_recorded_at",
                    "manifest_pdf",
                    "manifest_csv",
                    "manifest_sha256",
                    "manifest_counts",
                ]
            )
        except BaseException:
            # The transaction is rolled back: no manifest of a mailing that is not recorded.
            pdf_path.unlink(missing_ok=True)
            csv_path.unlink(missing_ok=True)
            raise
    return notice


def _person(user) -> str:
    if user is None:
        return "an unknown officer"
    return user.get_full_name() or user.get_username()


def _mailed_by(user, officer) -> str:
    return ", ".join(part for part in (_person(user), officer.title) if part)
