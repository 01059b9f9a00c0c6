"""The issue #7 models (deliverables, payments, standing, succession, §312(b) applications)
join what Trust Administrators and Responsible Officers may prepare."""

from django.db import migrations


def forward(apps, schema_editor):
    from trustee.roles import groups_ensure

    groups_ensure(apps, refresh=True)


class Migration(migrations.Migration):
    dependencies = [("trustee", "0013_report_exports")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
