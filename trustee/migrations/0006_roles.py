"""The roles as groups with their admin permissions (trustee/roles.py says who may do what;
the workflow functions enforce it, these permissions decide what the admin shows)."""

from django.db import migrations

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
    ],
    "holders": ["holderlist", "columnmapping", "solicitation", "vote"],
    "notices": ["notice"],
}


def _permissions(apps):
    # Permissions are made after migrations by a signal; make them now, so that a new
    # database gets its groups filled in this very migration.
    from django.contrib.auth.management import create_permissions

    for config in apps.get_app_configs():
        config.models_module = True
        create_permissions(config, verbosity=0, apps=apps)
        config.models_module = None
    return apps.get_model("auth", "Permission")


def forward(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = _permissions(apps)
    view = Permission.objects.filter(
        content_type__app_label__in=[*TRUST_APPS, "pghistory"], codename__startswith="view_"
    )
    prepare = Permission.objects.none()
    for app, models in PREPARED.items():
        prepare |= Permission.objects.filter(
            content_type__app_label=app,
            content_type__model__in=models,
            codename__regex=r"^(add|change)_",
        )
    supervise = Permission.objects.filter(
        content_type__app_label="trustee",
        content_type__model__in=["officerassignment", "trustofficer"],
    ).exclude(codename="delete_trustofficer")
    system = Permission.objects.filter(
        content_type__app_label__in=["auth", "django_celery_beat", "axes"]
    ) | Permission.objects.filter(content_type__app_label="trustee", codename="view_heartbeat")
    grants = {
        "Auditor": view,
        "Trust Administrator": view | prepare,
        "Responsible Officer": view | prepare,
        "Supervisor": view | supervise,
        "System administrator": system,
    }
    for name, permissions in grants.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(permissions.distinct())


def backward(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=[
            "Auditor",
            "Trust Administrator",
            "Responsible Officer",
            "Supervisor",
            "System administrator",
        ]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("trustee", "0005_audit_trail"),
        ("holders", "0003_holder_exports"),
        ("notices", "0003_audit_trail"),
        ("pghistory", "0007_auto_20250421_0444"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
        ("axes", "0010_accessattemptexpiration"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forward, backward)]
