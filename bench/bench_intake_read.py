"""intake_read: reading a ~100-page agreement exhibit with trustee.exhibits.read_exhibit, in ms.

The text is the Hartford Capital III guarantee agreement (/work/shared/seeds; about 20 printed
pages) with its eight articles repeated, renumbered, until it has at least 100 pages of 58 lines,
which is the size of a long indenture. No database: the reader is pure Python.

value: best of RUNS calls of read_exhibit(text), in milliseconds.
baseline: best of RUNS of the least any reader must do, measured in the same run: split the text
into lines and run one regex over it (every "N days").
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

from bench.common import bench_line, say

NAME = "intake_read"
SEED = Path("/work/shared/seeds/hartford-capital-iii-guarantee-agreement-2001.txt")
LINES_PER_PAGE = 58
TARGET_PAGES = 100
RUNS = 7
TARGET_MS = 1000.0


def build_text() -> str:
    if not SEED.exists():
        sys.exit(f"The seed agreement {SEED} is not on this machine.")
    lines = SEED.read_text().splitlines()
    start = next(i for i, line in enumerate(lines) if line.strip() == "DEFINITIONS" and i > 150)
    end = next(i for i, line in enumerate(lines) if "is executed as of the day and year" in line)
    head, body, tail = lines[: start - 1], lines[start - 1 : end], lines[end:]
    copies = [body]
    while (len(head) + sum(map(len, copies)) + len(tail)) < TARGET_PAGES * LINES_PER_PAGE:
        offset = 10 * len(copies)
        copies.append([_renumber(line, offset) for line in body])
    return "\n".join(head + [line for copy in copies for line in copy] + tail) + "\n"


def _renumber(line: str, offset: int) -> str:
    """SECTION 2.2 -> SECTION 12.2, ARTICLE 2 -> ARTICLE 12: a longer agreement, not a repeat."""
    line = re.sub(r"^(SECTION\s+)(\d+)", lambda m: f"{m[1]}{int(m[2]) + offset}", line)
    return re.sub(r"^(\s*ARTICLE\s+)(\d+)", lambda m: f"{m[1]}{int(m[2]) + offset}", line)


def _best(function, text) -> float:
    best = float("inf")
    for _ in range(RUNS):
        start = time.perf_counter()
        function(text)
        best = min(best, time.perf_counter() - start)
    return best * 1000


def _baseline(text: str):
    lines = text.splitlines()
    return lines, re.findall(r"\b\d+\s+days\b", text)


def run():
    from trustee.exhibits import read_exhibit

    print(f"{NAME}:", flush=True)
    text = build_text()
    lines = text.count("\n")
    say("text", f"{len(text):,} characters, {lines:,} lines, {lines / LINES_PER_PAGE:.0f} pages")
    result = read_exhibit(text)
    found = sum(1 for term in result["terms"].values() if term["value"] is not None)
    say("terms found", f"{found} of {len(result['terms'])}; sections {len(result['sections'])}")
    value = _best(read_exhibit, text)
    baseline = _best(_baseline, text)
    say(f"read_exhibit: best of {RUNS} (ms)", f"{value:.1f}")
    say(f"baseline (split lines + one regex): best of {RUNS} (ms)", f"{baseline:.2f}")
    if value >= TARGET_MS:
        print(f"WARNING: reading took {value:.0f} ms, not under {TARGET_MS:.0f} ms", flush=True)
    bench_line(NAME, value, "ms", baseline)
