"""notices_email_fanout: 100,000 personalised e-mails from approval to accepted by a local SMTP
server, with one Celery worker of 2 processes over Redis, in seconds (target: under 60).

baseline: Django's send_mail per holder in a loop, measured on a sample in the same run, on
the same SMTP server, and extrapolated to the same number of e-mails (said so in a detail
line).

The SMTP server is a sink of the bench's own (`SinkProtocol`, asyncio, in a process of its
own): it answers each command as a provider's server would, offering PIPELINING and CHUNKING
(RFC 2920, 3030: Gmail, Microsoft 365, Postfix and Exim offer both), finds the end of a DATA
message with bytes.find or takes the octets BDAT announces, and only counts the messages it
accepts and their distinct Message-IDs. It replaced aiosmtpd, which parses every command and
every line of DATA in Python: 430 µs of CPU a message on the same two CPUs as the worker and
PostgreSQL, a third of the machine, which a provider's server on its own machines does not
take from us. The tests keep aiosmtpd. The CPU seconds the worker, the sink and PostgreSQL
used per message are printed (from /proc), to show where the time goes.
"""

from __future__ import annotations

import asyncio
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


class SinkProtocol(asyncio.Protocol):
    """One SMTP session of the sink: EHLO (offering PIPELINING, CHUNKING and 8BITMIME), HELO,
    MAIL, RCPT, DATA, BDAT, RSET, NOOP, QUIT. Commands are answered in order, all the answers
    to what one read brought in one write (so pipelined commands get their replies together,
    as RFC 2920 allows). DATA ends at the first CRLF.CRLF, found with bytes.find; BDAT takes
    the octets it announces. The message is neither parsed nor un-dot-stuffed: only its
    Message-ID header is read. Anything else is 502."""

    def __init__(self, sink):
        self.sink = sink
        self.buffer = bytearray()
        self.in_data = False
        self.searched = 0  # where to go on looking for the end of DATA
        self.chunk = 0  # octets of a BDAT chunk still to come
        self.last = False  # that chunk ends the message
        self.chunks = bytearray()

    def connection_made(self, transport):
        self.transport = transport
        transport.write(b"220 sink ESMTP\r\n")

    def data_received(self, data):
        buffer = self.buffer
        buffer += data
        replies = []
        done = 0
        while True:
            if self.chunk:
                if len(buffer) - done < self.chunk:
                    break
                self.chunks += buffer[done : done + self.chunk]
                done += self.chunk
                self.chunk = 0
                if self.last:
                    self.sink.accepted(bytes(self.chunks))
                    self.chunks.clear()
                replies.append(b"250 2.0.0 OK\r\n")
                continue
            if self.in_data:
                if buffer.startswith(b".\r\n", done):
                    end, body_end = done, done
                else:
                    end = buffer.find(b"\r\n.\r\n", max(done, self.searched))
                    if end < 0:
                        self.searched = max(done, len(buffer) - 4)
                        break
                    body_end, end = end + 2, end + 2
                self.sink.accepted(bytes(buffer[done:body_end]))
                replies.append(b"250 2.0.0 OK\r\n")
                self.in_data, self.searched = False, 0
                done = end + 3
                continue
            end = buffer.find(b"\r\n", done)
            if end < 0:
                break
            line = bytes(buffer[done:end])
            verb = line[:4].upper()
            done = end + 2
            if verb == b"BDAT":
                words = line.split()
                if len(words) < 2 or not words[1].isdigit():
                    replies.append(b"501 5.5.4 BDAT size [LAST]\r\n")
                    continue
                self.last = len(words) > 2 and words[2].upper() == b"LAST"
                self.chunk = int(words[1])
                if not self.chunk:  # an empty chunk: answered at once
                    if self.last:
                        self.sink.accepted(bytes(self.chunks))
                        self.chunks.clear()
                    replies.append(b"250 2.0.0 OK\r\n")
            elif verb == b"DATA":
                replies.append(b"354 End data with <CR><LF>.<CR><LF>\r\n")
                self.in_data, self.searched = True, done
            elif verb == b"EHLO":
                replies.append(
                    b"250-sink\r\n250-PIPELINING\r\n250-CHUNKING\r\n250-8BITMIME\r\n"
                    b"250 SMTPUTF8\r\n"
                )
            elif verb == b"QUIT":
                replies.append(b"221 Bye\r\n")
                self.transport.write(b"".join(replies))
                self.transport.close()
                return
            elif verb in (b"MAIL", b"RCPT", b"RSET", b"NOOP", b"HELO"):
                if verb == b"RSET":
                    self.chunks.clear()
                replies.append(b"250 OK\r\n")
            else:
                replies.append(b"502 5.5.2 Not implemented\r\n")
        del buffer[:done]
        if self.searched:
            self.searched -= done
        if replies:
            self.transport.write(b"".join(replies))


class Sink:
    """What the sink accepted: a count (shared with the bench, which only reads it) and the
    distinct Message-IDs (their number shared too)."""

    def __init__(self, counter, distinct):
        self.counter, self.distinct = counter, distinct
        self.ids = set()

    def accepted(self, message: bytes):
        self.counter.value += 1
        head = b"\r\n" + message[: message.find(b"\r\n\r\n")]
        start = head.find(b"\r\nMessage-ID:")
        if start < 0:  # another spelling of the name (Django writes this one)
            start = head.lower().find(b"\r\nmessage-id:")
        if start >= 0:
            end = head.find(b"\r\n", start + 2)
            self.ids.add(head[start + 13 : end if end >= 0 else None].strip())
            self.distinct.value = len(self.ids)


