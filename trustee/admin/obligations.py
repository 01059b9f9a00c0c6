from datetime import timedelta

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from trustee import obligation_rules as rules
from trustee.calendar import local_today
from trustee.models import (
    AgreementEvent,
    DigestDispatch,
    Obligation,
    ObligationChange,
    TrustOfficer,
)
from trustee.obligations import (
    TransitionRefused,
    event_check,
    event_record,
    obligation_complete,
    obligation_waive,
)


def long_date(day):
    """ "Mon 16 Feb 2026", with the ISO date on hover."""
    if not day:
        return "—"
    return format_html('<span title="{}">{}</span>', day.isoformat(), day.strftime("%a %-d %b %Y"))


class DueRangeFilter(admin.SimpleListFilter):
    title = "due"
    parameter_name = "due"

    def lookups(self, request, model_admin):
        return [
            ("overdue", "Overdue"),
            ("7", "In the next 7 days"),
            ("30", "In the next 30 days"),
            ("90", "In the next 90 days"),
            ("past30", "In the past 30 days"),
        ]

    def queryset(self, request, queryset):
        today = local_today(settings.TIME_ZONE, timezone.now())
        value = self.value()
        if value == "overdue":
            return queryset.filter(status=rules.OVERDUE)
        if value in ("7", "30", "90"):
            return queryset.filter(due_date__range=(today, today + timedelta(days=int(value))))
        if value == "past30":
            return queryset.filter(due_date__range=(today - timedelta(days=30), today))
        return queryset


class OfficerFilter(admin.SimpleListFilter):
    """The officers, named in one query. The stock related-only filter first reads the
    officer of every obligation in the table (a DISTINCT over all of it): seconds at scale on
    the desk's one-click overdue list. Its parameter is the stock one, so links keep working."""

    title = "officer"
    parameter_name = "officer__id__exact"

    def lookups(self, request, model_admin):
        officers = TrustOfficer.objects.select_related("user").order_by(
            "user__last_name", "user__first_name", "user__username"
        )
        return [(str(o.pk), o.user.get_full_name() or o.user.get_username()) for o in officers]

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(officer_id=int(value))
        return queryset


class ObligationChangeInline(admin.TabularInline):
    model = ObligationChange
    extra = 0
    can_delete = False
    fields = ["at", "by", "old_status", "new_status", "old_due_date", "new_due_date", "reason"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False


class CloseForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4, "cols": 80}))


@admin.register(Obligation)
class ObligationAdmin(admin.ModelAdmin):
    list_display = [
        "due",
        "agreement",
        "title",
        "owed_by",
        "calendar_flag",
        "section",
        "status",
        "officer",
    ]
    list_filter = [
        "status",
        DueRangeFilter,
        "kind",
        "owed_by",
        OfficerFilter,
    ]
    # An agreement's duties are reached from its page (?agreement__id__exact=…), not from a
    # filter listing every agreement; and no full COUNT(*) on every page of a large table.
    show_full_result_count = False
    search_fields = ["agreement__short_name", "agreement__slug", "title", "key"]
    date_hierarchy = "due_date"
    list_select_related = ["agreement", "officer__user"]
    inlines = [ObligationChangeInline]
    actions = ["mark_done", "mark_not_required"]
    readonly_fields = [
        "agreement",
        "security",
        "event",
        "kind",
        "owed_by",
        "key",
        "title",
        "nominal_date",
        "due_date",
        "is_weekend",
        "holiday",
        "section",
        "quote",
        "officer",
        "status",
        "closed_at",
        "closed_by",
        "resolution",
    ]
    fieldsets = [
        (None, {"fields": [("agreement", "security", "event"), ("kind", "owed_by"), "title"]}),
        ("When", {"fields": [("nominal_date", "due_date"), ("is_weekend", "holiday")]}),
        ("From the agreement", {"fields": ["section", "quote"]}),
        ("Standing", {"fields": [("status", "officer"), ("closed_at", "closed_by"), "resolution"]}),
    ]

    def has_add_permission(self, request):
        return False  # obligations come from the terms and from recorded events

    def has_delete_permission(self, request, obj=None):
        return False  # the record of a duty is kept; close it instead

    @admin.display(description="due", ordering="due_date")
    def due(self, obligation):
        return long_date(obligation.due_date)

    @admin.display(description="falls on")
    def calendar_flag(self, obligation):
        return obligation.holiday or ("weekend" if obligation.is_weekend else "")

    @admin.action(description="Mark done (with evidence)…")
    def mark_done(self, request, queryset):
        return self._close(
            request,
            queryset,
            "Evidence that it was done",
            "The list received, the notice sent, the certificate filed: what shows it.",
            lambda o, text: obligation_complete(obligation_id=o.pk, by=request.user, evidence=text),
            "mark_done",
        )

    @admin.action(description="Mark not required (with reason)…")
    def mark_not_required(self, request, queryset):
        return self._close(
            request,
            queryset,
            "Why it is not required",
            "Cite the clause: e.g. §2.2(a), the list is identical to the one last furnished.",
            lambda o, text: obligation_waive(obligation_id=o.pk, by=request.user, reason=text),
            "mark_not_required",
        )

    def _close(self, request, queryset, label, help_text, service, action):
        form = CloseForm(request.POST if "apply" in request.POST else None)
        form.fields["text"].label = label
        form.fields["text"].help_text = help_text
        if form.is_valid():
            closed, refused = 0, []
            for obligation in queryset:
                try:
                    service(obligation, form.cleaned_data["text"])
                    closed += 1
                except TransitionRefused as error:
                    refused.append(" ".join(error.messages))
            if closed:
                self.message_user(request, f"{closed} obligation(s) closed.", messages.SUCCESS)
            for message in refused:
                self.message_user(request, message, messages.ERROR)
            return None
        return render(
            request,
            "admin/trustee/obligation/close.html",
            {
                **self.admin_site.each_context(request),
                "title": label,
                "form": form,
                "obligations": queryset,
                "action": action,
                "opts": self.model._meta,
            },
        )


