"""The trustee's three workflows as rows: List of Holders requests, annual reports to Holders,
and defaults with their notice clock. Every change of state goes through trustee/workflows.py,
which writes a WorkflowStep for it: the agreement's timeline."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from trustee import workflow_rules as rules
from trustee.audit import audited


def _choices(states, labels):
    return [(state.value, labels[state]) for state in states]


LIST_LABELS = {
    rules.ListState.SCHEDULED: "Scheduled: reminder awaiting approval",
    rules.ListState.REQUESTED: "Requested",
    rules.ListState.OVERDUE: "Overdue",
    rules.ListState.ESCALATED: "Overdue: escalated",
    rules.ListState.RECEIVED: "Received: being checked",
    rules.ListState.ACCEPTED: "Accepted",
    rules.ListState.NOT_REQUIRED: "Not required (exception recorded)",
}
REPORT_LABELS = {
    rules.ReportState.OPEN: "Open: checklist to answer",
    rules.ReportState.NO_REPORT: "No report required",
    rules.ReportState.DRAFT: "Draft: awaiting approval",
    rules.ReportState.APPROVED: "Approved: mailing",
    rules.ReportState.MAILED: "Mailed: to be filed (§313(d))",
    rules.ReportState.FILED: "Filed",
}
DEFAULT_LABELS = {
    rules.DefaultState.DEFAULT: "Default: cure period running",
    rules.DefaultState.EVENT_OF_DEFAULT: "Event of Default: notice due",
    rules.DefaultState.WITHHELD: "Event of Default: notice withheld (§2.7(a))",
    rules.DefaultState.NOTICE_DRAFTED: "Event of Default: notice awaiting approval",
    rules.DefaultState.NOTICED: "Event of Default: Holders notified",
    rules.DefaultState.CURED: "Cured",
    rules.DefaultState.WAIVED: "Waived by the Holders (§2.6)",
}


class ListException(models.TextChoices):
    """The cases §2.2(a) excuses the Guarantor from furnishing a list."""

    IDENTICAL = "identical", "Identical to a list already supplied"
    ALREADY_RECEIVED = "already_received", "Already received by the trustee as such"


@audited
class ListRequest(models.Model):
    """One List of Holders the trustee is owed: a semiannual one (§2.2(a)(i)) or one it asked
    for in writing (§2.2(a)(ii))."""

    State = models.TextChoices(
        "State", [(s.name, (s.value, LIST_LABELS[s])) for s in rules.ListState]
    )

    agreement = models.ForeignKey(
        "trustee.Agreement", on_delete=models.PROTECT, related_name="list_requests"
    )
    security = models.ForeignKey(
        "trustee.Security", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The duty it tracks; for a request on demand, set once the Guarantor has received it.
    obligation = models.OneToOneField(
        "trustee.Obligation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="list_request",
    )
    on_demand = models.BooleanField(default=False)
    state = models.CharField(
        max_length=20, choices=State.choices, default=rules.ListState.SCHEDULED
    )
    due_on = models.DateField(null=True, blank=True)
    opened_on = models.DateField()
    notice = models.ForeignKey(
        "notices.Notice", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    delivered_by = models.CharField(max_length=20, blank=True)
    received_by_guarantor_on = models.DateField(null=True, blank=True)
    overdue_since = models.DateField(null=True, blank=True)
    escalations = models.PositiveSmallIntegerField(default=0)
    last_escalated_on = models.DateField(null=True, blank=True)
    holder_list = models.ForeignKey(
        "holders.HolderList", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    exception = models.CharField(max_length=20, choices=ListException.choices, blank=True)
    exception_note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-due_on", "-pk"]
        indexes = [
            models.Index(
                fields=["due_on"],
                name="list_request_open",
                condition=Q(state__in=["scheduled", "requested", "overdue", "escalated"]),
            )
        ]

    def __str__(self):
        due = f" due {self.due_on:%Y-%m-%d}" if self.due_on else ""
        kind = "on request" if self.on_demand else "semiannual"
        return f"List of Holders ({kind}){due}: {self.agreement}"


@audited
class AnnualReport(models.Model):
    """The report to Holders for one year (§2.3, TIA §313(a)) and its filing (§313(d))."""

    State = models.TextChoices(
        "State", [(s.name, (s.value, REPORT_LABELS[s])) for s in rules.ReportState]
    )

    agreement = models.ForeignKey(
        "trustee.Agreement", on_delete=models.PROTECT, related_name="annual_reports"
    )
    obligation = models.OneToOneField(
        "trustee.Obligation", on_delete=models.PROTECT, related_name="annual_report"
    )
    security = models.ForeignKey(
        "trustee.Security", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=20, choices=State.choices, default=rules.ReportState.OPEN)
    anchor_on = models.DateField(help_text="The report's date: the period ends here.")
    due_on = models.DateField()
    answers = models.JSONField(default=dict, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    notice = models.ForeignKey(
        "notices.Notice", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    mailed_on = models.DateField(null=True, blank=True)
    filed_on = models.DateField(null=True, blank=True)
    filed_with = models.TextField(blank=True, help_text="The SEC and each exchange, with refs.")
    overdue_since = models.DateField(null=True, blank=True)
    escalations = models.PositiveSmallIntegerField(default=0)
    last_escalated_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-anchor_on"]

    def __str__(self):
        return f"Report to Holders {self.anchor_on:%Y}: {self.agreement}"


@audited
class DefaultCase(models.Model):
    """A default and, if it becomes one, the Event of Default: its cure period, its notice
    clock, any withholding, and how it ended."""

    State = models.TextChoices(
        "State", [(s.name, (s.value, DEFAULT_LABELS[s])) for s in rules.DefaultState]
    )

    agreement = models.ForeignKey(
        "trustee.Agreement", on_delete=models.PROTECT, related_name="default_cases"
    )
    event = models.OneToOneField(
        "trustee.AgreementEvent", on_delete=models.PROTECT, related_name="default_case"
    )
    security = models.ForeignKey(
        "trustee.Security", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    state = models.CharField(max_length=20, choices=State.choices)
    is_payment_default = models.BooleanField(default=False)
    knowledge_officer = models.ForeignKey(
        "trustee.TrustOfficer",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The Responsible Officer who received the written notice (§2.7(b)).",
    )
    event_of_default_on = models.DateField(null=True, blank=True)
    notice_due_on = models.DateField(null=True, blank=True)
    notice = models.ForeignKey(
        "notices.Notice", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withholding_rationale = models.TextField(blank=True)
    withheld_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withheld_on = models.DateField(null=True, blank=True)
    withholding_lapses_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    waiver = models.ForeignKey(
        "holders.Solicitation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    closing_note = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-pk"]
        indexes = [
            models.Index(
                fields=["state", "event_of_default_on"],
                name="default_case_open",
                condition=Q(state__in=["default", "withheld"]),
            )
        ]

    def __str__(self):
        kind = "Payment default" if self.is_payment_default else "Default"
        return f"{kind} of {self.event.occurred_on:%Y-%m-%d}: {self.agreement}"

    @property
    def continuing(self) -> bool:
        return self.state in rules.CONTINUING


class WorkflowStep(models.Model):
    """One change of state of one workflow: who, when, from, to and why. The timeline."""

    class Workflow(models.TextChoices):
        LIST_REQUEST = "list_request", "List of Holders"
        ANNUAL_REPORT = "annual_report", "Report to Holders"
        DEFAULT = "default", "Default"
        CERTIFICATE = "certificate", "Compliance certificate"
        OFFICERS_CERTIFICATE = "officers_certificate", "Officers' Certificate or opinion"
        PERIODIC_REPORT = "periodic_report", "Periodic report"
        PAYMENT = "payment", "Payment"
        ELIGIBILITY = "eligibility", "Trustee eligibility"
        CONFLICT = "conflict", "Conflicting interest"
        RESIGNATION = "resignation", "Resignation or removal"
        HOLDER_APPLICATION = "holder_application", "Holders' application (TIA §312(b))"

    agreement = models.ForeignKey(
        "trustee.Agreement", on_delete=models.CASCADE, related_name="workflow_steps"
    )
    workflow = models.CharField(max_length=20, choices=Workflow.choices)
    case_id = models.PositiveIntegerField()
    old_state = models.CharField(max_length=20, blank=True)
    new_state = models.CharField(max_length=20)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the scheduler made the change.",
    )
    at = models.DateTimeField(auto_now_add=True)
    on = models.DateField(help_text="The business date of the change.")
    comment = models.TextField(blank=True)
    # Escalations e-mail the officers: set once the message was handed to the mail server.
    notify = models.BooleanField(default=False)
    notified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["agreement", "-at"], name="workflow_step_timeline"),
            models.Index(fields=["workflow", "case_id"], name="workflow_step_case"),
        ]

    def __str__(self):
        by = self.by or "scheduler"
        change = f"{self.old_state} → {self.new_state}"
        return f"{self.get_workflow_display()} #{self.case_id}: {change} ({by})"
