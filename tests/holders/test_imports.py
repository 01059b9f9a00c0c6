"""Importing a List of Holders through its public surface: the service and the command."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from holders.imports import import_holder_list
from holders.models import Holder, HolderList, ListProblem
from tests.holders.helpers import HEADER, imported, receive, rows

pytestmark = pytest.mark.django_db


def test_a_good_list_is_stored_with_its_totals_and_checksum(security):
    holder_list, outcome = imported(security, HEADER + rows(50))
    assert outcome.status == "imported"
    assert (holder_list.status, holder_list.row_count) == ("imported", 50)
    assert holder_list.total_amount == Decimal(5000)
    assert holder_list.rows_done == 50
    assert len(holder_list.sha256) == 64 and holder_list.size_bytes > 0
    first = Holder.objects.get(holder_list=holder_list, row_number=2)
    assert (first.name, first.city, first.state, first.postal_code) == (
        "Holder 0",
        "Hartford",
        "CT",
        "06000",
    )
    assert first.security == security


def test_a_bad_last_row_leaves_nothing_and_names_the_row(security):
    holder_list, outcome = imported(
        security, HEADER + rows(49) + "Last One,1 Elm,Hartford,CT,06001,-5\n"
    )
    assert outcome.status == "failed"
    assert not Holder.objects.filter(holder_list=holder_list).exists()
    problem = ListProblem.objects.get(holder_list=holder_list)
    assert (problem.row, problem.field) == (51, "amount")
    assert holder_list.problem_count == 1


def test_an_as_of_date_outside_the_window_is_refused_citing_the_clause(security):
    holder_list, _ = imported(security, HEADER + rows(50), as_of=date(2026, 1, 30))
    assert holder_list.status == "failed"
    assert any("2.2(a)" in p["message"] for p in holder_list.list_problems)
    assert not Holder.objects.exists()


def test_a_total_mismatch_is_refused_until_a_responsible_officer_overrides_it(security):
    holder_list, _ = imported(security, HEADER + rows(40))
    assert holder_list.status == "failed"
    [problem] = holder_list.list_problems
    assert problem["code"] == "total_mismatch" and problem["overridable"]
    HolderList.objects.filter(pk=holder_list.pk).update(
        total_override_reason="Guarantor confirms 1,000 held in a suspense account",
        status="pending",
    )
    import_holder_list(holder_list.pk)
    holder_list.refresh_from_db()
    assert holder_list.status == "imported"
    assert holder_list.row_count == 40
    assert holder_list.list_problems[0]["code"] == "total_mismatch"  # kept on record


def test_a_list_identical_to_the_previous_one_is_flagged(security):
    first, _ = imported(security, HEADER + rows(50))
    reordered = HEADER + "".join(reversed(rows(50).splitlines(keepends=True)))
    second, _ = imported(security, reordered, as_of=date(2026, 8, 10), received=date(2026, 8, 14))
    assert second.status == "imported"
    assert second.identical_to == first


def test_importing_twice_imports_once(security):
    holder_list, _ = imported(security, HEADER + rows(50))
    again = import_holder_list(holder_list.pk)
    assert again.status == "imported" and again.message == "Nothing to import."
    assert Holder.objects.filter(holder_list=holder_list).count() == 50


@pytest.mark.parametrize(
    ("content", "phrase"),
    [
        ("", "empty"),
        (HEADER, "no holders"),
        ("Name,City\nA,B\n", "amount"),
    ],
)
def test_whole_file_problems_are_explained(security, content, phrase):
    holder_list, _ = imported(security, content)
    assert holder_list.status == "failed"
    assert phrase in holder_list.error.lower()
    assert not Holder.objects.exists()


def test_a_latin1_file_is_read_right(security):
    text = HEADER + rows(49) + "Müller José,1 Straße,Hartford,CT,06001,100\n"
    holder_list, _ = imported(security, text, encoding="latin-1")
    assert holder_list.status == "imported"
    assert Holder.objects.filter(name="Müller José").exists()


def test_the_column_mapping_is_used_and_remembered_for_the_guarantor(security):
    text = "Registered Owner,Street,City,ST,Zip,Position\n" + rows(50)
    mapping = {"name": "Registered Owner", "amount": "Position"}
    holder_list, _ = imported(security, text, mapping=mapping)
    assert holder_list.status == "imported"
    later = receive(security, text, as_of=date(2026, 8, 10), received=date(2026, 8, 14))
    assert later.column_mapping == mapping


def test_the_command_imports_and_reports(security, tmp_path):
    path = tmp_path / "list.csv"
    path.write_text(HEADER + rows(50))
    out = io.StringIO()
    call_command(
        "import_holders",
        str(path),
        "--security",
        str(security.pk),
        "--as-of",
        "2026-02-10",
        "--received",
        "2026-02-15",
        stdout=out,
    )
    assert "50 holders, total 5,000.00" in out.getvalue()
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + rows(49) + "X,1 Elm,Hartford,CT,06001,abc\n")
    with pytest.raises(CommandError, match="row 51, amount"):
        call_command(
            "import_holders",
            str(bad),
            "--security",
            str(security.pk),
            "--as-of",
            "2026-02-10",
            "--received",
            "2026-02-15",
            stdout=io.StringIO(),
        )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--security", "999999"], "No security"),
        (["--map", "nameRegistered"], "FIELD=HEADER"),
    ],
)
def test_the_command_refuses_bad_arguments(security, tmp_path, args, message):
    path = tmp_path / "list.csv"
    path.write_text(HEADER + rows(2))
    base = ["--security", str(security.pk), "--as-of", "2026-02-10", "--received", "2026-02-15"]
    merged = base + args if args[0] != "--security" else args + base[2:]
    with pytest.raises(CommandError, match=message):
        call_command("import_holders", str(path), *merged, stdout=io.StringIO())


def test_dates_are_checked_at_receipt(security):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="after the list was received"):
        receive(security, HEADER, as_of=date(2026, 2, 16), received=date(2026, 2, 15))
    with pytest.raises(ValidationError, match="future"):
        receive(security, HEADER, as_of=date(2026, 2, 1), received=date(2099, 1, 1))


def test_values_with_tabs_backslashes_and_line_breaks_are_stored_exactly(security):
    text = (
        "Name,Address 1,Address 2,City,State,Zip,Amount\n"
        + rows(48).replace(",Hartford,", ",,Hartford,")
        + '"Tab\tName","1 Back\\\\slash St","Suite 2",Hartford,CT,06001,100\n'
        + '"Plain",2 Elm,"",Hartford,CT,06002,100\n'
    )
    holder_list, _ = imported(security, text)
    assert holder_list.status == "imported", holder_list.error or list(holder_list.problems.all())
    tricky = Holder.objects.get(holder_list=holder_list, row_number=50)
    assert tricky.name == "Tab\tName"
    assert tricky.address_lines == "1 Back\\\\slash St\nSuite 2"
    assert tricky.city == "Hartford"
    assert Holder.objects.get(holder_list=holder_list, row_number=51).name == "Plain"