class AgreementEventForm(forms.ModelForm):
    class Meta:
        model = AgreementEvent
        fields = [
            "agreement",
            "kind",
            "occurred_on",
            "known_on",
            "notice_received_on",
            "is_payment_default",
            "description",
        ]

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            event_check(
                agreement=data["agreement"],
                kind=data["kind"],
                occurred_on=data["occurred_on"],
                known_on=data.get("known_on"),
                notice_received_on=data.get("notice_received_on"),
                is_payment_default=data.get("is_payment_default", False),
            )
        except TransitionRefused as error:
            raise forms.ValidationError(error) from error
        return data


@admin.register(AgreementEvent)
class AgreementEventAdmin(admin.ModelAdmin):
    form = AgreementEventForm
    list_display = ["occurred_on", "agreement", "kind", "is_payment_default", "recorded_by"]
    list_filter = ["kind", "is_payment_default", ("agreement", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["agreement__short_name", "description"]
    autocomplete_fields = ["agreement"]
    readonly_fields = ["recorded_by", "recorded_at", "clocks"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:  # an event is a record: it is not edited after the fact
            return [*self.form.Meta.fields, *self.readonly_fields]
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        event = event_record(
            agreement=obj.agreement,
            kind=obj.kind,
            occurred_on=obj.occurred_on,
            known_on=obj.known_on,
            notice_received_on=obj.notice_received_on,
            is_payment_default=obj.is_payment_default,
            description=obj.description,
            by=request.user,
        )
        obj.pk, obj.recorded_by, obj.recorded_at = event.pk, event.recorded_by, event.recorded_at

    @admin.display(description="clocks it started")
    def clocks(self, event):
        if not event.pk:
            return "Computed from the agreement's terms when the event is saved."
        rows = event.obligations.order_by("due_date")
        return format_html(
            "<br>".join(["{}"] * len(rows)) or "—",
            *[
                format_html(
                    '<a href="{}">{}</a>: due {} (§{})',
                    reverse("admin:trustee_obligation_change", args=[o.pk]),
                    o.title,
                    long_date(o.due_date),
                    o.section or "?",
                )
                for o in rows
            ],
        )


@admin.register(DigestDispatch)
class DigestDispatchAdmin(admin.ModelAdmin):
    list_display = ["day", "officer", "claimed_at", "sent_at", "obligation_count", "error"]
    list_filter = ["day", ("officer", admin.RelatedOnlyFieldListFilter)]
    readonly_fields = ["officer", "day", "claimed_at", "sent_at", "obligation_count", "error"]

    def has_add_permission(self, request):
        return False
