"""A task sent through Redis to a real Celery worker process, its effect read in PostgreSQL."""

import time

import pytest
from django.conf import settings
from django.db import connection

from trustee.models import Heartbeat
from trustee.tasks import heartbeat


def _wait_for(predicate, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_consumes_each_queue_over_redis_and_writes_to_postgres(worker):
    assert connection.vendor == "postgresql"
    for queue in ("default", "mail", "imports"):
        heartbeat.apply_async(kwargs={"queue": queue}, queue=queue)
    arrived = _wait_for(lambda: Heartbeat.objects.count() == 3)
    if not arrived:
        worker.terminate()
        output = worker.communicate(timeout=20)[0]
        pytest.fail(f"the worker did not run the tasks; its output:\n{output[-4000:]}")
    beats = {beat.queue: beat for beat in Heartbeat.objects.all()}
    assert set(beats) == {"default", "mail", "imports"}
    assert all(beat.worker.startswith("pytest@") for beat in beats.values())

    heartbeat.apply_async(kwargs={"queue": "mail"}, queue="mail")
    assert _wait_for(lambda: Heartbeat.objects.get(queue="mail").count == 2)


@pytest.mark.redis
def test_each_queue_is_a_separate_list_in_redis():
    import redis

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    client.delete("mail", "imports", "default")
    heartbeat.apply_async(kwargs={"queue": "imports"}, queue="imports")
    heartbeat.apply_async(kwargs={"queue": "mail"}, queue="mail")
    heartbeat.apply_async(kwargs={"queue": "mail"}, queue="mail")
    try:
        assert (client.llen("default"), client.llen("mail"), client.llen("imports")) == (0, 2, 1)
    finally:
        client.delete("mail", "imports", "default")
