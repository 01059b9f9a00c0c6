from django import template
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from trustee.desk import desk_for

register = template.Library()


@register.inclusion_tag("admin/trustee/desk.html", takes_context=True)
def officer_desk(context):
    """The desk on the admin's first page: the landing page after login."""
    from trustee.desk_views import desk_context

    request = context.get("request")
    user = getattr(request, "user", None)
    desk = desk_for(user, today=timezone.localdate()) if user is not None else None
    return {**desk_context(request, desk), "request": request} if desk else {"desk": None}


@register.filter
def step_url(step, case_urls):
    """The admin page of a workflow step's case, when its workflow has one."""
    name = (case_urls or {}).get(step.workflow)
    if not name:
        return ""
    try:
        return reverse(name, args=[step.case_id])
    except NoReverseMatch:
        return ""


@register.filter
def day_url(day):
    from trustee.desk_views import day_url as url

    return url(day)


@register.filter
def split(value):
    return value.split()
