from django.db import models


class PostalAddress(models.Model):
    """Address lines as a letter is addressed: what first-class mail needs."""

    address_lines = models.TextField(
        blank=True, help_text="Street lines, one per line, as they go on an envelope."
    )
    city = models.CharField(max_length=100, blank=True)
    state = models.CharField("state or province", max_length=50, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(
        max_length=2, blank=True, default="US", help_text="ISO 3166 code, e.g. US."
    )
    phone = models.CharField(max_length=40, blank=True)
    fax = models.CharField(max_length=40, blank=True)
    attention = models.CharField("attention line", max_length=200, blank=True)

    class Meta:
        abstract = True

    @property
    def one_line(self) -> str:
        parts = [*self.address_lines.splitlines(), self.city, f"{self.state} {self.postal_code}"]
        return ", ".join(part.strip() for part in parts if part.strip())


class Party(PostalAddress):
    """An organisation named in agreements: obligor, issuer trust, trustee bank, underwriter."""

    class Kind(models.TextChoices):
        GUARANTOR = "guarantor", "Guarantor / obligor"
        ISSUER_TRUST = "issuer_trust", "Issuer trust"
        TRUSTEE_BANK = "trustee_bank", "Trustee bank"
        UNDERWRITER = "underwriter", "Underwriter"
        OTHER = "other", "Other"

    name = models.CharField("legal name", max_length=200, unique=True)
    short_name = models.CharField(max_length=80, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "parties"

    def __str__(self):
        return self.short_name or self.name


class PartyContact(models.Model):
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=120, blank=True)
    email = models.EmailField()
    role = models.CharField(max_length=120, blank=True, help_text="e.g. Corporate Secretary.")

    class Meta:
        ordering = ["party", "email"]
        constraints = [
            models.UniqueConstraint(fields=["party", "email"], name="unique_party_contact_email")
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>" if self.name else self.email


class NoticeAddress(PostalAddress):
    """Where notices to a party under one agreement go (§8.3 of the guarantee agreements)."""

    agreement = models.ForeignKey(
        "trustee.Agreement", on_delete=models.CASCADE, related_name="notice_addresses"
    )
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="notice_addresses")
    email = models.EmailField(blank=True)
    section = models.CharField(max_length=40, blank=True, help_text="e.g. 8.3")

    class Meta:
        ordering = ["agreement", "party"]
        verbose_name_plural = "notice addresses"
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "party"], name="unique_notice_address_per_party"
            )
        ]

    def __str__(self):
        return f"{self.party} under {self.agreement}"
