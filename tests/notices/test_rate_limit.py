"""The per-provider sending limit against the real Redis: one bucket for every worker process
and thread (notices/ratelimit.py), the Lua script taking exactly as notices/rate_rules.py
says, and what happens with no limit or no Redis."""

import logging
import multiprocessing
import threading
import time
import uuid

import pytest
import redis
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from notices import ratelimit, sending
from notices.models import Delivery
from notices.rate_rules import UNIT, Rate, take
from tests.notices.conftest import free_port
from tests.notices.helpers import (
    TimedRecorder,
    approved_notice,
    email_ids,
    most_in_any_window,
    start_smtp,
)

pytestmark = [pytest.mark.redis]


@pytest.fixture
def broker(settings):
    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    yield client
    for key in client.scan_iter(f"{ratelimit.KEY_PREFIX}*"):
        client.delete(key)


def provider_name():
    return f"test-{uuid.uuid4().hex[:12]}"


@hypothesis_settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    per_second=st.floats(min_value=0.05, max_value=5_000, allow_nan=False),
    steps=st.lists(
        st.tuples(st.integers(0, 3 * UNIT), st.integers(1, 120)), min_size=1, max_size=25
    ),
)
def test_the_script_in_redis_takes_as_the_pure_rules_do(per_second, steps):
    from django.conf import settings

    client = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    script = client.register_script(ratelimit.TAKE_SCRIPT)
    rate = Rate(per_second)
    key = ratelimit.KEY_PREFIX + provider_name()
    bucket, now = None, 1_700_000_000 * UNIT
    try:
        for gap, wanted in steps:
            now += gap
            expected = take(bucket, now_us=now, rate=rate, wanted=wanted)
            granted, wait_us, tokens, at = script(
                keys=[key],
                args=[repr(rate.per_second), int(rate.capacity * UNIT), wanted, now, 60_000],
            )
            assert (granted, wait_us) == (expected.granted, expected.wait_us)
            assert (int(tokens), int(at)) == (expected.bucket.micro_tokens, expected.bucket.at)
            bucket = expected.bucket
    finally:
        client.delete(key)


def _take_for(url, name, per_second, start, seconds, results):
    """In a process of its own: take tokens as fast as they come for `seconds`."""
    limiter = ratelimit.Limiter(name, Rate(per_second), url)
    tokens = ratelimit.Tokens(limiter)
    while time.time() < start:
        time.sleep(0.001)
    count = 0
    while time.time() < start + seconds:
        tokens.wait()
        count += 1
    results.put(count)


