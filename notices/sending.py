"""Sending e-mail deliveries: each at most once as far as our records can tell.

A delivery is claimed (queued → sending) by a conditional UPDATE before it is sent and
recorded as sent as soon as the SMTP server's acceptance is read, so a crash repeats at most
the messages in flight; those are resent with the same Message-ID, which receiving servers
recognise. Many messages share one SMTP connection. When the server offers CHUNKING and
PIPELINING (RFC 3030, 2920) a group of GROUP messages goes in one write with BDAT and the
accepted ones of the group are recorded in one statement: those were the messages in flight
together. With PIPELINING alone, one message at a time (DATA needs its 354 before the
message), each recorded in its own statement. The provider's rate limit
(notices/ratelimit.py) is shared by every worker process and thread.
"""

from __future__ import annotations

import logging
import queue
import random
import smtplib
import threading
from collections import Counter
from datetime import timedelta

import psycopg
from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.core.mail.backends.smtp import EmailBackend as SmtpBackend
from django.db import connection, transaction
from django.db import connections as db_connections
from django.db.models import F, Q
from django.utils import timezone

from notices import ratelimit, smtp_session
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


CLAIM_BATCH = 50
# Messages sent together on one session when the server offers CHUNKING and PIPELINING: all
# of them written at once (MAIL, RCPT, BDAT and the message, RFC 3030 and 2920), their answers
# read after, and the accepted ones recorded in one statement. These are the messages in flight
# together, so a crash repeats at most this many a session.
GROUP = 25


def send_deliveries(delivery_ids) -> dict[str, int]:
    """Claim the deliveries a few at a time and send them, over TRUSTDESK_MAIL_SENDERS SMTP
    sessions at once (threads: the time goes in waiting for the SMTP and database servers'
    answers). Inside a transaction (the tests), or with one sender, everything runs here in
    order."""
    outcome = Counter(sent=0, retry=0, failed=0, skipped=0)
    limit = ratelimit.limiter()  # None: no limit for this provider, and no Redis call
    delivery_ids = list(delivery_ids)
    senders = max(1, settings.TRUSTDESK_MAIL_SENDERS)
    if senders == 1 or connection.in_atomic_block:
        send = _Sender(limit)
        try:
            for claimed in _claimed_batches(delivery_ids, outcome):
                for start in range(0, len(claimed), GROUP):
                    outcome.update(send(claimed[start : start + GROUP]))
        finally:
            send.close()
        return dict(outcome)

    work: queue.Queue = queue.Queue(maxsize=CLAIM_BATCH * 2)
    faults: list[BaseException] = []
    lock = threading.Lock()

    def run():
        send = _Sender(limit)
        done = False
        try:
            while not done:
                group = [work.get()]
                # What is already waiting goes together, up to GROUP: never waited for.
                while group[-1] is not None and len(group) < GROUP:
                    try:
                        group.append(work.get_nowait())
                    except queue.Empty:
                        break
                if group[-1] is None:
                    done = True
                    group.pop()
                if group:
                    results = send(group)
                    with lock:
                        outcome.update(results)
        except BaseException as fault:  # e.g. the database went away: reported after join
            faults.append(fault)
            while not done and work.get() is not None:  # drain: the claimer never blocks
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
        self.tokens = ratelimit.Tokens(limit) if limit else None
        self.renderers: dict[int, RecipientRenderer] = {}
        self.connection = get_connection()
        _asynchronous_commits(True)

    def renderer(self, notice_id) -> RecipientRenderer:
        renderer = self.renderers.get(notice_id)
        if renderer is None:
            notice = Notice.objects.get(pk=notice_id)
            renderer = self.renderers[notice_id] = RecipientRenderer(notice, EMAIL_PARTS)
        return renderer

    def __call__(self, deliveries) -> Counter:
        """Send a few deliveries (at most GROUP); what became of them, counted."""
        if not self.tokens:
            return Counter(_send_group(self.connection, self.renderer, deliveries))
        # Under a rate limit one at a time, each as soon as its token is there: tokens taken
        # for a whole group and spent together at the end would bunch the sending, more
        # than the limit within some second.
        outcome = Counter()
        for delivery in deliveries:
            self.tokens.wait()
            outcome.update(_send_group(self.connection, self.renderer, [delivery]))
        return outcome

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


