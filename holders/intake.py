"""Receiving a List of Holders file: keep the original with its checksum, then import it."""

from __future__ import annotations

import hashlib
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from holders.models import ColumnMapping, HolderList


def holder_list_receive(
    *,
    security,
    as_of,
    received_on,
    source,
    file,
    file_name,
    by,
    mapping=None,
    fulfils=None,
    enqueue=True,
):
    """Store the file as delivered and queue its import on the imports queue.

    `file` is any readable binary file object; it is copied once, hashed as it goes. `by`
    None is the system (the import_holders command an operator runs, a test of the reader).
    """
    if by is not None:
        from trustee.roles import require_preparer

        require_preparer(by, "Importing a List of Holders")
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": "A list cannot be received in the future."})
    if as_of > received_on:
        raise ValidationError({"as_of": "The as-of date cannot be after the list was received."})
    mapping = {field: header for field, header in (mapping or {}).items() if header}
    guarantor = security.agreement.party_in_role("guarantor")
    if not mapping and guarantor is not None:
        remembered = ColumnMapping.objects.filter(guarantor=guarantor).first()
        mapping = dict(remembered.mapping) if remembered else {}
    with transaction.atomic():
        holder_list = HolderList(
            security=security,
            as_of=as_of,
            received_on=received_on,
            source=source,
            fulfils=fulfils,
            original_name=Path(file_name).name[:255],
            column_mapping=mapping,
            imported_by=by,
        )
        digest, size = _hash(file)
        holder_list.sha256, holder_list.size_bytes = digest, size
        holder_list.original.save(Path(file_name).name, File(file), save=False)
        holder_list.save()
        if mapping and guarantor is not None:
            ColumnMapping.objects.update_or_create(
                guarantor=guarantor, defaults={"mapping": mapping}
            )
        if enqueue:
            from holders.tasks import import_holder_list

            transaction.on_commit(lambda: import_holder_list.delay(holder_list.pk))
    return holder_list


def _hash(file):
    digest, size = hashlib.sha256(), 0
    file.seek(0)
    for block in iter(lambda: file.read(1 << 20), b""):
        digest.update(block)
        size += len(block)
    file.seek(0)
    return digest.hexdigest(), size


def holder_list_total_override(*, list_id, by, reason):
    """A Responsible Officer accepts a list whose total differs from the amount outstanding,
    with the reason recorded, and the list is imported again (the override lets it through)."""
    from holders.tasks import import_holder_list
    from trustee.roles import require_responsible

    require_responsible(by, "Overriding a total mismatch")
    if not reason or not reason.strip():
        raise ValidationError(
            {"reason": "Say why the total may differ from the amount outstanding."}
        )
    with transaction.atomic():
        holder_list = HolderList.objects.select_for_update().get(pk=list_id)
        mismatch = any(p.get("code") == "total_mismatch" for p in holder_list.list_problems)
        if holder_list.status != HolderList.Status.FAILED or not mismatch:
            raise ValidationError(f"{holder_list}: there is no total mismatch to override.")
        if holder_list.imported_by_id == by.pk:
            raise ValidationError(
                f"{holder_list}: the officer who imported the list cannot override its total: "
                "a second officer must."
            )
        holder_list.total_override_reason = reason.strip()
        holder_list.total_override_by = by
        holder_list.total_override_at = timezone.now()
        holder_list.status = HolderList.Status.PENDING
        holder_list.save(
            update_fields=[
                "total_override_reason",
                "total_override_by",
                "total_override_at",
                "status",
            ]
        )
        transaction.on_commit(lambda: import_holder_list.delay(holder_list.pk))
    return holder_list
