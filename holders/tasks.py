"""Thin Celery tasks of the holders app (routed to the imports queue by name)."""

from celery import shared_task

from holders import imports


@shared_task(ignore_result=True, acks_late=True)
def import_holder_list(list_id):
    # No automatic retry: a refused list is an answer, not a fault. A worker lost mid-import
    # is redelivered (acks_late + reject_on_worker_lost) and the import starts again cleanly.
    imports.import_holder_list(list_id)
