"""Two indexes of notices_delivery that no query uses, dropped (PostgreSQL only): every write
of a delivery (created at approval, claimed, recorded as sent) paid for them.

- notices_delivery_notice_id_...: the foreign key's own index; delivery_notice_state
  (notice_id, state) serves every query by notice, its first column.
- notices_delivery_key_..._like: the varchar_pattern_ops index Django adds beside a unique
  CharField for LIKE 'prefix%'; the key is only ever looked up whole (bounces), which the
  unique index serves, and the admin's search on it is a case-insensitive LIKE '%...%' that
  no btree serves.

The models still declare the foreign key's index (db_index), so the migration state keeps it:
the change of the model's field to db_index=False is left to notices/models.py, with no effect
on the database then (Django drops a field's index only when it finds it).
"""

from django.db import migrations

INDEXES = {
    "notices_delivery_notice_id_2d5dfa0c": "(notice_id)",
    "notices_delivery_key_e0f980bf_like": "(key varchar_pattern_ops)",
}


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def restore(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, columns in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON notices_delivery {columns}")


class Migration(migrations.Migration):
    dependencies = [("notices", "0004_notice_kinds_standing")]

    operations = [migrations.RunPython(drop, restore, elidable=False)]
