"""The compiled row checks (holders/native/fastrows.c through holders.fastrows) against the
reference (holders.reading and holders.validation).

What must hold: whatever file the scanner takes, the reference takes too, with the same COPY
lines, count and totals (to the Decimal exponent); whatever file the reference refuses, the
scanner doubts. The scanner may doubt a good file (the import then goes the reference way),
but must not doubt the files Guarantors send every day, or it would be no faster.
"""

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from bench.holders_data import write_holder_csv
from holders import fastrows, reading, validation
from holders.writers import copy_line

PREFIX = "7\t3\t"
LIMIT = 1 << 30


@dataclass(frozen=True)
class Taken:
    lines: tuple[str, ...]
    count: int
    total: str
    excluded: str


def reference(path):
    """What the reference way would write, or "refused"."""
    try:
        table = reading.open_table(path, max_bytes=LIMIT)
        columns = validation.resolve_columns(table.headers)
        validator = validation.RowValidator(columns)
        lines, excluded = [], Decimal(0)
        for row, cells in table.rows:
            holder = validator.check(row, cells)
            if holder is not None:
                lines.append(copy_line(PREFIX, holder))
                if holder.is_guarantor_affiliate or holder.is_trustee_affiliate:
                    excluded += holder.amount
    except (reading.FileProblem, validation.ColumnProblem):
        return "refused"
    if validator.problem_count or not validator.count:
        return "refused"
    return Taken(tuple(sorted(lines)), validator.count, str(validator.total), str(excluded))


def compiled(path, block=fastrows.BLOCK):
    """What the compiled way writes, "doubt", or "refused" before it starts (the file or its
    columns; the import refuses those before either way reads a row)."""
    try:
        table = reading.open_table(path, max_bytes=LIMIT)
        columns = validation.resolve_columns(table.headers)
    except (reading.FileProblem, validation.ColumnProblem):
        return "refused"
    if not fastrows.eligible(table):
        return "doubt"
    chunks, lines = [], []
    try:
        scanned = fastrows.scan(
            path,
            table,
            columns,
            prefix=PREFIX,
            write=chunks.append,
            write_holder=lambda holder: lines.append(copy_line(PREFIX, holder)),
            block=block,
        )
    except fastrows.Doubt:
        return "doubt"
    finally:
        table.close()
    text = b"".join(chunks).decode("ascii")
    lines += [line + "\n" for line in text.split("\n")[:-1]]
    return Taken(tuple(sorted(lines)), scanned.count, str(scanned.total), str(scanned.excluded))


def test_the_library_is_built():
    # CI builds it (make install-dev); without it every import is slow and no test says so.
    assert fastrows.available(), f"{fastrows.LIBRARY} is missing: run make install-dev"


def test_a_registrars_file_is_taken_whole_by_the_scanner_and_written_as_the_reference_would(
    tmp_path,
):
    path = tmp_path / "holders.csv"
    total = write_holder_csv(path, 20_000, seed=3)
    taken = compiled(path, block=64 * 1024)
    assert isinstance(taken, Taken)
    assert taken == reference(path)
    assert (taken.count, Decimal(taken.total)) == (20_000, total)


def test_rows_the_scanner_leaves_are_checked_by_the_reference_in_the_same_import(tmp_path):
    path = tmp_path / "mixed.csv"
    path.write_text(
        "Name,Address,City,State,ZIP,Country,Amount,Trustee affiliate\r\n"
        "Ann Lee,1 Main St,Hartford,CT,06103,,1000,\r\n"
        'José Núñez,2 Elm St,Hartford,Connecticut,06103-1234,,"1,000.50",no\r\n'
        "Bo Chan,3 Oak Ave,London,,EC2V 7HH,United Kingdom,$250.5,Y\r\n"
        '"Cy\nDee",4 Elm St,Boston,MA,02110,US,.5,x\r\n'
        "Di Fox,5 Elm St,Boston,ma,021101234,us,7,TRUE\r\n",
        encoding="utf-8",
    )
    taken = compiled(path)
    assert taken == reference(path)
    assert taken.count == 5
    # Sums with the most decimals any amount has, as Decimal adds them.
    assert (taken.total, taken.excluded) == ("2258.50", "258.0")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252", "latin-1"])
def test_other_encodings_read_the_same(tmp_path, encoding):
    path = tmp_path / "holders.csv"
    path.write_bytes(
        "Name,Address,City,State,ZIP,Amount\r\nRenée Côté,1 Rue,Albany,NY,12207,10\r\n"
        "Al Bo,2 Main St,Albany,NY,12207,20\r\n".encode(encoding)
    )
    taken = compiled(path)
    assert isinstance(taken, Taken) and taken == reference(path)


