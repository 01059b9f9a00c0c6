from django.apps import AppConfig


class HoldersConfig(AppConfig):
    name = "holders"
    verbose_name = "Holders"

    def ready(self):
        from holders import checks  # noqa: F401  (registers the system checks)
