"""The structured-data loader: atomic, idempotent, and precise about what is wrong."""

import pytest
import yaml
from django.core.management import call_command

from trustee.loading import LoadError, load_documents
from trustee.models import Agreement, AgreementTerms, Party, TermCitation

pytestmark = pytest.mark.django_db

DOCUMENT = {
    "parties": [
        {
            "key": "acme",
            "name": "Acme Holdings, Inc.",
            "kind": "guarantor",
            "city": "Hartford",
            "state": "CT",
            "postal_code": "06115",
            "address_lines": ["1 Main St"],
            "emails": ["treasurer@acme.example"],
        },
        {"key": "bank", "name": "First Trust Bank", "kind": "trustee_bank"},
    ],
    "deals": [{"key": "d", "name": "Acme Trust Preferred", "slug": "acme-tp"}],
    "agreements": [
        {
            "slug": "acme-guarantee",
            "kind": "guarantee_agreement",
            "short_name": "Acme Guarantee",
            "deal": "d",
            "dated_as_of": "2005-01-31",
            "tia": "qualified",
            "our_role": "guarantee_trustee",
            "status": "active",
            "parties": [
                {"party": "acme", "role": "guarantor"},
                {"party": "bank", "role": "trustee"},
            ],
            "securities": [
                {
                    "title": "6% Capital Securities",
                    "kind": "capital_securities",
                    "coupon_rate": "6",
                    "unit_amount": "1000",
                    "unit_amount_basis": "liquidation_amount",
                    "aggregate_amount": "100000000",
                    "payment_dates": ["06-30", "12-31"],
                    "first_payment_date": "2005-06-30",
                }
            ],
            "terms": {
                "holder_list_dates": {
                    "value": ["03-31", "09-30"],
                    "section": "2.2(a)",
                    "quote": "on or before March 31 and September 30",
                },
                "holder_list_as_of_days": {"value": 15, "section": "2.2(a)", "quote": "15 days"},
                "default_notice_days": {"value": 45, "section": "2.7(a)", "quote": "45 days"},
                "default_notice_runs_from": {"value": "occurrence", "section": "2.7(a)"},
            },
        }
    ],
}


def write(tmp_path, document, name="data.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document, allow_unicode=True))
    return path


def test_a_valid_document_loads_with_its_citations(tmp_path):
    counts = load_documents([write(tmp_path, DOCUMENT)])
    agreement = Agreement.objects.get(slug="acme-guarantee")
    assert agreement.deal.slug == "acme-tp"
    assert agreement.party_in_role("guarantor").name == "Acme Holdings, Inc."
    assert agreement.terms.holder_list_dates == ["03-31", "09-30"]
    assert agreement.terms.default_notice_days == 45
    citation = agreement.terms.citations.get(term="holder_list_dates")
    assert (citation.section, citation.quote) == (
        "2.2(a)",
        "on or before March 31 and September 30",
    )
    security = agreement.securities.get()
    assert security.amount_outstanding == security.aggregate_amount == 100_000_000
    assert counts["agreements"] == 1


def test_loading_twice_changes_nothing_and_an_edit_updates_in_place(tmp_path):
    path = write(tmp_path, DOCUMENT)
    load_documents([path])
    load_documents([path])
    assert Agreement.objects.count() == 1
    assert TermCitation.objects.count() == 4
    edited = yaml.safe_load(path.read_text())
    edited["agreements"][0]["terms"]["default_notice_days"]["value"] = 30
    load_documents([write(tmp_path, edited)])
    assert AgreementTerms.objects.get().default_notice_days == 30


@pytest.mark.parametrize(
    ("change", "where"),
    [
        (
            lambda d: d["agreements"][0]["terms"]["holder_list_dates"].update(value=["02-30"]),
            "agreements[acme-guarantee].terms.holder_list_dates: February 30 does not exist",
        ),
        (
            lambda d: d["agreements"][0]["terms"]["default_notice_days"].update(value=-5),
            "agreements[acme-guarantee].terms.default_notice_days",
        ),
        (
            lambda d: d["agreements"][0]["terms"].update(cure_days={"value": 60}),
            "agreements[acme-guarantee].terms.cure_runs_from: Needed with cure period",
        ),
        (
            lambda d: d["agreements"][0]["terms"].update(grace_days={"value": 10}),
            "agreements[acme-guarantee].terms.grace_days: not a term Trustdesk knows",
        ),
        (
            lambda d: d["agreements"][0]["securities"][0].update(amount_outstanding="200000000"),
            "agreements[acme-guarantee].securities[6% Capital Securities].amount_outstanding",
        ),
        (
            lambda d: d["agreements"][0]["parties"].append({"party": "nobody", "role": "issuer"}),
            "agreements[acme-guarantee].parties: no party “nobody” in the data",
        ),
        (
            lambda d: d["agreements"][0].update(deal="missing"),
            "agreements[acme-guarantee].deal: no deal “missing” in the data",
        ),
    ],
)
def test_any_bad_value_names_where_it_is_and_writes_nothing(tmp_path, change, where):
    import copy

    document = copy.deepcopy(DOCUMENT)
    change(document)
    with pytest.raises(LoadError) as caught:
        load_documents([write(tmp_path, document)])
    assert any(problem.startswith(where) for problem in caught.value.problems), caught.value
    assert not Party.objects.exists()
    assert not Agreement.objects.exists()


def test_broken_yaml_is_reported_with_its_file(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("agreements: [unclosed\n")
    with pytest.raises(LoadError, match=r"broken\.yaml: not valid YAML"):
        load_documents([path])


def test_demo_login_is_created_once_and_prints_the_same_password(settings, tmp_path, capsys):
    from django.contrib.auth import authenticate
    from django.test import RequestFactory

    settings.VAR_DIR = tmp_path
    call_command("demo_login")
    first = capsys.readouterr().out
    call_command("demo_login")
    assert capsys.readouterr().out == first
    password = first.splitlines()[0].split("password")[1].strip()
    for username in ("demo", "demo-checker"):
        login = RequestFactory().post("/admin/login/")  # django-axes counts logins per request
        user = authenticate(login, username=username, password=password)
        assert user is not None and user.is_staff and user.trust_officer.is_responsible_officer
    assert (tmp_path / "demo-login.txt").stat().st_mode & 0o077 == 0


def test_demo_commands_refuse_production(settings):
    from django.core.management.base import CommandError

    settings.PRODUCTION = True
    for command in ("demo_login", "load_demo"):
        with pytest.raises(CommandError, match="production"):
            call_command(command)
