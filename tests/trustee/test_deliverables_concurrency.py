"""Two sweeps at once (two beats, two workers): each certificate is opened once, goes late
once, is escalated once and gets one chase letter."""

import threading
from datetime import date

import pytest
from django.db import connection
from django.db.models import Count

from notices.models import Notice
from tests.factories import make_agreement, make_terms, with_guarantor
from trustee.models import ComplianceCertificate, WorkflowStep
from trustee.obligations import materialize
from trustee.workflows import deliverables as flows

AGREEMENTS = 12


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_open_chase_and_escalate_each_certificate_once():
    for n in range(AGREEMENTS):
        agreement = make_agreement(slug=f"certificates-{n}")
        make_terms(agreement, fiscal_year_end="12-31", compliance_certificate_days=90)
        with_guarantor(agreement)
    materialize(today=date(2027, 1, 1))
    errors, results = [], []
    barrier = threading.Barrier(2)

    def sweep():
        try:
            barrier.wait()
            # The day after the certificates for 2026 fell due (March 31, 2027): opened and
            # late in the same run, as after downtime.
            results.append(flows.sweep(today=date(2027, 4, 1)))
        except Exception as error:  # reported below: the test is that there are none
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert ComplianceCertificate.objects.count() == AGREEMENTS
    assert sum(r["certificates_opened"] for r in results) == AGREEMENTS
    assert sum(r["certificates_late"] for r in results) == AGREEMENTS
    assert set(ComplianceCertificate.objects.values_list("state", "escalations")) == {("late", 1)}
    assert Notice.objects.filter(kind="certificate_chase").count() == AGREEMENTS
    late_steps = (
        WorkflowStep.objects.filter(workflow="certificate", new_state="late")
        .values("case_id")
        .annotate(n=Count("id"))
    )
    assert {row["n"] for row in late_steps} == {1} and len(late_steps) == AGREEMENTS
    # And a third run the same day does nothing more.
    assert flows.sweep(today=date(2027, 4, 1)) == {
        "certificates_opened": 0,
        "certificates_late": 0,
        "officers_certificates_late": 0,
        "periodic_reports_late": 0,
    }
