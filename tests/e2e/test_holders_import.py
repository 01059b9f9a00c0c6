"""A holders file imported through the admin's form: a real Celery worker imports it over
Redis, and the officer sees the progress and then the result."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone
from playwright.sync_api import expect

from holders.models import Holder, HolderList
from tests.e2e.helpers import log_in, reload_until
from tests.factories import make_officer
from tests.holders.helpers import HEADER, rows

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]

ROWS = 50  # of 100 each: the 5,000 outstanding of the `security` fixture


@pytest.fixture
def shared_media(settings, monkeypatch):
    # The worker is another process: it finds the uploaded file through the same MEDIA_ROOT.
    monkeypatch.setenv("MEDIA_ROOT", str(settings.MEDIA_ROOT))


def test_an_officer_imports_a_holders_file_and_sees_progress_and_result(
    page, screens, security, shared_media, request
):
    make_officer("importer")
    request.getfixturevalue("worker")  # after the test database is set up: it uses it
    today = timezone.localdate()
    log_in(page, "importer", screens)
    page.get_by_role("link", name="Holder lists").first.click()
    screens.take("holder lists")
    page.get_by_role("link", name="Add holder list").click()

    page.get_by_label("Security").select_option(label=str(security))
    page.get_by_label("Source").select_option(label="Delivered by the Guarantor")
    page.get_by_label("As of").fill((today - timedelta(days=5)).isoformat())
    page.get_by_label("Received on").fill(today.isoformat())
    page.get_by_label("File:", exact=True).set_input_files(
        {
            "name": "holders.csv",
            "mimeType": "text/csv",
            "buffer": (HEADER + rows(ROWS)).encode(),
        }
    )
    screens.take("upload form")

    # Holding a share lock on the holders' table keeps the worker's writing waiting: the list
    # is seen while it is being imported, whatever the speed of the machine.
    with transaction.atomic():
        with connection.cursor() as cursor:
            table = connection.ops.quote_name(Holder._meta.db_table)
            cursor.execute(f"LOCK TABLE {table} IN SHARE MODE")
        page.get_by_role("button", name="Save", exact=True).click()
        expect(page.locator(".messagelist")).to_contain_text("was added successfully")
        screens.take("added")
        page.get_by_role("link", name=str(security), exact=True).click()
        reload_until(page, f"0 of about {ROWS} rows")  # the progress, while importing
        expect(page.locator(".field-status")).to_contain_text("Importing")
        screens.take("importing")
    reload_until(page, "5,000.00")  # the total, once the import is done
    expect(page.locator(".field-status")).to_contain_text("Imported")
    expect(page.locator(".field-row_count").last).to_contain_text(str(ROWS))
    expect(page.get_by_role("link", name="its holders")).to_be_visible()
    screens.take("imported")
    page.get_by_role("link", name="its holders").click()
    expect(page.locator("body")).to_contain_text(f"Holder {ROWS - 1}")
    screens.take("its holders")
    holder_list = HolderList.objects.get()
    assert holder_list.status == HolderList.Status.IMPORTED, holder_list.error
    assert holder_list.row_count == ROWS
