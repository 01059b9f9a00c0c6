"""holder_changelist: the admin's holder list over 1,000,000 rows, in milliseconds.

value: median of 5 GETs of /admin/holders/holder/ through the Django test client as a
superuser (server time, no network). baseline: the same page with Django's stock paginator
and full result count (COUNT(*) over the table on every page), measured in the same run.
Target: under 300 ms.
"""

from __future__ import annotations

from django.core.paginator import Paginator

from bench.common import bench_line, median, say, setup_django, timed
from bench.holders_setup import imported_list

RUNS = 5


def _page(client, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times = []
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as queries, timed() as t:
            response = client.get(path, HTTP_HOST="localhost")
        assert response.status_code == 200, response.status_code
        times.append(t.seconds * 1000)
    return median(times), len(queries), times


def run():
    say("database", setup_django(require_postgres=True))
    from django.contrib.auth import get_user_model
    from django.test import Client

    from holders.admin.holders import HolderAdmin

    holder_list = imported_list()
    user = get_user_model().objects.create_superuser("bench", "bench@example.com", "x" * 20)
    client = Client()
    client.force_login(user)
    path = "/admin/holders/holder/"
    value, queries, times = _page(client, path)
    say("page", f"{path}: {queries} queries; runs (ms) " + ", ".join(f"{v:.0f}" for v in times))
    one_list = f"{path}?holder_list__id__exact={holder_list.pk}&p=500"
    filtered, queries, _ = _page(client, one_list)
    say("one list, page 500 (exact count)", f"{filtered:.0f} ms, {queries} queries")
    # "Mary" starts one name in 24 (about 42,000 holders); "Smith" starts none (the generated
    # names are "First I. Last").
    for term in ("Mary", "Mary A", "Smith", "061"):
        search, queries, _ = _page(client, f"{path}?q={term.replace(' ', '+')}")
        say(f"search {term!r}", f"{search:.0f} ms, {queries} queries")

    saved = HolderAdmin.paginator, HolderAdmin.show_full_result_count
    HolderAdmin.paginator, HolderAdmin.show_full_result_count = Paginator, True
    try:
        baseline, queries, _ = _page(client, path)
    finally:
        HolderAdmin.paginator, HolderAdmin.show_full_result_count = saved
    say("stock paginator and full count", f"{baseline:.0f} ms, {queries} queries")
    if value >= 300:
        say("WARNING", f"{value:.0f} ms is over the 300 ms target")
    bench_line("holder_changelist", value, "ms", baseline)
