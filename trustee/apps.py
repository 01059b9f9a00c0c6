from django.apps import AppConfig


class TrusteeConfig(AppConfig):
    name = "trustee"
    verbose_name = "Agreements and parties"

    def ready(self):
        from django.db.models.signals import post_migrate

        from trustee.admin import audit_trail_only_on_postgresql
        from trustee.audit import install_fast_functions

        # After pghistory's admin registered its events page (it comes before us).
        audit_trail_only_on_postgresql()
        # The audit trail's per-row functions, without a subtransaction each (trustee.audit).
        post_migrate.connect(install_fast_functions, dispatch_uid="trustee-fast-audit-functions")
