"""Drill: the PostgreSQL connection of a holder import terminated in the middle of its COPY
(pg_terminate_backend, as a failover, a restarted server or a killed idle-session reaper
would do).

It proves that the import is all or nothing even then: the import stops with an error that
says the connection was lost, no Holder row of the list is left behind (the transaction dies
with the connection), and importing the list again, as the redelivered task would, stores
every one of the 200,000 rows exactly once. A second test runs it as the worker
does (the Celery task with its retry policy): the list is never left "importing" with no
task to finish it.
"""

import threading
import time
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, connections
from django.db.models import Count, Sum

from bench.holders_data import write_holder_csv
from holders.imports import import_holder_list
from holders.intake import holder_list_receive
from holders.models import Holder, HolderList
from holders.tasks import import_holder_list as import_task

ROWS = 200_000
UNIT = Decimal(25)


def receive_generated_list(security, tmp_path):
    path = tmp_path / "holders.csv"
    total = write_holder_csv(path, ROWS, unit=UNIT)
    security.unit_amount = UNIT
    security.aggregate_amount = security.amount_outstanding = total
    security.save()
    with open(path, "rb") as handle:
        holder_list = holder_list_receive(
            security=security,
            as_of=date(2026, 2, 10),
            received_on=date(2026, 2, 15),
            source="guarantor",
            file=handle,
            file_name="holders.csv",
            by=None,
            enqueue=False,
        )
    return holder_list, total


def import_and_drop_its_connection(list_id, *, after_rows=40_000, run_import=import_holder_list):
    """Run the import in a thread (its own database connections) and terminate the backend
    of its COPY once the import has reported `after_rows` rows. Returns (error, outcome,
    terminated backends)."""
    result = {}

    def run():
        try:
            result["outcome"] = run_import(list_id)
        except BaseException as error:  # what the Celery task would see
            result["error"] = error
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    terminated = []
    deadline = time.monotonic() + 60
    with connection.cursor() as cursor:
        while thread.is_alive() and not terminated and time.monotonic() < deadline:
            done = HolderList.objects.filter(pk=list_id).values_list("rows_done", flat=True)[0]
            if done >= after_rows:
                cursor.execute(
                    "SELECT pid, pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND query ILIKE 'COPY holders_holder%%' "
                    "AND state = 'active'"
                )
                terminated = [pid for pid, ok in cursor.fetchall() if ok]
            else:
                time.sleep(0.005)
    thread.join(timeout=60)
    assert not thread.is_alive()
    return result.get("error"), result.get("outcome"), terminated


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, databases=["default", "progress"])
def test_a_dropped_connection_leaves_no_row_and_the_import_again_stores_each_row_once(
    security, tmp_path, capsys
):
    holder_list, total = receive_generated_list(security, tmp_path)
    started = time.monotonic()
    error, outcome, terminated = import_and_drop_its_connection(holder_list.pk)
    holder_list.refresh_from_db()
    reached = holder_list.rows_done

    assert len(terminated) == 1, "exactly the import's COPY backend was terminated"
    assert outcome is None, f"the import finished before the drop: {outcome}"
    assert error is not None
    message = str(error).lower()
    assert "terminat" in message or "connection" in message, repr(error)
    assert not Holder.objects.filter(holder_list=holder_list).exists()
    assert not Holder.objects.exists()

    # Imported again, as the redelivered task (acks_late) or an operator would: a list left
    # "importing" is claimed again (holders/imports.py) and imported from the start.
    assert holder_list.status in (HolderList.Status.IMPORTING, HolderList.Status.PENDING)
    again = import_holder_list(holder_list.pk)
    holder_list.refresh_from_db()
    stored = Holder.objects.filter(holder_list=holder_list)
    figures = stored.aggregate(
        rows=Count("pk"), distinct_rows=Count("row_number", distinct=True), total=Sum("amount")
    )
    said = " ".join(str(error).split())[:80]
    with capsys.disabled():
        print(
            f"\n  COPY terminated after {reached:,} of {ROWS:,} rows reported "
            f"({type(error).__module__}.{type(error).__name__}: {said}); "
            f"0 rows left; imported again: {figures['rows']:,} rows, "
            f"{figures['distinct_rows']:,} distinct; {time.monotonic() - started:.1f} s"
        )
    assert again.status == HolderList.Status.IMPORTED, again.message
    assert again.row_count == ROWS
    assert holder_list.status == HolderList.Status.IMPORTED
    assert holder_list.row_count == holder_list.rows_done == ROWS
    assert figures == {"rows": ROWS, "distinct_rows": ROWS, "total": total}
    assert Holder.objects.count() == ROWS


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, databases=["default", "progress"])
def test_the_import_task_retries_or_records_a_dropped_connection(security, tmp_path):
    holder_list, _ = receive_generated_list(security, tmp_path)

    def as_the_worker_runs_it(list_id):
        # Task.apply runs the task here with its retry policy (an eager retry runs at once).
        return import_task.apply(args=[list_id])

    _, result, terminated = import_and_drop_its_connection(
        holder_list.pk, run_import=as_the_worker_runs_it
    )
    assert len(terminated) == 1
    holder_list.refresh_from_db()
    # Either the task tried again and the list is in, or the list says what happened; never a
    # list left "importing" that no task will finish.
    if holder_list.status != HolderList.Status.IMPORTED:
        assert holder_list.status != HolderList.Status.IMPORTING, (
            f"left importing at {holder_list.rows_done:,} rows; task result: {result.result!r}"
        )
        assert "connection" in holder_list.error.lower()
    else:
        assert Holder.objects.filter(holder_list=holder_list).count() == ROWS
