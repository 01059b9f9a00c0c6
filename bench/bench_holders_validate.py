"""holders_validate: read and validate a List of Holders of 1,000,000 rows, in CPU seconds.

value: holders.reading.open_table + holders.validation.RowValidator over a generated CSV of
1,000,000 valid holders (bench/holders_data.py, about 90 MB): the encoding scan, the delimiter
sniff, parsing, every row check, the duplicate check and the HolderRows. It must find every
row valid and add up to the total the generator wrote, or the benchmark fails. The HolderRows
are made and dropped: a caller that keeps them in batches for bulk inserts also pays the
garbage collector for tracking them (about a second a million rows here, unless it turns the
collector off while it imports).
baseline: plain csv.reader over the same file, doing nothing with the rows: the floor any
validation in Python stands on.

CPU time (time.process_time), the best of RUNS runs of each, interleaved: this machine is
shared, and interference only ever adds time. No Django, no database.
"""

from __future__ import annotations

import collections
import csv
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from bench.common import bench_line, say, timed
from holders.reading import open_table
from holders.validation import RowValidator, resolve_columns

NAME = "holders_validate"
ROWS = 1_000_000
RUNS = 3
MAX_BYTES = 1024 * 1024 * 1024


def run():
    print(f"{NAME}:", flush=True)
    with tempfile.TemporaryDirectory(prefix="holders-bench-") as directory:
        path = Path(directory) / "holders.csv"
        with timed() as t:
            expected = _write(path)
        size = path.stat().st_size
        say("set-up (not measured)", f"{ROWS:,} holders, {size / 1e6:.1f} MB in {t.seconds:.1f} s")
        values, baselines = [], []
        for _ in range(RUNS):
            baselines.append(_cpu(_plain_csv, path))
            values.append(_cpu(_validate, path, expected))
    say("csv.reader CPU seconds, each run", ", ".join(f"{s:.2f}" for s in baselines))
    say("read + validate CPU seconds, each run", ", ".join(f"{s:.2f}" for s in values))
    value, baseline = min(values), min(baselines)
    say("read + validate, best", f"{value:.2f} s ({ROWS / value:,.0f} rows/s)")
    say("validation alone (best minus csv.reader)", f"{value - baseline:.2f} s")
    bench_line(NAME, value, "s", baseline)


def _write(path: Path) -> Decimal:
    # In a process of its own, so that what the generator held is not in this one's heap.
    script = "import sys; from bench.holders_data import write_holder_csv as w; "
    script += f"print(w(sys.argv[1], {ROWS}))"
    root = Path(__file__).resolve().parent.parent
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        cwd=root,
        check=True,
        capture_output=True,
        text=True,
    )
    return Decimal(done.stdout.strip())


def _cpu(function, *args) -> float:
    start = time.process_time()
    function(*args)
    return time.process_time() - start


def _plain_csv(path: Path) -> None:
    with path.open(encoding="utf-8", newline="") as stream:
        for _row in csv.reader(stream):
            pass


def _validate(path: Path, expected) -> None:
    table = open_table(path, max_bytes=MAX_BYTES)
    validator = RowValidator(resolve_columns(table.headers))
    # Drained without a Python loop: the time is the validator's, not the caller's.
    collections.deque(validator.holders(table.rows), maxlen=0)
    stored = validator.count
    if validator.problem_count or stored != ROWS or validator.total != expected:
        raise SystemExit(
            f"Validation found {validator.problem_count} problems and {stored:,} valid rows "
            f"totalling {validator.total:,} in a list of {ROWS:,} valid holders totalling "
            f"{expected:,}; first problems: {validator.problems[:3]}"
        )
