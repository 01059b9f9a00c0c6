"""Thin Celery tasks of the holders app (routed to the imports queue by name)."""

from celery import shared_task

from holders import imports


@shared_task(
    ignore_result=True,
    acks_late=True,
    autoretry_for=(imports.ConnectionLost,),
    retry_backoff=10,
    retry_backoff_max=300,
    max_retries=6,
)
def import_holder_list(list_id):
    # A refused list is an answer, not a fault: no retry. A lost database connection is a
    # fault: the list is back to pending with the reason and the task tries again. A worker
    # lost mid-import is redelivered (acks_late + reject_on_worker_lost) and starts cleanly.
    imports.import_holder_list(list_id)
