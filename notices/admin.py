from django import forms
from django.contrib import admin, messages
from django.db.models import Count
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join

from notices.kinds import KINDS
from notices.models import Delivery, Notice
from notices.rendering import freeze, template_sources
from notices.rendering import render as render_notice
from notices.workflows import (
    NoticeRefused,
    deliveries_resend_failed,
    notice_approve,
    notice_context,
    notice_create,
    record_list_for,
)

SHOWN_FAILURES = 100


class NoticeForm(forms.ModelForm):
    class Meta:
        model = Notice
        fields = ["kind", "agreement", "security", "holder_list", "title", "details"]


@admin.register(Notice)
class NoticeAdmin(admin.ModelAdmin):
    form = NoticeForm
    list_display = [
        "reference",
        "kind",
        "agreement",
        "title",
        "status",
        "created_by",
        "approved_by",
        "delivery_counts",
    ]
    list_filter = ["status", "kind"]
    search_fields = ["reference", "title", "agreement__short_name"]
    autocomplete_fields = ["agreement", "security"]
    raw_id_fields = ["holder_list"]
    actions = ["approve", "resend_failed"]
    readonly_fields = [
        "reference",
        "status",
        "created_by",
        "approved_by",
        "approved_at",
        "delivery_counts",
        "failures",
        "preview_link",
    ]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.status != Notice.Status.DRAFT:
            return [*NoticeForm.Meta.fields, *self.readonly_fields]  # frozen once approved
        return self.readonly_fields

    def has_delete_permission(self, request, obj=None):
        return obj is not None and obj.status == Notice.Status.DRAFT

    def save_model(self, request, obj, form, change):
        if change:
            return super().save_model(request, obj, form, change)
        created = notice_create(
            kind=obj.kind,
            agreement=obj.agreement,
            security=obj.security,
            holder_list=obj.holder_list,
            title=obj.title,
            details=obj.details,
            by=request.user,
        )
        obj.pk, obj.reference, obj.created_by = created.pk, created.reference, created.created_by
        return None

    @admin.display(description="deliveries")
    def delivery_counts(self, notice):
        counts = dict(
            Delivery.objects.filter(notice=notice).values_list("state").annotate(n=Count("id"))
        )
        if not counts:
            return "—"
        return ", ".join(f"{n:,} {state}" for state, n in sorted(counts.items()))

    @admin.display(description="failed deliveries")
    def failures(self, notice):
        failed = Delivery.objects.filter(notice=notice, state=Delivery.State.FAILED)
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((d.recipient_name, d.email, d.last_error) for d in failed[:SHOWN_FAILURES]),
        )
        if not rows:
            return "—"
        return format_html(
            "<table><tr><th>to</th><th>address</th><th>error</th></tr>{}</table>", rows
        )

    @admin.display(description="preview")
    def preview_link(self, notice):
        if not notice.pk:
            return "—"
        url = reverse("admin:notices_notice_preview", args=[notice.pk])
        return format_html('<a href="{}">Preview for a sample recipient</a>', url)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/preview/", view(self.preview_view), name="notices_notice_preview"),
            *super().get_urls(),
        ]

    def preview_view(self, request, pk):
        notice = get_object_or_404(Notice, pk=pk)
        kind = KINDS[notice.kind]
        if notice.status == Notice.Status.DRAFT:
            # What approval would freeze now: the current templates and context.
            sources = template_sources(kind)
            notice.frozen_subject = sources["subject.txt"]
            notice.frozen_text = sources["body.txt"]
            notice.frozen_html = sources["body.html"]
            notice.frozen_letter = sources["letter.txt"]
            notice.frozen_context = freeze(notice_context(notice))
        sample = _sample_recipient(notice)
        content = render_notice(notice, sample)
        return render(
            request,
            "admin/notices/notice/preview.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Preview of {notice.reference}",
                "notice": notice,
                "sample": sample,
                "content": content,
                "variables": kind.variables,
                "opts": self.model._meta,
            },
        )

    @admin.action(description="Approve and send (a second Responsible Officer)")
    def approve(self, request, queryset):
        for notice in queryset:
            try:
                notice_approve(notice_id=notice.pk, by=request.user)
                self.message_user(request, f"{notice.reference} approved; delivery has begun.")
            except NoticeRefused as error:
                self.message_user(
                    request, f"{notice.reference}: {' '.join(error.messages)}", messages.ERROR
                )

    @admin.action(description="Resend failed e-mails only")
    def resend_failed(self, request, queryset):
        from notices.tasks import dispatch_notice

        for notice in queryset:
            count = deliveries_resend_failed(notice_id=notice.pk, by=request.user)
            if count:
                dispatch_notice.delay(notice.pk)
            self.message_user(request, f"{notice.reference}: {count} failed e-mail(s) requeued.")


def _sample_recipient(notice):
    if KINDS[notice.kind].audience == "holders":
        record = record_list_for(notice) if notice.security_id or notice.holder_list_id else None
        holder = record.holders.order_by("row_number").first() if record else None
        if holder is not None:
            parts = [
                *holder.address_lines.splitlines(),
                holder.city,
                f"{holder.state} {holder.postal_code}".strip(),
            ]
            return {"name": holder.name, "address": ", ".join(p for p in parts if p)}
        return {"name": "A. Sample Holder", "address": "1 Sample Street, Hartford, CT 06103"}
    guarantor = notice.agreement.party_in_role("guarantor")
    return {
        "name": guarantor.name if guarantor else "The Guarantor",
        "address": guarantor.one_line if guarantor else "",
    }


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "recipient_name",
        "notice",
        "channel",
        "email",
        "state",
        "attempts",
        "sent_at",
        "last_error",
    ]
    list_filter = ["state", "channel"]
    search_fields = ["^recipient_name", "email", "key", "notice__reference"]
    list_select_related = ["notice"]
    readonly_fields = [f.name for f in Delivery._meta.fields]
    show_full_result_count = False

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
