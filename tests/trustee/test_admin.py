"""The admin, as a signed-in superuser sees it, over the real demo data."""

import io
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse

from holders.models import Holder
from trustee.models import (
    Agreement,
    AgreementTerms,
    Deal,
    Heartbeat,
    NoticeAddress,
    OfficerAssignment,
    Party,
    Security,
    TrustOfficer,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("load_demo", holders=20, stdout=io.StringIO())
    security = Security.objects.get(title="Convertible Capital Securities")
    Holder.objects.create(
        holder_list=security.holder_lists.get(),
        security=security,
        name="Quintessa Vole",
        address_lines="7 Orchard Lane",
        city="Stamford",
        amount=Decimal("1000"),
    )
    beat = datetime(2024, 5, 1, 12, tzinfo=UTC)
    Heartbeat.objects.create(queue="default", worker="celery@alpha", beat_at=beat, count=3)
    Heartbeat.objects.create(queue="notices", worker="celery@beta", beat_at=beat, count=7)


@pytest.fixture
def officer_client(client):
    user = get_user_model().objects.create_superuser(
        "admin-test", "admin-test@trustdesk.example", "correct horse battery staple"
    )
    client.force_login(user)
    return client


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def assignment(slug, username):
    return OfficerAssignment.objects.get(agreement__slug=slug, officer__user__username=username)


# model, search term, the one row it finds, a row it must not find
ADMINS = {
    "party": (
        Party,
        "Wilmington",
        lambda: Party.objects.get(name="Wilmington Trust Company"),
        lambda: Party.objects.get(name="HSB Group, Inc."),
    ),
    "deal": (
        Deal,
        "HSB",
        lambda: Deal.objects.get(slug="hsb-capital-ii-trust-preferred"),
        lambda: Deal.objects.get(slug="hartford-2004-senior-notes"),
    ),
    "agreement": (
        Agreement,
        "Pledge",
        lambda: Agreement.objects.get(slug="hartford-2002-pledge-agreement"),
        lambda: Agreement.objects.get(slug="hsb-capital-ii"),
    ),
    "agreementterms": (
        AgreementTerms,
        "hsb",
        lambda: AgreementTerms.objects.get(agreement__slug="hsb-capital-ii"),
        lambda: AgreementTerms.objects.get(agreement__slug="hartford-capital-iii"),
    ),
    "security": (
        Security,
        "Convertible",
        lambda: Security.objects.get(title="Convertible Capital Securities"),
        lambda: Security.objects.get(title="4.75% Senior Notes due March 1, 2014"),
    ),
    "noticeaddress": (
        NoticeAddress,
        "Division",
        lambda: NoticeAddress.objects.get(
            agreement__slug="hsb-capital-ii", party__short_name="First Chicago"
        ),
        lambda: NoticeAddress.objects.get(
            agreement__slug="hartford-capital-iii", party__short_name="Wilmington Trust"
        ),
    ),
    "trustofficer": (
        TrustOfficer,
        "reyes",
        lambda: TrustOfficer.objects.get(user__username="mreyes"),
        lambda: TrustOfficer.objects.get(user__username="dchen"),
    ),
    "officerassignment": (
        OfficerAssignment,
        "chen hsb",
        lambda: assignment("hsb-capital-ii", "dchen"),
        lambda: assignment("hartford-capital-iii", "dchen"),
    ),
    "heartbeat": (
        Heartbeat,
        "beta",
        lambda: Heartbeat.objects.get(queue="notices"),
        lambda: Heartbeat.objects.get(queue="default"),
    ),
    "holder": (
        Holder,
        "Quintessa",
        lambda: Holder.objects.get(name="Quintessa Vole"),
        lambda: Holder.objects.get(name="Cede & Co.", security__title__startswith="Convertible"),
    ),
}


def test_each_admin_tested_here_is_registered():
    registered = {
        model._meta.model_name
        for model in admin.site._registry
        if model._meta.app_label in ("trustee", "holders")
    }
    assert set(ADMINS) <= registered


@pytest.mark.parametrize("name", ADMINS)
def test_changelist_lists_the_rows(demo, officer_client, name):
    model, _, found, other = ADMINS[name]
    response = officer_client.get(url(model, "changelist"))
    assert response.status_code == 200
    shown = {obj.pk for obj in response.context["cl"].result_list}
    assert {found().pk, other().pk} <= shown


@pytest.mark.parametrize("name", ADMINS)
def test_changelist_search_finds_one_row_and_not_another(demo, officer_client, name):
    model, term, found, other = ADMINS[name]
    response = officer_client.get(url(model, "changelist"), {"q": term})
    assert response.status_code == 200
    shown = [obj.pk for obj in response.context["cl"].result_list]
    assert shown == [found().pk], f"searching {term!r} showed {shown}"
    assert other().pk not in shown


@pytest.mark.parametrize("name", ADMINS)
def test_add_page(officer_client, name):
    model = ADMINS[name][0]
    response = officer_client.get(url(model, "add"))
    # Heartbeats come from workers and holders from imported lists: neither is added by hand.
    assert response.status_code == (403 if model in (Heartbeat, Holder) else 200)


@pytest.mark.parametrize("name", ADMINS)
def test_change_page_of_an_existing_row(demo, officer_client, name):
    model, _, found, _ = ADMINS[name]
    row = found()
    response = officer_client.get(url(model, "change", row.pk))
    assert response.status_code == 200
    assert response.context["original"] == row


def test_an_anonymous_visitor_is_sent_to_the_login_page(client):
    target = url(Agreement, "changelist")
    response = client.get(target)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('admin:login')}?next={target}"


