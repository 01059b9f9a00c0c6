"""calendar_materialize: 18 months of obligations for 10,000 agreements, in obligations/second.

value: trustee.obligations.materialize(today=2026-11-22) over every agreement (the real code
path: batched reads, DutyCalendar, bulk_create), created rows / seconds.
baseline: the naive way, measured in the same run on the first NAIVE_SAMPLE agreements after
their rows are deleted: load them, compute each one's duties with DutyCalendar.between and save
every Obligation one by one with Model.save(). The naive run must recreate exactly the rows
materialize made for those agreements, or the benchmark fails.
"""

from __future__ import annotations

import random

from bench.common import TODAY, bench_line, make_agreements, make_officers, say, setup_django, timed

NAME = "calendar_materialize"
AGREEMENTS = 10_000
OFFICERS = 50
NAIVE_SAMPLE = 1_000
SEED = 20261122
ROW_FIELDS = ("agreement_id", "key", "kind", "due_date", "status", "next_check", "officer_id")


def run():
    print(f"{NAME}:", flush=True)
    setup_django(require_postgres=False)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from trustee.models import Obligation
    from trustee.obligations import horizon_end, materialize

    rng = random.Random(SEED)
    with timed() as t:
        officer_ids = make_officers(OFFICERS)
        agreement_ids = make_agreements(AGREEMENTS, officer_ids=officer_ids, rng=rng)
    say("set-up (bulk_create, not measured) seconds", f"{t.seconds:.2f}")
    say("agreements", f"{len(agreement_ids):,} ({OFFICERS} officers)")
    say("horizon", f"{TODAY} to {horizon_end(TODAY)}")

    with CaptureQueriesContext(connection) as queries, timed() as t:
        result = materialize(today=TODAY)
    rate = result.created / t.seconds
    rows = Obligation.objects.count()
    say("materialize: agreements", f"{result.agreements:,}")
    say("materialize: obligations created", f"{result.created:,} (rows in table: {rows:,})")
    say("materialize: by kind", _by_kind())
    say("materialize: seconds", f"{t.seconds:.2f}")
    say("materialize: SQL queries", f"{len(queries):,} ({_kinds(queries)})")
    say("materialize: obligations/s", f"{rate:,.0f}")
    if result.created != rows or result.agreements != AGREEMENTS:
        raise SystemExit(f"materialize made {result.created} rows, the table holds {rows}")

    with CaptureQueriesContext(connection) as again_queries, timed() as again:
        second = materialize(today=TODAY)
    say(
        "materialize again (idempotent): created",
        f"{second.created} (rescheduled {second.rescheduled}, retired {second.retired}) "
        f"in {again.seconds:.2f} s, {len(again_queries)} queries",
    )
    if second.created or Obligation.objects.count() != rows:
        raise SystemExit("The second materialize created rows: it is not idempotent.")

    naive_rate = _naive_baseline(agreement_ids[:NAIVE_SAMPLE])
    bench_line(NAME, rate, "obligations/s", naive_rate)


def _naive_baseline(sample_ids):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from trustee.calendar import BusinessCalendar, DutyCalendar
    from trustee.models import Obligation
    from trustee.obligations import _new_obligation, _primary_officer_id, horizon_end
    from trustee.selectors import agreement_data, agreements_for_calendar

    sample = Obligation.objects.filter(agreement_id__in=sample_ids)
    expected = set(sample.values_list(*ROW_FIELDS))
    sample.delete()

    end = horizon_end(TODAY)
    with CaptureQueriesContext(connection) as queries, timed() as t:
        business = BusinessCalendar()
        created = 0
        for agreement in agreements_for_calendar().filter(pk__in=sample_ids):
            officer_id = _primary_officer_id(agreement)
            calendar = DutyCalendar(agreement_data(agreement), business)
            for duty in calendar.between(TODAY, end):
                _new_obligation(agreement.pk, duty, officer_id, TODAY).save()
                created += 1
    rate = created / t.seconds
    say("naive baseline: agreements", f"{len(sample_ids):,} (the first, their rows deleted)")
    say("naive baseline: obligations saved one by one", f"{created:,}")
    say("naive baseline: seconds", f"{t.seconds:.2f}")
    say("naive baseline: SQL queries", f"{len(queries):,}")
    say("naive baseline: obligations/s", f"{rate:,.0f}")
    got = set(Obligation.objects.filter(agreement_id__in=sample_ids).values_list(*ROW_FIELDS))
    if got != expected:
        raise SystemExit(
            f"The naive baseline made different rows from materialize: "
            f"{len(expected - got)} missing, {len(got - expected)} extra."
        )
    say("naive baseline rows identical to materialize's", "yes")
    return rate


def _by_kind():
    from django.db.models import Count, F, Q

    from trustee.models import Obligation

    rows = (
        Obligation.objects.values_list("kind")
        .annotate(n=Count("id"), moved=Count("id", filter=~Q(due_date=F("nominal_date"))))
        .order_by("kind")
    )
    return ", ".join(f"{kind} {n:,} ({moved:,} moved)" for kind, n, moved in rows)


def _kinds(queries):
    counts = {}
    for query in queries:
        verb = query["sql"].lstrip().split(None, 1)[0].upper()
        counts[verb] = counts.get(verb, 0) + 1
    return ", ".join(f"{verb} {n}" for verb, n in sorted(counts.items()))
