"""Agreement intake services: an exhibit kept with its proposal, then confirmed into an
agreement with its parties, securities, terms, citations and duties, all or nothing."""

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from tests.factories import make_agreement, make_officer, make_party
from trustee.intake import exhibit_confirm, exhibit_upload, proposed_values
from trustee.models import (
    Agreement,
    AgreementSource,
    AgreementTerms,
    Obligation,
    Party,
    Security,
    TermCitation,
)
from trustee.roles import RoleRefused

pytestmark = pytest.mark.django_db

SEEDS = Path("/work/shared/seeds")
HARTFORD = SEEDS / "hartford-capital-iii-guarantee-agreement-2001.txt"
HSB = SEEDS / "hsb-capital-ii-guarantee-agreement-1997.txt"


@pytest.fixture
def officer():
    return make_officer("intake", superuser=True).user


def upload(path, by):
    return exhibit_upload(file=path.read_bytes(), file_name=path.name, by=by)


def test_upload_keeps_the_text_and_the_proposal_and_creates_nothing_else(officer):
    source = upload(HARTFORD, officer)
    data = HARTFORD.read_bytes()
    assert source.file_name == HARTFORD.name
    assert source.size == len(data)
    assert len(source.sha256) == 64
    assert "GUARANTEE AGREEMENT" in source.text.upper()
    assert source.proposal["terms"]["holder_list_dates"]["value"] == ["02-15", "08-15"]
    assert source.agreement is None and source.confirmed_at is None
    assert Agreement.objects.count() == 0
    assert Party.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "is empty"),
        (b"   \n\n", "is empty"),
        (b"%PDF-1.4 \x00\x01\x02 binary", "binary file"),
        (b"Dear Sir,\nThank you for your letter of May 3.\n", "does not look like an agreement"),
    ],
)
def test_bad_uploads_are_refused_with_the_readers_message(officer, data, message):
    with pytest.raises(ValidationError) as refusal:
        exhibit_upload(file=data, file_name="x.txt", by=officer)
    assert message in " ".join(refusal.value.message_dict["file"])
    assert AgreementSource.objects.count() == 0


def test_a_file_over_the_limit_is_refused(officer, settings):
    settings.TRUSTDESK_MAX_EXHIBIT_BYTES = 1000
    with pytest.raises(ValidationError) as refusal:
        upload(HARTFORD, officer)
    assert "larger than" in refusal.value.message_dict["file"][0]
    assert AgreementSource.objects.count() == 0


def test_confirming_the_hartford_guarantee_creates_it_with_its_duties(officer):
    source = upload(HARTFORD, officer)
    agreement = exhibit_confirm(source_id=source.pk, by=officer, values={"tia": "qualified"})

    assert agreement.kind == Agreement.Kind.GUARANTEE_AGREEMENT
    assert agreement.short_name == "Hartford Capital III Guarantee"
    assert agreement.slug == "hartford-capital-iii-guarantee"
    assert str(agreement.dated_as_of) == "2001-10-26"
    assert agreement.governing_law == "New York"
    assert agreement.governing_law_section == "8.6"
    assert agreement.our_role == Agreement.OurRole.GUARANTEE_TRUSTEE
    assert agreement.party_in_role("guarantor").name == (
        "The Hartford Financial Services Group, Inc."
    )
    assert agreement.party_in_role("trustee").name == "Wilmington Trust Company"
    assert agreement.party_in_role("issuer").name == "Hartford Capital III"

    security = Security.objects.get(agreement=agreement)
    assert security.title == "7.45% Preferred Securities, Series A"
    assert security.kind == Security.Kind.PREFERRED_SECURITIES
    assert str(security.aggregate_amount) == "575000000.00"
    assert str(security.unit_amount) == "25.00"
    assert security.source_section == "Recitals"

    terms = agreement.terms
    assert terms.holder_list_dates == ["02-15", "08-15"]
    assert terms.holder_list_as_of_days == 15
    assert terms.holder_list_request_days == 30
    assert terms.report_anchor == "07-01" and terms.report_window_days == 60
    assert terms.default_notice_days == 90 and terms.default_notice_runs_from == "occurrence"
    assert terms.cure_days == 60
    assert terms.cure_runs_from == AgreementTerms.CureRunsFrom.NOTICE_TO_GUARANTOR
    assert terms.majority_percent == 50 and terms.majority_comparison == "more_than"
    assert terms.min_capital_surplus == 50_000_000
    assert terms.successor_days == 60

    citation = TermCitation.objects.get(terms=terms, term="holder_list_dates")
    assert citation.section == "2.2(a)"
    assert "on or before February 15 and August 15" in citation.quote
    assert TermCitation.objects.get(terms=terms, term="cure_days").section == "1.1"
    # A term the text does not state has no citation.
    assert not TermCitation.objects.filter(terms=terms, term="rating_categories").exists()

    assert Obligation.objects.filter(agreement=agreement).exists()
    source.refresh_from_db()
    assert source.agreement == agreement
    assert source.confirmed_by == officer and source.confirmed_at is not None
    assert source.review["corrected"] == {}


def test_confirming_the_hsb_guarantee(officer):
    source = upload(HSB, officer)
    agreement = exhibit_confirm(source_id=source.pk, by=officer, values={"tia": "by_contract"})
    terms = agreement.terms
    assert agreement.short_name == "HSB Capital II Guarantee"
    assert terms.holder_list_dates == ["01-01", "07-01"]
    assert str(terms.holder_list_commencement) == "1998-07-01"
    assert terms.default_notice_days == 30
    assert terms.cure_days == 90 and terms.cure_runs_from == "default"
    assert terms.rating_categories == 3
    assert terms.successor_runs_from == "notice_to_holders"
    assert Obligation.objects.filter(agreement=agreement).exists()


