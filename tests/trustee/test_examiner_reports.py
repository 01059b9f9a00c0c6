"""The reports for supervisors and examiners (trustee/examiner_reports.py, report_exports.py,
report_urls.py): which agreements each lists as of a date, the three files parsed back, who
may see them, and the queries they cost."""

import csv
import io
from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import openpyxl
import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from holders.models import Holder, HolderList
from holders.votes import solicitation_open, vote_record
from tests.factories import (
    make_agreement,
    make_officer,
    make_party,
    make_security,
    make_terms,
    with_guarantor,
)
from trustee import report_exports
from trustee import workflows as flows
from trustee.examiner_reports import (
    Action,
    DefaultRow,
    LateDeliverableRow,
    guarantor_deliverables_late,
    trusteeships_in_default,
)
from trustee.models import Agreement, Obligation, ReportExport, TermCitation, TrustOfficer
from trustee.obligations import materialize, obligation_complete
from trustee.roles import AUDITOR, SUPERVISOR

pytestmark = pytest.mark.django_db
NEW_YORK = ZoneInfo("America/New_York")


def at(day):
    return time_machine.travel(datetime(day.year, day.month, day.day, 9, tzinfo=NEW_YORK))


def guarantee(name, *, guarantor=None, **security):
    agreement = make_agreement(short_name=name)
    terms = make_terms(agreement)
    # The section the calendar cites for each List of Holders (§2.2(a), as in both demos).
    TermCitation.objects.create(terms=terms, term="holder_list_dates", section="2.2(a)")
    guarantor = guarantor or f"{name} Parent, Inc."
    with_guarantor(agreement, make_party(name=guarantor, short_name=guarantor[:20]))
    make_security(agreement, **security)
    return agreement


def payment_default(agreement, *, on, by, today=None, text="The distribution was not paid."):
    return flows.default_record(
        agreement=agreement,
        occurred_on=on,
        is_payment_default=True,
        description=text,
        by=by,
        today=today or on,
    )


@pytest.fixture
def officer():
    return make_officer("reyes").user


# -- trusteeships in default ---------------------------------------------------------------


def test_open_defaults_are_listed_and_cured_ones_are_not_once_cured(officer):
    alpha = guarantee("Alpha Capital I Guarantee", guarantor="Alpha Group, Inc.")
    beta = guarantee("Beta Capital II Guarantee", guarantor="Beta Corp.")
    gamma = guarantee("Gamma Capital III Guarantee")
    open_case = payment_default(alpha, on=date(2026, 1, 5), by=officer)
    cured = payment_default(beta, on=date(2026, 1, 10), by=officer)
    flows.default_cure(
        case_id=cured.pk,
        by=officer,
        cured_on=date(2026, 2, 1),
        note="Paid in full with interest.",
        today=date(2026, 2, 2),
    )
    payment_default(gamma, on=date(2026, 3, 1), by=officer)  # after the as-of date

    rows = trusteeships_in_default(date(2026, 2, 16))
    assert [row.agreement for row in rows] == ["Alpha Capital I Guarantee"]
    [row] = rows
    assert row.default_id == open_case.pk
    assert row.guarantor == "Alpha Group, Inc."
    assert row.occurred_on == date(2026, 1, 5)
    assert row.nature == "Payment default"
    assert row.description == "The distribution was not paid."
    assert row.days_in_default == 42
    assert row.status == "Event of Default: notice due"
    assert [a.status for a in row.actions] == [
        "Default: cure period running",
        "Event of Default: notice due",
    ]
    assert row.actions[0].by == "Test Reyes"
    assert "Event of Default at once" in row.actions[1].comment
    assert row.amount_outstanding == Decimal("575000000.00")
    assert (row.currency, row.amount_basis) == ("USD", "Liquidation preference")

    # Before the cure, Beta was in default too: the report is as of its date.
    before = trusteeships_in_default(date(2026, 1, 20))
    assert [row.agreement for row in before] == [
        "Alpha Capital I Guarantee",
        "Beta Capital II Guarantee",
    ]
    # On the day of the cure it is no longer; the later one counts from its own date.
    later = trusteeships_in_default(date(2026, 3, 1))
    assert [row.agreement for row in later] == [
        "Alpha Capital I Guarantee",
        "Gamma Capital III Guarantee",
    ]


