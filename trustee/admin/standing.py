"""Payments, the trustee's eligibility and conflicting interests in the admin: each case's page
shows its state, its history and a button per thing an officer may do next; each button posts
a small form to a function of trustee/workflows/payments.py or standing.py. No rule lives here.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.html import format_html, format_html_join

from trustee import standing_rules as rules
from trustee.admin.workflow_forms import DATE, DetailsForm, NoFields, ReasonForm, _text
from trustee.admin.workflows import Action, WorkflowAdmin, _show_refusal
from trustee.models import (
    AffiliationFact,
    Agreement,
    BankCondition,
    ConflictCase,
    EligibilityResult,
    Payment,
    PaymentReceipt,
    WorkflowStep,
)
from trustee.workflows import payments, standing

# -- forms: they collect, the workflow functions decide -------------------------------------


class ReceiptForm(forms.Form):
    amount = forms.DecimalField(max_digits=18, decimal_places=2, help_text="In dollars.")
    received_on = forms.DateField(widget=DATE)
    received_from = forms.ChoiceField(choices=PaymentReceipt.From.choices)
    reference = forms.CharField(max_length=120, required=False, label="wire or advice reference")


class AmountForm(forms.Form):
    amount = forms.DecimalField(max_digits=18, decimal_places=2, label="amount expected")
    reason = _text("why the computed amount does not apply")


class BankConditionForm(forms.Form):
    report_date = forms.DateField(widget=DATE, label="date of the report of condition")
    capital_surplus = forms.DecimalField(
        max_digits=18, decimal_places=2, label="combined capital and surplus"
    )
    charter = forms.ChoiceField(choices=BankCondition.Charter.choices)
    rating_category = forms.IntegerField(
        required=False, help_text="1 is the highest category; empty where nothing is rated."
    )
    rating_agency = forms.CharField(max_length=80, required=False)
    source_reference = forms.CharField(
        max_length=200, help_text="The published report and where it was read."
    )


class AffiliationForm(forms.Form):
    agreement = forms.ModelChoiceField(queryset=Agreement.objects.filter(terms__isnull=False))
    is_affiliate = forms.TypedChoiceField(
        label="the bank is an Affiliate of the Guarantor (§4.1(a)(i))",
        choices=[("no", "No"), ("yes", "Yes")],
        coerce=lambda value: value == "yes",
    )
    recorded_on = forms.DateField(widget=DATE, required=False, label="determined on")
    note = _text("what the determination rests on")


class NoteForm(forms.Form):
    note = _text("what was done")


class CloseForm(forms.Form):
    closed_on = forms.DateField(widget=DATE, label="on")
    note = _text("how")


class ConflictForm(forms.Form):
    agreement = forms.ModelChoiceField(queryset=Agreement.objects.filter(terms__isnull=False))
    ascertained_on = forms.DateField(widget=DATE)
    description = _text("the conflicting interest (TIA §310(b)(1)-(10))")


def _table(headers, rows):
    if not rows:
        return "—"
    head = format_html_join("", "<th>{}</th>", ((h,) for h in headers))
    body = format_html_join(
        "", "<tr>{}</tr>", ((format_html_join("", "<td>{}</td>", ((c,) for c in r)),) for r in rows)
    )
    return format_html("<table><thead><tr>{}</tr></thead><tbody>{}</tbody></table>", head, body)


def _link(obj, label=None):
    if obj is None:
        return "—"
    meta = obj._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, label or obj)


# -- payments --------------------------------------------------------------------------------

P = rules.PaymentState


@admin.register(Payment)
class PaymentAdmin(WorkflowAdmin):
    workflow = WorkflowStep.Workflow.PAYMENT
    list_display = [
        "due_on",
        "agreement",
        "security",
        "kind",
        "amount_due",
        "received_amount",
        "state",
        "default_link",
    ]
    list_filter = ["state", "kind", "agreement"]
    date_hierarchy = "due_on"
    search_fields = ["security__title", "agreement__short_name", "receipts__reference"]
    actions_by_name = {
        "receipt": Action(
            "Record funds received",
            ReceiptForm,
            lambda c, u, f: payments.payment_receipt_record(
                payment_id=c.pk, by=u, **f.cleaned_data
            ),
            (P.EXPECTED, P.DEFAULTED),
        ),
        "amount": Action(
            "Set the amount expected",
            AmountForm,
            lambda c, u, f: payments.payment_amount_set(payment_id=c.pk, by=u, **f.cleaned_data),
            (P.EXPECTED,),
        ),
        "excuse": Action(
            "No payment due (a Responsible Officer, with the reason)",
            ReasonForm,
            lambda c, u, f: payments.payment_excuse(payment_id=c.pk, by=u, **f.cleaned_data),
            (P.EXPECTED,),
        ),
    }

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "amount_due", "receipts_received"]

    @admin.display(description="amount due")
    def amount_due(self, payment):
        return rules.money(payment.amount_due)

    @admin.display(description="payment default")
    def default_link(self, payment):
        return _link(payment.default_case, f"#{payment.default_case_id}")

    @admin.display(description="funds received")
    def receipts_received(self, payment):
        return _table(
            ["received on", "amount", "from", "reference", "recorded by"],
            [
                (
                    r.received_on.isoformat(),
                    rules.money(r.amount),
                    r.get_received_from_display(),
                    r.reference or "—",
                    r.recorded_by.get_full_name() or r.recorded_by.get_username(),
                )
                for r in payment.receipts.select_related("recorded_by")
            ],
        )


# -- eligibility -----------------------------------------------------------------------------


@admin.register(BankCondition)
class BankConditionAdmin(WorkflowAdmin):
    """A report of condition: entered once, checked against every agreement. Its steps are
    its results' (workflow "eligibility", one per agreement): it names no workflow itself, so
    that the timeline links each step to its result."""

    workflow = ""
    add_form = BankConditionForm
    add_title = "Enter the bank's latest published report of condition (§4.1(a)(ii))"
    list_display = ["report_date", "capital_surplus", "charter", "rating_category", "state"]
    list_filter = ["state", "charter"]
    actions_by_name = {
        "check": Action(
            "Check against every agreement again",
            NoFields,
            lambda c, u, f: standing.eligibility_check(condition_id=c.pk, by=u),
            ("entered", "checked"),
        ),
    }

    @staticmethod
    def add_run(user, form):
        condition = standing.bank_condition_enter(by=user, **form.cleaned_data)
        standing.eligibility_check(condition_id=condition.pk, by=user)
        condition.refresh_from_db()
        return condition

    @admin.display(description="results, agreement by agreement")
    def history(self, condition):
        if not condition.pk:
            return "—"
        results = condition.results.select_related("agreement").order_by("agreement__short_name")
        return _table(
            ["agreement", "result", "reasons"],
            [
                (
                    _link(r, r.agreement.short_name),
                    r.get_state_display(),
                    format_html_join("", "{}<br>", ((reason,) for reason in r.reasons)),
                )
                for r in results
            ],
        )


class FlaggedFilter(admin.SimpleListFilter):
    """On a changelist of agreements: those under which the trustee is not eligible."""

    title = "trustee eligibility (§4.1)"
    parameter_name = "eligibility"

    def lookups(self, request, model_admin):
        return [("ineligible", "Not eligible: must resign (§4.1(b))")]

    def queryset(self, request, queryset):
        if self.value() == "ineligible":
            return queryset.filter(
                pk__in=EligibilityResult.objects.filter(
                    state=rules.EligibilityState.INELIGIBLE
                ).values("agreement_id")
            )
        return queryset


E = rules.EligibilityState


@admin.register(EligibilityResult)
class EligibilityResultAdmin(WorkflowAdmin):
    workflow = WorkflowStep.Workflow.ELIGIBILITY
    list_display = ["agreement", "condition", "state", "checked_on", "first_reason"]
    list_filter = ["state", "agreement", "condition"]
    actions_by_name = {
        "resign": Action(
            "Record the resignation started (§4.1(b))",
            NoteForm,
            lambda c, u, f: standing.eligibility_resign(result_id=c.pk, by=u, **f.cleaned_data),
            (E.INELIGIBLE,),
        ),
    }

    def get_readonly_fields(self, request, obj=None):
        return [*super().get_readonly_fields(request, obj), "reasons_list"]

    @admin.display(description="first reason")
    def first_reason(self, result):
        return result.reasons[0] if result.reasons else "—"

    @admin.display(description="reasons")
    def reasons_list(self, result):
        return format_html_join("", "<p>{}</p>", ((r,) for r in result.reasons)) or "—"


@admin.register(AffiliationFact)
class AffiliationFactAdmin(admin.ModelAdmin):
    """Whether the bank is an Affiliate of each agreement's Guarantor; recorded, never edited
    (a later record supersedes it)."""

    list_display = ["agreement", "is_affiliate", "recorded_on", "recorded_by"]
    list_filter = ["is_affiliate", "agreement"]

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = AffiliationForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                fact = standing.affiliation_record(by=request.user, **form.cleaned_data)
            except ValidationError as refusal:
                _show_refusal(form, refusal)
            else:
                messages.success(request, f"Recorded: {fact}; the latest report checked again.")
                return redirect(reverse("admin:trustee_affiliationfact_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Record whether the bank is an Affiliate of the Guarantor (§4.1(a)(i))",
            "form": form,
            "history": "",
        }
        return render(request, "admin/trustee/workflow_act.html", context)


# -- conflicting interests -------------------------------------------------------------------

C = rules.ConflictState


@admin.register(ConflictCase)
class ConflictCaseAdmin(WorkflowAdmin):
    workflow = WorkflowStep.Workflow.CONFLICT
    add_form = ConflictForm
    add_title = "Record a conflicting interest (§4.1(c), TIA §310(b))"
    list_display = ["agreement", "ascertained_on", "state", "clock_from", "eliminate_by"]
    list_filter = ["state", "agreement"]
    actions_by_name = {
        "eliminate": Action(
            "Record the conflicting interest eliminated",
            CloseForm,
            lambda c, u, f: standing.conflict_eliminate(case_id=c.pk, by=u, **f.cleaned_data),
            (C.RECORDED, C.CLOCK_RUNNING, C.NOTICED),
        ),
        "resign": Action(
            "Record the trustee's resignation",
            CloseForm,
            lambda c, u, f: standing.conflict_resign(case_id=c.pk, by=u, **f.cleaned_data),
            (C.RECORDED, C.CLOCK_RUNNING, C.NOTICED),
        ),
        "draft": Action(
            "Draft the notice to Holders (TIA §310(b)(ii))",
            DetailsForm,
            lambda c, u, f: standing.conflict_notice_draft(case_id=c.pk, by=u, **f.cleaned_data),
            (C.NOTICE_DUE,),
        ),
        "approve": Action(
            "Approve and transmit the notice (a second officer)",
            NoFields,
            lambda c, u, f: standing.conflict_notice_approve(case_id=c.pk, by=u),
            (C.NOTICE_DRAFTED,),
        ),
    }

    @staticmethod
    def add_run(user, form):
        return standing.conflict_record(by=user, **form.cleaned_data)
