"""A task sent through Redis to a real Celery worker process, its effect read in PostgreSQL."""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from trustee.models import Heartbeat
from trustee.tasks import heartbeat

ROOT = Path(__file__).resolve().parents[2]


def _database_url():
    db = settings.DATABASES["default"]
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    host, port = db.get("HOST") or "127.0.0.1", db.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{db['NAME']}"


@pytest.fixture
def worker():
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            "default,mail,imports",
            "--pool",
            "solo",
            "-l",
            "info",
            "--without-gossip",
            "--without-mingle",
            "-n",
            "pytest@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield process
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


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
