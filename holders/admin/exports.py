"""The record of holder data that left the system, read only."""

from django.contrib import admin

from holders.models import HolderExport


@admin.register(HolderExport)
class HolderExportAdmin(admin.ModelAdmin):
    """Read only: the record of holder data that left the system."""

    list_display = ["at", "holder_list", "what", "rows", "by"]
    list_filter = ["what"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
