"""The life of a notice: drafted, approved by a second officer (which freezes its content and
creates every delivery in the same transaction: the outbox), then delivered by the mail tasks."""

from __future__ import annotations

import hashlib
import logging
import os
import uuid
from datetime import datetime, time, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import get_valid_filename

from holders.models import Holder, HolderList
from notices.kinds import KINDS
from notices.letters import (
    Addressee,
    Letterhead,
    address_problem,
    render_letters,
    write_manifest,
)
from notices.models import Delivery, Notice
from notices.rendering import freeze, render, template_sources, thaw
from trustee.models import NoticeAddress
from trustee.roles import is_preparer, is_responsible, require_preparer

log = logging.getLogger(__name__)
BATCH = 5_000
REFERENCE_ATTEMPTS = 5


class NoticeRefused(ValidationError):
    pass


def notice_create(*, kind, agreement, title, details, by, security=None, holder_list=None):
    require_preparer(by, "Drafting a notice")
    if kind not in KINDS:
        raise NoticeRefused({"kind": f"Unknown kind of notice “{kind}”."})
    if KINDS[kind].audience == "holders" and security is None and holder_list is None:
        raise NoticeRefused({"security": "A notice to Holders needs the security it concerns."})
    # Two notices made at the same moment can compute the same next reference: the unique
    # index refuses the second, which takes the next number.
    for attempt in range(REFERENCE_ATTEMPTS):
        try:
            with transaction.atomic():
                return Notice.objects.create(
                    kind=kind,
                    agreement=agreement,
                    security=security or (holder_list.security if holder_list else None),
                    holder_list=holder_list,
                    reference=_next_reference(kind),
                    title=title,
                    details=details,
                    created_by=by,
                )
        except IntegrityError:
            if attempt == REFERENCE_ATTEMPTS - 1:
                raise
    return None  # not reached: the last attempt returns or raises


def _next_reference(kind):
    prefix = "".join(word[0] for word in kind.split("_")).upper()
    year = timezone.localdate().year
    count = Notice.objects.filter(kind=kind, created_at__year=year).count() + 1
    reference = f"{prefix}-{year}-{count:04d}"
    while Notice.objects.filter(reference=reference).exists():
        count += 1
        reference = f"{prefix}-{year}-{count:04d}"
    return reference


def record_list_for(notice):
    if notice.holder_list_id:
        return notice.holder_list
    return (
        HolderList.objects.filter(security=notice.security, status=HolderList.Status.IMPORTED)
        .order_by("-as_of", "-created_at")
        .first()
    )


def notice_context(notice, *, on=None):
    agreement = notice.agreement
    terms = getattr(agreement, "terms", None)
    trustee = agreement.party_in_role("trustee")
    guarantor = agreement.party_in_role("guarantor")
    kind = KINDS[notice.kind]
    return {
        "notice": {
            "reference": notice.reference,
            "title": notice.title,
            "details": notice.details,
            "date": on or timezone.localdate(),
        },
        "agreement": {
            "short_name": agreement.short_name,
            "title": agreement.title or agreement.short_name,
            "dated_as_of": agreement.dated_as_of,
        },
        "security": {"title": notice.security.title if notice.security else ""},
        "trustee": {"name": trustee.name if trustee else ""},
        "guarantor": {"name": guarantor.name if guarantor else ""},
        "section": kind.section,
        "terms": {name: getattr(terms, name) for name in (terms.term_names() if terms else [])},
    }


