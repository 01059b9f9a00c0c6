from django import template
from django.utils import timezone

from trustee.desk import URGENT_DAYS, desk_for

register = template.Library()


@register.inclusion_tag("admin/trustee/desk.html", takes_context=True)
def officer_desk(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    desk = desk_for(user, today=timezone.localdate()) if user is not None else None
    return {"desk": desk, "urgent_days": URGENT_DAYS}
