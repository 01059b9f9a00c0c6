from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from holders.services import seed_demo_holders
from trustee.calendar import local_today
from trustee.loading import LoadError, load_documents
from trustee.models import Security
from trustee.obligations import advance_statuses, materialize

DEMO_DATA = Path(__file__).resolve().parents[2] / "demo_data"
DOCUMENTS = [DEMO_DATA / "demo.yaml", DEMO_DATA / "officers.yaml"]


class Command(BaseCommand):
    help = (
        "Load the demo agreements (from the SEC filings), their parties, securities and terms, "
        "two trust officers and synthetic holders. Safe to run again: it updates in place."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--holders", type=int, default=300, help="Synthetic holders per security."
        )

    def handle(self, *args, holders, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data is not loaded into production.")
        try:
            with transaction.atomic():
                counts = load_documents(DOCUMENTS)
                seeded = sum(
                    seed_demo_holders(security, count=holders)
                    for security in Security.objects.select_related("agreement")
                )
        except LoadError as error:
            raise CommandError("The demo data has problems:\n" + str(error)) from error
        # The demo's calendar, as the daily sweep would keep it.
        result = materialize(today=local_today(settings.TIME_ZONE, timezone.now()))
        advance_statuses()
        from trustee.workflows import DEMO_SEEDS

        today = local_today(settings.TIME_ZONE, timezone.now())
        with transaction.atomic():
            for workflow in DEMO_SEEDS:
                workflow.demo_seed(today=today)
        summary = ", ".join(f"{count} {name}" for name, count in sorted(counts.items()))
        self.stdout.write(
            f"Demo loaded: {summary}; {seeded} new holders; {result.created} new obligations."
        )
