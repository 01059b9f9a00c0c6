"""Drill: two beat processes started by mistake, both firing every periodic sweep at the same
moment.

Two threads, each with its own PostgreSQL connection, released together by a barrier, run
the same day's beat work at once (obligations.materialize, advance_statuses, the daily
digests, then workflows_sweep) on three days of the demo: a catch-up day, a day when lists
are late and reports open, and a day of repeated escalation. It proves that every row is
claimed under its lock: no ListRequest or AnnualReport twice for one duty, no WorkflowStep
twice for one transition, no Notice drafted that no request refers to, one DigestDispatch
and one digest e-mail per officer per day, one escalation e-mail per escalation, and the
two runs together open exactly what one run would (a third run afterwards finds nothing).
"""

import io
import threading
from collections import Counter
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connections
from django.db.models import Count

from notices.models import Notice
from trustee.digests import officers_with_duties, send_daily_digests
from trustee.models import (
    AnnualReport,
    DigestDispatch,
    ListRequest,
    Obligation,
    WorkflowStep,
)
from trustee.obligations import advance_statuses, materialize
from trustee.workflows import workflows_sweep

NEW_YORK = ZoneInfo("America/New_York")
DAYS = [date(2027, 1, 20), date(2027, 8, 20), date(2027, 8, 27)]
SUMMED = (
    "list_requests_opened",
    "list_requests_late",
    "reports_opened",
    "reports_late",
    "defaults_advanced",
)


def beat(day):
    """One beat's work for `day`, as its periodic tasks would do it."""
    materialize(today=day)
    moved = advance_statuses()
    digests = send_daily_digests(today=day)
    return {"moved": moved, "digests": digests, **workflows_sweep(today=day)}


def two_beats_at_once(day):
    barrier = threading.Barrier(2)
    results, errors = [None, None], []

    def run(index):
        try:
            barrier.wait(timeout=30)
            results[index] = beat(day)
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(index,)) for index in (0, 1)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    assert errors == []
    return results


def duplicates(queryset, *fields):
    return list(queryset.values(*fields).annotate(n=Count("pk")).filter(n__gt=1))


def referenced_notices():
    """Every notice a workflow case refers to, by any of its foreign keys to Notice (a
    certificate's chase letter, a conflict's notice to holders, ...)."""
    from django.apps import apps
    from pghistory.models import Event

    ids = []
    for model in apps.get_app_config("trustee").get_models():
        if issubclass(model, Event):
            continue  # the audit trail's copies of the cases
        for field in model._meta.get_fields():
            if field.many_to_one and field.related_model is Notice:
                ids += model.objects.exclude(**{field.name: None}).values_list(
                    field.attname, flat=True
                )
    return ids


@pytest.fixture
def eager_escalations():
    """Escalation e-mails (enqueued on commit) are sent at once in the thread that made them,
    into mail.outbox, instead of leaving tasks in the shared test broker."""
    from config.celery import app

    before = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = before


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_beats_at_once_open_move_and_send_everything_once(
    eager_escalations, role_groups, capsys
):
    call_command("load_demo", holders=12, stdout=io.StringIO())
    figures = []
    for day in DAYS:
        with time_machine.travel(datetime(day.year, day.month, day.day, 6, tzinfo=NEW_YORK)):
            notices_before = set(Notice.objects.values_list("pk", flat=True))
            requests_before = ListRequest.objects.count()
            reports_before = AnnualReport.objects.count()
            steps_before = WorkflowStep.objects.count()
            mail.outbox.clear()

            first, second = two_beats_at_once(day)
            total = {key: first[key] + second[key] for key in (*SUMMED, "digests")}

            # Every row once.
            assert duplicates(Obligation.objects, "agreement_id", "key") == []
            assert duplicates(ListRequest.objects.exclude(obligation=None), "obligation_id") == []
            assert duplicates(AnnualReport.objects, "obligation_id") == []
            assert duplicates(DigestDispatch.objects, "officer_id", "day") == []
            assert (
                duplicates(
                    WorkflowStep.objects, "workflow", "case_id", "old_state", "new_state", "on"
                )
                == []
            )
            referenced = referenced_notices()
            assert len(referenced) == len(set(referenced))
            orphans = Notice.objects.exclude(pk__in=notices_before).exclude(pk__in=referenced)
            assert list(orphans) == []

            # The two runs together did exactly what one run would have done.
            assert ListRequest.objects.count() - requests_before == total["list_requests_opened"]
            assert AnnualReport.objects.count() - reports_before == total["reports_opened"]
            officers = sorted(officers_with_duties().values_list("pk", flat=True))
            dispatched = DigestDispatch.objects.filter(day=day, sent_at__isnull=False)
            assert sorted(dispatched.values_list("officer_id", flat=True)) == officers
            ids = Counter(m.extra_headers["Message-ID"] for m in mail.outbox)
            assert all(n == 1 for n in ids.values()), ids
            digests = [i for i in ids if i.startswith("<digest-")]
            assert total["digests"] == len(digests) == len(officers)
            new_steps = WorkflowStep.objects.count() - steps_before
            notify = WorkflowStep.objects.filter(notify=True, on=day)
            escalations = [i for i in ids if i.startswith("<escalation-")]
            assert len(escalations) == notify.count()
            assert notify.filter(notified_at__isnull=True).count() == 0

            # A third run the same day finds nothing left to do.
            again = beat(day)
            assert {key: again[key] for key in (*SUMMED, "digests", "moved")} == dict.fromkeys(
                (*SUMMED, "digests", "moved"), 0
            )
            figures.append(
                f"{day}: {total['list_requests_opened']} request(s) and "
                f"{total['reports_opened']} report(s) opened, {total['list_requests_late']} "
                f"late, {new_steps} step(s), {len(escalations)} escalation(s), "
                f"{len(digests)} digest(s); split {first['list_requests_opened']}/"
                f"{second['list_requests_opened']}"
            )
    with capsys.disabled():
        print("\n  " + "\n  ".join(figures))
    assert ListRequest.objects.exists() and AnnualReport.objects.exists()