def notice_approve(*, notice_id, by):
    """Freeze the notice and create its deliveries, all in one transaction (the outbox)."""
    from notices.tasks import dispatch_notice, prepare_letters

    with transaction.atomic():
        notice = Notice.objects.select_for_update().select_related("agreement").get(pk=notice_id)
        if notice.status != Notice.Status.DRAFT:
            raise NoticeRefused(f"{notice.reference} is {notice.get_status_display().lower()}.")
        if notice.created_by_id == by.pk:
            raise NoticeRefused(
                "The officer who prepared a notice cannot approve it: a second officer must."
            )
        if not is_responsible(by):
            raise NoticeRefused("Only a Responsible Officer may approve a notice.")
        kind = KINDS[notice.kind]
        sources = template_sources(kind)
        notice.frozen_subject = sources["subject.txt"]
        notice.frozen_text = sources["body.txt"]
        notice.frozen_html = sources["body.html"]
        notice.frozen_letter = sources["letter.txt"]
        notice.frozen_context = freeze(notice_context(notice))
        notice.status = Notice.Status.APPROVED
        notice.approved_by, notice.approved_at = by, timezone.now()
        if kind.audience == "holders":
            record = record_list_for(notice)
            if record is None:
                raise NoticeRefused("There is no imported List of Holders to send it to.")
            notice.holder_list = record
            count = _holder_deliveries(notice, record, kind)
        else:
            count = _guarantor_deliveries(notice, kind)
        if not count:
            raise NoticeRefused("The notice has no recipient.")
        letters = Delivery.objects.filter(notice=notice, channel=Delivery.Channel.LETTER)
        if letters.exists():
            notice.letters_status = Notice.Letters.PENDING
        notice.save()
        transaction.on_commit(lambda: dispatch_notice.delay(notice.pk))
        if notice.letters_status == Notice.Letters.PENDING:
            transaction.on_commit(lambda: prepare_letters.delay(notice.pk))
    return notice


def _key(notice, channel, recipient_id):
    raw = f"{notice.pk}:{notice.reference}:{channel}:{recipient_id}"
    return hashlib.sha256(raw.encode()).hexdigest()[:40]


def _holder_deliveries(notice, record, kind):
    count = 0
    batch = []
    holders = Holder.objects.filter(holder_list=record).order_by("row_number")
    for holder in holders.iterator(chunk_size=BATCH):
        address = {
            "holder_id": holder.pk,
            "recipient_name": holder.name,
            "address_lines": holder.address_lines,
            "city": holder.city,
            "state_code": holder.state,
            "postal_code": holder.postal_code,
            "country": holder.country,
        }
        if holder.email:
            batch.append(
                Delivery(
                    notice=notice,
                    channel=Delivery.Channel.EMAIL,
                    email=holder.email,
                    key=_key(notice, "email", holder.pk),
                    **address,
                )
            )
        if kind.letter_required:
            batch.append(
                Delivery(
                    notice=notice,
                    channel=Delivery.Channel.LETTER,
                    key=_key(notice, "letter", holder.pk),
                    **address,
                )
            )
        if len(batch) >= BATCH:
            count += len(Delivery.objects.bulk_create(batch))
            batch = []
    count += len(Delivery.objects.bulk_create(batch))
    return count


def _guarantor_deliveries(notice, kind):
    guarantor = notice.agreement.party_in_role("guarantor")
    if guarantor is None:
        raise NoticeRefused("The agreement names no Guarantor.")
    address = NoticeAddress.objects.filter(agreement=notice.agreement, party=guarantor).first()
    if address is None:
        raise NoticeRefused(f"No notice address (§8.3) of {guarantor} under this agreement.")
    common = {
        "recipient_name": guarantor.name
        + (f", Attention: {address.attention}" if address.attention else ""),
        "address_lines": address.address_lines,
        "city": address.city,
        "state_code": address.state,
        "postal_code": address.postal_code,
        "country": address.country,
    }
    rows = [
        Delivery(
            notice=notice,
            channel=Delivery.Channel.LETTER,
            key=_key(notice, "letter", f"party{guarantor.pk}"),
            **common,
        )
    ]
    emails = [address.email] if address.email else []
    emails += list(guarantor.contacts.values_list("email", flat=True))
    for email in dict.fromkeys(emails):
        rows.append(
            Delivery(
                notice=notice,
                channel=Delivery.Channel.EMAIL,
                email=email,
                key=_key(notice, "email", email),
                **common,
            )
        )
    return len(Delivery.objects.bulk_create(rows))


def deliveries_resend_failed(*, notice_id, by):
    """Put the notice's failed e-mails back in the queue; sent ones are never touched. Under
    the notice's lock, so that two officers pressing the button at once requeue them once."""
    from notices.tasks import dispatch_notice

    require_preparer(by, "Resending failed e-mails")
    with transaction.atomic():
        notice = Notice.objects.select_for_update().get(pk=notice_id)
        count = Delivery.objects.filter(
            notice=notice, channel=Delivery.Channel.EMAIL, state=Delivery.State.FAILED
        ).update(state=Delivery.State.QUEUED, next_attempt_at=None, attempts=0, last_error="")
        if count:
            log.info("%s: %s failed e-mail(s) requeued by %s", notice.reference, count, by)
            transaction.on_commit(lambda: dispatch_notice.delay(notice.pk))
    return count


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