def test_the_status_and_actions_are_those_recorded_by_the_as_of_date(officer):
    alpha = guarantee("Alpha Capital I Guarantee")
    case = payment_default(alpha, on=date(2026, 1, 5), by=officer, today=date(2026, 1, 7))
    flows.default_notice_draft(
        case_id=case.pk,
        by=officer,
        details="The distribution was not paid.",
        today=date(2026, 2, 1),
    )
    [then] = trusteeships_in_default(date(2026, 1, 20))
    assert then.status == "Event of Default: notice due"
    assert [a.on for a in then.actions] == [date(2026, 1, 7), date(2026, 1, 7)]
    [now] = trusteeships_in_default(date(2026, 2, 16))
    assert now.status == "Event of Default: notice awaiting approval"
    assert now.actions[-1].on == date(2026, 2, 1)
    # Occurred but not yet recorded on the date asked about: listed, and said so.
    [unknown] = trusteeships_in_default(date(2026, 1, 6))
    assert unknown.status == "Not yet recorded (recorded Wed 7 Jan 2026)"
    assert unknown.actions == ()


def test_a_default_waived_by_the_holders_is_not_listed():
    call_command("load_demo", holders=6, stdout=io.StringIO())
    hsb = Agreement.objects.get(slug="hsb-capital-ii")
    officer = TrustOfficer.objects.get(user__username="mreyes").user
    today = timezone.localdate()
    case = payment_default(hsb, on=today - timedelta(days=3), by=officer, today=today)
    assert [r.default_id for r in trusteeships_in_default(today)] == [case.pk]
    _waive(case, officer, today)
    assert trusteeships_in_default(today) == []
    # Still listed as of a day before the waiver.
    assert [r.default_id for r in trusteeships_in_default(today - timedelta(days=1))] == [case.pk]


def _waive(case, by, today):
    record = HolderList.objects.get(security=case.security, status="imported")
    solicitation = solicitation_open(
        record_list=record,
        kind="waiver",
        description="Waiver of the payment default",
        opened_on=today,
        by=by,
    )
    holders = list(Holder.objects.filter(holder_list=record).order_by("-amount"))
    total = sum(h.amount for h in holders if h.counts_in_votes)
    consenting = Decimal(0)
    for holder in holders:
        if consenting * 2 > total:
            break
        vote_record(
            solicitation=solicitation, holder=holder, response="consent", received_on=today, by=by
        )
        consenting += holder.amount if holder.counts_in_votes else 0
    flows.default_waive(case_id=case.pk, by=by, solicitation=solicitation, today=today)
    case.refresh_from_db()
    assert case.state == "waived"


# -- the Guarantors' deliverables not received -------------------------------------------


