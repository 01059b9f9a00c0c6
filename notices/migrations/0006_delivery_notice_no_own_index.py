"""The model says what 0005 did: Delivery.notice has no index of its own (on PostgreSQL the
index is gone already, so this finds nothing to drop)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notices", "0005_delivery_unused_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="delivery",
            name="notice",
            field=models.ForeignKey(
                db_index=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="deliveries",
                to="notices.notice",
            ),
        ),
    ]
