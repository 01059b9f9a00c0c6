"""Synthetic holders for the demo and benchmarks: deterministic, and summing to what is held.

Amounts are whole units of the security (its liquidation amount or principal per unit, or
$1,000 where none is recorded) and add up exactly to the amount outstanding, as a real list
of holders would.
"""

import random
from dataclasses import dataclass
from decimal import Decimal

_FIRST = [
    "James",
    "Mary",
    "Robert",
    "Patricia",
    "John",
    "Jennifer",
    "Michael",
    "Linda",
    "William",
    "Elizabeth",
    "David",
    "Barbara",
    "Richard",
    "Susan",
    "Joseph",
    "Jessica",
]
_LAST = [
    "Smith",
    "Johnson",
    "Williams",
    "Brown",
    "Jones",
    "Garcia",
    "Miller",
    "Davis",
    "Rodriguez",
    "Martinez",
    "Hernandez",
    "Lopez",
    "Wilson",
    "Anderson",
    "Thomas",
    "Moore",
]
_NOMINEES = [
    "Cede & Co.",
    "Pension Fund of the Carpenters Union",
    "Mutual Savings Trust",
    "Municipal Employees Retirement System",
    "Harbor Insurance Company",
]
_STREETS = [
    "Main St",
    "Oak Ave",
    "Maple Dr",
    "Elm St",
    "Washington Blvd",
    "Lake Rd",
    "Park Ave",
    "Cedar Ln",
    "Hill St",
    "River Rd",
]
_PLACES = [
    ("Hartford", "CT", "061"),
    ("New York", "NY", "100"),
    ("Chicago", "IL", "606"),
    ("Boston", "MA", "021"),
    ("Wilmington", "DE", "198"),
    ("Newark", "NJ", "071"),
    ("Philadelphia", "PA", "191"),
    ("Stamford", "CT", "069"),
    ("Albany", "NY", "122"),
]


@dataclass(frozen=True)
class SyntheticHolder:
    name: str
    address_lines: str
    city: str
    state: str
    postal_code: str
    email: str
    amount: Decimal


def synthetic_holders(*, seed: str, total: Decimal, unit: Decimal, count: int):
    """`count` holders whose amounts are multiples of `unit` and add up to `total`."""
    units = int(total // unit)
    if units < count or total != unit * units:
        raise ValueError(f"{total} cannot be split into {count} holdings of whole units of {unit}")
    rng = random.Random(seed)
    # Skewed like real registers: a few large positions, a long tail of small ones.
    weights = [rng.paretovariate(1.2) for _ in range(count)]
    scale = (units - count) / sum(weights)
    shares = [1 + int(w * scale) for w in weights]
    shares[0] += units - sum(shares)
    holders = []
    for index, share in enumerate(shares):
        if index < len(_NOMINEES) and index % 2 == 0:
            name = _NOMINEES[index]
        else:
            name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
        city, state, zip3 = rng.choice(_PLACES)
        email = "" if rng.random() < 0.3 else f"holder{index + 1}@holders.example"
        holders.append(
            SyntheticHolder(
                name=f"{name} #{index + 1}" if index >= len(_NOMINEES) else name,
                address_lines=f"{rng.randint(1, 9999)} {rng.choice(_STREETS)}",
                city=city,
                state=state,
                postal_code=f"{zip3}{rng.randint(0, 99):02d}",
                email=email,
                amount=unit * share,
            )
        )
    return holders
