"""Two workflows of the trustee's own office: its resignation or removal with the successor's
appointment and acceptance (§4.2), and the Holders' applications to communicate with other
Holders (TIA §312(b), through §2.2(b)). Every change of state goes through
trustee/workflows/resignations.py and applications.py, which write a WorkflowStep for it."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from trustee import application_rules
from trustee import succession_rules as succession
from trustee.audit import audited

Elect = application_rules.Election

__all__ = ["HolderApplicant", "HolderApplication", "Succession"]


def _state_choices(rules):
    return models.TextChoices("State", [(s.name, (s.value, rules.LABELS[s])) for s in rules.State])


@audited
class Succession(models.Model):
    """A resignation or removal of the Guarantee Trustee under one agreement, until a
    Successor Guarantee Trustee has accepted (§4.2). Nothing is deleted when it takes effect:
    the acceptance date is recorded as the day the trustee's duties under the agreement end."""

    State = _state_choices(succession)

    class Kind(models.TextChoices):
        RESIGNATION = succession.Kind.RESIGNATION.value, "Resignation (§4.2(c))"
        REMOVAL = succession.Kind.REMOVAL.value, "Removal (§4.2(a))"

    class RemovedBy(models.TextChoices):
        GUARANTOR = succession.RemovedBy.GUARANTOR.value, "The Guarantor (§4.2(a))"
        HOLDERS = succession.RemovedBy.HOLDERS.value, "The Holders, by an act of the majority"

    agreement = models.ForeignKey(
        "trustee.Agreement", on_delete=models.PROTECT, related_name="successions"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    state = models.CharField(
        max_length=20, choices=State.choices, default=succession.State.DELIVERED.value
    )
    # A resignation starts the §4.2(d) clock: its event and the duty on the calendar.
    event = models.OneToOneField(
        "trustee.AgreementEvent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="succession",
    )
    obligation = models.OneToOneField(
        "trustee.Obligation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="succession",
    )
    delivered_on = models.DateField(help_text="The instrument delivered to the Guarantor.")
    holders_notified_on = models.DateField(
        null=True,
        blank=True,
        help_text="The notice delivered to the Holders and the Guarantor (where the window "
        "runs from it).",
    )
    instrument_reference = models.CharField(max_length=200, blank=True)
    reason = models.TextField(blank=True)
    removed_by = models.CharField(max_length=20, choices=RemovedBy.choices, blank=True)
    solicitation = models.ForeignKey(
        "holders.Solicitation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The Holders' vote, for a removal by the Holders.",
    )
    window_starts_on = models.DateField(null=True, blank=True)
    window_ends_on = models.DateField(
        null=True, blank=True, help_text="The last day for a successor to be appointed and accept."
    )
    successor_name = models.CharField(max_length=200, blank=True)
    successor_appointed_on = models.DateField(null=True, blank=True)
    appointment_reference = models.CharField(max_length=200, blank=True)
    appointed_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    successor_accepted_on = models.DateField(null=True, blank=True)
    acceptance_reference = models.CharField(max_length=200, blank=True)
    effective_on = models.DateField(
        null=True, blank=True, help_text="The day the trustee's duties under the agreement end."
    )
    petitioned_on = models.DateField(null=True, blank=True)
    petition_court = models.CharField(max_length=200, blank=True)
    escalations = models.PositiveSmallIntegerField(default=0)
    last_escalated_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-delivered_on", "-pk"]
        indexes = [
            models.Index(
                fields=["window_ends_on"],
                name="succession_watched",
                condition=Q(state__in=["delivered", "successor_appointed"]),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display().split(' (')[0]} of {self.delivered_on:%Y-%m-%d}: " + str(
            self.agreement
        )


@audited
class HolderApplication(models.Model):
    """An application by Holders to communicate with other Holders (TIA §312(b)): the
    trustee's election within N business days, and the mailing it does for them."""

    State = _state_choices(application_rules)

    class Election(models.TextChoices):
        ACCESS = Elect.ACCESS.value, "Access to the List of Holders (§312(b)(1))"
        MAILING = Elect.MAILING.value, "Number of Holders and cost (§312(b)(2))"

    agreement = models.ForeignKey(
        "trustee.Agreement", on_delete=models.PROTECT, related_name="holder_applications"
    )
    security = models.ForeignKey(
        "trustee.Security", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    state = models.CharField(
        max_length=20, choices=State.choices, default=application_rules.State.RECEIVED.value
    )
    event = models.OneToOneField(
        "trustee.AgreementEvent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="holder_application",
    )
    obligation = models.OneToOneField(
        "trustee.Obligation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="holder_application",
    )
    received_on = models.DateField()
    election_due_on = models.DateField()
    communication = models.TextField(help_text="The proxy or other communication proposed.")
    communication_file = models.FileField(
        upload_to="holder-applications/%Y/%m/", blank=True, max_length=255
    )
    holder_list = models.ForeignKey(
        "holders.HolderList",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The latest List of Holders when it was received (applicants matched to it).",
    )
    election = models.CharField(max_length=20, choices=Election.choices, blank=True)
    elected_on = models.DateField(null=True, blank=True)
    elected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    access_given_on = models.DateField(null=True, blank=True)
    holder_count = models.PositiveIntegerField(null=True, blank=True)
    cost_per_holder = models.DecimalField(max_digits=10, decimal_places=4, null=True, blank=True)
    estimated_cost = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    tendered_on = models.DateField(null=True, blank=True)
    tendered_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    notice = models.ForeignKey(
        "notices.Notice", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    mailed_on = models.DateField(null=True, blank=True)
    escalations = models.PositiveSmallIntegerField(default=0)
    last_escalated_on = models.DateField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_on", "-pk"]
        indexes = [
            models.Index(
                fields=["election_due_on"],
                name="holder_application_waiting",
                condition=Q(state__in=["received", "late"]),
            )
        ]

    def __str__(self):
        return f"Holders' application of {self.received_on:%Y-%m-%d}: {self.agreement}"


@audited
class HolderApplicant(models.Model):
    """One Holder joining an application, with the holding shown and whether it counts."""

    application = models.ForeignKey(
        HolderApplication, on_delete=models.CASCADE, related_name="applicants"
    )
    name = models.CharField(max_length=200)
    amount = models.DecimalField("amount held", max_digits=18, decimal_places=2)
    holding_since = models.DateField()
    eligible = models.BooleanField()
    problem = models.CharField(max_length=200, blank=True)
    on_latest_list = models.BooleanField(
        null=True, help_text="Found by name on the latest List of Holders (empty: no list)."
    )

    class Meta:
        ordering = ["application", "pk"]

    def __str__(self):
        return f"{self.name} ({self.amount:,} since {self.holding_since:%Y-%m-%d})"
