"""Shared test set-up.

Tests marked `postgres` or `redis` need the real servers. They run when DATABASE_URL and
CELERY_BROKER_URL point at them and are skipped, with the reason shown, when they do not;
with TRUSTDESK_REQUIRE_SERVICES=1 (as .ci/run sets) a missing server fails them instead, so
CI can never pass by skipping them.
"""

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings

from tests.factories import make_agreement, make_security, make_terms, with_guarantor

ROOT = Path(__file__).resolve().parents[1]
REQUIRE_SERVICES = os.environ.get("TRUSTDESK_REQUIRE_SERVICES") == "1"


def _a_redis_database_per_test_process():
    """`make test` runs the tests in two processes (pytest-xdist: gw0, gw1). Each gets a Redis
    database of its own (CELERY_BROKER_URL's for gw0, the next for gw1, and so on), so that a
    Celery worker one process's test starts never takes the tasks of another's. PostgreSQL
    needs nothing: pytest-django gives each process its own test database."""
    process = os.environ.get("PYTEST_XDIST_WORKER", "")
    url = settings.CELERY_BROKER_URL
    if not process.startswith("gw") or not url.startswith(("redis://", "rediss://")):
        return
    parts = urlsplit(url)
    database = int(parts.path.strip("/") or 0) + int(process.removeprefix("gw"))
    url = urlunsplit(parts._replace(path=f"/{database}"))
    # The environment for the workers and beats the tests start, the settings for this process.
    os.environ["CELERY_BROKER_URL"] = settings.CELERY_BROKER_URL = url
    from config.celery import app

    app.conf.broker_url = url


_a_redis_database_per_test_process()


def _postgres_missing():
    engine = settings.DATABASES["default"]["ENGINE"]
    if engine != "django.db.backends.postgresql":
        return "needs PostgreSQL: set DATABASE_URL=postgres://..."
    return None


def _redis_missing():
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://")):
        return "needs Redis: set CELERY_BROKER_URL=redis://..."
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        return f"needs Redis, which does not answer at {url}: {error}"
    return None


def pytest_runtest_setup(item):
    for marker, missing in (("postgres", _postgres_missing), ("redis", _redis_missing)):
        if item.get_closest_marker(marker) and (reason := missing()):
            if REQUIRE_SERVICES:
                pytest.fail(f"TRUSTDESK_REQUIRE_SERVICES=1 but this test {reason}")
            pytest.skip(reason)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


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


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Uploaded files go to the test's own folder, never var/."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def security():
    """A guarantee with Hartford-like terms, a Guarantor and 5,000 of securities in units of 100."""
    agreement = make_agreement()
    make_terms(agreement)  # as-of window 15 days
    with_guarantor(agreement)
    return make_security(
        agreement,
        unit_amount=Decimal(100),
        aggregate_amount=Decimal(5000),
        amount_outstanding=Decimal(5000),
    )


@pytest.fixture
def admin_user(db, django_user_model):
    """pytest-django's admin, made a trust officer (a Responsible Officer): the workflow
    functions refuse trust work to anyone else, superusers included."""
    from tests.factories import make_officer

    officer = make_officer("admin", superuser=True)
    return officer.user


@pytest.fixture(autouse=True)
def _role_groups(request):
    """The role groups a migration made: a transactional test empties every table when it
    ends, groups included, so a later test would find none. Put back when missing."""
    names = request.fixturenames
    marker = request.node.get_closest_marker("django_db")
    if not (marker or {"db", "transactional_db", "admin_user", "admin_client"} & set(names)):
        return
    transactional = "transactional_db" in names or bool(marker and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    from trustee.roles import groups_ensure

    groups_ensure()
