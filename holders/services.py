"""Writes to the holder register."""

from decimal import Decimal

from django.db import transaction

from holders.models import Holder
from holders.synthetic import synthetic_holders

# Where a security records no per-unit amount, the demo splits it into $1,000 pieces.
DEFAULT_DEMO_UNIT = Decimal(1000)


@transaction.atomic
def seed_demo_holders(security, *, count):
    """Give a security `count` synthetic holders, once: a security with holders is left alone."""
    if Holder.objects.filter(security=security).exists():
        return 0
    unit = security.unit_amount or DEFAULT_DEMO_UNIT
    rows = synthetic_holders(
        seed=f"{security.agreement.slug}/{security.title}",
        total=security.amount_outstanding,
        unit=unit,
        count=count,
    )
    Holder.objects.bulk_create(
        Holder(security=security, country="US", **row.__dict__) for row in rows
    )
    return len(rows)
