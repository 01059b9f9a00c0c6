from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from trustee.audit import audited


@audited
class TrustOfficer(models.Model):
    """An officer of the corporate trust department, tied to a login."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="trust_officer"
    )
    title = models.CharField(max_length=120, help_text="e.g. Vice President")
    is_responsible_officer = models.BooleanField(
        "Responsible Officer",
        default=False,
        help_text="Has responsibility over the administration of agreements (§1.1): "
        "only a Responsible Officer may withhold a default notice or receive knowledge of one.",
    )
    phone = models.CharField(max_length=40, blank=True)
    is_active = models.BooleanField(default=True)
    # The secret in the officer's iCalendar feed URL; none until the officer asks for a feed,
    # and replaced (so the old URL stops working) whenever it is reset.
    calendar_token = models.CharField(
        max_length=64, null=True, blank=True, unique=True, editable=False
    )

    class Meta:
        ordering = ["user__last_name", "user__first_name"]

    def __str__(self):
        return self.user.get_full_name() or self.user.get_username()


@audited
class OfficerAssignment(models.Model):
    class Role(models.TextChoices):
        PRIMARY = "primary", "Primary"
        BACKUP = "backup", "Backup"

    agreement = models.ForeignKey(
        "trustee.Agreement", on_delete=models.CASCADE, related_name="officer_assignments"
    )
    officer = models.ForeignKey(TrustOfficer, on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(max_length=10, choices=Role.choices)
    assigned_on = models.DateField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "role"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "role"], name="one_officer_per_role"),
            models.UniqueConstraint(
                fields=["agreement", "officer"], name="officer_once_per_agreement"
            ),
        ]

    def __str__(self):
        return f"{self.officer} ({self.get_role_display()}) on {self.agreement}"

    def clean(self):
        if self.officer_id and not self.officer.is_active:
            raise ValidationError({"officer": "This officer is no longer active."})
