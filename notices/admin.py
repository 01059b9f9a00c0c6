from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from notices.kinds import KINDS
from notices.mailing import letters_mailed
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


class RecordMailingForm(forms.Form):
    mailed_on = forms.DateField(
        label="Date mailed",
        widget=AdminDateWidget,
        help_text="The day the letters were deposited in the mail, first class postage prepaid.",
    )


# The files a notice keeps, by the name of their download: (field, content type, file name).
DOWNLOADS = {
    "letters.pdf": ("letters_file", "application/pdf", "{reference}-letters.pdf"),
    "manifest.pdf": ("manifest_pdf", "application/pdf", "{reference}-certificate-of-mailing.pdf"),
    "manifest.csv": ("manifest_csv", "text/csv", "{reference}-mailing-manifest.csv"),
}


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
        "letters",
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
        rows = (
            Delivery.objects.filter(notice=notice)
            .values_list("channel", "state")
            .annotate(n=Count("id"))
            .order_by("channel", "state")
        )
        by_channel: dict[str, list[str]] = {}
        for channel, state, n in rows:
            by_channel.setdefault(channel, []).append(f"{n:,} {state}")
        if not by_channel:
            return "—"
        labels = dict(Delivery.Channel.choices)
        return "; ".join(
            f"{labels.get(channel, channel)}: {', '.join(parts)}"
            for channel, parts in by_channel.items()
        )

    @admin.display(description="letters")
    def letters(self, notice):
        status = notice.letters_status
        Letters = Notice.Letters
        if not notice.pk or status == Letters.NONE:
            return "—"
        if status in (Letters.PENDING, Letters.PREPARING):
            text = "being prepared"
            if notice.letters_error:
                return format_html("{} (last attempt: {})", text, notice.letters_error)
            return text
        if status == Letters.FAILED:
            return f"failed: {notice.letters_error}"
        letters_link = self._download_link(notice, "letters.pdf", "Letters PDF")
        ready = format_html(
            "ready ({} letters, {} pages, SHA-256 {}) · {}",
            f"{notice.letters_count:,}",
            f"{notice.letters_pages:,}",
            notice.letters_sha256[:16],
            letters_link,
        )
        if status == Letters.READY:
            url = reverse("admin:notices_notice_mailing", args=[notice.pk])
            return format_html('{} · <a class="button" href="{}">Record mailing</a>', ready, url)
        counts = notice.manifest_counts
        return format_html(
            "{}<br>mailed on {} by {} ({} addressees: {} domestic, {} foreign) · {} · {}",
            ready,
            notice.letters_mailed_on,
            notice.letters_mailed_by.get_full_name() or notice.letters_mailed_by.get_username(),
            f"{counts.get('addressees', 0):,}",
            f"{counts.get('domestic', 0):,}",
            f"{counts.get('foreign', 0):,}",
            self._download_link(notice, "manifest.pdf", "Certificate of mailing (PDF)"),
            self._download_link(notice, "manifest.csv", "Mailing manifest (CSV)"),
        )

    @staticmethod
    def _download_link(notice, what, label):
        url = reverse("admin:notices_notice_download", args=[notice.pk, what])
        return format_html('<a href="{}">{}</a>', url, label)

    @admin.display(description="failed deliveries")
    def failures(self, notice):
        failed = Delivery.objects.filter(
            notice=notice, state__in=[Delivery.State.FAILED, Delivery.State.BOUNCED]
        )
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (d.recipient_name, d.get_channel_display(), d.email, d.last_error)
                for d in failed[:SHOWN_FAILURES]
            ),
        )
        if not rows:
            return "—"
        return format_html(
            "<table><tr><th>to</th><th>channel</th><th>address</th><th>error</th></tr>{}</table>",
            rows,
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
            path(
                "<int:pk>/files/<str:what>",
                view(self.download_view),
                name="notices_notice_download",
            ),
            path("<int:pk>/mailing/", view(self.mailing_view), name="notices_notice_mailing"),
            *super().get_urls(),
        ]

    def download_view(self, request, pk, what):
        """The notice's letters and manifest, to those who may view notices: these files hold
        every holder's address, so they are never served from a public MEDIA_URL."""
        notice = get_object_or_404(Notice, pk=pk)
        if not self.has_view_permission(request, notice):
            raise PermissionDenied
        if what not in DOWNLOADS:
            raise Http404("No such file.")
        field, content_type, file_name = DOWNLOADS[what]
        stored = getattr(notice, field)
        if not stored:
            raise Http404(f"{notice.reference} has no {what} yet.")
        try:
            handle = stored.open("rb")
        except FileNotFoundError as error:
            raise Http404(f"The file {stored.name} is missing from the storage.") from error
        return FileResponse(
            handle,
            as_attachment=True,
            filename=file_name.format(reference=notice.reference),
            content_type=content_type,
        )

    def mailing_view(self, request, pk):
        notice = get_object_or_404(Notice, pk=pk)
        if not self.has_change_permission(request, notice):
            raise PermissionDenied
        change_url = reverse("admin:notices_notice_change", args=[notice.pk])
        if request.method == "POST":
            form = RecordMailingForm(request.POST)
            if form.is_valid():
                try:
                    letters_mailed(
                        notice_id=notice.pk,
                        by=request.user,
                        mailed_on=form.cleaned_data["mailed_on"],
                    )
                except NoticeRefused as error:
                    # A refusal about the date goes under the field, any other above the form.
                    form.add_error(None, error)
                else:
                    self.message_user(
                        request,
                        f"{notice.reference}: mailing recorded; the certificate of mailing is "
                        "ready to download.",
                    )
                    return HttpResponseRedirect(change_url)
        else:
            form = RecordMailingForm(initial={"mailed_on": timezone.localdate()})
        return render(
            request,
            "admin/notices/notice/record_mailing.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Record the mailing of {notice.reference}'s letters",
                "notice": notice,
                "form": form,
                "media": self.media + form.media,
                "change_url": change_url,
                "opts": self.model._meta,
            },
        )

    def preview_view(self, request, pk):
        notice = get_object_or_404(Notice, pk=pk)
        if not self.has_view_permission(request, notice):
            raise PermissionDenied
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
        for notice in queryset:
            count = deliveries_resend_failed(notice_id=notice.pk, by=request.user)
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
