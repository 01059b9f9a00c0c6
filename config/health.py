"""``/healthz``: may a load balancer send this process requests?

Three checks, each reported by name: the database answers ``SELECT 1``, the Celery broker
accepts a connection (within about 2 seconds), and no migration on disk is unapplied (a process
started before ``migrate`` ran would serve code the schema does not match). 200 with every
check "ok", else 503 with the failing check's error: an exception's class and message, with
any credentials in it removed and never a stack trace. No login, no session, no cookie, never
cached.
"""

import logging
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

log = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 2
# Unapplied migrations named in the error, at most.
NAMED_MIGRATIONS = 5

# scheme://user:password@host -> scheme://***@host
_URL_CREDENTIALS = re.compile(r"(?P<scheme>[a-z][a-z0-9+.-]*://)[^/\s@]*@", re.IGNORECASE)


def _secrets():
    """Passwords that must never appear in a response, however an error message quotes them."""
    found = []
    database = settings.DATABASES[DEFAULT_DB_ALIAS]
    found.append(database.get("PASSWORD") or "")
    found.append(urlsplit(settings.CELERY_BROKER_URL).password or "")
    return [secret for secret in found if len(secret) >= 3]


def describe(error):
    """An exception as ``Class: message``, without credentials."""
    message = " ".join(str(error).split()) or "no message"
    message = _URL_CREDENTIALS.sub(r"\g<scheme>***@", message)
    for secret in _secrets():
        message = message.replace(secret, "***")
    return f"{type(error).__name__}: {message[:300]}"


def check_database():
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def check_broker():
    # The URL and options are read from settings now, not from the app's cached configuration:
    # the same values in a running deployment, and a test can point them elsewhere.
    from config.celery import app

    options = {
        **settings.CELERY_BROKER_TRANSPORT_OPTIONS,
        # Redis: fail fast on an address that does not answer, instead of the OS's minutes.
        "socket_connect_timeout": BROKER_TIMEOUT_SECONDS,
        "socket_timeout": BROKER_TIMEOUT_SECONDS,
    }
    connection = app.connection_for_write(
        settings.CELERY_BROKER_URL,
        transport_options=options,
        connect_timeout=BROKER_TIMEOUT_SECONDS,
    )
    try:
        connection.ensure_connection(max_retries=0, timeout=BROKER_TIMEOUT_SECONDS)
    finally:
        connection.release()


def check_migrations():
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        names = [f"{migration.app_label}.{migration.name}" for migration, _ in plan]
        shown = ", ".join(names[:NAMED_MIGRATIONS])
        more = f" and {len(names) - NAMED_MIGRATIONS} more" if len(names) > NAMED_MIGRATIONS else ""
        raise RuntimeError(f"{len(names)} unapplied: {shown}{more}")


CHECKS = {
    "database": check_database,
    "broker": check_broker,
    "migrations": check_migrations,
}


@never_cache
@require_safe
def healthz(request):
    results = {}
    for name, check in CHECKS.items():
        try:
            check()
        except Exception as error:
            results[name] = describe(error)
            log.warning("health check %s failed: %s", name, results[name])
        else:
            results[name] = "ok"
    healthy = all(result == "ok" for result in results.values())
    return JsonResponse(results, status=200 if healthy else 503)
