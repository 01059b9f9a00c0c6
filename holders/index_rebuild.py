"""Secondary indexes of the holders table built after a large load instead of row by row.

Each index on holders_holder is paid for every row a COPY inserts. The primary key and the
(list, row number) constraint grow at their right end, which is cheap; an index on another
order (the officer's search by name, holders/migrations/0004_search.py) takes each of a
million rows to a random leaf page, which costs more than the rest of the import together
(about 4 s of the server's time per million rows, and a full-page image in the WAL for most
leaves it touches). Built in one sort after the load, the same index costs a fraction of that,
but over every row of the table, old lists too: so it is done only when the list being
imported brings at least as many rows as the table already holds (the first lists of a new
installation, a security's first DTC listing), and otherwise the index is kept and grows row
by row.

The (list, row number) uniqueness grows at its right end too, but checks each row for a
twin before inserting it: with the compiled row checks (holders.fastrows) that check became
the largest part of the server's COPY (about 1.3 s a million rows, against 0.4 s to build the
constraint's index in one sort). So the same large loads drop that constraint too and add it
again after the load; adding it checks every row of the table, so a list with two rows of one
number still cannot be committed.

The drop and the rebuild are in the import's transaction: an import that fails or is cut off
rolls back to the indexes as they were, and no other transaction ever sees the table without
them. The price is the lock: DROP INDEX holds an exclusive lock on holders_holder until the
import commits, so reading holders waits for those few seconds. The primary key (which votes
refer to) and the checks are never dropped. PostgreSQL only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection

TABLE = "holders_holder"


@dataclass(frozen=True)
class DroppedIndex:
    name: str
    # The statement that builds it again: CREATE INDEX, or ALTER TABLE ... ADD CONSTRAINT.
    definition: str


def drop_for_load(incoming_rows: int) -> list[DroppedIndex]:
    """Drop the table's plain indexes and unique constraints (not the primary key) if
    `incoming_rows` is at least the rows the table holds; returns what to rebuild with
    `restore`."""
    if connection.vendor != "postgresql" or incoming_rows <= 0:
        return []
    with connection.cursor() as cursor:
        # The planner's estimate (kept by autovacuum and ANALYZE): a count(*) would read
        # the whole table to decide whether to read the whole table.
        cursor.execute("SELECT reltuples FROM pg_class WHERE oid = %s::regclass", [TABLE])
        held = max(cursor.fetchone()[0], 0)
        if incoming_rows < held:
            return []
        cursor.execute(
            "SELECT c.relname, pg_get_indexdef(i.indexrelid) FROM pg_index i "
            "JOIN pg_class c ON c.oid = i.indexrelid "
            "WHERE i.indrelid = %s::regclass AND NOT i.indisunique AND NOT i.indisprimary "
            "AND NOT i.indisexclusion ORDER BY c.relname",
            [TABLE],
        )
        dropped = [DroppedIndex(name, definition) for name, definition in cursor.fetchall()]
        for index in dropped:
            cursor.execute(f'DROP INDEX "{index.name}"')
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'u' ORDER BY conname",
            [TABLE],
        )
        unique = cursor.fetchall()
        for name, definition in unique:
            cursor.execute(f'ALTER TABLE {TABLE} DROP CONSTRAINT "{name}"')
            dropped.append(
                DroppedIndex(name, f'ALTER TABLE {TABLE} ADD CONSTRAINT "{name}" {definition}')
            )
    return dropped


def restore(dropped: list[DroppedIndex]) -> None:
    """Build again the indexes `drop_for_load` dropped (before the import commits)."""
    if not dropped:
        return
    with connection.cursor() as cursor:
        # The sort of a million keys fits in memory with room to spare; the default (64 MB)
        # would spill it to disk.
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for index in dropped:
            cursor.execute(index.definition)
