"""What the Guarantor owes the trustee, in the admin: compliance certificates, Officers'
Certificates and opinions, periodic reports, and the titles each agreement's §1.1 allows to
sign. Each case's page shows its state, its history and a button per thing an officer may do
next; every button posts a small form (with the file, where one is delivered) to the
function in trustee/workflows/deliverables.py. No rule lives here."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from notices.models import Notice
from trustee import deliverable_rules as rules
from trustee.admin.workflow_forms import DATE, NoFields, ReasonForm
from trustee.admin.workflows import Action, WorkflowAdmin, _history, _show_refusal
from trustee.models import (
    Agreement,
    ComplianceCertificate,
    OfficersCertificate,
    PeriodicReport,
    SignatoryTitle,
    WorkflowStep,
)
from trustee.roles import is_preparer, roles_of
from trustee.workflows import deliverables as flows

ACT_TEMPLATE = "admin/trustee/workflow_act.html"
YES_NO = [("", "— not stated —"), ("yes", "Yes"), ("no", "No")]


def _text(label, required=True, help_text=""):
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 70}),
    )


def _yes_no(label, help_text=""):
    return forms.TypedChoiceField(
        label=label,
        choices=YES_NO,
        required=False,
        coerce=lambda v: {"yes": True, "no": False}.get(v),
        empty_value=None,
        help_text=help_text,
    )


def _agreements():
    return Agreement.objects.filter(terms__isnull=False)


# -- forms -------------------------------------------------------------------------------------


class ExpectCertificateForm(forms.Form):
    agreement = forms.ModelChoiceField(queryset=Agreement.objects.none())
    period_end = forms.DateField(widget=DATE, label="fiscal year ended")
    due_on = forms.DateField(widget=DATE, label="due on or before")
    basis = _text(
        "where the due date comes from",
        help_text="Use this only where the agreement's terms state no date (its calendar opens "
        "the others), e.g. §2.4 defers to TIA §314(a)(4): “not less often than annually”.",
    )

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = _agreements()


class ReceiveForm(forms.Form):
    file = forms.FileField(help_text="PDF, text or HTML, as delivered; kept with its SHA-256.")
    received_on = forms.DateField(widget=DATE)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)


class CertificateExamineForm(forms.Form):
    signer_name = forms.CharField(max_length=120, label="signed by (name)")
    signer_title = forms.CharField(max_length=120, label="title, as written")
    signer_is_principal = _yes_no(
        "the principal executive, financial or accounting officer (TIA §314(a)(4))"
    )
    covers_period = _yes_no("covers the fiscal year it is owed for")
    states_compliance = _yes_no(
        "states compliance with all conditions and covenants",
        help_text="No: it names defaults (the trustee's written notice of them, §2.7(b)).",
    )
    note = _text("note", required=False)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        if case is not None:
            for name in ("signer_name", "signer_title"):
                self.initial.setdefault(name, getattr(case, name))


class OfficersReceiveForm(forms.Form):
    agreement = forms.ModelChoiceField(queryset=Agreement.objects.none())
    kind = forms.ChoiceField(choices=OfficersCertificate.Kind.choices)
    act = forms.CharField(
        max_length=200, help_text="The act it supports, e.g. “Amendment of §9.1”."
    )
    act_section = forms.CharField(max_length=40, required=False, label="clause")
    act_on = forms.DateField(widget=DATE, label="the act is to be taken on")
    dated = forms.DateField(widget=DATE)
    received_on = forms.DateField(widget=DATE)
    file = forms.FileField(help_text="PDF, text or HTML, as delivered; kept with its SHA-256.")

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = _agreements()


class OfficersExamineForm(forms.Form):
    SIGNERS = 4

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        allowed = flows.allowed_titles(case.agreement) if case is not None else {}
        titles = "; ".join(f"{group}: {', '.join(t)}" for group, t in allowed.items())
        kind_is_opinion = case is not None and case.kind == rules.DocumentKind.OPINION_OF_COUNSEL
        existing = list(case.signers) if case is not None else []
        for index in range(1, self.SIGNERS + 1):
            row = existing[index - 1] if index <= len(existing) else {}
            self.fields[f"signer_{index}_name"] = forms.CharField(
                max_length=120, required=index == 1, label=f"signer {index}: name"
            )
            self.fields[f"signer_{index}_title"] = forms.CharField(
                max_length=120,
                required=index == 1 and not kind_is_opinion,
                label=f"signer {index}: title as written",
                help_text=(titles or "No titles recorded for this agreement (§1.1).")
                if index == 1 and not kind_is_opinion
                else "",
            )
            self.initial.setdefault(f"signer_{index}_name", row.get("name", ""))
            self.initial.setdefault(f"signer_{index}_title", row.get("title", ""))
        present = (case.statements or {}) if case is not None else {}
        for statement in rules.STATEMENTS:
            self.fields[f"statement_{statement.code}"] = forms.BooleanField(
                required=False, label=f"{statement.clause} present: {statement.text}"
            )
            self.initial.setdefault(f"statement_{statement.code}", present.get(statement.code))
        self.fields["states_complied"] = _yes_no(
            "statement (d) says the condition has been complied with"
        )
        self.fields["note"] = _text("note", required=False)

    def signers(self):
        data = self.cleaned_data
        return [
            {"name": data[f"signer_{i}_name"], "title": data[f"signer_{i}_title"]}
            for i in range(1, self.SIGNERS + 1)
            if data.get(f"signer_{i}_name") or data.get(f"signer_{i}_title")
        ]

    def statements(self):
        return {
            s.code: bool(self.cleaned_data.get(f"statement_{s.code}")) for s in rules.STATEMENTS
        }


class ResubmitForm(forms.Form):
    file = forms.FileField(help_text="The corrected certificate or opinion, as delivered.")
    dated = forms.DateField(widget=DATE)
    received_on = forms.DateField(widget=DATE)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)


class PeriodicAddForm(forms.Form):
    agreement = forms.ModelChoiceField(queryset=Agreement.objects.none())
    kind = forms.ChoiceField(choices=PeriodicReport.Kind.choices)
    period_end = forms.DateField(widget=DATE, label="period ended")
    file = forms.FileField(required=False, help_text="Received: the report as delivered.")
    received_on = forms.DateField(widget=DATE, required=False)
    due_on = forms.DateField(
        widget=DATE, required=False, help_text="Not received yet: when it is due."
    )
    basis = _text("where the due date comes from", required=False)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = _agreements()

    def clean(self):
        data = super().clean()
        if data.get("file"):
            if not data.get("received_on"):
                self.add_error("received_on", "Say when the report was received.")
        else:
            if not data.get("due_on"):
                self.add_error("due_on", "Attach the report received, or say when it is due.")
            if not (data.get("basis") or "").strip():
                self.add_error("basis", "Say where the due date comes from.")
        return data


class FileReportForm(forms.Form):
    note = _text("note (what was read, anything to follow up)", required=False)

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)


# -- the admin ---------------------------------------------------------------------------------


class DeliverableAdmin(WorkflowAdmin):
    """A workflow case whose forms may carry a file; officers act through the services, which
    decide who may (the role groups need not list these models for the buttons to show)."""

    list_per_page = 50

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or bool(roles_of(request.user))

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or is_preparer(request.user)

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "document_download"]

    @admin.display(description="document as delivered")
    def document_download(self, case):
        if not case.pk or not case.document_id:
            return "—"
        url = reverse(self._url_name("document"), args=[case.pk])
        return format_html('<a href="{}">{}</a>', url, case.document)

    def _url_name(self, suffix):
        return f"admin:{self.model._meta.app_label}_{self.model._meta.model_name}_{suffix}"

    def get_urls(self):
        name = f"{self.model._meta.app_label}_{self.model._meta.model_name}"
        return [
            path(
                "<int:pk>/document/",
                self.admin_site.admin_view(self.document_view),
                name=f"{name}_document",
            ),
            *super().get_urls(),
        ]

    def document_view(self, request, pk):
        case = get_object_or_404(self.model, pk=pk)
        if not self.has_view_permission(request, case) or case.document_id is None:
            raise PermissionDenied if case.document_id else Http404("No document.")
        document = case.document
        response = HttpResponse(bytes(document.content), content_type=document.content_type)
        response["Content-Disposition"] = f'attachment; filename="{document.file_name}"'
        response["X-Content-SHA256"] = document.sha256
        return response

    def _render(self, request, *, case, title, form):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "case": case,
            "title": title,
            "form": form,
            "history": _history(self.workflow, case) if case is not None else "",
        }
        return render(request, ACT_TEMPLATE, context)

    def _bound(self, form_class, request, case=None):
        if request.method == "POST":
            return form_class(request.POST, request.FILES, case=case)
        return form_class(case=case)

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = self._bound(self.add_form, request)
        if request.method == "POST" and form.is_valid():
            try:
                case = type(self).add_run(request.user, form)
            except ValidationError as refusal:
                _show_refusal(form, refusal)
            else:
                messages.success(request, f"Recorded: {case} ({case.get_state_display()}).")
                return redirect(reverse(self._url_name("change"), args=[case.pk]))
        return self._render(request, case=None, title=self.add_title, form=form)

    def act_view(self, request, pk, action):
        case = get_object_or_404(self.model, pk=pk)
        if action not in self.actions_by_name:
            raise Http404(f"No action “{action}”.")
        if not self.has_change_permission(request, case):
            raise PermissionDenied
        step = self.actions_by_name[action]
        form = self._bound(step.form, request, case)
        if request.method == "POST" and form.is_valid():
            try:
                step.run(case, request.user, form)
            except ValidationError as refusal:
                _show_refusal(form, refusal)
            else:
                messages.success(request, f"{case}: {step.label} — done.")
                return redirect(reverse(self._url_name("change"), args=[case.pk]))
        return self._render(request, case=case, title=f"{step.label}: {case}", form=form)


def _file_kwargs(form):
    upload = form.cleaned_data["file"]
    return {"file": upload, "file_name": upload.name}


class _NoFields(NoFields):
    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)


class _Reason(ReasonForm):
    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)


C = rules.CertificateState


@admin.register(ComplianceCertificate)
class ComplianceCertificateAdmin(DeliverableAdmin):
    workflow = WorkflowStep.Workflow.CERTIFICATE
    add_form = ExpectCertificateForm
    add_title = "Expect a compliance certificate (an agreement whose terms state no date)"

    @staticmethod
    def add_run(user, form):
        return flows.certificate_expect(by=user, **form.cleaned_data)

    list_display = ["agreement", "period_end", "due_on", "state", "received_on", "escalations"]
    list_filter = ["state", "agreement"]
    date_hierarchy = "due_on"
    search_fields = ["agreement__short_name", "signer_name"]
    actions_by_name = {
        "receive": Action(
            "Record the certificate received",
            ReceiveForm,
            lambda c, u, f: flows.certificate_receive(
                case_id=c.pk, by=u, received_on=f.cleaned_data["received_on"], **_file_kwargs(f)
            ),
            (C.EXPECTED, C.LATE, C.RETURNED),
        ),
        "examine": Action(
            "Examine the certificate (§3.1(d))",
            CertificateExamineForm,
            lambda c, u, f: flows.certificate_examine(case_id=c.pk, by=u, **f.cleaned_data),
            (C.RECEIVED, C.EXAMINED),
        ),
        "accept": Action(
            "Accept the certificate (a second officer)",
            _NoFields,
            lambda c, u, f: flows.certificate_accept(case_id=c.pk, by=u),
            (C.EXAMINED,),
        ),
        "return": Action(
            "Send the certificate back",
            _Reason,
            lambda c, u, f: flows.certificate_return(case_id=c.pk, by=u, **f.cleaned_data),
            (C.RECEIVED, C.EXAMINED),
        ),
        "chase": Action(
            "Approve and send the chase letter",
            _NoFields,
            lambda c, u, f: flows.certificate_chase_send(case_id=c.pk, by=u),
            (C.LATE, C.RETURNED, C.RECEIVED, C.EXAMINED),
            lambda c: (
                c.chase_notice_id is not None and c.chase_notice.status == Notice.Status.DRAFT
            ),
        ),
        "excuse": Action(
            "Record as not required",
            _Reason,
            lambda c, u, f: flows.certificate_excuse(case_id=c.pk, by=u, **f.cleaned_data),
            (C.EXPECTED, C.LATE, C.RETURNED),
        ),
    }


OC = rules.OfficersState


@admin.register(OfficersCertificate)
class OfficersCertificateAdmin(DeliverableAdmin):
    workflow = WorkflowStep.Workflow.OFFICERS_CERTIFICATE
    add_form = OfficersReceiveForm
    add_title = "Record an Officers' Certificate or Opinion of Counsel (§2.5, TIA §314(c))"

    @staticmethod
    def add_run(user, form):
        data = dict(form.cleaned_data)
        upload = data.pop("file")
        return flows.officers_certificate_receive(
            by=user, file=upload, file_name=upload.name, **data
        )

    list_display = ["act", "agreement", "kind", "act_on", "state", "received_on", "escalations"]
    list_filter = ["state", "kind", "agreement"]
    date_hierarchy = "act_on"
    search_fields = ["act", "agreement__short_name"]
    actions_by_name = {
        "examine": Action(
            "Examine: signers and the four statements (§1.1)",
            OfficersExamineForm,
            lambda c, u, f: flows.officers_certificate_examine(
                case_id=c.pk,
                by=u,
                signers=f.signers(),
                statements=f.statements(),
                states_complied=f.cleaned_data["states_complied"],
                note=f.cleaned_data["note"],
            ),
            (OC.RECEIVED, OC.EXAMINED),
        ),
        "accept": Action(
            "Accept as evidence (a second officer)",
            _NoFields,
            lambda c, u, f: flows.officers_certificate_accept(case_id=c.pk, by=u),
            (OC.EXAMINED,),
        ),
        "return": Action(
            "Send it back",
            _Reason,
            lambda c, u, f: flows.officers_certificate_return(case_id=c.pk, by=u, **f.cleaned_data),
            (OC.RECEIVED, OC.EXAMINED),
        ),
        "resubmit": Action(
            "Record the corrected one received",
            ResubmitForm,
            lambda c, u, f: flows.officers_certificate_resubmit(
                case_id=c.pk,
                by=u,
                dated=f.cleaned_data["dated"],
                received_on=f.cleaned_data["received_on"],
                **_file_kwargs(f),
            ),
            (OC.RETURNED,),
        ),
    }

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "findings", "allowed_signers"]

    @admin.display(description="findings of the examination")
    def findings(self, case):
        if not case.pk or not case.examined_on:
            return "Not examined yet."
        present = format_html_join(
            "",
            "<li>{} {}: {}</li>",
            (
                (
                    s.clause,
                    "present" if (case.statements or {}).get(s.code) else "MISSING",
                    s.text,
                )
                for s in rules.STATEMENTS
            ),
        )
        problems = format_html_join("", "<li>{}</li>", ((p,) for p in case.problems or []))
        return format_html(
            "<ul>{}</ul><p>{}</p><ul>{}</ul>",
            present,
            "Problems:" if case.problems else "No problem found.",
            problems,
        )

    @admin.display(description="titles allowed to sign (§1.1)")
    def allowed_signers(self, case):
        if not case.pk:
            return "—"
        if case.kind == rules.DocumentKind.OPINION_OF_COUNSEL:
            return (
                "Neither demo agreement defines “Opinion of Counsel”: counsel is named, no "
                "title is checked."
            )
        allowed = flows.allowed_titles(case.agreement)
        if not allowed:
            return "None recorded for this agreement: add them under Signatory titles."
        return format_html_join(
            "", "<p>{}: {}</p>", ((g, ", ".join(t)) for g, t in allowed.items())
        )


P = rules.PeriodicState


@admin.register(PeriodicReport)
class PeriodicReportAdmin(DeliverableAdmin):
    workflow = WorkflowStep.Workflow.PERIODIC_REPORT
    add_form = PeriodicAddForm
    add_title = "Record a periodic report received or expected (§2.4, TIA §314(a))"

    @staticmethod
    def add_run(user, form):
        data = form.cleaned_data
        common = {
            "agreement": data["agreement"],
            "kind": data["kind"],
            "period_end": data["period_end"],
            "by": user,
        }
        if data.get("file"):
            return flows.periodic_report_record(
                received_on=data["received_on"], **_file_kwargs(form), **common
            )
        return flows.periodic_report_expect(due_on=data["due_on"], basis=data["basis"], **common)

    list_display = ["agreement", "kind", "period_end", "state", "due_on", "received_on", "filed_on"]
    list_filter = ["state", "kind", "agreement"]
    date_hierarchy = "period_end"
    actions_by_name = {
        "receive": Action(
            "Record the report received",
            ReceiveForm,
            lambda c, u, f: flows.periodic_report_receive(
                case_id=c.pk, by=u, received_on=f.cleaned_data["received_on"], **_file_kwargs(f)
            ),
            (P.EXPECTED, P.LATE),
        ),
        "file": Action(
            "File it against the agreement",
            FileReportForm,
            lambda c, u, f: flows.periodic_report_file(case_id=c.pk, by=u, **f.cleaned_data),
            (P.RECEIVED,),
        ),
    }


@admin.register(SignatoryTitle)
class SignatoryTitleAdmin(admin.ModelAdmin):
    """A term of the agreement: the titles its §1.1 allows to sign an Officers' Certificate,
    each with the definition's words."""

    list_display = ["agreement", "group", "title", "section"]
    list_filter = ["agreement", "group"]
    search_fields = ["title", "agreement__short_name"]

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) or bool(roles_of(request.user))

    def has_add_permission(self, request):
        return super().has_add_permission(request) or is_preparer(request.user)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) or is_preparer(request.user)
