"""The roles as groups with their admin permissions (trustee/roles.py says who may do what;
the workflow functions enforce it, these permissions decide what the admin shows)."""

from django.db import migrations


def forward(apps, schema_editor):
    # The grants live with the roles (trustee/roles.py); applied here to a new database.
    from trustee.roles import groups_ensure

    groups_ensure(apps)


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