_CLAIMED_FIELDS = (
    "id",
    "notice_id",
    "recipient_name",
    "email",
    "address_lines",
    "city",
    "state_code",
    "postal_code",
    "country",
    "key",
    "attempts",
)
_table = Delivery._meta.db_table
# One statement, one round trip: each wanted row looked up by its primary key and locked, in
# id order, then claimed and returned. The lookup is a LATERAL subquery with FOR UPDATE,
# which PostgreSQL plans on its own (it cannot be flattened into a join): by the primary key,
# whatever the statistics say. As a join, and on a freshly approved notice whose rows were
# never analyzed, the planner chose the partial index delivery_pending instead and read every
# queued row of the table (the letters too) for each claim of 50: 190 ms a claim.
_CLAIM = f"""
UPDATE {_table} AS d SET state = %s, claimed_at = %s, attempts = d.attempts + 1
FROM unnest(%s::bigint[]) AS wanted(id)
CROSS JOIN LATERAL (
    SELECT t.id FROM {_table} AS t
    WHERE t.id = wanted.id AND t.channel = %s AND t.state = %s
        AND COALESCE(t.next_attempt_at, '-infinity') <= %s
    FOR UPDATE OF t
) AS mine
WHERE d.id = mine.id
RETURNING {", ".join(f"d.{name}" for name in _CLAIMED_FIELDS)}
"""


def _claim(ids):
    """Claim a few deliveries at a time (queued → sending): rows another task has claimed or
    sent are left out. A small batch keeps what a crash leaves in "sending" small; the sweep
    requeues those, and only the one being transmitted can have reached the server."""
    now = timezone.now()
    # Waiting for a lock, not skipping it: PostgreSQL re-reads the row once the holder
    # commits, so a row claimed meanwhile drops out and one merely updated is still claimed.
    # SKIP LOCKED lost whole batches whose rows were briefly locked by a statement that did
    # not claim them. Locking in id order keeps two claims from deadlocking.
    if connection.vendor == "postgresql":
        params = [
            Delivery.State.SENDING,
            now,
            sorted(ids),  # locked in this order
            Delivery.Channel.EMAIL,
            Delivery.State.QUEUED,
            now,
        ]
        rows = sorted(_prepared(_CLAIM, params, fetch=True))
        return [Delivery.from_db(connection.alias, _CLAIMED_FIELDS, row) for row in rows]
    with transaction.atomic():
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


def _address(delivery) -> str:
    return ", ".join(
        part
        for part in [
            *delivery.address_lines.splitlines(),
            delivery.city,
            f"{delivery.state_code} {delivery.postal_code}".strip(),
            delivery.country,
        ]
        if part
    )


def _content(renderer, delivery) -> dict:
    return renderer({"name": delivery.recipient_name, "address": _address(delivery)})


def _send_group(connection, renderers, deliveries) -> list[str]:
    """Each delivery's outcome. Written together on the session when it offers CHUNKING and
    PIPELINING, the accepted ones then recorded in one statement; otherwise one at a time."""
    try:
        _open(connection)
    except Exception as error:  # the server is unreachable: every one is tried again later
        return [_not_sent(connection, delivery, error) for delivery in deliveries]
    smtp = getattr(connection, "connection", None)
    session = smtp_session.session(smtp) if isinstance(connection, SmtpBackend) and smtp else None
    if session is None or not session.chunking:
        return [_send_one(connection, renderers, delivery) for delivery in deliveries]
    together, alone = [], []
    for delivery in deliveries:
        content = _content(renderers(delivery.notice_id), delivery)
        try:
            raw = _raw(content, delivery, session)
        except NotSendable:
            alone.append(delivery)
        else:
            together.append((delivery, raw))
    answers = session.send_group(
        settings.DEFAULT_FROM_EMAIL, [(delivery.email, raw) for delivery, raw in together]
    )
    answered = list(zip([delivery for delivery, _ in together], answers, strict=True))
    accepted = [delivery.pk for delivery, error in answered if error is None]
    if accepted:
        _record_sent(accepted)
    outcomes = ["sent"] * len(accepted)
    for delivery, error in answered:
        if error is not None:
            outcomes.append(_not_sent(connection, delivery, error))
    return outcomes + [_send_one(connection, renderers, delivery) for delivery in alone]


