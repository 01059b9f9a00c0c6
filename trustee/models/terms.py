"""The numbers of an agreement, each a typed field, each cited to the clause it comes from.

Nothing in Trustdesk knows that a List of Holders is due on February 15 or that a default
notice has 90 days: those are the terms of one agreement, and another says January 1 and 30.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.text import capfirst

from trustee import term_rules
from trustee.audit import audited
from trustee.fields import MonthDayField, MonthDayListField


def _days(verbose_name, help_text=""):
    return models.PositiveIntegerField(verbose_name, null=True, blank=True, help_text=help_text)


class BusinessDayConvention(models.TextChoices):
    NONE = "none", "None: the date stands even on a holiday"
    FOLLOWING = "following", "Following business day"
    PRECEDING = "preceding", "Preceding business day"
    MODIFIED_FOLLOWING = "modified_following", "Modified following"


@audited
class AgreementTerms(models.Model):
    class NoticeRunsFrom(models.TextChoices):
        OCCURRENCE = "occurrence", "The occurrence of the Event of Default"
        KNOWLEDGE = "knowledge", "The trustee's knowledge of it"

    class CureRunsFrom(models.TextChoices):
        NOTICE_TO_GUARANTOR = "notice_to_guarantor", "Receipt of notice by the Guarantor"
        DEFAULT = "default", "The default itself"

    class MajorityComparison(models.TextChoices):
        MORE_THAN = "more_than", "More than"
        AT_LEAST = "at_least", "At least"

    class MajorityBasis(models.TextChoices):
        LIQUIDATION_PREFERENCE = "liquidation_preference", "Liquidation preference"
        LIQUIDATION_AMOUNT = "liquidation_amount", "Liquidation amount"
        PRINCIPAL = "principal", "Principal amount"

    class SuccessorRunsFrom(models.TextChoices):
        RESIGNATION_DELIVERED = "resignation_delivered", "Delivery of the resignation"
        NOTICE_TO_HOLDERS = "notice_to_holders", "Notice to the Holders and the Guarantor"

    agreement = models.OneToOneField(
        "trustee.Agreement", on_delete=models.CASCADE, related_name="terms"
    )

    # List of Holders (§2.2)
    holder_list_dates = MonthDayListField(
        "List of Holders dates",
        blank=True,
        help_text="On or before which the Guarantor furnishes the list each year, "
        "e.g. February 15, August 15.",
    )
    holder_list_commencement = models.DateField("List of Holders commencing", null=True, blank=True)
    holder_list_business_days_after = models.PositiveSmallIntegerField(
        "lists due N Business Days after each date",
        null=True,
        blank=True,
        help_text="Only where lists are due some Business Days after each date (e.g. one "
        "Business Day after each record date); empty where they are due on the dates.",
    )
    holder_list_as_of_days = _days(
        "as-of window (days)",
        "The list may be as of a date at most this many days before delivery.",
    )
    holder_list_request_days = _days(
        "list on request (days)", "Days after the Guarantor receives a written request."
    )

    # Report to Holders (§2.3, TIA §313)
    report_anchor = MonthDayField("report anchor date", null=True, blank=True)
    report_window_days = _days("report window (days after the anchor)")
    report_due = MonthDayField(
        "report fixed due date",
        null=True,
        blank=True,
        help_text="Only where the agreement gives a date instead of a window.",
    )
    report_commencement = models.DateField("reports commencing", null=True, blank=True)

    # Defaults (§1.1, §2.7)
    default_notice_days = _days("notice of default (days)")
    default_notice_runs_from = models.CharField(
        "notice of default runs from", max_length=20, choices=NoticeRunsFrom.choices, blank=True
    )
    cure_days = _days("cure period (days)")
    cure_runs_from = models.CharField(
        "cure period runs from", max_length=30, choices=CureRunsFrom.choices, blank=True
    )

    # Votes (§2.6, §5.4, §8.2)
    majority_percent = models.DecimalField(
        "majority threshold (%)", max_digits=6, decimal_places=3, null=True, blank=True
    )
    majority_comparison = models.CharField(
        max_length=20, choices=MajorityComparison.choices, blank=True
    )
    majority_basis = models.CharField(max_length=30, choices=MajorityBasis.choices, blank=True)

    # The trustee's standing (§4.1, §4.2)
    min_capital_surplus = models.DecimalField(
        "minimum capital and surplus", max_digits=18, decimal_places=2, null=True, blank=True
    )
    rating_categories = models.PositiveSmallIntegerField(
        "rated in one of the N highest categories",
        null=True,
        blank=True,
        help_text="Leave empty where the agreement requires no rating.",
    )
    successor_days = _days("successor trustee window (days)")
    successor_runs_from = models.CharField(
        "successor window runs from", max_length=30, choices=SuccessorRunsFrom.choices, blank=True
    )
    conflicting_interest_days = _days("conflicting interest: eliminate or resign within (days)")
    conflicting_interest_notice_days = _days("conflicting interest: notify Holders within (days)")
    holder_communication_business_days = _days(
        "Holders' application to communicate (business days)"
    )

    # What the Guarantor owes the trustee (§2.4, TIA §314)
    fiscal_year_end = MonthDayField("Guarantor's fiscal year end", null=True, blank=True)
    compliance_certificate_days = _days("compliance certificate (days after fiscal year end)")

    # How dates are read
    time_zone = models.CharField(max_length=64, default="America/New_York")
    business_day_convention = models.CharField(
        max_length=30, choices=BusinessDayConvention.choices, default=BusinessDayConvention.NONE
    )

    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "agreement terms"
        verbose_name_plural = "agreement terms"

    def __str__(self):
        return f"Terms of {self.agreement}"

    DAY_FIELDS = (
        "holder_list_as_of_days",
        "holder_list_request_days",
        "report_window_days",
        "default_notice_days",
        "cure_days",
        "successor_days",
        "conflicting_interest_days",
        "conflicting_interest_notice_days",
        "holder_communication_business_days",
        "compliance_certificate_days",
    )
    # A period and the event it runs from are one term: neither makes sense alone.
    PAIRED = (
        ("default_notice_days", "default_notice_runs_from"),
        ("cure_days", "cure_runs_from"),
        ("successor_days", "successor_runs_from"),
        ("majority_percent", "majority_comparison"),
        ("majority_percent", "majority_basis"),
        ("compliance_certificate_days", "fiscal_year_end"),
    )

    def clean(self):
        errors: dict[str, list[str]] = {}

        def add(field, message):
            errors.setdefault(field, []).append(message)

        for name in self.DAY_FIELDS:
            value = getattr(self, name)
            if value is not None:
                try:
                    term_rules.check_days(value, capfirst(self._meta.get_field(name).verbose_name))
                except term_rules.TermError as error:
                    add(name, str(error))
        if self.majority_percent is not None:
            try:
                term_rules.check_percent(self.majority_percent)
            except term_rules.TermError as error:
                add("majority_percent", str(error))
        if self.min_capital_surplus is not None:
            try:
                term_rules.check_amount(self.min_capital_surplus, "Minimum capital and surplus")
            except term_rules.TermError as error:
                add("min_capital_surplus", str(error))
        offset = self.holder_list_business_days_after
        if offset is not None and not 1 <= offset <= 30:
            add("holder_list_business_days_after", "Give 1 to 30 Business Days, or leave it empty.")
        if offset is not None and not self.holder_list_dates:
            add("holder_list_dates", "Business Days after which dates? Give the dates.")
        if self.rating_categories is not None and not 1 <= self.rating_categories <= 10:
            add("rating_categories", "Rating categories count from 1 (the highest) to 10.")
        try:
            term_rules.check_time_zone(self.time_zone)
        except term_rules.TermError as error:
            add("time_zone", str(error))
        for period, partner in self.PAIRED:
            has_period = getattr(self, period) not in (None, "")
            has_partner = getattr(self, partner) not in (None, "")
            if has_period != has_partner:
                missing, present = (partner, period) if has_period else (period, partner)
                add(missing, f"Needed with {self._meta.get_field(present).verbose_name}.")

        dates = self.holder_list_dates_parsed()
        report = term_rules.check_report_schedule(
            anchor=_month_day_or_none(self.report_anchor),
            window_days=self.report_window_days,
            due=_month_day_or_none(self.report_due),
        )
        for problem in [
            *report,
            *term_rules.check_holder_list_schedule(dates, self.holder_list_as_of_days),
        ]:
            add(problem.field, problem.message)
        if self.holder_list_commencement and not dates:
            add("holder_list_dates", "A commencement date needs the dates the lists are due.")
        if (
            self.holder_list_commencement
            and dates
            and self.holder_list_commencement.strftime("%m-%d") not in map(str, dates)
        ):
            add(
                "holder_list_commencement",
                "The first list must fall on one of the List of Holders dates.",
            )
        if errors:
            raise ValidationError(errors)

    def holder_list_dates_parsed(self):
        try:
            return term_rules.parse_month_day_list(self.holder_list_dates or [])
        except term_rules.TermError:
            return []

    @classmethod
    def term_names(cls):
        skip = {"id", "agreement", "updated_at"}
        return [f.name for f in cls._meta.concrete_fields if f.name not in skip]


def _month_day_or_none(value):
    """The parsed date, or None when absent or impossible (the field's own check reports it)."""
    try:
        return term_rules.parse_month_day(value) if value else None
    except term_rules.TermError:
        return None


TERM_CHOICES = [
    (name, capfirst(AgreementTerms._meta.get_field(name).verbose_name))
    for name in AgreementTerms.term_names()
]


@audited
class TermCitation(models.Model):
    """The section and sentence of the agreement a term was read from."""

    terms = models.ForeignKey(AgreementTerms, on_delete=models.CASCADE, related_name="citations")
    term = models.CharField(max_length=60, choices=TERM_CHOICES)
    section = models.CharField(max_length=60, help_text="e.g. 2.2(a), or TIA §310(b)")
    quote = models.TextField(blank=True, help_text="The sentence the term comes from, verbatim.")

    class Meta:
        ordering = ["terms", "term"]
        constraints = [
            models.UniqueConstraint(fields=["terms", "term"], name="one_citation_per_term")
        ]

    def __str__(self):
        return f"{self.get_term_display()}: §{self.section}"

    def clean(self):
        if not self.section.strip():
            raise ValidationError({"section": "Name the section the term comes from."})
