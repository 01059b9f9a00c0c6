import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from trustee.models import TrustOfficer
from trustee.roles import responsible_designation_sync

USERNAME = "demo"
# A second officer, so that maker-checker (one prepares, another approves) can be walked.
CHECKER = ("demo-checker", "Demo", "Checker", "Senior Vice President (demo)")


class Command(BaseCommand):
    help = "Create (once) the demo officer's login and print its username and password."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("There is no demo login in production.")
        # The password is made once per machine and kept beside the demo database, so that
        # `make run` prints the same one every time and no password is in the repository.
        secret_file = settings.VAR_DIR / "demo-login.txt"
        if secret_file.exists():
            password = secret_file.read_text().strip()
        else:
            password = secrets.token_urlsafe(12)
            settings.VAR_DIR.mkdir(parents=True, exist_ok=True)
            secret_file.touch(mode=0o600)
            secret_file.write_text(password + "\n")
        with transaction.atomic():
            for username, first, last, title in (
                (USERNAME, "Demo", "Officer", "Vice President (demo)"),
                CHECKER,
            ):
                self._officer(username, first, last, title, password)
        self.stdout.write(f"Demo officer: username {USERNAME}  password {password}")
        self.stdout.write(
            f"Second officer (approves what the first prepares): username {CHECKER[0]}  "
            "same password"
        )

    def _officer(self, username, first, last, title, password):
        user, _ = get_user_model().objects.get_or_create(
            username=username,
            defaults={"first_name": first, "last_name": last, "email": f"{username}@localhost"},
        )
        user.is_staff = user.is_superuser = user.is_active = True
        if not user.check_password(password):
            user.set_password(password)
        user.save()
        officer, _ = TrustOfficer.objects.get_or_create(
            user=user, defaults={"title": title, "is_responsible_officer": True}
        )
        responsible_designation_sync(officer)
