"""The reports for supervisors and examiners, as pages in the admin and as files: an index,
the trusteeships in default, and the Guarantors' deliverables not received, each for an
as-of date (`?as_of=YYYY-MM-DD`, today by default) and as CSV, XLSX or PDF (`&format=`).

Only staff reach them (the admin's own login), and of those only the roles that may see every
agreement: Supervisor, Auditor, Responsible Officer. Everyone else gets 403. Mounted by
config/urls.py at `<admin>/reports/`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import path, reverse
from django.utils import timezone

from trustee import examiner_reports, report_exports
from trustee.models import Agreement, AgreementParty, ReportExport
from trustee.roles import AUDITOR, RESPONSIBLE_OFFICER, SUPERVISOR, roles_of

app_name = "reports"
log = logging.getLogger(__name__)

MAY_SEE = {SUPERVISOR, AUDITOR, RESPONSIBLE_OFFICER}
PER_PAGE = 100


@dataclass(frozen=True)
class Spec:
    name: str  # URL name
    report: report_exports.Report
    select: object  # as_of -> rows
    about: str
    link: str  # admin URL name of a row's record
    link_id: str  # the row's attribute holding that record's id


SPECS = (
    Spec(
        "defaults",
        report_exports.DEFAULTS,
        examiner_reports.trusteeships_in_default,
        "Every default not cured or waived on the date: the agreement, when and how it "
        "defaulted, its status, the actions taken and the amount outstanding.",
        "admin:trustee_defaultcase_change",
        "default_id",
    ),
    Spec(
        "late_deliverables",
        report_exports.LATE_DELIVERABLES,
        examiner_reports.guarantor_deliverables_late,
        "Every List of Holders, compliance certificate or report a Guarantor owed the trustee "
        "and had not delivered by the date, with its section and the days late.",
        "admin:trustee_obligation_change",
        "obligation_id",
    ),
)
BY_NAME = {spec.name: spec for spec in SPECS}


def _record_url(spec, row) -> str:
    """The admin page of a row's record: the row's own where it names one (a late certificate
    case with no duty on the calendar), else the report's."""
    return reverse(
        getattr(row, "link", spec.link),
        args=[getattr(row, "record_id", None) or getattr(row, spec.link_id)],
    )


def may_see_reports(user) -> bool:
    return bool(user.is_active and user.is_staff and roles_of(user) & MAY_SEE)


def _refuse_unless_allowed(request):
    if not may_see_reports(request.user):
        raise PermissionDenied(
            "The reports cover every agreement: only a Supervisor, an Auditor or a "
            "Responsible Officer may see them."
        )


class AsOfForm(forms.Form):
    as_of = forms.DateField(
        label="As of",
        required=False,
        input_formats=["%Y-%m-%d"],
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "Enter the as-of date as YYYY-MM-DD, e.g. 2026-02-16."},
    )
    format = forms.ChoiceField(
        required=False,
        choices=[("", "page"), *((f, f.upper()) for f in report_exports.FORMATS)],
        error_messages={
            "invalid_choice": "The format must be one of "
            + ", ".join(report_exports.FORMATS)
            + " (“%(value)s” is not)."
        },
    )

    def __init__(self, *args, today: date, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_as_of(self):
        as_of = self.cleaned_data["as_of"] or self.today
        if as_of > self.today:
            raise forms.ValidationError(
                f"{as_of:%Y-%m-%d} is after today ({self.today:%Y-%m-%d}): a report shows what "
                "had happened by its date, so the date cannot be in the future."
            )
        return as_of


def index(request):
    _refuse_unless_allowed(request)
    reports = [(spec, reverse(f"reports:{spec.name}")) for spec in SPECS]
    context = {
        **admin.site.each_context(request),
        "title": "Reports for supervisors and examiners",
        "reports": reports,
    }
    return render(request, "admin/trustee/reports/index.html", context)


def report_view(request, name):
    _refuse_unless_allowed(request)
    spec = BY_NAME[name]
    today = examiner_reports.today()
    query = request.GET.copy()
    query.setdefault("as_of", f"{today:%Y-%m-%d}")  # the picker shows the date reported on
    form = AsOfForm(query, today=today)
    context = {
        **admin.site.each_context(request),
        "title": spec.report.title,
        "spec": spec,
        "form": form,
    }
    if not form.is_valid():
        return render(request, "admin/trustee/reports/report.html", context, status=400)
    as_of, extension = form.cleaned_data["as_of"], form.cleaned_data["format"]
    rows = spec.select(as_of)
    if extension:
        return _export(request, spec, rows, as_of, extension)
    page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    context.update(
        shown=True,
        as_of=as_of,
        rows=rows,
        page=page,
        headers=[column.header for column in spec.report.shown],
        lines=[(_record_url(spec, row), _cells(spec, row)) for row in page.object_list],
        counted=spec.report.counted(rows) if rows else spec.report.nothing,
        downloads=[
            (f.upper(), f"?as_of={as_of:%Y-%m-%d}&format={f}") for f in report_exports.FORMATS
        ],
        title=f"{spec.report.title} as of {report_exports.long_date(as_of)}",
    )
    return render(request, "admin/trustee/reports/report.html", context)


def _cells(spec, row):
    # The page's CSS class: its kind, and "wide" for the long texts (what happened, actions).
    return [
        (column.display(row), f"{column.kind}{' wide' if column.width >= 30 else ''}")
        for column in spec.report.shown
    ]


def _export(request, spec, rows, as_of, extension):
    report = spec.report
    user = request.user
    # The record of what left the system, written before the file is served: a row for the
    # security reviewer (ReportExport, shown in the admin) and a log line for the SIEM.
    ReportExport.objects.create(
        report=report.slug, as_of=as_of, format=extension, rows=len(rows), by=user
    )
    log.info(
        "Report exported: %s as of %s, %s, %d rows, by %s (user id %s)",
        report.title,
        as_of.isoformat(),
        extension,
        len(rows),
        user.get_username(),
        user.pk,
    )
    filename = report.filename(as_of, extension)
    content_type = report_exports.CONTENT_TYPES[extension]
    if extension == "csv":
        response = StreamingHttpResponse(
            report_exports.csv_chunks(report, rows), content_type=content_type
        )
    else:
        heading = report_exports.Heading(
            bank=bank_name(),
            as_of=as_of,
            generated_at=timezone.localtime(),
            generated_by=user.get_full_name() or user.get_username(),
        )
        build = report_exports.xlsx_bytes if extension == "xlsx" else report_exports.pdf_bytes
        response = HttpResponse(build(report, rows, heading), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def bank_name() -> str:
    """The bank the reports are about: TRUSTDESK_BANK_NAME when set; else the one bank named
    trustee on the agreements we act under, if they name one; else the site's name."""
    configured = getattr(settings, "TRUSTDESK_BANK_NAME", "")
    if configured:
        return configured
    names = list(
        AgreementParty.objects.filter(role=AgreementParty.Role.TRUSTEE)
        .exclude(agreement__our_role=Agreement.OurRole.NONE)
        .order_by("party__name")
        .values_list("party__name", flat=True)
        .distinct()[:2]
    )
    return names[0] if len(names) == 1 else admin.site.site_header


urlpatterns = [
    path("", admin.site.admin_view(index), name="index"),
    path(
        "defaults/",
        admin.site.admin_view(report_view),
        {"name": "defaults"},
        name="defaults",
    ),
    path(
        "late-deliverables/",
        admin.site.admin_view(report_view),
        {"name": "late_deliverables"},
        name="late_deliverables",
    ),
]
