"""Every field of the JSON on the two seed guarantee agreements, checked against the texts.

The expected values were read in the texts themselves (and agree with trustee/demo_data/
demo.yaml): Hartford Capital III, 2001, and HSB Capital II, 1997.
"""

import re

import pytest

from trustee.exhibits import read_exhibit

HARTFORD_TERMS = {
    "holder_list_dates": (["02-15", "08-15"], "2.2(a)", "on or before February 15 and August 15"),
    "holder_list_commencement": (None, None, None),
    "holder_list_as_of_max_days": (15, "2.2(a)", "as of a date not more than 15 days prior"),
    "holder_list_request_days": (30, "2.2(a)", "within 30 days after the receipt"),
    "report_anchor": ("07-01", "2.3", "Within 60 days after July 1 of each year"),
    "report_window_days": (60, "2.3", "Within 60 days after July 1 of each year"),
    "report_due": (None, None, None),
    "report_commencement": (None, None, None),
    "default_notice_days": (90, "2.7(a)", "within 90 days after the occurrence"),
    "default_notice_runs_from": ("occurrence", "2.7(a)", "after the occurrence of an Event"),
    "cure_days": (60, "1.1", "within 60 days after receipt of such notice"),
    "cure_runs_from": ("notice", "1.1", "shall have received notice of default"),
    "majority_percent": (50, "1.1", "of more than 50% of the liquidation preference"),
    "majority_comparison": ("more_than", "1.1", "more than 50%"),
    "majority_basis": ("liquidation_preference", "1.1", "Majority in liquidation preference"),
    "minimum_capital": (50000000, "4.1(a)(ii)", "at least 50 million U.S. dollars ($50,000,000)"),
    "rating_categories": (None, None, None),
    "successor_window_days": (60, "4.2(d)", "within 60 days after delivery to the Guarantor"),
    "successor_runs_from": ("resignation_delivered", "4.2(d)", "an instrument of resignation"),
    "conflicting_interest_days": (None, None, None),
    "compliance_certificate_days": (None, None, None),
    "fiscal_year_end": (None, None, None),
}

HSB_TERMS = {
    "holder_list_dates": (["01-01", "07-01"], "2.2(a)", "on or before January 1 and July 1"),
    "holder_list_commencement": ("1998-07-01", "2.2(a)", "Commencing July 1, 1998"),
    "holder_list_as_of_max_days": (15, "2.2(a)", "as of a date not more than 15 days prior"),
    "holder_list_request_days": (30, "2.2(a)", "30 days after the receipt by the Guarantor"),
    "report_anchor": ("05-15", "2.3", "Not later than 60 days following May 15"),
    "report_window_days": (60, "2.3", "Not later than 60 days following May 15"),
    "report_due": (None, None, None),
    "report_commencement": ("1998-05-15", "2.3", "commencing May 15, 1998"),
    "default_notice_days": (30, "2.7(a)", "within 30 days after the occurrence"),
    "default_notice_runs_from": ("occurrence", "2.7(a)", "Event of Default known to it"),
    "cure_days": (90, "1.1", "remains unremedied for 90 days"),
    "cure_runs_from": ("default", "1.1", "remains unremedied for 90 days"),
    "majority_percent": (50, "1.1", "representing more than 50% of the aggregate Liquidation"),
    "majority_comparison": ("more_than", "1.1", "more than 50%"),
    "majority_basis": ("liquidation_amount", "1.1", "Majority in Liquidation Amount"),
    "minimum_capital": (50000000, "4.1(a)(ii)", "capital and surplus of at least $50,000,000"),
    "rating_categories": (3, "4.1(a)(ii)", "one of the three highest rating categories"),
    "successor_window_days": (60, "4.2(d)", "within 60 days after delivery to the Holders"),
    "successor_runs_from": ("notice_to_holders", "4.2(d)", "to the Holders and the Guarantor"),
    "conflicting_interest_days": (None, None, None),
    "compliance_certificate_days": (None, None, None),
    "fiscal_year_end": (None, None, None),
}


@pytest.fixture(scope="module")
def hartford(hartford_text):
    return read_exhibit(hartford_text)


@pytest.fixture(scope="module")
def hsb(hsb_text):
    return read_exhibit(hsb_text)


@pytest.mark.parametrize("name", HARTFORD_TERMS)
def test_hartford_term(hartford, hartford_text, name):
    _check_term(hartford["terms"][name], HARTFORD_TERMS[name], hartford_text)


@pytest.mark.parametrize("name", HSB_TERMS)
def test_hsb_term(hsb, hsb_text, name):
    _check_term(hsb["terms"][name], HSB_TERMS[name], hsb_text)


