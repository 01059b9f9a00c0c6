"""Production settings against Django's deploy checklist, and the configurable admin URL.

Settings are read once per process, so each production configuration runs in a fresh one. The
database and broker URLs need not answer: `check` does not connect to them.
"""

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import clear_url_caches, reverse, set_urlconf

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "Zq7-deploy-test-" + "a1B2c3D4e5F6g7H8i9J0" * 3,
    "ALLOWED_HOSTS": "trustdesk.bank.example",
    "CSRF_TRUSTED_ORIGINS": "https://trustdesk.bank.example",
    "DATABASE_URL": "postgres://trustdesk:db-pw@127.0.0.1:5432/trustdesk_deploy_check",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
}
# Everything the settings read that could leak in from the environment running the tests.
CLEARED = (
    "DEBUG",
    "EMAIL_URL",
    "SECRET_KEY_FALLBACKS",
    "TRUSTDESK_ADMIN_URL",
    *(name for name in os.environ if name.startswith(("SECURE_", "SESSION_", "CSRF_"))),
)

CHECK_DEPLOY = """
import django
django.setup()
from django.core.management import call_command
call_command("check", "--deploy", "--fail-level", "WARNING")
"""

SETTINGS = """
import json, django
django.setup()
from django.conf import settings as s
print(json.dumps({name: getattr(s, name) for name in %r}))
"""

REQUESTS = """
import json, django
django.setup()
from django.test import Client
client = Client(HTTP_HOST="trustdesk.bank.example")
plain = client.get("/")
health = client.get("/healthz")
secure = client.get("/", HTTP_X_FORWARDED_PROTO="https")
login = client.get("/admin/login/", HTTP_X_FORWARDED_PROTO="https")
print(json.dumps({
    "plain": [plain.status_code, plain.get("Location")],
    "health": health.status_code,
    "secure": [secure.status_code, dict(secure.headers)],
    "csrf_cookie": {k: str(v) for k, v in login.cookies["csrftoken"].items() if v},
}))
"""


def run(code, **overrides):
    env = {k: v for k, v in os.environ.items() if k not in CLEARED and k not in PRODUCTION}
    env.update({"DJANGO_SETTINGS_MODULE": "config.settings", **PRODUCTION, **overrides})
    env = {k: v for k, v in env.items() if v is not None}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_settings(*names, **overrides):
    result = run(SETTINGS % (names,), **overrides)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize(
    ("overrides", "silenced"),
    [
        pytest.param({}, 0, id="defaults"),
        pytest.param({"SECURE_HSTS_SECONDS": "300"}, 0, id="hsts-ramp-up"),
        # An operator's deliberate choice silences the one check that asks about it, visibly.
        pytest.param(
            {"SECURE_SSL_REDIRECT": "off", "SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto"},
            1,
            id="the-load-balancer-redirects",
        ),
        pytest.param(
            {"SECURE_HSTS_PRELOAD": "off", "SECURE_HSTS_INCLUDE_SUBDOMAINS": "off"},
            2,
            id="no-preload-no-subdomains",
        ),
    ],
)
def test_production_passes_check_deploy_without_a_warning(overrides, silenced):
    result = run(CHECK_DEPLOY, **overrides)
    assert result.returncode == 0, result.stderr
    expected = f"System check identified no issues ({silenced} silenced)."
    assert result.stdout.strip() == expected, result.stdout + result.stderr


def test_check_deploy_still_warns_when_hsts_is_turned_off():
    result = run(CHECK_DEPLOY, SECURE_HSTS_SECONDS="0")
    assert result.returncode != 0
    assert "security.W004" in result.stderr


def test_production_settings_are_hardened():
    values = production_settings(
        "DEBUG",
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_INCLUDE_SUBDOMAINS",
        "SECURE_HSTS_PRELOAD",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "X_FRAME_OPTIONS",
        "SECURE_REFERRER_POLICY",
        "CSRF_TRUSTED_ORIGINS",
        "SILENCED_SYSTEM_CHECKS",
    )
    assert values == {
        "DEBUG": False,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_PROTO", "https"],
        "SECURE_HSTS_SECONDS": 31536000,
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": True,
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "X_FRAME_OPTIONS": "DENY",
        "SECURE_REFERRER_POLICY": "same-origin",
        "CSRF_TRUSTED_ORIGINS": ["https://trustdesk.bank.example"],
        "SILENCED_SYSTEM_CHECKS": [],
    }


