"""The big department the desk pages are measured on (bench_desk_*.py).

10,000 agreements with terms, a guarantor and one security each (a valid CUSIP); 50 trust
officers, each primary on 200 agreements and backup on 200 more; 200,000 obligations over
the past and the next 18 months (past ones mostly done, 3% overdue); 1,000,000 holders on
1,000 lists; 300 default cases with their events and steps; a List of Holders request per
agreement (300 received, awaiting review); 2,000 notices with 180,000 deliveries, a few
failed. Rows go in by COPY with triggers off (the audit trail is not what is measured).

Built once in the throwaway database (DATABASE_URL's server, name ending in "_bench") and
kept: a later run finds the counts and the marker and reuses it (about 2 minutes saved). The
database is rebuilt when anything is missing, e.g. after another benchmark recreated it.
Everything is dated from bench.common.TODAY; the pages are measured with the clock set to it.
"""

from __future__ import annotations

import os
import random
import sys
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from bench.common import (
    TODAY,
    _display,
    _is_postgres,
    _recreate_postgres,
    analyze,
    say,
    throwaway_url,
    timed,
)

# Bump when the data below changes, so that a cached department is rebuilt.
MARKER = "Desk bench department v2"
AGREEMENTS = 10_000
OFFICERS = 50
OBLIGATIONS = 200_000
HOLDER_LISTS = 1_000
HOLDERS_PER_LIST = 1_000
DEFAULT_CASES = 300
RECEIVED_LISTS = 300
NOTICES = 2_000
DELIVERIES_PER_NOTICE = 100
MONTHS = 18
SEED = 10
NOW = datetime.combine(TODAY, time(12), tzinfo=ZoneInfo("America/New_York"))

FIRST = ["James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David"]
LAST = ["Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Wilson"]
KINDS = {"holder_list": 35, "payment": 35, "report_to_holders": 15, "compliance_certificate": 10}


@dataclass(frozen=True)
class Department:
    officer_username: str  # a Responsible Officer, primary on 200 agreements
    supervisor_username: str
    agreement_id: int  # one of the officer's agreements, in default
    holder_prefix: str  # a common start of a registered name
    cusip: str


def ensure() -> Department:
    """Django on the bench database with the department in it, built only when missing."""
    _django()
    from django.core.management import call_command

    with timed() as t:
        call_command("migrate", verbosity=0)
    say("migrate seconds", f"{t.seconds:.2f}")
    if _built():
        say("department", "found in the bench database (cached; not rebuilt)")
    else:
        _rebuild()
    _describe()
    return _department()


def _django():
    from django.apps import apps

    url, _ = throwaway_url()
    if not _is_postgres(url):
        sys.exit(
            "The desk benchmarks need PostgreSQL: set DATABASE_URL=postgres://... "
            "(or unset it for the local default)."
        )
    if apps.ready:  # another benchmark of this process already pointed Django at it
        return
    _create_if_missing(url)
    import django

    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    django.setup()
    say("database", f"postgresql at {_display(url)} (kept between runs)")


def _create_if_missing(url):
    from urllib.parse import urlsplit, urlunsplit

    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            found = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
            if not found:
                conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as error:
        sys.exit(f"PostgreSQL is not reachable at {_display(url)}: {error}")


def _built() -> bool:
    from holders.models import Holder
    from trustee.models import Agreement, Deal, Obligation

    return (
        Deal.objects.filter(name=MARKER).exists()
        and Agreement.objects.filter(slug__startswith="desk-bench-").count() == AGREEMENTS
        and Obligation.objects.count() == OBLIGATIONS
        and Holder.objects.count() == HOLDER_LISTS * HOLDERS_PER_LIST
    )


def _rebuild():
    from django.core.management import call_command
    from django.db import connections

    connections.close_all()
    _recreate_postgres(os.environ["DATABASE_URL"])
    call_command("migrate", verbosity=0)
    with timed() as t:
        _build(random.Random(SEED))
        analyze(
            "trustee_agreement",
            "trustee_agreementparty",
            "trustee_party",
            "trustee_security",
            "trustee_officerassignment",
            "trustee_obligation",
            "trustee_agreementevent",
            "trustee_defaultcase",
            "trustee_workflowstep",
            "trustee_listrequest",
            "holders_holderlist",
            "holders_holder",
            "notices_notice",
            "notices_delivery",
        )
    say("built the department (COPY, VACUUM ANALYZE; not measured) seconds", f"{t.seconds:.1f}")


