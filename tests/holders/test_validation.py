"""Validating a List of Holders: the bad files, and each row."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

import pytest

from holders import validation
from holders.reading import open_table
from holders.validation import (
    HolderRow,
    RowProblem,
    RowValidator,
    resolve_columns,
)
from tests.holders.validation_helpers import (
    FILES,
    LIMIT,
    US_HEADERS,
    WORLD_HEADERS,
    check_one,
    us_row,
    validate,
    world_row,
)

# -- files: each bad file has exactly the one problem its name says ---------------------------


@pytest.mark.parametrize(
    ("name", "row", "field", "phrase"),
    [
        ("ragged_row.csv", 4, "row", "The row has 8 cells, the header has 9"),
        ("zero_amount.csv", 3, "amount", "The amount “0.00” is zero"),
        ("negative_amount.csv", 3, "amount", "The amount “-250” is negative"),
        ("parentheses_amount.csv", 3, "amount", "“(100)” is in parentheses, which means neg"),
        ("three_decimals.csv", 3, "amount", "“100.125” has fractions of a cent"),
        ("amount_text.csv", 3, "amount", "The amount “two hundred” is not an amount"),
        ("european_amount.csv", 3, "amount", "uses a comma as the decimal point"),
        ("huge_amount.csv", 3, "amount", "is larger than any holding can be"),
        ("missing_amount.csv", 3, "amount", "The amount is missing"),
        ("missing_name.csv", 3, "name", "The holder's name is missing"),
        ("missing_street.csv", 3, "address_1", "The first address line (the street) is missing"),
        ("missing_city.csv", 3, "city", "The city is missing"),
        ("too_long_name.csv", 3, "name", "is longer than 200 characters"),
        ("bad_state.csv", 3, "state", "The state “Conn.” is not a US state or territory"),
        ("missing_state.csv", 3, "state", "The state is missing"),
        ("bad_zip.csv", 3, "postal_code", "The ZIP code “0610A” is not a US ZIP code"),
        (
            "zip_lost_leading_zero.csv",
            3,
            "postal_code",
            "a spreadsheet probably dropped its leading zero (it should read 06103)",
        ),
        (
            "xlsx_zip_lost_leading_zero.xlsx",
            2,
            "postal_code",
            "a spreadsheet probably dropped its leading zero",
        ),
        ("duplicate_holder.csv", 6, "name", "Duplicate of row 3"),
        ("bad_email.csv", 3, "email", "“mary.garcia at example.com” does not look like an"),
        ("bad_country.csv", 6, "country", "The country “Atlantis” is not a country name"),
        ("bad_flag.csv", 2, "guarantor_affiliate", "flag “maybe” is not yes or no"),
        ("error_on_last_row.csv", 51, "amount", "The amount “-25” is negative"),
    ],
)
def test_a_bad_row_is_reported_by_row_number_and_field(name, row, field, phrase):
    validator, holders = validate(name)
    assert [(p.row, p.field) for p in validator.problems] == [(row, field)]
    assert phrase in validator.problems[0].problem
    assert validator.problem_count == 1
    assert row not in {holder.row for holder in holders}


def test_only_the_last_row_of_fifty_is_bad():
    validator, holders = validate("error_on_last_row.csv")
    assert validator.count == len(holders) == 49
    assert validator.total == Decimal(25) * sum(range(1, 50))


@pytest.mark.parametrize(
    "name",
    [
        "good.csv",
        "utf8_bom_ok.csv",
        "utf16_bom_ok.csv",
        "latin1_ok.csv",
        "cp1252_ok.csv",
        "semicolon_ok.csv",
        "tab_ok.csv",
        "pipe_ok.csv",
        "synonyms_ok.csv",
        "blank_rows_ok.csv",
        "trailing_separators_ok.csv",
        "affiliates_ok.csv",
        "good.xlsx",
    ],
)
def test_a_good_file_has_no_problems(name):
    validator, holders = validate(name)
    assert validator.problems == []
    assert validator.count == len(holders) > 0


def test_a_good_file_becomes_holders_as_the_register_keeps_them():
    validator, holders = validate("good.csv")
    assert validator.total == Decimal("1037100.50")
    by_name = {holder.name: holder for holder in holders}
    assert by_name["Cede & Co."].amount == Decimal(1_000_000)
    assert by_name["Mary T. Garcia"] == HolderRow(
        row=3,
        name="Mary T. Garcia",
        address_lines="12 Elm St\nApt 2B",
        city="Hartford",
        state="CT",
        postal_code="06103",
        country="US",
        email="mary.garcia@mail.example.com",
        amount=Decimal(250),
        is_guarantor_affiliate=False,
        is_trustee_affiliate=False,
    )
    smith = by_name["Smith, John A."]
    assert (smith.country, smith.postal_code, smith.amount) == ("US", "02108-1234", Decimal(1250))
    harbor = by_name["Harbor Insurance Company"]
    assert (harbor.state, harbor.amount) == ("CT", Decimal("25000.50"))
    assert (by_name["Jean Dupont"].country, by_name["Jean Dupont"].state) == ("FR", "")
    obrien = by_name["Eleanor O'Brien"]
    assert (obrien.country, obrien.state, obrien.postal_code) == ("CA", "ON", "M5K 1A2")
    assert by_name["Robert Lee"].state == "PR"


def test_a_workbook_becomes_the_same_holders():
    validator, holders = validate("good.xlsx")
    assert [holder.postal_code for holder in holders] == ["10041", "06103", "06901-1234", "19801"]
    assert validator.total == Decimal("1025250.6")


def test_affiliate_flags():
    _, holders = validate("affiliates_ok.csv")
    assert [(h.is_guarantor_affiliate, h.is_trustee_affiliate) for h in holders] == [
        (True, False),
        (False, True),
        (False, False),
    ]


# -- rows -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "code"),
    [
        ("CT", "CT"),
        ("ct", "CT"),
        ("Connecticut", "CT"),
        ("new york", "NY"),
        ("District of Columbia", "DC"),
        ("Washington, D.C.", "DC"),
        ("Virgin Islands", "VI"),
        ("GU", "GU"),
        ("AE", "AE"),
        ("Armed Forces Pacific", "AP"),
    ],
)
def test_a_state_is_read_as_its_postal_code(state, code):
    holder, problems = check_one(us_row(State=state))
    assert problems == []
    assert holder.state == code


@pytest.mark.parametrize(
    ("zip_code", "stored"),
    [
        ("06103", "06103"),
        ("06103-1234", "06103-1234"),
        ("061031234", "06103-1234"),
        ("06103 1234", "06103-1234"),
    ],
)
def test_a_zip_code_is_five_digits_or_zip_plus_four(zip_code, stored):
    holder, problems = check_one(us_row(Zip=zip_code))
    assert problems == []
    assert holder.postal_code == stored


@pytest.mark.parametrize(
    ("zip_code", "phrase"),
    [
        ("6103", "it should read 06103)"),
        ("501", "it should read 00501)"),
        ("6103-1234", "it should read 06103-1234)"),
        ("61031234", "it should read 06103-1234)"),
        ("ABCDE", "is not a US ZIP code"),
        ("061034", "is not a US ZIP code"),
        ("٠٦١٠٣", "is not a US ZIP code"),  # Arabic-Indic digits are digits, but not a ZIP
        ("", "The ZIP code is missing"),
    ],
)
def test_a_wrong_zip_code_is_refused_with_a_hint(zip_code, phrase):
    holder, problems = check_one(us_row(Zip=zip_code))
    assert holder is None
    assert [(p.field, phrase in p.problem) for p in problems] == [("postal_code", True)]


@pytest.mark.parametrize("country", ["", "US", "us", "USA", "U.S.A.", "United States"])
def test_a_holder_in_the_united_states_needs_a_state_and_zip(country):
    holder, problems = check_one(
        world_row(Country=country, State="", Zip=""), headers=WORLD_HEADERS
    )
    assert holder is None
    assert [p.field for p in problems] == ["state", "postal_code"]
    holder, problems = check_one(world_row(Country=country), headers=WORLD_HEADERS)
    assert holder.country == "US"


@pytest.mark.parametrize(
    ("country", "code"),
    [("GB", "GB"), ("gb", "GB"), ("UK", "GB"), ("United Kingdom", "GB"), ("Cayman Islands", "KY")],
)
def test_a_holder_abroad_needs_no_state_or_postal_code(country, code):
    holder, problems = check_one(
        world_row(Country=country, State="", Zip="", City="London"), headers=WORLD_HEADERS
    )
    assert problems == []
    assert (holder.country, holder.state, holder.postal_code) == (code, "", "")


def test_a_province_or_postal_code_abroad_must_fit_the_register():
    holder, problems = check_one(
        world_row(Country="CA", State="O" * 51, Zip="M" * 21), headers=WORLD_HEADERS
    )
    assert holder is None
    assert [p.field for p in problems] == ["state", "postal_code"]
    assert "longer than 50 characters" in problems[0].problem


@pytest.mark.parametrize(
    "email",
    [
        "mary.garcia@mail.example.com",
        "o'brien+list@example.org",
        "MARY@EXAMPLE.COM",
        "jose@müller.example",
        "a_b-c@sub-domain.example.co.uk",
    ],
)
def test_an_email_address_that_looks_right_is_kept(email):
    holder, problems = check_one(world_row(Email=email), headers=WORLD_HEADERS)
    assert problems == []
    assert holder.email == email


@pytest.mark.parametrize(
    "email",
    [
        "mary.garcia",
        "mary@example",
        "@example.com",
        "mary@@example.com",
        "mary garcia@example.com",
        "Mary <mary@example.com>",
        "a@example.com; b@example.com",
        "mary@-example.com",
        "x" * 250 + "@example.com",
    ],
)
def test_an_email_address_that_does_not_look_like_one_is_a_problem(email):
    holder, problems = check_one(world_row(Email=email), headers=WORLD_HEADERS)
    assert holder is None
    assert [p.field for p in problems] == ["email"]
    assert "does not look like an email address (name@example.com)" in problems[0].problem


def test_a_value_in_a_message_is_cut_to_forty_characters():
    _, problems = check_one(world_row(Email="x" * 100), headers=WORLD_HEADERS)
    assert "“" + "x" * 39 + "…”" in problems[0].problem


def test_a_row_with_several_problems_reports_each():
    holder, problems = check_one(us_row(Name="", City="", State="ZZ", Amount="0"))
    assert holder is None
    assert [p.field for p in problems] == ["name", "city", "state", "amount"]


def test_a_long_province_or_postal_code_alone_is_a_problem():
    _, problems = check_one(world_row(Country="CA", State="O" * 51), headers=WORLD_HEADERS)
    assert [p.field for p in problems] == ["state"]
    _, problems = check_one(world_row(Country="CA", Zip="M" * 21), headers=WORLD_HEADERS)
    assert [p.field for p in problems] == ["postal_code"]


def test_the_caches_stop_growing_at_their_size(monkeypatch):
    monkeypatch.setattr(validation, "CACHE_SIZE", 1)
    validator = RowValidator(resolve_columns(WORLD_HEADERS))
    for number, amount in enumerate(["1", "2", "3", "2"], 2):
        email = f"h{number}@d{number}.example"
        holder = validator.check(number, world_row(Name=f"H{number}", Amount=amount, Email=email))
        assert holder.amount == Decimal(amount)
    assert validator.total == 8


def test_a_city_must_fit_the_register():
    _, problems = check_one(us_row(City="C" * 101))
    assert [p.field for p in problems] == ["city"]


def test_cells_are_trimmed():
    holder, problems = check_one(us_row(Name="  Mary T. Garcia ", State=" ct", Amount=" 250 "))
    assert problems == []
    assert (holder.name, holder.state, holder.amount) == ("Mary T. Garcia", "CT", Decimal(250))


def test_address_lines_are_joined_without_blank_lines():
    headers = ["Name", "Address 1", "Address 2", "Address 3", "City", "State", "Zip", "Amount"]
    validator = RowValidator(resolve_columns(headers))
    cells = ["A", "1 Main St", "", "Suite 4", "Albany", "NY", "12207", "1"]
    assert validator.check(2, cells).address_lines == "1 Main St\nSuite 4"


@pytest.mark.parametrize(
    ("value", "flag"),
    [
        *[(value, True) for value in ("yes", "Y", "TRUE", "1", "x", "X")],
        *[(value, False) for value in ("no", "N", "false", "0", "", " ")],
    ],
)
def test_an_affiliate_flag_is_yes_or_no(value, flag):
    headers = [*US_HEADERS, "Trustee Affiliate"]
    holder, problems = check_one([*us_row(), value], headers=headers)
    assert problems == []
    assert holder.is_trustee_affiliate is flag


def test_a_short_row_is_a_problem_and_its_values_are_not_read():
    holder, problems = check_one(us_row()[:4])
    assert holder is None
    assert problems == [
        RowProblem(2, "row", problems[0].problem),
    ]
    assert problems[0].problem.startswith("The row has 4 cells, the header has 6")


def test_extra_cells_are_a_problem_unless_they_are_empty():
    assert check_one([*us_row(), "", "  "])[1] == []
    holder, problems = check_one([*us_row(), "", "stray"])
    assert holder is None
    assert problems[0].problem.startswith("The row has 8 cells, the header has 6")


def test_a_duplicate_is_found_through_case_and_spacing_and_names_the_first_row():
    validator = RowValidator(resolve_columns(US_HEADERS))
    for number in range(2, 12):
        assert validator.check(number, us_row(Name=f"Holder {number}"))
    assert validator.check(12, us_row(Name="HOLDER   5", Address="12 ELM ST")) is None
    assert validator.check(13, us_row(Name="Holder 13"))
    assert validator.check(14, us_row(Name="Holder 13")) is None
    assert validator.check(15, us_row(Name="holder 13")) is None
    # Another holder at the same address, or the same holder at another ZIP code, is not one.
    assert validator.check(16, us_row(Name="Holder 16"))
    assert validator.check(17, us_row(Name="Holder 5", Zip="06105"))
    assert [(p.row, p.problem.split(":")[0]) for p in validator.problems] == [
        (12, "Duplicate of row 5"),
        (14, "Duplicate of row 13"),
        (15, "Duplicate of row 13"),
    ]
    assert validator.count == 13


def test_problems_are_kept_up_to_a_limit_and_all_are_counted():
    validator = RowValidator(resolve_columns(US_HEADERS), max_problems=3)
    for number in range(2, 12):
        validator.check(number, us_row(Name=f"H{number}", Amount="-1", State="XX"))
    assert len(validator.problems) == 3
    assert validator.problem_count == 20
    assert validator.count == 0
    assert validator.total == 0


def test_holders_gives_what_check_gives_row_by_row():
    table = open_table(FILES / "duplicate_holder.csv", max_bytes=LIMIT)
    rows = list(table.rows)
    one = RowValidator(resolve_columns(table.headers))
    other = RowValidator(resolve_columns(table.headers))
    expected = [h for h in (one.check(n, cells) for n, cells in rows) if h is not None]
    assert list(other.holders(rows)) == expected
    assert other.problems == one.problems
    assert (other.count, other.total) == (one.count, one.total)


def test_the_total_is_exact_and_follows_new_rows():
    validator = RowValidator(resolve_columns(US_HEADERS))
    for number in range(2, 1002):
        validator.check(number, us_row(Name=f"H{number}", Amount="0.10"))
    assert validator.total == Decimal("100.00")
    validator.check(1002, us_row(Name="Big", Amount="9,999,999,999,999,999.99"))
    assert validator.total == Decimal("10000000000000099.99")
    assert validator.count == 1001


def test_a_row_problem_reads_as_a_sentence():
    problem = RowProblem(12, "postal_code", "The ZIP code is missing.")
    assert str(problem) == "Row 12, ZIP or postal code: The ZIP code is missing."


def test_a_holder_row_is_a_small_record():
    assert not hasattr(
        HolderRow(2, "A", "B", "C", "NY", "10001", "US", "", Decimal(1), False, False), "__dict__"
    )
    assert {f.name for f in dataclasses.fields(HolderRow)} >= {"row", "amount", "address_lines"}
