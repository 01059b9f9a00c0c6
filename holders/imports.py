"""Importing a List of Holders: all rows or none, with a report of every problem.

One transaction, one pass over the file: each row is read, validated and (while no problem
has been seen) written; on PostgreSQL the rows go in by COPY. Any row problem, or a list
check that fails (as-of window, total against the amount outstanding), rolls the whole
transaction back, and the problems are recorded afterwards, outside it.

Safe to run twice and concurrently: a transaction-scoped advisory lock on PostgreSQL makes a
second worker skip a list that is being imported, and a list already imported is left alone.
A worker that dies mid-import leaves nothing behind (its transaction is rolled back), and
the redelivered task imports the list again from the start.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import time
from dataclasses import dataclass, field
from decimal import Decimal, localcontext
from pathlib import Path

import psycopg
from django import db as django_db
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone

from holders import fastrows, index_rebuild, reading, validation, writers
from holders.list_checks import content_fingerprint, fingerprinter
from holders.models import Holder, HolderList, ListProblem
from holders.retention import destroy_superseded_by

log = logging.getLogger(__name__)
PROGRESS_EVERY = 20_000


class _Refused(Exception):
    """Raised inside the import transaction to roll it back; carries what was wrong."""

    def __init__(self, *, error="", problems=(), problem_count=0, list_problems=()):
        self.error = error
        self.problems = list(problems)
        self.problem_count = problem_count
        self.list_problems = list(list_problems)
        super().__init__(error or f"{problem_count} problems")


@dataclass
class ImportOutcome:
    status: str
    row_count: int = 0
    problem_count: int = 0
    message: str = ""
    # Seconds spent in each phase of an import that went through (benchmarks, the log).
    phases: dict = field(default_factory=dict)


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def estimate_rows(path: Path) -> int:
    """Lines in the file less the header: the denominator of the progress shown."""
    lines = 0
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            lines += block.count(b"\n")
    return max(lines - 1, 0)


def import_holder_list(list_id: int, *, method: str | None = None) -> ImportOutcome:
    """Import one received list: each row checked by holders.validation and written by COPY
    on PostgreSQL, by bulk inserts elsewhere. `method` "copy" or "orm" forces that writer
    (benchmarks)."""
    claimed = HolderList.objects.filter(
        pk=list_id, status__in=[HolderList.Status.PENDING, HolderList.Status.IMPORTING]
    ).update(status=HolderList.Status.IMPORTING, started_at=timezone.now(), rows_done=0)
    if not claimed:
        current = HolderList.objects.filter(pk=list_id).values_list("status", flat=True).first()
        return ImportOutcome(status=current or "missing", message="Nothing to import.")
    holder_list = HolderList.objects.select_related("security__agreement__terms").get(pk=list_id)
    path = Path(holder_list.original.path)
    if not holder_list.rows_total:
        holder_list.rows_total = estimate_rows(path)
        HolderList.objects.filter(pk=list_id).update(rows_total=holder_list.rows_total)
    try:
        with transaction.atomic():
            if not _lock(list_id):
                return ImportOutcome(status="importing", message="Another worker is on it.")
            outcome = _import(holder_list, path, method)
    except _Refused as refusal:
        return _record_refusal(holder_list, refusal)
    except CONNECTION_LOST as error:
        _record_connection_lost(holder_list, error)
        raise ConnectionLost(str(error)) from error
    return outcome


class ConnectionLost(Exception):
    """The database went away mid-import: nothing was written, and the task tries again."""


# The raw COPY cursor raises psycopg's own errors, which Django does not wrap.
CONNECTION_LOST = (
    psycopg.OperationalError,
    psycopg.InterfaceError,
    django_db.OperationalError,
    django_db.InterfaceError,
)


def _record_connection_lost(holder_list, error):
    """Say so on the list, through a new connection (the old one is broken), and leave it
    pending so that the retried task claims it again."""
    connection.close()
    message = (
        f"The database connection was lost at row {holder_list.rows_done or 0:,}; nothing "
        f"was stored and the import will be tried again ({type(error).__name__})."
    )
    HolderList.objects.filter(pk=holder_list.pk, status=HolderList.Status.IMPORTING).update(
        status=HolderList.Status.PENDING, error=message, rows_done=0
    )
    log.warning("List %s: %s", holder_list.pk, message)


def _lock(list_id: int) -> bool:
    if connection.vendor != "postgresql":
        return True  # SQLite has one writer at a time: the transaction itself serialises
    with connection.cursor() as cursor:
        # Namespaced by a constant so other advisory locks of the project cannot collide.
        cursor.execute("SELECT pg_try_advisory_xact_lock(%s, %s)", [7341, list_id])
        return cursor.fetchone()[0]


def _import(holder_list: HolderList, path: Path, method: str | None) -> ImportOutcome:
    try:
        table = reading.open_table(path, max_bytes=settings.TRUSTDESK_MAX_UPLOAD_BYTES)
        columns = validation.resolve_columns(table.headers, holder_list.column_mapping or None)
    except (reading.FileProblem, validation.ColumnProblem) as problem:
        raise _Refused(error=str(problem)) from problem

    clock = _Phases()
    rebuilt = index_rebuild.drop_for_load(holder_list.rows_total)
    progress = _Progress(holder_list.pk)
    way = _compiled_way(holder_list, path, table, columns, method, progress)
    if way is not None:
        count, total, excluded, fingerprint_result = way
        clock.lap("read, check and COPY (compiled)")
    else:
        count, total, excluded, fingerprint_result = _python_way(
            holder_list, table, columns, method, progress
        )
        clock.lap("read, check and COPY")

    list_problems = _list_problems(holder_list, total)
    blocking = [
        p for p in list_problems if not (p.overridable and holder_list.total_override_reason)
    ]
    if blocking:
        raise _Refused(list_problems=blocking)
    clock.lap("list checks")
    index_rebuild.restore(rebuilt)
    clock.lap("indexes built after the load" if rebuilt else "indexes (kept)")

    fingerprint, identical = _identical_list(holder_list, count, total, fingerprint_result)
    clock.lap("identical to an earlier list?")
    HolderList.objects.filter(pk=holder_list.pk).update(
        status=HolderList.Status.IMPORTED,
        row_count=count,
        rows_done=count,
        total_amount=total,
        # §1.1: what the Guarantor, the trustee and their Affiliates hold does not count in
        # votes; summed while the rows went by rather than by a second pass over a million
        # rows (holders.votes.list_totals_refresh keeps them current after a change).
        eligible_amount=total - excluded,
        excluded_amount=excluded,
        fingerprint=fingerprint,
        identical_to=identical,
        finished_at=timezone.now(),
        error="",
        problem_count=0,
        list_problems=[_problem_dict(p) for p in list_problems],
    )
    ListProblem.objects.filter(holder_list=holder_list).delete()
    if settings.TRUSTDESK_DESTROY_SUPERSEDED_LISTS:
        transaction.on_commit(lambda: destroy_superseded_by(holder_list.pk))
    clock.lap("recording the result")
    log.info("List %s imported: %s", holder_list.pk, clock)
    return ImportOutcome(status=HolderList.Status.IMPORTED, row_count=count, phases=clock.seconds)


def _compiled_way(holder_list, path, table, columns, method, progress):
    """The common rows checked and written as COPY text by the compiled scanner, the others
    by the reference (holders.fastrows), inside a savepoint: when the scanner is in doubt
    (a row with a problem, a holder listed twice, a file it does not read as the csv module
    would) what it wrote is rolled back and None says to go the Python way, which reports.
    Returns what _python_way returns, with no fingerprint taken on the way in."""
    compiled = method in (None, "copy") and settings.TRUSTDESK_COMPILED_ROW_CHECKS
    if not (compiled and connection.vendor == "postgresql" and fastrows.eligible(table)):
        return None
    try:
        with transaction.atomic():
            writer = writers.CopyWriter(holder_list)
            try:
                scanned = fastrows.scan(
                    path,
                    table,
                    columns,
                    prefix=writer.prefix,
                    write=writer.write_text,
                    write_holder=writer.write,
                    progress=progress.reached,
                    expected_rows=holder_list.rows_total,
                )
            except BaseException as error:
                writer.abort(error)
                raise
            writer.close()
    except fastrows.Doubt as doubt:
        log.info("List %s goes the Python way: %s", holder_list.pk, doubt)
        return None
    table.close()
    log.info(
        "List %s: %s rows checked by the compiled scanner, %s by the reference",
        holder_list.pk,
        scanned.compiled_rows,
        scanned.reference_rows,
    )
    return scanned.count, scanned.total, scanned.excluded, None


def _python_way(holder_list, table, columns, method, progress):
    """Read, check and write every row in Python (holders.validation): every file, and every
    problem reported with its row and field. Returns the count, the total, the affiliates'
    total and the fingerprint taken on the way in (or None)."""
    validator = validation.RowValidator(columns)
    fingerprint_add = fingerprint_result = None
    if _may_repeat(holder_list):
        fingerprint_add, fingerprint_result = fingerprinter()
    writer = writers.writer_for(holder_list, method)
    # A million HolderRows pass through here, none kept: the cyclic collector would walk them
    # again and again for nothing (about a second per million rows).
    collecting = gc.isenabled()
    gc.disable()
    try:
        excluded = _load(table.rows, validator, writer, progress, fingerprint_add)
        if validator.problem_count:
            raise _Refused(problems=validator.problems, problem_count=validator.problem_count)
        if not validator.count:
            raise _Refused(error="The file has a header but no holders.")
    except BaseException as error:
        writer.abort(error)
        raise
    finally:
        table.close()
        if collecting:
            gc.enable()
    writer.close()
    return validator.count, validator.total, excluded, fingerprint_result


class _Phases:
    def __init__(self):
        self.seconds = {}
        self._start = time.perf_counter()

    def lap(self, name):
        now = time.perf_counter()
        self.seconds[name] = now - self._start
        self._start = now

    def __str__(self):
        return ", ".join(f"{name} {seconds:.2f} s" for name, seconds in self.seconds.items())


def _may_repeat(holder_list) -> bool:
    """Whether an imported list of the security has as many holders as the file has lines
    (the usual file: no blank lines, no line breaks inside values). Then the fingerprint is
    taken on the way in (about a second a million rows) rather than from the stored rows
    afterwards (about four)."""
    return (
        HolderList.objects.filter(
            security=holder_list.security,
            status=HolderList.Status.IMPORTED,
            row_count=holder_list.rows_total,
        )
        .exclude(pk=holder_list.pk)
        .exists()
    )


def _identical_list(holder_list, count, total, computed=None) -> tuple[str, HolderList | None]:
    """§2.2(a): the list imported before that this one repeats, if any, and the fingerprint
    of this one ("" when it was not needed).

    Two lists can be identical only if they have as many holders and the same total, which
    the import knows without hashing anything; the content fingerprints (each holder hashed,
    a second a million rows) are computed only for lists that pass that test (`computed`,
    taken on the way in when a repeat looked possible, or else from the rows as stored), and
    kept on both lists for the next time."""
    candidates = list(
        HolderList.objects.filter(
            security=holder_list.security,
            status=HolderList.Status.IMPORTED,
            row_count=count,
            total_amount=total,
        )
        .exclude(pk=holder_list.pk)
        .order_by("-as_of", "-created_at")
    )
    if not candidates:
        return "", None
    fingerprint = computed() if computed else stored_fingerprint(holder_list.pk)
    for candidate in candidates:
        if not candidate.fingerprint:
            candidate.fingerprint = stored_fingerprint(candidate.pk)
            HolderList.objects.filter(pk=candidate.pk).update(fingerprint=candidate.fingerprint)
        if candidate.fingerprint == fingerprint:
            return fingerprint, candidate
    return fingerprint, None


# The holder's own fields: what two lists must share to be the same list.
_FINGERPRINTED = Holder.RECORD_FIELDS


def stored_fingerprint(list_id: int) -> str:
    """holders.list_checks.content_fingerprint of a list's holders as stored: the values the
    import stored are those it validated, so this is the fingerprint of the file's content."""
    rows = (
        Holder.objects.filter(holder_list_id=list_id)
        .order_by()
        .values_list(*_FINGERPRINTED)
        .iterator(chunk_size=10_000)
    )
    return content_fingerprint(validation.HolderRow(*values) for values in rows)


