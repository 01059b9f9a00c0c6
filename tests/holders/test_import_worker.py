"""A List of Holders imported by a real Celery worker, over Redis, into PostgreSQL."""

import io
import time
from datetime import date

import pytest

from holders.intake import holder_list_receive
from holders.models import Holder, HolderList
from tests.holders.helpers import HEADER, rows


@pytest.fixture
def shared_media(settings, tmp_path, monkeypatch):
    # The worker is another process: it finds the file through the same MEDIA_ROOT.
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path))
    return tmp_path


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_an_upload_is_imported_by_the_worker_on_the_imports_queue(shared_media, security, worker):
    holder_list = holder_list_receive(
        security=security,
        as_of=date(2026, 2, 10),
        received_on=date(2026, 2, 15),
        source="guarantor",
        file=io.BytesIO((HEADER + rows(50)).encode()),
        file_name="list.csv",
        by=None,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        holder_list.refresh_from_db()
        if holder_list.status in ("imported", "failed"):
            break
        time.sleep(0.2)
    assert holder_list.status == HolderList.Status.IMPORTED, holder_list.error
    assert Holder.objects.filter(holder_list=holder_list).count() == 50
