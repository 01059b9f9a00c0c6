"""The audit trail: which models keep a history, and how.

A tracked model gets an event model (<Model>History) holding a snapshot of the row at every
insert, update and delete, written by a PostgreSQL trigger in the same transaction: a
bulk update or raw SQL is recorded too (signals would miss those), and the request's user
and URL are attached as context by pghistory's middleware. The event tables are append
only (PGHISTORY_APPEND_ONLY): their own triggers refuse any update or delete.
"""

import pghistory


def _trackers():
    # New instances for each model: a tracker is bound to the model it tracks.
    return (pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent())


def audited(model):
    """Class decorator: keep the model's full history."""
    # Named <Model>History: pghistory's own "<Model>Event" would take Agreement's history for
    # our AgreementEvent (a default, a request received), which is another thing entirely.
    return pghistory.track(
        *_trackers(),
        model_name=f"{model.__name__}History",
        # row.history, not row.events: an Agreement already has events (AgreementEvent).
        obj_field=pghistory.ObjForeignKey(related_name="history", related_query_name="history"),
    )(model)


# pghistory and pgtrigger read their session settings inside a PL/pgSQL block with an
# EXCEPTION clause, once per row written: each such block is a subtransaction, and a bulk
# insert of thousands of tracked rows (the duty calendar's materialize) then runs into
# PostgreSQL's subtransaction overflow, about 3 ms a row. current_setting(name, true) gives
# NULL for a setting never made instead of raising, so the same functions need no block.
# pgtrigger recreates its function with every trigger a migration installs, so these are put
# back after every migrate (trustee.apps connects this to post_migrate).
FAST_FUNCTIONS = """
CREATE OR REPLACE FUNCTION "public"._pgtrigger_should_ignore(trigger_name NAME)
RETURNS BOOLEAN AS $$
    DECLARE
        _ignore TEXT := NULLIF(current_setting('pgtrigger.ignore', true), '');
    BEGIN
        IF _ignore IS NULL THEN
            RETURN FALSE;
        END IF;
        RETURN trigger_name = ANY(_ignore::TEXT[]);
    END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION _pgh_attach_context()
RETURNS pghistory_context.id%TYPE AS $$
    DECLARE
        _id TEXT := NULLIF(current_setting('pghistory.context_id', true), '');
        _metadata TEXT := NULLIF(current_setting('pghistory.context_metadata', true), '');
    BEGIN
        IF _id IS NULL OR _metadata IS NULL THEN
            RETURN NULL;
        END IF;
        INSERT INTO pghistory_context (id, metadata, created_at, updated_at)
            VALUES (_id::UUID, _metadata::JSONB, NOW(), NOW())
            ON CONFLICT (id) DO UPDATE
                SET metadata = EXCLUDED.metadata, updated_at = EXCLUDED.updated_at
                WHERE pghistory_context.metadata != EXCLUDED.metadata;
        RETURN _id::UUID;
    END;
$$ LANGUAGE plpgsql;
"""


def install_fast_functions(using="default", **kwargs):
    from django.db import connections

    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(FAST_FUNCTIONS)
