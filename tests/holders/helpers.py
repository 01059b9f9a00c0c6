"""Making small List of Holders files and importing them, for the holders tests."""

import io
from datetime import date

from holders.imports import import_holder_list
from holders.intake import holder_list_receive

HEADER = "Name,Address,City,State,Zip,Amount\n"


def rows(n, amount=100, start=0):
    return "".join(
        f"Holder {i},{i} Main Street,Hartford,CT,06{i % 1000:03d},{amount}\n"
        for i in range(start, start + n)
    )


def receive(security, text, *, as_of=date(2026, 2, 10), received=date(2026, 2, 15), **extra):
    data = text.encode(extra.pop("encoding", "utf-8"))
    return holder_list_receive(
        security=security,
        as_of=as_of,
        received_on=received,
        source="guarantor",
        file=io.BytesIO(data),
        file_name=extra.pop("name", "list.csv"),
        by=None,
        enqueue=False,
        **extra,
    )


def imported(security, text, **extra):
    holder_list = receive(security, text, **extra)
    outcome = import_holder_list(holder_list.pk)
    holder_list.refresh_from_db()
    return holder_list, outcome