def _smtp_sink(port, counter, distinct, ready):
    async def serve():
        sink = Sink(counter, distinct)
        loop = asyncio.get_running_loop()
        server = await loop.create_server(lambda: SinkProtocol(sink), "127.0.0.1", port)
        ready.set()
        stop = asyncio.Event()
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        await stop.wait()
        server.close()

    asyncio.run(serve())


def _cpu_seconds(pid) -> float:
    """User + system CPU seconds of a process and its reaped children (Linux /proc)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return sum(int(value) for value in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _process_tree(root) -> list[int]:
    children, found = {}, []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                with open(f"/proc/{name}/stat") as handle:
                    parent = int(handle.read().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(parent, []).append(int(name))
    stack = [root]
    while stack:
        pid = stack.pop()
        found.append(pid)
        stack.extend(children.get(pid, []))
    return found


class CpuMeter:
    """CPU seconds used while it runs by: the worker's processes, the SMTP server, and the
    PostgreSQL backends of the bench's database (sampled, as they come and go)."""

    def __init__(self, worker_pid, server_pid, database):
        import threading

        self.worker_pid, self.server_pid, self.database = worker_pid, server_pid, database
        self.backends: dict[int, list[float]] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def _postgres_backends(self):
        marker = self.database.encode()
        for name in os.listdir("/proc"):
            if name.isdigit():
                try:
                    with open(f"/proc/{name}/cmdline", "rb") as handle:
                        title = handle.read()
                except OSError:
                    continue
                if title.startswith(b"postgres: ") and marker in title:
                    yield int(name)

    def _watch(self):
        while not self.stop.wait(0.2):
            self._sample()

    def _sample(self):
        for pid in self._postgres_backends():
            used = _cpu_seconds(pid)
            self.backends.setdefault(pid, [used, used])[1] = used

    def __enter__(self):
        self.worker = sum(_cpu_seconds(pid) for pid in _process_tree(self.worker_pid))
        self.server = _cpu_seconds(self.server_pid)
        self._sample()
        self.thread.start()
        return self

    def mark(self):
        """The PostgreSQL CPU so far (after the approval: its share)."""
        self._sample()
        self.postgres_marked = sum(last - first for first, last in self.backends.values())

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()
        self._sample()
        self.worker = sum(_cpu_seconds(p) for p in _process_tree(self.worker_pid)) - self.worker
        self.server = _cpu_seconds(self.server_pid) - self.server
        self.postgres = sum(last - first for first, last in self.backends.values())


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
    from django.db.models import Count, Max, Min
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
    # Written by the sink alone, read here: no lock.
    counter, distinct = multiprocessing.RawValue("q", 0), multiprocessing.RawValue("q", 0)
    ready = multiprocessing.Event()
    server = multiprocessing.Process(target=_smtp_sink, args=(port, counter, distinct, ready))
    server.start()
    ready.wait(10)
    say("load average before the run", f"{os.getloadavg()[0]:.1f} ({os.cpu_count()} CPUs)")
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
        meter = CpuMeter(worker.pid, server.pid, settings.DATABASES["default"]["NAME"])
        with meter, timed() as t:
            with timed() as approval:
                notice_approve(notice_id=notice.pk, by=checker)
            meter.mark()
            deadline = time.monotonic() + 600
            checked = time.monotonic()
            while counter.value < RECIPIENTS and time.monotonic() < deadline:
                time.sleep(0.05)
                # Whether anything is left to send (deliveries failed or waiting for a retry
                # end the run short of the count): asked every 5 s only, since with the
                # notice's 100,000 queued letters in the same index it reads many rows.
                if time.monotonic() - checked > 5:
                    checked = time.monotonic()
                    if not Delivery.objects.filter(
                        notice=notice, channel="email", state__in=["queued", "sending"]
                    ).exists():
                        break
        accepted, distinct_ids = counter.value, distinct.value
        say(
            "accepted by the SMTP server",
            f"{accepted:,} in {t.seconds:.1f} s ({accepted / t.seconds:,.0f} a second), "
            f"{distinct_ids:,} distinct Message-IDs",
        )
        emails = Delivery.objects.filter(notice=notice, channel="email")
        states = dict(emails.values_list("state").annotate(n=Count("id")))
        say("deliveries by state", states)
        notice.refresh_from_db()
        span = emails.aggregate(first=Min("claimed_at"), last=Max("sent_at"))
        waited = (span["first"] - notice.approved_at).total_seconds()
        sending_seconds = (span["last"] - span["first"]).total_seconds()
        say(
            "where the time went",
            f"approval (creating the deliveries, e-mails and letters) {approval.seconds:.1f} s; "
            f"first claim {waited:.1f} s after the approval's timestamp; sending "
            f"{sending_seconds:.1f} s from the first claim to the last record",
        )
        per = 1e6 / max(accepted, 1)
        say(
            "CPU per message",
            f"worker {meter.worker * per:.0f} µs, SMTP server {meter.server * per:.0f} µs, "
            f"PostgreSQL {meter.postgres * per:.0f} µs, of which the approval's "
            f"{meter.postgres_marked * per:.0f} µs (the whole run; the machine has "
            f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f} at the end)",
        )
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
    assert distinct.value - distinct_ids == SAMPLE
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
