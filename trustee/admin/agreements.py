from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from trustee.admin.obligations import long_date
from trustee.admin.standing import FlaggedFilter
from trustee.calendar import local_today
from trustee.models import (
    Agreement,
    AgreementParty,
    AgreementRelation,
    AgreementTerms,
    Deal,
    NoticeAddress,
    OfficerAssignment,
    Party,
    PartyContact,
    Security,
    TermCitation,
    UnderwriterAllocation,
    WorkflowStep,
)
from trustee.obligations import horizon_end, terms_changed
from trustee.selectors import agreements_for_calendar, duty_rows, term_rows


def _change_link(obj, label=None):
    url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    return format_html('<a href="{}">{}</a>', url, label or obj)


class PartyContactInline(admin.TabularInline):
    model = PartyContact
    extra = 0


@admin.register(Party)
class PartyAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "kind", "city", "state", "country"]
    list_filter = ["kind", "country", "state"]
    search_fields = ["name", "short_name", "city", "contacts__email"]
    inlines = [PartyContactInline]
    fieldsets = [
        (None, {"fields": ["name", "short_name", "kind"]}),
        (
            "Address",
            {
                "fields": [
                    "attention",
                    "address_lines",
                    ("city", "state", "postal_code", "country"),
                    ("phone", "fax"),
                ]
            },
        ),
    ]


