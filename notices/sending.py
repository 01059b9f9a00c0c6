"""Sending e-mail deliveries: each at most once as far as our records can tell.

A delivery is claimed (queued → sending) by a conditional UPDATE before it is sent and
recorded as sent right after the SMTP server accepts it, one message at a time, so a crash
repeats at most the message in flight; that one is resent with the same Message-ID, which
receiving servers recognise. Many messages share one SMTP connection.
"""

from __future__ import annotations

import logging
import queue
import random
import smtplib
import threading
import time
from collections import Counter
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.db import connection, transaction
from django.db import connections as db_connections
from django.db.models import F, Q
from django.utils import timezone

from notices.mime import NotSendable, message_bytes
from notices.models import Delivery, Notice
from notices.rendering import RecipientRenderer

log = logging.getLogger(__name__)
EMAIL_PARTS = ("subject", "text", "html")


def backoff(attempts: int) -> timedelta:
    """Exponential with full jitter, capped below the broker's visibility timeout."""
    cap = settings.TRUSTDESK_MAIL_RETRY_MAX_SECONDS
    base = min(cap, settings.TRUSTDESK_MAIL_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0))
    return timedelta(seconds=random.uniform(base / 2, base))


def _permanent(error) -> bool:
    """5xx answers are permanent; 4xx and dropped connections are worth another try."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return all(500 <= code < 600 for code in codes)
    code = getattr(error, "smtp_code", None)
    return code is not None and 500 <= code < 600


class _RateLimit:
    """At most `per_second` messages a second from this process (0: no limit)."""

    def __init__(self, per_second):
        self.interval = 1 / per_second if per_second else 0
        self.next_at = time.monotonic()
        self.lock = threading.Lock()

    def wait(self):
        if not self.interval:
            return
        with self.lock:  # shared by the task's sender threads: each takes its own slot
            now = time.monotonic()
            slot = max(now, self.next_at)
            self.next_at = slot + self.interval
        if slot > now:
            time.sleep(slot - now)


CLAIM_BATCH = 50


def send_deliveries(delivery_ids) -> dict[str, int]:
    """Claim the deliveries a few at a time and send them, over TRUSTDESK_MAIL_SENDERS SMTP
    sessions at once (threads: the time goes in waiting for the SMTP and database servers'
    answers, and one session waits for four of them per message). Inside a transaction (the
    tests), or with one sender, everything runs here in order."""
    outcome = Counter(sent=0, retry=0, failed=0, skipped=0)
    limit = _RateLimit(settings.TRUSTDESK_MAIL_RATE_PER_SECOND)
    delivery_ids = list(delivery_ids)
    senders = max(1, settings.TRUSTDESK_MAIL_SENDERS)
    if senders == 1 or connection.in_atomic_block:
        send = _Sender(limit)
        try:
            for claimed in _claimed_batches(delivery_ids, outcome):
                for delivery in claimed:
                    outcome[send(delivery)] += 1
        finally:
            send.close()
        return dict(outcome)

    work: queue.Queue = queue.Queue(maxsize=CLAIM_BATCH * 2)
    faults: list[BaseException] = []
    lock = threading.Lock()

    def run():
        send = _Sender(limit)
        try:
            while (delivery := work.get()) is not None:
                result = send(delivery)
                with lock:
                    outcome[result] += 1
        except BaseException as fault:  # e.g. the database went away: reported after join
            faults.append(fault)
            while work.get() is not None:  # drain, so that the claimer never blocks
                pass
        finally:
            send.close()
            db_connections.close_all()

    threads = [threading.Thread(target=run, daemon=True) for _ in range(senders)]
    for thread in threads:
        thread.start()
    try:
        for claimed in _claimed_batches(delivery_ids, outcome):
            for delivery in claimed:
                work.put(delivery)
    finally:
        for _ in threads:
            work.put(None)
        for thread in threads:
            thread.join()
    if faults:
        # What was claimed and not sent stays "sending": the sweep requeues it.
        raise faults[0]
    return dict(outcome)


def _claimed_batches(delivery_ids, outcome):
    for start in range(0, len(delivery_ids), CLAIM_BATCH):
        batch = delivery_ids[start : start + CLAIM_BATCH]
        claimed = _claim(batch)
        outcome["skipped"] += len(batch) - len(claimed)
        yield claimed


class _Sender:
    """One SMTP session and the renderers of the notices it sends, in one thread."""

    def __init__(self, limit):
        self.limit = limit
        self.renderers: dict[int, RecipientRenderer] = {}
        self.connection = get_connection()
        _asynchronous_commits(True)

    def __call__(self, delivery) -> str:
        renderer = self.renderers.get(delivery.notice_id)
        if renderer is None:
            notice = Notice.objects.get(pk=delivery.notice_id)
            renderer = self.renderers[delivery.notice_id] = RecipientRenderer(notice, EMAIL_PARTS)
        self.limit.wait()
        return _send_one(self.connection, renderer, delivery)

    def close(self):
        try:
            _asynchronous_commits(False)
        except Exception:  # the database is gone: the session ends with its connection
            log.debug("Could not reset synchronous_commit")
        try:
            self.connection.close()
        except Exception:  # closing a dead connection: nothing left to save
            log.debug("SMTP connection already closed")


def _asynchronous_commits(on: bool):
    """Records of sent messages commit without waiting for the WAL to reach disk: a worker
    that dies loses nothing (the commit is the server's), and a database crash could lose the
    last fraction of a second of records, whose messages then go again with the same
    Message-ID: the same case as a crash between the SMTP server's acceptance and our record.
    Set for this connection while it sends, and put back after."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF" if on else "RESET synchronous_commit")


