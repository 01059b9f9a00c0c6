"""Payments on the securities, the trustee's eligibility and its conflicting interests (issue #7
part B). Every change of state goes through trustee/workflows/payments.py or standing.py, which
write a WorkflowStep for it on the agreement's timeline."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q

from trustee import standing_rules as rules
from trustee.audit import audited

__all__ = [
    "AffiliationFact",
    "BankCondition",
    "ConflictCase",
    "EligibilityResult",
    "Payment",
    "PaymentReceipt",
]

PAYMENT_LABELS = {
    rules.PaymentState.EXPECTED: "Expected",
    rules.PaymentState.PAID: "Paid in full on time",
    rules.PaymentState.DEFAULTED: "Short: payment default opened",
    rules.PaymentState.PAID_LATE: "Paid in full after the default",
    rules.PaymentState.NOT_REQUIRED: "Not required (reason recorded)",
}
ELIGIBILITY_LABELS = {
    rules.EligibilityState.ELIGIBLE: "Eligible",
    rules.EligibilityState.INELIGIBLE: "Not eligible: the trustee must resign (§4.1(b))",
    rules.EligibilityState.INCOMPLETE: "Incomplete: a fact or term is missing",
    rules.EligibilityState.RESIGNING: "Resignation started (§4.1(b))",
    rules.EligibilityState.SUPERSEDED: "Superseded by a later report",
}
CONFLICT_LABELS = {
    rules.ConflictState.RECORDED: "Recorded: not in default, no clock",
    rules.ConflictState.CLOCK_RUNNING: "In default: eliminate or resign",
    rules.ConflictState.NOTICE_DUE: "Not eliminated in time: notice due",
    rules.ConflictState.NOTICE_DRAFTED: "Notice awaiting approval",
    rules.ConflictState.NOTICED: "Holders notified (TIA §310(b)(ii))",
    rules.ConflictState.ELIMINATED: "Eliminated",
    rules.ConflictState.RESIGNED: "Trustee resigned",
}


def _states(enum, labels):
    return models.TextChoices("State", [(s.name, (s.value, labels[s])) for s in enum])


@audited
class Payment(models.Model):
    """One payment date of one security, from the Duty calendar's PAYMENT or MATURITY
    obligation: what it should bring, what came, and whether it became a payment default."""

    State = _states(rules.PaymentState, PAYMENT_LABELS)

    class Kind(models.TextChoices):
        PAYMENT = rules.PaymentKind.PAYMENT, "Interest / distribution"
        MATURITY = rules.PaymentKind.MATURITY, "Maturity"

    agreement = models.ForeignKey(
        "trustee.Agreement", on_delete=models.PROTECT, related_name="payments"
    )
    security = models.ForeignKey(
        "trustee.Security", on_delete=models.PROTECT, related_name="payments"
    )
    obligation = models.OneToOneField(
        "trustee.Obligation", on_delete=models.PROTECT, related_name="payment"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    due_on = models.DateField(help_text="The obligation's due date (kept in step with it).")
    state = models.CharField(max_length=20, choices=State.choices, default=State.EXPECTED)
    expected_amount = models.DecimalField(
        max_digits=18, decimal_places=2, null=True, blank=True, editable=False
    )
    expected_basis = models.TextField(blank=True, editable=False)
    override_amount = models.DecimalField(
        "amount set by an officer", max_digits=18, decimal_places=2, null=True, blank=True
    )
    override_reason = models.TextField(blank=True)
    override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_amount = models.DecimalField(
        "received in all", max_digits=18, decimal_places=2, default=Decimal(0)
    )
    # The payment default this payment opened: one at most, claimed under the row's lock.
    default_case = models.OneToOneField(
        "trustee.DefaultCase",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="payment",
    )
    problem = models.TextField(
        blank=True, help_text="Why the sweep could not act (escalated once)."
    )
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-due_on", "agreement"]
        indexes = [
            models.Index(fields=["due_on"], name="payment_expected", condition=Q(state="expected"))
        ]

    def __str__(self):
        return f"{self.get_kind_display()} due {self.due_on:%Y-%m-%d}: {self.security}"

    @property
    def amount_due(self):
        return self.override_amount if self.override_amount is not None else self.expected_amount


@audited
class PaymentReceipt(models.Model):
    """Funds received for a payment from the paying agent or the Guarantor."""

    class From(models.TextChoices):
        PAYING_AGENT = "paying_agent", "Paying agent"
        GUARANTOR = "guarantor", "Guarantor"
        ISSUER = "issuer", "Issuer"
        OTHER = "other", "Other"

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="receipts")
    amount = models.DecimalField(
        max_digits=18, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )
    received_on = models.DateField()
    received_from = models.CharField(max_length=20, choices=From.choices)
    reference = models.CharField(max_length=120, blank=True, help_text="Wire or advice number.")
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["payment", "received_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="receipt_amount_positive")
        ]

    def __str__(self):
        return f"{rules.money(self.amount)} on {self.received_on:%Y-%m-%d}"


@audited
class BankCondition(models.Model):
    """The bank's figures from its latest published report of condition, entered once and
    checked against every agreement (§4.1(a)(ii))."""

    State = models.TextChoices(
        "State",
        [("ENTERED", ("entered", "Entered: not checked")), ("CHECKED", ("checked", "Checked"))],
    )
    Charter = models.TextChoices(
        "Charter",
        [
            ("NATIONAL_BANK", (rules.Charter.NATIONAL_BANK, "National bank")),
            ("STATE_BANK", (rules.Charter.STATE_BANK, "State chartered bank")),
            ("OTHER", (rules.Charter.OTHER, "Other")),
        ],
    )

    report_date = models.DateField(help_text="The date of the report of condition.")
    capital_surplus = models.DecimalField(
        "combined capital and surplus",
        max_digits=18,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0))],
    )
    charter = models.CharField(max_length=20, choices=Charter.choices)
    rating_category = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        help_text="1 is the highest rating category; empty where no securities are rated.",
    )
    rating_agency = models.CharField(max_length=80, blank=True)
    source_reference = models.CharField(
        max_length=200, help_text="e.g. FFIEC Call Report, Schedule RC, with its date."
    )
    state = models.CharField(max_length=20, choices=State.choices, default=State.ENTERED)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    entered_at = models.DateTimeField(auto_now_add=True)
    checked_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-report_date", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capital_surplus__gte=0), name="bank_capital_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(rating_category__isnull=True) | Q(rating_category__gte=1),
                name="bank_rating_from_one",
            ),
        ]

    def __str__(self):
        return f"Report of condition of {self.report_date:%Y-%m-%d}"


@audited
class AffiliationFact(models.Model):
    """Whether the bank is an Affiliate of an agreement's Guarantor (§4.1(a)(i)): recorded per
    agreement; the latest record counts."""

    agreement = models.ForeignKey(
        "trustee.Agreement", on_delete=models.PROTECT, related_name="affiliation_facts"
    )
    is_affiliate = models.BooleanField("the bank is an Affiliate of the Guarantor")
    note = models.TextField(help_text="What the determination rests on.")
    recorded_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agreement", "-recorded_on", "-pk"]

    def __str__(self):
        said = "an Affiliate" if self.is_affiliate else "not an Affiliate"
        return f"{said} of the Guarantor ({self.recorded_on:%Y-%m-%d}): {self.agreement}"


@audited
class EligibilityResult(models.Model):
    """One report of condition checked against one agreement's §4.1(a)."""

    State = _states(rules.EligibilityState, ELIGIBILITY_LABELS)

    condition = models.ForeignKey(BankCondition, on_delete=models.PROTECT, related_name="results")
    agreement = models.ForeignKey(
        "trustee.Agreement", on_delete=models.PROTECT, related_name="eligibility_results"
    )
    state = models.CharField(max_length=20, choices=State.choices)
    reasons = models.JSONField(default=list)
    checked_on = models.DateField()
    note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-condition__report_date", "agreement"]
        constraints = [
            models.UniqueConstraint(
                fields=["condition", "agreement"], name="one_result_per_condition_agreement"
            )
        ]
        indexes = [
            models.Index(
                fields=["agreement"],
                name="eligibility_flagged",
                condition=Q(state="ineligible"),
            )
        ]

    def __str__(self):
        return f"Eligibility ({self.condition}): {self.agreement}"


