"""Destroying superseded Lists of Holders, as §2.2(a) allows, and keeping the record of it."""

from django.core.exceptions import ValidationError
from django.db import transaction

from holders.models import Holder, HolderList, ListDestruction


def superseding_list(holder_list):
    """The newer imported list of the same security that supersedes this one, if any."""
    return (
        HolderList.objects.filter(
            security=holder_list.security,
            status=HolderList.Status.IMPORTED,
            as_of__gt=holder_list.as_of,
        )
        .order_by("-as_of")
        .first()
    )


def holder_list_destroy(*, list_id, by, reason):
    """Delete a superseded list's holders and its file; keep who, when, which, checksum, count."""
    if by is not None:  # None: the retention policy, applied by the system after an import
        from trustee.roles import require_responsible

        require_responsible(by, "Destroying a List of Holders")
    if not reason or not reason.strip():
        raise ValidationError("Give the reason, e.g. “§2.2(a): superseded by the list of ...”.")
    with transaction.atomic():
        holder_list = HolderList.objects.select_for_update().get(pk=list_id)
        if holder_list.status != HolderList.Status.IMPORTED:
            raise ValidationError(
                f"Only an imported list can be destroyed; this one is "
                f"{holder_list.get_status_display().lower()}."
            )
        newer = superseding_list(holder_list)
        if newer is None:
            raise ValidationError(
                "This is the security's latest list: only a list superseded by a newer one "
                "may be destroyed (§2.2(a))."
            )
        if holder_list.solicitations.exists():
            raise ValidationError("Votes were counted against this list; it must be kept.")
        count = Holder.objects.filter(holder_list=holder_list).count()
        ListDestruction.objects.create(
            holder_list=holder_list,
            destroyed_by=by,
            superseded_by=newer,
            original_name=holder_list.original_name,
            sha256=holder_list.sha256,
            row_count=count,
            reason=reason.strip(),
        )
        Holder.objects.filter(holder_list=holder_list).delete()
        holder_list.status = HolderList.Status.DESTROYED
        holder_list.save(update_fields=["status"])
        stored = holder_list.original.name
        if stored:
            storage = holder_list.original.storage
            # The file goes only once the record is safely committed.
            transaction.on_commit(lambda: storage.delete(stored))
    return holder_list


def destroy_superseded_by(list_id):
    """The retention policy (TRUSTDESK_DESTROY_SUPERSEDED_LISTS): on import of a new list,
    destroy the older imported lists of the same security that no vote was counted against.
    Each destruction is recorded as if an officer had done it, with the policy as reason."""
    newer = HolderList.objects.get(pk=list_id)
    older = HolderList.objects.filter(
        security=newer.security,
        status=HolderList.Status.IMPORTED,
        as_of__lt=newer.as_of,
        solicitations__isnull=True,
    )
    destroyed = 0
    for holder_list in older:
        holder_list_destroy(
            list_id=holder_list.pk,
            by=None,
            reason=f"Retention policy, §2.2(a): superseded by the list as of {newer.as_of}.",
        )
        destroyed += 1
    return destroyed
