"""Agreement sources (intake) join what trust officers may prepare."""

from django.db import migrations


def forward(apps, schema_editor):
    from trustee.roles import groups_ensure

    groups_ensure(apps, refresh=True)


class Migration(migrations.Migration):
    dependencies = [("trustee", "0007_agreement_sources")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
