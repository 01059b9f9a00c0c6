import json

from django.core.management.base import BaseCommand, CommandError

from trustee.exhibits import MAX_BYTES, ReadError, read_exhibit, read_file
from trustee.exhibits.reader import summary


class Command(BaseCommand):
    help = (
        "Read a plain-text EDGAR exhibit (guarantee agreement, indenture, trust agreement) and "
        "print the agreement's data it proposes, each value with its section and sentence. "
        "Nothing is saved."
    )
    # Reading a file needs neither the database nor the system checks.
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="The exhibit, as plain text (.txt).")
        parser.add_argument("--json", action="store_true", help="Print one JSON object.")
        parser.add_argument("--max-bytes", type=int, default=MAX_BYTES, help="Refuse larger files.")

    def handle(self, *args, file, json: bool, max_bytes: int, **options):
        try:
            result = read_exhibit(read_file(file, max_bytes=max_bytes))
        except ReadError as error:
            raise CommandError(str(error)) from None
        if json:
            self.stdout.write(_dumps(result))
        else:
            self.stdout.write(summary(result))


def _dumps(result) -> str:
    return json.dumps(result, indent=2, ensure_ascii=False)
