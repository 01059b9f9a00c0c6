"""Shared set-up for the benchmarks: a throwaway database, Django on it, and rows made in bulk.

Nothing here is measured. Every benchmark runs against a database it drops and recreates,
never the developer's: on PostgreSQL a database whose name ends in "_bench" (DATABASE_URL's
server, default postgres://postgres@127.0.0.1:5432/trustdesk_bench), otherwise a SQLite file
in a temporary directory.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/trustdesk_bench"
POSTGRES_SCHEMES = {"postgres", "postgresql", "pgsql", "psql"}
BENCH_SUFFIX = "_bench"

# The day every benchmark runs on (a Sunday; 2026-11-26 is Thanksgiving).
TODAY = date(2026, 11, 22)

# Terms shaped like the HSB Capital II guarantee (tests/trustee/test_terms_validation.py).
HSB_LIKE_TERMS = {
    "holder_list_dates": ["01-01", "07-01"],
    "holder_list_commencement": date(1998, 7, 1),
    "report_anchor": "05-15",
    "report_window_days": 60,
    "report_commencement": date(1998, 5, 15),
    "default_notice_days": 30,
    "cure_days": 90,
    "cure_runs_from": "default",
    "majority_percent": Decimal("50"),
    "majority_comparison": "at_least",
    "majority_basis": "liquidation_amount",
    "rating_categories": 3,
}


def say(label: str, value: object = "") -> None:
    """One detail line, flushed so that a long run shows its progress."""
    print(f"  {label}: {value}" if value != "" else f"  {label}", flush=True)


def bench_line(name: str, value: float, unit: str, baseline: float) -> None:
    ratio = value / baseline if baseline else float("nan")
    print(
        f"BENCH name={name} value={value:.6g} unit={unit} baseline={baseline:.6g} "
        f"ratio={ratio:.6g}",
        flush=True,
    )


@contextmanager
def timed():
    """`with timed() as t: ...` then t.seconds."""

    class Timer:
        seconds = 0.0

    timer = Timer()
    start = time.perf_counter()
    try:
        yield timer
    finally:
        timer.seconds = time.perf_counter() - start


def median(values):
    return statistics.median(values)


# -- the throwaway database --------------------------------------------------------------------


def _is_postgres(url: str) -> bool:
    return urlsplit(url).scheme in POSTGRES_SCHEMES


def throwaway_url() -> tuple[str, bool]:
    """The URL the benchmark uses and whether DATABASE_URL named it (rather than the default).

    A PostgreSQL database whose name does not end in "_bench" is never used as given: the
    benchmark takes "<name>_bench" on the same server instead, so that dropping it at the start
    cannot destroy anyone's data.
    """
    given = os.environ.get("DATABASE_URL", "")
    url = given or DEFAULT_DATABASE_URL
    if not _is_postgres(url):
        folder = tempfile.mkdtemp(prefix="trustdesk-bench-")
        return f"sqlite:///{folder}/bench.sqlite3", bool(given)
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "trustdesk"
    if not name.endswith(BENCH_SUFFIX):
        name += BENCH_SUFFIX
    return urlunsplit(parts._replace(path=f"/{name}")), bool(given)


def _recreate_postgres(url: str) -> None:
    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    assert name.endswith(BENCH_SUFFIX), name  # never drop anything else
    admin = urlunsplit(parts._replace(scheme="postgresql", path="/postgres"))
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
        database = sql.Identifier(name)
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(database))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(database))


def _display(url: str) -> str:
    parts = urlsplit(url)
    if not parts.password:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")))


def setup_django(*, require_postgres: bool) -> str:
    """Recreate the throwaway database, point Django at it and migrate. Returns the vendor."""
    from django.apps import apps

    if apps.ready:  # a second benchmark in the same process (python -m bench)
        return _setup_again(require_postgres=require_postgres)
    url, named = throwaway_url()
    if _is_postgres(url):
        try:
            _recreate_postgres(url)
        except Exception as error:  # psycopg.OperationalError and friends: no server
            if require_postgres or named:
                sys.exit(f"PostgreSQL is not reachable at {_display(url)}: {error}")
            say("PostgreSQL not reachable, falling back to a throwaway SQLite file", error)
            url = f"sqlite:///{tempfile.mkdtemp(prefix='trustdesk-bench-')}/bench.sqlite3"
    elif require_postgres:
        _refuse_sqlite(url)

    import django

    os.environ["DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    # DEBUG would keep every query in memory; measure as production runs.
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    django.setup()
    return _migrate(url)


def _setup_again(*, require_postgres: bool) -> str:
    """Django already points at the throwaway database: empty it and migrate again."""
    from django.db import connection, connections

    connections.close_all()
    url = os.environ["DATABASE_URL"]
    if _is_postgres(url):
        try:
            _recreate_postgres(url)
        except Exception as error:
            sys.exit(f"PostgreSQL is not reachable at {_display(url)}: {error}")
    else:
        if require_postgres:
            _refuse_sqlite(url)
        name = str(connection.settings_dict["NAME"])
        for suffix in ("", "-wal", "-shm"):
            Path(name + suffix).unlink(missing_ok=True)
    return _migrate(url)


def _refuse_sqlite(url: str):
    sys.exit(
        f"This benchmark needs PostgreSQL, and the database is {urlsplit(url).scheme}: "
        "set DATABASE_URL=postgres://... (or unset it for the local default)."
    )


def _migrate(url: str) -> str:
    from django.core.management import call_command
    from django.db import connection

    with timed() as t:
        call_command("migrate", verbosity=0)
    version = ""
    if connection.vendor == "postgresql":
        number = connection.cursor().connection.info.server_version
        version = f" {number // 10000}.{number % 10000}"
    say("database", f"{connection.vendor}{version} at {_display(url)} (throwaway, recreated)")
    say("migrate seconds", f"{t.seconds:.2f}")
    return connection.vendor


def analyze(*tables: str) -> None:
    """VACUUM ANALYZE on PostgreSQL (as autovacuum would have), ANALYZE on SQLite."""
    from django.db import connection

    with connection.cursor() as cursor:
        for table in tables:
            if connection.vendor == "postgresql":
                cursor.execute(f'VACUUM ANALYZE "{table}"')
            else:
                cursor.execute(f'ANALYZE "{table}"')


# -- rows, made in bulk ------------------------------------------------------------------------


def make_officers(count: int) -> list[int]:
    """`count` active Responsible Officers, each with a login; returns their ids."""
    from django.contrib.auth import get_user_model

    from trustee.models import TrustOfficer

    User = get_user_model()
    users = User.objects.bulk_create(
        [
            User(
                username=f"bench-officer-{n}",
                first_name="Officer",
                last_name=f"Number {n}",
                email=f"officer{n}@bank.example",
                password="!unusable",
                is_staff=True,
            )
            for n in range(count)
        ]
    )
    officers = TrustOfficer.objects.bulk_create(
        [
            TrustOfficer(user=user, title="Vice President", is_responsible_officer=True)
            for user in users
        ]
    )
    return [officer.pk for officer in officers]


def _month_day(rng: random.Random, months=range(1, 13)) -> tuple[int, int]:
    return rng.choice(list(months)), rng.randint(1, 28)


def _terms(rng: random.Random, n: int, agreement, dated: date):
    """Hartford-like for even n, HSB-like for odd n; the yearly dates drawn from rng so that
    the portfolio's deadlines are spread over the year, not all on February 15."""
    from tests.factories import HARTFORD_LIKE_TERMS
    from trustee.models import AgreementTerms

    month, day = _month_day(rng, range(1, 7))
    list_dates = [f"{month:02d}-{day:02d}", f"{month + 6:02d}-{day:02d}"]
    report_month, report_day = _month_day(rng)
    values = dict(HARTFORD_LIKE_TERMS if n % 2 == 0 else HSB_LIKE_TERMS)
    values["holder_list_dates"] = list_dates
    values["report_anchor"] = f"{report_month:02d}-{report_day:02d}"
    if n % 2:
        first_year = dated.year + 1
        values["holder_list_commencement"] = date(first_year, month, day)
        values["report_commencement"] = date(first_year, report_month, report_day)
    # A quarter of the portfolio moves deadlines that fall on a holiday or weekend.
    values["business_day_convention"] = "following" if n % 4 == 3 else "none"
    return AgreementTerms(agreement=agreement, **values)


