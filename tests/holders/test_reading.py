"""Reading List of Holders files: what is read right, and what is refused with which sentence.

The files under files/ are real, small and named for what is wrong with them (or "_ok").
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from holders import reading
from holders.reading import FileProblem, RawTable, open_table
from holders.validation import ColumnProblem, RowValidator, resolve_columns

FILES = Path(__file__).parent / "files"
LIMIT = 1024 * 1024
HEADERS = [
    "Holder Name",
    "Address 1",
    "Address 2",
    "City",
    "State",
    "ZIP",
    "Country",
    "Email",
    "Amount",
]


def read(name: str, max_bytes: int = LIMIT) -> tuple[RawTable, list[tuple[int, list[str]]]]:
    table = open_table(FILES / name, max_bytes=max_bytes)
    return table, list(table.rows)


@pytest.mark.parametrize(
    ("name", "phrase"),
    [
        ("empty.csv", "The file is empty"),
        ("bom_only.csv", "The file is empty"),
        ("whitespace_only.csv", "The file is empty"),
        ("header_only.csv", "has a header row (row 1) but no holders after it"),
        ("binary.png", "not a CSV or Excel file: it is an image"),
        ("document.pdf", "not a CSV or Excel file: it is a PDF document"),
        ("archive.csv.gz", "not a CSV or Excel file: it is a compressed (gzip) file"),
        ("old_excel.xls", "not a CSV or Excel file: it is an old-style Excel 97-2003 (.xls)"),
        ("nul_bytes.csv", "not a CSV or Excel file: it is binary data, not text"),
        ("not_a_workbook.zip", "not a CSV or Excel file: it is a zip archive"),
        ("truncated.xlsx", "The Excel workbook is damaged or incomplete"),
        ("corrupt_sheet.xlsx", "The Excel workbook is damaged and cannot be read from row 3"),
        ("utf16_truncated.csv", "begins with the mark of UTF-16 text but is not valid UTF-16"),
        ("truncated_quote.csv", "Row 5 opens a quoted value that never closes"),
        ("stray_quote.csv", "Row 4 has text right after the closing quotation mark"),
        ("duplicate_header.csv", "names the same column twice: “amount” (columns I and J)"),
        ("blank_header.csv", "The header row (row 1) has no name for column C"),
    ],
)
def test_a_file_that_cannot_be_read_is_refused_with_the_reason(name, phrase):
    with pytest.raises(FileProblem) as caught:
        read(name)
    assert phrase in str(caught.value)


def test_a_file_over_the_limit_is_refused_by_its_size_before_it_is_read(tmp_path):
    path = tmp_path / "holders.csv"
    with path.open("wb") as stream:
        # Sparse zeros: were the file read, it would be refused as binary, not by its size.
        stream.truncate(300 * 1024 * 1024 + 512 * 1024)
    with pytest.raises(FileProblem, match=r"The file is 300\.5 MB, more than the limit of 200 MB"):
        open_table(path, max_bytes=200 * 1024 * 1024)


def test_a_file_at_the_limit_is_read():
    size = (FILES / "good.csv").stat().st_size
    _, rows = read("good.csv", max_bytes=size)
    assert len(rows) == 8


def test_a_comma_separated_utf8_file():
    table, rows = read("good.csv")
    assert (table.format, table.encoding, table.delimiter) == ("csv", "utf-8", ",")
    assert table.headers == HEADERS
    assert rows[0] == (
        2,
        ["Cede & Co.", "55 Water Street", "", "New York", "NY", "10041", "US", "", "1,000,000"],
    )
    assert rows[2][1][0] == "Smith, John A."
    assert [number for number, _ in rows] == list(range(2, 10))


@pytest.mark.parametrize(
    ("name", "encoding"),
    [("utf8_bom_ok.csv", "utf-8-sig"), ("utf16_bom_ok.csv", "utf-16")],
)
def test_a_byte_order_mark_gives_the_encoding_and_is_not_part_of_the_first_heading(name, encoding):
    table, rows = read(name)
    assert table.encoding == encoding
    assert table.headers == HEADERS
    assert rows[1][1][:2] == ["Mary T. Garcia", "12 Elm St"]


def test_latin1_names_are_read_right():
    table, rows = read("latin1_ok.csv")
    # Every Latin-1 letter is the same byte in Windows-1252, which is tried first.
    assert table.encoding == "cp1252"
    assert [cells[0] for _, cells in rows] == [
        "Müller, José",
        "François Lefèvre",
        "Ångström Holdings",
    ]
    assert rows[0][1][1:4] == ["Bahnhofstraße 5", "", "Zürich"]


def test_windows_1252_quotation_marks_are_read_right():
    table, rows = read("cp1252_ok.csv")
    assert table.encoding == "cp1252"
    assert rows[0][1][0] == "Eleanor O\u2019Brien"  # a right single quotation mark
    assert rows[1][1][0] == "“Smith” Trust"


def test_bytes_that_are_not_windows_1252_are_read_as_latin1(tmp_path):
    path = tmp_path / "holders.csv"
    # 0x81 has no character in Windows-1252; in Latin-1 it is a control character.
    path.write_bytes(b"Name,Amount\r\nA\x81B,1\r\n")
    table, rows = open_table(path, max_bytes=LIMIT), None
    rows = list(table.rows)
    assert table.encoding == "latin-1"
    assert rows == [(2, ["A\x81B", "1"])]


def test_utf8_is_preferred_when_the_whole_file_is_utf8(tmp_path):
    path = tmp_path / "holders.csv"
    # The accent comes after the first 8 KB, which alone would look like plain ASCII.
    lines = ["Name,Amount"] + [f"Holder {n},1" for n in range(2000)] + ["José,1"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = open_table(path, max_bytes=LIMIT)
    assert table.encoding == "utf-8"
    assert list(table.rows)[-1] == (2002, ["José", "1"])


def test_a_latin1_accent_far_down_a_file_is_found_before_any_row_is_read(tmp_path):
    path = tmp_path / "holders.csv"
    lines = ["Name,Amount"] + [f"Holder {n},1" for n in range(20_000)] + ["José,1"]
    path.write_bytes(("\n".join(lines) + "\n").encode("latin-1"))
    table = open_table(path, max_bytes=LIMIT)
    assert table.encoding == "cp1252"
    assert list(table.rows)[-1] == (20_002, ["José", "1"])


@pytest.mark.parametrize(
    ("name", "delimiter"),
    [("semicolon_ok.csv", ";"), ("tab_ok.csv", "\t"), ("pipe_ok.csv", "|")],
)
def test_the_delimiter_is_found(name, delimiter):
    table, rows = read(name)
    assert table.delimiter == delimiter
    assert table.headers == HEADERS
    assert rows[0][1][:2] == ["Cede & Co.", "55 Water Street"]


def test_a_quoted_value_may_hold_the_delimiter():
    _, rows = read("semicolon_ok.csv")
    assert rows[2][1][0] == "Smith; John"


@pytest.mark.parametrize(
    ("sample", "delimiter"),
    [
        ("Name;Amount\n1,2;3,4", ";"),  # the rows mislead the sniffer; the header does not
        ("Name Amount\nx y", ","),  # nothing to go by: a comma
        ("Name|Amount", "|"),
    ],
)
def test_the_header_settles_a_delimiter_the_rows_leave_in_doubt(sample, delimiter):
    assert reading._sniff_delimiter(sample) == delimiter


def test_blank_rows_are_skipped_and_row_numbers_are_those_of_the_file():
    table, rows = read("blank_rows_ok.csv")
    assert table.headers == HEADERS
    assert [number for number, _ in rows] == [3, 6, 8]


def test_empty_columns_after_the_last_heading_are_dropped():
    table, rows = read("trailing_separators_ok.csv")
    assert table.headers == HEADERS
    assert len(rows[0][1]) == 11  # the validator accepts blank cells past the header


def test_a_value_longer_than_the_csv_limit_is_a_file_problem(tmp_path):
    path = tmp_path / "holders.csv"
    path.write_text('Name,Amount\nA,1\n"B' + "x" * 200_000 + ",2\n", encoding="utf-8")
    table = open_table(path, max_bytes=LIMIT)
    with pytest.raises(FileProblem, match="Row 3 has a value longer than 131,072 characters"):
        list(table.rows)


def test_any_other_csv_error_is_reported_with_its_row():
    message = reading._csv_error(7, "line contains something odd")
    assert message.startswith("Row 7 cannot be read as CSV (line contains something odd)")


def test_close_releases_the_file_before_the_rows_are_used_up():
    table = open_table(FILES / "good.csv", max_bytes=LIMIT)
    assert next(table.rows)[0] == 2
    table.close()
    assert list(table.rows) == []


def test_a_workbook_is_read_as_excel_shows_it():
    table, rows = read("good.xlsx")
    assert (table.format, table.encoding, table.delimiter) == ("xlsx", None, None)
    assert table.headers == [*HEADERS[:2], *HEADERS[3:6], "Units", "Email", "As of"]
    cede = ["Cede & Co.", "55 Water Street", "New York", "NY", "10041", "1000000", ""]
    mary = ["Mary T. Garcia", "12 Elm St", "Hartford", "CT", "06103", "250"]
    harbor = ["Harbor Insurance Company", "1 Harbor Plaza", "Stamford", "CT", "06901-1234"]
    assert rows == [
        (2, [*cede, "2025-06-30"]),
        (3, [*mary, "mary.garcia@mail.example.com", "2025-06-30"]),
        # Row 4 is empty. Formatted 00000-0000, 69011234 shows as a ZIP+4 code.
        (5, [*harbor, "25000.5", "", "2025-06-30 09:30:00"]),
        # A formatted but empty cell far to the right is not data; short rows are padded.
        (6, ["Trailing Format Only", "9 Union Sq", "Wilmington", "DE", "19801", "0.1", "", ""]),
    ]


def test_a_workbook_zip_without_its_zero_format_has_lost_the_leading_zero():
    _, rows = read("xlsx_zip_lost_leading_zero.xlsx")
    assert rows[0][1][4] == "6103"
    # A float of 0.1 + 0.2 shows as 0.3 in Excel and is read so.
    assert rows[1][1][4:] == ["02108", "0.3"]


def _workbook_with(extra: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with (
        zipfile.ZipFile(FILES / "good.xlsx") as source,
        zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item, source.read(item.filename))
        for name, data in extra.items():
            target.writestr(name, data)
    return buffer.getvalue()


def test_a_workbook_that_expands_far_beyond_the_limit_is_refused(tmp_path):
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(_workbook_with({"xl/media/padding.bin": b"\0" * 2_000_000}))
    size = path.stat().st_size
    with pytest.raises(FileProblem, match=r"The Excel workbook expands to 1\.9 MB"):
        open_table(path, max_bytes=size)
    assert len(list(open_table(path, max_bytes=size * 100).rows)) == 4


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("data", "phrase"),
    [
        (_zip({"xl/workbook.bin": b"x"}), "a binary Excel workbook (.xlsb)"),
        (_zip({"word/document.xml": b"<w/>"}), "a Word document"),
        (b"PK\x03\x04" + b"\x00" * 64, "a damaged zip archive"),
    ],
)
def test_other_zip_files_are_not_workbooks(tmp_path, data, phrase):
    path = tmp_path / "upload"
    path.write_bytes(data)
    with pytest.raises(FileProblem, match="not a CSV or Excel file") as caught:
        open_table(path, max_bytes=LIMIT)
    assert phrase in str(caught.value)


def test_a_workbook_openpyxl_cannot_open_is_damaged(tmp_path):
    path = tmp_path / "holders.xlsx"
    path.write_bytes(_zip({"xl/workbook.xml": b"<not a workbook"}))
    with pytest.raises(FileProblem, match=r"damaged and cannot be read\. Ask the Guarantor"):
        open_table(path, max_bytes=LIMIT)


def test_a_table_without_a_file_behind_it_closes_quietly():
    RawTable("csv", "utf-8", ",", ["Name"], iter([]), None).close()


def test_a_workbook_is_recognised_by_its_content_not_its_name(tmp_path):
    path = tmp_path / "holders.csv"
    path.write_bytes((FILES / "good.xlsx").read_bytes())
    assert open_table(path, max_bytes=LIMIT).format == "xlsx"


def _cell(value, number_format="General"):
    return SimpleNamespace(value=value, number_format=number_format)


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        (_cell(None), ""),
        (_cell("  text "), "  text "),
        (_cell(True), "TRUE"),
        (_cell(False), "FALSE"),
        (_cell(1000), "1000"),
        (_cell(1000.0), "1000"),
        (_cell(25000.5), "25000.5"),
        (_cell(0.1 + 0.2), "0.3"),
        (_cell(1e20), "100000000000000000000"),
        (_cell(123456789012.34), "123456789012.34"),
        (_cell(6103, "00000"), "06103"),
        (_cell(6103.0, "00000"), "06103"),
        (_cell(61031234, "00000\\-0000"), "06103-1234"),
        (_cell(61031234, '00000"-"0000'), "06103-1234"),
        (_cell(123456, "00000"), "123456"),  # too long for its format: as it is
        (_cell(-5, "00000"), "-5"),
        (_cell(5, "0.00"), "5"),
        (_cell(5, None), "5"),
        (_cell(date(2025, 6, 30)), "2025-06-30"),
        (_cell(datetime(2025, 6, 30)), "2025-06-30"),
        (_cell(datetime(2025, 6, 30, 9, 30)), "2025-06-30 09:30:00"),
        (_cell(time(9, 30)), "09:30:00"),
        (_cell(timedelta(hours=1)), "1:00:00"),
    ],
)
def test_a_cell_reads_as_excel_displays_it(cell, text):
    assert reading._cell_text(cell) == text


# -- fuzz: anything uploaded ends in rows, a FileProblem or a ColumnProblem ------------------


@pytest.fixture(scope="module")
def upload_path(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz") / "upload"


def _read_and_validate(path: Path) -> None:
    """What the intake does with an upload; only FileProblem and ColumnProblem may escape."""
    try:
        table = open_table(path, max_bytes=LIMIT)
        validator = RowValidator(resolve_columns(table.headers))
        for row_number, cells in table.rows:
            validator.check(row_number, cells)
        assert validator.problem_count + validator.count >= 0
    except (FileProblem, ColumnProblem) as problem:
        assert str(problem)


_PREFIXES = st.sampled_from(
    [b"", b"PK\x03\x04", b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff", b"%PDF", b"\x1f\x8b"]
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(prefix=_PREFIXES, data=st.binary(max_size=3000))
def test_arbitrary_bytes_are_read_or_refused_with_a_file_problem(upload_path, prefix, data):
    upload_path.write_bytes(prefix + data)
    _read_and_validate(upload_path)


_HEADER_LINES = st.sampled_from(
    [
        "name,address,city,state,zip,amount",
        "Holder Name;Street;Town;ST;Postcode;Units;Country;Email;Guarantor Affiliate",
        "name\taddress\tcity\tcountry\tamount",
        "",
    ]
)
_CELLS = st.text(alphabet=st.sampled_from(list(" ,;\t|\"'\n\r$-.()@0123456789aZé€ß")), max_size=60)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    header=_HEADER_LINES,
    body=st.lists(st.one_of(_CELLS, st.text(max_size=40)), max_size=12),
    encoding=st.sampled_from(["utf-8", "latin-1", "utf-16", "utf-8-sig"]),
)
def test_arbitrary_text_is_read_or_refused_with_a_file_problem(upload_path, header, body, encoding):
    text = "\n".join([header, *body])
    upload_path.write_bytes(text.encode(encoding, errors="replace"))
    _read_and_validate(upload_path)


@settings(max_examples=50, deadline=None)
@given(cut=st.integers(min_value=1, max_value=5000))
def test_a_workbook_cut_anywhere_is_refused_or_read(upload_path, cut):
    data = (FILES / "good.xlsx").read_bytes()
    upload_path.write_bytes(data[: min(cut, len(data) - 1)])
    _read_and_validate(upload_path)
