"""Agreement intake in the admin: upload, review each value beside its quote, correct, confirm."""

from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import make_officer
from trustee.models import Agreement, AgreementSource, Obligation, Party, TermCitation

pytestmark = pytest.mark.django_db

SEEDS = Path("/work/shared/seeds")
HARTFORD = SEEDS / "hartford-capital-iii-guarantee-agreement-2001.txt"
HSB = SEEDS / "hsb-capital-ii-guarantee-agreement-1997.txt"
ADD = reverse("admin:trustee_agreementsource_add")


class _FormValues(HTMLParser):
    """What a browser would post for the first form with a Confirm button: inputs, selects
    with their selected option, textareas."""

    def __init__(self):
        super().__init__()
        self.values, self._select, self._textarea, self._first_option = {}, None, None, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "file", "checkbox"):
            self.values[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select:
            value = attrs.get("value") or ""
            self._first_option.setdefault(self._select, value)
            if "selected" in attrs:
                self.values[self._select] = value
        elif tag == "textarea" and name:
            self._textarea = name
            self.values[name] = ""

    def handle_data(self, data):
        if self._textarea:
            self.values[self._textarea] += data

    def handle_endtag(self, tag):
        if tag == "select" and self._select:
            self.values.setdefault(self._select, self._first_option.get(self._select, ""))
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def form_values(response):
    parser = _FormValues()
    parser.feed(response.content.decode())
    values = parser.values
    values.pop("csrfmiddlewaretoken", None)
    return values


@pytest.fixture
def officer_client(client):
    officer = make_officer("x", superuser=True)
    client.force_login(officer.user)
    return client


def upload(client, path):
    data = path.read_bytes()
    return client.post(ADD, {"file": SimpleUploadedFile(path.name, data, "text/plain")})


def review_url(source):
    return reverse("admin:trustee_agreementsource_change", args=[source.pk])


def test_the_upload_page_shows_a_file_field(officer_client):
    response = officer_client.get(ADD)
    assert response.status_code == 200
    assert 'type="file"' in response.content.decode()


def test_upload_review_confirm_hartford(officer_client):
    response = upload(officer_client, HARTFORD)
    source = AgreementSource.objects.get()
    assert response.status_code == 302 and response["Location"] == review_url(source)
    assert Agreement.objects.count() == 0  # nothing is saved before confirmation

    page = officer_client.get(review_url(source))
    html = page.content.decode()
    assert page.status_code == 200
    # each value beside its section and quote
    assert "§2.2(a)" in html and "on or before February 15 and August 15" in html
    assert (
        "§2.7(a)" in html and "within 90 days after the occurrence of an Event of Default" in html
    )
    assert "§8.6" in html and "LAWS OF THE STATE OF NEW YORK" in html
    assert "7.45% Preferred Securities, Series A" in html
    assert "Wilmington Trust Company" in html
    values = form_values(page)
    assert values["term_holder_list_dates"] == "February 15, August 15"
    assert values["term_default_notice_days"] == "90"
    assert values["term_cure_days"] == "60"
    assert values["short_name"] == "Hartford Capital III Guarantee"
    assert values["dated_as_of"] == "2001-10-26"
    assert values["tia"] == ""  # the officer chooses
    assert Agreement.objects.count() == 0

    values["tia"] = "qualified"
    response = officer_client.post(review_url(source), values)
    agreement = Agreement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:trustee_agreement_change", args=[agreement.pk])

    terms = agreement.terms
    assert terms.holder_list_dates == ["02-15", "08-15"]
    assert terms.default_notice_days == 90
    assert terms.cure_days == 60
    assert terms.report_anchor == "07-01"
    assert TermCitation.objects.get(terms=terms, term="default_notice_days").section == "2.7(a)"
    assert agreement.party_in_role("guarantor").name.startswith("The Hartford Financial")
    assert agreement.securities.get().title == "7.45% Preferred Securities, Series A"
    assert Obligation.objects.filter(agreement=agreement).exists()
    source.refresh_from_db()
    assert source.agreement == agreement and source.confirmed_by.username == "x"

    # the agreement's page shows its terms table and its duty timeline
    html = officer_client.get(response["Location"]).content.decode()
    assert 'class="terms"' in html and "February 15" in html
    assert Obligation.objects.filter(agreement=agreement).first().title in html

    # the source's page now links the agreement and is read only
    html = officer_client.get(review_url(source)).content.decode()
    assert reverse("admin:trustee_agreement_change", args=[agreement.pk]) in html
    assert "Confirm and create the agreement" not in html
    assert 'name="term_cure_days"' not in html


def test_upload_review_confirm_hsb(officer_client):
    upload(officer_client, HSB)
    source = AgreementSource.objects.get()
    values = form_values(officer_client.get(review_url(source)))
    assert values["term_holder_list_commencement"] == "1998-07-01"
    values["tia"] = "by_contract"
    officer_client.post(review_url(source), values)
    agreement = Agreement.objects.get()
    assert agreement.terms.holder_list_dates == ["01-01", "07-01"]
    assert agreement.terms.cure_days == 90 and agreement.terms.rating_categories == 3
    assert Obligation.objects.filter(agreement=agreement).exists()
    assert AgreementSource.objects.get().agreement == agreement


def test_a_value_corrected_on_the_review_page_is_stored(officer_client):
    upload(officer_client, HARTFORD)
    source = AgreementSource.objects.get()
    values = form_values(officer_client.get(review_url(source)))
    values.update(tia="qualified", term_cure_days="45", short_name="Hartford III Guarantee")
    values["party_0_name"] = ""  # leave the guarantor out
    values["party_3_name"] = "Acme Paying Agent Inc."  # the spare row: a party added
    values["party_3_role"] = "other"
    response = officer_client.post(review_url(source), values)
    assert response.status_code == 302
    agreement = Agreement.objects.get()
    assert agreement.short_name == "Hartford III Guarantee"
    assert agreement.terms.cure_days == 45
    assert TermCitation.objects.get(terms=agreement.terms, term="cure_days").section == "1.1"
    assert agreement.party_in_role("guarantor") is None
    assert agreement.party_in_role("other").name == "Acme Paying Agent Inc."
    source.refresh_from_db()
    assert source.review["corrected"]["terms.cure_days"] == {"proposed": 60, "confirmed": 45}


def test_a_refused_value_shows_on_the_form_and_nothing_is_saved(officer_client):
    upload(officer_client, HARTFORD)
    source = AgreementSource.objects.get()
    values = form_values(officer_client.get(review_url(source)))
    values.update(tia="qualified", term_cure_runs_from="")
    response = officer_client.post(review_url(source), values)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "term_cure_runs_from" in errors
    assert "Needed with cure period (days)" in response.content.decode()
    assert Agreement.objects.count() == 0 and Party.objects.count() == 0
    # without the Trust Indenture Act chosen
    values.update(tia="", term_cure_runs_from="notice_to_guarantor")
    response = officer_client.post(review_url(source), values)
    assert "tia" in response.context["form"].errors
    assert Agreement.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty"),
        (b"%PDF-1.7\n\x00\x00\x01binary", "binary file"),
        (b"Minutes of the meeting of the board.\nPresent: all.\n", "does not look like"),
    ],
)
def test_a_bad_upload_shows_the_message_and_stores_nothing(officer_client, data, message):
    response = officer_client.post(ADD, {"file": SimpleUploadedFile("x.txt", data, "text/plain")})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert AgreementSource.objects.count() == 0


