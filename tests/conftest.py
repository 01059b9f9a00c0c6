"""Shared test set-up.

Tests marked `postgres` or `redis` need the real servers. They run when DATABASE_URL and
CELERY_BROKER_URL point at them and are skipped, with the reason shown, when they do not;
with TRUSTDESK_REQUIRE_SERVICES=1 (as .ci/run sets) a missing server fails them instead, so
CI can never pass by skipping them.
"""

import os

import pytest
from django.conf import settings

REQUIRE_SERVICES = os.environ.get("TRUSTDESK_REQUIRE_SERVICES") == "1"


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