def _load(rows, validator, writer, progress, fingerprint_add=None) -> Decimal:
    """Check every row, write the valid ones while no row has failed, and return the total
    held by the Guarantor, the trustee and their Affiliates; `fingerprint_add`, if given,
    is called with each valid row. One loop with no generator layers: this is paid a million
    times."""
    check, write = validator.check, writer.write
    if fingerprint_add is not None:
        write_only = write

        def write(holder):
            write_only(holder)
            fingerprint_add(holder)

    excluded = []
    keep_excluded = excluded.append
    report, mark = progress.report, progress.every
    rows = iter(rows)
    try:
        for row_number, cells in rows:
            holder = check(row_number, cells)
            if holder is not None:
                write(holder)
                if holder.is_guarantor_affiliate or holder.is_trustee_affiliate:
                    keep_excluded(holder.amount)
            elif validator.problem_count:
                break  # nothing more is written; the rest is read only for its problems
            if row_number >= mark:
                mark = report(row_number)
        for row_number, cells in rows:
            check(row_number, cells)
            if row_number >= mark:
                mark = report(row_number)
    except reading.FileProblem as problem:
        raise _Refused(error=str(problem)) from problem
    with localcontext(prec=60):
        return sum(excluded, Decimal(0))


def _list_problems(holder_list, total):
    security = holder_list.security
    terms = getattr(security.agreement, "terms", None)
    window = terms.holder_list_as_of_days if terms else None
    return validation.check_list(
        as_of=holder_list.as_of,
        received=holder_list.received_on,
        as_of_window_days=window,
        total=total,
        outstanding=security.amount_outstanding,
    )


