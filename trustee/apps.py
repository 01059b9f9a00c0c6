from django.apps import AppConfig


class TrusteeConfig(AppConfig):
    name = "trustee"
    verbose_name = "Agreements and parties"
