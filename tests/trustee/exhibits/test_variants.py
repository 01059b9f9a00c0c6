"""Seed sentences rewritten the way other drafters write them: other numbering, other names for
the trustee, numbers in words, "not later than" for "within", dates spelled out."""

import textwrap

import pytest

from trustee.exhibits import read_exhibit

PREAMBLE = (
    "This GUARANTEE AGREEMENT, dated as of March 1, 1999, is executed and delivered by Acme "
    'Holdings, Inc., a Delaware corporation (the "Guarantor"), and The Bank of New York, a New '
    'York banking corporation, as trustee (the "Guarantee Trustee"), for the benefit of the '
    "Holders from time to time of the Capital Securities of Acme Capital Trust I, a Delaware "
    'statutory business trust (the "Issuer").'
)


def agreement(*sections, title="GUARANTEE AGREEMENT", preamble=PREAMBLE, heading="SECTION {}"):
    """A small agreement: a title, an opening paragraph, and the given sections."""
    parts = [title, "", preamble, ""]
    for number, (name, body) in enumerate(sections, start=1):
        parts += [f"{heading.format(f'2.{number}')}  {name}.", "", textwrap.fill(body, 78), ""]
    parts += ["SECTION 9.1  Filler.", "", "Nothing here.", "", "SECTION 9.2  More.", "", "No.", ""]
    return "\n".join(parts)


def terms(*sections, **options):
    return read_exhibit(agreement(*sections, **options))["terms"]


HOLDER_LIST = [
    (
        "(a) The Guarantor shall furnish or cause to be furnished to the Guarantee Trustee (i) "
        "semiannually, on or before February 15 and August 15 of each year, a list of the names "
        "and addresses of the Holders as of a date not more than 15 days prior to the delivery "
        "thereof, and (ii) at such other times as the Guarantee Trustee may request in writing, "
        "within 30 days after the receipt by the Guarantor of any such request, a List of Holders.",
        ["02-15", "08-15"],
        15,
        30,
        None,
    ),
    (
        "(a) The Company will furnish or cause to be furnished to the Trustee (1) semi-annually, "
        "not later than March 15 and September 15 in each year, a list, in such form as the "
        "Trustee may reasonably require, of the names and addresses of the Holders as of the "
        "preceding March 1 or September 1, as the case may be, and (2) at such other times as "
        "the Trustee may request in writing, within thirty (30) days after the receipt by the "
        "Company of any such request, a list of similar form and content as of a date not more "
        "than fifteen (15) days prior to the time such list is furnished.",
        ["03-15", "09-15"],
        15,
        30,
        None,
    ),
    (
        "(a) Commencing on January 15, 2000, the Depositor shall deliver to the Property Trustee, "
        "twice a year, on or before the fifteenth day of January and the fifteenth day of July, "
        "a list of the names and addresses of the Holders as of a date not more than ten days "
        "before the delivery thereof, and, within twenty days after receipt of a written "
        "request, such a list as of a date not more than ten days before it is furnished.",
        ["01-15", "07-15"],
        10,
        20,
        "2000-01-15",
    ),
    (
        "The Guarantor shall provide the Trustee semiannually, on or before Feb. 15 and Aug. 15 "
        "in each year, a list of the names and addresses of the Holders as of a date not more "
        "than fifteen days prior to the delivery thereof.",
        ["02-15", "08-15"],
        15,
        None,
        None,
    ),
]


@pytest.mark.parametrize("sentence,dates,as_of,on_request,commencing", HOLDER_LIST)
def test_holder_list_variants(sentence, dates, as_of, on_request, commencing):
    found = terms(("List of Holders", sentence))
    assert found["holder_list_dates"]["value"] == dates
    assert found["holder_list_dates"]["section"].startswith("2.1")
    assert found["holder_list_as_of_max_days"]["value"] == as_of
    assert found["holder_list_request_days"]["value"] == on_request
    assert found["holder_list_commencement"]["value"] == commencing


