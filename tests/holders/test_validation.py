"""Validating a List of Holders: columns, each row, the list as a whole, and its fingerprint."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from holders import validation
from holders.reading import open_table
from holders.validation import (
    FIELDS,
    SYNONYMS,
    ColumnProblem,
    HolderRow,
    ListProblem,
    RowProblem,
    RowValidator,
    check_list,
    content_fingerprint,
    parse_amount,
    resolve_columns,
)

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


# -- amounts ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "amount"),
    [
        ("1000", Decimal(1000)),
        ("1,000", Decimal(1000)),
        ("1,000.50", Decimal("1000.50")),
        ("$1,000.00", Decimal(1000)),
        ("$ 1,000.00", Decimal(1000)),
        ("US$25", Decimal(25)),
        ("+25", Decimal(25)),
        ("+$25", Decimal(25)),
        ("$+25", Decimal(25)),
        (" 25 ", Decimal(25)),
        (".5", Decimal("0.5")),
        ("5.", Decimal(5)),
        ("12.340", Decimal("12.34")),
        ("0.01", Decimal("0.01")),
        ("007", Decimal(7)),
        ("9999999999999999.99", Decimal("9999999999999999.99")),
    ],
)
def test_an_amount_as_a_guarantor_writes_it(text, amount):
    parsed = parse_amount(text)
    assert parsed == amount
    assert isinstance(parsed, Decimal)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("", "The amount is missing"),
        ("0", "is zero"),
        ("-0", "is zero"),
        ("$0.00", "is zero"),
        ("-100", "is negative"),
        ("100-", "is negative"),
        ("\u2212100", "is negative"),  # a minus sign from a word processor
        ("$-100", "is negative"),
        ("(100)", "is in parentheses, which means negative"),
        ("($1,000.00)", "is in parentheses, which means negative"),
        ("$(1,000.00)", "is in parentheses, which means negative"),
        ("-$100", "is negative"),
        ("1.001", "has fractions of a cent"),
        ("0.005", "has fractions of a cent"),
        ("10000000000000000", "is larger than any holding can be"),
        ("10,000,000,000,000,000.00", "is larger than any holding can be"),
        ("NaN", "is not a number"),
        ("Infinity", "is not a number"),
        ("inf", "is not a number"),
        ("1,00,000", "has commas that are not thousands separators"),
        ("1000,5", "has commas that are not thousands separators"),
        ("1.000,50", "uses a comma as the decimal point"),
        ("1 000,50", "uses a comma as the decimal point"),
        ("1e5", "is not an amount"),
        ("١٢٣", "is not an amount"),
        ("12 units", "is not an amount"),
        (".", "is not an amount"),
        ("$", "is not an amount"),
    ],
)
def test_an_amount_that_is_not_a_holding_is_refused_with_the_reason(text, phrase):
    with pytest.raises(ValueError) as caught:
        parse_amount(text)
    assert phrase in str(caught.value)


@settings(max_examples=500)
@given(
    amount=st.decimals(
        min_value=Decimal("0.01"),
        max_value=Decimal(10**15) - Decimal("0.01"),
        places=2,
        allow_nan=False,
        allow_infinity=False,
    ),
    spelling=st.sampled_from(["{:,.2f}", "{:.2f}", "{:,f}", "{:f}", "{:,.0f}"]),
    dollar=st.sampled_from(["", "$", "$ ", "US$"]),
    padding=st.sampled_from(["", " ", "  "]),
)
def test_any_amount_written_with_separators_and_a_dollar_sign_reads_back_exactly(
    amount, spelling, dollar, padding
):
    if spelling == "{:,.0f}":
        amount = amount.to_integral_value() or Decimal(1)
    text = f"{padding}{dollar}{spelling.format(amount)}{padding}"
    assert parse_amount(text) == amount


@settings(max_examples=300)
@given(rows=st.lists(st.lists(st.text(max_size=30), min_size=0, max_size=8), max_size=20))
def test_any_cells_give_a_holder_or_problems_never_an_error(rows):
    validator = RowValidator(resolve_columns(WORLD_HEADERS))
    for number, cells in enumerate(rows, 2):
        holder = validator.check(number, cells)
        assert holder is None or holder.amount > 0
    assert validator.count + len({p.row for p in validator.problems}) == len(rows)


# -- the list as a whole (§2.2(a)) ------------------------------------------------------------

RECEIVED = date(2026, 2, 13)


def test_a_list_as_of_within_the_window_that_adds_up_has_no_problem():
    for as_of in (date(2026, 1, 29), RECEIVED):
        assert (
            check_list(
                as_of=as_of,
                received=RECEIVED,
                as_of_window_days=15,
                total=Decimal(575_000_000),
                outstanding=Decimal(575_000_000),
            )
            == []
        )


def test_an_as_of_date_after_receipt_is_an_error():
    [problem] = check_list(
        as_of=date(2026, 2, 14),
        received=RECEIVED,
        as_of_window_days=15,
        total=Decimal(1),
        outstanding=Decimal(1),
    )
    assert problem.code == "as_of_after_receipt"
    assert not problem.overridable
    assert "as of February 14, 2026, after it was received on February 13, 2026" in (
        problem.message
    )


def test_an_as_of_date_too_long_before_delivery_cites_the_agreement():
    [problem] = check_list(
        as_of=date(2026, 1, 28),
        received=RECEIVED,
        as_of_window_days=15,
        total=Decimal(1),
        outstanding=Decimal(1),
    )
    assert problem.code == "as_of_too_early"
    assert not problem.overridable
    assert "16 days before" in problem.message
    assert "§2.2(a): not more than 15 days prior to the delivery" in problem.message


def test_a_total_that_does_not_match_the_amount_outstanding_may_be_overridden():
    problems = check_list(
        as_of=date(2026, 1, 31),
        received=RECEIVED,
        as_of_window_days=15,
        total=Decimal(574_999_975),
        outstanding=Decimal(575_000_000),
    )
    assert problems == [
        ListProblem(
            "total_mismatch",
            "The holdings add up to 574,999,975, but 575,000,000 is outstanding: 25 less. "
            "A Responsible Officer may accept the list with the reason recorded.",
            overridable=True,
        )
    ]
    [more] = check_list(
        as_of=date(2026, 1, 31),
        received=RECEIVED,
        as_of_window_days=15,
        total=Decimal("1000.50"),
        outstanding=Decimal(1000),
    )
    assert "add up to 1,000.50, but 1,000 is outstanding: 0.50 more" in more.message


def test_without_a_window_in_the_agreement_any_earlier_as_of_date_will_do():
    kwargs = {"received": RECEIVED, "as_of_window_days": None, "total": 1, "outstanding": 1}
    assert check_list(as_of=date(2020, 1, 1), **kwargs) == []
    assert [p.code for p in check_list(as_of=date(2026, 3, 1), **kwargs)] == ["as_of_after_receipt"]


def test_every_list_problem_is_reported_together():
    problems = check_list(
        as_of=date(2025, 1, 1),
        received=RECEIVED,
        as_of_window_days=15,
        total=Decimal(1),
        outstanding=Decimal(2),
    )
    assert [p.code for p in problems] == ["as_of_too_early", "total_mismatch"]


# -- fingerprints: the same list in another file ----------------------------------------------


def _holders(name: str) -> list[HolderRow]:
    return validate(name)[1]


def test_the_same_list_in_another_encoding_or_file_has_the_same_fingerprint():
    good = content_fingerprint(_holders("good.csv"))
    assert content_fingerprint(_holders("utf8_bom_ok.csv")) == good
    assert content_fingerprint(reversed(_holders("good.csv"))) == good
    assert content_fingerprint(_holders("utf16_bom_ok.csv")) != good  # four holders, not eight
    assert len(good) == 64


def test_the_fingerprint_ignores_spelling_but_not_content():
    base = HolderRow(2, "Mary Garcia", "12 Elm St", "Hartford", "CT", "06103", "US", "", 250, 0, 0)
    same = dataclasses.replace(
        base,
        row=9,
        name="MARY  GARCIA",
        address_lines="12 elm st\n",
        city=" HARTFORD ",
        amount=Decimal("250.00"),
    )
    assert content_fingerprint([base]) == content_fingerprint([same])
    for change in (
        {"amount": Decimal("250.01")},
        {"postal_code": "06105"},
        {"is_trustee_affiliate": True},
        {"email": "mary@example.com"},
    ):
        assert content_fingerprint([base]) != content_fingerprint(
            [dataclasses.replace(base, **change)]
        )
    # A holder listed twice is not the same list as the holder listed once.
    assert content_fingerprint([base, base]) != content_fingerprint([base])
    assert content_fingerprint([]) != content_fingerprint([base])


_HOLDER = st.builds(
    HolderRow,
    row=st.integers(min_value=2, max_value=10**6),
    name=st.text(min_size=1, max_size=20),
    address_lines=st.text(max_size=30),
    city=st.text(max_size=10),
    state=st.sampled_from(["NY", "CT", ""]),
    postal_code=st.sampled_from(["10001", "06103", "EC2V 7HH"]),
    country=st.sampled_from(["US", "GB"]),
    email=st.sampled_from(["", "a@example.com"]),
    amount=st.decimals(min_value=Decimal("0.01"), max_value=Decimal(10**9), places=2),
    is_guarantor_affiliate=st.booleans(),
    is_trustee_affiliate=st.booleans(),
)


@given(
    holders=st.lists(_HOLDER, max_size=12).flatmap(
        lambda h: st.tuples(st.just(h), st.permutations(h))
    )
)
def test_the_fingerprint_does_not_depend_on_the_order_of_the_holders(holders):
    listed, reordered = holders
    assert content_fingerprint(listed) == content_fingerprint(reordered)