@pytest.mark.parametrize(
    "body",
    [
        # A problem on the last row: the scanner stops, the reference names it.
        "Ann Lee,1 Main St,Hartford,CT,06103,10\nBo Chan,2 Main St,Hartford,CT,06103,-5\n",
        # The same holder twice, once as the scanner reads it and once as the reference does.
        'Ann Lee,1 Main St,Hartford,CT,06103,10\n"Ann  LEE\t",1 Main St,Hartford,CT,06103,5\n',
        # Twice, both plain.
        "Ann Lee,1 Main St,Hartford,CT,06103,10\nann lee,1 main st,Hartford,CT,06103,5\n",
        # Text after a closing quotation mark, which the csv module refuses.
        'Ann Lee,1 Main St,Hartford,CT,06103,10\n"Bo" Chan,2 Main St,Hartford,CT,06103,5\n',
        # A quoted value never closed.
        'Ann Lee,1 Main St,Hartford,CT,06103,10\n"Bo Chan,2 Main St,Hartford,CT,06103,5\n',
    ],
)
def test_a_file_the_reference_refuses_is_never_taken_by_the_scanner(tmp_path, body):
    path = tmp_path / "bad.csv"
    path.write_text("Name,Address,City,State,ZIP,Amount\n" + body, encoding="utf-8")
    assert reference(path) == "refused"
    assert compiled(path) == "doubt"


def test_a_row_longer_than_the_scanner_reads_is_left_to_the_reference(tmp_path):
    # Cells within the csv module's limit, a row over the scanner's: it is not read again
    # and again from its start while the file comes in, and the reference says what is wrong.
    path = tmp_path / "long.csv"
    cells = ",".join(["y" * 100_000] * 12)
    path.write_text(
        f"Name,Address,City,State,ZIP,Amount\nAnn Lee,1 Main St,Hartford,CT,06103,1\n{cells}\n"
    )
    assert compiled(path, block=64 * 1024) == "doubt"
    assert reference(path) == "refused"


# -- any file ----------------------------------------------------------------------------------

# Each field's values: the first few good, the rest each wrong, or odd, in some way.
VALUES = {
    "name": [
        "Ann Lee",
        "O'Brien \\ Sons",
        'The "Trust"',
        "  Bo   Chan ",
        "José Núñez",
        "",
        "x" * 200,
        "x" * 201,
        "Ann\tLee",
        "Ann\nLee",
        "\xa0Ann",
        "Cede & Co.",
        "Lee\x1f",
        "ANN LEE",
    ],
    "address_1": [
        "1 Main St",
        "Apt 2\\B",
        "2  Oak  Ave",
        "",
        "Rue Saint-Honoré",
        "1 Main St\r\nRear",
        " 1 main st",
    ],
    "address_2": ["", "Suite 4", "", "Étage 2", "x\ty"],
    "city": ["Hartford", "New York", "x" * 100, "", "x" * 101, "São Paulo"],
    "state": ["NY", "ny", "CT", "Ny", "New York", "ZZ", "", "ON", "x" * 51, "D.C.", "pr"],
    "postal_code": [
        "06103",
        "06103-1234",
        "061031234",
        "06103 1234",
        "6103",
        "ABCDE",
        "",
        "EC2V 7HH",
        "x" * 21,
        "061O3",
        "\uff10\uff16\uff11\uff10\uff13",
    ],
    "country": ["", "US", "us", "GB", "gb", "ca", "United Kingdom", "ZZ", "Canada", "U.S.A."],
    "email": [
        "",
        "a@b.com",
        "a.b+c@mail.example-1.org",
        "bad",
        "a@b",
        "a@b.c",
        "a@-x.com",
        "ü@x.com",
        "a b@x.com",
        "a@b_c.com",
        "a@x.co1",
        "@x.com",
        "a@@x.com",
        "a@" + "x" * 64 + ".com",
        "x" * 250 + "@x.com",
        "a@x.com.",
        "A_1@X.COM",
    ],
    "amount": [
        "100",
        "1,000.50",
        "$25",
        "US$ 5",
        ".5",
        "5.",
        "0007.50",
        "1.500",
        "0",
        "0.00",
        "-5",
        "(5)",
        "1.005",
        "12,34",
        "1.000,50",
        "99999999999999999",
        "9999999999999999.99",
        "10000000000000000",
        "NaN",
        "",
        "1e3",
        ".",
        "$",
        "1,0000",
        "+5",
        "5-",
        "00.01",
        "1,234,567.8",
        "٣",
        "$$5",
        "US$$5",
    ],
    "guarantor_affiliate": ["", "Y", "no", "TRUE", "x", "maybe", "Yes ", "1", "\uff59"],
    "trustee_affiliate": ["", "n", "X", "true", "0", "si", "N o"],
}
GOOD = {
    "name": 4,
    "address_1": 3,
    "address_2": 3,
    "city": 3,
    "state": 3,
    "postal_code": 4,
    "country": 6,
    "email": 3,
    "amount": 8,
    "guarantor_affiliate": 5,
    "trustee_affiliate": 5,
}
CELL = st.text(st.sampled_from('ab A1,;|"\t\n\r\\.@$-é\xa0'), max_size=8)
HEADERS = {
    "name": "Holder Name",
    "address_1": "Address 1",
    "address_2": "Address 2",
    "city": "City",
    "state": "State",
    "postal_code": "ZIP",
    "country": "Country",
    "email": "Email",
    "amount": "Amount",
    "guarantor_affiliate": "Guarantor affiliate",
    "trustee_affiliate": "Trustee affiliate",
}