def make_agreements(
    count: int,
    *,
    officer_ids: list[int],
    rng: random.Random,
    with_security_share: float = 0.5,
    other_zone_share: float = 0.0,
    batch_size: int = 1000,
) -> list[int]:
    """`count` active guarantee agreements with terms (two cited), a primary officer from
    `officer_ids` and, for about `with_security_share` of them, one security with semiannual
    payment dates. Returns the agreement ids in creation order."""
    from trustee.models import (
        Agreement,
        OfficerAssignment,
        Security,
        TermCitation,
    )

    agreements = Agreement.objects.bulk_create(
        [
            Agreement(
                kind=Agreement.Kind.GUARANTEE_AGREEMENT,
                short_name=f"Bench Capital {n} Guarantee",
                slug=f"bench-capital-{n}",
                title="Guarantee Agreement",
                dated_as_of=date(rng.randint(1996, 2024), rng.randint(1, 12), rng.randint(1, 28)),
                governing_law="New York",
                our_role=Agreement.OurRole.GUARANTEE_TRUSTEE,
            )
            for n in range(count)
        ],
        batch_size=batch_size,
    )
    terms = []
    for n, agreement in enumerate(agreements):
        row = _terms(rng, n, agreement, agreement.dated_as_of)
        if rng.random() < other_zone_share:
            row.time_zone = "America/Chicago"
        terms.append(row)
    terms = type(terms[0]).objects.bulk_create(terms, batch_size=batch_size)
    citations = []
    for row in terms:
        citations.append(
            TermCitation(
                terms=row,
                term="holder_list_dates",
                section="2.2(a)",
                quote="The Guarantor shall furnish or cause to be furnished to the Guarantee "
                "Trustee a list of the names and addresses of the Holders ...",
            )
        )
        citations.append(
            TermCitation(
                terms=row,
                term="report_window_days",
                section="2.3",
                quote="Within 60 days after the anchor date of each year, the Guarantee "
                "Trustee shall provide to the Holders such reports ...",
            )
        )
    TermCitation.objects.bulk_create(citations, batch_size=batch_size)

    securities = []
    for n, agreement in enumerate(agreements):
        if rng.random() >= with_security_share:
            continue
        month, day = _month_day(rng, range(1, 7))
        issue_year = max(agreement.dated_as_of.year, 1996)
        first = date(issue_year + 1, month, day)
        maturity = date(rng.randint(2027, 2050), month + 6, day)
        securities.append(
            Security(
                agreement=agreement,
                title=f"6.25% Senior Notes due {maturity:%B %-d, %Y} (bench {n})",
                kind=Security.Kind.SENIOR_NOTES,
                coupon_rate=Decimal("6.25"),
                unit_amount=Decimal("1000"),
                unit_basis=Security.UnitBasis.PRINCIPAL,
                aggregate_amount=Decimal("250000000"),
                amount_outstanding=Decimal("250000000"),
                issue_date=date(issue_year, 1, 15),
                maturity=maturity,
                payment_dates=[f"{month:02d}-{day:02d}", f"{month + 6:02d}-{day:02d}"],
                first_payment_date=first,
                source_section="Schedule II",
                source_quote="INTEREST PAYMENT DATES: Semi-annually in arrears ...",
            )
        )
    Security.objects.bulk_create(securities, batch_size=batch_size)

    OfficerAssignment.objects.bulk_create(
        [
            OfficerAssignment(
                agreement=agreement,
                officer_id=officer_ids[n % len(officer_ids)],
                role=OfficerAssignment.Role.PRIMARY,
            )
            for n, agreement in enumerate(agreements)
        ],
        batch_size=batch_size,
    )
    return [agreement.pk for agreement in agreements]
