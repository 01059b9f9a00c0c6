"""The officer's desk pages, under <admin>/desk/ (config/urls.py), each behind the admin's
login (admin_view: staff only, others go to the login page)."""

from django.contrib import admin
from django.urls import path

from trustee import desk_views as views

urlpatterns = [
    path("", admin.site.admin_view(views.desk_home), name="desk-home"),
    path(
        "agreements/<int:pk>/",
        admin.site.admin_view(views.agreement_page),
        name="desk-agreement",
    ),
    path("calendar/", admin.site.admin_view(views.calendar_page), name="desk-calendar"),
    path("search/", admin.site.admin_view(views.search_page), name="desk-search"),
]
