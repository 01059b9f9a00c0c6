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