def test_transport_settings_follow_the_environment():
    values = production_settings(
        "SECURE_SSL_REDIRECT",
        "SECURE_PROXY_SSL_HEADER",
        "SECURE_HSTS_SECONDS",
        "SECURE_HSTS_PRELOAD",
        SECURE_SSL_REDIRECT="off",
        SECURE_PROXY_SSL_HEADER="X-Forwarded-Scheme",
        SECURE_HSTS_SECONDS="86400",
        SECURE_HSTS_PRELOAD="off",
    )
    assert values == {
        "SECURE_SSL_REDIRECT": False,
        "SECURE_PROXY_SSL_HEADER": ["HTTP_X_FORWARDED_SCHEME", "https"],
        "SECURE_HSTS_SECONDS": 86400,
        "SECURE_HSTS_PRELOAD": False,
    }
    no_proxy = production_settings("SECURE_PROXY_SSL_HEADER", SECURE_PROXY_SSL_HEADER="")
    assert no_proxy == {"SECURE_PROXY_SSL_HEADER": None}


def test_responses_carry_the_security_headers_and_plain_http_is_redirected():
    result = run(REQUESTS)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["plain"] == [301, "https://trustdesk.bank.example/"]
    # The load balancer's plain-http probe is answered, not redirected (503 here: the
    # database of this test does not exist).
    assert seen["health"] in (200, 503)
    status, headers = seen["secure"]
    assert status == 302
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert seen["csrf_cookie"]["secure"] is not None
    assert seen["csrf_cookie"]["httponly"] is not None


@pytest.mark.parametrize(
    ("overrides", "complaint"),
    [
        ({"SECRET_KEY": None}, "SECRET_KEY must be set to a random value of at least 50"),
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set to a random value of at least 50"),
        ({"SECRET_KEY": "too-short-a-key"}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "ab" * 40}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "django-insecure-" + "x1y2z3w4" * 8}, "SECRET_KEY must be set"),
        ({"ALLOWED_HOSTS": None}, "ALLOWED_HOSTS must name the hosts"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS must name the hosts"),
        ({"ALLOWED_HOSTS": "*"}, "not '*'"),
        ({"DEBUG": "on"}, "DEBUG must be off"),
        ({"DATABASE_URL": None}, "DATABASE_URL must point at PostgreSQL"),
        ({"CELERY_BROKER_URL": None}, "CELERY_BROKER_URL must point at Redis"),
    ],
)
def test_production_refuses_to_start_without_a_real_configuration(overrides, complaint):
    result = run(CHECK_DEPLOY, **overrides)
    assert result.returncode != 0
    last_line = result.stderr.strip().splitlines()[-1]
    assert last_line.startswith(
        "django.core.exceptions.ImproperlyConfigured: DJANGO_ENV=production refuses to start: "
    )
    assert complaint in last_line


def test_every_problem_is_named_at_once():
    result = run(CHECK_DEPLOY, SECRET_KEY=None, ALLOWED_HOSTS=None)
    last_line = result.stderr.strip().splitlines()[-1]
    assert "SECRET_KEY must be set" in last_line
    assert "ALLOWED_HOSTS must name the hosts" in last_line


@pytest.fixture
def admin_at():
    """Reload the URLconf under a TRUSTDESK_ADMIN_URL; restore the real one afterwards."""
    import config.urls

    overrides = []

    def reload(value):
        override = override_settings(TRUSTDESK_ADMIN_URL=value)
        override.enable()
        overrides.append(override)
        importlib.reload(config.urls)
        clear_url_caches()
        set_urlconf(None)

    yield reload
    for override in reversed(overrides):
        override.disable()
    importlib.reload(config.urls)
    clear_url_caches()
    set_urlconf(None)


@pytest.mark.django_db
@pytest.mark.parametrize("value", ["back-office-7f3a/", "/back-office-7f3a", "back-office-7f3a"])
def test_the_admin_answers_at_the_configured_url(admin_at, client, value):
    admin_at(value)
    assert reverse("admin:index") == "/back-office-7f3a/"
    assert reverse("admin:login") == "/back-office-7f3a/login/"
    assert client.get("/back-office-7f3a/login/").status_code == 200
    assert client.get("/admin/login/").status_code == 404
    home = client.get("/")
    assert (home.status_code, home["Location"]) == (302, "/back-office-7f3a/")


@pytest.mark.django_db
def test_the_admin_is_at_admin_by_default(client):
    assert reverse("admin:index") == "/admin/"
    assert client.get("/admin/login/").status_code == 200
    assert client.get("/")["Location"] == "/admin/"
