"""Fixtures of the fault drills: a Redis server of the drill's own (to kill and restart
without touching the shared one), a Celery worker pointed at it, and an SMTP server."""

import os
import signal
import subprocess
import sys
import time
from contextlib import contextmanager

import pytest
import redis

from tests.conftest import ROOT, _database_url
from tests.notices.conftest import Recorder, free_port
from tests.notices.helpers import start_smtp


class OwnRedis:
    """A redis-server that keeps nothing (no RDB, no AOF), on a port of its own."""

    def __init__(self, port):
        self.port = port
        self.url = f"redis://127.0.0.1:{port}/0"
        self.process = None

    def start(self):
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)

    def kill(self):
        """SIGKILL: whatever it held (queued and unacknowledged tasks) is gone with it."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def keys(self):
        return redis.Redis(port=self.port).dbsize()


@pytest.fixture
def own_redis():
    server = OwnRedis(free_port())
    server.start()
    yield server
    if server.process.poll() is None:
        server.kill()


@contextmanager
def celery_broker(url):
    """Point this process's Celery app (the one .delay() publishes with) at `url`. Celery
    prefers the CELERY_BROKER_URL environment variable to its configuration (celery/app/
    utils.py, Settings.broker_url), and read the settings once: both are replaced here."""
    from config.celery import app

    before, before_env = app.conf.broker_url, os.environ.get("CELERY_BROKER_URL")

    def reset():
        from kombu import pools

        if app._pool is not None:
            app._pool.force_close_all()
        app._pool = None
        app.amqp._producer_pool = None
        # kombu keeps producer pools in a registry of its own, keyed by connection: a later
        # .delay() would otherwise fetch the pool closed above ("Acquire on closed pool").
        pools.reset()

    reset()
    app.conf.broker_url = os.environ["CELERY_BROKER_URL"] = url
    try:
        yield app
    finally:
        reset()
        app.conf.broker_url = before
        if before_env is None:
            os.environ.pop("CELERY_BROKER_URL", None)
        else:
            os.environ["CELERY_BROKER_URL"] = before_env


def start_worker(
    broker_url, *, queues="default,mail,imports", concurrency=2, env=None, name="drill", log=None
):
    """A real worker (prefork) consuming `queues` from `broker_url`, in its own session so the
    drill can kill the whole group; like tests/conftest.py's `worker` with a broker of its own."""
    environment = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "CELERY_BROKER_URL": broker_url,
        **(env or {}),
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
            queues,
            "-c",
            str(concurrency),
            "-l",
            "warning",
            "--without-gossip",
            "--without-mingle",
            "-n",
            f"{name}@%h",
        ],
        cwd=ROOT,
        env=environment,
        start_new_session=True,
        stdout=open(log, "w") if log else subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )


def stop_worker(process):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


@pytest.fixture
def smtp_server(settings):
    """The notices tests' recording SMTP server (tests/notices/conftest.py)."""
    recorder = Recorder()
    port = free_port()
    controller = start_smtp(settings, recorder, port)
    recorder.port = port
    yield recorder
    controller.stop()


@pytest.fixture
def worker_media_root(settings, monkeypatch):
    """A worker started by a drill writes its files into the test's MEDIA_ROOT, never var/."""
    monkeypatch.setenv("MEDIA_ROOT", str(settings.MEDIA_ROOT))
    return settings.MEDIA_ROOT


@pytest.fixture
def role_groups(db):
    """The role groups a migration makes (trustee/roles.py): a transactional test's flush
    empties every table, so a transactional drill that makes officers puts them back first."""
    from django.contrib.auth.models import Group

    try:
        from trustee.roles import ROLES
    except ImportError:  # no roles in this version of the application
        return
    for name in ROLES:
        Group.objects.get_or_create(name=name)
