"""The audit trail (trustee/audit.py): every change of the tracked models, bulk updates
included, with who made it, in tables that refuse to be rewritten; shown in the admin."""

import io
from datetime import date

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from django.db.utils import ProgrammingError

from tests.factories import make_officer
from trustee.models import Agreement, Obligation
from trustee.obligations import materialize

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


@pytest.fixture
def hartford():
    call_command("load_demo", holders=3, stdout=io.StringIO())
    materialize(today=date(2026, 11, 22))
    return Agreement.objects.get(slug="hartford-capital-iii")


def test_a_bulk_update_is_in_the_trail_row_by_row(hartford):
    ObligationHistory = apps.get_model("trustee", "ObligationHistory")

    rows = Obligation.objects.filter(agreement=hartford, kind="holder_list")
    count = rows.count()
    assert count >= 2
    before = ObligationHistory.objects.filter(pgh_label="update").count()
    assert rows.update(section="2.2(a) as amended") == count  # one UPDATE, no save(), no signal
    updated = ObligationHistory.objects.filter(pgh_label="update").order_by("-pgh_id")[:count]
    assert ObligationHistory.objects.filter(pgh_label="update").count() == before + count
    assert {e.section for e in updated} == {"2.2(a) as amended"}
    assert {e.pgh_obj_id for e in updated} == set(rows.values_list("pk", flat=True))


def test_the_trail_cannot_be_rewritten(hartford):
    AgreementHistory = apps.get_model("trustee", "AgreementHistory")
    event = AgreementHistory.objects.filter(pgh_obj=hartford).first()
    assert event is not None and event.pgh_label == "insert"
    for statement in ("UPDATE", "DELETE"):
        with (
            pytest.raises(ProgrammingError, match="Cannot update or delete"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            table = AgreementHistory._meta.db_table
            sql = (
                f"UPDATE {table} SET short_name = 'x'"
                if statement == "UPDATE"
                else (f"DELETE FROM {table}")
            )
            cursor.execute(f"{sql} WHERE pgh_id = %s", [event.pgh_id])
    assert AgreementHistory.objects.get(pgh_id=event.pgh_id).short_name == hartford.short_name


def test_changes_made_in_the_admin_name_the_officer_and_show_in_the_events_page(hartford, client):
    officer = make_officer("auditee", superuser=True)
    client.force_login(officer.user)
    today = date.today()
    response = client.post(
        "/admin/trustee/defaultcase/add/",
        {
            "agreement": hartford.pk,
            "occurred_on": today.replace(day=1).isoformat(),
            "is_payment_default": "on",
            "description": "Distribution not paid.",
        },
    )
    assert response.status_code == 302, response.content.decode()[:1500]
    DefaultCaseHistory = apps.get_model("trustee", "DefaultCaseHistory")
    inserted = DefaultCaseHistory.objects.filter(pgh_label="insert").latest("pgh_id")
    assert inserted.pgh_context.metadata["user"] == officer.user.pk
    assert inserted.pgh_context.metadata["url"] == "/admin/trustee/defaultcase/add/"
    events = client.get("/admin/pghistory/events/")
    assert events.status_code == 200 and b"defaultcase" in events.content.lower()


def test_the_per_row_functions_take_no_subtransaction_and_still_work(hartford):
    """trustee.audit replaces the two functions every tracked row calls: no EXCEPTION block
    (a subtransaction per row), the same behaviour: pgtrigger.ignore skips the event, and
    outside it the event is written."""
    import pgtrigger

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT proname, prosrc FROM pg_proc "
            "WHERE proname IN ('_pgh_attach_context', '_pgtrigger_should_ignore')"
        )
        sources = dict(cursor.fetchall())
    assert set(sources) == {"_pgh_attach_context", "_pgtrigger_should_ignore"}
    assert not any("EXCEPTION" in source.upper() for source in sources.values())
    AgreementHistory = apps.get_model("trustee", "AgreementHistory")
    before = AgreementHistory.objects.filter(pgh_obj=hartford).count()
    with pgtrigger.ignore("trustee.Agreement:update_update"):
        Agreement.objects.filter(pk=hartford.pk).update(governing_law="Delaware")
    assert AgreementHistory.objects.filter(pgh_obj=hartford).count() == before
    Agreement.objects.filter(pk=hartford.pk).update(governing_law="New York")
    assert AgreementHistory.objects.filter(pgh_obj=hartford).count() == before + 1
