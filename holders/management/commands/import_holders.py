from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from config.commandline import iso_date
from holders.imports import import_holder_list
from holders.intake import holder_list_receive
from holders.models import HolderList
from trustee.models import Security


class Command(BaseCommand):
    help = "Import a List of Holders (CSV or XLSX) for a security, all rows or none."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--security", required=True, type=int, help="The security's id.")
        parser.add_argument("--as-of", required=True, type=iso_date, dest="as_of")
        parser.add_argument("--received", required=True, type=iso_date)
        parser.add_argument(
            "--source", choices=[c for c, _ in HolderList.Source.choices], default="guarantor"
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="FIELD=HEADER",
            help="Which header holds one of our fields, e.g. --map name='Registered Owner'.",
        )
        parser.add_argument("--user", help="Who is importing (a username), for the record.")

    def handle(self, *args, file, security, as_of, received, source, map, user, **options):
        if not file.is_file():
            raise CommandError(f"No file at {file}.")
        found = Security.objects.select_related("agreement").filter(pk=security).first()
        if found is None:
            raise CommandError(f"No security with id {security}.")
        mapping = {}
        for item in map:
            field, sep, header = item.partition("=")
            if not sep:
                raise CommandError(f"--map {item!r}: write it as FIELD=HEADER.")
            mapping[field.strip()] = header.strip()
        by = get_user_model().objects.filter(username=user).first() if user else None
        if user and by is None:
            raise CommandError(f"No user “{user}”.")
        try:
            with open(file, "rb") as handle:
                holder_list = holder_list_receive(
                    security=found,
                    as_of=as_of,
                    received_on=received,
                    source=source,
                    file=handle,
                    file_name=file.name,
                    by=by,
                    mapping=mapping,
                    enqueue=False,
                )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        outcome = import_holder_list(holder_list.pk)
        holder_list.refresh_from_db()
        if outcome.status != HolderList.Status.IMPORTED:
            lines = [f"List {holder_list.pk} refused: {outcome.message}"]
            lines += [p["message"] for p in holder_list.list_problems]
            lines += [
                f"row {p.row}, {p.field}: {p.problem}" for p in holder_list.problems.all()[:50]
            ]
            if holder_list.problem_count > 50:
                lines.append(f"... and {holder_list.problem_count - 50} more (see the admin).")
            raise CommandError("\n".join(lines))
        note = ""
        if holder_list.identical_to_id:
            note = " Identical to the list as of "
            note += f"{holder_list.identical_to.as_of}: not required to be furnished (§2.2(a))."
        self.stdout.write(
            f"List {holder_list.pk} imported: {holder_list.row_count:,} holders, total "
            f"{holder_list.total_amount:,.2f}.{note}"
        )
