"""Lists of Holders as a Guarantor's registrar would export them, for tests and benchmarks.

`write_holder_csv(path, rows)` writes a valid CSV of about 100 bytes a row (1,000,000 rows is
about 100 MB), the same bytes for the same seed, and returns the total it holds. Every row
passes holders.validation: names and addresses never repeat, a few holders live abroad.

    python -m bench.holders_data var/holders_1m.csv 1000000
"""

from __future__ import annotations

import random
import sys
from decimal import Decimal
from pathlib import Path

HEADER = "Holder Name,Address 1,Address 2,City,State,ZIP,Country,Email,Amount\n"

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
    "Thomas",
    "Sarah",
    "Charles",
    "Karen",
    "Daniel",
    "Nancy",
    "Matthew",
    "Lisa",
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
    "Taylor",
    "Jackson",
    "Martin",
    "Lee",
    "Thompson",
    "White",
    "Harris",
    "Clark",
]
_STREETS = (
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
    "Church St",
    "Pleasant St",
)
# City, state, first three digits of its ZIP codes; Hartford and Newark keep their leading zero.
_PLACES = (
    ("Hartford", "CT", "061"),
    ("New York", "NY", "100"),
    ("Chicago", "IL", "606"),
    ("Boston", "MA", "021"),
    ("Wilmington", "DE", "198"),
    ("Newark", "NJ", "071"),
    ("Philadelphia", "PA", "191"),
    ("Stamford", "CT", "069"),
    ("Albany", "NY", "122"),
    ("San Juan", "PR", "009"),
)
# Holders abroad: city, province (may be blank), postal code, ISO country code.
_ABROAD = (
    ("London", "", "EC2V 7HH", "GB"),
    ("Toronto", "ON", "M5H 2N2", "CA"),
    ("Zurich", "", "8001", "CH"),
)
_SECOND_LINES = ("Apt 2B", "Suite 400", "Floor 12", "c/o Trust Operations")
_MAIL_DOMAINS = ("mail.example.com", "holders.example.net", "example.org")
_NOMINEES = ("Cede & Co.", "Mutual Savings Trust", "Harbor Insurance Company")


def write_holder_csv(path, rows: int, *, seed=1, unit=Decimal(25)) -> Decimal:
    """Write `rows` holders to `path` (UTF-8, comma-separated, CRLF as Excel writes) and
    return the total of their amounts, which are whole multiples of `unit`."""
    rng = random.Random(seed)
    first, last, streets, places = _FIRST, _LAST, _STREETS, _PLACES
    seen = set()
    units_total = 0
    lines = []
    with Path(path).open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER.replace("\n", "\r\n"))
        for index in range(rows):
            if index < len(_NOMINEES):
                name = _NOMINEES[index]
            else:
                name = f"{rng.choice(first)} {chr(65 + rng.randrange(26))}. {rng.choice(last)}"
            street = f"{rng.randint(1, 9999)} {rng.choice(streets)}"
            if rng.random() < 0.02:
                city, state, postal, country = rng.choice(_ABROAD)
            else:
                city, state, zip3 = rng.choice(places)
                postal, country = f"{zip3}{rng.randrange(100):02d}", "US"
            key = (name, street, postal)
            while key in seen:
                # Two holders of the same name at the same address would be one holder twice.
                street = f"{rng.randint(1, 9999)} {rng.choice(streets)}"
                key = (name, street, postal)
            seen.add(key)
            second = rng.choice(_SECOND_LINES) if rng.random() < 0.1 else ""
            email = ""
            if rng.random() < 0.7:
                user = name.replace(". ", ".").replace(" ", ".").replace("&", "and").lower()
                email = f"{user}{index + 1}@{rng.choice(_MAIL_DOMAINS)}"
            # A few large positions and a long tail of small ones, as in a real register.
            units = 1 + int(rng.paretovariate(1.3) * 8) if index >= len(_NOMINEES) else 400_000
            units_total += units
            amount = unit * units
            lines.append(
                f'"{name}",{street},{second},{city},{state},{postal},{country},{email},{amount}\r\n'
            )
            if len(lines) == 10_000:
                out.writelines(lines)
                lines.clear()
        out.writelines(lines)
    return unit * units_total


def main(argv: list[str]) -> None:
    if len(argv) not in (3, 4):
        sys.exit("usage: python -m bench.holders_data PATH ROWS [SEED]")
    path, rows = argv[1], int(argv[2])
    seed = int(argv[3]) if len(argv) == 4 else 1
    total = write_holder_csv(path, rows, seed=seed)
    size = Path(path).stat().st_size
    print(f"{path}: {rows:,} holders, {size / 1e6:.1f} MB, total {total:,}")


if __name__ == "__main__":
    main(sys.argv)
