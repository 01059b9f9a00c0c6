"""Every malformed file under tests/holders/files, uploaded through the admin as an officer
would: refused with a clear message, no holder stored, and no error page anywhere."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from config.celery import app
from holders.models import Holder, HolderList
from tests.holders.validation_helpers import FILES

pytestmark = pytest.mark.django_db
GOOD = {"good.csv", "good.xlsx", "mapping_needed.csv"}
BAD = sorted(p.name for p in FILES.iterdir() if p.name not in GOOD and "_ok" not in p.name)


def test_there_are_at_least_thirty_malformed_holder_files():
    assert len(BAD) >= 30, BAD


@pytest.mark.parametrize("name", BAD)
def test_a_malformed_file_is_refused_in_the_admin_with_nothing_stored(
    name, security, admin_client, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile(name, (FILES / name).read_bytes())
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
    assert response.status_code in (200, 302), response.status_code
    assert not Holder.objects.exists()
    holder_list = HolderList.objects.first()
    if holder_list is None:
        # Refused on the form itself (empty, too big, not a table): the form says why.
        assert response.status_code == 200
        assert b"errorlist" in response.content or b"errornote" in response.content
        return
    assert holder_list.status == HolderList.Status.FAILED, (name, holder_list.status)
    said = holder_list.error or " ".join(p["message"] for p in holder_list.list_problems)
    assert said or holder_list.problem_count, name
    page = admin_client.get(f"/admin/holders/holderlist/{holder_list.pk}/change/")
    assert page.status_code == 200
    if holder_list.problem_count:
        problems = admin_client.get(f"/admin/holders/holderlist/{holder_list.pk}/problems.csv")
        assert problems.status_code == 200 and problems.content.count(b"\n") >= 2
