"""Notices and their deliveries: what was said, to whom, by which channel, and what happened."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from notices.kinds import KINDS
from trustee.audit import audited


@audited
class Notice(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        APPROVED = "approved", "Approved: delivering"
        CANCELLED = "cancelled", "Cancelled"

    kind = models.CharField(max_length=30, choices=[(k.code, k.label) for k in KINDS.values()])
    agreement = models.ForeignKey(
        "trustee.Agreement", on_delete=models.PROTECT, related_name="notices"
    )
    security = models.ForeignKey(
        "trustee.Security", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    holder_list = models.ForeignKey(
        "holders.HolderList",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
        help_text="The List of Holders it goes to (the security's latest, if left empty).",
    )
    reference = models.CharField(max_length=40, unique=True, editable=False)
    title = models.CharField(max_length=200)
    details = models.TextField(
        help_text="What the notice says in the officer's words (the default, the report)."
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.DRAFT)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # The templates as they were when approved: later edits never change what is sent.
    frozen_subject = models.TextField(blank=True, editable=False)
    frozen_text = models.TextField(blank=True, editable=False)
    frozen_html = models.TextField(blank=True, editable=False)
    frozen_letter = models.TextField(blank=True, editable=False)
    frozen_context = models.JSONField(default=dict, blank=True, editable=False)

    # The first-class letters: one PDF of every letter delivery, made by a mail task after the
    # approval (notices/mailing.py `letters_prepare`), then mailed by an officer, who records
    # it (`letters_mailed`), which makes the mailing manifest: the certificate of mailing.
    class Letters(models.TextChoices):
        NONE = "", "No letters"
        PENDING = "pending", "Being prepared"
        PREPARING = "preparing", "Being prepared"
        READY = "ready", "Ready to mail"
        FAILED = "failed", "Failed"
        MAILED = "mailed", "Mailed"

    letters_status = models.CharField(
        max_length=10, choices=Letters.choices, default=Letters.NONE, blank=True, editable=False
    )
    # Who holds the claim to make the PDF: a task records its PDF only while its token is still
    # the one here, so a task that a sweep presumed dead can never overwrite a newer record.
    letters_claim = models.CharField(max_length=32, blank=True, editable=False)
    letters_claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    letters_file = models.FileField(max_length=255, blank=True, editable=False)
    letters_count = models.PositiveIntegerField(null=True, blank=True, editable=False)
    letters_pages = models.PositiveIntegerField(null=True, blank=True, editable=False)
    letters_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    letters_generated_at = models.DateTimeField(null=True, blank=True, editable=False)
    letters_error = models.TextField(blank=True, editable=False)
    letters_mailed_on = models.DateField(null=True, blank=True, editable=False)
    letters_mailed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    letters_mailed_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)
    manifest_pdf = models.FileField(max_length=255, blank=True, editable=False)
    manifest_csv = models.FileField(max_length=255, blank=True, editable=False)
    manifest_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    # As write_manifest returns them: addressees, domestic, foreign, pages.
    manifest_counts = models.JSONField(default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["letters_status"],
                name="notice_letters_unfinished",
                condition=Q(letters_status__in=["pending", "preparing"]),
            ),
        ]

    def __str__(self):
        return f"{self.reference}: {self.title}"

    @property
    def kind_spec(self):
        return KINDS[self.kind]


class Delivery(models.Model):
    """One recipient on one channel: the outbox row, created with the approval."""

    class Channel(models.TextChoices):
        EMAIL = "email", "E-mail"
        LETTER = "letter", "First-class letter"

    class State(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        BOUNCED = "bounced", "Bounced"

    # No index of its own: delivery_notice_state (notice, state) serves every query by notice
    # (migration 0005 dropped it; every write of a delivery paid for it).
    notice = models.ForeignKey(
        Notice, on_delete=models.PROTECT, related_name="deliveries", db_index=False
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    holder = models.ForeignKey(
        "holders.Holder",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
    )
    recipient_name = models.CharField(max_length=200)
    email = models.EmailField(blank=True)
    address_lines = models.TextField(blank=True)
    city = models.CharField(max_length=100, blank=True)
    state_code = models.CharField("state", max_length=50, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, blank=True)
    # Unique per delivery and stable across retries: the e-mail's Message-ID, so that a
    # message resent after a crash is recognised by the receiving servers as the same one.
    key = models.CharField(max_length=64, unique=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["notice", "id"]
        indexes = [
            models.Index(fields=["notice", "state"], name="delivery_notice_state"),
            models.Index(
                fields=["next_attempt_at"],
                name="delivery_pending",
                condition=Q(state__in=["queued", "sending"]),
            ),
        ]
        verbose_name_plural = "deliveries"

    def __str__(self):
        return f"{self.get_channel_display()} to {self.recipient_name} ({self.state})"

    @property
    def message_id(self) -> str:
        return f"<{self.key}@{settings.TRUSTDESK_MESSAGE_ID_DOMAIN}>"
