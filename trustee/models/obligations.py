"""Duties as rows: what is owed, by when, and whether it was done, with the proof."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from trustee import obligation_rules as rules
from trustee.audit import audited
from trustee.calendar import DutyKind, Owner


@audited
class Obligation(models.Model):
    class Status(models.TextChoices):
        UPCOMING = rules.UPCOMING, "Upcoming"
        DUE_SOON = rules.DUE_SOON, "Due soon"
        OVERDUE = rules.OVERDUE, "Overdue"
        DONE = rules.DONE, "Done"
        NOT_REQUIRED = rules.NOT_REQUIRED, "Not required"

    Kind = models.TextChoices(
        "Kind", [(kind.name, (kind.value, kind.value.replace("_", " "))) for kind in DutyKind]
    )
    OwedBy = models.TextChoices("OwedBy", [(o.name, (o.value, o.value)) for o in Owner])

    agreement = models.ForeignKey(
        "trustee.Agreement", on_delete=models.CASCADE, related_name="obligations"
    )
    security = models.ForeignKey(
        "trustee.Security", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    event = models.ForeignKey(
        "trustee.AgreementEvent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="obligations",
    )
    kind = models.CharField(max_length=40, choices=Kind.choices)
    owed_by = models.CharField(max_length=20, choices=OwedBy.choices)
    # Identifies the duty within its agreement ("holder_list:2026-02-15"): the unique key that
    # keeps two sweeps from ever creating the same obligation twice.
    key = models.CharField(max_length=120)
    title = models.CharField(max_length=200)
    nominal_date = models.DateField(help_text="The date the agreement's terms give.")
    due_date = models.DateField(help_text="After the agreement's business-day convention.")
    is_weekend = models.BooleanField(default=False)
    holiday = models.CharField(max_length=80, blank=True)
    section = models.CharField(max_length=60, blank=True)
    quote = models.TextField(blank=True)
    officer = models.ForeignKey(
        "trustee.TrustOfficer",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="obligations",
        help_text="Responsible: the agreement's primary officer.",
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UPCOMING)
    next_check = models.DateField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    resolution = models.TextField(
        blank=True, help_text="Evidence that it was done, or why it is not required."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "agreement", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "key"], name="one_obligation_per_duty"),
        ]
        indexes = [
            models.Index(
                fields=["next_check"],
                name="obligation_sweep",
                condition=Q(status__in=rules.OPEN),
            ),
            models.Index(
                fields=["officer", "status", "due_date"],
                name="obligation_officer_open",
                condition=Q(status__in=rules.OPEN),
            ),
            models.Index(fields=["agreement", "due_date"], name="obligation_timeline"),
            models.Index(fields=["due_date", "status"], name="obligation_due"),
        ]

    def __str__(self):
        return f"{self.title} due {self.due_date:%Y-%m-%d} ({self.agreement})"

    @property
    def is_open(self):
        return self.status in rules.OPEN


class ObligationChange(models.Model):
    """Every change to an obligation: status, due date, who and why."""

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE, related_name="changes")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    old_status = models.CharField(max_length=20, blank=True)
    new_status = models.CharField(max_length=20, blank=True)
    old_due_date = models.DateField(null=True, blank=True)
    new_due_date = models.DateField(null=True, blank=True)
    reason = models.TextField()

    class Meta:
        ordering = ["obligation", "at"]

    def __str__(self):
        return f"{self.obligation_id} @ {self.at:%Y-%m-%d %H:%M}: {self.reason[:60]}"


@audited
class AgreementEvent(models.Model):
    """Something that starts a clock: a request received, a default, a resignation."""

    class Kind(models.TextChoices):
        LIST_REQUESTED = "list_requested", "Written request for a List of Holders received"
        DEFAULT = "default", "Default"
        CONFLICTING_INTEREST = "conflicting_interest", "Conflicting interest ascertained"
        RESIGNATION = "resignation", "Resignation delivered"
        HOLDER_APPLICATION = "holder_application", "Holders' application to communicate"

    agreement = models.ForeignKey(
        "trustee.Agreement", on_delete=models.PROTECT, related_name="events"
    )
    kind = models.CharField(max_length=30, choices=Kind.choices)
    occurred_on = models.DateField(help_text="The day it happened, or was received.")
    known_on = models.DateField(
        null=True, blank=True, help_text="Default: when a Responsible Officer learned of it."
    )
    notice_received_on = models.DateField(
        null=True, blank=True, help_text="Default: when the Guarantor received notice of it."
    )
    is_payment_default = models.BooleanField(
        default=False, help_text="A default in a payment: an Event of Default at once, no cure."
    )
    description = models.TextField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-occurred_on"]

    def __str__(self):
        return f"{self.get_kind_display()} on {self.occurred_on:%Y-%m-%d} ({self.agreement})"


class DigestDispatch(models.Model):
    """One daily digest per officer per day: the row is claimed before the mail is sent."""

    officer = models.ForeignKey("trustee.TrustOfficer", on_delete=models.CASCADE)
    day = models.DateField()
    claimed_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    obligation_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-day", "officer"]
        constraints = [
            models.UniqueConstraint(fields=["officer", "day"], name="one_digest_per_officer_day")
        ]

    def __str__(self):
        return f"Digest for {self.officer} on {self.day}"
