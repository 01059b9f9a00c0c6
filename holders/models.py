"""Lists of Holders (snapshots as delivered, with their files) and the holders in them."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models

from trustee.audit import audited


@audited
class HolderList(models.Model):
    """A List of Holders as of a date: what the Guarantor delivered (§2.2), or a DTC listing,
    or the trustee's own register. Imported all or nothing; kept until superseded and
    destroyed (§2.2(a)), and then its destruction is recorded."""

    class Source(models.TextChoices):
        GUARANTOR = "guarantor", "Delivered by the Guarantor"
        DTC = "dtc", "DTC security position listing"
        REGISTER = "register", "The trustee's own register"

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting to be imported"
        IMPORTING = "importing", "Importing"
        FAILED = "failed", "Refused: see the problems"
        IMPORTED = "imported", "Imported"
        DESTROYED = "destroyed", "Destroyed (superseded)"

    security = models.ForeignKey(
        "trustee.Security", on_delete=models.PROTECT, related_name="holder_lists"
    )
    as_of = models.DateField("as of")
    received_on = models.DateField("received on")
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.GUARANTOR)
    fulfils = models.ForeignKey(
        "trustee.Obligation",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="holder_lists",
        help_text="The List of Holders duty or written request this list answers.",
    )
    original = models.FileField(upload_to="holder-lists/%Y/%m/", blank=True)
    original_name = models.CharField(max_length=255, blank=True)
    size_bytes = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField("SHA-256 of the file", max_length=64, blank=True)
    column_mapping = models.JSONField(default=dict, blank=True)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    rows_total = models.PositiveIntegerField(default=0, help_text="Rows in the file (estimate).")
    rows_done = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    error = models.TextField(blank=True, help_text="Why the whole file was refused.")
    problem_count = models.PositiveIntegerField(default=0)
    list_problems = models.JSONField(default=list, blank=True)

    row_count = models.PositiveIntegerField(default=0)
    total_amount = models.DecimalField(max_digits=20, decimal_places=2, default=Decimal(0))
    # Kept current by holders.votes whenever a holder's affiliation changes, so that a vote
    # count never sums a million rows (§1.1: affiliates' holdings are not Holders' for votes).
    eligible_amount = models.DecimalField(max_digits=20, decimal_places=2, default=Decimal(0))
    excluded_amount = models.DecimalField(max_digits=20, decimal_places=2, default=Decimal(0))
    fingerprint = models.CharField(max_length=64, blank=True, db_index=True)
    identical_to = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="§2.2(a): identical to a list previously furnished, so not required.",
    )

    total_override_reason = models.TextField(blank=True)
    total_override_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    total_override_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-as_of", "-created_at"]
        indexes = [models.Index(fields=["security", "status", "as_of"])]

    def __str__(self):
        return f"{self.security} as of {self.as_of:%Y-%m-%d}"

    @property
    def progress(self) -> str:
        if self.status == self.Status.IMPORTING and self.rows_total:
            return f"{self.rows_done:,} of about {self.rows_total:,} rows"
        return f"{self.rows_done:,} rows" if self.rows_done else "—"


class ListProblem(models.Model):
    """A row that kept a list from being imported: its row number, field and problem."""

    holder_list = models.ForeignKey(HolderList, on_delete=models.CASCADE, related_name="problems")
    row = models.PositiveIntegerField()
    field = models.CharField(max_length=40)
    problem = models.TextField()

    class Meta:
        ordering = ["holder_list", "row", "id"]

    def __str__(self):
        return f"row {self.row}, {self.field}: {self.problem}"


@audited
class ListDestruction(models.Model):
    """The record kept when a superseded list is destroyed (§2.2(a))."""

    holder_list = models.OneToOneField(
        HolderList, on_delete=models.PROTECT, related_name="destruction"
    )
    destroyed_at = models.DateTimeField(auto_now_add=True)
    destroyed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    superseded_by = models.ForeignKey(
        HolderList, on_delete=models.PROTECT, related_name="+", null=True
    )
    original_name = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    row_count = models.PositiveIntegerField()
    reason = models.TextField()

    class Meta:
        ordering = ["-destroyed_at"]

    def __str__(self):
        return f"Destruction of {self.holder_list} on {self.destroyed_at:%Y-%m-%d}"


class HolderExport(models.Model):
    """Holder data that left the system: who took which list's holders, when, in what form.
    Written by holders.exports.export_record before the file is served; never edited."""

    holder_list = models.ForeignKey(HolderList, on_delete=models.PROTECT, related_name="exports")
    what = models.CharField(max_length=40, help_text="e.g. holders CSV, comparison CSV")
    rows = models.PositiveIntegerField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self):
        return f"{self.what} of {self.holder_list} by {self.by} at {self.at:%Y-%m-%d %H:%M}"


class ColumnMapping(models.Model):
    """How one Guarantor's files name our columns, remembered for its next list."""

    guarantor = models.OneToOneField(
        "trustee.Party", on_delete=models.CASCADE, related_name="column_mapping"
    )
    mapping = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Columns of {self.guarantor}"


