# The officer's search finds holders by the start of their registered name among a million rows
# (trustee/search.py). The index is on upper(name) in the "C" collation: byte order, so that a
# prefix is one range of it whatever the database's collation, and the first results come out
# in index order without sorting every match. PostgreSQL only: on the SQLite demo a few
# thousand holders need no index, and the statements would not parse there.
from django.db import migrations

INDEX = "holder_name_search"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS {INDEX} ON holders_holder ((upper(name) COLLATE "C"))'
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("holders", "0003_holder_exports")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
