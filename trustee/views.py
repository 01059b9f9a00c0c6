"""The officer's iCalendar feed: duties in Outlook or Google Calendar, by a secret URL."""

from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET
from icalendar import Calendar, Event

from trustee.calendar import local_today
from trustee.models import Obligation, TrustOfficer
from trustee.obligations import horizon_end

PAST_DAYS = 90


@require_GET
def officer_calendar(request, token):
    officer = TrustOfficer.objects.filter(calendar_token=token, is_active=True).first()
    if officer is None or not token:
        raise Http404("No such calendar.")
    today = local_today(settings.TIME_ZONE, timezone.now())
    obligations = (
        Obligation.objects.filter(
            Q(officer=officer) | Q(agreement__officer_assignments__officer=officer),
            due_date__range=(today - timedelta(days=PAST_DAYS), horizon_end(today)),
        )
        .select_related("agreement")
        .distinct()
        .order_by("due_date")
    )
    calendar = Calendar()
    calendar.add("prodid", "-//Trustdesk//Duty calendar//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Trustdesk: {officer}")
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    base = settings.TRUSTDESK_BASE_URL.rstrip("/")
    for obligation in obligations:
        event = Event()
        # Stable across feeds and edits so calendar programs update an event, not duplicate it.
        event.add("uid", f"obligation-{obligation.pk}@trustdesk")
        event.add("summary", f"{obligation.agreement.short_name}: {obligation.title}")
        event.add("dtstart", obligation.due_date)
        event.add("dtend", obligation.due_date + timedelta(days=1))
        event.add("dtstamp", obligation.updated_at)
        flag = obligation.holiday or ("a weekend" if obligation.is_weekend else "")
        lines = [
            f"Owed by the {obligation.owed_by}; status {obligation.get_status_display().lower()}.",
            f"§{obligation.section}: {obligation.quote}" if obligation.section else "",
            f"Falls on {flag}." if flag else "",
        ]
        event.add("description", "\n".join(line for line in lines if line))
        event.add("url", base + reverse("admin:trustee_obligation_change", args=[obligation.pk]))
        event.add("status", "CANCELLED" if obligation.status == "not_required" else "CONFIRMED")
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="trustdesk.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response
