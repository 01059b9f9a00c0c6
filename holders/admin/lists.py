from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from holders.comparison import compare_lists
from holders.exports import csv_text, export_record, holder_rows_csv
from holders.intake import holder_list_receive, holder_list_total_override
from holders.models import (
    Holder,
    HolderList,
    ListProblem,
)
from holders.retention import holder_list_destroy, superseding_list
from holders.validation import FIELDS as HOLDER_FIELDS
from trustee.models import Obligation

SHOWN_PROBLEMS = 200


class HolderListUploadForm(forms.ModelForm):
    file = forms.FileField(help_text="CSV or Excel (.xlsx) as delivered; it is kept unchanged.")

    class Meta:
        model = HolderList
        fields = ["security", "source", "as_of", "received_on", "fulfils"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request
        self.fields["fulfils"].queryset = Obligation.objects.filter(
            kind__in=["holder_list", "holder_list_on_request"]
        ).select_related("agreement")
        for field in HOLDER_FIELDS:
            self.fields[f"column_{field}"] = forms.CharField(
                required=False,
                label=f"Column for {field.replace('_', ' ')}",
                help_text="Only if the file's header differs from the usual names.",
            )

    def clean(self):
        data = super().clean()
        refused = getattr(self.request, "upload_refused", None)
        if refused:
            raise ValidationError({"file": refused})
        return data

    def mapping(self):
        return {
            field: self.cleaned_data.get(f"column_{field}", "").strip()
            for field in HOLDER_FIELDS
            if self.cleaned_data.get(f"column_{field}", "").strip()
        }


@admin.register(HolderList)
class HolderListAdmin(admin.ModelAdmin):
    list_display = [
        "security",
        "as_of",
        "received_on",
        "source",
        "status",
        "progress",
        "row_count",
        "total",
        "identical",
    ]
    list_filter = ["status", "source", ("security", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["security__title", "security__agreement__short_name", "original_name"]
    date_hierarchy = "as_of"
    list_select_related = ["security"]
    actions = ["override_total", "destroy_superseded"]
    readonly_fields = [
        "security",
        "as_of",
        "received_on",
        "source",
        "fulfils",
        "original_link",
        "size_bytes",
        "sha256",
        "column_mapping",
        "imported_by",
        "created_at",
        "status",
        "progress",
        "error",
        "list_problem_text",
        "row_problems",
        "row_count",
        "total",
        "identical",
        "total_override_reason",
        "total_override_by",
        "total_override_at",
        "links",
    ]

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            form = HolderListUploadForm

            class RequestForm(form):
                def __init__(self, *args, **inner):
                    super().__init__(*args, request=request, **inner)

            return RequestForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            columns = [f"column_{field}" for field in HOLDER_FIELDS]
            return [
                (None, {"fields": ["security", "source", ("as_of", "received_on"), "fulfils"]}),
                ("File", {"fields": ["file"]}),
                (
                    "Column mapping: only where the file names columns differently "
                    "(remembered for the Guarantor)",
                    {"fields": columns, "classes": ["collapse"]},
                ),
            ]
        return [
            (None, {"fields": ["security", ("as_of", "received_on"), "source", "fulfils"]}),
            (
                "Result",
                {
                    "fields": [
                        "status",
                        "progress",
                        "error",
                        "list_problem_text",
                        "row_problems",
                        ("row_count", "total"),
                        "identical",
                        "links",
                    ]
                },
            ),
            (
                "Override of the total (Responsible Officer)",
                {"fields": ["total_override_reason", ("total_override_by", "total_override_at")]},
            ),
            (
                "Original file",
                {
                    "fields": [
                        "original_link",
                        ("size_bytes", "sha256"),
                        "column_mapping",
                        ("imported_by", "created_at"),
                    ]
                },
            ),
        ]

    def get_readonly_fields(self, request, obj=None):
        return self.readonly_fields if obj else []

    def has_delete_permission(self, request, obj=None):
        return False  # destroyed with a record (action), never deleted

    def has_change_permission(self, request, obj=None):
        # A received list is a record of what was delivered: it is viewed, never edited. The
        # actions (override, destroy) are its only changes, each with its reason.
        return obj is None and super().has_change_permission(request)

    def save_model(self, request, obj, form, change):
        upload = form.cleaned_data["file"]
        created = holder_list_receive(
            security=form.cleaned_data["security"],
            as_of=form.cleaned_data["as_of"],
            received_on=form.cleaned_data["received_on"],
            source=form.cleaned_data["source"],
            fulfils=form.cleaned_data.get("fulfils"),
            file=upload,
            file_name=upload.name,
            by=request.user,
            mapping=form.mapping(),
        )
        obj.pk = created.pk

    def save_related(self, request, form, formsets, change):
        pass  # the list has no inlines; its rows come from the import

    # -- display ------------------------------------------------------------------------------

    @admin.display(description="total")
    def total(self, holder_list):
        return f"{holder_list.total_amount:,.2f}" if holder_list.row_count else "—"

    @admin.display(description="identical to a previous list", boolean=False)
    def identical(self, holder_list):
        if not holder_list.identical_to_id:
            return ""
        return f"Yes: as of {holder_list.identical_to.as_of} (§2.2(a): not required)"

    @admin.display(description="original file")
    def original_link(self, holder_list):
        if not holder_list.original:
            return holder_list.original_name or "—"
        return holder_list.original_name

    @admin.display(description="list checks")
    def list_problem_text(self, holder_list):
        if not holder_list.list_problems:
            return "—"
        return format_html_join(
            "",
            "<div>{}{}</div>",
            (
                (p["message"], " (a Responsible Officer may override)" if p["overridable"] else "")
                for p in holder_list.list_problems
            ),
        )

    @admin.display(description="row problems")
    def row_problems(self, holder_list):
        if not holder_list.problem_count:
            return "—"
        shown = holder_list.problems.all()[:SHOWN_PROBLEMS]
        url = reverse("admin:holders_holderlist_problems", args=[holder_list.pk])
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((p.row, p.field, p.problem) for p in shown),
        )
        return format_html(
            '<p>{} problem(s); <a href="{}">download them all as CSV</a>.</p>'
            "<table><tr><th>row</th><th>field</th><th>problem</th></tr>{}</table>",
            f"{holder_list.problem_count:,}",
            url,
            rows,
        )

    @admin.display(description="see")
    def links(self, holder_list):
        parts = []
        if holder_list.status == HolderList.Status.IMPORTED:
            holders = (
                reverse("admin:holders_holder_changelist")
                + f"?holder_list__id__exact={holder_list.pk}"
            )
            parts.append(format_html('<a href="{}">its holders</a>', holders))
            compare = reverse("admin:holders_holderlist_compare", args=[holder_list.pk])
            parts.append(format_html('<a href="{}">comparison with the previous list</a>', compare))
            export = reverse("admin:holders_holderlist_export", args=[holder_list.pk])
            parts.append(format_html('<a href="{}">download the holders (CSV)</a>', export))
        return format_html_join(" · ", "{}", ((p,) for p in parts)) or "—"

    # -- pages --------------------------------------------------------------------------------

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/problems.csv", view(self.problems_csv), name="holders_holderlist_problems"
            ),
            path("<int:pk>/compare/", view(self.compare_view), name="holders_holderlist_compare"),
            path("<int:pk>/holders.csv", view(self.holders_csv), name="holders_holderlist_export"),
            *super().get_urls(),
        ]

    def problems_csv(self, request, pk):
        holder_list = get_object_or_404(HolderList, pk=pk)
        rows = ListProblem.objects.filter(holder_list=holder_list).values_list(
            "row", "field", "problem"
        )
        response = HttpResponse(
            csv_text(["row", "field", "problem"], rows), content_type="text/csv"
        )
        response["Content-Disposition"] = f'attachment; filename="list-{pk}-problems.csv"'
        return response

    def holders_csv(self, request, pk):
        holder_list = get_object_or_404(HolderList, pk=pk, status=HolderList.Status.IMPORTED)
        holders = Holder.objects.filter(holder_list=holder_list).order_by("row_number")
        export_record(
            holder_list=holder_list, what="holders CSV", rows=holder_list.row_count, by=request.user
        )
        response = StreamingHttpResponse(holder_rows_csv(holders), content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="list-{pk}-holders.csv"'
        return response

    def compare_view(self, request, pk):
        after = get_object_or_404(HolderList, pk=pk)
        before = (
            HolderList.objects.filter(
                security=after.security,
                status=HolderList.Status.IMPORTED,
                as_of__lt=after.as_of,
            )
            .order_by("-as_of")
            .first()
        )
        changes = compare_lists(before, after) if before else []
        if request.GET.get("format") == "csv":
            body = csv_text(
                [
                    "change",
                    "name",
                    "before address",
                    "after address",
                    "before amount",
                    "after amount",
                    "what",
                ],
                (
                    (
                        c.kind,
                        c.name,
                        c.before_address,
                        c.after_address,
                        c.before_amount,
                        c.after_amount,
                        c.what,
                    )
                    for c in changes
                ),
            )
            export_record(
                holder_list=after, what="comparison CSV", rows=len(changes), by=request.user
            )
            response = HttpResponse(body, content_type="text/csv")
            response["Content-Disposition"] = f'attachment; filename="list-{pk}-changes.csv"'
            return response
        counts = {
            kind: sum(1 for c in changes if c.kind == kind)
            for kind in ("added", "changed", "removed")
        }
        return render(
            request,
            "admin/holders/holderlist/compare.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Changes in {after}",
                "after": after,
                "before": before,
                "changes": changes,
                "counts": counts,
                "opts": self.model._meta,
            },
        )

    # -- actions ------------------------------------------------------------------------------

    @admin.action(description="Override the total mismatch and import again (Responsible Officer)…")
    def override_total(self, request, queryset):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            return _reason_page(
                request,
                self,
                queryset,
                form,
                "override_total",
                "Why the total may differ from the amount outstanding",
            )
        for holder_list in queryset:
            try:
                holder_list_total_override(
                    list_id=holder_list.pk, by=request.user, reason=form.cleaned_data["text"]
                )
            except ValidationError as refusal:
                self.message_user(
                    request, f"{holder_list}: {' '.join(refusal.messages)}", messages.ERROR
                )
            else:
                self.message_user(request, f"{holder_list}: override recorded, import queued.")
        return None

    @admin.action(description="Destroy superseded list (§2.2(a))…")
    def destroy_superseded(self, request, queryset):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if not form.is_valid():
            if "apply" not in request.POST:
                newer = {h.pk: superseding_list(h) for h in queryset}
                form.initial["text"] = "; ".join(
                    f"§2.2(a): superseded by the list as of {n.as_of}" for n in newer.values() if n
                )
            return _reason_page(
                request, self, queryset, form, "destroy_superseded", "Reason for the destruction"
            )
        for holder_list in queryset:
            try:
                holder_list_destroy(
                    list_id=holder_list.pk, by=request.user, reason=form.cleaned_data["text"]
                )
                self.message_user(request, f"{holder_list}: destroyed; the record is kept.")
            except ValidationError as error:
                self.message_user(
                    request, f"{holder_list}: {' '.join(error.messages)}", messages.ERROR
                )
        return None


class ReasonForm(forms.Form):
    text = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "cols": 80}))


def _reason_page(request, model_admin, queryset, form, action, label):
    form.fields["text"].label = label
    return render(
        request,
        "admin/holders/holderlist/reason.html",
        {
            **model_admin.admin_site.each_context(request),
            "title": label,
            "form": form,
            "lists": queryset,
            "action": action,
            "opts": model_admin.model._meta,
        },
    )