REPORTS = [
    (
        "Within sixty days after May 15 of each year, beginning with May 15, 2003, the Trustee "
        "shall transmit by mail to all Holders a brief report dated as of such May 15 if required "
        "by Section 313(a) of the Trust Indenture Act.",
        ("05-15", 60, None, "2003-05-15"),
    ),
    (
        "Not later than ninety (90) days following December 31 of each year, the Property "
        "Trustee shall provide to the Holders such reports as are required by Section 313 of the "
        "Trust Indenture Act.",
        ("12-31", 90, None, None),
    ),
    (
        "On or before July 15 in each year, the Trustee shall mail to the Holders a brief report "
        "as required by Section 313(a) of the Trust Indenture Act.",
        (None, None, "07-15", None),
    ),
]


@pytest.mark.parametrize("sentence,expected", REPORTS)
def test_report_variants(sentence, expected):
    found = terms(("Reports by Trustee", sentence))
    got = tuple(
        found[name]["value"]
        for name in ("report_anchor", "report_window_days", "report_due", "report_commencement")
    )
    assert got == expected


DEFAULT_NOTICES = [
    (
        "Within 90 days after the occurrence of any default hereunder, the Trustee shall "
        "transmit by mail to all Holders notice of such default hereunder known to the Trustee, "
        "unless such default shall have been cured or waived.",
        90,
        "occurrence",
    ),
    (
        "(a) The Property Trustee shall, within ninety (90) days after a Responsible Officer "
        "obtains actual knowledge of an Event of Default, transmit notice of such Event of "
        "Default to the Holders.",
        90,
        "knowledge",
    ),
    (
        "The Trustee shall give the Holders notice of any Event of Default not later than "
        "thirty days after it has knowledge thereof.",
        30,
        "knowledge",
    ),
    (
        "The Guarantee Trustee shall, within ten days after the receipt of written notice of a "
        "default, mail to the Holders notice of such default.",
        10,
        "knowledge",
    ),
]


@pytest.mark.parametrize("sentence,days,runs", DEFAULT_NOTICES)
def test_default_notice_variants(sentence, days, runs):
    found = terms(("Notice of Defaults", sentence))
    assert found["default_notice_days"]["value"] == days
    assert found["default_notice_runs_from"]["value"] == runs


CURES = [
    (
        '"Event of Default" means a default by the Guarantor on any of its payment or other '
        "obligations under this Guarantee Agreement; provided, however, that, except with "
        "respect to a default in payment of any Guarantee Payments, the Guarantor shall have "
        "received notice of default and shall not have cured such default within sixty (60) "
        "days after receipt of such notice.",
        60,
        "notice",
    ),
    (
        '"Event of Default" means (i) a default by the Guarantor in any of its payment '
        "obligations under this Guarantee or (ii) a default by the Guarantor in the performance "
        "of any other obligation hereunder that shall continue for ninety days.",
        90,
        "default",
    ),
    (
        '"Event of Default" means a default in the payment of any Guarantee Payment, or a '
        "failure by the Guarantor to perform any other covenant hereunder which remains "
        "unremedied for a period of 30 days after written notice thereof to the Guarantor.",
        30,
        "notice",
    ),
]


@pytest.mark.parametrize("sentence,days,runs", CURES)
def test_cure_variants(sentence, days, runs):
    found = terms(("Definitions", sentence))
    assert found["cure_days"]["value"] == days
    assert found["cure_runs_from"]["value"] == runs
    assert found["cure_days"]["section"] == "2.1"


def test_cure_skips_payment_grace_periods_in_an_indenture_list():
    body = "\n\n".join(
        [
            '"Event of Default" means any one of the following events:',
            "(1) default in the payment of any interest upon any Security when it becomes due "
            "and payable, and continuance of such default for a period of 30 days; or",
            "(2) default in the payment of the principal of any Security at its Maturity; or",
            "(3) default in the performance, or breach, of any covenant of the Company in this "
            "Indenture, and continuance of such default or breach for a period of 60 days after "
            "there has been given, by registered or certified mail, to the Company by the "
            "Trustee a written notice specifying such default; or",
        ]
    )
    text = agreement(("Events of Default", "See below.")).replace("See below.", body)
    found = read_exhibit(text)["terms"]
    assert found["cure_days"]["value"] == 60
    assert found["cure_runs_from"]["value"] == "notice"
    assert found["cure_days"]["section"] == "2.1(3)"


