"""An officer, and two guarantees in default, for the examiners' reports' tests."""

from datetime import date

import pytest

from tests.factories import (
    make_officer,
)
from tests.trustee.examiner_reports.helpers import guarantee, payment_default


@pytest.fixture
def officer():
    return make_officer("reyes").user


@pytest.fixture
def in_default(officer):
    alpha = guarantee("Alpha Capital I Guarantee", guarantor="Alpha Group, Inc.")
    beta = guarantee("Beta Capital II Guarantee", guarantor="Beta Corp.")
    payment_default(alpha, on=date(2026, 1, 5), by=officer)
    payment_default(
        beta,
        on=date(2026, 2, 2),
        by=officer,
        text='=HYPERLINK("http://example.com","click") and the interest of § 2.7',
    )
    return alpha, beta
