"""The per-provider sending limit, shared by every worker process and thread: one token bucket
per provider in Redis (the broker's server), taken from by an atomic Lua script.

TRUSTDESK_MAIL_RATE_LIMITS = {"smtp.sendgrid.net": "100/s", ...} names the provider as
`provider()` does: TRUSTDESK_MAIL_PROVIDER when set, else the SMTP backend's EMAIL_HOST, else
the e-mail backend's dotted path; "*" is any provider not named. With no limit for the provider
nothing here runs at all: no Redis call per message, nor per task.

When Redis does not answer, sending goes on (fails open) under a bucket of this process only,
at the same rate, with a warning logged; Redis is tried again a few seconds later. Why open:
Redis is also the broker, so while it is away no new mail task starts and only the tasks
already running (a few thousand messages at most) send; if together they go over the
provider's limit, the provider answers 4xx, which is retried with backoff like any temporary
failure. Failing closed would hold the claimed deliveries in "sending" until the stuck sweep.
"""

from __future__ import annotations

import logging
import threading
import time

import redis
from django.conf import settings
from redis.backoff import NoBackoff
from redis.retry import Retry

from notices.rate_rules import UNIT, Bucket, Rate, parse_rate, take

log = logging.getLogger(__name__)

KEY_PREFIX = "trustdesk:mail-rate:"
# After an unanswered call, Redis is left alone this long (the local bucket serves meanwhile).
RETRY_REDIS_AFTER = 5.0
# A warning at most this often while Redis stays away.
WARN_EVERY = 60.0
# Tokens not used within this long are dropped: a thread that stalled after taking a batch
# must not spend it later on top of what the bucket gives the others then.
HOLD_SECONDS = 0.1

# rate_rules.take, the same integers in Lua. ARGV: tokens a second, capacity in millionths of
# a token, tokens wanted, now in microseconds ("" for Redis's clock: one clock for all the
# workers, whatever their hosts'), the key's lifetime in milliseconds (a full refill: an
# expired bucket and a full one are the same).
TAKE_SCRIPT = """
local rate = tonumber(ARGV[1])
local capacity = tonumber(ARGV[2])
local wanted = tonumber(ARGV[3])
local now
if ARGV[4] ~= '' then
  now = tonumber(ARGV[4])
else
  local t = redis.call('TIME')
  now = tonumber(t[1]) * 1000000 + tonumber(t[2])
end
local state = redis.call('HMGET', KEYS[1], 'tokens', 'at')
local tokens, at
if state[1] then
  tokens = tonumber(state[1])
  at = tonumber(state[2])
  tokens = math.min(capacity, tokens + math.floor(math.max(0, now - at) * rate))
  at = math.max(now, at)
else
  tokens = capacity
  at = now
end
local granted = math.min(math.max(wanted, 0), math.floor(tokens / 1000000))
tokens = tokens - granted * 1000000
local wait = 0
if granted == 0 then
  wait = math.ceil((1000000 - tokens) / rate) + 1
end
local tokens_text, at_text = string.format('%.0f', tokens), string.format('%.0f', at)
redis.call('HSET', KEYS[1], 'tokens', tokens_text, 'at', at_text)
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return {granted, wait, tokens_text, at_text}
"""


def provider() -> str:
    named = getattr(settings, "TRUSTDESK_MAIL_PROVIDER", "")
    if named:
        return named
    backend = settings.EMAIL_BACKEND
    if backend == "django.core.mail.backends.smtp.EmailBackend":
        return str(settings.EMAIL_HOST).lower()
    return backend


def rate_for(name: str) -> Rate | None:
    """The limit set for the provider, or None. TRUSTDESK_MAIL_RATE_PER_SECOND, the older
    setting, is the limit of a provider TRUSTDESK_MAIL_RATE_LIMITS does not name."""
    limits = getattr(settings, "TRUSTDESK_MAIL_RATE_LIMITS", None) or {}
    if name in limits:
        return parse_rate(limits[name], provider=name)
    if "*" in limits:
        return parse_rate(limits["*"], provider="*")
    return parse_rate(getattr(settings, "TRUSTDESK_MAIL_RATE_PER_SECOND", 0) or None)


