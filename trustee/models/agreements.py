from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from trustee.audit import audited


class Deal(models.Model):
    """The agreements of one transaction (indenture, trust agreement, guarantee, ...)."""

    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


@audited
class Agreement(models.Model):
    class Kind(models.TextChoices):
        INDENTURE = "indenture", "Indenture"
        SUPPLEMENTAL_INDENTURE = "supplemental_indenture", "Supplemental indenture"
        GUARANTEE_AGREEMENT = "guarantee_agreement", "Guarantee agreement"
        TRUST_AGREEMENT = "trust_agreement", "Trust agreement"
        PURCHASE_CONTRACT_AGREEMENT = "purchase_contract_agreement", "Purchase contract agreement"
        PLEDGE_AGREEMENT = "pledge_agreement", "Pledge agreement"
        REMARKETING_AGREEMENT = "remarketing_agreement", "Remarketing agreement"
        UNDERWRITING_AGREEMENT = "underwriting_agreement", "Underwriting agreement"
        OTHER = "other", "Other"

    class TrustIndentureAct(models.TextChoices):
        QUALIFIED = "qualified", "Applies: qualified under the TIA"
        BY_CONTRACT = "by_contract", "Applies by the agreement's own terms"
        NOT_APPLICABLE = "not_applicable", "Does not apply"

    class OurRole(models.TextChoices):
        TRUSTEE = "trustee", "Trustee"
        GUARANTEE_TRUSTEE = "guarantee_trustee", "Guarantee trustee"
        PROPERTY_TRUSTEE = "property_trustee", "Property trustee"
        PURCHASE_CONTRACT_AGENT = "purchase_contract_agent", "Purchase contract agent"
        COLLATERAL_AGENT = "collateral_agent", "Collateral agent"
        NONE = "none", "None (reference only)"

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        TERMINATED = "terminated", "Terminated"

    deal = models.ForeignKey(
        Deal, on_delete=models.PROTECT, null=True, blank=True, related_name="agreements"
    )
    kind = models.CharField(max_length=40, choices=Kind.choices)
    short_name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=80, unique=True)
    title = models.CharField("full title", max_length=300, blank=True)
    dated_as_of = models.DateField(null=True, blank=True)
    governing_law = models.CharField(max_length=80, blank=True)
    governing_law_section = models.CharField(max_length=40, blank=True)
    tia = models.CharField(
        "Trust Indenture Act",
        max_length=20,
        choices=TrustIndentureAct.choices,
        default=TrustIndentureAct.QUALIFIED,
    )
    our_role = models.CharField(
        "our bank's role", max_length=30, choices=OurRole.choices, default=OurRole.TRUSTEE
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    termination_event = models.CharField(
        max_length=200,
        blank=True,
        help_text="What ended it (§7.1): redemption in full, distribution, liquidation, ...",
    )
    terminated_on = models.DateField(null=True, blank=True)
    related = models.ManyToManyField(
        "self", through="AgreementRelation", symmetrical=False, related_name="related_to"
    )
    parties = models.ManyToManyField("trustee.Party", through="AgreementParty")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["short_name"]
        indexes = [models.Index(fields=["status", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="active", terminated_on__isnull=True, termination_event="")
                | Q(status="terminated", terminated_on__isnull=False),
                name="terminated_agreement_has_date",
                violation_error_message=(
                    "A terminated agreement needs the date it ended; an active one has none."
                ),
            )
        ]

    def __str__(self):
        return self.short_name

    def clean(self):
        errors = {}
        if self.status == self.Status.TERMINATED:
            if not self.terminated_on:
                errors["terminated_on"] = "A terminated agreement needs the date it ended."
            if not self.termination_event:
                errors["termination_event"] = "Say what ended it (§7.1)."
        else:
            if self.terminated_on:
                errors["terminated_on"] = "An active agreement has no termination date."
            if self.termination_event:
                errors["termination_event"] = "An active agreement has no termination event."
        if self.terminated_on and self.dated_as_of and self.terminated_on < self.dated_as_of:
            errors["terminated_on"] = "It cannot end before it is dated."
        if errors:
            raise ValidationError(errors)

    def party_in_role(self, role):
        link = self.agreement_parties.filter(role=role).select_related("party").first()
        return link.party if link else None


@audited
class AgreementParty(models.Model):
    class Role(models.TextChoices):
        GUARANTOR = "guarantor", "Guarantor / obligor"
        ISSUER = "issuer", "Issuer"
        TRUSTEE = "trustee", "Trustee"
        UNDERWRITER = "underwriter", "Underwriter"
        OTHER = "other", "Other"

    agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="agreement_parties"
    )
    party = models.ForeignKey("trustee.Party", on_delete=models.PROTECT, related_name="roles")
    role = models.CharField(max_length=20, choices=Role.choices)

    class Meta:
        ordering = ["agreement", "role", "party"]
        verbose_name = "party to the agreement"
        verbose_name_plural = "parties to the agreement"
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "party", "role"], name="unique_party_role_per_agreement"
            )
        ]

    def __str__(self):
        return f"{self.party} as {self.get_role_display()}"


class AgreementRelation(models.Model):
    """ "The Trust Agreement", "the Indenture": the agreements another one refers to."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="relations_out")
    related_agreement = models.ForeignKey(
        Agreement, on_delete=models.CASCADE, related_name="relations_in"
    )
    relation = models.CharField(
        max_length=100, help_text="What the other agreement is to this one, e.g. trust agreement."
    )

    class Meta:
        ordering = ["agreement", "relation"]
        constraints = [
            models.UniqueConstraint(
                fields=["agreement", "related_agreement"], name="unique_agreement_relation"
            ),
            models.CheckConstraint(
                condition=~Q(agreement=models.F("related_agreement")),
                name="agreement_not_related_to_itself",
                violation_error_message="An agreement cannot be related to itself.",
            ),
        ]

    def __str__(self):
        return f"{self.related_agreement} ({self.relation})"
