"""What production demands of the configuration, kept apart so it can be read in one place.

With these settings ``python manage.py check --deploy --fail-level WARNING`` reports nothing
(tests/config/test_deploy.py). Where an operator turns a protection off on purpose
(``SECURE_SSL_REDIRECT=off`` because the proxy redirects, ``SECURE_HSTS_PRELOAD=off``,
``SECURE_HSTS_INCLUDE_SUBDOMAINS=off``), the one deploy check that exists only to ask about that
choice is silenced, so that the check stays quiet and any other warning still stands out.
"""

from django.core.exceptions import ImproperlyConfigured

# The key settings.py falls back to outside production: never acceptable in production.
DEVELOPMENT_KEY = "dev-only-insecure-key-change-me"
MIN_SECRET_KEY_LENGTH = 50
MIN_SECRET_KEY_UNIQUE_CHARACTERS = 5
ONE_YEAR = 365 * 24 * 3600


def _weak_key(key):
    return (
        not key
        or len(key) < MIN_SECRET_KEY_LENGTH
        or len(set(key)) < MIN_SECRET_KEY_UNIQUE_CHARACTERS
        or key.startswith("django-insecure")
        or key == DEVELOPMENT_KEY
    )


def refuse_unsafe(*, secret_key, debug, allowed_hosts, database_engine, broker_url):
    """Refuse to start a production process that is configured like a demo."""
    problems = []
    if _weak_key(secret_key):
        problems.append(
            f"SECRET_KEY must be set to a random value of at least {MIN_SECRET_KEY_LENGTH} "
            "characters (e.g. python -c 'import secrets; print(secrets.token_urlsafe(64))')"
        )
    if debug:
        problems.append("DEBUG must be off")
    if not allowed_hosts:
        problems.append("ALLOWED_HOSTS must name the hosts this deployment answers to")
    elif "*" in allowed_hosts:
        problems.append("ALLOWED_HOSTS must name the hosts this deployment answers to, not '*'")
    if database_engine != "django.db.backends.postgresql":
        problems.append("DATABASE_URL must point at PostgreSQL (postgres://...)")
    if not broker_url.startswith(("redis://", "rediss://")):
        problems.append("CELERY_BROKER_URL must point at Redis (redis:// or rediss://)")
    if problems:
        raise ImproperlyConfigured(
            "DJANGO_ENV=production refuses to start: " + "; ".join(problems) + "."
        )


def proxy_ssl_header(header):
    """``X-Forwarded-Proto`` (as the proxy names it) -> the setting Django expects, or None."""
    header = header.strip()
    if not header:
        return None
    meta_key = header.upper().replace("-", "_")
    if not meta_key.startswith("HTTP_"):
        meta_key = "HTTP_" + meta_key
    return (meta_key, "https")


def hardened(env):
    """Transport and cookie settings that `manage.py check --deploy` expects behind TLS.

    TLS is expected to end at a proxy or load balancer that sets ``X-Forwarded-Proto``
    (``SECURE_PROXY_SSL_HEADER`` names another header, or is set empty when nothing in front
    of the application sets one: then a client could claim https by sending it).
    """
    ssl_redirect = env.bool("SECURE_SSL_REDIRECT", default=True)
    hsts_subdomains = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
    hsts_preload = env.bool("SECURE_HSTS_PRELOAD", default=True)
    silenced = []
    if not ssl_redirect:
        # The operator says the proxy redirects http to https (W008 asks exactly that).
        silenced.append("security.W008")
    if not hsts_subdomains:
        silenced.append("security.W005")
    if not hsts_preload:
        silenced.append("security.W021")
    return {
        "SECURE_PROXY_SSL_HEADER": proxy_ssl_header(
            env.str("SECURE_PROXY_SSL_HEADER", default="X-Forwarded-Proto")
        ),
        "SECURE_SSL_REDIRECT": ssl_redirect,
        # A load balancer probes the health check over plain http: answer it, do not redirect.
        "SECURE_REDIRECT_EXEMPT": [r"^healthz$"],
        "SECURE_HSTS_SECONDS": env.int("SECURE_HSTS_SECONDS", default=ONE_YEAR),
        "SECURE_HSTS_INCLUDE_SUBDOMAINS": hsts_subdomains,
        "SECURE_HSTS_PRELOAD": hsts_preload,
        "SECURE_CONTENT_TYPE_NOSNIFF": True,
        "SECURE_REFERRER_POLICY": env.str("SECURE_REFERRER_POLICY", default="same-origin"),
        "SECURE_CROSS_ORIGIN_OPENER_POLICY": "same-origin",
        "SESSION_COOKIE_SECURE": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_AGE": env.int("SESSION_COOKIE_AGE", default=8 * 3600),
        "CSRF_COOKIE_SECURE": True,
        "CSRF_COOKIE_HTTPONLY": True,
        "X_FRAME_OPTIONS": "DENY",
        # Older keys still accepted while signed values (sessions, password resets) age out.
        "SECRET_KEY_FALLBACKS": env.list("SECRET_KEY_FALLBACKS", default=[]),
        "SILENCED_SYSTEM_CHECKS": silenced,
    }
