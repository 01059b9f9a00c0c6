"""Recording the Holders' responses to a solicitation and counting them."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum

from holders.majority import Tally, tally
from holders.models import Holder, HolderList, Solicitation, Vote
from trustee.roles import require_preparer

_AFFILIATE = Q(is_guarantor_or_affiliate=True) | Q(is_trustee_or_affiliate=True)


def solicitation_open(*, record_list, kind, description, opened_on, by, closes_on=None):
    if by is not None:
        require_preparer(by, "Opening a solicitation")
    if record_list.status != HolderList.Status.IMPORTED:
        raise ValidationError("Votes are counted against an imported List of Holders.")
    terms = getattr(record_list.security.agreement, "terms", None)
    if terms is None or terms.majority_percent is None:
        raise ValidationError(
            "The agreement records no majority (majority_percent): add it from §1.1 first."
        )
    return Solicitation.objects.create(
        record_list=record_list,
        kind=kind,
        description=description,
        opened_on=opened_on,
        closes_on=closes_on,
        created_by=by,
    )


@transaction.atomic
def vote_record(*, solicitation, holder, response, received_on, by):
    """Record (or replace) a holder's response; only holders on the record list may vote."""
    if by is not None:
        require_preparer(by, "Recording a vote")
    if holder.holder_list_id != solicitation.record_list_id:
        raise ValidationError(
            f"{holder.name} is not on the record list of {solicitation.record_list.as_of}."
        )
    if received_on < solicitation.opened_on:
        raise ValidationError("A response cannot be received before the solicitation opened.")
    if solicitation.closes_on and received_on > solicitation.closes_on:
        raise ValidationError(f"The solicitation closed on {solicitation.closes_on}.")
    vote, _ = Vote.objects.update_or_create(
        solicitation=solicitation,
        holder=holder,
        defaults={
            "response": response,
            "received_on": received_on,
            "recorded_by": by,
            "amount": holder.amount,
            "counts": holder.counts_in_votes,
        },
    )
    return vote


def list_totals_refresh(holder_list_id):
    """Recompute a list's eligible and excluded amounts (one aggregate over its holders)."""
    amounts = Holder.objects.filter(holder_list_id=holder_list_id).aggregate(
        eligible=Sum("amount", filter=~_AFFILIATE), excluded=Sum("amount", filter=_AFFILIATE)
    )
    HolderList.objects.filter(pk=holder_list_id).update(
        eligible_amount=amounts["eligible"] or 0, excluded_amount=amounts["excluded"] or 0
    )


@transaction.atomic
def holders_affiliation_set(*, holder_list, holder_ids, guarantor=None, trustee=None):
    """Mark holders as held (or not) by the Guarantor, the trustee or an Affiliate; their
    list's totals and the votes they already cast follow."""
    changes = {}
    if guarantor is not None:
        changes["is_guarantor_or_affiliate"] = guarantor
    if trustee is not None:
        changes["is_trustee_or_affiliate"] = trustee
    if not changes:
        return 0
    holders = Holder.objects.filter(holder_list=holder_list, pk__in=holder_ids)
    updated = holders.update(**changes)
    list_totals_refresh(holder_list.pk)
    marked = Holder.objects.filter(pk__in=holder_ids)
    votes = Vote.objects.filter(holder_id__in=holder_ids)
    votes.filter(holder__in=marked.filter(_AFFILIATE)).update(counts=False)
    votes.filter(holder__in=marked.exclude(_AFFILIATE)).update(counts=True)
    return updated


def vote_count(solicitation) -> Tally:
    """One aggregate over the solicitation's votes; the record list's eligible and excluded
    amounts are kept on the list, so no count ever sums its million holders."""
    terms = solicitation.record_list.security.agreement.terms
    record = HolderList.objects.only("eligible_amount", "excluded_amount").get(
        pk=solicitation.record_list_id
    )
    responses = Vote.objects.filter(solicitation=solicitation, counts=True).aggregate(
        consent=Sum("amount", filter=Q(response=Vote.Response.CONSENT)),
        object=Sum("amount", filter=Q(response=Vote.Response.OBJECT)),
        abstain=Sum("amount", filter=Q(response=Vote.Response.ABSTAIN)),
    )
    zero = Decimal(0)
    return tally(
        eligible=record.eligible_amount,
        excluded=record.excluded_amount,
        consenting=responses["consent"] or zero,
        objecting=responses["object"] or zero,
        abstaining=responses["abstain"] or zero,
        threshold_percent=terms.majority_percent,
        comparison=terms.majority_comparison or "more_than",
    )
