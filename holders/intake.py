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

    `file` is any readable binary file object; it is copied once, hashed as it goes.
    """
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
