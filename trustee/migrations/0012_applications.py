# Placeholder migration, filled by the issue #7 work (kept in sequence so that parallel work
# on different models never leaves two leaf migrations).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("trustee", "0011_standing")]

    operations = []