def test_a_too_large_upload_is_refused(officer_client, settings):
    settings.TRUSTDESK_MAX_EXHIBIT_BYTES = 2048
    response = upload(officer_client, HARTFORD)
    assert response.status_code == 200
    assert "larger than" in response.content.decode()
    assert AgreementSource.objects.count() == 0


def test_a_second_confirmation_is_refused(officer_client):
    upload(officer_client, HARTFORD)
    source = AgreementSource.objects.get()
    values = form_values(officer_client.get(review_url(source)))
    values["tia"] = "qualified"
    officer_client.post(review_url(source), values)
    # a second post of the same review: the page is read only now, nothing more is created
    values["slug"] = "another-slug"
    values["short_name"] = "Another"
    response = officer_client.post(review_url(source), values, follow=True)
    assert "already confirmed" in response.content.decode()
    assert Agreement.objects.count() == 1


def test_the_text_is_viewable_and_downloadable(officer_client):
    upload(officer_client, HARTFORD)
    source = AgreementSource.objects.get()
    url = reverse("admin:trustee_agreementsource_text", args=[source.pk])
    assert url in officer_client.get(review_url(source)).content.decode()
    response = officer_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    assert response.content.decode() == source.text
    download = officer_client.get(url, {"download": "1"})
    assert download["Content-Disposition"].startswith("attachment")
    assert HARTFORD.name in download["Content-Disposition"]


def test_someone_who_is_not_a_trust_officer_is_refused_by_the_service(client):
    user = get_user_model().objects.create_user("clerk", is_staff=True, is_superuser=True)
    client.force_login(user)
    response = upload(client, HARTFORD)
    assert response.status_code == 200
    assert "only a trust officer" in response.content.decode()
    assert AgreementSource.objects.count() == 0

    # an officer uploads; the clerk cannot confirm it
    officer = make_officer("x", superuser=True)
    client.force_login(officer.user)
    upload(client, HARTFORD)
    source = AgreementSource.objects.get()
    values = form_values(client.get(review_url(source)))
    values["tia"] = "qualified"
    client.force_login(user)
    response = client.post(review_url(source), values)
    assert response.status_code == 200
    assert "only a trust officer" in response.content.decode()
    assert Agreement.objects.count() == 0


def test_the_list_shows_what_became_of_each_upload(officer_client):
    upload(officer_client, HARTFORD)
    html = officer_client.get(reverse("admin:trustee_agreementsource_changelist")).content
    assert b"Awaiting review" in html and HARTFORD.name.encode() in html


def test_the_review_page_says_when_the_same_text_was_uploaded_before(officer_client):
    upload(officer_client, HSB)
    upload(officer_client, HSB)
    second = AgreementSource.objects.order_by("pk").last()
    html = officer_client.get(review_url(second)).content.decode()
    assert "The same text was uploaded before" in html


def test_a_trust_administrator_who_is_not_a_superuser_can_do_it_all(client):
    client.force_login(make_officer("ta", responsible=False).user)
    assert upload(client, HARTFORD).status_code == 302
    source = AgreementSource.objects.get()
    values = form_values(client.get(review_url(source)))
    values["tia"] = "qualified"
    assert client.post(review_url(source), values).status_code == 302
    assert AgreementSource.objects.get().agreement == Agreement.objects.get()
    assert client.get(review_url(source)).status_code == 200
