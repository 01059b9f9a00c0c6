"""What production demands of the configuration, kept apart so it can be read in one place."""

from django.core.exceptions import ImproperlyConfigured


def refuse_unsafe(*, secret_key, debug, allowed_hosts, database_engine, broker_url):
    """Refuse to start a production process that is configured like a demo."""
    problems = []
    if not secret_key or len(secret_key) < 50:
        problems.append("SECRET_KEY must be set to a random value of at least 50 characters")
    if debug:
        problems.append("DEBUG must be off")
    if not allowed_hosts:
        problems.append("ALLOWED_HOSTS must name the hosts this deployment answers to")
    if database_engine != "django.db.backends.postgresql":
        problems.append("DATABASE_URL must point at PostgreSQL (postgres://...)")
    if not broker_url.startswith(("redis://", "rediss://")):
        problems.append("CELERY_BROKER_URL must point at Redis (redis:// or rediss://)")
    if problems:
        raise ImproperlyConfigured(
            "DJANGO_ENV=production refuses to start: " + "; ".join(problems) + "."
        )


def hardened(env):
    """Transport and cookie settings that `manage.py check --deploy` expects behind TLS."""
    return {
        "SECURE_PROXY_SSL_HEADER": ("HTTP_X_FORWARDED_PROTO", "https"),
        "SECURE_SSL_REDIRECT": env.bool("SECURE_SSL_REDIRECT", default=True),
        "SECURE_HSTS_SECONDS": env.int("SECURE_HSTS_SECONDS", default=31536000),
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
        "SECURE_HSTS_PRELOAD": env.bool("SECURE_HSTS_PRELOAD", default=True),
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": "same-origin",
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_AGE": env.int("SESSION_COOKIE_AGE", default=8 * 3600),
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "X_FRAME_OPTIONS": "DENY",
    }
