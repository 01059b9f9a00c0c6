"""desk_search: the desk's search across agreements, parties, securities (CUSIP) and holders
in a department of 10,000 agreements, 200,000 obligations and 1,000,000 holders, in ms.

value: median of 7 GETs of /admin/desk/search/?q=Smith (a common start of a registered name:
about a tenth of the million holders match, the first 25 are shown) by a Responsible Officer,
after 2 warm-up GETs, through the Django test client. Detail lines: a CUSIP, an agreement's
name, and the plan of the holders' query (it must use holder_name_search).
baseline: the stock admin holder changelist searched for the same name prefix
(/admin/holders/holder/?q=Smith), measured in the same run. Target: under 300 ms.
"""

from __future__ import annotations

from bench.common import say
from bench.desk_data import client_for, ensure, measure, report

NAME = "desk_search"


def run():
    print(f"{NAME}:", flush=True)
    department = ensure()
    from trustee.search import LIMIT, holders_by_name_prefix

    client = client_for(department.officer_username)
    path = f"/admin/desk/search/?q={department.holder_prefix}"
    value, queries, times, response = measure(client, path)
    assert response.content.count(b"/admin/holders/holder/") >= LIMIT, "too few holders found"
    for label, q in (("a CUSIP", department.cusip), ("an agreement's name", "Capital 4217")):
        ms, n, _, _ = measure(client, f"/admin/desk/search/?q={q}")
        say(f"search for {label} ({q})", f"{ms:.1f} ms, {n} queries")
    plan = holders_by_name_prefix(department.holder_prefix)[:LIMIT].explain(analyze=True)
    say(
        "holders query plan uses holder_name_search",
        "yes" if "holder_name_search" in plan else "no",
    )
    for line in plan.splitlines():
        print(f"      {line}", flush=True)
    baseline, n, _, _ = measure(client, f"/admin/holders/holder/?q={department.holder_prefix}")
    say("stock holder changelist search", f"{n} queries")
    report(NAME, path, value, queries, times, baseline, "stock holder changelist, same prefix")
