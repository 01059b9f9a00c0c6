"""The officer's desk pages, in the admin's look (its header, sidebar and breadcrumbs): the
desk itself, an agreement's page, the month calendar and the search. Reads only: every
button leads to the admin page that does the work (trustee/admin/workflows.py)."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from trustee import desk as reads
from trustee import obligation_rules as duty_rules
from trustee import workflow_rules as rules
from trustee.admin.workflows import WorkflowAdmin
from trustee.models import (
    Agreement,
    AgreementParty,
    DefaultCase,
    OfficerAssignment,
    Security,
    TrustOfficer,
)
from trustee.search import search

TIMELINE_LIMIT = 60
TIMELINE_MAX = 2000
MAX_CASES = 20  # open cases of one workflow on one agreement shown with their buttons


def _require(request, *perms):
    if not all(request.user.has_perm(p) for p in perms):
        raise PermissionDenied("You may not see this page.")


def _page(request, template, title, **context):
    return render(
        request,
        f"admin/trustee/desk/{template}",
        {**admin.site.each_context(request), "title": title, **context},
    )


def reports_url(user):
    """The supervisors' and examiners' reports, for those who may see them."""
    from trustee.report_urls import may_see_reports

    return reverse("reports:index") if may_see_reports(user) else ""


def obligations_url(**filters) -> str:
    return reverse("admin:trustee_obligation_changelist") + "?" + urlencode(filters)


def _officer_param(request):
    """?officer=<id> (a Supervisor looking at one officer), or None."""
    value = request.GET.get("officer", "")
    if not value or value == "all":
        return None
    if not value.isdigit():
        return None
    return TrustOfficer.objects.select_related("user").filter(pk=int(value)).first()


def desk_home(request):
    """The desk on a page of its own; a Supervisor may open any officer's (?officer=)."""
    viewed = _officer_param(request)
    if viewed is not None and not reads.is_supervisor(request.user):
        raise PermissionDenied("Only a Supervisor opens another officer's desk.")
    desk = reads.desk_for(request.user, today=timezone.localdate(), officer=viewed)
    title = f"Desk of {viewed}" if viewed else "My desk"
    return _page(request, "home.html", title, **desk_context(request, desk))


def desk_context(request, desk):
    officer = desk.officer if desk else None
    return {
        "desk": desk,
        "urgent_days": reads.URGENT_DAYS,
        "reports_url": reports_url(request.user),
        "mine_overdue_url": (
            obligations_url(status__exact=duty_rules.OVERDUE, officer__id__exact=officer.pk)
            if officer
            else ""
        ),
        "mine_due_soon_url": (
            obligations_url(status__exact=duty_rules.DUE_SOON, officer__id__exact=officer.pk)
            if officer
            else ""
        ),
        "all_overdue_url": obligations_url(status__exact=duty_rules.OVERDUE),
        "own_desk": officer is not None and officer.user_id == request.user.pk,
        # Prefixes of the links in the desk's lists: one reverse() each, not one per row.
        "obligation_base": reverse("admin:trustee_obligation_changelist"),
        "agreement_base": reverse("desk-home") + "agreements/",
        "desk_base": reverse("desk-home"),
        "calendar_base": reverse("desk-calendar"),
    }


# -- the agreement's page ----------------------------------------------------------------------


def agreement_page(request, pk):
    _require(request, "trustee.view_agreement")
    agreement = get_object_or_404(Agreement.objects.select_related("deal", "terms"), pk=pk)
    try:
        limit = min(max(int(request.GET.get("limit", TIMELINE_LIMIT)), 1), TIMELINE_MAX)
    except ValueError:
        limit = TIMELINE_LIMIT
    today = timezone.localdate()
    timeline = reads.agreement_timeline(agreement, today=today, limit=limit)
    cases, adds, case_urls = workflow_actions(request, agreement)
    parties = AgreementParty.objects.filter(agreement=agreement).select_related("party")
    officers = OfficerAssignment.objects.filter(agreement=agreement).select_related("officer__user")
    open_statuses = ",".join(sorted(duty_rules.OPEN))
    return _page(
        request,
        "agreement.html",
        agreement.short_name,
        agreement=agreement,
        parties=list(parties),
        securities=list(Security.objects.filter(agreement=agreement).order_by("title")),
        officers=list(officers),
        # The continuing Events of Default (§3.1(b), (c)), as the admin's banner lists them.
        in_default=list(
            DefaultCase.objects.filter(agreement=agreement, state__in=list(rules.CONTINUING))
            .select_related("event", "agreement")
            .order_by("event__occurred_on")
        ),
        timeline=timeline,
        limit=limit,
        more_url=f"?limit={min(limit * 2, TIMELINE_MAX)}",
        cases=cases,
        adds=adds,
        case_urls=case_urls,
        today=today,
        open_duties_url=obligations_url(
            agreement__id__exact=agreement.pk, status__in=open_statuses
        ),
        change_url=reverse("admin:trustee_agreement_change", args=[agreement.pk]),
    )


