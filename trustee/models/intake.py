"""An exhibit uploaded for intake (issue #8): its text, what the reader proposed, and the
agreement it became once an officer reviewed and confirmed it."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from trustee.audit import audited


@audited
class AgreementSource(models.Model):
    file_name = models.CharField("original file name", max_length=255)
    text = models.TextField(help_text="The exhibit's text as uploaded (decoded), kept for good.")
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    size = models.PositiveIntegerField("size (bytes)")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    proposal = models.JSONField(help_text="What the reader proposed, as read.")
    review = models.JSONField(
        default=dict,
        blank=True,
        help_text="The values confirmed, and which of them the officer corrected.",
    )
    agreement = models.ForeignKey(
        "trustee.Agreement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sources",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]
        verbose_name = "agreement source"
        constraints = [
            models.CheckConstraint(
                condition=Q(agreement__isnull=True, confirmed_at__isnull=True)
                | Q(agreement__isnull=False, confirmed_at__isnull=False),
                name="agreement_source_confirmed_with_agreement",
                violation_error_message="A confirmed source names the agreement it became.",
            )
        ]

    def __str__(self):
        return self.file_name

    @property
    def is_confirmed(self) -> bool:
        return self.agreement_id is not None
