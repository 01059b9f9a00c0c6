"""What the import does differently to be fast, and that it still says the same things.

The import no longer hashes every holder on the way in (a list can only repeat an earlier one
with as many holders and the same total), sums the affiliates' holdings as the rows go by,
and, for a list at least as large as the table, builds the search index on names after the
load instead of row by row (holders/index_rebuild.py)."""

import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection, transaction

from holders import index_rebuild
from holders.imports import import_holder_list, stored_fingerprint
from holders.list_checks import content_fingerprint
from holders.models import Holder, HolderList
from holders.votes import list_totals_refresh
from tests.holders.helpers import HEADER, imported, receive, rows

pytestmark = pytest.mark.django_db

# The officer's search index (holders/migrations/0004_search.py): the index that is rebuilt.
NAME_INDEX = importlib.import_module("holders.migrations.0004_search").INDEX
AUGUST = {"as_of": date(2026, 8, 10), "received": date(2026, 8, 14)}


def test_a_different_list_with_the_same_count_and_total_is_not_flagged_identical(security):
    first, _ = imported(security, HEADER + rows(50))
    # Same 50 holders and 5,000 in all, but one has moved to another street.
    moved = rows(50).replace("7 Main Street", "7 Elm Street")
    second, _ = imported(security, HEADER + moved, **AUGUST)
    assert second.status == "imported"
    assert second.identical_to is None
    # Both were fingerprinted to tell them apart, and the fingerprints were kept.
    first.refresh_from_db()
    assert first.fingerprint and second.fingerprint
    assert first.fingerprint != second.fingerprint


def test_a_repeated_list_is_flagged_by_the_fingerprint_of_its_content(security):
    first, _ = imported(security, HEADER + rows(50))
    # Nothing could repeat the first list of a security: it was not hashed on the way in.
    assert first.fingerprint == ""
    # The same holders in another order and in capitals: the same list.
    shouted = HEADER + "".join(reversed(rows(50).upper().splitlines(keepends=True)))
    second, _ = imported(security, shouted, **AUGUST)
    first.refresh_from_db()
    assert second.identical_to == first
    assert second.fingerprint == first.fingerprint
    # The fingerprint is content_fingerprint's, of the holders as the file gave them.
    stored = Holder.objects.filter(holder_list=first).order_by("row_number")
    assert first.fingerprint == content_fingerprint(_rows(stored))
    assert stored_fingerprint(second.pk) == second.fingerprint


def test_a_list_with_different_holdings_is_not_fingerprinted(security):
    imported(security, HEADER + rows(50))
    second, _ = imported(security, HEADER + rows(40, amount=125), **AUGUST)
    assert second.status == "imported"
    assert (second.identical_to, second.fingerprint) == (None, "")


def test_the_affiliates_holdings_are_summed_as_the_rows_go_by(security, tmp_path):
    text = (
        "Name,Address,City,State,Zip,Amount,Guarantor Affiliate,Trustee Affiliate\n"
        "Hartford Life Insurance Co,1 Hartford Plaza,Hartford,CT,06155,1000,Yes,\n"
        "Wilmington Trust Nominee,1100 N Market St,Wilmington,DE,19890,500,n,X\n"
        "Jane Roe,5 Oak Ave,Albany,NY,12207,3500,,no\n"
    )
    holder_list, outcome = imported(security, text)
    assert outcome.status == "imported", outcome.message
    assert (holder_list.eligible_amount, holder_list.excluded_amount) == (
        Decimal(3500),
        Decimal(1500),
    )
    # The same figures as the aggregate over the stored rows that keeps them current.
    list_totals_refresh(holder_list.pk)
    holder_list.refresh_from_db()
    assert (holder_list.eligible_amount, holder_list.excluded_amount) == (
        Decimal(3500),
        Decimal(1500),
    )


# -- the search index, built after the load --------------------------------------------------