# -- rows by COPY ------------------------------------------------------------------------------


def _copy(model, columns, rows) -> int:
    """COPY `rows` (tuples in the order of `columns`, Django field names) into model's table."""
    from django.db import connection

    fields = [model._meta.get_field(name) for name in columns]
    names = ", ".join(f'"{field.column}"' for field in fields)
    count = 0
    statement = f'COPY "{model._meta.db_table}" ({names}) FROM STDIN'
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _reset_sequences(*models):
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)


def _defaults(model, given):
    """The values of model's other columns as a new row would have them (one tuple, once)."""
    from django.db import connection

    names, values = [], []
    for field in model._meta.concrete_fields:
        if field.name in given or field.primary_key:
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = NOW if field.get_internal_type() == "DateTimeField" else TODAY
        elif field.has_default():
            value = field.get_default()
        elif field.null:
            value = None
        elif field.blank:
            value = ""
        else:
            raise SystemExit(f"{model.__name__}.{field.name}: no value and no default")
        names.append(field.name)
        values.append(field.get_db_prep_save(value, connection))
    return names, tuple(values)


def _copy_model(model, given, rows) -> int:
    """COPY rows of `given` fields (tuples, id first when given) with defaults for the rest."""
    names, defaults = _defaults(model, given)
    return _copy(model, [*given, *names], (row + defaults for row in rows))


def _build(rng):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection

    from bench.common import _terms
    from trustee.models import (
        Agreement,
        AgreementParty,
        AgreementTerms,
        Deal,
        OfficerAssignment,
        Party,
        Security,
        TrustOfficer,
    )
    from trustee.roles import RESPONSIBLE_OFFICER, SUPERVISOR

    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # no triggers: no audit rows
    User = get_user_model()
    users = User.objects.bulk_create(
        [
            User(
                username=f"desk-officer-{n}",
                first_name=FIRST[n % len(FIRST)],
                last_name=f"{LAST[n % len(LAST)]} {n}",
                email=f"desk-officer-{n}@bank.example",
                password="!unusable",
                is_staff=True,
            )
            for n in range(OFFICERS)
        ]
        + [
            User(
                username="desk-supervisor",
                first_name="Sam",
                last_name="Supervisor",
                password="!unusable",
                is_staff=True,
            )
        ]
    )
    officers = TrustOfficer.objects.bulk_create(
        [
            TrustOfficer(user=user, title="Vice President", is_responsible_officer=True)
            for user in users[:-1]
        ]
        + [TrustOfficer(user=users[-1], title="Head of Corporate Trust")]
    )
    groups = {g.name: g for g in Group.objects.filter(name__in=[RESPONSIBLE_OFFICER, SUPERVISOR])}
    User.groups.through.objects.bulk_create(
        [User.groups.through(user=u, group=groups[RESPONSIBLE_OFFICER]) for u in users[:-1]]
        + [User.groups.through(user=users[-1], group=groups[SUPERVISOR])]
    )
    officer_ids = [o.pk for o in officers[:-1]]
    user_ids = [u.pk for u in users[:-1]]

    with timed() as t:
        dated = [
            date(rng.randint(1996, 2024), rng.randint(1, 12), rng.randint(1, 28))
            for _ in range(AGREEMENTS)
        ]
        _copy_model(
            Agreement,
            ["id", "kind", "short_name", "slug", "title", "dated_as_of", "our_role"],
            (
                (
                    n + 1,
                    "guarantee_agreement",
                    f"Desk Bench Capital {n} Guarantee",
                    f"desk-bench-{n}",
                    f"Guarantee Agreement of Desk Bench Capital Trust {n}",
                    dated[n],
                    "guarantee_trustee",
                )
                for n in range(AGREEMENTS)
            ),
        )
        AgreementTerms.objects.bulk_create(
            [_terms(rng, n, Agreement(pk=n + 1), dated[n]) for n in range(AGREEMENTS)],
            batch_size=2000,
        )
        _copy_model(
            Party,
            ["id", "name", "short_name", "kind", "city", "state"],
            [(1, "Desk Bench Trust Company", "Bench Trust", "trustee_bank", "New York", "NY")]
            + [
                (n + 2, f"Bench Holdings {n}, Inc.", f"Holdings {n}", "guarantor", "Hartford", "CT")
                for n in range(AGREEMENTS)
            ],
        )
        _copy_model(
            AgreementParty,
            ["agreement", "party", "role"],
            [(n + 1, n + 2, "guarantor") for n in range(AGREEMENTS)]
            + [(n + 1, 1, "trustee") for n in range(AGREEMENTS)],
        )
        _copy_model(
            Security,
            [
                "id",
                "agreement",
                "title",
                "kind",
                "cusip",
                "coupon_rate",
                "unit_amount",
                "unit_basis",
                "aggregate_amount",
                "amount_outstanding",
            ],
            (
                (
                    n + 1,
                    n + 1,
                    f"{rng.randint(5, 9)}.{rng.randint(0, 99):02d}% Preferred Securities of "
                    f"Desk Bench Capital Trust {n}",
                    "preferred_securities",
                    _cusip(n),
                    Decimal("7.45"),
                    Decimal(25),
                    "liquidation_preference",
                    Decimal(rng.randint(1, 40) * 25_000_000),
                    Decimal(25_000_000),
                )
                for n in range(AGREEMENTS)
            ),
        )
        _copy_model(
            OfficerAssignment,
            ["agreement", "officer", "role"],
            [(n + 1, officer_ids[n % OFFICERS], "primary") for n in range(AGREEMENTS)]
            + [(n + 1, officer_ids[(n + 1) % OFFICERS], "backup") for n in range(AGREEMENTS)],
        )
    say("agreements, terms, parties, securities, officers seconds", f"{t.seconds:.1f}")
    with timed() as t:
        _obligations(rng, officer_ids)
    say("obligations seconds", f"{t.seconds:.1f}")
    with timed() as t:
        _holders(rng)
    say("holders seconds", f"{t.seconds:.1f}")
    with timed() as t:
        _workflows(rng, user_ids)
        _notices(rng, user_ids)
    say("defaults, requests, steps, notices seconds", f"{t.seconds:.1f}")
    _reset_sequences(Agreement, Party, Security)
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = DEFAULT")
    Deal.objects.create(name=MARKER, slug="desk-bench")


