from django.contrib import admin

from holders.models import Holder


@admin.register(Holder)
class HolderAdmin(admin.ModelAdmin):
    list_display = ["name", "security", "amount", "city", "state", "country", "counts_in_votes"]
    list_filter = ["security", "country", "is_guarantor_or_affiliate", "is_trustee_or_affiliate"]
    search_fields = ["name", "email", "city", "postal_code"]
    autocomplete_fields = ["security"]
    list_select_related = ["security"]

    @admin.display(boolean=True, description="counts in votes")
    def counts_in_votes(self, holder):
        return holder.counts_in_votes