@audited
class ConflictCase(models.Model):
    """A conflicting interest (TIA §310(b)) under one agreement and its clock."""

    State = _states(rules.ConflictState, CONFLICT_LABELS)

    agreement = models.ForeignKey(
        "trustee.Agreement", on_delete=models.PROTECT, related_name="conflict_cases"
    )
    ascertained_on = models.DateField(help_text="The day the trustee ascertained it.")
    description = models.TextField()
    state = models.CharField(max_length=20, choices=State.choices, default=State.RECORDED)
    clock_from = models.DateField(null=True, blank=True)
    eliminate_by = models.DateField(null=True, blank=True)
    notice_by = models.DateField(null=True, blank=True)
    # The calendar event whose duties are the running clock (a new one if it restarts).
    event = models.ForeignKey(
        "trustee.AgreementEvent",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conflict_cases",
    )
    notice = models.ForeignKey(
        "notices.Notice", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    closed_on = models.DateField(null=True, blank=True)
    closing_note = models.TextField(blank=True)
    problem = models.TextField(
        blank=True, help_text="Why the sweep could not start the clock (escalated once)."
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-ascertained_on", "-pk"]
        indexes = [
            models.Index(
                fields=["agreement"],
                name="conflict_open",
                condition=Q(state__in=["recorded", "clock_running"]),
            )
        ]

    def __str__(self):
        return f"Conflicting interest of {self.ascertained_on:%Y-%m-%d}: {self.agreement}"