MAJORITIES = [
    (
        '"Majority in Liquidation Amount" means Holders of Capital Securities representing '
        "more than fifty percent (50%) of the aggregate liquidation amount of all outstanding "
        "Capital Securities.",
        50,
        "more_than",
        "liquidation_amount",
    ),
    (
        '"Majority in liquidation preference" means a vote by Holders of at least 50% of the '
        "liquidation preference of all outstanding Preferred Securities.",
        50,
        "at_least",
        "liquidation_preference",
    ),
    (
        "The Holders of not less than a majority in principal amount of the Outstanding "
        "Securities may on behalf of the Holders of all the Securities waive any past default.",
        50,
        "more_than",
        "principal",
    ),
    (
        '"Super Majority" means, with respect to any matter, Holders of at least 66 2/3% in '
        'liquidation amount; and a "Majority" means Holders of more than 50% in liquidation '
        "amount.",
        None,
        None,
        None,
    ),
]


@pytest.mark.parametrize("sentence,percent,comparison,basis", MAJORITIES)
def test_majority_variants(sentence, percent, comparison, basis):
    found = terms(("Votes", sentence))
    assert found["majority_percent"]["value"] == percent
    assert found["majority_comparison"]["value"] == comparison
    assert found["majority_basis"]["value"] == basis


CAPITAL = [
    (
        "There shall at all times be a Trustee which shall be a corporation having a combined "
        "capital and surplus of not less than $100,000,000.",
        100000000,
        None,
    ),
    (
        "The Property Trustee shall have a combined capital and surplus of at least fifty "
        "million dollars and shall be rated in one of the two highest rating categories by a "
        "nationally recognized statistical rating organization.",
        50000000,
        2,
    ),
    (
        "The Trustee shall have a combined capital and surplus of at least $150 million.",
        150000000,
        None,
    ),
]


@pytest.mark.parametrize("sentence,capital,categories", CAPITAL)
def test_capital_variants(sentence, capital, categories):
    found = terms(("Eligibility", sentence))
    assert found["minimum_capital"]["value"] == capital
    assert found["rating_categories"]["value"] == categories


SUCCESSORS = [
    (
        "If an instrument of acceptance by a successor Trustee shall not have been delivered to "
        "the Trustee within 30 days after the giving of such notice of resignation, the "
        "resigning Trustee may petition any court of competent jurisdiction for the appointment "
        "of a successor Trustee.",
        30,
        "resignation_delivered",
    ),
    (
        "If no Successor Property Trustee shall have been appointed within sixty (60) days after "
        "delivery to the Holders and the Depositor of a notice of resignation, the resigning "
        "Property Trustee may petition any court of competent jurisdiction for the appointment "
        "of a Successor Property Trustee.",
        60,
        "notice_to_holders",
    ),
]


@pytest.mark.parametrize("sentence,days,runs", SUCCESSORS)
def test_successor_variants(sentence, days, runs):
    found = terms(("Resignation", sentence))
    assert found["successor_window_days"]["value"] == days
    assert found["successor_runs_from"]["value"] == runs


def test_months_keep_their_unit():
    found = terms(
        (
            "Resignation",
            "If no successor Trustee shall have been appointed within six months after the "
            "delivery of an instrument of resignation, the Trustee may petition a court for the "
            "appointment of a successor Trustee.",
        )
    )
    assert found["successor_window_days"]["value"] == 6
    assert found["successor_window_days"]["unit"] == "months"


def test_conflicting_interest_and_compliance_certificate():
    found = terms(
        (
            "Conflicting Interests",
            "If the Trustee has or shall acquire any conflicting interest, it shall, within 90 "
            "days after ascertaining that it has such conflicting interest, either eliminate "
            "such conflicting interest or resign.",
        ),
        (
            "Compliance Certificate",
            "The Company shall deliver to the Trustee, within 120 days after the end of each "
            "fiscal year of the Company ending December 31, an Officers' Certificate stating "
            "whether the Company is in default.",
        ),
    )
    assert found["conflicting_interest_days"]["value"] == 90
    assert found["conflicting_interest_days"]["section"] == "2.1"
    assert found["compliance_certificate_days"]["value"] == 120
    assert found["fiscal_year_end"]["value"] == "12-31"


