"""The agreement and officers of the deliverables workflow tests."""

import pytest

from tests.factories import make_agreement, make_officer, make_terms, with_guarantor
from trustee.models import (
    NoticeAddress,
    OfficerAssignment,
)


@pytest.fixture
def officers():
    users = make_officer("maker").user, make_officer("checker").user
    for user in users:
        user.email = f"{user.username}@bank.example"
        user.save(update_fields=["email"])
    return users


@pytest.fixture
def agreement(officers):
    """A guarantee whose terms give the certificate's date: fiscal year ending December 31,
    certificate within 120 days after it; a Guarantor with a §8.3 notice address."""
    agreement = make_agreement()
    make_terms(agreement, fiscal_year_end="12-31", compliance_certificate_days=120)
    guarantor = with_guarantor(agreement)
    NoticeAddress.objects.create(
        agreement=agreement,
        party=guarantor,
        address_lines="1 Main Street",
        city="Hartford",
        state="CT",
        postal_code="06115",
        attention="Treasurer",
        email="treasurer@guarantor.example",
        section="8.3",
    )
    for officer, role in zip(officers, ("primary", "backup"), strict=True):
        OfficerAssignment.objects.create(
            agreement=agreement, officer=officer.trust_officer, role=role
        )
    return agreement
