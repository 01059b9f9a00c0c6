from django.core.management.base import BaseCommand

from trustee.ops import sync_schedule


class Command(BaseCommand):
    help = "Install the periodic jobs declared in config/schedule.py into Celery beat's tables."

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Also restore the declared times and re-enable jobs an operator changed.",
        )

    def handle(self, *args, reset, **options):
        changes = sync_schedule(reset=reset)
        for name, action in changes:
            self.stdout.write(f"{name}: {action}")
        if not changes:
            self.stdout.write("Periodic schedule already up to date.")