@pytest.mark.parametrize(
    "heading,expected",
    [
        ("SECTION {}", "2.1(a)"),
        ("SECTION {}.", "2.1(a)"),
        ("Section {}", "2.1(a)"),
        ("Sec. {}", "2.1(a)"),
        ("§ {}", "2.1(a)"),
        ("{}", "2.1(a)"),
    ],
)
def test_section_headings(heading, expected):
    found = terms(("List of Holders", HOLDER_LIST[0][0]), heading=heading)
    assert found["holder_list_dates"]["section"] == expected


def test_zero_padded_sections_and_inline_headings():
    text = "\n".join(
        [
            "INDENTURE",
            "",
            "INDENTURE, dated as of June 1, 1995, between ACME CORPORATION, a Delaware "
            'corporation (herein called the "Company"), and THE BANK OF NEW YORK, a New York '
            'banking corporation, as Trustee (herein called the "Trustee").',
            "",
            "Section 3.02. Lists of Holders. " + HOLDER_LIST[1][0],
            "",
            "Section 3.03. Reports. " + REPORTS[0][0],
            "",
            "Section 3.04. Filler. Nothing.",
            "",
            "Section 10.05. Governing Law. This Indenture shall be governed by, and construed "
            "in accordance with, the laws of the Commonwealth of Massachusetts.",
        ]
    )
    result = read_exhibit(text)
    assert result["kind"] == "indenture"
    assert result["dated_as_of"] == "1995-06-01"
    assert result["parties"] == {"issuer": "ACME CORPORATION", "trustee": "THE BANK OF NEW YORK"}
    assert result["terms"]["holder_list_dates"]["section"] == "3.02(a)"
    assert result["terms"]["report_anchor"]["section"] == "3.03"
    assert result["governing_law"] == "Massachusetts"


PAGE_BROKEN = """\
GUARANTEE AGREEMENT

{preamble}

                                 ARTICLE II
                             TRUST INDENTURE ACT

SECTION 2.2       List of Holders.
                  ---------------

         (a) The  Guarantor  shall  furnish  or  cause  to be  furnished  to the
Guarantee  Trustee  semiannually,  on or before  February 15 and  August 15 of
each year, a list of the names and addresses  of the Holders  ("List of Holders")
                                                                  ---------------
as of a date not more than 15 days prior to the delivery thereof, and at such

                                     - 5 -
<PAGE>
                          ACME HOLDINGS GUARANTEE
other times as the Guarantee Trustee may request in writing,  within 30 days
after the receipt by the Guarantor of any such request, a List of Holders.

SECTION 2.3       Reports by the Guarantee Trustee.

         Within 60 days after July 1 of each year, the Guarantee Trustee shall
provide to the Holders such reports as are required by Section 313 of the Trust

                                     - 6 -
<PAGE>
                          ACME HOLDINGS GUARANTEE
Indenture Act.

SECTION 2.4       Filler.

         Text.

                                     - 7 -
<PAGE>
                          ACME HOLDINGS GUARANTEE
SECTION 2.5       Filler.

         Text.
"""


def test_page_breaks_running_headers_and_underlines_are_skipped():
    result = read_exhibit(PAGE_BROKEN.format(preamble=PREAMBLE))
    found = result["terms"]
    assert found["holder_list_dates"]["value"] == ["02-15", "08-15"]
    assert found["holder_list_request_days"]["value"] == 30
    assert "ACME HOLDINGS GUARANTEE" not in found["holder_list_request_days"]["quote"]
    assert "- 5 -" not in found["holder_list_request_days"]["quote"]
    assert "----" not in found["holder_list_dates"]["quote"]
    assert found["report_window_days"]["quote"].endswith("Section 313 of the Trust Indenture Act.")