# -- The agreement page -------------------------------------------------------------------------


def agreement_page(client, slug):
    agreement = Agreement.objects.get(slug=slug)
    response = client.get(url(Agreement, "change", agreement.pk))
    assert response.status_code == 200
    return response, response.content.decode()


def selected(obj, label=None):
    return f'<option value="{obj.pk}" selected>{label or obj}</option>'


def term_row(label, value, section):
    return f"<tr><th>{label}</th><td>{value}</td><td>{section}</td>"


def test_hartford_agreement_page_shows_parties_securities_officers_and_relations(
    demo, officer_client
):
    response, html = agreement_page(officer_client, "hartford-capital-iii")
    inline = {f.formset.prefix: f.formset for f in response.context["inline_admin_formsets"]}
    parties = {
        (form.instance.party.name, form.instance.role) for form in inline["agreement_parties"]
    }
    assert ("The Hartford Financial Services Group, Inc.", "guarantor") in parties
    assert ("Wilmington Trust Company", "trustee") in parties
    assert selected(Party.objects.get(name="The Hartford Financial Services Group, Inc.")) in html
    assert selected(Party.objects.get(name="Wilmington Trust Company")) in html
    assert 'value="7.45% Preferred Securities, Series A"' in html
    for username in ("mreyes", "dchen"):
        assert selected(TrustOfficer.objects.get(user__username=username)) in html
    assert "Maria Reyes" in html
    assert "David Chen" in html
    trust_agreement = Agreement.objects.get(slug="hartford-capital-iii-trust-agreement")
    assert selected(trust_agreement, "Hartford Capital III Trust Agreement") in html
    assert 'value="trust agreement"' in html


def test_hartford_agreement_page_shows_the_terms_with_their_clauses(demo, officer_client):
    _, html = agreement_page(officer_client, "hartford-capital-iii")
    assert '<table class="terms">' in html
    assert term_row("List of Holders dates", "February 15, August 15", "2.2(a)") in html
    assert term_row("Notice of default (days)", "90", "2.7(a)") in html
    assert term_row("Minimum capital and surplus", "$50,000,000.00", "4.1(a)(ii)") in html
    assert (
        "within 90 days after the occurrence of an Event of Default, transmit by mail, "
        "first class postage prepaid, to the Holders"
    ) in html


def test_hartford_agreement_page_shows_the_trustees_legal_name(demo, officer_client):
    _, html = agreement_page(officer_client, "hartford-capital-iii")
    assert "Wilmington Trust Company" in html


def test_hsb_agreement_page_shows_its_own_terms(demo, officer_client):
    _, html = agreement_page(officer_client, "hsb-capital-ii")
    assert term_row("List of Holders dates", "January 1, July 1", "2.2(a)") in html
    assert term_row("Notice of default (days)", "30", "2.7(a)") in html
    assert term_row("Cure period (days)", "90", "1.1") in html
    assert "February 15, August 15" not in html


