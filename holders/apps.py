from django.apps import AppConfig


class HoldersConfig(AppConfig):
    name = "holders"
    verbose_name = "Holders"
