"""desk_dashboard: the landing page after login (the admin's index with the officer's desk) on
a department of 10,000 agreements, 200,000 obligations and 1,000,000 holders, in ms.

value: median of 7 GETs of /admin/ by a Responsible Officer (primary on 200 agreements), after
2 warm-up GETs, through the Django test client (server time, no network). Detail lines: the
same for the Supervisor (the department by officer), and the desk page of its own.
baseline: the stock admin page the desk's "overdue" link opens, the Obligation changelist
filtered to the officer's overdue duties, measured in the same run. Target: under 300 ms.
"""

from __future__ import annotations

from bench.common import say
from bench.desk_data import client_for, ensure, measure, report

NAME = "desk_dashboard"


def run():
    print(f"{NAME}:", flush=True)
    department = ensure()
    from trustee.models import TrustOfficer

    officer = TrustOfficer.objects.get(user__username=department.officer_username)
    client = client_for(department.officer_username)
    value, queries, times, response = measure(client, "/admin/")
    assert b'id="desk"' in response.content, "the desk is not on the page"
    supervisor = client_for(department.supervisor_username)
    ms, n, _, page = measure(supervisor, "/admin/")
    assert b"The department, by officer" in page.content
    say("Supervisor's landing page (the department by officer)", f"{ms:.1f} ms, {n} queries")
    ms, n, _, _ = measure(client, "/admin/desk/")
    say("the desk page of its own (/admin/desk/)", f"{ms:.1f} ms, {n} queries")
    path = f"/admin/trustee/obligation/?status__exact=overdue&officer__id__exact={officer.pk}"
    baseline, n, _, _ = measure(client, path)
    say("stock changelist of the officer's overdue duties", f"{n} queries")
    report(
        NAME,
        "/admin/",
        value,
        queries,
        times,
        baseline,
        "stock Obligation changelist filtered to the officer's overdue duties",
    )