def _problem_dict(problem):
    return {"code": problem.code, "message": problem.message, "overridable": problem.overridable}


def _record_refusal(holder_list, refusal: _Refused) -> ImportOutcome:
    with transaction.atomic():
        ListProblem.objects.filter(holder_list=holder_list).delete()
        ListProblem.objects.bulk_create(
            ListProblem(holder_list=holder_list, row=p.row, field=p.field, problem=p.problem)
            for p in refusal.problems
        )
        HolderList.objects.filter(pk=holder_list.pk).update(
            status=HolderList.Status.FAILED,
            error=refusal.error,
            problem_count=refusal.problem_count,
            list_problems=[_problem_dict(p) for p in refusal.list_problems],
            finished_at=timezone.now(),
        )
    message = refusal.error or "; ".join(p.message for p in refusal.list_problems)
    if refusal.problem_count:
        message = f"{refusal.problem_count} row problem(s)"
    return ImportOutcome(
        status=HolderList.Status.FAILED, problem_count=refusal.problem_count, message=message
    )


class _Progress:
    """Rows done, written where the admin can see it while the import's transaction is open.

    On PostgreSQL through a second connection (alias "progress"), which commits on its own;
    SQLite allows one writer, so there the count appears when the import ends. The count is
    the row number reached: blank lines, which are skipped, count as done."""

    def __init__(self, list_id):
        self.list_id = list_id
        self.every = PROGRESS_EVERY
        self.alias = "progress" if "progress" in settings.DATABASES else None
        if connections[DEFAULT_DB_ALIAS].vendor != "postgresql":
            self.alias = None
        if self.alias is None:
            self.every = float("inf")
        self._next = self.every

    def reached(self, row_number: int) -> None:
        """Record `row_number` as done if it is PROGRESS_EVERY rows past the last report
        (the compiled scanner says where it is after each block of the file)."""
        if row_number >= self._next:
            self._next = self.report(row_number)

    def report(self, row_number: int) -> float:
        """Record `row_number` as done; returns the row number of the next report."""
        HolderList.objects.using(self.alias).filter(pk=self.list_id).update(rows_done=row_number)
        return row_number + PROGRESS_EVERY
