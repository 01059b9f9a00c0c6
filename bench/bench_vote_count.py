"""vote_count: counting a solicitation over a 1,000,000-holder record list, in milliseconds.

value: median of 5 runs of holders.votes.vote_count (two aggregate queries). baseline: the
naive count measured in the same run: every holder and vote loaded into Python and summed.
Target: under 200 ms.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from bench.common import analyze, bench_line, median, say, setup_django, timed
from bench.holders_setup import imported_list

RUNS = 5


def _votes(holder_list):
    from django.db import connection
    from django.utils import timezone

    from holders.votes import list_totals_refresh, solicitation_open

    solicitation = solicitation_open(
        record_list=holder_list,
        kind="waiver",
        description="Waiver of the covenant default",
        opened_on=timezone.localdate() - timedelta(days=1),
        by=None,
    )
    with connection.cursor() as cursor:
        # Every 12th holder is an affiliate; every 3rd consents, every 7th objects.
        cursor.execute(
            "UPDATE holders_holder SET is_guarantor_or_affiliate = (row_number %% 12 = 0) "
            "WHERE holder_list_id = %s",
            [holder_list.pk],
        )
        cursor.execute(
            "INSERT INTO holders_vote (solicitation_id, holder_id, response, received_on, "
            "recorded_at, amount, counts) SELECT %s, id, CASE WHEN row_number %% 3 = 0 "
            "THEN 'consent' ELSE 'object' END, CURRENT_DATE, now(), amount, "
            "NOT (is_guarantor_or_affiliate OR is_trustee_or_affiliate) FROM holders_holder "
            "WHERE holder_list_id = %s AND (row_number %% 3 = 0 OR row_number %% 7 = 0)",
            [solicitation.pk, holder_list.pk],
        )
    # What holders.votes.holders_affiliation_set does after marking affiliates (done in SQL
    # above for a million rows at once).
    list_totals_refresh(holder_list.pk)
    analyze("holders_holder", "holders_vote")
    return solicitation


def _naive(solicitation):
    from holders.models import Holder, Vote

    responses = dict(
        Vote.objects.filter(solicitation=solicitation).values_list("holder_id", "response")
    )
    eligible = consenting = Decimal(0)
    for pk, amount, g, t in Holder.objects.filter(
        holder_list_id=solicitation.record_list_id
    ).values_list("id", "amount", "is_guarantor_or_affiliate", "is_trustee_or_affiliate"):
        if g or t:
            continue
        eligible += amount
        if responses.get(pk) == "consent":
            consenting += amount
    return eligible, consenting


def run():
    say("database", setup_django(require_postgres=True))
    from holders.votes import vote_count

    holder_list = imported_list()
    solicitation = _votes(holder_list)
    times = []
    for _ in range(RUNS):
        with timed() as t:
            tally = vote_count(solicitation)
        times.append(t.seconds * 1000)
    say("count", tally.explain("liquidation preference"))
    say("runs (ms)", ", ".join(f"{v:.1f}" for v in times))
    with timed() as t:
        eligible, consenting = _naive(solicitation)
    assert (eligible, consenting) == (tally.eligible, tally.consenting)
    say("naive count (ms)", f"{t.seconds * 1000:.1f}; same result")
    value = median(times)
    if value >= 200:
        say("WARNING", f"{value:.0f} ms is over the 200 ms target")
    bench_line("vote_count", value, "ms", t.seconds * 1000)
