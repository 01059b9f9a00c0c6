"""Settings are read once per process, so each configuration is tried in a fresh one."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
STRONG_KEY = "k" * 20 + "-production-secret-" + "x" * 30
PRODUCTION = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": STRONG_KEY,
    "DEBUG": "off",
    "ALLOWED_HOSTS": "trustdesk.bank.example",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/trustdesk_unused",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
}


def manage(*args, env):
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION and k != "EMAIL_URL"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_configuration_passes_the_deploy_checklist():
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize(
    ("override", "complaint"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY must be set"),
        ({"SECRET_KEY": "short"}, "SECRET_KEY must be set"),
        ({"DEBUG": "on"}, "DEBUG must be off"),
        ({"ALLOWED_HOSTS": ""}, "ALLOWED_HOSTS"),
        ({"DATABASE_URL": "sqlite:////tmp/x.sqlite3"}, "PostgreSQL"),
        ({"CELERY_BROKER_URL": "filesystem://"}, "Redis"),
    ],
)
def test_production_refuses_to_start_configured_like_a_demo(override, complaint):
    result = manage("check", env={**PRODUCTION, **override})
    assert result.returncode != 0
    assert "DJANGO_ENV=production refuses to start" in result.stderr
    assert complaint in result.stderr


def test_production_without_secret_key_names_it_even_when_unset():
    env = {k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"}
    result = manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_embedded_defaults_need_no_server(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE']); print(s.CELERY_BROKER_URL); "
        "print(s.EMAIL_BACKEND); print(s.EMAIL_FILE_PATH); print(s.TIME_ZONE, s.USE_TZ); "
        "print(s.CELERY_BROKER_TRANSPORT_OPTIONS['data_folder_in'])"
    )
    result = manage("shell", "-v", "0", "-c", code, env={"TRUSTDESK_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    engine, broker, backend, mail_dir, tz, folder = result.stdout.strip().splitlines()
    assert engine == "django.db.backends.sqlite3"
    assert broker == "filesystem://"
    assert backend == "django.core.mail.backends.filebased.EmailBackend"
    assert mail_dir == str(tmp_path / "mail")
    assert tz == "America/New_York True"
    assert folder.startswith(str(tmp_path))
    assert (tmp_path / "trustdesk.sqlite3").exists() or (tmp_path / "broker").is_dir()


def test_email_url_configures_smtp(tmp_path):
    code = (
        "from django.conf import settings as s; print(s.EMAIL_BACKEND, s.EMAIL_HOST, s.EMAIL_PORT)"
    )
    result = manage(
        "shell",
        "-v",
        "0",
        "-c",
        code,
        env={
            "TRUSTDESK_VAR_DIR": str(tmp_path),
            "EMAIL_URL": "smtp://mailer:pw@mail.bank.example:587",
        },
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.core.mail.backends.smtp.EmailBackend",
        "mail.bank.example",
        "587",
    ]
