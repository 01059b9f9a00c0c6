"""Settings, all read from the environment (django-environ).

With nothing configured Trustdesk runs on embedded defaults so that a first try needs no server:
a SQLite file and Celery's filesystem transport under ``var/``, e-mail written to ``var/mail/``.
``DJANGO_ENV=production`` turns those conveniences off and refuses to start unless the
deployment is configured like one (see ``config/production.py``).
"""

from pathlib import Path

import environ

from config import production
from config.queues import CELERY_QUEUES, CELERY_TASK_ROUTES, DEFAULT_QUEUE

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

DJANGO_ENV = env.str("DJANGO_ENV", default="development")
PRODUCTION = DJANGO_ENV == "production"

# Where the embedded defaults keep their files (database, broker, mail, uploads).
VAR_DIR = Path(env.str("TRUSTDESK_VAR_DIR", default=str(BASE_DIR / "var")))

DEBUG = env.bool("DEBUG", default=not PRODUCTION)
# The development key is only ever used when DJANGO_ENV is not production (enforced below).
SECRET_KEY = env.str("SECRET_KEY", default="" if PRODUCTION else "dev-only-insecure-key-change-me")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=[] if PRODUCTION else ["localhost", "127.0.0.1"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_celery_beat",
    "axes",
    "pgtrigger",
    "pghistory",
    "pghistory.admin",
    "trustee",
    "holders",
    "notices",
]

PGHISTORY_MIDDLEWARE = "pghistory.middleware.HistoryMiddleware"
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as django-axes requires: counts failed logins and locks the account out.
    "axes.middleware.AxesMiddleware",
]

# The audit trail (django-pghistory): database triggers write an event for every insert,
# update and delete of the tracked models, bulk updates and raw SQL included; the event
# tables refuse updates and deletes (append only), so the history cannot be rewritten
# through the application. PostgreSQL only: the SQLite demo keeps no trail.
PGHISTORY_APPEND_ONLY = True
# Context (user, URL) only for requests that can change something: a GET (and /healthz)
# neither reads the session for it nor wraps its queries.
PGHISTORY_MIDDLEWARE_METHODS = ("POST", "PUT", "PATCH", "DELETE")
PGHISTORY_DEFAULT_TRACKERS = None

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Argon2 for new passwords; the others only to verify (and then upgrade) older hashes.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2SHA1PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
# Login throttling: an account (per username and address) is locked after this many failed
# logins, for this long.
AXES_FAILURE_LIMIT = env.int("TRUSTDESK_LOGIN_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("TRUSTDESK_LOGIN_COOLOFF_HOURS", default=1.0)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'trustdesk.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # Web server, worker and beat share the file in the demo: WAL and IMMEDIATE transactions let
    # them take turns instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 30,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"].setdefault("CONN_HEALTH_CHECKS", True)
    # A second connection to the same database, committing on its own, so that a long
    # import can report its progress while its own transaction is still open.
    DATABASES["progress"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
    # Attaches the logged-in user and the URL to every history event a request causes; the
    # trail's triggers are PostgreSQL's, and so is the session variable this sets.
    MIDDLEWARE.insert(MIDDLEWARE.index("axes.middleware.AxesMiddleware"), PGHISTORY_MIDDLEWARE)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env.str("TIME_ZONE", default="America/New_York")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(VAR_DIR / "static")))
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(VAR_DIR / "media")))
MEDIA_URL = "media/"

# E-mail: EMAIL_URL (smtp://user:pass@host:587/?tls=True) in production; files under var/mail/
# otherwise so that a demo never mails anyone.
if "EMAIL_URL" in env:
    vars().update(env.email_url("EMAIL_URL"))
else:
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(VAR_DIR / "mail")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="trustdesk@localhost")
SERVER_EMAIL = env.str("SERVER_EMAIL", default=DEFAULT_FROM_EMAIL)

