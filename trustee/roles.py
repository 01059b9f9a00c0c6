"""Who may do what. Roles are the groups a migration creates (trustee 0006_roles):

- Trust Administrator: prepares — records events and defaults, imports lists, drafts notices
  and reports, records mailings and filings.
- Responsible Officer (§1.1): what a Trust Administrator does, and approves — notices,
  reports, lists accepted or excused, withholding determinations, waivers.
- Supervisor: assigns officers to agreements and gives officers their roles; sees everything.
- Auditor: reads everything, history included; changes nothing.
- System administrator: users, the schedule, the machinery; no trust work.

The workflow functions call `require_preparer` / `require_responsible` / `require_supervisor`,
so a refusal does not depend on a button being hidden. A Responsible Officer is a trust
officer marked so (TrustOfficer.is_responsible_officer, the designation the agreement's §1.1
speaks of) and in the Responsible Officer group; `officer_roles_set` keeps the two together.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

TRUST_ADMINISTRATOR = "Trust Administrator"
RESPONSIBLE_OFFICER = "Responsible Officer"
SUPERVISOR = "Supervisor"
AUDITOR = "Auditor"
SYSTEM_ADMINISTRATOR = "System administrator"
ROLES = (TRUST_ADMINISTRATOR, RESPONSIBLE_OFFICER, SUPERVISOR, AUDITOR, SYSTEM_ADMINISTRATOR)
SCHEDULER_USERNAME = "trustdesk-scheduler"


class RoleRefused(ValidationError):
    pass


# What each role may see and change in the admin (the workflow functions decide the rest).
TRUST_APPS = ("trustee", "holders", "notices")
PREPARED = {
    "trustee": [
        "deal",
        "agreement",
        "agreementparty",
        "agreementrelation",
        "agreementterms",
        "termcitation",
        "security",
        "underwriterallocation",
        "party",
        "partycontact",
        "noticeaddress",
        "agreementevent",
        "obligation",
        "listrequest",
        "annualreport",
        "defaultcase",
        "agreementsource",
        # What the Guarantor owes the trustee (issue #7): certificates, reports, payments.
        "signatorytitle",
        "deliverabledocument",
        "compliancecertificate",
        "officerscertificate",
        "periodicreport",
        "payment",
        "paymentreceipt",
        # The trustee's own standing: eligibility, conflicts, succession, §312(b).
        "bankcondition",
        "affiliationfact",
        "eligibilityresult",
        "conflictcase",
        "succession",
        "holderapplication",
        "holderapplicant",
    ],
    "holders": ["holderlist", "columnmapping", "solicitation", "vote"],
    "notices": ["notice"],
}


def groups_ensure(apps=None, *, refresh=False) -> None:
    """Create the role groups with their permissions, unless they all exist (or `refresh`:
    set every group's permissions again, for a migration that adds a model to a role). Run by
    the migrations (with their historical apps) and by the test set-up after a transactional
    test emptied the tables."""
    from django.apps import apps as live_apps
    from django.contrib.auth.management import create_permissions

    apps = apps or live_apps
    group_model = apps.get_model("auth", "Group")
    if not refresh and group_model.objects.filter(name__in=ROLES).count() == len(ROLES):
        return
    # Permissions are made after migrations by a signal; make them now.
    for config in apps.get_app_configs():
        module = getattr(config, "models_module", None)
        config.models_module = True
        create_permissions(config, verbosity=0, apps=apps)
        config.models_module = module
    permission = apps.get_model("auth", "Permission").objects
    view = permission.filter(
        content_type__app_label__in=[*TRUST_APPS, "pghistory"], codename__startswith="view_"
    )
    prepare = permission.none()
    for app, models in PREPARED.items():
        prepare |= permission.filter(
            content_type__app_label=app,
            content_type__model__in=models,
            codename__regex=r"^(add|change)_",
        )
    supervise = permission.filter(
        content_type__app_label="trustee",
        content_type__model__in=["officerassignment", "trustofficer"],
    ).exclude(codename="delete_trustofficer")
    system = permission.filter(
        content_type__app_label__in=["auth", "django_celery_beat", "axes"]
    ) | permission.filter(content_type__app_label="trustee", codename="view_heartbeat")
    grants = {
        AUDITOR: view,
        TRUST_ADMINISTRATOR: view | prepare,
        RESPONSIBLE_OFFICER: view | prepare,
        SUPERVISOR: view | supervise,
        SYSTEM_ADMINISTRATOR: system,
    }
    for name, permissions in grants.items():
        group, _ = group_model.objects.get_or_create(name=name)
        group.permissions.set(permissions.distinct())


def roles_of(user) -> set[str]:
    if user is None or not user.is_authenticated:
        return set()
    cached = getattr(user, "_trustdesk_roles", None)
    if cached is None:
        cached = set(user.groups.filter(name__in=ROLES).values_list("name", flat=True))
        user._trustdesk_roles = cached
    return cached


def is_scheduler(user) -> bool:
    """The scheduler's own account prepares reminders; it can never approve anything."""
    return user is not None and user.username == SCHEDULER_USERNAME and not user.is_active


def _officer(user):
    officer = getattr(user, "trust_officer", None) if user is not None else None
    return officer if officer is not None and officer.is_active and user.is_active else None


def _refuse(user, needed: str, action: str):
    held = ", ".join(sorted(roles_of(user))) or "no role"
    name = (user.get_full_name() or user.get_username()) if user is not None else "Nobody"
    raise RoleRefused(f"{action}: only a {needed} may do this ({name} has {held}).")


def is_preparer(user) -> bool:
    """A Trust Administrator or a Responsible Officer, who is an active trust officer."""
    if is_scheduler(user):
        return True
    return _officer(user) is not None and bool(
        roles_of(user) & {TRUST_ADMINISTRATOR, RESPONSIBLE_OFFICER}
    )


def require_preparer(user, action: str = "This") -> None:
    if not is_preparer(user):
        _refuse(user, "trust officer (Trust Administrator or Responsible Officer)", action)


def is_responsible(user) -> bool:
    officer = _officer(user)
    return bool(
        officer and officer.is_responsible_officer and RESPONSIBLE_OFFICER in roles_of(user)
    )


def require_responsible(user, action: str = "This") -> None:
    if not is_responsible(user):
        _refuse(user, "Responsible Officer", action)


def require_supervisor(user, action: str = "This") -> None:
    if user is None or not (roles_of(user) & {SUPERVISOR, SYSTEM_ADMINISTRATOR}):
        _refuse(user, "Supervisor", action)


def officer_roles_set(*, officer, roles, by) -> None:
    """Give an officer exactly these trust roles (a Supervisor's act). The §1.1 designation
    follows the Responsible Officer role, so the two can never disagree."""
    require_supervisor(by, "Giving an officer roles")
    roles = set(roles)
    unknown = roles - set(ROLES)
    if unknown:
        raise RoleRefused({"roles": f"Unknown role(s): {', '.join(sorted(unknown))}."})
    if officer.user_id == by.pk:
        raise RoleRefused("An officer cannot change their own roles: another Supervisor must.")
    with transaction.atomic():
        user = officer.user
        keep = [g for g in user.groups.all() if g.name not in ROLES]
        user.groups.set([*keep, *Group.objects.filter(name__in=roles)])
        officer.is_responsible_officer = RESPONSIBLE_OFFICER in roles
        officer.save(update_fields=["is_responsible_officer"])
        user._trustdesk_roles = None


def responsible_designation_sync(officer) -> None:
    """After the §1.1 designation was set on the officer (the loader, the officer's admin
    page): put the officer in the matching role, and a trust officer at least in Trust
    Administrator."""
    user = officer.user
    groups = {g.name: g for g in Group.objects.filter(name__in=ROLES)}
    if officer.is_responsible_officer:
        user.groups.add(groups[RESPONSIBLE_OFFICER])
    else:
        user.groups.remove(groups[RESPONSIBLE_OFFICER])
        user.groups.add(groups[TRUST_ADMINISTRATOR])
    user._trustdesk_roles = None