def test_overdue_guarantor_deliverables_are_listed_with_days_late(officer):
    # Hartford-like terms: Lists of Holders on Feb 15 and Aug 15; August 15, 2025 is a Friday.
    alpha = guarantee(
        "Alpha Capital I Guarantee",
        guarantor="Alpha Group, Inc.",
        payment_dates=["03-01", "09-01"],
        first_payment_date=date(2025, 9, 1),
    )
    beta = guarantee("Beta Capital II Guarantee")
    materialize(today=date(2025, 8, 1), agreements=Agreement.objects.all())
    august = Obligation.objects.get(agreement=alpha, kind="holder_list", due_date__year=2025)
    assert august.due_date == date(2025, 8, 15)
    delivered = Obligation.objects.get(agreement=beta, kind="holder_list", due_date__year=2025)
    obligation_complete(obligation_id=delivered.pk, by=officer, evidence="List received.")

    rows = guarantor_deliverables_late(date(2025, 9, 1))
    assert [(r.agreement, r.kind, r.due_on, r.days_late) for r in rows] == [
        ("Alpha Capital I Guarantee", "List of Holders", date(2025, 8, 15), 17)
    ]
    [row] = rows
    assert row.obligation_id == august.pk
    assert row.guarantor == "Alpha Group, Inc."
    assert row.section == "§2.2(a)"
    assert row.officer == ""
    # The payment of September 1 is the Guarantor's too, but a missed payment is a default,
    # not a deliverable; the trustee's own report to Holders is not the Guarantor's.
    assert Obligation.objects.filter(agreement=alpha, kind="payment").exists()
    later = guarantor_deliverables_late(date(2025, 10, 1))
    assert {r.kind for r in later} == {"List of Holders"}
    # What the trustee did to obtain it: the request the sweep opened and escalated.
    assert row.chased == ""
    flows.list_requests_open(today=date(2025, 8, 1))
    flows.list_requests_overdue(today=date(2025, 8, 18))
    [chased] = guarantor_deliverables_late(date(2025, 9, 1))
    assert chased.chased.startswith("Overdue")
    assert "1 escalation, the last Mon 18 Aug 2025" in chased.chased
    # Due on the as-of date itself: not yet late.
    assert guarantor_deliverables_late(date(2025, 8, 15)) == []
    assert [r.days_late for r in guarantor_deliverables_late(date(2025, 8, 16))] == [1]


def test_a_done_or_excused_deliverable_is_not_listed(officer):
    alpha = guarantee("Alpha Capital I Guarantee")
    materialize(today=date(2025, 8, 1), agreements=Agreement.objects.all())
    august = Obligation.objects.get(agreement=alpha, kind="holder_list", due_date__year=2025)
    assert [r.obligation_id for r in guarantor_deliverables_late(date(2025, 9, 1))] == [august.pk]
    from trustee.obligations import obligation_waive

    obligation_waive(obligation_id=august.pk, by=officer, reason="Identical list (§2.2(a)).")
    assert guarantor_deliverables_late(date(2025, 9, 1)) == []


def test_certificate_and_report_cases_with_no_duty_on_the_calendar_are_listed_when_late(
    officer, client
):
    """Terms that state no date for the certificate (both demos: "as TIA §314 requires") have
    no duty on the calendar: the case an officer opened with its due date is what is late."""
    from trustee.workflows.deliverables import certificate_expect, periodic_report_expect

    alpha = guarantee("Alpha Capital I Guarantee")
    alpha.terms.fiscal_year_end = None
    alpha.terms.save()
    certificate = certificate_expect(
        agreement=alpha,
        period_end=date(2024, 12, 31),
        due_on=date(2025, 4, 30),
        basis="TIA §314(a)(4): within 120 days of the fiscal year end.",
        by=officer,
        today=date(2025, 1, 5),
    )
    report = periodic_report_expect(
        agreement=alpha,
        kind="annual",
        period_end=date(2024, 12, 31),
        due_on=date(2025, 5, 15),
        basis="Form 10-K: 15 days after it is filed with the SEC.",
        by=officer,
        today=date(2025, 1, 5),
    )
    assert guarantor_deliverables_late(date(2025, 4, 30)) == []
    rows = guarantor_deliverables_late(date(2025, 6, 1))
    assert [(r.kind, r.due_on, r.days_late, r.section) for r in rows] == [
        ("Compliance certificate", date(2025, 4, 30), 32, "§2.4"),
        ("Periodic report", date(2025, 5, 15), 17, "§2.4"),
    ]
    assert [(r.link, r.record_id) for r in rows] == [
        ("admin:trustee_compliancecertificate_change", certificate.pk),
        ("admin:trustee_periodicreport_change", report.pk),
    ]
    assert rows[0].guarantor == "Alpha Capital I Guarantee Parent, Inc."
    # The report's page links each row to its case, not to a duty.
    client.force_login(role_user(AUDITOR))
    page = client.get(reverse("reports:late_deliverables"), {"as_of": "2025-06-01"})
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("admin:trustee_compliancecertificate_change", args=[certificate.pk]) in html
    assert reverse("admin:trustee_periodicreport_change", args=[report.pk]) in html


