"""The letters of an approved notice printed by a real Celery worker over Redis."""

import time

import pypdf
import pytest

from notices.models import Notice
from tests.holders.helpers import imported
from tests.notices.helpers import default_notice_approved, register


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_worker_prints_the_letters_after_the_approval(security, trustee_bank, request):
    imported(security, register(25))
    # Started after the autouse fixture put this test's MEDIA_ROOT in the environment.
    request.getfixturevalue("worker")
    notice = default_notice_approved(security, "The March 1 distribution was not paid.")
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        notice.refresh_from_db()
        if notice.letters_status not in (Notice.Letters.PENDING, Notice.Letters.PREPARING):
            break
        time.sleep(0.3)
    assert notice.letters_status == Notice.Letters.READY, notice.letters_error
    assert notice.letters_count == 25
    assert len(pypdf.PdfReader(notice.letters_file.path).pages) == notice.letters_pages == 25
