"""calendar_sweep: the daily sweep over 200,000 open obligations on PostgreSQL, in seconds.

The sweep is what runs each morning: trustee.obligations.advance_statuses(now=2026-11-22 12:00
New York) moves upcoming -> due soon -> overdue, then the daily digest reads "what is due soon
or overdue today, per officer" with the queries trustee/digests.py runs (the officers with
anything due soon or overdue, then each one's list; no mail is rendered or sent).

The table holds 200,000 open obligations (state as the previous day's sweep left it, so today's
sweep moves the rows whose next_check is today) and 100,000 closed ones (done / not required,
next_check NULL), over 2,000 agreements and 50 officers, made with bulk_create and analyzed.

value: median seconds of SWEEP_RUNS sweeps, each on the same data (the moved rows are put
back with one UPDATE and the table vacuumed between runs).
baseline: the naive sweep, measured in the same run: load every open obligation, recompute
its status with obligation_rules.standing, bulk_update the changed ones, then the same digest
reads. Both must leave the same rows in the same state, or the benchmark fails.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from bench.common import (
    TODAY,
    analyze,
    bench_line,
    make_agreements,
    make_officers,
    median,
    say,
    setup_django,
    timed,
)

NAME = "calendar_sweep"
OPEN_ROWS = 200_000
CLOSED_ROWS = 100_000
AGREEMENTS = 2_000
OFFICERS = 50
SWEEP_RUNS = 5
NAIVE_RUNS = 3
TARGET_SECONDS = 1.0
SEED = 20261122
NOW = datetime(2026, 11, 22, 12, 0, tzinfo=ZoneInfo("America/New_York"))
YESTERDAY = TODAY - timedelta(days=1)
HORIZON_DAYS = 548  # 18 months
OVERDUE_SHARE = 0.03  # open obligations past their due date (not yet done)
OTHER_ZONE_SHARE = 0.02  # agreements whose deadlines run in Chicago time
RESET_TABLE = "bench_sweep_reset"
KIND_WEIGHTS = {
    "holder_list": 35,
    "payment": 35,
    "report_to_holders": 15,
    "compliance_certificate": 10,
    "maturity": 5,
}


def run():
    print(f"{NAME}:", flush=True)
    setup_django(require_postgres=True)
    rng = random.Random(SEED)

    with timed() as t:
        officer_ids = make_officers(OFFICERS)
        agreement_ids = make_agreements(
            AGREEMENTS, officer_ids=officer_ids, rng=rng, other_zone_share=OTHER_ZONE_SHARE
        )
        officer_of = {a: officer_ids[n % len(officer_ids)] for n, a in enumerate(agreement_ids)}
        _make_obligations(rng, agreement_ids, officer_of)
        analyze(
            "trustee_obligation",
            "trustee_agreement",
            "trustee_agreementterms",
            "trustee_trustofficer",
        )
        _save_reset_rows()
    say("set-up (bulk_create + VACUUM ANALYZE, not measured) seconds", f"{t.seconds:.1f}")
    _describe_table()

    fast = [_measure(_fast_advance, f"sweep run {n + 1}") for n in range(SWEEP_RUNS)]
    fast_state = _moved_rows_state()
    naive = [_measure(_naive_advance, f"naive run {n + 1}") for n in range(NAIVE_RUNS)]
    if _moved_rows_state() != fast_state:
        raise SystemExit("The naive sweep and advance_statuses left different states.")
    say("naive and advance_statuses leave identical rows", "yes")

    value = median(run.total for run in fast)
    baseline = median(run.total for run in naive)
    say(
        "advance_statuses: median seconds",
        f"{median(r.advance for r in fast):.4f} "
        f"({fast[0].moved} rows moved, {fast[0].queries} queries per sweep)",
    )
    say("digest reads: median seconds", f"{median(r.digest for r in fast):.4f}")
    say("naive advance: median seconds", f"{median(r.advance for r in naive):.4f}")

    _reset()
    uses_index = _explain_sweep(fast[0].sql)
    _explain_digest()
    _count_per_officer()
    if value >= TARGET_SECONDS:
        print(f"WARNING: the sweep took {value:.3f} s, not under {TARGET_SECONDS} s", flush=True)
    if not uses_index:
        print("WARNING: the sweep's plan does not use index obligation_sweep", flush=True)
    bench_line(NAME, value, "s", baseline)


# -- the data ----------------------------------------------------------------------------------


def _make_obligations(rng, agreement_ids, officer_of):
    from django.utils import timezone

    from trustee import obligation_rules as rules
    from trustee.calendar import DUTY_FACTS, DutyKind
    from trustee.models import Obligation
    from trustee.obligations import lead_days

    kinds = [DutyKind(kind) for kind in KIND_WEIGHTS]
    weights = list(KIND_WEIGHTS.values())
    closed_at = timezone.now()

    def row(n, due, status, next_check, **extra):
        kind = rng.choices(kinds, weights)[0]
        agreement_id = rng.choice(agreement_ids)
        if status in rules.OPEN:
            standing = rules.standing(due=due, today=YESTERDAY, lead_days=lead_days(kind))
            status, next_check = standing.status, standing.next_check
        title, owed_by, _ = DUTY_FACTS[kind]
        return Obligation(
            agreement_id=agreement_id,
            kind=kind,
            owed_by=owed_by,
            key=f"{kind}:{due}:{n}",
            title=title,
            nominal_date=due,
            due_date=due,
            is_weekend=due.weekday() >= 5,
            section="2.2(a)",
            quote="on or before the dates stated in the agreement",
            officer_id=officer_of[agreement_id],
            status=status,
            next_check=next_check,
            **extra,
        )

    rows = []
    for n in range(OPEN_ROWS):
        if rng.random() < OVERDUE_SHARE:  # past due and not done, mostly recently
            due = TODAY - timedelta(days=1 + min(int(rng.expovariate(1 / 45)), HORIZON_DAYS))
        else:
            due = TODAY + timedelta(days=rng.randint(0, HORIZON_DAYS))
        rows.append(row(n, due, rules.UPCOMING, None))
    for n in range(OPEN_ROWS, OPEN_ROWS + CLOSED_ROWS):
        if rng.random() < 0.85:
            due = TODAY - timedelta(days=rng.randint(1, HORIZON_DAYS))
        else:  # done or waived ahead of its date
            due = TODAY + timedelta(days=rng.randint(0, 90))
        status = rules.DONE if rng.random() < 0.9 else rules.NOT_REQUIRED
        rows.append(row(n, due, status, None, closed_at=closed_at, resolution="Received; on file."))
    rng.shuffle(rows)  # interleave open and closed rows on disk, as years of use would
    Obligation.objects.bulk_create(rows, batch_size=5000)


def _describe_table():
    from django.db.models import Count, Max, Min

    from trustee.models import Obligation

    counts = dict(
        Obligation.objects.values_list("status").annotate(n=Count("id")).order_by("status")
    )
    total = sum(counts.values())
    span = Obligation.objects.aggregate(first=Min("due_date"), last=Max("due_date"))
    say("obligations", f"{total:,} over {AGREEMENTS:,} agreements and {OFFICERS} officers")
    for status, n in sorted(counts.items()):
        say(f"  {status}", f"{n:,} ({n / total:.1%})")
    say("due dates", f"{span['first']} to {span['last']}")
    with _cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {RESET_TABLE}")
        say("rows today's sweep should move", f"{cursor.fetchone()[0]:,}")


def _cursor():
    from django.db import connection

    return connection.cursor()


def _save_reset_rows():
    """The rows a sweep on TODAY changes, as they were: put back before every run."""
    with _cursor() as cursor:
        cursor.execute(
            f"CREATE UNLOGGED TABLE {RESET_TABLE} AS "
            "SELECT id, status, next_check FROM trustee_obligation "
            "WHERE status IN ('upcoming', 'due_soon') AND next_check <= %s",
            [TODAY],
        )
        cursor.execute(f"ALTER TABLE {RESET_TABLE} ADD PRIMARY KEY (id)")


def _reset():
    with _cursor() as cursor:
        cursor.execute(
            f"UPDATE trustee_obligation o SET status = r.status, next_check = r.next_check "
            f"FROM {RESET_TABLE} r WHERE o.id = r.id "
            "AND (o.status, o.next_check) IS DISTINCT FROM (r.status, r.next_check)"
        )
    analyze("trustee_obligation")


def _moved_rows_state():
    with _cursor() as cursor:
        cursor.execute(
            f"SELECT o.id, o.status, o.next_check FROM trustee_obligation o "
            f"JOIN {RESET_TABLE} r ON r.id = o.id ORDER BY o.id"
        )
        return cursor.fetchall()


# -- the sweeps --------------------------------------------------------------------------------


def _fast_advance():
    from trustee.obligations import advance_statuses

    return advance_statuses(now=NOW)


def _naive_advance():
    """Every open obligation into Python, its status recomputed, the changed ones saved."""
    from django.conf import settings

    from trustee import obligation_rules as rules
    from trustee.calendar import local_today
    from trustee.models import AgreementTerms, Obligation
    from trustee.obligations import lead_days

    zone_of = dict(AgreementTerms.objects.values_list("agreement_id", "time_zone"))
    today_in = {}
    changed = []
    for row in Obligation.objects.filter(status__in=rules.OPEN):
        zone = zone_of.get(row.agreement_id, settings.TIME_ZONE)
        if zone not in today_in:
            today_in[zone] = local_today(zone, NOW)
        standing = rules.standing(
            due=row.due_date, today=today_in[zone], lead_days=lead_days(row.kind)
        )
        if (standing.status, standing.next_check) != (row.status, row.next_check):
            row.status, row.next_check = standing.status, standing.next_check
            changed.append(row)
    Obligation.objects.bulk_update(changed, ["status", "next_check"], batch_size=500)
    return len(changed)


def _digest_reads():
    """The reads of trustee.digests.send_daily_digests, without rendering or sending mail."""
    from trustee.digests import digest_obligations, officers_with_duties

    officers = list(officers_with_duties())
    rows = sum(len(digest_obligations(officer)) for officer in officers)
    return len(officers), rows


@dataclass
class Run:
    advance: float
    digest: float
    moved: int
    queries: int
    sql: list[str]

    @property
    def total(self):
        return self.advance + self.digest


def _measure(advance, label):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _reset()
    with CaptureQueriesContext(connection) as queries:
        with timed() as a:
            moved = advance()
        sql = [q["sql"] for q in queries]
        with timed() as d:
            officers, rows = _digest_reads()
    run = Run(a.seconds, d.seconds, moved, len(sql), sql)
    say(
        label,
        f"{run.total:.4f} s (advance {run.advance:.4f} s, {moved} moved, {len(sql)} queries; "
        f"digest reads {run.digest:.4f} s, {officers} officers, {rows:,} rows)",
    )
    return run


# -- plans -------------------------------------------------------------------------------------


def _show_plan(title, lines):
    say(title)
    for line in lines:
        print(f"      {line}", flush=True)


def _explain_sweep(sweep_sql):
    """EXPLAIN (ANALYZE, BUFFERS) of the sweep's step as a SELECT (which changes nothing),
    then of the UPDATE statements advance_statuses really sent, inside a transaction that is
    rolled back."""
    from django.db import transaction

    from trustee import obligation_rules as rules
    from trustee.models import Obligation

    select = Obligation.objects.filter(status=rules.UPCOMING, next_check__lte=TODAY)
    plan = select.explain(analyze=True, buffers=True)
    _show_plan(
        f"EXPLAIN (ANALYZE, BUFFERS) Obligation.objects.filter(status='upcoming', "
        f"next_check__lte={TODAY}):",
        plan.splitlines(),
    )
    uses_index = "obligation_sweep" in plan
    say("plan uses obligation_sweep", "yes" if uses_index else "no")

    updates = [sql for sql in sweep_sql if sql.lstrip().upper().startswith("UPDATE")]
    update_plans_use_index = []
    for n, sql in enumerate(updates, 1):
        with transaction.atomic(), _cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
            lines = [line for (line,) in cursor.fetchall()]
            transaction.set_rollback(True)
        _show_plan(f"advance_statuses UPDATE {n} of {len(updates)}: {sql}", [])
        _show_plan("EXPLAIN (ANALYZE, BUFFERS), rolled back:", lines)
        update_plans_use_index.append(any("obligation_sweep" in line for line in lines))
    say(
        "UPDATE plans using obligation_sweep",
        f"{sum(update_plans_use_index)} of {len(update_plans_use_index)}",
    )
    return uses_index


def _explain_digest():
    from trustee.digests import digest_obligations, officers_with_duties

    officers = officers_with_duties()
    plan = officers.explain(analyze=True, buffers=True)
    _show_plan("EXPLAIN (ANALYZE, BUFFERS) digest: officers with something due", plan.splitlines())
    plan = digest_obligations(officers.first()).explain(analyze=True, buffers=True)
    _show_plan("EXPLAIN (ANALYZE, BUFFERS) digest: one officer's list", plan.splitlines())
    say(
        "digest list plan uses obligation_officer_open",
        "yes" if "obligation_officer_open" in plan else "no",
    )


def _count_per_officer():
    """The per-officer count the issue names, for the record (not part of the value)."""
    from django.db.models import Count

    from trustee import obligation_rules as rules
    from trustee.models import Obligation

    query = (
        Obligation.objects.filter(status__in=[rules.DUE_SOON, rules.OVERDUE])
        .values("officer_id")
        .annotate(n=Count("id"))
    )
    with timed() as t:
        counts = [row["n"] for row in query]
    say(
        "due soon or overdue per officer (Count query)",
        f"{len(counts)} officers, {min(counts)} to {max(counts)} each, "
        f"{sum(counts):,} in all, {t.seconds:.4f} s",
    )