def _plain_indexes():
    """The holders table's indexes but the primary key, and whether each is valid."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname, i.indisvalid FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE i.indrelid = 'holders_holder'::regclass "
            "AND NOT i.indisprimary ORDER BY c.relname"
        )
        return cursor.fetchall()


ROW_UNIQUE = "holder_row_unique_per_list"


@pytest.mark.postgres
def test_the_name_index_is_there_after_an_import_that_rebuilt_it(security):
    before = _plain_indexes()
    assert (NAME_INDEX, True) in before
    _, outcome = imported(security, HEADER + rows(50))
    assert outcome.status == "imported"
    assert _plain_indexes() == before
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM holders_holder WHERE upper(name) COLLATE \"C\" >= 'HOLDER 7'"
        )
        plan = " ".join(line for (line,) in cursor.fetchall())
    assert NAME_INDEX in plan


@pytest.mark.postgres
def test_a_refused_import_leaves_the_indexes_as_they_were(security):
    before = _plain_indexes()
    _, outcome = imported(security, HEADER + rows(49) + "Last One,1 Elm,Hartford,CT,06001,-5\n")
    assert outcome.status == "failed"
    assert _plain_indexes() == before
    assert not Holder.objects.exists()


@pytest.mark.postgres
def test_indexes_are_dropped_only_for_a_list_as_large_as_the_table(security):
    imported(security, HEADER + rows(50))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE holders_holder")
    with transaction.atomic():
        assert index_rebuild.drop_for_load(10) == []
        assert (NAME_INDEX, True) in _plain_indexes()
        before = _plain_indexes()
        assert before == [(NAME_INDEX, True), (ROW_UNIQUE, True)]
        dropped = index_rebuild.drop_for_load(50)
        assert [index.name for index in dropped] == [NAME_INDEX, ROW_UNIQUE]
        assert _plain_indexes() == []
        index_rebuild.restore(dropped)
        assert _plain_indexes() == before


@pytest.mark.postgres
def test_a_row_number_twice_in_a_list_cannot_be_committed_while_uniqueness_is_rebuilt(security):
    from django.db import IntegrityError

    imported(security, HEADER + rows(50))
    holder = Holder.objects.first()
    with pytest.raises(IntegrityError, match=ROW_UNIQUE), transaction.atomic():
        dropped = index_rebuild.drop_for_load(1_000)
        holder.pk = None
        holder.save()  # the same list and row number, which nothing stops while dropped
        index_rebuild.restore(dropped)
    assert Holder.objects.count() == 50
    assert (ROW_UNIQUE, True) in _plain_indexes()


def test_an_import_refused_for_its_total_stores_nothing_and_can_be_overridden(security):
    holder_list = receive(security, HEADER + rows(40))
    assert import_holder_list(holder_list.pk).status == "failed"
    assert not Holder.objects.exists()
    HolderList.objects.filter(pk=holder_list.pk).update(
        total_override_reason="1,000 held in a suspense account", status="pending"
    )
    assert import_holder_list(holder_list.pk).status == "imported"
    holder_list.refresh_from_db()
    assert (holder_list.eligible_amount, holder_list.excluded_amount) == (Decimal(4000), 0)


def _rows(holders):
    from holders.validation import HolderRow

    return [
        HolderRow(
            h.row_number,
            h.name,
            h.address_lines,
            h.city,
            h.state,
            h.postal_code,
            h.country,
            h.email,
            h.amount,
            h.is_guarantor_or_affiliate,
            h.is_trustee_or_affiliate,
        )
        for h in holders
    ]


# -- the compiled row checks (holders.fastrows) in an import ----------------------------------

COMPILED = "read, check and COPY (compiled)"


def _stored(holder_list):
    rows = Holder.objects.filter(holder_list=holder_list).order_by("row_number")
    return list(rows.values_list(*Holder.RECORD_FIELDS))


MIXED = (
    "Name,Address,Address 2,City,State,ZIP,Country,Amount,Guarantor affiliate\n"
    + rows(30).replace(",Hartford,", ",,Hartford,").replace(",100\n", ",,100,\n")
    + 'José Núñez,2 Elm St,Étage 3,Albany,New York,122071234,,"1,000.50",no\n'
    + "Bo Chan,3 Oak Ave,,London,,EC2V 7HH,United Kingdom,$250.5,Y\n"
    + "Di Fox,5 Elm St,Suite \\4,Boston,ma,02110 1234,us,.5,x\n"
)


@pytest.mark.postgres
def test_the_compiled_way_stores_what_the_python_way_stores(security, settings):
    security.amount_outstanding = Decimal("4251.50")
    security.save()
    compiled, outcome = imported(security, MIXED)
    assert outcome.status == "imported", (compiled.error, compiled.list_problems)
    assert COMPILED in outcome.phases
    settings.TRUSTDESK_COMPILED_ROW_CHECKS = False
    python, outcome = imported(security, MIXED, **AUGUST)
    assert outcome.status == "imported"
    assert COMPILED not in outcome.phases
    assert len(_stored(compiled)) == 33
    assert _stored(compiled) == _stored(python)
    for field in ("row_count", "total_amount", "eligible_amount", "excluded_amount"):
        assert getattr(compiled, field) == getattr(python, field), field
    assert compiled.excluded_amount == Decimal("251.00")


@pytest.mark.postgres
def test_a_holder_listed_twice_across_the_two_checkers_is_refused_with_both_rows(security):
    # Row 2 is plain; row 4, with a tab in its name, is left to the reference, which reads it
    # as the same holder. The scanner stops; the Python way names the rows.
    text = HEADER + rows(2) + '"Holder 0\t",0 Main Street,Hartford,CT,06000,100\n'
    holder_list, outcome = imported(security, text)
    assert outcome.status == "failed"
    assert [(p.row, p.field) for p in holder_list.problems.all()] == [(4, "name")]
    assert "Duplicate of row 2" in holder_list.problems.get().problem
    assert not Holder.objects.exists()
