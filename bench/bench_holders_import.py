"""holders_import: a 1,000,000-row List of Holders validated and stored on PostgreSQL.

value: seconds for holders.imports.import_holder_list (read, validate every row, COPY, list
checks, indexes built after the load, the check for a repeated list) on the generated file,
its rows checked by the compiled scanner (holders.fastrows, the library `make bench` builds),
each run a new list of the security (the previous run's list is left as destroyed), with the
seconds of each phase below it. baseline: `psql \\copy` of the same file into an
unindexed table of text columns, measured in the same run; the best of three interleaved runs
of each. holders_import_orm is the same import with Django's bulk_create instead of COPY,
against the same baseline, and holders_import_python the import with every row checked by the
Python reference (TRUSTDESK_COMPILED_ROW_CHECKS off), as before the scanner; each measured
once. BENCH_RUNS=1 for a quicker look.
"""

from __future__ import annotations

import os
import subprocess

from bench.common import analyze, bench_line, say, setup_django, timed
from bench.holders_setup import holder_file, make_security, receive

RUNS = int(os.environ.get("BENCH_RUNS", "3"))


def _psql_copy(path) -> float:
    from django.db import connection

    settings = connection.settings_dict
    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS bench_copy")
        cursor.execute(
            "CREATE TABLE bench_copy (name text, address_1 text, address_2 text, city text, "
            "state text, zip text, country text, email text, amount text)"
        )
    env = {"PGPASSWORD": settings.get("PASSWORD") or ""}
    command = [
        "psql",
        "-X",
        "-q",
        "-v",
        "ON_ERROR_STOP=1",
        "-h",
        settings.get("HOST") or "127.0.0.1",
        "-p",
        str(settings.get("PORT") or 5432),
        "-U",
        settings.get("USER") or "postgres",
        "-d",
        settings["NAME"],
        "-c",
        f"\\copy bench_copy FROM '{path}' WITH (FORMAT csv, HEADER true)",
    ]
    with timed() as t:
        subprocess.run(command, check=True, env={**os.environ, **env})
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_copy")
        copied = cursor.fetchone()[0]
        cursor.execute("DROP TABLE bench_copy")
    say("psql \\copy", f"{copied:,} rows in {t.seconds:.2f} s")
    return t.seconds


def _import(security, path, method) -> float:
    from django.db import connection
    from django.test import override_settings

    from holders import fastrows

    if method == "copy" and not fastrows.available():
        raise SystemExit(f"{fastrows.LIBRARY} is not built: run make bench")
    from holders.imports import import_holder_list
    from holders.models import Holder, HolderList

    holder_list = receive(security, path)
    compiled = method != "python"
    with timed() as t, override_settings(TRUSTDESK_COMPILED_ROW_CHECKS=compiled):
        outcome = import_holder_list(
            holder_list.pk, method="copy" if method == "python" else method
        )
    assert outcome.status == "imported", outcome.message
    stored = Holder.objects.filter(holder_list=holder_list).count()
    say(f"import by {method}", f"{stored:,} holders stored in {t.seconds:.2f} s")
    phases = ", ".join(f"{name} {seconds:.2f}" for name, seconds in outcome.phases.items())
    say("  of which (s)", phases)
    # Leave the table as it was, so the next measurement starts from the same state. In SQL:
    # Django's delete would first look for the votes of each of a million holders (none).
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM holders_holder WHERE holder_list_id = %s", [holder_list.pk])
    # As a destruction would leave it (holders.retention): the next run's list is a new one,
    # not a repeat of this one, whose rows are gone.
    HolderList.objects.filter(pk=holder_list.pk).update(status=HolderList.Status.DESTROYED)
    analyze("holders_holder")
    return t.seconds


def run():
    vendor = setup_django(require_postgres=True)
    say("database", vendor)
    path, total = holder_file()
    security = make_security(total)
    # Interleaved, best of RUNS each: the first COPY into a new database pays for creating
    # WAL segments (about twice the time of the next ones), and one run of either could
    # land on a checkpoint. Taking the best of both compares like with like.
    baselines, copies = [], []
    for _ in range(RUNS):
        baselines.append(_psql_copy(path))
        copies.append(_import(security, path, "copy"))
    say("psql \\copy seconds, each run", ", ".join(f"{s:.2f}" for s in baselines))
    say("import by copy seconds, each run", ", ".join(f"{s:.2f}" for s in copies))
    baseline = min(baselines)
    bench_line("holders_import", min(copies), "s", baseline)
    bench_line("holders_import_python", _import(security, path, "python"), "s", baseline)
    if os.environ.get("BENCH_SKIP_ORM"):
        say("holders_import_orm", "skipped (BENCH_SKIP_ORM is set)")
        return
    bench_line("holders_import_orm", _import(security, path, "orm"), "s", baseline)