def _workflow_admins():
    for model, model_admin in admin.site._registry.items():
        if isinstance(model_admin, WorkflowAdmin):
            yield model, model_admin


def case_url_names() -> dict[str, str]:
    """Workflow code -> the URL name of its cases' admin change page, for every workflow
    registered in the admin (a workflow added later is found without a change here)."""
    names = {}
    for model, model_admin in _workflow_admins():
        if model_admin.workflow:
            meta = model._meta
            names[str(model_admin.workflow)] = f"admin:{meta.app_label}_{meta.model_name}_change"
    return names


def workflow_actions(request, agreement):
    """The open cases of every workflow for this agreement, each with the buttons its admin
    page offers now; the cases an officer may open by hand; and the change page of a case by
    (workflow, case id), for the timeline's steps. One query per workflow, whatever the
    number of cases; a workflow added later is found in the admin's registry."""
    cases, adds = [], []
    for model, model_admin in _workflow_admins():
        meta = model._meta
        change = f"admin:{meta.app_label}_{meta.model_name}_change"
        names = {f.name for f in meta.fields}
        if "agreement" not in names or "state" not in names or not model_admin.actions_by_name:
            continue
        if model_admin.has_add_permission(request):
            adds.append(
                (reverse(f"admin:{meta.app_label}_{meta.model_name}_add"), model_admin.add_title)
            )
        if not model_admin.has_view_permission(request):
            continue
        may_change = model_admin.has_change_permission(request)
        states = set().union(*(a.states for a in model_admin.actions_by_name.values()))
        act = f"admin:{meta.app_label}_{meta.model_name}_act"
        # select_related(): a case's name often reads its required relations (its event).
        open_cases = model.objects.filter(agreement=agreement, state__in=states).select_related()
        for case in open_cases.order_by("pk")[:MAX_CASES]:
            buttons = []
            if may_change:
                buttons = [
                    (reverse(act, args=[case.pk, key]), action.label)
                    for key, action in model_admin.actions_by_name.items()
                    if case.state in action.states
                    and (action.applies is None or action.applies(case))
                ]
            cases.append(
                {
                    "case": case,
                    "workflow": meta.verbose_name,
                    "state": case.get_state_display(),
                    "url": reverse(change, args=[case.pk]),
                    "buttons": buttons,
                }
            )
    return cases, adds, case_url_names()


# -- the month calendar ------------------------------------------------------------------------


def calendar_page(request):
    _require(request, "trustee.view_obligation")
    today = timezone.localdate()
    supervisor = reads.is_supervisor(request.user)
    own = getattr(request.user, "trust_officer", None)
    chosen = request.GET.get("officer", "")
    officer, everyone = own, False
    if chosen:
        if not supervisor:
            raise PermissionDenied("Only a Supervisor opens another officer's calendar.")
        officer = _officer_param(request)
        everyone = officer is None
    elif supervisor and own is None:
        everyone = True
    try:
        first = reads.parse_month(request.GET.get("month"), today=today)
    except reads.BadMonth as error:
        response = _page(
            request,
            "calendar.html",
            "Calendar of duties",
            error=str(error),
            month_value=request.GET.get("month", ""),
            **_calendar_choices(supervisor, officer, everyone),
        )
        response.status_code = 400
        return response
    if officer is None and not everyone:
        month = None  # a staff user who is no officer: nothing of theirs to show
    else:
        month = reads.month_calendar(first, scope=reads.scope_of(officer), today=today)
    whose = "the department" if everyone else (str(officer) if officer else "")
    keep = {"officer": request.GET["officer"]} if chosen else {}
    return _page(
        request,
        "calendar.html",
        f"Duties in {first:%B %Y}" + (f": {whose}" if whose else ""),
        month=month,
        first=first,
        month_value=f"{first:%Y-%m}",
        previous_url="?" + urlencode({**keep, "month": f"{reads.months_from(first, -1):%Y-%m}"}),
        next_url="?" + urlencode({**keep, "month": f"{reads.months_from(first, 1):%Y-%m}"}),
        today_url="?" + urlencode(keep),
        per_day=reads.PER_DAY,
        **_calendar_choices(supervisor, officer, everyone),
    )


def _calendar_choices(supervisor, officer, everyone):
    return {
        "supervisor": supervisor,
        "officers": (
            list(TrustOfficer.objects.filter(is_active=True).select_related("user"))
            if supervisor
            else []
        ),
        "chosen_officer": officer,
        "everyone": everyone,
    }


def day_url(day):
    """The Obligation changelist on one day (its date hierarchy)."""
    return obligations_url(
        due_date__day=day.day, due_date__month=day.month, due_date__year=day.year
    )


# -- the search --------------------------------------------------------------------------------


def search_page(request):
    _require(request, "trustee.view_agreement")
    query = request.GET.get("q", "")
    holders = request.user.has_perm("holders.view_holder")
    results = search(query, holders=holders) if query.strip() else None
    return _page(
        request,
        "search.html",
        f"Search: {query.strip()}" if query.strip() else "Search",
        query=query,
        results=results,
        may_see_holders=holders,
    )
