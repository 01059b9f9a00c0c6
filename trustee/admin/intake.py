"""Agreement intake in the admin: upload an exhibit, review what the reader proposes with each
value beside the section and the sentence it comes from, correct, confirm. The forms collect;
trustee/intake.py decides (who may, what is valid, what is created)."""

from __future__ import annotations

import json

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst

from trustee import intake
from trustee.exhibits.reader import summary
from trustee.models import Agreement, AgreementParty, AgreementSource, AgreementTerms, Security

DATE = forms.DateInput(attrs={"type": "date"})


class UploadForm(forms.Form):
    file = forms.FileField(
        label="exhibit",
        help_text="The plain text of the agreement as filed on EDGAR (.txt), not a whole filing.",
    )


class ReviewForm(forms.Form):
    """One field per proposed value, named as the service's keys: "short_name",
    "term_cure_days" (terms.cure_days), "party_0_name" (parties.0.name), "security_0_title"."""

    EXTRA_PARTIES = 1
    EXTRA_SECURITIES = 1

    def __init__(self, *args, proposed: dict, **kwargs):
        super().__init__(*args, **kwargs)
        f = self.fields
        f["short_name"] = forms.CharField(max_length=120)
        f["slug"] = forms.SlugField(
            max_length=80, required=False, help_text="Empty: made from the short name."
        )
        f["title"] = forms.CharField(max_length=300, required=False, label="full title")
        f["kind"] = forms.ChoiceField(choices=Agreement.Kind.choices)
        f["dated_as_of"] = forms.DateField(required=False, widget=DATE)
        f["governing_law"] = forms.CharField(max_length=80, required=False)
        f["governing_law_section"] = forms.CharField(max_length=40, required=False)
        f["tia"] = forms.ChoiceField(
            label="Trust Indenture Act",
            choices=[("", "— choose —"), *Agreement.TrustIndentureAct.choices],
            required=False,
            help_text="The reader does not decide this: the text rarely says it in so many words.",
        )
        f["our_role"] = forms.ChoiceField(
            label="our bank's role", choices=Agreement.OurRole.choices
        )
        for name in self.agreement_fields():
            self.initial.setdefault(name, proposed.get(name))

        self.party_count = len(proposed["parties"]) + self.EXTRA_PARTIES
        for index in range(self.party_count):
            row = _row(proposed["parties"], index)
            f[f"party_{index}_name"] = forms.CharField(
                max_length=200, required=False, label="legal name"
            )
            f[f"party_{index}_role"] = forms.ChoiceField(
                choices=AgreementParty.Role.choices, required=False, label="role"
            )
            self.initial.setdefault(f"party_{index}_name", row.get("name"))
            self.initial.setdefault(f"party_{index}_role", row.get("role") or "other")

        self.security_count = len(proposed["securities"]) + self.EXTRA_SECURITIES
        for index in range(self.security_count):
            row = _row(proposed["securities"], index)
            for name in intake.SECURITY_FIELDS:
                field = Security._meta.get_field(name).formfield(required=False)
                f[f"security_{index}_{name}"] = field
                self.initial.setdefault(f"security_{index}_{name}", row.get(name))

        for name in intake.REVIEWED_TERMS:
            field = AgreementTerms._meta.get_field(name).formfield(required=False)
            if isinstance(field, forms.DateField):
                field.widget = DATE
            f[f"term_{name}"] = field
            self.initial.setdefault(f"term_{name}", proposed["terms"].get(name))

    @staticmethod
    def agreement_fields():
        return intake.AGREEMENT_FIELDS

    def values(self) -> dict:
        data = self.cleaned_data
        values = {name: data.get(name) for name in self.agreement_fields()}
        values["parties"] = [
            {"name": data.get(f"party_{i}_name") or "", "role": data.get(f"party_{i}_role")}
            for i in range(self.party_count)
        ]
        values["securities"] = [
            {name: data.get(f"security_{i}_{name}") for name in intake.SECURITY_FIELDS}
            for i in range(self.security_count)
        ]
        values["terms"] = {name: data.get(f"term_{name}") for name in intake.REVIEWED_TERMS}
        return values

    def field_name(self, key: str) -> str | None:
        """The form field for a key of the service's refusal ("terms.cure_days")."""
        parts = key.split(".")
        if parts[0] == "terms" and len(parts) == 2:
            name = f"term_{parts[1]}"
        elif parts[0] in ("parties", "securities") and len(parts) == 3:
            name = f"{'party' if parts[0] == 'parties' else 'security'}_{parts[1]}_{parts[2]}"
        else:
            name = key
        return name if name in self.fields else None


