"""The trustee's eligibility (trustee/workflows/standing.py): one report of condition checked
against every agreement, each against its own §4.1(a); a shortfall flags exactly the
agreements whose requirement the bank misses: the trustee must resign (§4.1(b))."""

from datetime import date
from decimal import Decimal

import pytest

from tests.factories import make_agreement, make_officer, make_terms
from trustee.models import EligibilityResult, WorkflowStep
from trustee.obligations import TransitionRefused
from trustee.roles import RoleRefused
from trustee.workflows import standing

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)


@pytest.fixture
def officer():
    return make_officer("eligibility").user


@pytest.fixture
def agreements(officer):
    """Three agreements asking 50 and 100 million, and 50 million with a top-3 rating."""
    made = {}
    for name, values in (
        ("fifty", {"min_capital_surplus": Decimal("50000000")}),
        ("hundred", {"min_capital_surplus": Decimal("100000000")}),
        ("rated", {"min_capital_surplus": Decimal("50000000"), "rating_categories": 3}),
    ):
        agreement = make_agreement(short_name=f"{name} guarantee")
        make_terms(agreement, **values)
        standing.affiliation_record(
            agreement=agreement,
            is_affiliate=False,
            note="No common control.",
            by=officer,
            today=TODAY,
        )
        made[name] = agreement
    return made


def enter(officer, capital="75000000", rating=2, report=date(2026, 9, 30), today=TODAY):
    return standing.bank_condition_enter(
        report_date=report,
        capital_surplus=Decimal(capital),
        charter="state_bank",
        rating_category=rating,
        source_reference="Call Report, Schedule RC",
        by=officer,
        today=today,
    )


def states(condition):
    return {
        r.agreement.short_name.split()[0]: r.state
        for r in EligibilityResult.objects.filter(condition=condition).select_related("agreement")
    }


def test_75_million_passes_a_50_million_minimum_and_fails_a_100_million_one(officer, agreements):
    condition = enter(officer)
    counts = standing.eligibility_check(condition_id=condition.pk, by=officer, today=TODAY)
    assert states(condition) == {"fifty": "eligible", "hundred": "ineligible", "rated": "eligible"}
    assert counts["ineligible"] == 1
    assert list(standing.flagged_agreements()) == [agreements["hundred"]]
    failed = EligibilityResult.objects.get(condition=condition, agreement=agreements["hundred"])
    assert failed.reasons[0] == (
        "Fails §4.1(a)(ii): combined capital and surplus of $75,000,000.00 (report of condition "
        "of 2026-09-30) is $25,000,000.00 short of the $100,000,000.00 minimum."
    )
    step = WorkflowStep.objects.get(workflow="eligibility", case_id=failed.pk)
    assert step.notify and "The trustee must resign (§4.1(b))." in step.comment
    assert not WorkflowStep.objects.filter(
        workflow="eligibility", notify=True, agreement=agreements["fifty"]
    ).exists()
    condition.refresh_from_db()
    assert condition.state == "checked" and condition.checked_on == TODAY


def test_a_rating_below_the_agreements_categories_flags_only_that_agreement(officer, agreements):
    condition = enter(officer, capital="150000000", rating=4)
    standing.eligibility_check(condition_id=condition.pk, by=officer, today=TODAY)
    assert states(condition) == {"fifty": "eligible", "hundred": "eligible", "rated": "ineligible"}


def test_checking_again_writes_nothing_new_and_a_new_report_supersedes(officer, agreements):
    first = enter(officer)
    standing.eligibility_check(condition_id=first.pk, by=officer, today=TODAY)
    steps = WorkflowStep.objects.filter(workflow="eligibility").count()
    standing.eligibility_check(condition_id=first.pk, by=officer, today=TODAY)
    assert WorkflowStep.objects.filter(workflow="eligibility").count() == steps
    # The next quarter's report: capital grew; the sweep checks it on its own.
    second = enter(officer, capital="120000000", report=date(2026, 12, 31), today=date(2027, 2, 1))
    assert standing.sweep(today=date(2027, 2, 1))["eligibility_checked"] == 1
    assert standing.sweep(today=date(2027, 2, 1))["eligibility_checked"] == 0
    assert set(states(first).values()) == {"superseded"}
    assert set(states(second).values()) == {"eligible"}
    assert not standing.flagged_agreements().exists()


