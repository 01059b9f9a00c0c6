"""notices_email_fanout: 100,000 personalised e-mails from approval to accepted by a local SMTP
server, with one Celery worker of 2 processes over Redis, in seconds (target: under 60).

baseline: Django's send_mail per holder in a loop, measured on a sample in the same run and
extrapolated to the same number of e-mails (said so in a detail line). The SMTP server
(aiosmtpd) runs in a process of its own and counts what it accepts.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from bench.common import bench_line, say, setup_django, timed

RECIPIENTS = int(os.environ.get("BENCH_FANOUT", "100000"))
SAMPLE = 2_000
ROOT = Path(__file__).resolve().parent.parent
CACHE_LOG = Path(os.environ.get("BENCH_WORKER_LOG", "/tmp/trustdesk-bench-worker.log"))


def _smtp_server(port, counter, ready):
    from aiosmtpd.controller import Controller

    class Count:
        async def handle_DATA(self, server, session, envelope):
            with counter.get_lock():
                counter.value += 1
            return "250 OK"

    controller = Controller(Count(), hostname="127.0.0.1", port=port)
    controller.start()
    ready.set()
    signal.sigwait([signal.SIGTERM])
    controller.stop()


def _free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _holders_csv(path, count):
    with open(path, "w") as handle:
        handle.write("Name,Address,City,State,Zip,Email,Amount\n")
        for i in range(count):
            handle.write(
                f"Holder {i},{i} Main Street,Hartford,CT,06{i % 1000:03d},h{i}@holders.example,1\n"
            )


def _worker(port):
    from django.db import connection

    settings = connection.settings_dict
    url = (
        f"postgres://{settings.get('USER') or 'postgres'}@{settings.get('HOST') or '127.0.0.1'}"
        f":{settings.get('PORT') or 5432}/{settings['NAME']}"
    )
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "EMAIL_URL": f"smtp://127.0.0.1:{port}",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
    }
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            "mail,default",
            "-c",
            "2",
            "-l",
            "warning",
            "--without-gossip",
            "--without-mingle",
            "-n",
            "fanout@%h",
        ],
        cwd=ROOT,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=CACHE_LOG.open("w"),  # the worker's warnings, for diagnosis after a run
    )


def run():
    os.environ.setdefault("CELERY_BROKER_URL", "redis://127.0.0.1:6379/14")
    say("database", setup_django(require_postgres=True))
    import redis
    from django.conf import settings
    from django.core.mail import send_mail
    from django.db.models import Count
    from django.utils import timezone

    from bench.holders_setup import CACHE, make_security, receive
    from holders.imports import import_holder_list
    from notices.models import Delivery
    from notices.workflows import notice_approve, notice_create
    from trustee.models import TrustOfficer
    from trustee.roles import responsible_designation_sync

    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"fanout-{RECIPIENTS}.csv"
    _holders_csv(path, RECIPIENTS)
    security = make_security(RECIPIENTS)
    security.unit_amount = 1
    security.save()
    holder_list = receive(security, path)
    assert import_holder_list(holder_list.pk).status == "imported"
    say("holders with an e-mail address", f"{RECIPIENTS:,}")

    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    maker = users.create_user("maker", password="x" * 20)
    checker = users.create_user("checker", password="x" * 20)
    for user, responsible in ((maker, False), (checker, True)):
        officer = TrustOfficer.objects.create(
            user=user, title="VP", is_responsible_officer=responsible
        )
        responsible_designation_sync(officer)  # the roles that may draft and approve

    port = _free_port()
    counter, ready = multiprocessing.Value("q", 0), multiprocessing.Event()
    server = multiprocessing.Process(target=_smtp_server, args=(port, counter, ready))
    server.start()
    ready.wait(10)
    worker = _worker(port)
    try:
        time.sleep(3)  # the worker connects to the broker before the clock starts
        notice = notice_create(
            kind="default_notice",
            agreement=security.agreement,
            security=security,
            title="Payment default",
            details="The distribution was not paid.",
            by=maker,
        )
        with timed() as t:
            notice_approve(notice_id=notice.pk, by=checker)
            deadline = time.monotonic() + 600
            while counter.value < RECIPIENTS and time.monotonic() < deadline:
                if not Delivery.objects.filter(
                    notice=notice, channel="email", state__in=["queued", "sending"]
                ).exists():
                    break
                time.sleep(0.2)
        accepted = counter.value
        say(
            "accepted by the SMTP server",
            f"{accepted:,} in {t.seconds:.1f} s ({accepted / t.seconds:,.0f} a second)",
        )
        states = dict(
            Delivery.objects.filter(notice=notice, channel="email")
            .values_list("state")
            .annotate(n=Count("id"))
        )
        say("deliveries by state", states)
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=60)

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
    before = counter.value
    with timed() as loop:
        for i in range(SAMPLE):
            send_mail(
                f"Notice {i}",
                "The distribution was not paid.",
                "trustdesk@localhost",
                [f"h{i}@holders.example"],
            )
    assert counter.value - before == SAMPLE
    baseline = loop.seconds * RECIPIENTS / SAMPLE
    say(
        "send_mail loop",
        f"{SAMPLE:,} in {loop.seconds:.1f} s, extrapolated to "
        f"{RECIPIENTS:,}: {baseline:.1f} s (a new connection per message, one process)",
    )
    server.terminate()
    server.join(10)
    if t.seconds >= 60:
        say("WARNING", f"{t.seconds:.0f} s is over the 60 s target")
    say("finished", timezone.now().isoformat(timespec="seconds"))
    bench_line("notices_email_fanout", t.seconds, "s", baseline)
