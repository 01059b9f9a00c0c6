from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from config.health import healthz
from trustee.views import officer_calendar

admin.site.site_header = "Trustdesk"
admin.site.site_title = "Trustdesk"
admin.site.index_title = "Corporate trust administration"


def admin_prefix(value):
    """TRUSTDESK_ADMIN_URL as a URL prefix: no leading slash, one trailing slash."""
    value = (value or "").strip().strip("/")
    return f"{value}/" if value else "admin/"


# Where the admin lives (a less guessable path deters scanners; it is no access control).
# Everything else finds it by name (reverse("admin:...")).
ADMIN_URL = admin_prefix(getattr(settings, "TRUSTDESK_ADMIN_URL", "admin/"))

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index"), name="home"),
    path("healthz", healthz, name="healthz"),
    # Pages in the admin's look that are not one model's: the officer's desk (calendar,
    # search, the agreement page) and the reports for supervisors and examiners.
    path(f"{ADMIN_URL}desk/", include("trustee.desk_urls")),
    path(f"{ADMIN_URL}reports/", include("trustee.report_urls")),
    path(ADMIN_URL, admin.site.urls),
    path("calendar/<str:token>.ics", officer_calendar, name="officer-calendar"),
]
