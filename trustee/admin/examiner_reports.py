"""The trail of report exports. The reports for supervisors and examiners themselves are pages
in the admin's look that are no one model's, served by trustee/report_urls.py at
`<admin>/reports/`."""

from django.contrib import admin

from trustee.models import ReportExport


@admin.register(ReportExport)
class ReportExportAdmin(admin.ModelAdmin):
    """Read-only: the trail of reports that left the system."""

    list_display = ("at", "report", "as_of", "format", "rows", "by")
    list_filter = ("report", "format")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
