"""The reports' pages and files (trustee/report_exports.py, report_urls.py): the three files
parsed back, who may see them, and what is recorded when they are downloaded."""

import csv
import io
from datetime import date, datetime, timedelta

import openpyxl
import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.factories import (
    make_officer,
)
from tests.trustee.examiner_reports.helpers import (
    NEW_YORK,
    at,
    guarantee,
    payment_default,
    role_user,
)
from trustee import report_exports
from trustee.examiner_reports import (
    Action,
    DefaultRow,
    LateDeliverableRow,
    trusteeships_in_default,
)
from trustee.models import Agreement, ReportExport
from trustee.obligations import materialize
from trustee.roles import AUDITOR, SUPERVISOR

pytestmark = pytest.mark.django_db


# -- the pages and the files -----------------------------------------------------------------


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
