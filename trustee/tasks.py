"""Thin Celery tasks of the trustee app: take ids, call a service, own the retry policy."""

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from trustee import digests, obligations, ops
from trustee.calendar import local_today


@shared_task(bind=True, ignore_result=True)
def heartbeat(self, queue):
    ops.record_heartbeat(queue=queue, worker=self.request.hostname or "unknown")


@shared_task(ignore_result=True, autoretry_for=(Exception,), retry_backoff=60, max_retries=5)
def daily_sweep():
    """Keep the obligations current to the horizon, move their statuses, then send digests."""
    today = local_today(settings.TIME_ZONE, timezone.now())
    obligations.materialize(today=today)
    obligations.advance_statuses()
    send_digests.delay()


@shared_task(ignore_result=True, autoretry_for=(Exception,), retry_backoff=60, max_retries=5)
def send_digests():
    digests.send_daily_digests(today=local_today(settings.TIME_ZONE, timezone.now()))


@shared_task(ignore_result=True, autoretry_for=(Exception,), retry_backoff=60, max_retries=5)
def workflows_sweep():
    """Open requests and reports that are due, mark what is late, escalate, move defaults."""
    from trustee.escalations import escalations_unsent
    from trustee.workflows import workflows_sweep as sweep

    done = sweep(today=local_today(settings.TIME_ZONE, timezone.now()))
    for step_id in escalations_unsent():
        send_escalation.delay(step_id)
    return done


@shared_task(ignore_result=True, autoretry_for=(Exception,), retry_backoff=60, max_retries=8)
def send_escalation(step_id):
    from trustee.escalations import escalation_send

    escalation_send(step_id=step_id)