def redis_url() -> str:
    url = getattr(settings, "TRUSTDESK_MAIL_RATE_REDIS_URL", "") or settings.CELERY_BROKER_URL
    return url if url.startswith(("redis://", "rediss://", "unix://")) else ""


def limiter() -> Limiter | None:
    """The limiter of the configured provider, or None when it has no limit."""
    name = provider()
    rate = rate_for(name)
    if rate is None:
        return None
    return Limiter(name, rate, redis_url())


_clients: dict[str, redis.Redis] = {}
_clients_lock = threading.Lock()


def _client(url):
    with _clients_lock:
        if url not in _clients:
            # Short timeouts and one retry (redis-py's default is ten, with backoff): a Redis
            # that does not answer at once is treated as away, and sending goes on.
            _clients[url] = redis.Redis.from_url(
                url,
                socket_connect_timeout=0.5,
                socket_timeout=0.5,
                health_check_interval=30,
                retry=Retry(NoBackoff(), 1),
            )
        return _clients[url]


class _Fallback:
    """This process's own bucket of a provider, and when Redis was last found away: kept for
    the process, so that the next task neither retries Redis at once nor warns again."""

    def __init__(self):
        self.bucket: Bucket | None = None
        self.redis_away_until = 0.0
        self.warned_at: float | None = None
        self.lock = threading.Lock()


_fallbacks: dict[str, _Fallback] = {}


class Limiter:
    """Tokens of one provider's bucket, for the threads of one task (thread-safe)."""

    def __init__(self, name: str, rate: Rate, url: str):
        self.name, self.rate, self.url = name, rate, url
        self.key = KEY_PREFIX + name
        self.ttl_ms = int(rate.capacity / rate.per_second * 1000) + 1000
        self.script = _client(url).register_script(TAKE_SCRIPT) if url else None
        with _clients_lock:
            self.fallback = _fallbacks.setdefault(f"{url} {name}", _Fallback())
        if not url and self.fallback.warned_at is None:
            self.fallback.warned_at = time.monotonic()
            log.warning(
                "The mail rate limit of %s is kept by each worker process alone: no Redis "
                "is configured (CELERY_BROKER_URL or TRUSTDESK_MAIL_RATE_REDIS_URL).",
                name,
            )

    def acquire(self, wanted: int) -> int:
        """Wait until at least one token is there; returns how many were taken (≤ wanted)."""
        while True:
            granted, wait_us = self._take(wanted)
            if granted:
                return granted
            time.sleep(wait_us / UNIT)

    def _take(self, wanted):
        if self.script is not None and time.monotonic() >= self.fallback.redis_away_until:
            try:
                granted, wait_us, _, _ = self.script(
                    keys=[self.key],
                    args=[
                        repr(self.rate.per_second),
                        int(self.rate.capacity * UNIT),
                        wanted,
                        "",
                        self.ttl_ms,
                    ],
                )
                return int(granted), int(wait_us)
            except redis.RedisError as error:
                self._redis_away(error)
        fallback = self.fallback
        with fallback.lock:
            now_us = int(time.monotonic() * UNIT)
            taken = take(fallback.bucket, now_us=now_us, rate=self.rate, wanted=wanted)
            fallback.bucket = taken.bucket
        return taken.granted, taken.wait_us

    def _redis_away(self, error):
        now = time.monotonic()
        fallback = self.fallback
        with fallback.lock:
            fallback.redis_away_until = now + RETRY_REDIS_AFTER
            if fallback.warned_at is not None and now - fallback.warned_at < WARN_EVERY:
                return
            fallback.warned_at = now
        log.warning(
            "Redis does not answer for the mail rate limit of %s (%s: %s): sending on under "
            "this process's own limit of %g a second, so the workers together may exceed it.",
            self.name,
            type(error).__name__,
            error,
            self.rate.per_second,
        )


class Tokens:
    """One sender thread's tokens: a batch taken at a time, used within HOLD_SECONDS."""

    def __init__(self, limiter: Limiter):
        self.limiter = limiter
        self.left = 0
        self.expires = 0.0

    def wait(self):
        """Returns once this thread may send one message."""
        if self.left and time.monotonic() < self.expires:
            self.left -= 1
            return
        self.left = self.limiter.acquire(self.limiter.rate.batch) - 1
        self.expires = time.monotonic() + HOLD_SECONDS
