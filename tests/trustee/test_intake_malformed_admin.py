"""Every malformed agreement text (tests/trustee/exhibits/files) uploaded through the admin:
the form says why, nothing is stored, no error page."""

from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import make_officer
from trustee.models import Agreement, AgreementSource

pytestmark = pytest.mark.django_db
FILES = Path(__file__).parent / "exhibits" / "files"


@pytest.mark.parametrize("name", sorted(p.name for p in FILES.iterdir()))
def test_a_malformed_exhibit_is_refused_on_the_upload_form(name, client):
    client.force_login(make_officer("intake", superuser=True).user)
    upload = SimpleUploadedFile(name, (FILES / name).read_bytes(), "text/plain")
    response = client.post(reverse("admin:trustee_agreementsource_add"), {"file": upload})
    assert response.status_code == 200
    page = response.content.decode()
    assert "errorlist" in page
    assert any(word in page for word in ("empty", "binary", "not look like an agreement"))
    assert not AgreementSource.objects.exists() and not Agreement.objects.exists()