def _cusip(n: int) -> str:
    from trustee.identifiers import cusip_check_digit

    base = f"9{n:05d}AB"
    return f"{base}{cusip_check_digit(base)}"


def _months_back(day: date, months: int) -> date:
    year, month = divmod(day.month - 1 - months, 12)
    return date(day.year + year, month + 1, min(day.day, 28))


def _obligations(rng, officer_ids):
    from trustee import obligation_rules as rules
    from trustee.calendar import DUTY_FACTS, BusinessCalendar, DutyKind
    from trustee.models import Obligation
    from trustee.obligations import lead_days

    business = BusinessCalendar()
    start = _months_back(TODAY, MONTHS)
    span = (_months_back(TODAY, -MONTHS) - start).days
    kinds = [DutyKind(kind) for kind in KINDS]
    weights = list(KINDS.values())
    closed_at = NOW - timedelta(days=1)

    def rows():
        for n in range(OBLIGATIONS):
            agreement = n % AGREEMENTS + 1
            kind = rng.choices(kinds, weights)[0]
            due = start + timedelta(days=rng.randint(0, span))
            title, owed_by, _ = DUTY_FACTS[kind]
            if due < TODAY and rng.random() < 0.97:
                status, next_check, closed = rules.DONE, None, closed_at
            else:
                standing = rules.standing(due=due, today=TODAY, lead_days=lead_days(kind))
                status, next_check, closed = standing.status, standing.next_check, None
            yield (
                agreement,
                agreement,
                str(kind),
                str(owed_by),
                f"{kind}:{due}:{n}",
                title,
                due,
                due,
                due.weekday() >= 5,
                business.holiday(due),
                "2.2(a)",
                "on or before the dates stated in the agreement",
                officer_ids[(agreement - 1) % OFFICERS],
                status,
                next_check,
                closed,
                "Received; on file." if closed else "",
            )

    _copy_model(
        Obligation,
        [
            "agreement",
            "security",
            "kind",
            "owed_by",
            "key",
            "title",
            "nominal_date",
            "due_date",
            "is_weekend",
            "holiday",
            "section",
            "quote",
            "officer",
            "status",
            "next_check",
            "closed_at",
            "resolution",
        ],
        rows(),
    )