def _open(connection):
    # Opened here, not by send(): a connection send() opens it also closes, one per message.
    if getattr(connection.connection, "sock", True) is None:
        _reset(connection)  # closed after a refusal it could not reset
    connection.open()


def _send_one(connection, renderers, delivery) -> str:
    content = _content(renderers(delivery.notice_id), delivery)
    try:
        _open(connection)
        _transmit(connection, content, delivery)
    except Exception as error:  # every transport error is classified and recorded below
        return _not_sent(connection, delivery, error)
    _record_sent([delivery.pk])
    return "sent"


def _not_sent(connection, delivery, error) -> str:
    """A refusal or a transport error, recorded: failed, or queued again with backoff."""
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


def _raw(content, delivery, session) -> bytes:
    return message_bytes(
        sender=settings.DEFAULT_FROM_EMAIL,
        to=delivery.email,
        subject=content["subject"],
        text=content["text"],
        html=content["html"],
        message_id=delivery.message_id,
        eight_bit=session.eight_bit,
    )


def _transmit(connection, content, delivery):
    """Straight to the SMTP session when the connection is Django's SMTP backend (the
    message built by notices.mime); through Django's e-mail framework otherwise, or when a
    header needs what only it does (a non-ASCII address)."""
    if isinstance(connection, SmtpBackend) and connection.connection is not None:
        session = smtp_session.session(connection.connection)
        try:
            raw = _raw(content, delivery, session)
        except NotSendable:
            pass
        else:
            session.send(settings.DEFAULT_FROM_EMAIL, delivery.email, raw)
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


# By the primary key, row by row, as _CLAIM and for the same reason: as `id = ANY(...) AND
# state = 'sending'` the planner (no statistics yet on a fresh notice) chose the partial
# index delivery_pending, whose predicate that state satisfies, and read its every entry
# (330,000 on a 100,000-e-mail notice) for each group of 25 recorded.
_SENT = f"""
UPDATE {_table} AS d SET state = %s, sent_at = %s, last_error = ''
FROM unnest(%s::bigint[]) AS wanted(id)
CROSS JOIN LATERAL (
    SELECT t.id FROM {_table} AS t WHERE t.id = wanted.id AND t.state = %s FOR UPDATE OF t
) AS mine
WHERE d.id = mine.id
"""


def _record_sent(delivery_ids):
    """Recorded at once, in one statement for the messages that were in flight together (see
    _asynchronous_commits)."""
    now = timezone.now()
    if connection.vendor == "postgresql":
        _prepared(_SENT, [Delivery.State.SENT, now, sorted(delivery_ids), Delivery.State.SENDING])
        return
    Delivery.objects.filter(pk__in=delivery_ids, state=Delivery.State.SENDING).update(
        state=Delivery.State.SENT, sent_at=now, last_error=""
    )


def _prepared(sql, params, fetch=False):
    """A statement of the send loop as a prepared statement of this connection: PostgreSQL
    parses and plans it once, not for every message as it does the literal SQL of Django's
    client-side binding, and the worker skips Django's cursor wrapping (a quarter less of
    the worker's CPU per record, measured). Named prepared statements need a session of
    their own: PgBouncer in session mode (as docs/operations.md says) keeps them;
    transaction mode would not."""
    connection.ensure_connection()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        return cursor.fetchall() if fetch else None


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
