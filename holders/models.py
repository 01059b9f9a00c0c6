"""The holders of each security (a basic register; lists of holders come with their intake)."""

from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models


class Holder(models.Model):
    security = models.ForeignKey(
        "trustee.Security", on_delete=models.PROTECT, related_name="holders"
    )
    name = models.CharField("registered name", max_length=200)
    address_lines = models.TextField()
    city = models.CharField(max_length=100)
    state = models.CharField("state or province", max_length=50, blank=True)
    postal_code = models.CharField(max_length=20, blank=True)
    country = models.CharField(max_length=2, default="US")
    email = models.EmailField(blank=True)
    amount = models.DecimalField(
        "units or amount held",
        max_digits=18,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    is_guarantor_or_affiliate = models.BooleanField(
        "held by the Guarantor or an Affiliate", default=False
    )
    is_trustee_or_affiliate = models.BooleanField(
        "held by the trustee or an Affiliate", default=False
    )

    class Meta:
        ordering = ["security", "name"]
        indexes = [models.Index(fields=["security", "name"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="holder_amount_positive")
        ]

    def __str__(self):
        return f"{self.name} ({self.amount:,})"

    @property
    def counts_in_votes(self) -> bool:
        """§1.1: the Guarantor, the trustee and their Affiliates are not Holders for votes."""
        return not (self.is_guarantor_or_affiliate or self.is_trustee_or_affiliate)