def _claim(ids):
    """Claim a few deliveries at a time (queued → sending): rows another task has claimed or
    sent are left out. A small batch keeps what a crash leaves in "sending" small; the sweep
    requeues those, and only the one being transmitted can have reached the server."""
    now = timezone.now()
    with transaction.atomic():
        # Waiting for a lock, not skipping it: PostgreSQL re-reads the row once the holder
        # commits, so a row claimed meanwhile drops out and one merely updated is still claimed.
        # SKIP LOCKED lost whole batches whose rows were briefly locked by a statement that did
        # not claim them. Locking in id order keeps two claims from deadlocking.
        mine = list(
            Delivery.objects.select_for_update()
            .order_by("pk")
            .filter(
                Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
                pk__in=ids,
                channel=Delivery.Channel.EMAIL,
                state=Delivery.State.QUEUED,
            )
            .values_list("pk", flat=True)
        )
        Delivery.objects.filter(pk__in=mine).update(
            state=Delivery.State.SENDING, claimed_at=now, attempts=F("attempts") + 1
        )
    return list(Delivery.objects.filter(pk__in=mine).order_by("pk"))


def _send_one(connection, renderer, delivery) -> str:
    address = ", ".join(
        part
        for part in [
            *delivery.address_lines.splitlines(),
            delivery.city,
            f"{delivery.state_code} {delivery.postal_code}".strip(),
            delivery.country,
        ]
        if part
    )
    content = renderer({"name": delivery.recipient_name, "address": address})
    try:
        # Opened here, not by send(): a connection send() opens it also closes, one per message.
        connection.open()
        _transmit(connection, content, delivery)
    except Exception as error:  # every transport error is classified and recorded below
        text = f"{type(error).__name__}: {error}"[:2000]
        mine = Delivery.objects.filter(pk=delivery.pk, state=Delivery.State.SENDING)
        if _permanent(error) or delivery.attempts >= settings.TRUSTDESK_MAIL_MAX_ATTEMPTS:
            mine.update(state=Delivery.State.FAILED, last_error=text)
            return "failed"
        mine.update(
            state=Delivery.State.QUEUED,
            last_error=text,
            next_attempt_at=timezone.now() + backoff(delivery.attempts),
        )
        _reset(connection)
        return "retry"
    _record_sent(delivery.pk)
    return "sent"


def _transmit(connection, content, delivery):
    """Straight to the SMTP session when the connection is Django's SMTP backend (the
    message built by notices.mime); through Django's e-mail framework otherwise, or when a
    header needs what only it does (a non-ASCII address)."""
    if isinstance(connection, SmtpBackend) and connection.connection is not None:
        try:
            raw = message_bytes(
                sender=settings.DEFAULT_FROM_EMAIL,
                to=delivery.email,
                subject=content["subject"],
                text=content["text"],
                html=content["html"],
                message_id=delivery.message_id,
            )
        except NotSendable:
            pass
        else:
            connection.connection.sendmail(settings.DEFAULT_FROM_EMAIL, [delivery.email], raw)
            return
    message = EmailMultiAlternatives(
        subject=content["subject"],
        body=content["text"],
        to=[delivery.email],
        headers={"Message-ID": delivery.message_id},
        connection=connection,
    )
    message.attach_alternative(content["html"], "text/html")
    message.send()


_SENT = (
    f"UPDATE {Delivery._meta.db_table} SET state = %s, sent_at = %s, last_error = '' "
    "WHERE id = %s AND state = %s"
)


def _record_sent(delivery_id):
    """Recorded at once, message by message, in one statement (see _asynchronous_commits)."""
    with connection.cursor() as cursor:
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        cursor.execute(_SENT, [Delivery.State.SENT, now, delivery_id, Delivery.State.SENDING])


def _reset(connection):
    """After a failure the SMTP session may be unusable: the next message opens a new one."""
    try:
        connection.close()
    except Exception:  # already broken: the next send reopens it
        log.debug("SMTP connection already closed")


def due_for_sending(*, now=None):
    """What a sweep should hand to the mail tasks: e-mails stuck in "sending" past the timeout
    go back to the queue (their task died; the resend carries the same Message-ID), then every
    queued e-mail that is due and has no task on its way (never enqueued, enqueued longer ago
    than the timeout, or waiting for a retry since its last task) is marked enqueued now.
    Returns the ids to enqueue. Conditional updates make two sweeps at once harmless."""
    now = now or timezone.now()
    timeout = timedelta(seconds=settings.TRUSTDESK_MAIL_STUCK_SECONDS)
    Delivery.objects.filter(
        channel=Delivery.Channel.EMAIL, state=Delivery.State.SENDING, claimed_at__lt=now - timeout
    ).update(state=Delivery.State.QUEUED, next_attempt_at=now)
    due = Delivery.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        Q(enqueued_at__isnull=True)
        | Q(enqueued_at__lt=now - timeout)
        | Q(enqueued_at__lt=F("next_attempt_at")),
        channel=Delivery.Channel.EMAIL,
        state=Delivery.State.QUEUED,
    )
    ids = list(due.values_list("pk", flat=True)[: settings.TRUSTDESK_MAIL_SWEEP_LIMIT])
    Delivery.objects.filter(pk__in=ids).update(enqueued_at=now)
    return ids


def mark_enqueued(ids, *, now=None):
    Delivery.objects.filter(pk__in=ids).update(enqueued_at=now or timezone.now())