# -- with the demo data ------------------------------------------------------------------------


def test_the_demo_agreements_in_both_reports():
    call_command("load_demo", holders=6, stdout=io.StringIO())
    hartford = Agreement.objects.get(slug="hartford-capital-iii")
    hsb = Agreement.objects.get(slug="hsb-capital-ii")
    officer = TrustOfficer.objects.get(user__username="mreyes").user
    today = timezone.localdate()

    # Hartford: a payment default, an Event of Default at once. HSB: a covenant default cured.
    payment_default(hartford, on=today - timedelta(days=20), by=officer, today=today)
    covenant = flows.default_record(
        agreement=hsb,
        occurred_on=today - timedelta(days=30),
        is_payment_default=False,
        description="Covenant breach.",
        by=officer,
        today=today,
    )
    flows.default_cure(
        case_id=covenant.pk,
        by=officer,
        cured_on=today - timedelta(days=5),
        note="Remedied.",
        today=today,
    )
    rows = trusteeships_in_default(today)
    assert {row.agreement for row in rows} == {"Hartford Capital III Guarantee"}
    [row] = [r for r in rows if r.nature == "Payment default"]
    assert row.guarantor == "The Hartford Financial Services Group, Inc."
    assert row.security == "7.45% Preferred Securities, Series A"
    assert row.amount_basis == "Liquidation preference"
    assert {r.agreement for r in trusteeships_in_default(today - timedelta(days=10))} == {
        "Hartford Capital III Guarantee",
        "HSB Capital II Guarantee",
    }

    # The Lists of Holders: HSB's fall on Jan 1 and Jul 1, Hartford's on Feb 15 and Aug 15
    # (demo.yaml). Ten days after HSB's next one, HSB's is late and Hartford's next is not.
    hsb_list = (
        Obligation.objects.filter(agreement=hsb, kind="holder_list", due_date__gte=today)
        .order_by("due_date")
        .first()
    )
    as_of = hsb_list.due_date + timedelta(days=10)
    late = guarantor_deliverables_late(as_of)
    lists = {(r.agreement, r.due_on, r.days_late) for r in late if r.kind == "List of Holders"}
    assert ("HSB Capital II Guarantee", hsb_list.due_date, 10) in lists
    hartford_lists = Obligation.objects.filter(agreement=hartford, kind="holder_list")
    assert all((r.due_on < as_of) for r in late if r.agreement == "Hartford Capital III Guarantee")
    assert not any(
        r.obligation_id in {o.pk for o in hartford_lists.filter(due_date__gte=as_of)} for r in late
    )
    # Only the two guarantees have terms, so only their Guarantors owe the trustee anything.
    assert {r.agreement for r in late} <= {
        "HSB Capital II Guarantee",
        "Hartford Capital III Guarantee",
    }
    for r in late:
        if r.obligation_id is None:
            # A certificate or report case the demo opened by hand (its terms give no date).
            assert r.kind in {"Compliance certificate", "Periodic report"}
            assert r.due_on < as_of and r.days_late > 0
            continue
        duty = Obligation.objects.get(pk=r.obligation_id)
        assert duty.owed_by == "guarantor" and duty.is_open and duty.due_date < as_of
    # The demo's late certificate (deliverables_demo) is in the report.
    assert any(r.kind == "Compliance certificate" for r in late)


# -- queries ---------------------------------------------------------------------------------


def test_each_report_reads_in_a_fixed_number_of_queries(officer, django_assert_max_num_queries):
    for n in range(12):
        agreement = guarantee(f"Capital {n:02d} Guarantee")
        payment_default(agreement, on=date(2026, 1, 5), by=officer)
    materialize(today=date(2025, 8, 1), agreements=Agreement.objects.all())
    with django_assert_max_num_queries(3):
        assert len(trusteeships_in_default(date(2026, 2, 16))) == 12
    # The duties, the certificate cases, the report cases and the Guarantors' names.
    with django_assert_max_num_queries(4):
        assert len(guarantor_deliverables_late(date(2026, 2, 16))) >= 12


