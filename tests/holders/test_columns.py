"""Which column holds which field: usual headings, mappings, and what is missing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from holders.validation import (
    FIELDS,
    ColumnProblem,
    resolve_columns,
)
from holders.vocabulary import SYNONYMS
from tests.holders.validation_helpers import (
    validate,
)

# -- columns ----------------------------------------------------------------------------------


def test_a_missing_required_column_is_named_with_the_headings_looked_for():
    with pytest.raises(ColumnProblem) as caught:
        validate("missing_amount_column.csv")
    assert caught.value.missing == ["amount"]
    message = str(caught.value)
    assert "The file has no column for the amount" in message
    assert "“units”, “shares”" in message
    assert "The file's columns are “Holder Name”, “Address 1”" in message


def test_every_missing_column_is_named_at_once():
    with pytest.raises(ColumnProblem) as caught:
        resolve_columns(["Holder", "Comment"])
    assert caught.value.missing == ["address_1", "city", "amount", "state", "postal_code"]
    assert len(caught.value.problems) == 7
    assert "Without a country column every holder is taken to be in the United States" in str(
        caught.value
    )


def test_with_a_country_column_state_and_zip_columns_are_optional():
    columns = resolve_columns(["Name", "Address", "City", "Country", "Amount"])
    assert "state" not in columns
    assert columns.header_for("country") == "Country"
    assert columns.header_for("state") is None


def test_a_layout_with_other_headings_needs_a_mapping():
    with pytest.raises(ColumnProblem) as caught:
        validate("mapping_needed.csv")
    assert caught.value.missing == ["name", "amount"]
    validator, holders = validate(
        "mapping_needed.csv", {"name": "Registered Owner Name", "amount": "position"}
    )
    assert validator.problems == []
    assert [h.name for h in holders] == ["Cede & Co.", "Mary T. Garcia"]
    assert validator.total == Decimal(1250)


def test_a_mapping_overrides_the_synonyms():
    columns = resolve_columns(["Name", "Legal Name", "Street", "City", "Country", "Amount"])
    assert columns.header_for("name") == "Name"
    columns = resolve_columns(
        ["Name", "Legal Name", "Street", "City", "Country", "Amount"], {"name": "Legal Name"}
    )
    assert columns.positions["name"] == 1


def test_a_mapped_heading_is_not_also_read_by_synonym():
    columns = resolve_columns(
        ["Holder", "Address", "City", "Country", "Units", "Amount"], {"amount": "Units"}
    )
    assert columns.header_for("amount") == "Units"


@pytest.mark.parametrize(
    ("mapping", "phrase"),
    [
        ({"shares": "Units"}, "names “shares”, which is not a field of a List of Holders"),
        ({"amount": "Position"}, "reads the amount from a column “Position”, but the file has"),
        (
            {"name": "Holder", "amount": "Holder"},
            "reads both the holder's name and the amount from the column “Holder”",
        ),
        ({"email": "Mail"}, "reads the email address from a column “Mail”"),
    ],
)
def test_a_mapping_that_does_not_fit_the_file_is_a_column_problem(mapping, phrase):
    with pytest.raises(ColumnProblem) as caught:
        resolve_columns(["Holder", "Address", "City", "Country", "Units"], mapping)
    assert phrase in str(caught.value)


def test_two_columns_that_could_be_one_field_need_a_mapping():
    with pytest.raises(ColumnProblem) as caught:
        validate("ambiguous_columns.csv")
    assert caught.value.problems[0].startswith(
        "More than one column could be the ZIP or postal code: “Zip” and “Postal Code”."
    )
    assert "no column for" not in str(caught.value)
    validator, _ = validate("ambiguous_columns.csv", {"postal_code": "Zip"})
    assert validator.count == 1


def test_headings_are_matched_without_case_spaces_or_punctuation():
    columns = resolve_columns(
        ["HOLDER-NAME", "address_1", "Zip Code", "E-Mail", "CITY", "st", "Principal  Amount"]
    )
    assert set(columns.positions) == {
        "name",
        "address_1",
        "postal_code",
        "email",
        "city",
        "state",
        "amount",
    }
    assert set(FIELDS) == set(SYNONYMS)


def test_no_heading_is_a_synonym_of_two_fields():
    seen = {}
    for name, words in SYNONYMS.items():
        for word in words:
            key = "".join(c for c in word.casefold() if c.isalnum())
            assert seen.setdefault(key, name) == name, word
