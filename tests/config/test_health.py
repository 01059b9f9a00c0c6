"""/healthz: what a load balancer asks before it sends a process requests."""

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from config.health import describe

pytestmark = pytest.mark.django_db

CLOSED_PORT_BROKER = "redis://:broker-s3cret@127.0.0.1:1/0"


def test_healthy_on_the_test_database_and_broker(client):
    response = client.get("/healthz")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"database": "ok", "broker": "ok", "migrations": "ok"}


def test_never_cached_and_no_session_cookie_or_login_record(client, settings):
    sessions, attempts = Session.objects.count(), AccessAttempt.objects.count()
    logs = AccessLog.objects.count()
    response = client.get("/healthz")
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    assert settings.SESSION_COOKIE_NAME not in client.cookies
    assert Session.objects.count() == sessions
    assert (AccessAttempt.objects.count(), AccessLog.objects.count()) == (attempts, logs)


def test_no_login_needed_but_only_get_and_head(client):
    assert client.head("/healthz").status_code == 200
    assert client.post("/healthz").status_code == 405
    assert client.put("/healthz").status_code == 405


def test_unreachable_broker_is_503_naming_it_without_the_password(client, settings):
    settings.CELERY_BROKER_URL = CLOSED_PORT_BROKER
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["migrations"] == "ok"
    assert body["broker"] != "ok"
    assert "127.0.0.1:1" in body["broker"]
    assert "broker-s3cret" not in response.content.decode()
    assert "Traceback" not in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_an_unapplied_migration_is_503_naming_it(client):
    # axes' last migration (a real one on disk) recorded as not applied, as on a server where
    # new code came up before `migrate` ran. Taking the migration back for real and forward
    # again would cost a minute of schema work and test nothing more: the check reads what
    # the database records as applied.
    recorder = MigrationRecorder(connection)
    leaf = recorder.migration_qs.filter(app="axes").order_by("-name").first()
    recorder.record_unapplied("axes", leaf.name)
    try:
        response = client.get("/healthz")
    finally:
        recorder.record_applied("axes", leaf.name)
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] == "ok"
    assert body["migrations"].startswith("RuntimeError: ")
    assert " unapplied: axes." + leaf.name in body["migrations"]

    assert client.get("/healthz").json() == {"database": "ok", "broker": "ok", "migrations": "ok"}


def test_errors_are_described_without_credentials(settings):
    settings.CELERY_BROKER_URL = "redis://:broker-s3cret@cache.internal:6379/0"
    error = ConnectionError(
        "could not reach redis://:broker-s3cret@cache.internal:6379/0\n"
        "nor amqp://svc:other-pw@mq.internal//; password broker-s3cret refused"
    )
    text = describe(error)
    assert text.startswith("ConnectionError: could not reach redis://***@cache.internal:6379/0")
    assert "amqp://***@mq.internal//" in text
    assert "broker-s3cret" not in text
    assert "other-pw" not in text
    assert "\n" not in text