def test_a_corrected_value_is_stored_keeps_its_citation_and_is_recorded(officer):
    source = upload(HARTFORD, officer)
    agreement = exhibit_confirm(
        source_id=source.pk,
        by=officer,
        values={"tia": "qualified", "short_name": "Hartford III", "terms": {"cure_days": 30}},
    )
    assert agreement.short_name == "Hartford III"
    assert agreement.slug == "hartford-capital-iii-guarantee"  # chosen before; kept
    assert agreement.terms.cure_days == 30
    assert TermCitation.objects.get(terms=agreement.terms, term="cure_days").section == "1.1"
    source.refresh_from_db()
    assert source.review["corrected"]["terms.cure_days"] == {"proposed": 60, "confirmed": 30}
    assert source.review["corrected"]["short_name"]["confirmed"] == "Hartford III"
    assert source.review["values"]["terms"]["cure_days"] == 30


def test_an_existing_party_of_the_same_name_is_reused_as_it_is(officer):
    wilmington = make_party(name="Wilmington Trust Company", short_name="Wilmington Trust")
    source = upload(HARTFORD, officer)
    agreement = exhibit_confirm(source_id=source.pk, by=officer, values={"tia": "qualified"})
    assert agreement.party_in_role("trustee") == wilmington
    wilmington.refresh_from_db()
    assert wilmington.short_name == "Wilmington Trust"
    assert Party.objects.filter(name="Wilmington Trust Company").count() == 1


def test_the_slug_is_unique(officer):
    make_agreement(slug="hartford-capital-iii-guarantee", short_name="Another")
    source = upload(HARTFORD, officer)
    values, _ = proposed_values(source.proposal)
    assert values["slug"] == "hartford-capital-iii-guarantee-2"
    with pytest.raises(ValidationError) as refusal:
        exhibit_confirm(
            source_id=source.pk,
            by=officer,
            values={"tia": "qualified", "slug": "hartford-capital-iii-guarantee"},
        )
    assert "slug" in refusal.value.message_dict


def test_an_invalid_term_is_refused_by_name_and_nothing_is_written(officer):
    source = upload(HARTFORD, officer)
    agreements, parties = Agreement.objects.count(), Party.objects.count()
    with pytest.raises(ValidationError) as refusal:
        exhibit_confirm(
            source_id=source.pk,
            by=officer,
            # the cure period without the event it runs from: the terms model refuses it
            values={"tia": "qualified", "terms": {"cure_runs_from": None}},
        )
    assert "terms.cure_runs_from" in refusal.value.message_dict
    assert Agreement.objects.count() == agreements
    assert Party.objects.count() == parties
    assert Obligation.objects.count() == 0
    source.refresh_from_db()
    assert source.agreement is None


def test_a_value_of_the_wrong_type_is_refused_by_name(officer):
    source = upload(HARTFORD, officer)
    with pytest.raises(ValidationError) as refusal:
        exhibit_confirm(
            source_id=source.pk,
            by=officer,
            values={"tia": "qualified", "dated_as_of": "26 Octobre", "terms": {"cure_days": "x"}},
        )
    assert set(refusal.value.message_dict) >= {"dated_as_of", "terms.cure_days"}
    assert Agreement.objects.count() == 0


def test_the_trust_indenture_act_is_the_officers_choice(officer):
    source = upload(HARTFORD, officer)
    with pytest.raises(ValidationError) as refusal:
        exhibit_confirm(source_id=source.pk, by=officer, values={})
    assert "tia" in refusal.value.message_dict
    assert Agreement.objects.count() == 0


def test_a_second_confirmation_is_refused(officer):
    source = upload(HARTFORD, officer)
    first = exhibit_confirm(source_id=source.pk, by=officer, values={"tia": "qualified"})
    with pytest.raises(ValidationError, match="already confirmed"):
        exhibit_confirm(
            source_id=source.pk, by=officer, values={"tia": "qualified", "slug": "other"}
        )
    assert list(Agreement.objects.all()) == [first]


def test_someone_who_is_not_a_trust_officer_is_refused():
    user = get_user_model().objects.create_user("clerk", is_staff=True, is_superuser=True)
    with pytest.raises(RoleRefused):
        exhibit_upload(file=HARTFORD.read_bytes(), file_name=HARTFORD.name, by=user)
    source = upload(HARTFORD, make_officer("intake2").user)
    with pytest.raises(RoleRefused):
        exhibit_confirm(source_id=source.pk, by=user, values={"tia": "qualified"})
    assert Agreement.objects.count() == 0


def test_a_period_in_months_is_not_proposed_as_days():
    proposal = {
        "kind": "indenture",
        "parties": {},
        "party_list": [],
        "terms": {
            "successor_window_days": {"value": 6, "unit": "months", "section": "6.10"},
            "cure_runs_from": {"value": "notice", "section": "5.1"},
        },
    }
    values, sources = proposed_values(proposal)
    assert values["terms"]["successor_days"] is None
    assert "6 months" in sources["terms"]["successor_days"]["note"]
    assert values["terms"]["cure_runs_from"] == "notice_to_guarantor"
