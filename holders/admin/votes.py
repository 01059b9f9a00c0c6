from django import forms
from django.contrib import admin

from holders.models import Solicitation, Vote
from holders.votes import vote_count


class VoteFormSet(forms.BaseInlineFormSet):
    def clean(self):
        super().clean()
        record_list_id = self.instance.record_list_id
        for form in self.forms:
            holder = form.cleaned_data.get("holder") if hasattr(form, "cleaned_data") else None
            if holder and holder.holder_list_id != record_list_id:
                form.add_error("holder", f"{holder.name} is not on the record list.")


class VoteInline(admin.TabularInline):
    model = Vote
    formset = VoteFormSet
    extra = 0
    raw_id_fields = ["holder"]
    readonly_fields = ["recorded_by", "recorded_at"]


@admin.register(Solicitation)
class SolicitationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "opened_on", "closes_on", "result"]
    list_filter = ["kind"]
    search_fields = ["description", "record_list__security__title"]
    raw_id_fields = ["record_list"]
    readonly_fields = ["result", "created_by"]
    inlines = [VoteInline]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        votes = formset.save(commit=False)
        for vote in votes:
            vote.recorded_by = request.user
            vote.save()
        for vote in formset.deleted_objects:
            vote.delete()

    @admin.display(description="count")
    def result(self, solicitation):
        if not solicitation.pk:
            return "—"
        basis = solicitation.record_list.security.agreement.terms.get_majority_basis_display()
        return vote_count(solicitation).explain(basis.lower() or "amount")