# Celery. The embedded default broker is kombu's filesystem transport: no server to run.
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default="filesystem://")
if CELERY_BROKER_URL.startswith("filesystem://"):
    _broker_dir = VAR_DIR / "broker"
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
else:
    # A task not acknowledged within this many seconds is redelivered: longer than any task.
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600)
    }
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_ENABLE_UTC = True
CELERY_TASK_DEFAULT_QUEUE = DEFAULT_QUEUE
CELERY_TASK_QUEUES = CELERY_QUEUES
CELERY_TASK_ROUTES = CELERY_TASK_ROUTES
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# Duties: how far ahead obligations are kept as rows, and how many days before its due date
# each kind of obligation counts as due soon (JSON object in the environment to override).
TRUSTDESK_OBLIGATION_HORIZON_MONTHS = env.int("TRUSTDESK_OBLIGATION_HORIZON_MONTHS", default=18)
TRUSTDESK_DUE_SOON_DAYS = {
    "holder_list": 30,
    "holder_list_on_request": 10,
    "report_to_holders": 30,
    "compliance_certificate": 30,
    "payment": 15,
    "maturity": 30,
    "default_notice": 15,
    "cure_period_end": 10,
    "conflict_elimination": 15,
    "conflict_notice": 5,
    "successor_petition": 10,
    "holder_communication": 3,
    **env.json("TRUSTDESK_DUE_SOON_DAYS", default={}),
}
# Lists of Holders: the largest file accepted (refused by size before it is read), and
# whether a superseded list is destroyed as soon as a newer one is imported (§2.2(a) allows it).
# Workflows (trustee/workflows.py): how many days before a semiannual List of Holders is due
# the Guarantor is sent its reminder; how often an overdue duty is escalated again; how long a
# determination to withhold a notice of default (§2.7(a)) stands before it must be affirmed.
TRUSTDESK_REQUEST_LEAD_DAYS = {
    "holder_list": 30,
    **env.json("TRUSTDESK_REQUEST_LEAD_DAYS", default={}),
}
TRUSTDESK_ESCALATE_EVERY_DAYS = {
    "list_request": 7,
    "annual_report": 7,
    "certificate": 7,
    "officers_certificate": 7,
    "periodic_report": 7,
    # A §312(b) application has a five-business-day clock: chased every other day.
    "holder_application": 2,
    **env.json("TRUSTDESK_ESCALATE_EVERY_DAYS", default={}),
}
TRUSTDESK_WITHHOLDING_REVIEW_DAYS = env.int("TRUSTDESK_WITHHOLDING_REVIEW_DAYS", default=90)
TRUSTDESK_MAX_UPLOAD_BYTES = env.int("TRUSTDESK_MAX_UPLOAD_BYTES", default=1024**3)
TRUSTDESK_DESTROY_SUPERSEDED_LISTS = env.bool("TRUSTDESK_DESTROY_SUPERSEDED_LISTS", default=False)
# Holders files read and checked by the compiled scanner (holders/native/fastrows.c, built by
# `make install`) where it can, the rest by the Python reference; false: all by the reference.
TRUSTDESK_COMPILED_ROW_CHECKS = env.bool("TRUSTDESK_COMPILED_ROW_CHECKS", default=True)
FILE_UPLOAD_HANDLERS = [
    "holders.uploads.SizeLimitedUploadHandler",
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Payments (trustee/workflows/payments.py): the hour of the due date by which the Guarantor's
# funds must be in hand, and how far back the sweep looks for payments not yet received.
TRUSTDESK_PAYMENT_CUTOFF_HOUR = env.int("TRUSTDESK_PAYMENT_CUTOFF_HOUR", default=12)
TRUSTDESK_PAYMENT_LOOKBACK_DAYS = env.int("TRUSTDESK_PAYMENT_LOOKBACK_DAYS", default=31)

# Notices: e-mail delivery. Retries back off exponentially with jitter, capped well below the
# broker's visibility timeout; a delivery claimed longer than STUCK_SECONDS ago is requeued.
# Rate limits are per provider (the SMTP host, or TRUSTDESK_MAIL_PROVIDER) and shared by every
# worker through a token bucket in Redis (notices/ratelimit.py): TRUSTDESK_MAIL_RATE_LIMITS is a
# JSON object such as {"smtp.example.com": "50/s", "*": "10/s"}; TRUSTDESK_MAIL_RATE_PER_SECOND
# is the limit of a provider that object does not name (0: none).
TRUSTDESK_MAIL_RATE_LIMITS = env.json("TRUSTDESK_MAIL_RATE_LIMITS", default={})
TRUSTDESK_MAIL_PROVIDER = env.str("TRUSTDESK_MAIL_PROVIDER", default="")
TRUSTDESK_MAIL_RATE_REDIS_URL = env.str("TRUSTDESK_MAIL_RATE_REDIS_URL", default="")
TRUSTDESK_MAIL_RATE_PER_SECOND = env.float("TRUSTDESK_MAIL_RATE_PER_SECOND", default=0)
# SMTP sessions a mail task keeps open at once (threads in the worker process).
TRUSTDESK_MAIL_SENDERS = env.int("TRUSTDESK_MAIL_SENDERS", default=4)
TRUSTDESK_MAIL_MAX_ATTEMPTS = env.int("TRUSTDESK_MAIL_MAX_ATTEMPTS", default=8)
TRUSTDESK_MAIL_RETRY_BASE_SECONDS = env.int("TRUSTDESK_MAIL_RETRY_BASE_SECONDS", default=60)
TRUSTDESK_MAIL_RETRY_MAX_SECONDS = env.int("TRUSTDESK_MAIL_RETRY_MAX_SECONDS", default=1800)
TRUSTDESK_MAIL_STUCK_SECONDS = env.int("TRUSTDESK_MAIL_STUCK_SECONDS", default=900)
TRUSTDESK_MAIL_SWEEP_LIMIT = env.int("TRUSTDESK_MAIL_SWEEP_LIMIT", default=50_000)
TRUSTDESK_MESSAGE_ID_DOMAIN = env.str("TRUSTDESK_MESSAGE_ID_DOMAIN", default="trustdesk.local")

# The address the digest and calendar links point officers to.
TRUSTDESK_BASE_URL = env.str("TRUSTDESK_BASE_URL", default="http://127.0.0.1:8000")

# The bank's legal name on the reports handed to examiners (empty: the trustee named on the
# agreements, where it is one bank).
TRUSTDESK_BANK_NAME = env.str("TRUSTDESK_BANK_NAME", default="")

# Dates as "Mon 16 Feb 2026" on every admin page (config/formats/en/formats.py).
FORMAT_MODULE_PATH = ["config.formats"]

# Where the admin lives (config/urls.py), e.g. "back-office-7f3a/".
TRUSTDESK_ADMIN_URL = env.str("TRUSTDESK_ADMIN_URL", default="admin/")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # A safety net: no e-mail address (a holder's) reaches the logs.
    "filters": {"redact_emails": {"()": "config.logging_filters.RedactEmailsFilter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["redact_emails"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # aiosmtpd (the tests' SMTP server) logs every SMTP command at INFO.
    "loggers": {"mail.log": {"level": "WARNING"}},
}

if PRODUCTION:
    vars().update(production.hardened(env))
    production.refuse_unsafe(
        secret_key=SECRET_KEY,
        debug=DEBUG,
        allowed_hosts=ALLOWED_HOSTS,
        database_engine=DATABASES["default"]["ENGINE"],
        broker_url=CELERY_BROKER_URL,
    )
