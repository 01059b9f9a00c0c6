"""The admin's pages of trust officers and their agreement assignments (each change of an
assignment moves the duties on the calendar to the new officer), and of the workers'
heartbeats."""

from django.contrib import admin

from trustee.models import Agreement, Heartbeat, OfficerAssignment, TrustOfficer
from trustee.obligations import assignments_changed
from trustee.roles import responsible_designation_sync


class AssignmentByOfficerInline(admin.TabularInline):
    model = OfficerAssignment
    extra = 0
    autocomplete_fields = ["agreement"]
    verbose_name_plural = "agreements assigned"


@admin.register(TrustOfficer)
class TrustOfficerAdmin(admin.ModelAdmin):
    list_display = ["__str__", "title", "is_responsible_officer", "is_active", "agreement_count"]
    list_filter = ["is_responsible_officer", "is_active"]
    search_fields = [
        "user__username",
        "user__first_name",
        "user__last_name",
        "user__email",
        "title",
    ]
    autocomplete_fields = ["user"]
    inlines = [AssignmentByOfficerInline]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")

    @admin.display(description="agreements")
    def agreement_count(self, officer):
        return officer.assignments.count()

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        # The §1.1 designation and the Responsible Officer role go together.
        responsible_designation_sync(obj)

    def save_related(self, request, form, formsets, change):
        before = set(form.instance.assignments.values_list("agreement_id", flat=True))
        super().save_related(request, form, formsets, change)
        after = set(form.instance.assignments.values_list("agreement_id", flat=True))
        for agreement in Agreement.objects.filter(pk__in=before | after):
            assignments_changed(agreement)


@admin.register(OfficerAssignment)
class OfficerAssignmentAdmin(admin.ModelAdmin):
    list_display = ["agreement", "officer", "role", "assigned_on"]
    list_filter = ["role", "officer"]
    search_fields = ["agreement__short_name", "officer__user__username", "officer__user__last_name"]
    autocomplete_fields = ["agreement", "officer"]

    def save_model(self, request, obj, form, change):
        previous = OfficerAssignment.objects.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        assignments_changed(obj.agreement)
        if previous and previous.agreement_id != obj.agreement_id:
            assignments_changed(previous.agreement)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        assignments_changed(obj.agreement)


@admin.register(Heartbeat)
class HeartbeatAdmin(admin.ModelAdmin):
    list_display = ["queue", "worker", "beat_at", "count"]
    search_fields = ["queue", "worker"]
    readonly_fields = ["queue", "worker", "beat_at", "count"]

    def has_add_permission(self, request):
        return False
