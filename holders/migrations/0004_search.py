# Placeholder migration, filled by parallel work (kept in sequence so that there is never two
# leaf migrations).
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("holders", "0003_holder_exports")]

    operations = []
