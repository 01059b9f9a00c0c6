"""Writes to the holder register that are not imports."""

import hashlib
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from holders.models import Holder, HolderList
from holders.synthetic import synthetic_holders
from holders.votes import list_totals_refresh

# Where a security records no per-unit amount, the demo splits it into $1,000 pieces.
DEFAULT_DEMO_UNIT = Decimal(1000)


@transaction.atomic
def seed_demo_holders(security, *, count):
    """Give a security a register of `count` synthetic holders, once."""
    if HolderList.objects.filter(security=security).exists():
        return 0
    unit = security.unit_amount or DEFAULT_DEMO_UNIT
    rows = synthetic_holders(
        seed=f"{security.agreement.slug}/{security.title}",
        total=security.amount_outstanding,
        unit=unit,
        count=count,
    )
    today = timezone.localdate()
    register = HolderList.objects.create(
        security=security,
        as_of=today,
        received_on=today,
        source=HolderList.Source.REGISTER,
        original_name="(synthetic demo register)",
        sha256=hashlib.sha256(repr(rows).encode()).hexdigest(),
        status=HolderList.Status.IMPORTED,
        rows_total=len(rows),
        rows_done=len(rows),
        row_count=len(rows),
        total_amount=sum(row.amount for row in rows),
    )
    Holder.objects.bulk_create(
        Holder(holder_list=register, security=security, row_number=n, country="US", **row.__dict__)
        for n, row in enumerate(rows, start=2)
    )
    list_totals_refresh(register.pk)
    return len(rows)
