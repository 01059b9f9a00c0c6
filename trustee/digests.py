"""The daily digest: each officer's due-soon and overdue obligations, once a day.

The (officer, day) row is claimed in the database before the mail is sent and marked sent
after, outside any transaction; a second run the same day finds the claim and sends nothing.
A send that failed leaves the claim unsent with its error, and is tried again by a later run
once the claim is older than RETRY_AFTER (so a run still sending is never doubled).
"""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from trustee import obligation_rules as rules
from trustee.models import DigestDispatch, Obligation, TrustOfficer

log = logging.getLogger(__name__)
RETRY_AFTER = timedelta(minutes=15)
DIGEST_STATUSES = (rules.DUE_SOON, rules.OVERDUE)


def officers_with_duties():
    """Active officers with something due soon or overdue: one indexed DISTINCT."""
    officer_ids = (
        Obligation.objects.filter(status__in=DIGEST_STATUSES, officer__is_active=True)
        .order_by()  # the model's ordering would join agreements and sort 10,000s of rows
        .values_list("officer_id", flat=True)
        .distinct()
    )
    return TrustOfficer.objects.filter(pk__in=officer_ids).select_related("user")


def digest_obligations(officer):
    """What one officer's digest lists, with only the columns the templates show."""
    return (
        Obligation.objects.filter(officer=officer, status__in=DIGEST_STATUSES)
        .select_related("agreement")
        .only(
            "status",
            "due_date",
            "title",
            "section",
            "owed_by",
            "holiday",
            "is_weekend",
            "agreement__short_name",
        )
        .order_by("due_date", "agreement__short_name")
    )


def send_daily_digests(*, today, now=None) -> int:
    """Send today's digest to every officer who has something due soon or overdue."""
    now = now or timezone.now()
    sent = 0
    for officer in officers_with_duties():
        if _claim(officer, today, now):
            sent += _send(officer, today, now)
    return sent


def _claim(officer, today, now) -> bool:
    try:
        with transaction.atomic():
            DigestDispatch.objects.create(officer=officer, day=today)
        return True
    except IntegrityError:
        # Someone claimed it first. Take it over only if that attempt failed long enough ago.
        return bool(
            DigestDispatch.objects.filter(
                officer=officer, day=today, sent_at__isnull=True, claimed_at__lt=now - RETRY_AFTER
            ).update(claimed_at=now)
        )


def _send(officer, today, now) -> int:
    obligations = list(digest_obligations(officer))
    context = {
        "officer": officer,
        "today": today,
        "overdue": [o for o in obligations if o.status == rules.OVERDUE],
        "due_soon": [o for o in obligations if o.status == rules.DUE_SOON],
        "admin_url": settings.TRUSTDESK_BASE_URL.rstrip("/")
        + reverse("admin:trustee_obligation_changelist"),
    }
    subject = " ".join(render_to_string("emails/digest-subject.txt", context).split())
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("emails/digest-body.txt", context),
        to=[officer.user.email],
        # The same Message-ID on a retry lets a mail server or client recognise a duplicate.
        headers={"Message-ID": f"<digest-{officer.pk}-{today:%Y%m%d}@trustdesk>"},
    )
    message.attach_alternative(render_to_string("emails/digest-body.html", context), "text/html")
    dispatch = DigestDispatch.objects.filter(officer=officer, day=today)
    if not officer.user.email:
        dispatch.update(error="The officer has no e-mail address.")
        return 0
    try:
        message.send()
    except Exception as error:  # any transport failure: record it and let a later run retry
        # Not log.exception: an SMTP refusal's text names the officer's address.
        log.warning(
            "Digest for officer %s on %s failed: %s", officer.pk, today, type(error).__name__
        )
        dispatch.update(error=f"{type(error).__name__}: {error}")
        return 0
    dispatch.update(sent_at=timezone.now(), obligation_count=len(obligations), error="")
    return 1
