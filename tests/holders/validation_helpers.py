"""Rows and files for the validation tests."""

from __future__ import annotations

from pathlib import Path

from holders.reading import open_table
from holders.validation import RowValidator, resolve_columns

FILES = Path(__file__).parent / "files"
LIMIT = 1024 * 1024
US_HEADERS = ["Name", "Address", "City", "State", "Zip", "Amount"]
WORLD_HEADERS = ["Name", "Address", "City", "State", "Zip", "Country", "Email", "Amount"]


def validate(name: str, mapping: dict[str, str] | None = None):
    table = open_table(FILES / name, max_bytes=LIMIT)
    validator = RowValidator(resolve_columns(table.headers, mapping))
    return validator, list(validator.holders(table.rows))


def us_row(**values) -> list[str]:
    row = {
        "Name": "Mary T. Garcia",
        "Address": "12 Elm St",
        "City": "Hartford",
        "State": "CT",
        "Zip": "06103",
        "Amount": "250",
    }
    row.update(values)
    return [row[heading] for heading in US_HEADERS]


def world_row(**values) -> list[str]:
    row = dict(zip(US_HEADERS, us_row(), strict=True)) | {"Country": "", "Email": ""}
    row.update(values)
    return [row[heading] for heading in WORLD_HEADERS]


def check_one(cells, headers=US_HEADERS):
    validator = RowValidator(resolve_columns(headers))
    return validator.check(2, cells), validator.problems
