"""report_exports: the late-deliverables report of 10,000 rows as a PDF, in seconds (lower is
better), with the CSV and XLSX of the same rows as detail lines.

value: trustee.report_exports.pdf_bytes (one pass: lines wrapped by measured word widths,
rows placed on pages, drawn on one canvas).
baseline, measured in the same run on the same rows: the usual ReportLab way, a platypus
LongTable of Paragraph cells with the header row repeated, laid out by the frames. It is slow
enough to be run on the first BENCH_SAMPLE rows (default 2,000) and scaled to all of them by
row count; a detail line says so. No database.
"""

from __future__ import annotations

import io
import os
import time
from datetime import date, datetime

import django

from bench.common import bench_line, say

ROWS = int(os.environ.get("BENCH_ROWS", "10000"))
SAMPLE = int(os.environ.get("BENCH_SAMPLE", "2000"))


def _rows(count: int) -> list:
    from trustee.examiner_reports import LateDeliverableRow

    return [
        LateDeliverableRow(
            obligation_id=n,
            agreement_id=n,
            agreement=f"Agreement {n:05d} Capital Trust Guarantee",
            guarantor="The Hartford Financial Services Group, Inc.",
            deliverable="List of Holders" if n % 3 else "Compliance certificate (fiscal 2025)",
            kind="List of Holders" if n % 3 else "Compliance certificate",
            section="§2.2(a)" if n % 3 else "§2.4",
            due_on=date(2026, 1, 1 + n % 28),
            days_late=46 - n % 28,
            status="Overdue",
            chased="Overdue: escalated; escalated 2 times, last Mon 2 Feb 2026",
            officer=("Maria Reyes", "Ann Auditor", "Jonathan Q. Whitfield-Harrington")[n % 3],
        )
        for n in range(count)
    ]


def _platypus(report, rows) -> bytes:
    from reportlab.lib.pagesizes import landscape, letter
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, TableStyle

    style = getSampleStyleSheet()["BodyText"]
    style.fontSize, style.leading = 7, 8.5
    data = [[Paragraph(c.header, style) for c in report.shown]]
    data += [[Paragraph(c.display(row), style) for c in report.shown] for row in rows]
    out = io.BytesIO()
    document = SimpleDocTemplate(out, pagesize=landscape(letter))
    table = LongTable(data, repeatRows=1)
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, "grey")]))
    document.build([table])
    return out.getvalue()


def _seconds(build):
    started = time.perf_counter()
    body = build()
    return time.perf_counter() - started, body


def run() -> None:
    # The report's rows are the selector's own dataclass: Django is set up to import it (its
    # module reads the models), but no database is opened.
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from trustee import report_exports

    report = report_exports.LATE_DELIVERABLES
    heading = report_exports.Heading(
        "Wilmington Trust Company", date(2026, 2, 16), datetime(2026, 2, 16, 9, 30), "Ann Auditor"
    )
    rows = _rows(ROWS)
    say("rows", f"{ROWS:,}")

    seconds, body = _seconds(lambda: b"".join(report_exports.csv_chunks(report, rows)))
    say("csv", f"{seconds:.2f} s, {len(body):,} bytes")
    seconds, body = _seconds(lambda: report_exports.xlsx_bytes(report, rows, heading))
    say("xlsx", f"{seconds:.2f} s, {len(body):,} bytes")

    value, body = _seconds(lambda: report_exports.pdf_bytes(report, rows, heading))
    pages = body.count(b"/Type /Page\n") or body.count(b"/Type /Page")
    say("pdf (report_exports.pdf_bytes)", f"{value:.2f} s, {len(body):,} bytes, ~{pages:,} pages")

    sample = min(SAMPLE, ROWS)
    seconds, body = _seconds(lambda: _platypus(report, rows[:sample]))
    baseline = seconds * ROWS / sample
    say(
        "baseline (platypus LongTable of Paragraphs)",
        f"{seconds:.2f} s on the first {sample:,} rows, scaled by row count to {ROWS:,}: "
        f"{baseline:.2f} s",
    )
    bench_line("report_exports", value, "s", baseline)