def _holders(rng):
    from holders.models import Holder, HolderList

    _copy_model(
        HolderList,
        [
            "id",
            "security",
            "as_of",
            "received_on",
            "status",
            "row_count",
            "rows_done",
            "total_amount",
            "eligible_amount",
        ],
        (
            (
                n + 1,
                n + 1,
                TODAY - timedelta(days=20),
                TODAY - timedelta(days=15),
                "imported",
                HOLDERS_PER_LIST,
                HOLDERS_PER_LIST,
                Decimal(25_000_000),
                Decimal(25_000_000),
            )
            for n in range(HOLDER_LISTS)
        ),
    )
    streets = ["Main St", "Oak Ave", "Maple Dr", "Elm St", "Park Ave", "Cedar Ln", "Hill St"]

    def name(n):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        form = n % 10
        if form < 6:
            return f"{first} {chr(65 + n % 26)}. {last} {n}"
        if form < 9:
            return f"{last.upper()} {first.upper()} {n}"
        return f"{last} Family Trust {n}"

    def rows():
        for n in range(HOLDER_LISTS * HOLDERS_PER_LIST):
            holder_list = n // HOLDERS_PER_LIST + 1
            yield (
                holder_list,
                holder_list,
                n % HOLDERS_PER_LIST + 1,
                name(n),
                f"{rng.randint(1, 9999)} {rng.choice(streets)}",
                "Hartford",
                "CT",
                f"{rng.randint(1000, 99999):05d}",
                "US",
                Decimal(25_000),
            )

    _copy_model(
        Holder,
        [
            "holder_list",
            "security",
            "row_number",
            "name",
            "address_lines",
            "city",
            "state",
            "postal_code",
            "country",
            "amount",
        ],
        rows(),
    )
    _reset_sequences(HolderList, Holder)