def _row(rows: list, index: int) -> dict:
    return rows[index] if index < len(rows) else {}


def _show_refusal(form, refusal: ValidationError, field_name=None):
    """The service's refusal on the form: by field where it names one, else at the top."""
    field_name = field_name or (lambda key: key if key in form.fields else None)
    if hasattr(refusal, "error_dict"):
        for key, errors in refusal.message_dict.items():
            name = None if key == NON_FIELD_ERRORS else field_name(key)
            for error in errors:
                prefix = "" if name or key == NON_FIELD_ERRORS else f"{key}: "
                form.add_error(name, f"{prefix}{error}")
    else:
        for error in refusal.messages:
            form.add_error(None, error)


@admin.register(AgreementSource)
class AgreementSourceAdmin(admin.ModelAdmin):
    list_display = ["file_name", "kind", "uploaded_at", "uploaded_by", "became"]
    list_select_related = ["uploaded_by", "agreement"]
    search_fields = ["file_name", "sha256", "agreement__short_name"]
    date_hierarchy = "uploaded_at"
    fields = [
        "became",
        "file_name",
        ("size", "sha256"),
        ("uploaded_by", "uploaded_at"),
        ("confirmed_by", "confirmed_at"),
        "text_links",
        "corrections",
        "proposal_summary",
    ]
    readonly_fields = [
        "became",
        "file_name",
        "size",
        "sha256",
        "uploaded_by",
        "uploaded_at",
        "confirmed_by",
        "confirmed_at",
        "text_links",
        "corrections",
        "proposal_summary",
    ]

    # The intake creates agreements: it is open to whoever may add one (the service then
    # refuses anyone who is not a trust officer).
    def has_add_permission(self, request):
        return request.user.has_perm("trustee.add_agreement")

    def has_change_permission(self, request, obj=None):
        confirmed = obj is not None and obj.agreement_id is not None
        return not confirmed and request.user.has_perm("trustee.add_agreement")

    def has_view_permission(self, request, obj=None):
        return request.user.has_perm("trustee.view_agreement") or self.has_change_permission(
            request, obj
        )

    def has_delete_permission(self, request, obj=None):
        return False  # the text is kept with the agreement it became

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    # -- list and read-only page ---------------------------------------------------------

    @admin.display(description="kind")
    def kind(self, source):
        return (source.proposal or {}).get("kind") or "—"

    @admin.display(description="agreement")
    def became(self, source):
        if source.agreement_id is None:
            return "Awaiting review: nothing recorded yet."
        url = reverse("admin:trustee_agreement_change", args=[source.agreement_id])
        return format_html('<a href="{}">{}</a>', url, source.agreement)

    @admin.display(description="the exhibit's text")
    def text_links(self, source):
        url = reverse("admin:trustee_agreementsource_text", args=[source.pk])
        return format_html(
            '<a href="{}">View</a> · <a href="{}?download=1">Download</a> ({} characters)',
            url,
            url,
            f"{len(source.text):,}",
        )

    @admin.display(description="values the officer corrected")
    def corrections(self, source):
        corrected = (source.review or {}).get("corrected") or {}
        if not corrected:
            return "None." if source.agreement_id else "—"
        return format_html(
            "<pre>{}</pre>", json.dumps(corrected, indent=1, ensure_ascii=False, sort_keys=True)
        )

    @admin.display(description="what the reader proposed")
    def proposal_summary(self, source):
        try:
            text = summary(source.proposal)
        except (KeyError, TypeError, AttributeError):
            text = json.dumps(source.proposal, indent=1, ensure_ascii=False)
        return format_html("<pre>{}</pre>", text)

    # -- urls ------------------------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "<int:pk>/text/",
                self.admin_site.admin_view(self.text_view),
                name="trustee_agreementsource_text",
            ),
            *super().get_urls(),
        ]

    def text_view(self, request, pk):
        source = get_object_or_404(AgreementSource, pk=pk)
        if not self.has_view_permission(request, source):
            raise PermissionDenied
        response = HttpResponse(source.text, content_type="text/plain; charset=utf-8")
        disposition = "attachment" if request.GET.get("download") else "inline"
        name = source.file_name.replace('"', "")
        response["Content-Disposition"] = f'{disposition}; filename="{name}"'
        response["X-Content-Type-Options"] = "nosniff"
        return response

    # -- upload ----------------------------------------------------------------------------

    def add_view(self, request, form_url="", extra_context=None):
        if not self.has_add_permission(request):
            raise PermissionDenied
        posted = request.method == "POST"
        form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
        if posted and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                source = intake.exhibit_upload(file=upload, file_name=upload.name, by=request.user)
            except ValidationError as refusal:
                _show_refusal(form, refusal)
            else:
                messages.info(
                    request,
                    "Read. Nothing is recorded until you review the values and confirm.",
                )
                return redirect(reverse("admin:trustee_agreementsource_change", args=[source.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Upload an agreement exhibit",
            "form": form,
            "max_mb": intake.max_exhibit_bytes() / 1_048_576,
        }
        return render(request, "admin/trustee/agreementsource/upload.html", context)

    # -- review and confirm ----------------------------------------------------------------

    def change_view(self, request, object_id, form_url="", extra_context=None):
        source = self.get_object(request, object_id)
        if source is not None and source.agreement_id and request.method == "POST":
            # A second Confirm (another tab, a double click): the service's refusal, shown.
            try:
                intake.exhibit_confirm(source_id=source.pk, by=request.user, values={})
            except ValidationError as refusal:
                messages.error(request, " ".join(refusal.messages))
            return redirect(request.path)
        if source is None or not self.has_change_permission(request, source):
            # Confirmed (or not the viewer's to confirm): the read-only page.
            return super().change_view(request, object_id, form_url, extra_context)
        proposed, sources = intake.proposed_values(source.proposal)
        posted = request.method == "POST"
        form = ReviewForm(request.POST if posted else None, proposed=proposed)
        if posted and form.is_valid():
            try:
                agreement = intake.exhibit_confirm(
                    source_id=source.pk, by=request.user, values=form.values()
                )
            except ValidationError as refusal:
                _show_refusal(form, refusal, form.field_name)
            else:
                messages.success(
                    request,
                    f"Recorded {agreement}, with its parties, securities, terms and duties.",
                )
                return redirect(reverse("admin:trustee_agreement_change", args=[agreement.pk]))
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"Review: {source.file_name}",
            "source": source,
            "form": form,
            "text_links": self.text_links(source),
            "notice_addresses": source.proposal.get("notice_addresses") or [],
            "same_text": AgreementSource.objects.filter(sha256=source.sha256)
            .exclude(pk=source.pk)
            .select_related("agreement"),
            **_review_rows(form, proposed, sources),
        }
        return render(request, "admin/trustee/agreementsource/review.html", context)


def _review_rows(form, proposed, sources) -> dict:
    """The bound fields, each beside its section and quote, grouped as the page shows them."""

    def cite(entry):
        entry = entry or {}
        section = entry.get("section", "")
        # "§2.2(a)", but "Preamble" and "Recitals" as they are
        shown = f"§{section}" if section[:1].isdigit() else section
        return shown, entry.get("quote", ""), entry.get("note", "")

    agreement = [(form[name], *cite(sources.get(name))) for name in ReviewForm.agreement_fields()]
    parties = [
        (
            form[f"party_{i}_name"],
            form[f"party_{i}_role"],
            *cite(_row(sources["parties"], i)),
        )
        for i in range(form.party_count)
    ]
    securities = [
        (
            [form[f"security_{i}_{name}"] for name in intake.SECURITY_FIELDS],
            *cite(_row(sources["securities"], i)),
        )
        for i in range(form.security_count)
    ]
    security_labels = [
        capfirst(Security._meta.get_field(name).verbose_name) for name in intake.SECURITY_FIELDS
    ]
    terms = [
        (form[f"term_{name}"], *cite(sources["terms"].get(name))) for name in intake.REVIEWED_TERMS
    ]
    return {
        "agreement_rows": agreement,
        "party_rows": parties,
        "security_rows": securities,
        "security_labels": security_labels,
        "term_rows": terms,
        "found": sum(1 for name in intake.REVIEWED_TERMS if name in sources["terms"]),
    }