# -- the pages and the files -----------------------------------------------------------------


def role_user(role, *, staff=True):
    user = get_user_model().objects.create_user(
        f"{role.lower().replace(' ', '-')}-{staff}",
        first_name="Ann",
        last_name=role.title(),
        is_staff=staff,
    )
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def in_default(officer):
    alpha = guarantee("Alpha Capital I Guarantee", guarantor="Alpha Group, Inc.")
    beta = guarantee("Beta Capital II Guarantee", guarantor="Beta Corp.")
    payment_default(alpha, on=date(2026, 1, 5), by=officer)
    payment_default(
        beta,
        on=date(2026, 2, 2),
        by=officer,
        text='=HYPERLINK("http://example.com","click") and the interest of § 2.7',
    )
    return alpha, beta


def url(name, **query):
    from urllib.parse import urlencode

    return reverse(f"reports:{name}") + ("?" + urlencode(query) if query else "")


def test_the_page_lists_the_defaults_with_links_and_downloads(client, in_default):
    client.force_login(role_user(SUPERVISOR))
    page = client.get(url("defaults", as_of="2026-02-16"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Trusteeships in default as of Mon 16 Feb 2026" in text
    assert "2 defaults under 2 agreements" in text
    assert "Alpha Capital I Guarantee" in text and "USD 575,000,000.00" in text
    case = in_default[0].default_cases.get()
    assert f'href="{reverse("admin:trustee_defaultcase_change", args=[case.pk])}"' in text
    assert "?as_of=2026-02-16&amp;format=pdf" in text
    assert '<div class="breadcrumbs">' in text
    index = client.get(url("index")).content.decode()
    assert url("defaults") in index and url("late_deliverables") in index


def test_a_bad_or_future_date_or_format_is_an_error_on_the_page(client, in_default):
    client.force_login(role_user(AUDITOR))
    for query, message in (
        ({"as_of": "2026-02-30"}, "Enter the as-of date as YYYY-MM-DD"),
        ({"as_of": "16/02/2026", "format": "pdf"}, "Enter the as-of date as YYYY-MM-DD"),
        ({"as_of": "2999-01-01"}, "cannot be in the future"),
        ({"as_of": "2026-02-16", "format": "doc"}, "The format must be one of csv, xlsx, pdf"),
    ):
        response = client.get(url("defaults", **query))
        assert response.status_code == 400, query
        assert message in response.content.decode(), query
        assert response["Content-Type"].startswith("text/html")


def test_the_as_of_date_is_today_unless_given(client, officer):
    alpha = guarantee("Alpha Capital I Guarantee")
    payment_default(alpha, on=date(2026, 1, 5), by=officer)
    client.force_login(role_user(SUPERVISOR))
    with at(date(2026, 1, 4)):
        assert "No trusteeship was in default" in client.get(url("defaults")).content.decode()
    with at(date(2026, 1, 6)):
        page = client.get(url("defaults")).content.decode()
    assert "as of Tue 6 Jan 2026" in page and "Alpha Capital I Guarantee" in page


def test_who_may_see_the_reports(client, in_default):
    anonymous = client.get(url("defaults"))
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    client.force_login(role_user(SUPERVISOR, staff=False))
    not_staff = client.get(url("defaults", format="csv"))
    assert not_staff.status_code == 302 and "login" in not_staff["Location"]
    administrator = make_officer("clerk", responsible=False).user  # a Trust Administrator
    client.force_login(administrator)
    for name in ("index", "defaults", "late_deliverables"):
        assert client.get(url(name)).status_code == 403
    assert client.get(url("defaults", format="pdf")).status_code == 403
    for user in (role_user(SUPERVISOR), role_user(AUDITOR), make_officer("ro").user):
        client.force_login(user)
        assert client.get(url("late_deliverables")).status_code == 200


def _download(client, name, fmt, as_of="2026-02-16"):
    response = client.get(url(name, as_of=as_of, format=fmt))
    assert response.status_code == 200, response.content[:500]
    ext = fmt
    assert response["Content-Disposition"].endswith(f'-{as_of}.{ext}"')
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def test_the_csv_parses_back_to_the_same_rows(client, in_default, caplog):
    client.force_login(role_user(AUDITOR))
    with caplog.at_level("INFO", logger="trustee.report_urls"):
        response, body = _download(client, "defaults", "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert body.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert table[0] == report_exports.DEFAULTS.headers()
    assert len(table) == 3
    rows = trusteeships_in_default(date(2026, 2, 16))
    head = table[0]
    for line, row in zip(table[1:], rows, strict=True):
        cell = dict(zip(head, line, strict=True))
        assert cell["Agreement"] == row.agreement
        assert cell["Default occurred"] == row.occurred_on.isoformat()
        assert cell["Amount outstanding"] == "575000000.00"
        assert cell["Currency"] == "USD"
        assert cell["Days since default"] == str(row.days_in_default)
        assert cell["Actions taken"].count("\n") == 1
    beta = dict(zip(head, table[2], strict=True))
    # A formula typed into a description is shown as text, never run.
    assert beta["What happened"] == "'" + rows[1].description
    assert "Report exported: Trusteeships in default as of 2026-02-16, csv, 2 rows" in caplog.text
    record = ReportExport.objects.get()
    assert (record.report, record.as_of, record.format, record.rows) == (
        report_exports.DEFAULTS.slug,
        date(2026, 2, 16),
        "csv",
        2,
    )
    assert record.by.groups.filter(name=AUDITOR).exists()


def test_the_page_itself_records_no_export(client, in_default):
    client.force_login(role_user(AUDITOR))
    assert client.get(url("defaults", as_of="2026-02-16")).status_code == 200
    assert not ReportExport.objects.exists()


def test_the_xlsx_has_real_cells_a_frozen_header_and_widths(client, in_default):
    client.force_login(role_user(AUDITOR))
    _, body = _download(client, "defaults", "xlsx")
    book = openpyxl.load_workbook(io.BytesIO(body))
    sheet = book["Trusteeships in default"]
    assert sheet.freeze_panes == "A2"
    assert sheet.column_dimensions["A"].width == 26
    table = list(sheet.iter_rows(values_only=True))
    head = list(table[0])
    assert head == report_exports.DEFAULTS.headers()
    rows = trusteeships_in_default(date(2026, 2, 16))
    for line, row in zip(table[1:], rows, strict=True):
        cell = dict(zip(head, line, strict=True))
        assert cell["Agreement"] == row.agreement
        assert cell["Default occurred"].date() == row.occurred_on  # a date cell
        assert cell["Amount outstanding"] == 575000000  # a number cell
        assert cell["Days since default"] == row.days_in_default
    beta = dict(zip(head, table[2], strict=True))
    assert beta["What happened"] == rows[1].description  # text, not a formula
    assert sheet.cell(row=3, column=5).data_type == "s"
    assert sheet.cell(row=2, column=3).number_format == "ddd d mmm yyyy"
    assert sheet.cell(row=2, column=12).number_format == "#,##0.00"
    about = dict(book["About"].iter_rows(values_only=True))
    assert about["Generated by"] == "Ann Auditor" and about["Rows"] == 2


def test_the_pdf_has_the_heading_the_rows_and_page_numbers(client, in_default):
    client.force_login(role_user(AUDITOR))
    response, body = _download(client, "defaults", "pdf")
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(body))
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Trusteeships in default" in text
    assert "as of Mon 16 Feb 2026" in text
    assert "by Ann Auditor" in text
    assert "Page 1 of 1" in text
    for expected in ("Alpha Capital I Guarantee", "Beta Capital II Guarantee", "Mon 5 Jan 2026"):
        assert expected in text
    assert "USD 575,000,000.00" in text
    assert reader.metadata.title.endswith("Trusteeships in default as of Mon 16 Feb 2026")


def test_a_long_pdf_repeats_the_header_and_numbers_every_page():
    rows = [_late_row(n) for n in range(400)]
    heading = report_exports.Heading(
        bank="Wilmington Trust Company",
        as_of=date(2026, 2, 16),
        generated_at=datetime(2026, 2, 16, 9, 30, tzinfo=NEW_YORK),
        generated_by="Ann Auditor",
    )
    reader = PdfReader(
        io.BytesIO(report_exports.pdf_bytes(report_exports.LATE_DELIVERABLES, rows, heading))
    )
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert len(pages) > 3
    for number, text in enumerate(pages, 1):
        assert "Days late" in text and "Deliverable" in text
        assert f"Page {number} of {len(pages)}" in text
    every = "\n".join(pages)
    assert all(f"Agreement {n:04d}" in every for n in range(400))
    assert "Generated Mon 16 Feb 2026 at 09:30 EST by Ann Auditor" in pages[0]


def test_a_row_taller_than_a_page_is_split_across_pages():
    actions = tuple(
        Action(on=date(2026, 1, 1) + timedelta(days=n), status="Withheld", by="Ann", comment="x")
        for n in range(150)
    )
    row = DefaultRow(
        default_id=1,
        agreement_id=1,
        agreement="Long Capital Guarantee",
        guarantor="",
        occurred_on=date(2026, 1, 1),
        nature="Other default",
        description="Covenant breach.",
        known_on=None,
        event_of_default_on=None,
        notice_due_on=None,
        status="Withheld",
        days_in_default=46,
        actions=actions,
        security="",
        amount_outstanding=None,
        currency="",
        amount_basis="",
    )
    heading = report_exports.Heading("Bank", date(2026, 2, 16), datetime(2026, 2, 16), "Ann")
    reader = PdfReader(
        io.BytesIO(report_exports.pdf_bytes(report_exports.DEFAULTS, [row], heading))
    )
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    assert len(reader.pages) >= 2
    first, last = long(actions[0].on), long(actions[-1].on)
    assert first in text and last in text


def long(day):
    return report_exports.long_date(day)


def _late_row(n):
    return LateDeliverableRow(
        obligation_id=n,
        agreement_id=n,
        agreement=f"Agreement {n:04d} Capital Trust Guarantee",
        guarantor="The Hartford Financial Services Group, Inc.",
        deliverable="List of Holders",
        kind="List of Holders",
        section="§2.2(a)",
        due_on=date(2026, 1, 1),
        days_late=46,
        status="Overdue",
        chased="Overdue: escalated; escalated 2 times, last Mon 2 Feb 2026",
        officer="Maria Reyes",
    )


def test_the_late_deliverables_files_parse_back(client, officer):
    alpha = guarantee("Alpha Capital I Guarantee", guarantor="Alpha Group, Inc.")
    materialize(today=date(2025, 8, 1), agreements=Agreement.objects.filter(pk=alpha.pk))
    client.force_login(role_user(SUPERVISOR))
    page = client.get(url("late_deliverables", as_of="2025-09-01")).content.decode()
    assert "1 deliverable late under 1 agreement" in page and "§2.2(a)" in page
    _, body = _download(client, "late_deliverables", "csv", as_of="2025-09-01")
    table = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))
    assert [(r["Agreement"], r["Due"], r["Days late"], r["Section"]) for r in table] == [
        ("Alpha Capital I Guarantee", "2025-08-15", "17", "§2.2(a)")
    ]
    _, body = _download(client, "late_deliverables", "xlsx", as_of="2025-09-01")
    sheet = openpyxl.load_workbook(io.BytesIO(body)).active
    [head, line] = list(sheet.iter_rows(values_only=True))
    cell = dict(zip(head, line, strict=True))
    assert cell["Due"].date() == date(2025, 8, 15) and cell["Days late"] == 17
    _, body = _download(client, "late_deliverables", "pdf", as_of="2025-09-01")
    text = " ".join(PdfReader(io.BytesIO(body)).pages[0].extract_text().split())
    assert "Fri 15 Aug 2025" in text and "Alpha Group, Inc." in text and "17" in text
