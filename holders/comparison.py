"""Compare a List of Holders with the one before it: who came, who went, what changed."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from holders.models import Holder


@dataclass(frozen=True)
class Change:
    kind: str  # added, removed, changed
    name: str
    before_address: str
    after_address: str
    before_amount: Decimal | None
    after_amount: Decimal | None
    what: str


def _key(name):
    return " ".join(name.casefold().split())


def _address(h):
    return ", ".join(
        part
        for part in [
            *h["address_lines"].splitlines(),
            h["city"],
            h["state"],
            h["postal_code"],
            h["country"],
        ]
        if part
    )


def compare_lists(before, after) -> list[Change]:
    """Holders are matched by registered name; where a name appears more than once on a
    list, by name and address, so that two John Smiths are not taken for one."""
    fields = ["name", "address_lines", "city", "state", "postal_code", "country", "amount"]
    old = list(Holder.objects.filter(holder_list=before).values(*fields).iterator(5000))
    new = list(Holder.objects.filter(holder_list=after).values(*fields).iterator(5000))
    ambiguous = set()
    for rows in (old, new):
        counts = defaultdict(int)
        for h in rows:
            counts[_key(h["name"])] += 1
        ambiguous |= {name for name, n in counts.items() if n > 1}

    def key(h):
        name = _key(h["name"])
        return (name, _address(h).casefold()) if name in ambiguous else (name, "")

    old_by, new_by = {key(h): h for h in old}, {key(h): h for h in new}
    changes = []
    for k, h in new_by.items():
        previous = old_by.get(k)
        if previous is None:
            changes.append(Change("added", h["name"], "", _address(h), None, h["amount"], "new"))
            continue
        what = []
        if _address(previous) != _address(h):
            what.append("address")
        if previous["amount"] != h["amount"]:
            what.append("amount")
        if what:
            changes.append(
                Change(
                    "changed",
                    h["name"],
                    _address(previous),
                    _address(h),
                    previous["amount"],
                    h["amount"],
                    " and ".join(what),
                )
            )
    for k, h in old_by.items():
        if k not in new_by:
            changes.append(Change("removed", h["name"], _address(h), "", h["amount"], None, "gone"))
    order = {"added": 0, "changed": 1, "removed": 2}
    return sorted(changes, key=lambda c: (order[c.kind], _key(c.name)))
