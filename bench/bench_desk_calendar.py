"""desk_calendar: the month calendar of duties in a department of 10,000 agreements, 200,000
obligations and 1,000,000 holders, in ms.

value: median of 7 GETs of /admin/desk/calendar/?month=<this month> by a Responsible Officer
(the duties of the 400 agreements where the officer is primary or backup), after 2 warm-up
GETs, through the Django test client. Detail line: the Supervisor's view of the whole
department (about 10,000 duties in the month, 6 shown per day and the rest counted).
baseline: the stock Obligation changelist of the same month (its date hierarchy), measured in
the same run. Target: under 300 ms.
"""

from __future__ import annotations

from bench.common import TODAY, say
from bench.desk_data import client_for, ensure, measure, report

NAME = "desk_calendar"


def run():
    print(f"{NAME}:", flush=True)
    department = ensure()
    client = client_for(department.officer_username)
    path = f"/admin/desk/calendar/?month={TODAY:%Y-%m}"
    value, queries, times, response = measure(client, path)
    assert b"desk-calendar" in response.content
    supervisor = client_for(department.supervisor_username)
    ms, n, _, _ = measure(supervisor, path + "&officer=all")
    say("Supervisor: the whole department's month", f"{ms:.1f} ms, {n} queries")
    stock = f"/admin/trustee/obligation/?due_date__month={TODAY.month}&due_date__year={TODAY.year}"
    baseline, n, _, _ = measure(client, stock)
    say("stock changelist of the month", f"{n} queries")
    report(NAME, path, value, queries, times, baseline, "stock Obligation changelist, same month")
