from django.core.management.base import BaseCommand, CommandError

from notices.bounces import bounces_record, mailbox_messages


class Command(BaseCommand):
    help = "Mark the deliveries that bounced, from the bounce mailbox (an mbox file or Maildir)."

    def add_arguments(self, parser):
        parser.add_argument("mailbox", help="mbox file or Maildir directory of the bounce address")

    def handle(self, *args, **options):
        try:
            messages = mailbox_messages(options["mailbox"])
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {options['mailbox']}: {error}") from error
        counts = bounces_record(messages)
        self.stdout.write(
            f"{counts['bounced']} bounced, {counts['already']} already recorded, "
            f"{counts['unknown']} for no delivery of ours, {counts['not_ours']} not bounces"
        )
