"""The demo data (load_demo) against the agreements' numbers in docs/domain.md."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db.models import Sum

from holders.models import Holder
from trustee.models import (
    Agreement,
    AgreementParty,
    AgreementTerms,
    OfficerAssignment,
    Party,
    Security,
    TermCitation,
    UnderwriterAllocation,
)

pytestmark = pytest.mark.django_db

COUNTED = [
    Agreement,
    AgreementParty,
    AgreementTerms,
    Holder,
    OfficerAssignment,
    Party,
    Security,
    TermCitation,
    UnderwriterAllocation,
]


def load(holders=20):
    out = io.StringIO()
    call_command("load_demo", holders=holders, stdout=out)
    return out.getvalue()


def counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture
def demo():
    load()


def terms_of(slug):
    return AgreementTerms.objects.get(agreement__slug=slug)


def test_load_demo_reports_what_it_loaded():
    output = load()
    assert output.startswith("Demo loaded: ")
    assert "2 agreement terms" in output
    assert "60 new holders" in output


def test_load_demo_is_idempotent():
    load()
    first = counts()
    assert first["Agreement"] == 16
    assert first["Security"] == 3
    assert first["Holder"] == 60
    assert first["TermCitation"] > 0
    output = load()
    assert counts() == first
    assert "0 new holders" in output


def test_a_second_load_restores_an_edited_term(demo):
    terms = terms_of("hartford-capital-iii")
    terms.holder_list_dates = ["03-01", "09-01"]
    terms.save()
    load()
    assert terms_of("hartford-capital-iii").holder_list_dates == ["02-15", "08-15"]


def test_hartford_capital_iii_terms_match_the_agreement(demo):
    terms = terms_of("hartford-capital-iii")
    assert terms.holder_list_dates == ["02-15", "08-15"]
    assert terms.holder_list_commencement is None
    assert terms.holder_list_as_of_days == 15
    assert terms.holder_list_request_days == 30
    assert (terms.report_anchor, terms.report_window_days, terms.report_due) == ("07-01", 60, None)
    assert (terms.default_notice_days, terms.default_notice_runs_from) == (90, "occurrence")
    assert (terms.cure_days, terms.cure_runs_from) == (60, "notice_to_guarantor")
    assert terms.majority_percent == Decimal("50")
    assert terms.majority_comparison == "more_than"
    assert terms.majority_basis == "liquidation_preference"
    assert terms.min_capital_surplus == Decimal("50000000")
    assert terms.rating_categories is None
    assert (terms.successor_days, terms.successor_runs_from) == (60, "resignation_delivered")
    assert terms.conflicting_interest_days == 90
    assert terms.time_zone == "America/New_York"


def test_hsb_capital_ii_terms_match_the_agreement(demo):
    terms = terms_of("hsb-capital-ii")
    assert terms.holder_list_dates == ["01-01", "07-01"]
    assert terms.holder_list_commencement == date(1998, 7, 1)
    assert terms.holder_list_as_of_days == 15
    assert terms.holder_list_request_days == 30
    assert (terms.report_anchor, terms.report_window_days) == ("05-15", 60)
    assert terms.report_commencement == date(1998, 5, 15)
    assert (terms.default_notice_days, terms.default_notice_runs_from) == (30, "occurrence")
    assert (terms.cure_days, terms.cure_runs_from) == (90, "default")
    assert terms.majority_basis == "liquidation_amount"
    assert terms.majority_percent == Decimal("50")
    assert terms.rating_categories == 3
    assert terms.min_capital_surplus == Decimal("50000000")
    assert (terms.successor_days, terms.successor_runs_from) == (60, "notice_to_holders")
    assert terms.conflicting_interest_days == 90


@pytest.mark.parametrize("slug", ["hartford-capital-iii", "hsb-capital-ii"])
def test_the_demo_terms_pass_their_own_validation(demo, slug):
    terms_of(slug).full_clean()


def test_every_stated_term_is_cited_to_a_section(demo):
    for slug in ("hartford-capital-iii", "hsb-capital-ii"):
        terms = terms_of(slug)
        cited = {c.term: c for c in terms.citations.all()}
        for name in AgreementTerms.term_names():
            if getattr(terms, name) not in (None, "", []):
                assert name in cited, f"{slug}: {name} has a value but no citation"
                assert cited[name].section.strip(), f"{slug}: {name} cites no section"


def test_the_hartford_default_notice_quote_is_verbatim(demo):
    citation = TermCitation.objects.get(
        terms__agreement__slug="hartford-capital-iii", term="default_notice_days"
    )
    assert citation.section == "2.7(a)"
    assert citation.quote.startswith(
        "The Guarantee Trustee shall, within 90 days after the occurrence of an Event of Default"
    )


def test_the_guarantee_parties(demo):
    def parties(slug):
        return {
            (link.party.name, link.role)
            for link in AgreementParty.objects.filter(agreement__slug=slug)
        }

    assert parties("hartford-capital-iii") >= {
        ("The Hartford Financial Services Group, Inc.", "guarantor"),
        ("Wilmington Trust Company", "trustee"),
        ("Hartford Capital III", "issuer"),
    }
    assert parties("hsb-capital-ii") >= {
        ("HSB Group, Inc.", "guarantor"),
        ("The First National Bank of Chicago", "trustee"),
    }


def test_the_trust_preferred_securities(demo):
    preferred = Security.objects.get(agreement__slug="hartford-capital-iii")
    assert preferred.title == "7.45% Preferred Securities, Series A"
    assert preferred.coupon_rate == Decimal("7.45")
    assert (preferred.unit_amount, preferred.unit_basis) == (Decimal(25), "liquidation_preference")
    assert preferred.aggregate_amount == Decimal("575000000")
    capital = Security.objects.get(agreement__slug="hsb-capital-ii")
    assert (capital.unit_amount, capital.unit_basis) == (Decimal(1000), "liquidation_amount")


def test_the_2004_senior_notes(demo):
    notes = Security.objects.get(agreement__slug="hartford-notes-2014")
    assert notes.title == "4.75% Senior Notes due March 1, 2014"
    assert notes.aggregate_amount == Decimal("200000000")
    assert notes.amount_outstanding == Decimal("200000000")
    assert notes.coupon_rate == Decimal("4.75")
    assert notes.maturity == date(2014, 3, 1)
    assert notes.payment_dates == ["03-01", "09-01"]
    assert notes.first_payment_date == date(2004, 9, 1)
    assert notes.form == "book_entry"
    assert Party.objects.get(roles__agreement=notes.agreement, roles__role="trustee").name == (
        "JPMorgan Chase Bank"
    )


def test_the_2004_underwriters_bought_the_whole_issue(demo):
    notes = Security.objects.get(agreement__slug="hartford-notes-2014")
    allocations = {a.underwriter.name: a.amount for a in notes.allocations.all()}
    assert allocations == {
        "Banc of America Securities LLC": Decimal("88000000"),
        "Banc One Capital Markets, Inc.": Decimal("88000000"),
        "BB&T Capital Markets, a division of Scott and Stringfellow, Inc.": Decimal("24000000"),
    }
    assert sum(allocations.values()) == notes.aggregate_amount


def test_each_security_holders_add_up_to_what_is_outstanding(demo):
    for security in Security.objects.all():
        total = Holder.objects.filter(security=security).aggregate(total=Sum("amount"))["total"]
        assert total == security.amount_outstanding, security.title
        assert Holder.objects.filter(security=security).count() == 20


def test_officers_are_assigned_primary_and_backup(demo):
    roles = {
        (a.agreement.slug, a.role): a.officer.user.username
        for a in OfficerAssignment.objects.select_related("agreement", "officer__user")
    }
    assert roles[("hartford-capital-iii", "primary")] == "mreyes"
    assert roles[("hartford-capital-iii", "backup")] == "dchen"
    assert roles[("hsb-capital-ii", "primary")] == "dchen"
    assert roles[("hsb-capital-ii", "backup")] == "mreyes"
