"""What the Guarantor owes the trustee, walked in the admin on the demo data (load_demo): the
demo's cases in each state, a button per allowed action posting its form (with the file where
one is delivered) to the service, refusals shown on the form naming the field or statement."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_officer
from trustee.models import (
    Agreement,
    ComplianceCertificate,
    OfficersCertificate,
    PeriodicReport,
    SignatoryTitle,
    TrustOfficer,
    WorkflowStep,
)

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%%EOF\n"


def load():
    call_command("load_demo", holders=4, stdout=io.StringIO())


@pytest.fixture
def demo():
    load()
    return {o.user.username: o.user for o in TrustOfficer.objects.select_related("user")}


def as_officer(client, user):
    # The demo's logins are superusers (demo_login); the services decide who may act.
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    client.force_login(user)
    return client


def act(model, case, action):
    return reverse(f"admin:trustee_{model}_act", args=[case.pk, action])


def change(model, case):
    return reverse(f"admin:trustee_{model}_change", args=[case.pk])


def counts():
    return {
        model.__name__: sorted(model.objects.values_list("state", flat=True))
        for model in (ComplianceCertificate, OfficersCertificate, PeriodicReport)
    } | {"titles": SignatoryTitle.objects.count(), "steps": WorkflowStep.objects.count()}


def test_the_demo_has_a_case_in_each_state_and_loading_again_changes_nothing(demo):
    first = counts()
    assert first["ComplianceCertificate"] == [
        "accepted",
        "accepted",
        "expected",
        "late",
        "received",
        "returned",
    ]
    assert first["OfficersCertificate"] == ["examined", "received"]
    assert first["PeriodicReport"] == ["filed", "late", "received"]
    # §1.1 of each demo guarantee: 3 + 6 titles for Hartford, 4 + 4 for HSB, each quoted.
    assert first["titles"] == 17
    hsb = SignatoryTitle.objects.filter(agreement__slug="hsb-capital-ii", title="Controller")
    assert not hsb.exists()
    quote = SignatoryTitle.objects.filter(agreement__slug="hartford-capital-iii").first().quote
    assert "Chairman and Chief Executive Officer, President or a Vice President" in quote
    late = ComplianceCertificate.objects.get(state="late")
    assert late.chase_notice.kind == "certificate_chase" and late.chase_notice.status == "draft"
    load()
    assert counts() == first


def test_an_officer_walks_a_compliance_certificate_in_the_admin(demo, client):
    maker, checker = demo["mreyes"], demo["dchen"]
    case = ComplianceCertificate.objects.get(state="received")
    as_officer(client, maker)
    page = client.get(change("compliancecertificate", case)).content.decode()
    assert "Examine the certificate" in page and "Accept the certificate" not in page
    assert "Document as delivered" in page
    download = client.get(reverse("admin:trustee_compliancecertificate_document", args=[case.pk]))
    assert download.status_code == 200 and download.content == bytes(case.document.content)
    assert download["X-Content-SHA256"] == case.document.sha256

    refused = client.post(act("compliancecertificate", case, "examine"), {"signer_name": "X"})
    assert refused.status_code == 200 and "This field is required" in refused.content.decode()
    response = client.post(
        act("compliancecertificate", case, "examine"),
        {
            "signer_name": "Jane Q. Demo",
            "signer_title": "Chief Financial Officer",
            "signer_is_principal": "yes",
            "covers_period": "yes",
            "states_compliance": "yes",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    same = client.post(act("compliancecertificate", case, "accept"), {})
    assert "cannot accept it: a second officer must" in same.content.decode()
    as_officer(client, checker)
    assert client.post(act("compliancecertificate", case, "accept"), {}).status_code == 302
    case.refresh_from_db()
    assert case.state == "accepted"
    by = WorkflowStep.objects.filter(workflow="certificate", case_id=case.pk, new_state="accepted")
    assert by.get().by == checker


def test_the_late_certificate_is_received_through_the_admin_with_its_file(demo, client):
    maker, checker = demo["mreyes"], demo["dchen"]
    case = ComplianceCertificate.objects.get(state="late")
    as_officer(client, checker)
    page = client.get(change("compliancecertificate", case)).content.decode()
    assert "Approve and send the chase letter" in page
    # The scheduler drafted it, so any Responsible Officer may approve it.
    assert client.post(act("compliancecertificate", case, "chase"), {}).status_code == 302
    case.chase_notice.refresh_from_db()
    assert case.chase_notice.status == "approved"

    url = act("compliancecertificate", case, "receive")
    today = timezone.localdate()
    empty = client.post(
        url,
        {"file": SimpleUploadedFile("c.pdf", b"%PDF-"), "received_on": today + timedelta(days=1)},
    )
    assert "This date is in the future" in empty.content.decode()
    wrong = client.post(
        url, {"file": SimpleUploadedFile("c.exe", b"MZ"), "received_on": today.isoformat()}
    )
    assert "only .htm, .html, .pdf, .txt files are kept" in wrong.content.decode()
    assert b'enctype="multipart/form-data"' in wrong.content
    ok = client.post(
        url, {"file": SimpleUploadedFile("fy.pdf", PDF), "received_on": today.isoformat()}
    )
    assert ok.status_code == 302
    case.refresh_from_db()
    assert case.state == "received" and case.document.file_name == "fy.pdf"
    del maker


def test_an_officers_certificate_missing_a_statement_is_refused_naming_it(demo, client):
    maker, checker = demo["mreyes"], demo["dchen"]
    case = OfficersCertificate.objects.get(state="examined")
    as_officer(client, maker)
    page = client.get(change("officerscertificate", case)).content.decode()
    assert "(b) MISSING" in page and "Corporate Secretary" in page
    refused = client.post(act("officerscertificate", case, "accept"), {})
    assert refused.status_code == 200
    assert "(b) is missing: a brief statement of the nature and scope" in refused.content.decode()
    sent = client.post(act("officerscertificate", case, "return"), {"reason": "See below."})
    assert sent.status_code == 302
    case.refresh_from_db()
    assert case.state == "returned" and "(b) is missing" in case.returned_reason
    resubmit = client.post(
        act("officerscertificate", case, "resubmit"),
        {
            "file": SimpleUploadedFile("corrected.pdf", PDF),
            "dated": timezone.localdate().isoformat(),
            "received_on": timezone.localdate().isoformat(),
        },
    )
    assert resubmit.status_code == 302
    form = {
        "signer_1_name": "John Demo",
        "signer_1_title": "Senior Vice President",
        "signer_2_name": "Mary Demo",
        "signer_2_title": "Treasurer",
        **{f"statement_{code}": "on" for code in ("read", "scope", "sufficient", "complied")},
        "states_complied": "yes",
    }
    assert client.post(act("officerscertificate", case, "examine"), form).status_code == 302
    as_officer(client, checker)
    assert client.post(act("officerscertificate", case, "accept"), {}).status_code == 302
    case.refresh_from_db()
    assert case.state == "accepted" and case.statements["scope"] is True
    del checker


def test_an_officers_certificate_is_recorded_and_examined_from_the_admin(demo, client):
    maker = demo["mreyes"]
    hartford = Agreement.objects.get(slug="hartford-capital-iii")
    as_officer(client, maker)
    add = reverse("admin:trustee_officerscertificate_add")
    today = timezone.localdate().isoformat()
    values = {
        "agreement": hartford.pk,
        "kind": "officers_certificate",
        "act": "Amendment of §9.1",
        "act_on": today,
        "dated": today,
        "received_on": today,
    }
    missing = client.post(add, values)
    assert missing.status_code == 200 and "This field is required" in missing.content.decode()
    response = client.post(add, {**values, "file": SimpleUploadedFile("oc.pdf", PDF)})
    assert response.status_code == 302, response.content.decode()[:2000]
    case = OfficersCertificate.objects.get(act="Amendment of §9.1")
    form = {
        "signer_1_name": "A. Demo",
        "signer_1_title": "Executive Vice President",
        **{f"statement_{code}": "on" for code in ("read", "scope", "sufficient", "complied")},
        "states_complied": "yes",
    }
    page = client.get(act("officerscertificate", case, "examine")).content.decode()
    assert "Chairman and Chief Executive Officer" in page  # Hartford's own titles
    assert client.post(act("officerscertificate", case, "examine"), form).status_code == 302
    case.refresh_from_db()
    assert any("“Executive Vice President” is not a title" in p for p in case.problems)


def test_periodic_reports_are_recorded_and_filed_from_the_admin(demo, client):
    maker, checker = demo["mreyes"], demo["dchen"]
    hsb = Agreement.objects.get(slug="hsb-capital-ii")
    as_officer(client, checker)
    add = reverse("admin:trustee_periodicreport_add")
    neither = client.post(add, {"agreement": hsb.pk, "kind": "annual", "period_end": "2025-12-31"})
    text = neither.content.decode()
    assert "Attach the report received, or say when it is due." in text
    assert "Say where the due date comes from." in text
    no_date = client.post(
        add,
        {
            "agreement": hsb.pk,
            "kind": "annual",
            "period_end": "2025-12-31",
            "file": SimpleUploadedFile("10-K.txt", b"Annual report"),
        },
    )
    assert "Say when the report was received." in no_date.content.decode()
    response = client.post(
        add,
        {
            "agreement": hsb.pk,
            "kind": "annual",
            "period_end": "2025-12-31",
            "file": SimpleUploadedFile("10-K.txt", b"Annual report"),
            "received_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    report = PeriodicReport.objects.get(agreement=hsb, kind="annual")
    as_officer(client, maker)
    assert client.post(act("periodicreport", report, "file"), {"note": "Read."}).status_code == 302
    report.refresh_from_db()
    assert report.state == "filed"

    late = PeriodicReport.objects.get(state="late")
    page = client.get(change("periodicreport", late)).content.decode()
    assert act("periodicreport", late, "receive") in page
    assert act("periodicreport", late, "file") not in page
    listing = client.get(reverse("admin:trustee_periodicreport_changelist") + "?state=late")
    assert listing.status_code == 200 and str(late.agreement) in listing.content.decode()


def test_the_changelists_and_the_titles_table_open_for_a_trust_officer(demo, client):
    officer = make_officer("plain")  # a Responsible Officer without superuser rights
    client.force_login(officer.user)
    for name in (
        "compliancecertificate",
        "officerscertificate",
        "periodicreport",
        "signatorytitle",
    ):
        response = client.get(reverse(f"admin:trustee_{name}_changelist"))
        assert response.status_code == 200, name
    case = ComplianceCertificate.objects.get(state="received")
    page = client.get(change("compliancecertificate", case)).content.decode()
    assert "Examine the certificate" in page


def test_the_cases_are_on_the_agreements_timeline(demo, client):
    as_officer(client, demo["mreyes"])
    hartford = Agreement.objects.get(slug="hartford-capital-iii")
    page = client.get(reverse("admin:trustee_agreement_change", args=[hartford.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    late = ComplianceCertificate.objects.get(agreement=hartford, state="late")
    officers = OfficersCertificate.objects.get(agreement=hartford)
    report = PeriodicReport.objects.get(agreement=hartford, kind="annual")
    for model, case in (
        ("compliancecertificate", late),
        ("officerscertificate", officers),
        ("periodicreport", report),
    ):
        assert change(model, case) in text, model
    assert "is 10 days late" in text
