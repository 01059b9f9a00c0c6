from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q

from trustee.audit import audited
from trustee.fields import MonthDayListField
from trustee.identifiers import cusip_problem

_POSITIVE = [MinValueValidator(Decimal("0.01"))]


@audited
class Security(models.Model):
    class Kind(models.TextChoices):
        PREFERRED_SECURITIES = "preferred_securities", "Preferred securities"
        CAPITAL_SECURITIES = "capital_securities", "Capital securities"
        COMMON_SECURITIES = "common_securities", "Common securities"
        SENIOR_NOTES = "senior_notes", "Senior notes"
        SUBORDINATED_DEBENTURES = "subordinated_debentures", "Subordinated debentures"
        OTHER = "other", "Other"

    class UnitBasis(models.TextChoices):
        LIQUIDATION_PREFERENCE = "liquidation_preference", "Liquidation preference"
        LIQUIDATION_AMOUNT = "liquidation_amount", "Liquidation amount"
        PRINCIPAL = "principal", "Principal amount"

    class Form(models.TextChoices):
        BOOK_ENTRY = "book_entry", "Book-entry"
        CERTIFICATED = "certificated", "Certificated"

    agreement = models.ForeignKey(
        "trustee.Agreement", on_delete=models.PROTECT, related_name="securities"
    )
    title = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    cusip = models.CharField("CUSIP", max_length=9, blank=True)
    coupon_rate = models.DecimalField(
        "coupon / distribution rate (%)",
        max_digits=7,
        decimal_places=4,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0))],
    )
    unit_amount = models.DecimalField(
        "amount per unit",
        max_digits=18,
        decimal_places=2,
        null=True,
        blank=True,
        validators=_POSITIVE,
        help_text="Liquidation amount or preference, or principal, per security.",
    )
    unit_basis = models.CharField(
        "per-unit amount is", max_length=30, choices=UnitBasis.choices, blank=True
    )
    aggregate_amount = models.DecimalField(
        "aggregate amount issued", max_digits=18, decimal_places=2, validators=_POSITIVE
    )
    amount_outstanding = models.DecimalField(
        max_digits=18, decimal_places=2, validators=[MinValueValidator(Decimal(0))]
    )
    issue_date = models.DateField(null=True, blank=True)
    maturity = models.DateField(null=True, blank=True)
    payment_dates = MonthDayListField(
        blank=True, help_text="Interest or distribution dates each year, e.g. March 1, September 1."
    )
    first_payment_date = models.DateField(null=True, blank=True)
    form = models.CharField(
        max_length=20, choices=Form.choices, blank=True, help_text="Empty where not known."
    )
    source_section = models.CharField(max_length=60, blank=True)
    source_quote = models.TextField(blank=True)

    class Meta:
        ordering = ["agreement", "title"]
        verbose_name_plural = "securities"
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_outstanding__lte=F("aggregate_amount")),
                name="outstanding_not_above_issued",
                violation_error_message="More cannot be outstanding than was issued.",
            ),
            models.UniqueConstraint(fields=["cusip"], condition=~Q(cusip=""), name="unique_cusip"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        if self.cusip:
            self.cusip = self.cusip.strip().upper()
            if problem := cusip_problem(self.cusip):
                errors["cusip"] = problem
        if (
            self.amount_outstanding is not None
            and self.aggregate_amount is not None
            and self.amount_outstanding > self.aggregate_amount
        ):
            errors["amount_outstanding"] = (
                f"{self.amount_outstanding:,} outstanding is more than the "
                f"{self.aggregate_amount:,} issued."
            )
        if self.unit_amount and not self.unit_basis:
            errors["unit_basis"] = (
                "Say whether the per-unit amount is a liquidation amount, "
                "a liquidation preference or principal."
            )
        if self.maturity and self.issue_date and self.maturity <= self.issue_date:
            errors["maturity"] = "Maturity must come after the issue date."
        if self.first_payment_date:
            if self.maturity and self.first_payment_date > self.maturity:
                errors["first_payment_date"] = "The first payment cannot come after maturity."
            day = self.first_payment_date.strftime("%m-%d")
            if self.payment_dates and day not in self.payment_dates:
                errors["first_payment_date"] = (
                    "The first payment date is not one of the payment dates."
                )
        if self.payment_dates and not self.first_payment_date:
            errors["first_payment_date"] = "Payment dates need the date the first one falls on."
        if errors:
            raise ValidationError(errors)


class UnderwriterAllocation(models.Model):
    """Schedule I of an underwriting agreement: who bought how much at closing."""

    security = models.ForeignKey(Security, on_delete=models.CASCADE, related_name="allocations")
    underwriter = models.ForeignKey(
        "trustee.Party", on_delete=models.PROTECT, related_name="allocations"
    )
    amount = models.DecimalField(max_digits=18, decimal_places=2, validators=_POSITIVE)
    is_representative = models.BooleanField(default=False)

    class Meta:
        ordering = ["security", "-amount"]
        constraints = [
            models.UniqueConstraint(
                fields=["security", "underwriter"], name="unique_underwriter_per_security"
            )
        ]

    def __str__(self):
        return f"{self.underwriter}: {self.amount:,}"