def test_an_older_report_entered_late_does_not_replace_the_newer_one(officer, agreements):
    newer = enter(officer, capital="120000000", report=date(2026, 12, 31), today=date(2027, 2, 1))
    standing.eligibility_check(condition_id=newer.pk, by=officer, today=date(2027, 2, 1))
    older = enter(officer, capital="1", report=date(2026, 6, 30))
    standing.eligibility_check(condition_id=older.pk, by=officer, today=TODAY)
    assert set(states(older).values()) == {"superseded"}
    assert set(states(newer).values()) == {"eligible"}


def test_an_affiliation_recorded_later_checks_the_agreement_again(officer, agreements):
    condition = enter(officer)
    standing.eligibility_check(condition_id=condition.pk, by=officer, today=TODAY)
    standing.affiliation_record(
        agreement=agreements["fifty"],
        is_affiliate=True,
        note="The Guarantor acquired 30% of the bank's holding company.",
        by=officer,
        today=TODAY,
    )
    result = EligibilityResult.objects.get(condition=condition, agreement=agreements["fifty"])
    assert result.state == "ineligible"
    assert result.reasons[0] == "Fails §4.1(a)(i): the bank is an Affiliate of the Guarantor."
    steps = WorkflowStep.objects.filter(workflow="eligibility", case_id=result.pk).order_by("pk")
    assert steps.values_list("old_state", "new_state").last() == ("eligible", "ineligible")


def test_an_unrecorded_affiliation_leaves_the_result_incomplete(officer):
    agreement = make_agreement()
    make_terms(agreement)
    condition = enter(officer)
    standing.eligibility_check(condition_id=condition.pk, by=officer, today=TODAY)
    result = EligibilityResult.objects.get(agreement=agreement)
    assert result.state == "incomplete"
    assert any(r.startswith("Unknown §4.1(a)(i)") for r in result.reasons)


def test_a_responsible_officer_records_the_resignation_started(officer, agreements):
    preparer = make_officer("ta", responsible=False).user
    condition = enter(officer)
    standing.eligibility_check(condition_id=condition.pk, by=officer, today=TODAY)
    failed = EligibilityResult.objects.get(condition=condition, agreement=agreements["hundred"])
    with pytest.raises(RoleRefused):
        standing.eligibility_resign(result_id=failed.pk, by=preparer, note="x")
    with pytest.raises(TransitionRefused) as refused:
        standing.eligibility_resign(result_id=failed.pk, by=officer, note=" ")
    assert "note" in refused.value.message_dict
    standing.eligibility_resign(
        result_id=failed.pk, by=officer, note="Resignation delivered to the Guarantor (§4.2)."
    )
    failed.refresh_from_db()
    assert failed.state == "resigning"
    passed = EligibilityResult.objects.get(condition=condition, agreement=agreements["fifty"])
    with pytest.raises(TransitionRefused, match="Cannot go from"):
        standing.eligibility_resign(result_id=passed.pk, by=officer, note="x")


def test_bad_figures_are_refused_naming_the_field(officer):
    with pytest.raises(TransitionRefused) as refused:
        standing.bank_condition_enter(
            report_date=date(2027, 1, 1),
            capital_surplus="lots",
            charter="credit_union",
            rating_category=0,
            source_reference="",
            by=officer,
            today=TODAY,
        )
    assert set(refused.value.message_dict) == {
        "report_date",
        "capital_surplus",
        "charter",
        "rating_category",
        "source_reference",
    }


def test_a_changed_term_checked_again_notes_the_new_reasons_without_a_new_state(
    officer, agreements
):
    condition = enter(officer)
    standing.eligibility_check(condition_id=condition.pk, by=officer, today=TODAY)
    terms = agreements["fifty"].terms
    terms.min_capital_surplus = Decimal("60000000")
    terms.save()
    standing.eligibility_check(condition_id=condition.pk, by=None, today=TODAY)
    result = EligibilityResult.objects.get(condition=condition, agreement=agreements["fifty"])
    last = WorkflowStep.objects.filter(workflow="eligibility", case_id=result.pk).order_by("pk")
    assert result.state == "eligible"
    assert last.last().comment.startswith("Checked again")
    assert "at least $60,000,000.00" in last.last().comment
    assert last.last().by is None