@pytest.mark.parametrize("processes", [1, 2, 3])
def test_processes_taking_from_one_provider_are_held_together_to_its_rate(
    settings, broker, processes
):
    per_second, seconds = 200, 2.0
    name = provider_name()
    context = multiprocessing.get_context("fork")  # the children touch Redis only
    results = context.Queue()
    start = time.time() + 0.5
    children = [
        context.Process(
            target=_take_for,
            args=(settings.CELERY_BROKER_URL, name, per_second, start, seconds, results),
        )
        for _ in range(processes)
    ]
    for child in children:
        child.start()
    counts = [results.get(timeout=30) for _ in children]
    for child in children:
        child.join(10)
    rate = Rate(per_second)
    # Each may overrun the window's end by the batch it holds; the bucket starts full.
    ceiling = per_second * seconds + rate.capacity + processes * rate.batch
    assert sum(counts) <= ceiling, counts
    assert sum(counts) >= 0.8 * per_second * seconds, counts  # and the limit is reached
    assert all(count > 0 for count in counts), counts  # every process gets its share


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("pipelining", [False, True])
def test_two_tasks_of_several_threads_send_at_the_providers_rate(
    security, settings, broker, pipelining
):
    per_second, count = 40, 120
    recorder = TimedRecorder(pipelining=pipelining)
    controller = start_smtp(settings, recorder, free_port())
    settings.TRUSTDESK_MAIL_RATE_LIMITS = {"127.0.0.1": f"{per_second}/s"}
    settings.TRUSTDESK_MAIL_SENDERS = 3
    try:
        ids = email_ids(approved_notice(security, count))
        halves = [ids[::2], ids[1::2]]
        outcomes = []
        tasks = [
            threading.Thread(
                target=lambda part=part: outcomes.append(sending.send_deliveries(part))
            )
            for part in halves
        ]
        started = time.monotonic()
        for task in tasks:
            task.start()
        for task in tasks:
            task.join(60)
        took = time.monotonic() - started
    finally:
        controller.stop()
    assert sum(outcome["sent"] for outcome in outcomes) == count
    assert Delivery.objects.filter(channel="email", state="sent").count() == count
    rate = Rate(per_second)
    # Six SMTP sessions in two tasks, one bucket: 40 grants in any second, and the bucket's few
    # more. The times are the server's, when it accepted each message: a sender the runner's
    # scheduler held back delivers its granted messages late and together, so a second at the
    # server spans a little more than a second of grants (47 seen once with two test
    # processes on two cores). No limit would put all 120 in one second; twice the rate, 84.
    jitter = 0.1
    assert most_in_any_window(recorder.times()) <= per_second * (1 + jitter) + rate.capacity + 1
    assert took >= (count - rate.capacity) / per_second * 0.95


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_no_limit_for_the_provider_means_no_redis_call(security, settings, caplog):
    recorder = TimedRecorder()
    controller = start_smtp(settings, recorder, free_port())
    # A Redis that cannot answer: any call to it would log that it does not.
    settings.TRUSTDESK_MAIL_RATE_REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    settings.TRUSTDESK_MAIL_RATE_LIMITS = {"smtp.other-provider.example": "1/s"}
    settings.TRUSTDESK_MAIL_RATE_PER_SECOND = 0
    try:
        ids = email_ids(approved_notice(security, 30))
        assert ratelimit.limiter() is None
        with caplog.at_level(logging.DEBUG, logger="notices"):
            assert sending.send_deliveries(ids)["sent"] == 30
    finally:
        controller.stop()
    assert not [r for r in caplog.records if r.name.startswith("notices.ratelimit")]
    assert len(recorder.times()) == 30


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_an_unreachable_redis_fails_open_to_a_limit_per_process_and_says_so(
    security, settings, caplog
):
    recorder = TimedRecorder()
    controller = start_smtp(settings, recorder, free_port())
    settings.TRUSTDESK_MAIL_RATE_REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    settings.TRUSTDESK_MAIL_RATE_LIMITS = {"*": "20/s"}
    settings.TRUSTDESK_MAIL_SENDERS = 2
    try:
        ids = email_ids(approved_notice(security, 30))
        started = time.monotonic()
        with caplog.at_level(logging.WARNING, logger="notices.ratelimit"):
            assert sending.send_deliveries(ids)["sent"] == 30
        took = time.monotonic() - started
    finally:
        controller.stop()
    warnings = [r.getMessage() for r in caplog.records if r.name == "notices.ratelimit"]
    assert len(warnings) == 1 and "does not answer" in warnings[0], warnings
    # Still limited, by this process alone: 30 at 20 a second, the first 2 at once.
    assert took >= (30 - Rate(20).capacity) / 20 * 0.95
    assert most_in_any_window(recorder.times()) <= 20 + Rate(20).capacity + 1


def test_the_provider_is_the_one_named_or_the_smtp_host_or_the_backend(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "SMTP.SendGrid.net"
    settings.TRUSTDESK_MAIL_PROVIDER = ""
    assert ratelimit.provider() == "smtp.sendgrid.net"
    settings.TRUSTDESK_MAIL_PROVIDER = "sendgrid"
    assert ratelimit.provider() == "sendgrid"
    settings.TRUSTDESK_MAIL_PROVIDER = ""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert ratelimit.provider() == "django.core.mail.backends.locmem.EmailBackend"
    settings.TRUSTDESK_MAIL_RATE_LIMITS = {"sendgrid": "600/m", "*": "5/s"}
    settings.TRUSTDESK_MAIL_RATE_PER_SECOND = 0
    assert ratelimit.rate_for("sendgrid") == Rate(10)
    assert ratelimit.rate_for("anything else") == Rate(5)
    settings.TRUSTDESK_MAIL_RATE_LIMITS = {}
    assert ratelimit.rate_for("sendgrid") is None
    settings.TRUSTDESK_MAIL_RATE_PER_SECOND = 7  # the older setting: any provider's limit
    assert ratelimit.rate_for("sendgrid") == Rate(7)


def test_with_no_redis_configured_each_process_keeps_the_limit_and_says_so(settings, caplog):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.TRUSTDESK_MAIL_RATE_REDIS_URL = ""
    settings.TRUSTDESK_MAIL_PROVIDER = provider_name()
    settings.TRUSTDESK_MAIL_RATE_LIMITS = {settings.TRUSTDESK_MAIL_PROVIDER: "50/s"}
    with caplog.at_level(logging.WARNING, logger="notices.ratelimit"):
        limiters = [ratelimit.limiter(), ratelimit.limiter()]  # two tasks, one warning
    assert len(caplog.records) == 1 and "each worker process alone" in caplog.messages[0]
    tokens = ratelimit.Tokens(limiters[0])
    started = time.monotonic()
    for _ in range(30):
        tokens.wait()
    assert time.monotonic() - started >= (30 - Rate(50).capacity) / 50 * 0.95
