"""Recording the Holders' responses to a solicitation and counting them."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, Sum

from holders.majority import Tally, tally
from holders.models import Holder, HolderList, Solicitation, Vote

_AFFILIATE = Q(is_guarantor_or_affiliate=True) | Q(is_trustee_or_affiliate=True)


def solicitation_open(*, record_list, kind, description, opened_on, by, closes_on=None):
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
        defaults={"response": response, "received_on": received_on, "recorded_by": by},
    )
    return vote


def vote_count(solicitation) -> Tally:
    """Two aggregate queries, whatever the number of holders: the record list's eligible and
    excluded amounts, and the eligible responses by kind."""
    terms = solicitation.record_list.security.agreement.terms
    holders = Holder.objects.filter(holder_list_id=solicitation.record_list_id)
    amounts = holders.aggregate(
        eligible=Sum("amount", filter=~_AFFILIATE), excluded=Sum("amount", filter=_AFFILIATE)
    )
    counted = Vote.objects.filter(solicitation=solicitation).exclude(
        Q(holder__is_guarantor_or_affiliate=True) | Q(holder__is_trustee_or_affiliate=True)
    )
    responses = counted.aggregate(
        consent=Sum("holder__amount", filter=Q(response=Vote.Response.CONSENT)),
        object=Sum("holder__amount", filter=Q(response=Vote.Response.OBJECT)),
        abstain=Sum("holder__amount", filter=Q(response=Vote.Response.ABSTAIN)),
    )
    zero = Decimal(0)
    return tally(
        eligible=amounts["eligible"] or zero,
        excluded=amounts["excluded"] or zero,
        consenting=responses["consent"] or zero,
        objecting=responses["object"] or zero,
        abstaining=responses["abstain"] or zero,
        threshold_percent=terms.majority_percent,
        comparison=terms.majority_comparison or "more_than",
    )
