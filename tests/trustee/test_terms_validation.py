"""Model validation (full_clean) of terms, agreements and securities, and the date form fields."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from tests.factories import build_terms, make_agreement, make_security
from trustee.fields import MonthDayFormField, MonthDayListFormField
from trustee.models import Agreement, AgreementTerms, Security

HSB_LIKE = {
    "holder_list_dates": ["01-01", "07-01"],
    "holder_list_commencement": date(1998, 7, 1),
    "report_anchor": "05-15",
    "report_window_days": 60,
    "report_commencement": date(1998, 5, 15),
    "default_notice_days": 30,
    "cure_days": 90,
    "cure_runs_from": "default",
    "majority_percent": Decimal("50"),
    "majority_comparison": "at_least",
    "majority_basis": "liquidation_amount",
    "rating_categories": 3,
}


def refusal(obj, field):
    """full_clean() must refuse `obj`; return the messages for `field`, joined."""
    with pytest.raises(ValidationError) as info:
        obj.full_clean()
    errors = info.value.message_dict
    assert field in errors, f"no error for {field}; errors were {errors}"
    return " ".join(errors[field])


# -- Terms that agreements really state ---------------------------------------------------------


@pytest.mark.django_db
def test_hartford_like_terms_are_valid():
    terms = build_terms()
    terms.full_clean()
    terms.save()
    assert AgreementTerms.objects.get(pk=terms.pk).holder_list_dates == ["02-15", "08-15"]


@pytest.mark.django_db
def test_hsb_like_terms_are_valid():
    terms = build_terms(**HSB_LIKE)
    terms.full_clean()
    terms.save()
    saved = AgreementTerms.objects.get(pk=terms.pk)
    assert saved.holder_list_dates == ["01-01", "07-01"]
    assert saved.report_anchor == "05-15"
    assert saved.majority_comparison == "at_least"


@pytest.mark.django_db
def test_a_date_typed_in_words_is_stored_as_mm_dd():
    terms = build_terms(report_anchor="Jul. 1", fiscal_year_end="December 31")
    terms.compliance_certificate_days = 120
    terms.full_clean()
    assert (terms.report_anchor, terms.fiscal_year_end) == ("07-01", "12-31")


@pytest.mark.django_db
def test_majority_of_100_percent_is_accepted():
    build_terms(majority_percent=Decimal("100")).full_clean()


# -- Impossible terms ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_february_30_in_the_holder_list_dates_is_refused():
    message = refusal(build_terms(holder_list_dates=["02-30"]), "holder_list_dates")
    assert "February 30 does not exist: February has 28 days." in message


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("dates", "phrase"),
    [
        (["08-15", "02-15"], "Dates must be written MM-DD, in order."),
        (["2/15", "8/15"], "Dates must be written MM-DD, in order."),
        (["02-15", "02-15"], "February 15 is listed twice."),
        (["02-29"], "February 29 does not occur every year"),
    ],
)
def test_holder_list_dates_must_be_normalised_and_distinct(dates, phrase):
    assert phrase in refusal(build_terms(holder_list_dates=dates), "holder_list_dates")


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["report_anchor", "report_due"])
def test_february_30_as_a_report_date_is_refused(field):
    values = {"report_due": None, field: "02-30"}
    if field == "report_due":
        values.update(report_anchor=None, report_window_days=None)
    assert "February has 28 days" in refusal(build_terms(**values), field)


@pytest.mark.django_db
@pytest.mark.parametrize("field", AgreementTerms.DAY_FIELDS)
@pytest.mark.parametrize("days", [0, -5])
def test_a_day_field_below_one_day_is_refused(field, days):
    message = refusal(build_terms(**{field: days}), field)
    assert f"must be at least 1 day; {days} is not a period." in message


@pytest.mark.django_db
@pytest.mark.parametrize("field", AgreementTerms.DAY_FIELDS)
def test_a_date_typed_into_a_day_field_is_refused(field):
    message = refusal(build_terms(**{field: 20010215}), field)
    assert "is longer than any term of an agreement" in message


@pytest.mark.django_db
@pytest.mark.parametrize("percent", [Decimal("0"), Decimal("100.5")])
def test_an_impossible_majority_is_refused(percent):
    message = refusal(build_terms(majority_percent=percent), "majority_percent")
    assert f"must be more than 0% and at most 100%; {percent}% is not." in message


@pytest.mark.django_db
def test_zero_minimum_capital_is_refused():
    message = refusal(build_terms(min_capital_surplus=Decimal("0")), "min_capital_surplus")
    assert message == "Minimum capital and surplus must be a positive amount; 0 is not."


@pytest.mark.django_db
def test_an_absurd_minimum_capital_is_refused_not_a_crash():
    refusal(build_terms(min_capital_surplus=Decimal("1E+30")), "min_capital_surplus")


@pytest.mark.django_db
@pytest.mark.parametrize("rating", [0, 11])
def test_rating_categories_outside_1_to_10_are_refused(rating):
    message = refusal(build_terms(rating_categories=rating), "rating_categories")
    assert "Rating categories count from 1 (the highest) to 10." in message


@pytest.mark.django_db
def test_an_unknown_time_zone_is_refused():
    message = refusal(build_terms(time_zone="Mars/Olympus"), "time_zone")
    assert "“Mars/Olympus” is not a time zone" in message


@pytest.mark.django_db
def test_a_report_window_and_a_fixed_due_date_together_are_refused():
    message = refusal(build_terms(report_due="07-15"), "report_due")
    assert "not both" in message


@pytest.mark.django_db
def test_a_report_window_without_its_anchor_is_refused():
    message = refusal(build_terms(report_anchor=None), "report_anchor")
    assert "needs the date it runs from" in message


@pytest.mark.django_db
def test_cure_days_without_what_they_run_from_is_refused():
    message = refusal(build_terms(cure_runs_from=""), "cure_runs_from")
    assert message == "Needed with cure period (days)."


@pytest.mark.django_db
def test_what_the_cure_runs_from_without_cure_days_is_refused():
    message = refusal(build_terms(cure_days=None), "cure_days")
    assert message == "Needed with cure period runs from."


@pytest.mark.django_db
def test_a_majority_without_its_basis_is_refused():
    message = refusal(build_terms(majority_basis=""), "majority_basis")
    assert message == "Needed with majority threshold (%)."


@pytest.mark.django_db
def test_compliance_certificate_days_without_a_fiscal_year_end_is_refused():
    message = refusal(build_terms(compliance_certificate_days=120), "fiscal_year_end")
    assert message == "Needed with compliance certificate (days after fiscal year end)."


@pytest.mark.django_db
def test_a_commencement_not_on_a_list_date_is_refused():
    terms = build_terms(**{**HSB_LIKE, "holder_list_commencement": date(1998, 6, 30)})
    message = refusal(terms, "holder_list_commencement")
    assert message == "The first list must fall on one of the List of Holders dates."


@pytest.mark.django_db
def test_a_commencement_without_list_dates_is_refused():
    terms = build_terms(holder_list_dates=[], holder_list_commencement=date(1998, 7, 1))
    assert "needs the dates the lists are due" in refusal(terms, "holder_list_dates")


@pytest.mark.django_db
def test_an_as_of_window_longer_than_the_gap_between_lists_is_refused():
    terms = build_terms(holder_list_dates=["02-15", "02-25"], holder_list_as_of_days=15)
    message = refusal(terms, "holder_list_as_of_days")
    assert "The as-of window (15 days) is not shorter than the 10 days" in message


# -- Agreements ---------------------------------------------------------------------------------


def agreement(**values):
    defaults = {
        "kind": Agreement.Kind.GUARANTEE_AGREEMENT,
        "short_name": "Example Capital I Guarantee",
        "slug": "example-capital-i",
        "dated_as_of": date(2001, 10, 26),
    }
    return Agreement(**{**defaults, **values})


@pytest.mark.django_db
def test_a_terminated_agreement_needs_a_date_and_an_event():
    with pytest.raises(ValidationError) as info:
        agreement(status=Agreement.Status.TERMINATED).full_clean()
    errors = info.value.message_dict
    assert errors["terminated_on"] == ["A terminated agreement needs the date it ended."]
    assert errors["termination_event"] == ["Say what ended it (§7.1)."]


@pytest.mark.django_db
def test_an_active_agreement_with_a_termination_date_is_refused():
    message = refusal(agreement(terminated_on=date(2010, 1, 1)), "terminated_on")
    assert message == "An active agreement has no termination date."


@pytest.mark.django_db
def test_an_active_agreement_with_a_termination_event_is_refused():
    message = refusal(agreement(termination_event="Redemption in full"), "termination_event")
    assert message == "An active agreement has no termination event."


@pytest.mark.django_db
def test_an_agreement_cannot_end_before_it_is_dated():
    terminated = agreement(
        status=Agreement.Status.TERMINATED,
        terminated_on=date(2000, 1, 1),
        termination_event="Redemption in full",
    )
    assert refusal(terminated, "terminated_on") == "It cannot end before it is dated."


@pytest.mark.django_db
def test_a_terminated_agreement_with_date_and_event_is_valid():
    make_agreement(
        status=Agreement.Status.TERMINATED,
        terminated_on=date(2011, 3, 15),
        termination_event="Redemption in full",
    )
    assert Agreement.objects.filter(status="terminated").count() == 1


# -- Securities ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_security_with_a_real_cusip_is_saved_upper_case():
    security = make_security(cusip="17275r102")
    assert Security.objects.get(pk=security.pk).cusip == "17275R102"


@pytest.mark.django_db
def test_a_cusip_with_a_wrong_check_digit_is_refused():
    with pytest.raises(ValidationError) as info:
        make_security(cusip="037833101")
    assert info.value.message_dict["cusip"] == [
        "Check digit of CUSIP 037833101 should be 0: a character is mistyped."
    ]
    assert not Security.objects.exists()


@pytest.mark.django_db
def test_a_cusip_ending_in_a_superscript_is_refused_not_a_crash():
    with pytest.raises(ValidationError):
        make_security(cusip="03783310\u00b2")


@pytest.mark.django_db
def test_a_cusip_with_a_non_ascii_check_digit_is_refused():
    with pytest.raises(ValidationError):
        make_security(cusip="03783310\u0660")


@pytest.mark.django_db
def test_more_outstanding_than_issued_is_refused():
    with pytest.raises(ValidationError) as info:
        make_security(
            aggregate_amount=Decimal("575000000"), amount_outstanding=Decimal("600000000")
        )
    errors = info.value.message_dict
    assert errors["amount_outstanding"] == [
        "600,000,000 outstanding is more than the 575,000,000 issued."
    ]
    assert set(errors) == {"amount_outstanding"}


@pytest.mark.django_db
def test_a_unit_amount_without_its_basis_is_refused():
    with pytest.raises(ValidationError) as info:
        make_security(unit_basis="")
    assert "per-unit amount is a liquidation amount" in info.value.message_dict["unit_basis"][0]


@pytest.mark.django_db
def test_payment_dates_need_the_first_payment_date():
    with pytest.raises(ValidationError) as info:
        make_security(payment_dates=["03-01", "09-01"])
    assert info.value.message_dict["first_payment_date"] == [
        "Payment dates need the date the first one falls on."
    ]


@pytest.mark.django_db
def test_the_first_payment_must_fall_on_a_payment_date():
    with pytest.raises(ValidationError) as info:
        make_security(payment_dates=["03-01", "09-01"], first_payment_date=date(2004, 9, 15))
    assert info.value.message_dict["first_payment_date"] == [
        "The first payment date is not one of the payment dates."
    ]


@pytest.mark.django_db
def test_notes_with_payment_dates_and_first_payment_are_valid():
    notes = make_security(
        payment_dates=["03-01", "09-01"],
        first_payment_date=date(2004, 9, 1),
        issue_date=date(2004, 3, 9),
        maturity=date(2014, 3, 1),
    )
    assert Security.objects.get(pk=notes.pk).payment_dates == ["03-01", "09-01"]


@pytest.mark.django_db
@pytest.mark.parametrize("maturity", [date(2004, 3, 1), date(2004, 3, 9)])
def test_maturity_must_come_after_the_issue_date(maturity):
    with pytest.raises(ValidationError) as info:
        make_security(issue_date=date(2004, 3, 9), maturity=maturity)
    assert info.value.message_dict["maturity"] == ["Maturity must come after the issue date."]


# -- Form fields --------------------------------------------------------------------------------


def test_month_day_list_form_field_reads_words():
    field = MonthDayListFormField(required=False)
    assert field.clean("February 15 and August 15") == ["02-15", "08-15"]
    assert field.clean("Aug 15; Feb 15") == ["02-15", "08-15"]
    assert field.clean("") == []


def test_month_day_list_form_field_refuses_february_30():
    with pytest.raises(ValidationError) as info:
        MonthDayListFormField().clean("Feb 30")
    assert info.value.messages == ["February 30 does not exist: February has 28 days."]


def test_month_day_list_form_field_shows_stored_dates_in_words():
    field = MonthDayListFormField()
    assert field.prepare_value(["02-15", "08-15"]) == "February 15, August 15"
    assert field.prepare_value(["02-30"]) == "02-30"
    assert field.has_changed(["02-15", "08-15"], "February 15, August 15") is False
    assert field.has_changed(["02-15", "08-15"], "March 1, September 1") is True
    assert field.has_changed(["02-15"], "Feb 30") is True


def test_month_day_form_field_reads_an_abbreviation_with_a_period():
    field = MonthDayFormField(required=False)
    assert field.clean("Jul. 1") == "07-01"
    assert field.clean("") is None
    assert field.prepare_value("07-01") == "July 1"


def test_month_day_form_field_refuses_an_impossible_date():
    with pytest.raises(ValidationError) as info:
        MonthDayFormField().clean("April 31")
    assert info.value.messages == ["April 31 does not exist: April has 30 days."]
