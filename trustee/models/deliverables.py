"""What the Guarantor owes the trustee, as rows: the annual compliance certificate (§2.4, TIA
§314(a)(4)), Officers' Certificates and Opinions of Counsel for conditions precedent (§2.5,
TIA §314(c)), periodic reports (§2.4, TIA §314(a)(1)), the documents as delivered, and the
titles each agreement's §1.1 allows to sign an Officers' Certificate. Every change of state
goes through trustee/workflows/deliverables.py, which writes a WorkflowStep for it."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from trustee import deliverable_rules as rules
from trustee.audit import audited

__all__ = [
    "ComplianceCertificate",
    "DeliverableDocument",
    "OfficersCertificate",
    "PeriodicReport",
    "SignatoryTitle",
]

CERTIFICATE_LABELS = {
    rules.CertificateState.EXPECTED: "Expected",
    rules.CertificateState.LATE: "Late: chased and escalated",
    rules.CertificateState.RECEIVED: "Received: to examine (§3.1(d))",
    rules.CertificateState.EXAMINED: "Examined: awaiting acceptance",
    rules.CertificateState.RETURNED: "Sent back: corrected one awaited",
    rules.CertificateState.ACCEPTED: "Accepted",
    rules.CertificateState.NOT_REQUIRED: "Not required",
}
OFFICERS_LABELS = {
    rules.OfficersState.RECEIVED: "Received: to examine (§3.1(d))",
    rules.OfficersState.EXAMINED: "Examined: awaiting acceptance",
    rules.OfficersState.ACCEPTED: "Accepted",
    rules.OfficersState.RETURNED: "Sent back: corrected one awaited",
}
PERIODIC_LABELS = {
    rules.PeriodicState.EXPECTED: "Expected",
    rules.PeriodicState.LATE: "Late: escalated",
    rules.PeriodicState.RECEIVED: "Received: to file",
    rules.PeriodicState.FILED: "Filed against the agreement",
}


def _states(enum, labels):
    return models.TextChoices("State", [(s.name, (s.value, labels[s])) for s in enum])


class DeliverableDocument(models.Model):
    """A certificate, opinion or report exactly as delivered: its bytes and their SHA-256.
    Written once and never changed (a corrected certificate is a new document), so the row
    itself is the record; the cases that point to it keep the audit trail."""

    file_name = models.CharField("original file name", max_length=255)
    content_type = models.CharField(max_length=60)
    content = models.BinaryField()
    sha256 = models.CharField("SHA-256", max_length=64, db_index=True)
    size = models.PositiveIntegerField("size (bytes)")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self):
        return f"{self.file_name} ({self.size:,} bytes, SHA-256 {self.sha256[:12]}…)"


@audited
class SignatoryTitle(models.Model):
    """One title an agreement's definition of "Officers' Certificate" (§1.1) allows to sign,
    in one of its groups (the certificate needs a signer from each), with the words quoted."""

    class Group(models.TextChoices):
        FIRST = "first", "first signer"
        SECOND = "second", "second signer"

    agreement = models.ForeignKey(
        "trustee.Agreement", on_delete=models.CASCADE, related_name="signatory_titles"
    )
    group = models.CharField(max_length=10, choices=Group.choices)
    title = models.CharField(max_length=120, help_text="As the definition words it.")
    section = models.CharField(max_length=40, default="1.1")
    quote = models.TextField(help_text="The definition's words, verbatim.")

    class Meta:
        ordering = ["agreement", "group", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "group", "title"], name="one_signatory_title_per_group"
            )
        ]

    def __str__(self):
        return f"{self.title} ({self.get_group_display()}, §{self.section}): {self.agreement}"


@audited
class ComplianceCertificate(models.Model):
    """The annual certificate of compliance the Guarantor owes for one fiscal year (§2.4, TIA
    §314(a)(4)): expected, chased when late, received, examined, accepted or sent back."""

    State = _states(rules.CertificateState, CERTIFICATE_LABELS)

    agreement = models.ForeignKey(
        "trustee.Agreement", on_delete=models.PROTECT, related_name="compliance_certificates"
    )
    # The duty on the calendar; empty for an agreement whose terms state no date (both demo
    # guarantees defer to TIA §314), where an officer opened the case with its due date.
    obligation = models.OneToOneField(
        "trustee.Obligation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="compliance_certificate",
    )
    period_end = models.DateField("fiscal year ended")
    due_on = models.DateField()
    basis = models.TextField(help_text="Where the due date comes from.")
    state = models.CharField(
        max_length=20, choices=State.choices, default=rules.CertificateState.EXPECTED.value
    )
    opened_on = models.DateField()
    document = models.ForeignKey(
        DeliverableDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_on = models.DateField(null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    signer_name = models.CharField(max_length=120, blank=True)
    signer_title = models.CharField(max_length=120, blank=True)
    signer_is_principal = models.BooleanField(
        null=True, help_text="TIA §314(a)(4): principal executive, financial or accounting officer."
    )
    covers_period = models.BooleanField(null=True)
    states_compliance = models.BooleanField(
        null=True,
        help_text="Yes: compliance with all conditions and covenants; no: it names defaults.",
    )
    examination_note = models.TextField(blank=True)
    examined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    examined_on = models.DateField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_on = models.DateField(null=True, blank=True)
    returned_reason = models.TextField(blank=True)
    chase_notice = models.ForeignKey(
        "notices.Notice", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    overdue_since = models.DateField(null=True, blank=True)
    escalations = models.PositiveSmallIntegerField(default=0)
    last_escalated_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-due_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "period_end"], name="one_compliance_certificate_per_year"
            )
        ]
        indexes = [
            models.Index(
                fields=["due_on"],
                name="compliance_certificate_awaited",
                condition=Q(state__in=["expected", "late", "returned"]),
            )
        ]

    def __str__(self):
        return f"Compliance certificate FY {self.period_end:%Y-%m-%d}: {self.agreement}"


@audited
class OfficersCertificate(models.Model):
    """An Officers' Certificate or Opinion of Counsel the Guarantor furnished as evidence that a
    condition precedent to an act was met (§2.5, TIA §314(c)), and its examination against
    the four statements of §1.1 (TIA §314(e)) and the titles that may sign."""

    State = _states(rules.OfficersState, OFFICERS_LABELS)
    Kind = models.TextChoices(
        "Kind",
        [
            (
                "OFFICERS_CERTIFICATE",
                (rules.DocumentKind.OFFICERS_CERTIFICATE.value, "Officers' Certificate"),
            ),
            (
                "OPINION_OF_COUNSEL",
                (rules.DocumentKind.OPINION_OF_COUNSEL.value, "Opinion of Counsel"),
            ),
        ],
    )

    agreement = models.ForeignKey(
        "trustee.Agreement", on_delete=models.PROTECT, related_name="officers_certificates"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    act = models.CharField(
        max_length=200, help_text="The act it supports, e.g. “Amendment of §9.1”."
    )
    act_section = models.CharField(
        max_length=40, blank=True, help_text="The clause that makes it a condition precedent."
    )
    act_on = models.DateField(help_text="When the act is to be taken: the evidence is due by then.")
    state = models.CharField(
        max_length=20, choices=State.choices, default=rules.OfficersState.RECEIVED.value
    )
    document = models.ForeignKey(DeliverableDocument, on_delete=models.PROTECT, related_name="+")
    dated = models.DateField("dated")
    received_on = models.DateField()
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # [{"name": ..., "title": ...}] as written on the document
    signers = models.JSONField(default=list, blank=True)
    # {"read": true, "scope": true, "sufficient": false, "complied": true}: present or not
    statements = models.JSONField(default=dict, blank=True)
    states_complied = models.BooleanField(
        null=True, help_text="Statement (d): in the signers' opinion, complied with?"
    )
    problems = models.JSONField(default=list, blank=True)
    examination_note = models.TextField(blank=True)
    examined_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    examined_on = models.DateField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    accepted_on = models.DateField(null=True, blank=True)
    returned_reason = models.TextField(blank=True)
    escalations = models.PositiveSmallIntegerField(default=0)
    last_escalated_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-act_on", "-pk"]
        verbose_name = "Officers' Certificate or opinion"
        verbose_name_plural = "Officers' Certificates and opinions"
        indexes = [
            models.Index(
                fields=["act_on"],
                name="officers_certificate_open",
                condition=Q(state__in=["received", "examined", "returned"]),
            )
        ]

    def __str__(self):
        return (
            f"{self.get_kind_display()} for {self.act} ({self.act_on:%Y-%m-%d}): {self.agreement}"
        )


@audited
class PeriodicReport(models.Model):
    """A report the Guarantor furnishes under §2.4 (TIA §314(a)(1)): an annual or quarterly
    report as filed with the SEC, or other information, received and filed against the
    agreement by an officer."""

    State = _states(rules.PeriodicState, PERIODIC_LABELS)

    class Kind(models.TextChoices):
        ANNUAL = "annual", "Annual report (Form 10-K)"
        QUARTERLY = "quarterly", "Quarterly report (Form 10-Q)"
        CURRENT = "current", "Current report (Form 8-K)"
        OTHER = "other", "Other information, documents or reports (TIA §314(a))"

    agreement = models.ForeignKey(
        "trustee.Agreement", on_delete=models.PROTECT, related_name="periodic_reports"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    period_end = models.DateField("period ended")
    state = models.CharField(
        max_length=20, choices=State.choices, default=rules.PeriodicState.EXPECTED.value
    )
    due_on = models.DateField(null=True, blank=True)
    basis = models.TextField(blank=True, help_text="Where the due date comes from.")
    document = models.ForeignKey(
        DeliverableDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    received_on = models.DateField(null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    filed_on = models.DateField(null=True, blank=True)
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.TextField(blank=True)
    overdue_since = models.DateField(null=True, blank=True)
    escalations = models.PositiveSmallIntegerField(default=0)
    last_escalated_on = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-period_end", "-pk"]
        constraints = [
            # Current reports and other documents can come several to a day.
            models.UniqueConstraint(
                fields=["agreement", "kind", "period_end"],
                condition=Q(kind__in=["annual", "quarterly"]),
                name="one_periodic_report_per_period",
            )
        ]
        indexes = [
            models.Index(
                fields=["due_on"],
                name="periodic_report_awaited",
                condition=Q(state__in=["expected", "late"]),
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.period_end:%Y-%m-%d}: {self.agreement}"
