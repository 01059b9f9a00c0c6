from decimal import Decimal

import pytest

from tests.factories import make_agreement, make_security, make_terms, with_guarantor


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def security():
    agreement = make_agreement()
    make_terms(agreement)  # as-of window 15 days
    with_guarantor(agreement)
    return make_security(
        agreement,
        unit_amount=Decimal(100),
        aggregate_amount=Decimal(5000),
        amount_outstanding=Decimal(5000),
    )
