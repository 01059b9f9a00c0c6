"""Finding holders by the start of their registered name among a million rows."""

from __future__ import annotations

from django.db import connection
from django.db.models import Q, QuerySet
from django.db.models.functions import Collate, Upper


def with_search_key(holders: QuerySet) -> QuerySet:
    """`holders` annotated with `search_key`: on PostgreSQL the expression of the officer's
    search index (holders/migrations/0004_search.py), so that a filter or an order on it reads
    the index; ordered by it, the first matches come out without sorting every one."""
    if connection.vendor != "postgresql":
        return holders.annotate(search_key=Upper("name"))
    return holders.annotate(search_key=Collate(Upper("name"), "C"))


def name_starts_with(prefix: str) -> Q:
    """Holders (annotated by `with_search_key`) whose name starts with `prefix`, any case."""
    key = prefix.upper()
    if connection.vendor != "postgresql":
        return Q(search_key__startswith=key)
    # In the "C" collation "starts with key" is the byte range [key, key with its last
    # character incremented): an index range, where LIKE would read the table.
    last = ord(key[-1])
    if last < 0x10FFFF:
        return Q(search_key__gte=key, search_key__lt=key[:-1] + chr(last + 1))
    return Q(search_key__gte=key, search_key__startswith=key)
