"""Shared set-up of the holders benchmarks: a security, a million-row file, a received list.

Nothing here is measured.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from bench.common import analyze, say, timed
from bench.holders_data import write_holder_csv

ROWS = int(os.environ.get("BENCH_HOLDER_ROWS", "1000000"))
UNIT = Decimal(25)
CACHE = Path(os.environ.get("BENCH_CACHE", tempfile.gettempdir())) / "trustdesk-bench"


def holder_file(rows: int = ROWS) -> tuple[Path, Decimal]:
    """The generated CSV (kept between runs: it is the same bytes for the same seed)."""
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / f"holders-{rows}.csv"
    total_file = CACHE / f"holders-{rows}.total"
    if not (path.exists() and total_file.exists()):
        with timed() as t:
            total = write_holder_csv(path, rows, seed=1, unit=UNIT)
        total_file.write_text(str(total))
        say("wrote the file", f"{path} in {t.seconds:.1f} s")
    total = Decimal(total_file.read_text())
    say("file", f"{rows:,} rows, {path.stat().st_size / 1024**2:,.0f} MB, total {total:,}")
    return path, total


def make_security(total: Decimal):
    from trustee.models import Agreement, AgreementParty, AgreementTerms, Party, Security

    agreement = Agreement.objects.create(
        kind="guarantee_agreement",
        short_name="Bench Capital Guarantee",
        slug="bench-capital",
        dated_as_of=date(2001, 10, 26),
        our_role="guarantee_trustee",
    )
    AgreementTerms.objects.create(
        agreement=agreement,
        holder_list_dates=["02-15", "08-15"],
        holder_list_as_of_days=15,
        majority_percent=Decimal(50),
        majority_comparison="more_than",
        majority_basis="liquidation_preference",
    )
    guarantor = Party.objects.create(name="Bench Holdings, Inc.", kind="guarantor")
    AgreementParty.objects.create(agreement=agreement, party=guarantor, role="guarantor")
    return Security.objects.create(
        agreement=agreement,
        title="Bench Preferred Securities",
        kind="preferred_securities",
        unit_amount=UNIT,
        unit_basis="liquidation_preference",
        aggregate_amount=total,
        amount_outstanding=total,
    )


def receive(security, path: Path):
    from django.conf import settings
    from django.utils import timezone

    from holders.intake import holder_list_receive

    settings.MEDIA_ROOT = str(CACHE / "media")
    with open(path, "rb") as handle:
        return holder_list_receive(
            security=security,
            as_of=timezone.localdate() - timedelta(days=5),
            received_on=timezone.localdate(),
            source="guarantor",
            file=handle,
            file_name=path.name,
            by=None,
            enqueue=False,
        )


def imported_list(rows: int = ROWS):
    """A security with an imported list of `rows` holders (by COPY), for the read benchmarks."""
    from holders.imports import import_holder_list

    path, total = holder_file(rows)
    security = make_security(total)
    holder_list = receive(security, path)
    with timed() as t:
        outcome = import_holder_list(holder_list.pk)
    assert outcome.status == "imported", outcome.message
    say("imported the list", f"{outcome.row_count:,} holders in {t.seconds:.1f} s")
    analyze("holders_holder")  # as autovacuum would after a million new rows
    holder_list.refresh_from_db()
    return holder_list
