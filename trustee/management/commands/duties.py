import csv
import io
import json

from django.core.management.base import BaseCommand, CommandError

from config.commandline import iso_date
from trustee.models import Agreement
from trustee.selectors import agreements_for_calendar, duty_rows

COLUMNS = ["agreement", "kind", "owed_by", "due_date", "flag", "section", "status"]


class Command(BaseCommand):
    help = "Print every duty of the agreements (or one) due in a date range, with its clause."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, type=iso_date)
        parser.add_argument("--to", dest="end", required=True, type=iso_date)
        parser.add_argument("--agreement", help="An agreement's slug; all active ones if omitted.")
        parser.add_argument("--format", choices=["table", "csv", "json"], default="table")

    def handle(self, *args, start, end, agreement, format, **options):
        if end < start:
            raise CommandError(f"--to ({end}) is before --from ({start}).")
        agreements = agreements_for_calendar()
        if agreement:
            agreements = agreements.filter(slug=agreement)
            if not agreements.exists():
                known = ", ".join(Agreement.objects.values_list("slug", flat=True)[:20])
                raise CommandError(f"No active agreement “{agreement}”. Known: {known}")
        rows = duty_rows(agreements, start, end)
        records = [
            {
                "agreement": r.agreement_slug,
                "kind": r.kind,
                "owed_by": r.owed_by,
                "due_date": r.due_date.isoformat(),
                "flag": r.flag,
                "section": r.section,
                "status": r.status,
                "title": r.title,
                "nominal_date": r.nominal_date.isoformat(),
                "officer": r.officer,
                "quote": r.quote,
            }
            for r in rows
        ]
        if format == "json":
            self.stdout.write(json.dumps(records, indent=2))
        elif format == "csv":
            buffer = io.StringIO()
            writer = csv.DictWriter(buffer, fieldnames=list(records[0]) if records else COLUMNS)
            writer.writeheader()
            writer.writerows(records)
            self.stdout.write(buffer.getvalue(), ending="")
        else:
            self._table(rows, start, end)

    def _table(self, rows, start, end):
        if not rows:
            self.stdout.write(f"No duties due from {start} to {end}.")
            return
        header = ["Due", "Day", "Agreement", "Duty", "Owed by", "Flag", "§", "Status"]
        body = [
            [
                r.due_date.isoformat(),
                r.due_date.strftime("%a"),
                r.agreement_slug,
                r.title,
                r.owed_by,
                r.flag,
                r.section,
                r.status,
            ]
            for r in rows
        ]
        widths = [max(len(str(x)) for x in column) for column in zip(header, *body, strict=False)]
        line = "  ".join(f"{{:<{w}}}" for w in widths)
        self.stdout.write(line.format(*header))
        self.stdout.write("  ".join("-" * w for w in widths))
        for values in body:
            self.stdout.write(line.format(*values).rstrip())
        self.stdout.write(f"\n{len(rows)} duties from {start} to {end}.")