def test_an_agreement_without_terms_offers_to_add_them(demo, officer_client):
    _, html = agreement_page(officer_client, "hartford-2002-pledge-agreement")
    assert "No terms recorded." in html
    assert reverse("admin:trustee_agreementterms_add") in html


# -- Editing terms in the admin -----------------------------------------------------------------


def form_data(response):
    """The POST a browser would send back unchanged from an admin change form."""

    def put(form):
        for field in form:
            value = field.value()
            if value is None or value is False:
                continue
            data[field.html_name] = "on" if value is True else str(value)

    data = {"_save": "Save"}
    put(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        put(inline.formset.management_form)
        for form in inline.formset.forms:
            put(form)
    return data


@pytest.fixture
def hartford_terms():
    return AgreementTerms.objects.get(agreement__slug="hartford-capital-iii")


def terms_form(client, terms):
    response = client.get(url(AgreementTerms, "change", terms.pk))
    assert response.status_code == 200
    return response


def test_the_terms_form_shows_dates_in_words_and_every_citation(
    demo, officer_client, hartford_terms
):
    response = terms_form(officer_client, hartford_terms)
    form = response.context["adminform"].form
    assert form.initial["holder_list_dates"] == ["02-15", "08-15"]
    assert form["holder_list_dates"].value() == "February 15, August 15"
    assert form["report_anchor"].value() == "July 1"
    data = form_data(response)
    assert data["citations-TOTAL_FORMS"] == str(hartford_terms.citations.count())
    assert data["citations-INITIAL_FORMS"] == data["citations-TOTAL_FORMS"]


def test_posting_the_terms_form_unchanged_saves_the_same_terms(
    demo, officer_client, hartford_terms
):
    before = AgreementTerms.objects.filter(pk=hartford_terms.pk).values().get()
    citations = hartford_terms.citations.count()
    response = officer_client.post(
        url(AgreementTerms, "change", hartford_terms.pk),
        form_data(terms_form(officer_client, hartford_terms)),
    )
    assert response.status_code == 302, response.context["errors"]
    after = AgreementTerms.objects.filter(pk=hartford_terms.pk).values().get()
    before.pop("updated_at"), after.pop("updated_at")
    assert after == before
    assert hartford_terms.citations.count() == citations


def test_february_30_in_the_terms_form_is_refused_and_nothing_changes(
    demo, officer_client, hartford_terms
):
    data = form_data(terms_form(officer_client, hartford_terms))
    data["holder_list_dates"] = "February 30, August 15"
    response = officer_client.post(url(AgreementTerms, "change", hartford_terms.pk), data)
    assert response.status_code == 200
    assert "February 30 does not exist: February has 28 days." in response.content.decode()
    assert "holder_list_dates" in response.context["adminform"].form.errors
    hartford_terms.refresh_from_db()
    assert hartford_terms.holder_list_dates == ["02-15", "08-15"]


def test_an_impossible_as_of_window_in_the_terms_form_is_refused(
    demo, officer_client, hartford_terms
):
    data = form_data(terms_form(officer_client, hartford_terms))
    data["holder_list_dates"] = "February 15, February 25"
    response = officer_client.post(url(AgreementTerms, "change", hartford_terms.pk), data)
    assert response.status_code == 200
    assert "not shorter than the 10 days" in response.content.decode()
    hartford_terms.refresh_from_db()
    assert hartford_terms.holder_list_dates == ["02-15", "08-15"]


def test_a_valid_change_of_list_dates_is_saved(demo, officer_client, hartford_terms):
    data = form_data(terms_form(officer_client, hartford_terms))
    assert data["holder_list_dates"] == "February 15, August 15"
    data["holder_list_dates"] = "March 1, September 1"
    response = officer_client.post(url(AgreementTerms, "change", hartford_terms.pk), data)
    assert response.status_code == 302
    assert response["Location"] == url(AgreementTerms, "changelist")
    hartford_terms.refresh_from_db()
    assert hartford_terms.holder_list_dates == ["03-01", "09-01"]
    assert hartford_terms.default_notice_days == 90
