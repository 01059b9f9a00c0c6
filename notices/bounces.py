"""Bounces: delivery status notifications (RFC 3464) that come back after the SMTP server
accepted a message. Each names our message by its Message-ID (in the returned headers),
which is the delivery's key: the delivery becomes "bounced", with the diagnostic, and shows
among the notice's failures for the officer. Read from a mailbox file by the record_bounces
command (the bounce address's mailbox, delivered to a file or fetched by the mail system)."""

from __future__ import annotations

import email
import mailbox
import re
from dataclasses import dataclass
from email import policy

from django.conf import settings
from django.db import transaction

from notices.models import Delivery


def _our_key(message_id: str) -> str | None:
    domain = re.escape(settings.TRUSTDESK_MESSAGE_ID_DOMAIN)
    found = re.search(rf"<([0-9a-f]{{16,64}})@{domain}>", message_id or "", re.I)
    return found.group(1).lower() if found else None


@dataclass
class Bounce:
    key: str
    status: str  # e.g. 5.1.1
    diagnostic: str
    permanent: bool


def bounce_read(raw: bytes) -> Bounce | None:
    """The bounce a DSN reports for one of our messages, or None (not a DSN, not ours, or a
    delay notice, which is not a failure)."""
    message = email.message_from_bytes(raw, policy=policy.compat32)
    if message.get_content_type() != "multipart/report":
        return None
    key, status, diagnostic, action = None, "", "", ""
    for part in message.walk():
        kind = part.get_content_type()
        if kind == "message/delivery-status":
            for block in part.get_payload():
                action = block.get("Action", action) or action
                status = block.get("Status", status) or status
                diagnostic = block.get("Diagnostic-Code", diagnostic) or diagnostic
        elif kind in ("message/rfc822", "text/rfc822-headers"):
            payload = part.get_payload()
            if isinstance(payload, list):
                headers = payload[0] if payload else None
                key = key or _our_key(headers.get("Message-ID", "") if headers else "")
            else:
                key = key or _our_key(str(payload))
    if key is None or action.strip().lower() not in ("failed", ""):
        return None
    status = status.strip()
    return Bounce(
        key=key,
        status=status,
        diagnostic=" ".join(diagnostic.split())[:1500],
        permanent=status.startswith("5") or not status,
    )


def bounces_record(raws) -> dict[str, int]:
    """Record each DSN of `raws` (bytes) against its delivery: bounced, with the status and
    diagnostic. Idempotent: a delivery already bounced is left as it is."""
    counts = {"bounced": 0, "not_ours": 0, "already": 0, "unknown": 0}
    for raw in raws:
        bounce = bounce_read(raw)
        if bounce is None:
            counts["not_ours"] += 1
            continue
        with transaction.atomic():
            delivery = Delivery.objects.select_for_update().filter(key=bounce.key).first()
            if delivery is None:
                counts["unknown"] += 1
                continue
            if delivery.state == Delivery.State.BOUNCED:
                counts["already"] += 1
                continue
            delivery.state = Delivery.State.BOUNCED
            delivery.last_error = f"Bounced ({bounce.status or 'no status'}): {bounce.diagnostic}"
            delivery.save(update_fields=["state", "last_error"])
            counts["bounced"] += 1
    return counts


def mailbox_messages(path) -> list[bytes]:
    """The messages of an mbox file, or of a Maildir directory, as bytes."""
    from pathlib import Path

    path = Path(path)
    box = mailbox.Maildir(path, create=False) if path.is_dir() else mailbox.mbox(path)
    # iterkeys: iterating a mailbox itself gives its messages, parsed, not their keys.
    return [box.get_bytes(key) for key in box.iterkeys()]