def _workflows(rng, user_ids):
    from trustee import workflow_rules as rules
    from trustee.models import AgreementEvent, DefaultCase, ListRequest, WorkflowStep

    # Defaults: some on agreement 1 (the officer's page that is measured), the rest spread.
    states = ["event_of_default"] * 4 + [
        "withheld",
        "default",
        "default",
        "notice_drafted",
        "noticed",
        "cured",
    ]
    events, cases, steps = [], [], []
    for n in range(DEFAULT_CASES):
        agreement = 1 if n < 3 else rng.randint(1, AGREEMENTS)
        occurred = TODAY - timedelta(days=rng.randint(1, 100))
        state = "event_of_default" if n < 3 else rng.choice(states)
        events.append(
            (
                n + 1,
                agreement,
                "default",
                occurred,
                state != "default",
                "Distribution not paid.",
                rng.choice(user_ids),
                NOW,
            )
        )
        eod = occurred if state != "default" else None
        cases.append(
            (n + 1, agreement, n + 1, state, state != "default", eod, occurred + timedelta(days=90))
        )
        steps.append(
            (
                agreement,
                "default",
                n + 1,
                "",
                "default",
                occurred,
                rng.choice(user_ids),
                "Recorded.",
            )
        )
        if state != "default":
            steps.append(
                (
                    agreement,
                    "default",
                    n + 1,
                    "default",
                    state,
                    occurred,
                    None,
                    "A payment default is an Event of Default at once.",
                )
            )
    _copy_model(
        AgreementEvent,
        [
            "id",
            "agreement",
            "kind",
            "occurred_on",
            "is_payment_default",
            "description",
            "recorded_by",
            "recorded_at",
        ],
        events,
    )
    _copy_model(
        DefaultCase,
        [
            "id",
            "agreement",
            "event",
            "state",
            "is_payment_default",
            "event_of_default_on",
            "notice_due_on",
        ],
        cases,
    )
    requests = []
    for n in range(AGREEMENTS):
        due = TODAY + timedelta(days=rng.randint(-170, 10))
        state = (
            rules.ListState.RECEIVED
            if n % (AGREEMENTS // RECEIVED_LISTS) == 0
            else (rules.ListState.ACCEPTED if due < TODAY else rules.ListState.SCHEDULED)
        )
        requests.append((n + 1, n + 1, str(state), due, due - timedelta(days=30)))
        steps.append(
            (
                n + 1,
                "list_request",
                n + 1,
                "",
                "scheduled",
                due - timedelta(days=30),
                None,
                "Opened by the scheduler.",
            )
        )
        if state != rules.ListState.SCHEDULED:
            steps.append(
                (
                    n + 1,
                    "list_request",
                    n + 1,
                    "scheduled",
                    str(state),
                    due,
                    rng.choice(user_ids),
                    "List received from the Guarantor.",
                )
            )
    _copy_model(ListRequest, ["id", "agreement", "state", "due_on", "opened_on"], requests)
    _copy_model(
        WorkflowStep,
        ["agreement", "workflow", "case_id", "old_state", "new_state", "on", "by", "comment"],
        steps,
    )
    _reset_sequences(AgreementEvent, DefaultCase, ListRequest)


def _notices(rng, user_ids):
    from notices.models import Delivery, Notice

    notices, deliveries = [], []
    key = 0
    for n in range(NOTICES):
        agreement = rng.randint(1, AGREEMENTS)
        draft = n % 10 == 0
        notices.append(
            (
                n + 1,
                "default_notice",
                agreement,
                f"DESK-{n:05d}",
                "Notice of default to Holders",
                "Distribution not paid.",
                rng.choice(user_ids),
                "draft" if draft else "approved",
            )
        )
        if draft:
            continue
        for m in range(DELIVERIES_PER_NOTICE):
            key += 1
            failed = rng.random() < 0.002
            state = rng.choice(["failed", "bounced"]) if failed else "sent"
            deliveries.append(
                (n + 1, "email", f"Holder {m}", f"holder{m}@example.com", f"desk-{key}", state)
            )
    _copy_model(
        Notice,
        ["id", "kind", "agreement", "reference", "title", "details", "created_by", "status"],
        notices,
    )
    _copy_model(
        Delivery, ["notice", "channel", "recipient_name", "email", "key", "state"], deliveries
    )
    _reset_sequences(Notice)


# -- what the benchmarks read ------------------------------------------------------------------


def _describe():
    from holders.models import Holder
    from notices.models import Delivery
    from trustee.models import Agreement, DefaultCase, Obligation, WorkflowStep

    say(
        "department",
        f"{Agreement.objects.count():,} agreements, {Obligation.objects.count():,} obligations "
        f"({Obligation.objects.filter(status='overdue').count():,} overdue), "
        f"{Holder.objects.count():,} holders, {DefaultCase.objects.count()} default cases, "
        f"{WorkflowStep.objects.count():,} workflow steps, {Delivery.objects.count():,} "
        f"deliveries, {OFFICERS} officers",
    )


def _department() -> Department:
    from trustee.models import Security

    return Department(
        officer_username="desk-officer-0",
        supervisor_username="desk-supervisor",
        agreement_id=1,
        holder_prefix="Smith",
        cusip=Security.objects.get(pk=1).cusip,
    )


def client_for(username: str):
    """A logged-in test client (server time only: no network, no browser)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def measure(client, path: str, runs: int = 7, warm: int = 2):
    """Median milliseconds of GET `path` after `warm` unmeasured requests, the query count,
    and every run's time. The clock is set to TODAY, the day the data is dated from."""
    import time_machine
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.common import median

    times = []
    with time_machine.travel(NOW, tick=True):
        for n in range(warm + runs):
            with CaptureQueriesContext(connection) as queries, timed() as t:
                response = client.get(path, HTTP_HOST="localhost")
            if response.status_code != 200:
                raise SystemExit(f"GET {path}: {response.status_code}")
            if n >= warm:
                times.append(t.seconds * 1000)
    return median(times), len(queries), times, response


def report(name: str, path: str, value: float, queries: int, times, baseline: float, what: str):
    from bench.common import bench_line

    say("page", f"{path}: {queries} queries; runs (ms) " + ", ".join(f"{v:.0f}" for v in times))
    say("baseline", f"{what}: {baseline:.1f} ms")
    if value >= 300:
        say("WARNING", f"{value:.0f} ms is over the 300 ms target")
    bench_line(name, value, "ms", baseline)