@admin.register(Deal)
class DealAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "agreement_count"]
    search_fields = ["name", "slug", "description", "agreements__short_name"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["agreement_list"]

    @admin.display(description="agreements")
    def agreement_count(self, deal):
        return deal.agreements.count()

    @admin.display(description="agreements of the deal")
    def agreement_list(self, deal):
        agreements = deal.agreements.order_by("kind", "short_name")
        return (
            format_html_join(
                "",
                "<div>{} ({})</div>",
                ((_change_link(a), a.get_kind_display()) for a in agreements),
            )
            or "—"
        )


class AgreementPartyInline(admin.TabularInline):
    model = AgreementParty
    extra = 0
    autocomplete_fields = ["party"]
    fields = ["party", "role", "legal_name"]
    readonly_fields = ["legal_name"]

    @admin.display(description="legal name")
    def legal_name(self, link):
        return link.party.name if link.party_id else "—"


class SecurityInline(admin.TabularInline):
    model = Security
    extra = 0
    fields = ["title", "kind", "cusip", "coupon_rate", "aggregate_amount", "amount_outstanding"]
    show_change_link = True


class RelationInline(admin.TabularInline):
    model = AgreementRelation
    fk_name = "agreement"
    extra = 0
    autocomplete_fields = ["related_agreement"]
    verbose_name = "related agreement"
    verbose_name_plural = "related agreements"


class NoticeAddressInline(admin.StackedInline):
    model = NoticeAddress
    extra = 0
    autocomplete_fields = ["party"]
    fields = [
        ("party", "section"),
        "attention",
        "address_lines",
        ("city", "state", "postal_code", "country"),
        ("phone", "fax", "email"),
    ]


class OfficerAssignmentInline(admin.TabularInline):
    model = OfficerAssignment
    extra = 0
    autocomplete_fields = ["officer"]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["short_name", "kind", "dated_as_of", "our_role", "status", "deal", "desk_page"]
    # The change form with a link to the agreement's desk page (timeline and actions).
    change_form_template = "admin/trustee/desk/agreement_change_form.html"
    list_filter = ["status", "kind", "our_role", "tia", "governing_law", "deal", FlaggedFilter]
    search_fields = [
        "short_name",
        "slug",
        "title",
        "agreement_parties__party__name",
        "securities__title",
        "securities__cusip",
    ]
    date_hierarchy = "dated_as_of"
    prepopulated_fields = {"slug": ["short_name"]}
    autocomplete_fields = ["deal"]
    readonly_fields = [
        "in_default",
        "terms_table",
        "related_from_others",
        "duty_timeline",
        "workflow_history",
    ]
    inlines = [
        AgreementPartyInline,
        SecurityInline,
        OfficerAssignmentInline,
        RelationInline,
        NoticeAddressInline,
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    ("short_name", "slug"),
                    "title",
                    ("kind", "deal"),
                    ("dated_as_of", "governing_law", "governing_law_section"),
                    ("tia", "our_role"),
                ]
            },
        ),
        ("Status", {"fields": ["in_default", ("status", "terminated_on"), "termination_event"]}),
        ("Terms", {"fields": ["terms_table"]}),
        ("Duties: the past and the next 18 months", {"fields": ["duty_timeline"]}),
        ("Workflows: requests, reports, defaults", {"fields": ["workflow_history"]}),
        ("Referred to by", {"fields": ["related_from_others"]}),
    ]

    @admin.display(description="desk page")
    def desk_page(self, agreement):
        return format_html(
            '<a href="{}">Timeline and actions<span class="visually-hidden"> of {}</span></a>',
            reverse("desk-agreement", args=[agreement.pk]),
            agreement.short_name,
        )

    @admin.display(description="defaults")
    def in_default(self, agreement):
        from trustee.admin.workflows import default_banner

        return (default_banner(agreement) if agreement.pk else "") or "No continuing default."

    @admin.display(description="timeline")
    def workflow_history(self, agreement):
        """Every workflow step, newest first: any workflow, by its name, linked to its case
        where the admin has a page for it (the desk's registry of workflows)."""
        from trustee.desk_views import case_url_names

        if not agreement.pk:
            return "—"
        urls = case_url_names()
        steps = WorkflowStep.objects.filter(agreement=agreement).select_related("by")[:200]
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{} → {}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    long_date(s.on),
                    _step_case(s, urls),
                    s.old_state or "—",
                    s.new_state,
                    (s.by.get_full_name() or s.by.get_username()) if s.by else "scheduler",
                    s.comment,
                )
                for s in steps
            ),
        )
        if not rows:
            return "Nothing yet."
        return format_html(
            "<table><thead><tr><th>date</th><th>workflow</th><th>change</th><th>by</th>"
            "<th>comment</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("deal")

    @admin.display(description="terms and the clauses they come from")
    def terms_table(self, agreement):
        if not agreement.pk:
            return "Save the agreement first, then add its terms."
        terms = AgreementTerms.objects.filter(agreement=agreement).first()
        if terms is None:
            url = reverse("admin:trustee_agreementterms_add") + f"?agreement={agreement.pk}"
            return format_html('No terms recorded. <a href="{}">Add terms</a>', url)
        rows = format_html_join(
            "",
            "<tr><th>{}</th><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((r.label, r.value, r.section, r.quote) for r in term_rows(terms)),
        )
        return format_html(
            '<table class="terms"><thead><tr><th>term</th><th>value</th><th>section</th>'
            "<th>from the text</th></tr></thead><tbody>{}</tbody></table><p>{}</p>",
            rows,
            _change_link(terms, "Edit terms and citations"),
        )

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        terms_changed(form.instance, by=request.user)

    @admin.display(description="timeline")
    def duty_timeline(self, agreement):
        if not agreement.pk:
            return "—"
        today = local_today(settings.TIME_ZONE, timezone.now())
        start = today - (horizon_end(today) - today)
        rows = duty_rows(
            agreements_for_calendar().filter(pk=agreement.pk), start, horizon_end(today)
        )
        if not rows:
            return "No duties in this period (the agreement's terms give none)."
        body = format_html_join(
            "",
            '<tr class="{}"><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>§{}</td>'
            "<td>{}</td></tr>",
            (
                (
                    "past" if r.due_date < today else "future",
                    format_html(
                        '<span title="{}">{}</span>',
                        r.due_date.isoformat(),
                        r.due_date.strftime("%a %-d %b %Y"),
                    ),
                    _obligation_link(r),
                    r.owed_by,
                    r.flag,
                    r.section or "?",
                    r.status,
                )
                for r in rows
            ),
        )
        return format_html(
            "<table><thead><tr><th>due</th><th>duty</th><th>owed by</th><th>falls on</th>"
            "<th>section</th><th>status</th></tr></thead><tbody>{}</tbody></table>",
            body,
        )

    @admin.display(description="agreements that refer to this one")
    def related_from_others(self, agreement):
        links = agreement.relations_in.select_related("agreement")
        return (
            format_html_join(
                "",
                "<div>{} (as its {})</div>",
                ((_change_link(r.agreement), r.relation) for r in links),
            )
            or "—"
        )


def _step_case(step, urls):
    label = f"{step.get_workflow_display()} #{step.case_id}"
    if step.workflow not in urls:
        return label
    return format_html(
        '<a href="{}">{}</a>', reverse(urls[step.workflow], args=[step.case_id]), label
    )


def _obligation_link(row):
    if row.obligation_id is None:
        return row.title
    url = reverse("admin:trustee_obligation_change", args=[row.obligation_id])
    return format_html('<a href="{}">{}</a>', url, row.title)


class RecomputesObligations:
    """After an agreement's terms or securities change, its open obligations are recomputed."""

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        terms_changed(form.instance.agreement, by=request.user)


class TermCitationInline(admin.TabularInline):
    model = TermCitation
    extra = 0


@admin.register(AgreementTerms)
class AgreementTermsAdmin(RecomputesObligations, admin.ModelAdmin):
    list_display = [
        "agreement",
        "holder_list_dates",
        "default_notice_days",
        "cure_days",
        "majority_percent",
        "business_day_convention",
    ]
    list_filter = ["business_day_convention", "default_notice_runs_from", "cure_runs_from"]
    search_fields = ["agreement__short_name", "agreement__slug"]
    autocomplete_fields = ["agreement"]
    inlines = [TermCitationInline]
    fieldsets = [
        (None, {"fields": ["agreement", ("time_zone", "business_day_convention")]}),
        (
            "List of Holders (§2.2)",
            {
                "fields": [
                    ("holder_list_dates", "holder_list_commencement"),
                    "holder_list_business_days_after",
                    ("holder_list_as_of_days", "holder_list_request_days"),
                ]
            },
        ),
        (
            "Report to Holders (§2.3, TIA §313)",
            {
                "fields": [
                    ("report_anchor", "report_window_days", "report_due", "report_commencement")
                ]
            },
        ),
        (
            "Defaults (§1.1, §2.7)",
            {
                "fields": [
                    ("default_notice_days", "default_notice_runs_from"),
                    ("cure_days", "cure_runs_from"),
                ]
            },
        ),
        (
            "Votes (§2.6, §5.4, §8.2)",
            {"fields": [("majority_percent", "majority_comparison", "majority_basis")]},
        ),
        (
            "The trustee's standing (§4.1, §4.2, TIA §310)",
            {
                "fields": [
                    ("min_capital_surplus", "rating_categories"),
                    ("successor_days", "successor_runs_from"),
                    ("conflicting_interest_days", "conflicting_interest_notice_days"),
                    "holder_communication_business_days",
                ]
            },
        ),
        (
            "Guarantor's compliance certificate (§2.4, TIA §314)",
            {"fields": [("fiscal_year_end", "compliance_certificate_days")]},
        ),
    ]


class UnderwriterAllocationInline(admin.TabularInline):
    model = UnderwriterAllocation
    extra = 0
    autocomplete_fields = ["underwriter"]


@admin.register(Security)
class SecurityAdmin(RecomputesObligations, admin.ModelAdmin):
    list_display = [
        "title",
        "agreement",
        "kind",
        "cusip",
        "coupon_rate",
        "amount_outstanding",
        "maturity",
        "form",
    ]
    list_filter = ["kind", "form", "unit_basis"]
    search_fields = ["title", "cusip", "agreement__short_name"]
    autocomplete_fields = ["agreement"]
    inlines = [UnderwriterAllocationInline]
    fieldsets = [
        (None, {"fields": ["agreement", "title", ("kind", "form", "cusip")]}),
        (
            "Amounts",
            {
                "fields": [
                    ("coupon_rate", "unit_amount", "unit_basis"),
                    ("aggregate_amount", "amount_outstanding"),
                ]
            },
        ),
        (
            "Dates",
            {"fields": [("issue_date", "maturity"), ("payment_dates", "first_payment_date")]},
        ),
        ("Source", {"fields": ["source_section", "source_quote"]}),
    ]


@admin.register(NoticeAddress)
class NoticeAddressAdmin(admin.ModelAdmin):
    list_display = ["agreement", "party", "attention", "city", "fax", "section"]
    list_filter = ["agreement"]
    search_fields = ["agreement__short_name", "party__name", "attention", "city"]
    autocomplete_fields = ["agreement", "party"]