def _check_term(term, expected, source):
    value, section, phrase = expected
    if value is None:
        assert term == {"value": None}
        return
    assert term["value"] == value
    assert term["section"] == section
    assert phrase in term["quote"]
    assert _words(term["quote"]) in _words(source), "the quote is not the text's own words"


def _words(text):
    # Underline rows and page numbers ("- 2 -", "-6-") are not words of the agreement.
    lines = [line for line in text.splitlines() if line.strip().strip("-").strip().strip("-")]
    lines = [line for line in lines if not re.fullmatch(r"\s*-?\s*\d+\s*-?\s*", line)]
    return " ".join(" ".join(lines).split())


def test_hartford_heading_fields(hartford):
    assert hartford["kind"] == "guarantee agreement"
    assert hartford["dated_as_of"] == "2001-10-26"
    assert hartford["governing_law"] == "New York"
    assert hartford["governing_law_source"]["section"] == "8.6"
    assert hartford["parties"] == {
        "guarantor": "The Hartford Financial Services Group, Inc.",
        "trustee": "Wilmington Trust Company",
        "issuer": "Hartford Capital III",
    }
    assert [p["defined_as"] for p in hartford["party_list"]] == [
        "Guarantor",
        "Guarantee Trustee",
        "Issuer",
    ]


def test_hsb_heading_fields(hsb):
    assert hsb["kind"] == "guarantee agreement"
    assert hsb["dated_as_of"] == "1997-12-31"
    assert hsb["governing_law"] == "New York"
    assert hsb["governing_law_source"]["section"] == "8.5"
    assert hsb["parties"] == {
        "guarantor": "HSB Group, Inc.",
        "trustee": "The First National Bank of Chicago",
        "issuer": "HSB Capital II",
    }


def test_hartford_securities(hartford):
    (security,) = hartford["securities"]
    assert security["title"] == "7.45% Preferred Securities, Series A"
    assert security["coupon_rate"] == "7.45"
    assert security["aggregate_amount"] == "575000000"
    assert security["aggregate_basis"] == "liquidation_preference"
    assert security["up_to"] is True
    assert security["unit_amount"] == "25"
    assert security["section"] == "Recitals"


def test_hsb_securities(hsb):
    (security,) = hsb["securities"]
    assert security["title"] == "Convertible Capital Securities"
    assert security["coupon_rate"] is None
    assert security["aggregate_amount"] == "300000000"
    assert security["aggregate_basis"] == "liquidation_amount"
    assert security["unit_amount"] == "1000"


def test_hartford_notice_addresses(hartford):
    guarantor, issuer = hartford["notice_addresses"]
    assert guarantor["role"] == "guarantor"
    assert guarantor["section"] == "8.3(a)"
    assert guarantor["name"] == "The Hartford Financial Services Group, Inc."
    assert guarantor["address_lines"] == ["Hartford Plaza"]
    assert (guarantor["city"], guarantor["state"], guarantor["postal_code"]) == (
        "Hartford",
        "CT",
        "06115",
    )
    assert guarantor["fax"] == "(860) 547-5966"
    assert guarantor["attention"] == "Treasurer"
    assert issuer["role"] == "issuer"
    assert issuer["section"] == "8.3(b)"
    assert issuer["address_lines"] == [
        "c/o The Hartford Financial Services Group, Inc.",
        "Hartford Plaza",
    ]
    (copy,) = issuer["copies"]
    assert copy["name"] == "Wilmington Trust Company"
    assert copy["role"] == "trustee"
    assert copy["address_lines"] == ["1100 N. Market Street"]
    assert (copy["city"], copy["state"], copy["postal_code"]) == ("Wilmington", "DE", "")
    assert copy["fax"] == "(302) 651-8882"
    assert copy["attention"] == "Corporate Trust Department"


def test_hsb_notice_addresses(hsb):
    guarantor, trustee = hsb["notice_addresses"]
    assert guarantor["section"] == "8.3(a)(i)"
    assert guarantor["role"] == "guarantor"
    assert guarantor["attention"] == "General Counsel"
    assert guarantor["fax"] == "(860) 722-1818"
    assert trustee["section"] == "8.3(a)(ii)"
    assert trustee["role"] == "trustee"
    assert trustee["name"] == "The First National Bank of Chicago"
    assert trustee["address_lines"] == ["One First National Plaza, Suite #0126"]
    assert (trustee["city"], trustee["state"], trustee["postal_code"]) == (
        "Chicago",
        "IL",
        "60070-0126",
    )
    assert trustee["attention"] == "Corporate Trust Division"
    assert trustee["fax"] == "(312) 407-1708"


def test_sections_skip_the_table_of_contents(hartford):
    numbers = [s["number"] for s in hartford["sections"]]
    assert numbers[:3] == ["1.1", "2.1", "2.2"]
    assert len(numbers) == len(set(numbers)) == 30
