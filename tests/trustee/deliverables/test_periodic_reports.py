"""Periodic reports (§2.4) through the services and the sweep, with time travel
(trustee/workflows/deliverables.py)."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from tests.trustee.deliverables.helpers import PDF, states, sweep_days
from trustee.models import (
    PeriodicReport,
)
from trustee.workflows import deliverables as flows

pytestmark = pytest.mark.django_db


def test_a_periodic_report_received_is_filed_by_an_officer(agreement, officers):
    maker, checker = officers
    report = flows.periodic_report_record(
        agreement=agreement,
        kind="annual",
        period_end=date(2026, 12, 31),
        received_on=date(2027, 3, 1),
        file=b"<html>Form 10-K</html>",
        file_name="10-K.htm",
        by=maker,
        today=date(2027, 3, 2),
    )
    assert report.state == "received" and report.document.content_type == "text/html"
    with pytest.raises(ValidationError) as refusal:
        flows.periodic_report_record(
            agreement=agreement,
            kind="annual",
            period_end=date(2026, 12, 31),
            received_on=date(2027, 3, 1),
            file=PDF,
            file_name="again.pdf",
            by=maker,
            today=date(2027, 3, 2),
        )
    assert "period_end" in refusal.value.message_dict
    flows.periodic_report_file(case_id=report.pk, by=checker, note="Read.", today=date(2027, 3, 3))
    report.refresh_from_db()
    assert (report.state, report.filed_by, report.filed_on) == ("filed", checker, date(2027, 3, 3))
    assert states(report, "periodic_report") == ["received", "filed"]


def test_a_periodic_report_expected_and_late_is_escalated_until_it_comes(
    agreement, officers, settings
):
    settings.TRUSTDESK_ESCALATE_EVERY_DAYS = {"list_request": 7, "periodic_report": 5}
    maker, checker = officers
    report = flows.periodic_report_expect(
        agreement=agreement,
        kind="quarterly",
        period_end=date(2027, 3, 31),
        due_on=date(2027, 5, 15),
        basis="Filed with the SEC on May 1 (EDGAR).",
        by=maker,
        today=date(2027, 5, 2),
    )
    done = sweep_days(date(2027, 5, 10), date(2027, 5, 26))
    late = [day for day, d in done.items() if d["periodic_reports_late"]]
    assert late == [date(2027, 5, 16), date(2027, 5, 21), date(2027, 5, 26)]
    report.refresh_from_db()
    assert report.state == "late" and report.escalations == 3
    flows.periodic_report_receive(
        case_id=report.pk,
        file=PDF,
        file_name="10-Q.pdf",
        received_on=date(2027, 5, 27),
        by=maker,
        today=date(2027, 5, 27),
    )
    assert not flows.sweep(today=date(2027, 6, 30))["periodic_reports_late"]
    flows.periodic_report_file(case_id=report.pk, by=checker, today=date(2027, 5, 28))
    report.refresh_from_db()
    assert report.state == "filed"
    assert states(report, "periodic_report") == [
        "expected",
        "late",
        "late",
        "late",
        "received",
        "filed",
    ]
    with pytest.raises(ValidationError) as refusal:
        flows.periodic_report_expect(
            agreement=agreement,
            kind="current",
            period_end=date(2027, 3, 31),
            due_on=date(2027, 3, 1),
            basis="x",
            by=maker,
        )
    assert "due_on" in refusal.value.message_dict
    assert PeriodicReport.objects.count() == 1