class Holder(models.Model):
    """One holder on one List of Holders."""

    # A million-row list goes in by COPY: each index and each foreign-key trigger is paid per
    # row (the two FK checks cost more than the COPY itself). Holders are written only by the
    # import, which takes both ids from the list it is importing, and deleted only through
    # Django (which cascades), so the constraints are enforced there rather than per row.
    holder_list = models.ForeignKey(
        HolderList,
        on_delete=models.CASCADE,
        related_name="holders",
        db_index=False,
        db_constraint=False,
    )
    security = models.ForeignKey(
        "trustee.Security",
        on_delete=models.PROTECT,
        related_name="holders",
        db_index=False,
        db_constraint=False,
    )
    row_number = models.PositiveIntegerField(default=0)
    name = models.CharField("registered name", max_length=200)
    address_lines = models.TextField()
    city = models.CharField(max_length=100)
    state = models.CharField("state or province", max_length=50, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, default="US")
    email = models.EmailField(blank=True)
    amount = models.DecimalField(
        "amount held",
        max_digits=18,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
        help_text="In the security's unit basis: liquidation amount or principal, in dollars.",
    )
    is_guarantor_or_affiliate = models.BooleanField(
        "held by the Guarantor or an Affiliate", default=False
    )
    is_trustee_or_affiliate = models.BooleanField(
        "held by the trustee or an Affiliate", default=False
    )

    class Meta:
        # By the list's id, not the list: "holder_list" would pull in HolderList's own ordering
        # (a join and a sort of every row) instead of walking the unique index below.
        ordering = ["holder_list_id", "row_number"]
        constraints = [
            # Unique, so that the admin's ordering is already total and walks this index
            # instead of sorting a million rows by an added "-pk".
            models.UniqueConstraint(
                fields=["holder_list", "row_number"], name="holder_row_unique_per_list"
            ),
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="holder_amount_positive"),
        ]

    # The holder as the list gave it, in the file's order: what the import writes after the
    # two ids, what a list's CSV export gives, and what a fingerprint compares.
    RECORD_FIELDS = (
        "row_number",
        "name",
        "address_lines",
        "city",
        "state",
        "postal_code",
        "country",
        "email",
        "amount",
        "is_guarantor_or_affiliate",
        "is_trustee_or_affiliate",
    )

    def __str__(self):
        return f"{self.name} ({self.amount:,})"

    @property
    def counts_in_votes(self) -> bool:
        """§1.1: the Guarantor, the trustee and their Affiliates are not Holders for votes."""
        return not (self.is_guarantor_or_affiliate or self.is_trustee_or_affiliate)


@audited
class Solicitation(models.Model):
    """A request for the Holders' consent, counted against a record list (§2.6, §5.4, §8.2)."""

    class Kind(models.TextChoices):
        WAIVER = "waiver", "Waiver of a past default (§2.6)"
        DIRECTION = "direction", "Direction of proceedings (§5.4(iii))"
        AMENDMENT = "amendment", "Amendment (§8.2)"

    record_list = models.ForeignKey(
        HolderList, on_delete=models.PROTECT, related_name="solicitations"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    description = models.TextField()
    opened_on = models.DateField()
    closes_on = models.DateField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opened_on"]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.record_list.security}"


@audited
class Vote(models.Model):
    class Response(models.TextChoices):
        CONSENT = "consent", "Consents"
        OBJECT = "object", "Objects"
        ABSTAIN = "abstain", "Abstains"

    solicitation = models.ForeignKey(Solicitation, on_delete=models.CASCADE, related_name="votes")
    holder = models.ForeignKey(Holder, on_delete=models.PROTECT, related_name="votes")
    response = models.CharField(max_length=10, choices=Response.choices)
    # The holder's amount on the record list and whether it counts, as of the vote: the list
    # does not change, and the count then reads the votes alone.
    amount = models.DecimalField(max_digits=18, decimal_places=2)
    counts = models.BooleanField()
    received_on = models.DateField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["solicitation", "holder"]
        constraints = [
            models.UniqueConstraint(fields=["solicitation", "holder"], name="one_vote_per_holder")
        ]

    def __str__(self):
        return f"{self.holder.name}: {self.get_response_display()}"