def test_variant_parties_and_kinds():
    preamble = (
        "AMENDED AND RESTATED TRUST AGREEMENT, dated as of May 1, 2003, among Acme Corp., a "
        'Delaware corporation, as Depositor (the "Depositor"), The Bank of New York, a New York '
        'banking corporation, as property trustee (the "Property Trustee"), and The Bank of New '
        'York (Delaware), a Delaware banking corporation, as Delaware trustee (the "Delaware '
        'Trustee").'
    )
    result = read_exhibit(
        agreement(title="AMENDED AND RESTATED TRUST AGREEMENT", preamble=preamble)
    )
    assert result["kind"] == "trust agreement"
    assert result["dated_as_of"] == "2003-05-01"
    assert result["parties"]["depositor"] == "Acme Corp."
    assert result["parties"]["trustee"] == "The Bank of New York"
    assert result["parties"]["delaware_trustee"] == "The Bank of New York (Delaware)"


def test_date_spelled_out_in_the_opening():
    preamble = (
        "THIS INDENTURE is made as of the fifteenth day of February, 2001, between Acme Corp., "
        'a Delaware corporation (the "Company"), and First Trust Company, as trustee '
        '(the "Trustee").'
    )
    result = read_exhibit(agreement(title="SENIOR INDENTURE", preamble=preamble))
    assert result["kind"] == "indenture"
    assert result["dated_as_of"] == "2001-02-15"
    assert result["parties"] == {"issuer": "Acme Corp.", "trustee": "First Trust Company"}


def test_supplemental_indenture_is_its_own_kind():
    preamble = (
        "FIRST SUPPLEMENTAL INDENTURE, dated as of Sept. 13, 2002, between Acme Corp. "
        '(the "Company") and JPMorgan Chase Bank, as trustee (the "Trustee").'
    )
    result = read_exhibit(agreement(title="FIRST SUPPLEMENTAL INDENTURE", preamble=preamble))
    assert result["kind"] == "supplemental indenture"
    assert result["dated_as_of"] == "2002-09-13"


def test_not_found_is_null_never_a_default():
    found = terms(("Filler", "Nothing of interest is stated here."))
    assert all(term == {"value": None} for term in found.values())


def test_parties_from_the_cover_when_the_opening_defines_none():
    text = "\n".join(
        [
            "GUARANTEE AGREEMENT",
            "",
            "between",
            "",
            "ACME HOLDINGS, INC., as Guarantor",
            "",
            "and",
            "",
            "FIRST TRUST COMPANY, as Guarantee Trustee",
            "",
            "Dated as of April 2, 1998",
            "",
            "SECTION 1.1  Filler.",
            "",
            "Acme Holdings, Inc. guarantees the payments.",
            "",
            "SECTION 1.2  More.",
            "",
            "Text.",
            "",
            "SECTION 1.3  More.",
            "",
            "Text.",
        ]
    )
    result = read_exhibit(text)
    assert result["dated_as_of"] == "1998-04-02"
    assert result["parties"] == {
        "guarantor": "Acme Holdings, Inc.",
        "trustee": "FIRST TRUST COMPANY",
    }
    assert result["party_list"][0]["defined_as"] is None


def test_numbered_paragraph_agreements_and_their_notices():
    text = "\n".join(
        [
            "UNDERWRITING AGREEMENT",
            "",
            'From time to time Acme Corp., a Delaware corporation (the "Company"), proposes to '
            'enter into pricing agreements (this "Underwriting Agreement").',
            "",
            "1. The Company will sell the Securities.",
            "",
            "2. Notices. All notices shall be in writing.",
            "",
            "3. This Agreement shall be governed by and construed in accordance with the laws "
            "of New York.",
        ]
    )
    result = read_exhibit(text)
    assert result["kind"] == "underwriting agreement"
    assert result["parties"] == {"issuer": "Acme Corp."}
    assert [s["number"] for s in result["sections"]] == ["1", "2", "3"]
    assert result["governing_law"] == "New York"
    assert result["governing_law_source"]["section"] == "3"


