"""The desk's search: one box for agreements, parties, securities (CUSIP) and holders.

A read (selector). Agreements, parties and securities are thousands of rows: a substring
match is cheap. Holders are a million: only the start of the registered name is searched, as
one range of the holder_name_search index (holders/migrations/0004_search.py), and only the
first few are returned, in name order, so the cost does not grow with the matches.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from holders.models import Holder
from holders.search import name_starts_with, with_search_key
from trustee.identifiers import cusip_problem
from trustee.models import Agreement, Party, Security

LIMIT = 25  # per kind: a search names what to open, it is not a report
MIN_HOLDER_PREFIX = 2


@dataclass
class Results:
    query: str
    agreements: list = field(default_factory=list)
    parties: list = field(default_factory=list)
    securities: list = field(default_factory=list)
    holders: list = field(default_factory=list)
    # kind -> True when more matched than are shown
    more: dict = field(default_factory=dict)
    note: str = ""

    @property
    def count(self) -> int:
        return len(self.agreements) + len(self.parties) + len(self.securities) + len(self.holders)


def _capped(queryset, results, kind):
    rows = list(queryset[: LIMIT + 1])
    results.more[kind] = len(rows) > LIMIT
    return rows[:LIMIT]


def search(query: str, *, holders: bool = True) -> Results:
    """Up to LIMIT of each kind; holders only when `holders` (the user may see them)."""
    query = " ".join((query or "").split())
    results = Results(query=query)
    if not query:
        return results
    results.agreements = _capped(
        Agreement.objects.filter(
            Q(short_name__icontains=query) | Q(title__icontains=query) | Q(slug__icontains=query)
        ).order_by("short_name"),
        results,
        "agreements",
    )
    results.parties = _capped(
        Party.objects.filter(Q(name__icontains=query) | Q(short_name__icontains=query)).order_by(
            "name"
        ),
        results,
        "parties",
    )
    cusip = query.replace(" ", "").upper()
    by_cusip = Q(cusip=cusip) if len(cusip) == 9 and not cusip_problem(cusip) else Q(pk__in=[])
    results.securities = _capped(
        Security.objects.filter(by_cusip | Q(title__icontains=query))
        .select_related("agreement")
        .order_by("agreement__short_name", "title"),
        results,
        "securities",
    )
    if not holders:
        pass
    elif len(query) >= MIN_HOLDER_PREFIX:
        results.holders = _capped(holders_by_name_prefix(query), results, "holders")
    else:
        results.note = f"Holders are searched from {MIN_HOLDER_PREFIX} letters of their name."
    return results


def holders_by_name_prefix(prefix: str):
    """Holders whose registered name starts with `prefix` (any case), in name order."""
    rows = with_search_key(Holder.objects.select_related("holder_list__security__agreement"))
    return rows.filter(name_starts_with(prefix)).order_by("search_key", "pk")
