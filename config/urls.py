from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import path

from trustee.views import officer_calendar

admin.site.site_header = "Trustdesk"
admin.site.site_title = "Trustdesk"
admin.site.index_title = "Corporate trust administration"

urlpatterns = [
    path("", lambda request: HttpResponseRedirect("/admin/")),
    path("admin/", admin.site.urls),
    path("calendar/<str:token>.ics", officer_calendar, name="officer-calendar"),
]