NOTICES = """\
INDENTURE

INDENTURE, dated as of June 1, 1995, between Acme Corp., a Delaware corporation (the "Company"),
and First Trust Company, a banking corporation, as Trustee (the "Trustee").

SECTION 1.05  Notices, Etc., to Trustee and Company.

         Any notice shall be sufficient if made in writing:

         (1) if to the Trustee, to it at:

                  First Trust Company
                  100 Wall Street, 5th Floor
                  New York, NY 10005
                  Attn: Corporate Trust Administration
                  Telephone: (212) 555-0100
                  E-mail: trust@example.com

         (2) if to the Company, to it at:

                  Acme Corp.
                  1 Main Street
                  Springfield, Massachusetts 01101
                  Telecopier: (413) 555-0199

                  with a copy to:

                  Law Firm LLP
                  2 Park Avenue
                  Attention: J. Smith

SECTION 1.06  Notice to Holders; Waiver.

         Where this Indenture provides for notice to Holders, such notice shall be mailed.

SECTION 1.07  Filler.

         Text.
"""


def test_notice_addresses_in_another_layout():
    result = read_exhibit(NOTICES)
    trustee, company = result["notice_addresses"]
    assert trustee["role"] == "trustee"
    assert trustee["section"] == "1.05(1)"
    assert trustee["address_lines"] == ["100 Wall Street, 5th Floor"]
    assert (trustee["city"], trustee["state"], trustee["postal_code"]) == (
        "New York",
        "NY",
        "10005",
    )
    assert trustee["attention"] == "Corporate Trust Administration"
    assert trustee["phone"] == "(212) 555-0100"
    assert trustee["email"] == "trust@example.com"
    assert company["role"] == "issuer"
    assert company["fax"] == "(413) 555-0199"
    (copy,) = company["copies"]
    assert copy["name"] == "Law Firm LLP"
    assert copy["role"] is None
    assert copy["attention"] == "J. Smith"


def test_older_indenture_opening():
    preamble = (
        "INDENTURE, made and entered into on this 20th day of October, 1995, between ITT "
        'HARTFORD GROUP, INC., a Delaware corporation (hereinafter called the "Company"), and '
        "THE CHASE MANHATTAN BANK (NATIONAL ASSOCIATION), a national banking association, as "
        'Trustee (hereinafter called the "Trustee").'
    )
    result = read_exhibit(agreement(title="SENIOR INDENTURE", preamble=preamble))
    assert result["dated_as_of"] == "1995-10-20"
    assert result["parties"] == {
        "issuer": "ITT HARTFORD GROUP, INC.",
        "trustee": "THE CHASE MANHATTAN BANK (NATIONAL ASSOCIATION)",
    }


def test_guarantee_titled_without_the_word_agreement():
    preamble = (
        "This PREFERRED SECURITIES GUARANTEE, dated as of May 5, 1997, is executed by Acme "
        'Corp., a Delaware corporation (the "Guarantor"), and First Trust Company, as trustee '
        '(the "Guarantee Trustee").'
    )
    result = read_exhibit(agreement(title="PREFERRED SECURITIES GUARANTEE", preamble=preamble))
    assert result["kind"] == "guarantee agreement"
    assert result["parties"]["guarantor"] == "Acme Corp."


def test_majority_defined_with_the_term_prefix():
    found = terms(
        (
            "Definitions",
            'The term "Majority in Liquidation Amount" shall mean Holders of in excess of '
            "fifty percent of the aggregate liquidation amount.",
        )
    )
    assert found["majority_percent"]["value"] == 50
    assert found["majority_comparison"]["value"] == "more_than"


def test_list_on_request_in_its_own_paragraph():
    body = (
        "(a) semi-annually, not later than June 15 and December 15 in each year, a list of the "
        "names and addresses of the Holders as of the preceding June 1 or December 1, and"
    )
    text = agreement(("Lists", "The Company will furnish to the Trustee: PLACEHOLDER")).replace(
        "PLACEHOLDER",
        "\n\n" + body + "\n\n(b) at such other times as the Trustee may request in writing, "
        "within 30 days after the receipt by the Company of any such request, a list of similar "
        "form and content as of a date not more than 15 days prior to the time such list is "
        "furnished.",
    )
    found = read_exhibit(text)["terms"]
    assert found["holder_list_dates"]["value"] == ["06-15", "12-15"]
    assert found["holder_list_dates"]["section"] == "2.1(a)"
    assert found["holder_list_request_days"]["value"] == 30
    assert found["holder_list_request_days"]["section"] == "2.1(b)"
    assert found["holder_list_as_of_max_days"]["value"] == 15
