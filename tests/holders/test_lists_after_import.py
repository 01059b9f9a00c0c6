"""What happens to lists after import: comparison, destruction, votes, exports, the admin."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from config.celery import app
from holders.comparison import compare_lists
from holders.exports import csv_text, safe_cell
from holders.models import Holder, HolderExport, HolderList, ListDestruction, Vote
from holders.retention import holder_list_destroy
from holders.votes import (
    holders_affiliation_set,
    solicitation_open,
    vote_count,
    vote_record,
)
from tests.factories import make_officer
from tests.holders.helpers import HEADER, imported, rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_lists(security):
    before, _ = imported(security, HEADER + rows(50))
    changed = rows(48).replace("Holder 3,3 Main Street", "Holder 3,99 Elm Street")
    changed = changed.replace(
        "Holder 5,5 Main Street,Hartford,CT,06005,100",
        "Holder 5,5 Main Street,Hartford,CT,06005,200",
    )
    changed += "Newcomer,1 New Road,Hartford,CT,06999,100\n"
    after, _ = imported(
        security, HEADER + changed, as_of=date(2026, 8, 10), received=date(2026, 8, 14)
    )
    assert (before.status, after.status) == ("imported", "imported")
    return before, after


def test_comparison_names_who_came_went_and_changed(two_lists):
    before, after = two_lists
    changes = {(c.kind, c.name): c for c in compare_lists(before, after)}
    assert set(changes) == {
        ("added", "Newcomer"),
        ("changed", "Holder 3"),
        ("changed", "Holder 5"),
        ("removed", "Holder 48"),
        ("removed", "Holder 49"),
    }
    assert changes[("changed", "Holder 3")].what == "address"
    assert changes[("changed", "Holder 5")].what == "amount"
    assert changes[("changed", "Holder 5")].before_amount == Decimal(100)


def test_the_comparison_page_and_its_csv(two_lists, admin_client):
    _, after = two_lists
    page = admin_client.get(f"/admin/holders/holderlist/{after.pk}/compare/")
    assert page.status_code == 200
    assert "1 added, 2 changed, 2 removed" in page.content.decode()
    download = admin_client.get(f"/admin/holders/holderlist/{after.pk}/compare/?format=csv")
    records = list(csv.reader(io.StringIO(download.content.decode())))
    assert records[0][0] == "change" and len(records) == 6


def test_destroying_a_superseded_list_keeps_the_record(two_lists):
    before, after = two_lists
    officer = make_officer("keeper")
    with pytest.raises(ValidationError, match="latest list"):
        holder_list_destroy(list_id=after.pk, by=officer.user, reason="tidy")
    with pytest.raises(ValidationError, match="reason"):
        holder_list_destroy(list_id=before.pk, by=officer.user, reason=" ")
    holder_list_destroy(list_id=before.pk, by=officer.user, reason="§2.2(a): superseded")
    before.refresh_from_db()
    assert before.status == HolderList.Status.DESTROYED
    assert not Holder.objects.filter(holder_list=before).exists()
    record = ListDestruction.objects.get(holder_list=before)
    assert (record.row_count, record.sha256, record.superseded_by) == (50, before.sha256, after)
    assert record.destroyed_by == officer.user
    with pytest.raises(ValidationError, match="Only an imported list"):
        holder_list_destroy(list_id=before.pk, by=officer.user, reason="again")


def test_a_list_votes_were_counted_against_is_kept(two_lists):
    before, _ = two_lists
    officer = make_officer("clerk")
    solicitation_open(
        record_list=before,
        kind="waiver",
        description="Waive the covenant default",
        opened_on=date(2026, 3, 1),
        by=officer.user,
    )
    with pytest.raises(ValidationError, match="Votes were counted"):
        holder_list_destroy(list_id=before.pk, by=officer.user, reason="superseded")


def test_the_vote_count_leaves_out_affiliates_and_applies_the_majority(security):
    holder_list, _ = imported(security, HEADER + rows(50))
    officer = make_officer("counter")
    solicitation = solicitation_open(
        record_list=holder_list,
        kind="waiver",
        description="Waive",
        opened_on=date(2026, 3, 1),
        by=officer.user,
    )
    holders = list(Holder.objects.filter(holder_list=holder_list).order_by("row_number"))
    # Ten holders (1,000 of 5,000) are the Guarantor's Affiliates: 4,000 is eligible.
    holders_affiliation_set(
        holder_list=holder_list, holder_ids=[h.pk for h in holders[:10]], guarantor=True
    )
    holders = list(Holder.objects.filter(holder_list=holder_list).order_by("row_number"))
    for holder in holders[:30]:  # 10 affiliates and 20 Holders (2,000) consent
        vote_record(
            solicitation=solicitation,
            holder=holder,
            response=Vote.Response.CONSENT,
            received_on=date(2026, 3, 5),
            by=officer.user,
        )
    count = vote_count(solicitation)
    assert (count.eligible, count.excluded, count.consenting) == (4000, 1000, 2000)
    assert count.percent == Decimal("50.0000") and not count.met  # more than 50% is needed
    vote_record(
        solicitation=solicitation,
        holder=holders[30],
        response=Vote.Response.CONSENT,
        received_on=date(2026, 3, 6),
        by=officer.user,
    )
    count = vote_count(solicitation)
    assert count.met and count.consenting == 2100
    assert "2,100.00 of 4,000.00" in count.explain("liquidation preference")
    vote_record(
        solicitation=solicitation,
        holder=holders[30],
        response=Vote.Response.OBJECT,
        received_on=date(2026, 3, 7),
        by=officer.user,
    )
    assert not vote_count(solicitation).met  # a changed response replaces the earlier one


def test_only_holders_on_the_record_list_may_vote(two_lists):
    before, after = two_lists
    officer = make_officer("checker")
    solicitation = solicitation_open(
        record_list=before,
        kind="amendment",
        description="Amend",
        opened_on=date(2026, 3, 1),
        by=officer.user,
    )
    stranger = Holder.objects.filter(holder_list=after).first()
    with pytest.raises(ValidationError, match="not on the record list"):
        vote_record(
            solicitation=solicitation,
            holder=stranger,
            response="consent",
            received_on=date(2026, 3, 2),
            by=officer.user,
        )


@pytest.mark.parametrize("cell", ["=1+1", "+cmd", "-2", "@SUM(A1)", "\tx"])
def test_exports_neutralise_formulas(cell):
    assert safe_cell(cell).startswith("'")
    assert csv_text(["h"], [[cell]]).splitlines()[1].startswith(("'", "\"'"))
    assert safe_cell("Smith") == "Smith" and safe_cell(None) == ""


def test_uploading_in_the_admin_queues_the_import_and_shows_the_result(
    security,
    admin_client,
    django_capture_on_commit_callbacks,
):
    upload = SimpleUploadedFile("list.csv", (HEADER + rows(50)).encode(), "text/csv")
    data = {
        "security": security.pk,
        "source": "guarantor",
        "as_of": "2026-02-10",
        "received_on": "2026-02-15",
        "file": upload,
    }
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            response = admin_client.post("/admin/holders/holderlist/add/", data)
    finally:
        app.conf.task_always_eager = eager
    assert response.status_code == 302
    holder_list = HolderList.objects.get()
    assert (holder_list.status, holder_list.row_count) == ("imported", 50)
    page = admin_client.get(f"/admin/holders/holderlist/{holder_list.pk}/change/").content.decode()
    assert "Imported" in page and "5,000.00" in page
    assert admin_client.get("/admin/holders/holder/?q=Holder 1").status_code == 200


def test_a_refused_list_shows_its_problems_and_offers_them_as_csv(security, admin_client):
    holder_list, _ = imported(
        security,
        HEADER + rows(48) + "=cmd,1 Elm,Hartford,CT,06001,0\n" + "Y,1 Elm,Hartford,ZZ,06001,50\n",
    )
    page = admin_client.get(f"/admin/holders/holderlist/{holder_list.pk}/change/").content.decode()
    assert "problem(s)" in page
    download = admin_client.get(f"/admin/holders/holderlist/{holder_list.pk}/problems.csv")
    records = list(csv.reader(io.StringIO(download.content.decode())))
    assert records[0] == ["row", "field", "problem"]
    assert {(r[0], r[1]) for r in records[1:]} >= {("50", "amount"), ("51", "state")}


def test_an_oversized_upload_is_refused_by_its_size(security, admin_client, settings):
    settings.TRUSTDESK_MAX_UPLOAD_BYTES = 1000
    upload = SimpleUploadedFile("big.csv", (HEADER + rows(50)).encode(), "text/csv")
    data = {
        "security": security.pk,
        "source": "guarantor",
        "as_of": "2026-02-10",
        "received_on": "2026-02-15",
        "file": upload,
    }
    response = admin_client.post("/admin/holders/holderlist/add/", data)
    assert response.status_code == 200
    assert "the largest accepted is" in response.content.decode()
    assert not HolderList.objects.exists()


def test_destroy_action_in_the_admin(two_lists, admin_client):
    before, _ = two_lists
    url = "/admin/holders/holderlist/"
    first = admin_client.post(
        url, {"action": "destroy_superseded", "_selected_action": [before.pk]}
    )
    assert "superseded by the list as of 2026-08-10" in first.content.decode()
    done = admin_client.post(
        url,
        {
            "action": "destroy_superseded",
            "_selected_action": [before.pk],
            "apply": "1",
            "text": "§2.2(a): superseded",
        },
        follow=True,
    )
    assert "destroyed; the record is kept" in done.content.decode()
    assert admin_client.get("/admin/holders/listdestruction/").status_code == 200


def test_marking_an_affiliate_after_it_voted_takes_its_vote_out_of_the_count(security):
    holder_list, _ = imported(security, HEADER + rows(50))
    officer = make_officer("late")
    solicitation = solicitation_open(
        record_list=holder_list,
        kind="direction",
        description="Direct",
        by=officer.user,
        opened_on=date(2026, 3, 1),
    )
    holders = list(Holder.objects.filter(holder_list=holder_list).order_by("row_number"))
    for holder in holders[:26]:
        vote_record(
            solicitation=solicitation,
            holder=holder,
            response="consent",
            received_on=date(2026, 3, 2),
            by=officer.user,
        )
    assert vote_count(solicitation).met  # 2,600 of 5,000
    holders_affiliation_set(holder_list=holder_list, holder_ids=[holders[0].pk], trustee=True)
    count = vote_count(solicitation)
    assert (count.eligible, count.consenting, count.excluded) == (4900, 2500, 100)
    assert count.met  # 2,500 of 4,900 is still more than half
    holders_affiliation_set(holder_list=holder_list, holder_ids=[holders[1].pk], guarantor=True)
    assert not vote_count(solicitation).met  # 2,400 of 4,800
    holders_affiliation_set(holder_list=holder_list, holder_ids=[holders[1].pk], guarantor=False)
    assert vote_count(solicitation).consenting == 2500


def test_the_retention_policy_destroys_superseded_lists_on_import(
    security, settings, django_capture_on_commit_callbacks
):
    settings.TRUSTDESK_DESTROY_SUPERSEDED_LISTS = True
    with django_capture_on_commit_callbacks(execute=True):
        first, _ = imported(security, HEADER + rows(50))
    assert first.status == "imported"  # nothing older to destroy
    with django_capture_on_commit_callbacks(execute=True):
        second, _ = imported(
            security,
            HEADER + rows(50, start=100),
            as_of=date(2026, 8, 10),
            received=date(2026, 8, 14),
        )
    first.refresh_from_db()
    assert (first.status, second.status) == ("destroyed", "imported")
    record = ListDestruction.objects.get(holder_list=first)
    assert record.destroyed_by is None and "Retention policy" in record.reason
    assert record.row_count == 50 and not Holder.objects.filter(holder_list=first).exists()


def test_a_list_is_exported_as_csv_with_formulas_neutralised(security, admin_client):
    holder_list, _ = imported(
        security, HEADER + rows(49) + "=HYPERLINK(1),1 Elm,Hartford,CT,06001,100\n"
    )
    response = admin_client.get(f"/admin/holders/holderlist/{holder_list.pk}/holders.csv")
    records = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert records[0][:3] == ["row", "name", "address"]
    assert len(records) == 51
    assert records[-1][1] == "'=HYPERLINK(1)"
    export = HolderExport.objects.get(holder_list=holder_list)
    assert (export.what, export.rows, export.by.username) == ("holders CSV", 50, "admin")


def _names_found(admin_client, term):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        page = admin_client.get("/admin/holders/holder/", {"q": term})
    assert page.status_code == 200
    return sorted(h.name for h in page.context["cl"].result_list), queries


def test_the_holder_admin_searches_the_start_of_names_and_postal_codes(security, admin_client):
    text = (
        HEADER
        + rows(46)
        + "".join(
            f"{name},{i} Elm St,Hartford,CT,0610{i},100\n"
            for i, name in enumerate(["Smith Ann", "SMITHERS BO", "Ann Smith", "Smíth Cy"])
        )
    )
    imported(security, text)
    found, queries = _names_found(admin_client, "smith")
    assert found == ["SMITHERS BO", "Smith Ann"]
    # The whole term, not each word anywhere: "ann smith" is one name's start.
    assert _names_found(admin_client, "  ann   SMITH ")[0] == ["Ann Smith"]
    # A digit: a ZIP code's start, or a name's.
    assert _names_found(admin_client, "06101")[0] == ["SMITHERS BO"]
    assert len(_names_found(admin_client, "Holder 4")[0]) == 7  # 4, 40 to 45
    if connection.vendor == "postgresql":
        # The names come from the officer's search index, not a scan of the table.
        listing = next(q["sql"] for q in queries if "ORDER BY" in q["sql"])
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {listing}")
            plan = " ".join(line for (line,) in cursor.fetchall())
        assert "holder_name_search" in plan