@st.composite
def _value(draw, field, number, odd):
    """A cell: one of the field's good values, or `odd` times in a hundred any value or text."""
    kind = draw(st.integers(0, 199))
    if kind < odd:
        value = draw(CELL)
    elif kind < 2 * odd:
        value = draw(st.sampled_from(VALUES[field]))
    else:
        value = draw(st.sampled_from(VALUES[field][: GOOD[field]]))
    if field == "name" and kind >= odd:
        value = f"{value} {number}"  # holders differ, unless a row is repeated on purpose
    return value


@st.composite
def holders_files(draw):
    optional = ["address_2", "country", "email", "guarantor_affiliate", "trustee_affiliate"]
    fields = ["name", "address_1", "city", "state", "postal_code", "amount"]
    fields += [field for field in optional if draw(st.booleans())]
    fields = draw(st.permutations(fields))
    rows = []
    # Most files are clean; some have a few odd cells, some many.
    odd = draw(st.sampled_from([0, 0, 0, 2, 10, 40]))
    for number in range(draw(st.integers(1, 12))):
        row = [draw(_value(field, number, odd)) for field in fields]
        if odd and draw(st.integers(0, 19)) == 0:
            row = row[: draw(st.integers(0, len(row)))] + draw(st.lists(CELL, max_size=2))
        rows.append(row)
        if odd and draw(st.integers(0, 19)) == 0:
            rows.append(draw(st.sampled_from(rows)))  # a holder twice
        if draw(st.integers(0, 14)) == 0:
            rows.append(draw(st.sampled_from([[], [""], ["  ", ""]])))  # a blank line
    delimiter = draw(st.sampled_from(",;|\t"))
    ending = draw(st.sampled_from(["\r\n", "\n", "\r"]))
    quoting = draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator=ending, quoting=quoting)
    writer.writerow([HEADERS[field] for field in fields])
    writer.writerows(rows)
    text = out.getvalue()
    if draw(st.booleans()):
        text = text.removesuffix(ending)  # no line break after the last row
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "latin-1"]))
    data = text.encode(encoding, errors="replace")
    if odd and draw(st.integers(0, 9)) == 0:
        # A byte dropped or changed somewhere: files arrive damaged.
        at = draw(st.integers(0, len(data)))
        data = data[:at] + draw(st.sampled_from([b"", b'"', b"\x00", b",", b"\r"])) + data[at + 1 :]
    return data


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=holders_files(), block=st.sampled_from([1, 2, 5, 64, fastrows.BLOCK]))
def test_the_scanner_takes_only_what_the_reference_takes_and_writes_the_same(tmp_path, data, block):
    path = tmp_path / "any.csv"
    path.write_bytes(data)
    taken = compiled(path, block=block)
    event(taken if isinstance(taken, str) else "taken")
    if isinstance(taken, Taken):
        assert taken == reference(path)


def test_the_system_check_is_quiet_with_the_library_built_and_says_so_without(settings):
    from django.core.checks import run_checks

    assert not [m for m in run_checks(tags=["holders"]) if m.id == "holders.W001"]
    fastrows._library.cache_clear()
    original = fastrows.LIBRARY
    try:
        fastrows.LIBRARY = original.with_name("not-built.so")
        assert [m.id for m in run_checks(tags=["holders"])] == ["holders.W001"]
        settings.TRUSTDESK_COMPILED_ROW_CHECKS = False
        assert run_checks(tags=["holders"]) == []
    finally:
        fastrows.LIBRARY = original
        fastrows._library.cache_clear()
    assert fastrows.available()
