"""The admin's pages of holders themselves (a million rows: an estimated count and searches
through the officer's index), of the column mappings remembered per Guarantor, and of the
records of destroyed lists. The lists are in holders.admin.lists."""

from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Q
from django.utils.functional import cached_property

from holders.models import ColumnMapping, Holder, ListDestruction
from holders.search import name_starts_with, with_search_key


class EstimatedCountPaginator(Paginator):
    """PostgreSQL's own row estimate instead of COUNT(*) over a million holders.

    Used only for an unfiltered list; a filtered one (one list, a search) is counted exactly.
    """

    @cached_property
    def count(self):
        query = self.object_list.query
        if connection.vendor == "postgresql" and not query.where:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = 'holders_holder'::regclass"
                )
                estimate = cursor.fetchone()[0]
            if estimate and estimate > 10_000:
                return estimate
        return super().count


@admin.register(Holder)
class HolderAdmin(admin.ModelAdmin):
    list_display = ["name", "holder_list", "amount", "city", "state", "country", "counts_in_votes"]
    list_filter = ["is_guarantor_or_affiliate", "is_trustee_or_affiliate", "country"]
    # Prefix searches only: never a scan of a million names for a substring.
    search_fields = ["^name", "^postal_code"]
    list_select_related = ["holder_list__security"]
    paginator = EstimatedCountPaginator
    show_full_result_count = False
    raw_id_fields = ["holder_list"]

    def get_search_results(self, request, queryset, search_term):
        """The whole term as the start of a name, through the officer's search index, or, if
        it has a digit, of a ZIP or postal code (which have no index: that reads the table)."""
        term = " ".join(search_term.split())
        if not term:
            return queryset, False
        found = name_starts_with(term)
        if any(character.isdigit() for character in term):
            found |= Q(postal_code__istartswith=term)
        return with_search_key(queryset).filter(found), False

    def get_list_filter(self, request):
        # With a million rows, listing every country or list to filter by costs a full scan.
        return ["is_guarantor_or_affiliate", "is_trustee_or_affiliate"]

    def has_add_permission(self, request):
        return False  # holders come from Lists of Holders

    def has_change_permission(self, request, obj=None):
        return False  # a list is a record of what was delivered

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(boolean=True, description="counts in votes")
    def counts_in_votes(self, holder):
        return holder.counts_in_votes


@admin.register(ColumnMapping)
class ColumnMappingAdmin(admin.ModelAdmin):
    list_display = ["guarantor", "updated_at"]
    search_fields = ["guarantor__name"]
    autocomplete_fields = ["guarantor"]


@admin.register(ListDestruction)
class ListDestructionAdmin(admin.ModelAdmin):
    list_display = ["holder_list", "destroyed_at", "destroyed_by", "row_count", "sha256"]
    readonly_fields = [f.name for f in ListDestruction._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
