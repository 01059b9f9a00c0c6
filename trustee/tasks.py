"""Thin Celery tasks of the trustee app: take ids, call a service, own the retry policy."""

from celery import shared_task

from trustee import ops


@shared_task(bind=True, ignore_result=True)
def heartbeat(self, queue):
    ops.record_heartbeat(queue=queue, worker=self.request.hostname or "unknown")
