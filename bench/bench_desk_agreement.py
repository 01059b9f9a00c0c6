"""desk_agreement: an agreement's desk page (header, the default banner, the timeline of the
past and next 18 months, the actions open now) in a department of 10,000 agreements, 200,000
obligations and 1,000,000 holders, in ms.

value: median of 7 GETs of /admin/desk/agreements/<id>/ (an agreement in default, with open
cases) by its primary officer, after 2 warm-up GETs, through the Django test client.
baseline: the stock admin change page of the same agreement (/admin/trustee/agreement/<id>/
change/, its inlines, terms table and duty timeline), measured in the same run.
Target: under 300 ms.
"""

from __future__ import annotations

from bench.common import say
from bench.desk_data import client_for, ensure, measure, report

NAME = "desk_agreement"


def run():
    print(f"{NAME}:", flush=True)
    department = ensure()
    client = client_for(department.officer_username)
    path = f"/admin/desk/agreements/{department.agreement_id}/"
    value, queries, times, response = measure(client, path)
    assert b"In default." in response.content, "the default banner is missing"
    ms, n, _, _ = measure(client, path + "?limit=2000")
    say("the whole timeline (?limit=2000)", f"{ms:.1f} ms, {n} queries")
    baseline, n, _, _ = measure(
        client, f"/admin/trustee/agreement/{department.agreement_id}/change/"
    )
    say("stock change page", f"{n} queries")
    report(NAME, path, value, queries, times, baseline, "stock admin change page of the agreement")
