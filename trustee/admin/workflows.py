"""The three workflows in the admin: each case's page shows its state, its history and a
button per thing an officer may do next; every button posts a small form to one view that
calls the function in trustee/workflows.py. No rule lives here."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from trustee import workflow_rules as rules
from trustee import workflows as flows
from trustee.admin.workflow_forms import (
    ChecklistForm,
    CureForm,
    DeliveredForm,
    DemandForm,
    DetailsForm,
    ExcuseForm,
    FiledForm,
    MailedForm,
    NoFields,
    ReasonForm,
    ReceivedForm,
    RecordDefaultForm,
    WaiverForm,
    WithholdForm,
)
from trustee.models import (
    AnnualReport,
    DefaultCase,
    ListRequest,
    WorkflowStep,
)


@dataclass(frozen=True)
class Action:
    label: str
    form: type[forms.Form]
    # (case, user, form) -> None: calls the workflow function
    run: Callable
    states: tuple[str, ...]  # shown while the case is in one of these
    applies: Callable | None = None  # and, if given, while this is true of the case


def _history(workflow, case):
    steps = WorkflowStep.objects.filter(workflow=workflow, case_id=case.pk).select_related("by")
    rows = format_html_join(
        "",
        "<tr><td>{}</td><td>{}</td><td>{} → {}</td><td>{}</td><td>{}</td></tr>",
        (
            (
                s.on.isoformat(),
                s.at.strftime("%Y-%m-%d %H:%M"),
                s.old_state or "—",
                s.new_state,
                s.by.get_full_name() if s.by else "scheduler",
                s.comment,
            )
            for s in steps.order_by("at", "pk")
        ),
    )
    return format_html(
        "<table><thead><tr><th>date</th><th>recorded</th><th>change</th><th>by</th>"
        "<th>comment</th></tr></thead><tbody>{}</tbody></table>",
        rows,
    )


class WorkflowAdmin(admin.ModelAdmin):
    """A case whose fields change only through its workflow's buttons."""

    workflow: str = ""
    actions_by_name: dict[str, Action] = {}
    change_form_template = "admin/trustee/workflow_change_form.html"
    # A case an officer starts by hand: its form, and (user, form) -> case.
    add_form: type[forms.Form] | None = None
    add_title = ""
    add_run: Callable | None = None

    def has_add_permission(self, request):
        return self.add_form is not None and self.has_change_permission(request)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = self.add_form(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                case = type(self).add_run(request.user, form)
            except ValidationError as refusal:
                _show_refusal(form, refusal)
            else:
                messages.success(request, f"Recorded: {case} ({case.get_state_display()}).")
                meta = self.model._meta
                return redirect(
                    reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[case.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": self.add_title,
            "form": form,
            "history": "",
        }
        return render(request, "admin/trustee/workflow_act.html", context)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields] + ["history"]

    @admin.display(description="history")
    def history(self, case):
        return _history(self.workflow, case) if case.pk else "—"

    def get_urls(self):
        name = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        return [
            path(
                "<int:pk>/act/<str:action>/",
                self.admin_site.admin_view(self.act_view),
                name=f"{name}_act",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        case = self.get_object(request, object_id)
        name = f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_act"
        buttons = []
        if case is not None and self.has_change_permission(request, case):
            buttons = [
                (reverse(name, args=[case.pk, key]), action.label)
                for key, action in self.actions_by_name.items()
                if case.state in action.states and (action.applies is None or action.applies(case))
            ]
        context = {**(extra_context or {}), "workflow_buttons": buttons}
        return super().change_view(request, object_id, form_url, extra_context=context)

    def act_view(self, request, pk, action):
        case = get_object_or_404(self.model, pk=pk)
        if action not in self.actions_by_name:
            raise Http404(f"No action “{action}”.")
        if not self.has_change_permission(request, case):
            raise PermissionDenied
        step = self.actions_by_name[action]
        form_class = step.form
        kwargs = {"case": case} if form_class in (ReceivedForm, ChecklistForm, WaiverForm) else {}
        # An empty POST (a confirmation with no fields) is still a submitted form.
        form = form_class(request.POST if request.method == "POST" else None, **kwargs)
        if request.method == "POST" and form.is_valid():
            try:
                step.run(case, request.user, form)
            except ValidationError as refusal:
                _show_refusal(form, refusal)
            else:
                messages.success(request, f"{case}: {step.label} — done.")
                return redirect(
                    reverse(
                        f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_change",
                        args=[case.pk],
                    )
                )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "case": case,
            "title": f"{step.label}: {case}",
            "form": form,
            "history": _history(self.workflow, case),
        }
        return render(request, "admin/trustee/workflow_act.html", context)


def _show_refusal(form, refusal):
    """A workflow's refusal on the form: by field where it names one, else at the top."""
    if hasattr(refusal, "error_dict"):
        for field, errors in refusal.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for error in refusal.messages:
            form.add_error(None, error)


def _case_link(case):
    meta = case._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[case.pk])
    return format_html('<a href="{}">{}</a>', url, case)


S = rules.ListState


@admin.register(ListRequest)
class ListRequestAdmin(WorkflowAdmin):
    workflow = WorkflowStep.Workflow.LIST_REQUEST
    add_form = DemandForm
    add_title = "Request a List of Holders in writing (§2.2(a)(ii))"

    @staticmethod
    def add_run(user, form):
        return flows.list_request_demand(by=user, **form.cleaned_data)

    list_display = ["agreement", "due_on", "on_demand", "state", "escalations", "opened_on"]
    list_filter = ["state", "on_demand", "agreement"]
    date_hierarchy = "due_on"
    actions_by_name = {
        "send": Action(
            "Approve and send the reminder / request",
            NoFields,
            lambda c, u, f: flows.list_request_send(request_id=c.pk, by=u),
            (S.SCHEDULED, S.OVERDUE, S.ESCALATED),
        ),
        "delivered": Action(
            "Record the Guarantor's receipt (§8.3)",
            DeliveredForm,
            lambda c, u, f: flows.list_request_delivered(request_id=c.pk, by=u, **f.cleaned_data),
            (S.REQUESTED,),
            lambda c: c.on_demand and not c.obligation_id,
        ),
        "received": Action(
            "Link the list received",
            ReceivedForm,
            lambda c, u, f: flows.list_request_received(
                request_id=c.pk, by=u, holder_list=f.cleaned_data["holder_list"]
            ),
            (S.SCHEDULED, S.REQUESTED, S.OVERDUE, S.ESCALATED),
        ),
        "accept": Action(
            "Accept the list",
            NoFields,
            lambda c, u, f: flows.list_request_accept(request_id=c.pk, by=u),
            (S.RECEIVED,),
        ),
        "reopen": Action(
            "Refuse the list (still owed)",
            ReasonForm,
            lambda c, u, f: flows.list_request_reopen(request_id=c.pk, by=u, **f.cleaned_data),
            (S.RECEIVED,),
        ),
        "excuse": Action(
            "Record an exception of §2.2(a)",
            ExcuseForm,
            lambda c, u, f: flows.list_request_excuse(request_id=c.pk, by=u, **f.cleaned_data),
            tuple(rules.LIST_OPEN),
        ),
    }


R = rules.ReportState


@admin.register(AnnualReport)
class AnnualReportAdmin(WorkflowAdmin):
    workflow = WorkflowStep.Workflow.ANNUAL_REPORT
    list_display = ["agreement", "anchor_on", "due_on", "state", "escalations"]
    list_filter = ["state", "agreement"]
    actions_by_name = {
        "answer": Action(
            "Answer the TIA §313(a) checklist",
            ChecklistForm,
            lambda c, u, f: flows.report_answer(report_id=c.pk, by=u, answers=f.answers()),
            (R.OPEN,),
        ),
        "approve": Action(
            "Approve the report (a second officer)",
            NoFields,
            lambda c, u, f: flows.report_approve(report_id=c.pk, by=u),
            (R.DRAFT,),
        ),
        "mailed": Action(
            "Record the mailing",
            MailedForm,
            lambda c, u, f: flows.report_mailed(report_id=c.pk, by=u, **f.cleaned_data),
            (R.APPROVED,),
        ),
        "filed": Action(
            "Record the filing (TIA §313(d))",
            FiledForm,
            lambda c, u, f: flows.report_filed(report_id=c.pk, by=u, **f.cleaned_data),
            (R.MAILED,),
        ),
    }


D = rules.DefaultState


@admin.register(DefaultCase)
class DefaultCaseAdmin(WorkflowAdmin):
    workflow = WorkflowStep.Workflow.DEFAULT
    add_form = RecordDefaultForm
    add_title = "Record a default"

    @staticmethod
    def add_run(user, form):
        return flows.default_record(by=user, **form.cleaned_data)

    list_display = [
        "agreement",
        "occurred",
        "is_payment_default",
        "state",
        "event_of_default_on",
        "notice_due_on",
    ]
    list_filter = ["state", "is_payment_default", "agreement"]
    actions_by_name = {
        "withhold": Action(
            "Withhold the notice / affirm withholding (§2.7(a))",
            WithholdForm,
            lambda c, u, f: flows.default_withhold(case_id=c.pk, by=u, **f.cleaned_data),
            (D.EVENT_OF_DEFAULT, D.WITHHELD),
        ),
        "draft": Action(
            "Draft the notice to Holders",
            DetailsForm,
            lambda c, u, f: flows.default_notice_draft(case_id=c.pk, by=u, **f.cleaned_data),
            (D.EVENT_OF_DEFAULT,),
        ),
        "approve": Action(
            "Approve and transmit the notice (a second officer)",
            NoFields,
            lambda c, u, f: flows.default_notice_approve(case_id=c.pk, by=u),
            (D.NOTICE_DRAFTED,),
        ),
        "cure": Action(
            "Record the cure",
            CureForm,
            lambda c, u, f: flows.default_cure(case_id=c.pk, by=u, **f.cleaned_data),
            (D.DEFAULT, *rules.CONTINUING),
        ),
        "waive": Action(
            "Close by the Holders' waiver (§2.6)",
            WaiverForm,
            lambda c, u, f: flows.default_waive(
                case_id=c.pk, by=u, solicitation=f.cleaned_data["solicitation"]
            ),
            tuple(rules.CONTINUING),
        ),
    }

    @admin.display(description="occurred", ordering="event__occurred_on")
    def occurred(self, case):
        return case.event.occurred_on


def default_banner(agreement):
    cases = flows.agreement_in_default(agreement)
    if not cases:
        return ""
    return format_html(
        '<div class="default-banner" role="alert"><strong>In default.</strong> {} While an '
        "Event of Default continues the trustee must exercise its rights and powers with the "
        "care and skill of a prudent person (§3.1(c)) and enforce the guarantee for the "
        "Holders (§3.1(b)).</div>",
        format_html_join(" ", "{} ({}).", ((_case_link(c), c.get_state_display()) for c in cases)),
    )
