"""Resignation or removal (§4.2) and Holders' applications (TIA §312(b)) in the admin: each
case's page shows its state, its history and a button per thing an officer may do next; every
button posts a small form that calls one function of trustee/workflows/. No rule lives here."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse

from holders.models import Solicitation
from trustee import application_rules
from trustee import succession_rules as succession
from trustee.admin.workflow_forms import DATE, NoFields
from trustee.admin.workflows import Action, WorkflowAdmin, _show_refusal
from trustee.models import (
    Agreement,
    HolderApplicant,
    HolderApplication,
    Security,
    Succession,
    WorkflowStep,
)
from trustee.workflows import applications as application_flows
from trustee.workflows import resignations as succession_flows


def _text(label, required=True, rows=3):
    return forms.CharField(
        label=label, required=required, widget=forms.Textarea(attrs={"rows": rows, "cols": 70})
    )


def _agreements():
    return Agreement.objects.filter(terms__isnull=False)


# -- resignation and removal (§4.2) --------------------------------------------------------


class RecordSuccessionForm(forms.Form):
    agreement = forms.ModelChoiceField(queryset=_agreements())
    kind = forms.ChoiceField(choices=Succession.Kind.choices)
    delivered_on = forms.DateField(widget=DATE, label="instrument delivered to the Guarantor on")
    holders_notified_on = forms.DateField(
        widget=DATE,
        required=False,
        label="notice delivered to the Holders and the Guarantor on",
        help_text="Needed where the agreement counts the successor window from it (HSB §4.2(d)).",
    )
    instrument_reference = forms.CharField(max_length=200, required=False)
    reason = _text("why (for the record)", required=False)
    removed_by = forms.ChoiceField(
        choices=[("", "—"), *Succession.RemovedBy.choices],
        required=False,
        label="removed by (a removal only)",
    )
    solicitation = forms.ModelChoiceField(
        queryset=Solicitation.objects.select_related("record_list__security"),
        required=False,
        label="the Holders' vote (a removal by the Holders only)",
    )

    def clean(self):
        data = super().clean()
        if data.get("kind") == succession.Kind.REMOVAL and not data.get("removed_by"):
            self.add_error("removed_by", "Say who removes the trustee.")
        return data


class AppointForm(forms.Form):
    successor_name = forms.CharField(max_length=200, label="Successor Guarantee Trustee")
    appointed_on = forms.DateField(widget=DATE)
    reference = forms.CharField(max_length=200, required=False, label="instrument of appointment")


class AcceptForm(forms.Form):
    accepted_on = forms.DateField(
        widget=DATE, label="written acceptance delivered to the Guarantor on"
    )
    reference = forms.CharField(max_length=200, required=False, label="instrument of acceptance")


class PetitionForm(forms.Form):
    petitioned_on = forms.DateField(widget=DATE)
    court = forms.CharField(max_length=200, label="court of competent jurisdiction")


S = succession.State


@admin.register(Succession)
class SuccessionAdmin(WorkflowAdmin):
    workflow = WorkflowStep.Workflow.RESIGNATION
    add_form = RecordSuccessionForm
    add_title = "Record a resignation or removal of the Guarantee Trustee (§4.2)"

    @staticmethod
    def add_run(user, form):
        return succession_flows.succession_record(by=user, **form.cleaned_data)

    list_display = [
        "agreement",
        "kind",
        "delivered_on",
        "state",
        "window_ends_on",
        "successor_name",
        "effective_on",
    ]
    list_filter = ["state", "kind", "agreement"]
    date_hierarchy = "delivered_on"
    search_fields = ["successor_name", "agreement__short_name", "instrument_reference"]
    actions_by_name = {
        "appoint": Action(
            "Record the successor appointed",
            AppointForm,
            lambda c, u, f: succession_flows.succession_appoint(
                case_id=c.pk, by=u, **f.cleaned_data
            ),
            (S.DELIVERED, S.PETITION_OPEN, S.PETITIONED),
        ),
        "accept": Action(
            "Record the successor's acceptance: effective (a second officer)",
            AcceptForm,
            lambda c, u, f: succession_flows.succession_accept(
                case_id=c.pk, by=u, **f.cleaned_data
            ),
            (S.APPOINTED, S.PETITION_OPEN, S.PETITIONED),
            lambda c: bool(c.successor_name),
        ),
        "petition": Action(
            "Record the petition to a court (§4.2(d))",
            PetitionForm,
            lambda c, u, f: succession_flows.succession_petition(
                case_id=c.pk, by=u, **f.cleaned_data
            ),
            (S.PETITION_OPEN,),
        ),
    }


# -- Holders' applications (TIA §312(b)) ---------------------------------------------------


class RecordApplicationForm(forms.Form):
    agreement = forms.ModelChoiceField(queryset=_agreements())
    security = forms.ModelChoiceField(
        queryset=Security.objects.all(),
        required=False,
        help_text="Empty: the agreement's first security.",
    )
    received_on = forms.DateField(widget=DATE, label="application received on")
    applicants = _text(
        "applicants, one a line: name; amount held; holding since (YYYY-MM-DD)", rows=5
    )
    communication = _text("the communication they propose to send", required=False, rows=6)
    communication_file = forms.FileField(required=False, label="or attach it")

    def clean(self):
        data = super().clean()
        agreement, security = data.get("agreement"), data.get("security")
        if agreement and security and security.agreement_id != agreement.pk:
            self.add_error("security", "That security is under another agreement.")
        return data


class AccessForm(forms.Form):
    access_given_on = forms.DateField(widget=DATE)


class EstimateForm(forms.Form):
    informed_on = forms.DateField(widget=DATE, label="applicants informed on")
    cost_per_holder = forms.DecimalField(
        min_value=0,
        max_digits=10,
        decimal_places=4,
        help_text="Printing and first-class postage for one Holder; the number of Holders comes "
        "from the latest List of Holders.",
    )


class TenderForm(forms.Form):
    tendered_on = forms.DateField(widget=DATE)
    amount = forms.DecimalField(min_value=0, max_digits=14, decimal_places=2)


class HolderApplicantInline(admin.TabularInline):
    model = HolderApplicant
    extra = 0
    can_delete = False
    fields = ["name", "amount", "holding_since", "eligible", "problem", "on_latest_list"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


A = application_rules.State


@admin.register(HolderApplication)
class HolderApplicationAdmin(WorkflowAdmin):
    workflow = WorkflowStep.Workflow.HOLDER_APPLICATION
    add_form = RecordApplicationForm
    add_title = "Record a Holders' application to communicate (TIA §312(b))"
    inlines = [HolderApplicantInline]

    @staticmethod
    def add_run(user, form):
        return application_flows.application_record(by=user, **form.cleaned_data)

    list_display = [
        "agreement",
        "received_on",
        "election_due_on",
        "state",
        "election",
        "estimated_cost",
        "escalations",
    ]
    list_filter = ["state", "election", "agreement"]
    date_hierarchy = "received_on"
    actions_by_name = {
        "access": Action(
            "Elect: give access to the List of Holders (§312(b)(1))",
            AccessForm,
            lambda c, u, f: application_flows.application_give_access(
                application_id=c.pk, by=u, **f.cleaned_data
            ),
            (A.RECEIVED, A.LATE),
        ),
        "estimate": Action(
            "Elect: send the number of Holders and the mailing cost (§312(b)(2))",
            EstimateForm,
            lambda c, u, f: application_flows.application_send_estimate(
                application_id=c.pk, by=u, **f.cleaned_data
            ),
            (A.RECEIVED, A.LATE),
        ),
        "tender": Action(
            "Record the cost tendered",
            TenderForm,
            lambda c, u, f: application_flows.application_tender(
                application_id=c.pk, by=u, **f.cleaned_data
            ),
            (A.ESTIMATE_SENT,),
        ),
        "draft": Action(
            "Draft the mailing to the Holders",
            NoFields,
            lambda c, u, f: application_flows.application_mailing_draft(application_id=c.pk, by=u),
            (A.TENDERED,),
        ),
        "approve": Action(
            "Approve and mail (a second officer)",
            NoFields,
            lambda c, u, f: application_flows.application_mailing_approve(
                application_id=c.pk, by=u
            ),
            (A.MAILING_DRAFTED,),
        ),
    }

    def add_view(self, request, form_url="", extra_context=None):
        """As the workflows' add page, with the communication's file uploaded alongside."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        posted = request.method == "POST"
        form = self.add_form(request.POST if posted else None, request.FILES if posted else None)
        if posted and form.is_valid():
            try:
                case = type(self).add_run(request.user, form)
            except ValidationError as refusal:
                _show_refusal(form, refusal)
            else:
                messages.success(request, f"Recorded: {case} ({case.get_state_display()}).")
                return redirect(reverse("admin:trustee_holderapplication_change", args=[case.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": self.add_title,
            "form": form,
            "history": "",
        }
        return render(request, "admin/trustee/workflow_act.html", context)
