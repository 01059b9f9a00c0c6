"""The life of a notice: drafted, approved by a second officer (which freezes its content and
creates every delivery in the same transaction: the outbox), then delivered by the mail tasks."""

from __future__ import annotations

import hashlib
import logging

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from holders.models import Holder, HolderList
from notices.kinds import KINDS
from notices.models import Delivery, Notice
from notices.rendering import freeze, template_sources
from trustee.models import NoticeAddress
from trustee.roles import is_responsible, require_preparer

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
    """The holders' deliveries: on PostgreSQL one INSERT ... SELECT per channel from the List
    of Holders (the keys computed in SQL as `_key` computes them), rather than a model object
    per row; elsewhere bulk_create. The e-mails come first, contiguous, each channel in the
    list's order."""
    if connection.vendor != "postgresql":
        return _holder_deliveries_by_objects(notice, record, kind)
    channels = [Delivery.Channel.EMAIL] + (
        [Delivery.Channel.LETTER] if kind.letter_required else []
    )
    count = 0
    with connection.cursor() as cursor:
        for channel in channels:
            email = channel == Delivery.Channel.EMAIL
            cursor.execute(
                _INSERT_DELIVERIES.format(only_emails="AND h.email <> ''" if email else ""),
                {
                    "notice": notice.pk,
                    "channel": channel,
                    "email": email,
                    "prefix": f"{notice.pk}:{notice.reference}:{channel}:",
                    "state": Delivery.State.QUEUED,
                    "list": record.pk,
                },
            )
            count += cursor.rowcount
    return count


# Ids are drawn in the SELECT's order, so the deliveries keep the list's order (the letters'
# PDF goes by id). The key is _key's: the first 40 hex digits of a SHA-256.
_INSERT_DELIVERIES = f"""
INSERT INTO {Delivery._meta.db_table} (
    notice_id, channel, holder_id, recipient_name, email, address_lines, city, state_code,
    postal_code, country, key, state, attempts, last_error
)
SELECT
    %(notice)s, %(channel)s, h.id, h.name, CASE WHEN %(email)s THEN h.email ELSE '' END,
    h.address_lines, h.city, h.state, h.postal_code, h.country,
    left(encode(sha256(convert_to(%(prefix)s || h.id::text, 'UTF8')), 'hex'), 40),
    %(state)s, 0, ''
FROM {Holder._meta.db_table} AS h
WHERE h.holder_list_id = %(list)s {{only_emails}}
ORDER BY h.row_number
"""


def _holder_deliveries_by_objects(notice, record, kind):
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
