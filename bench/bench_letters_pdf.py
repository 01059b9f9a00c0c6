"""letters_pdf: 10,000 first-class notice letters to one PDF, in seconds (lower is better).

value: notices.letters.render_letters writing the 10,000 letters (one page each: letterhead,
date, address in the envelope window, subject, four paragraphs, signature, footer) to one PDF.
baseline, measured in the same run on the same letters: WeasyPrint rendering them as one HTML
document if it is installed, otherwise (as the project installs only ReportLab) the naive way
with ReportLab, a new canvas and a new PDF file per letter. A detail line says which.

Each render runs in a fresh subprocess that reports its own peak resident memory (ru_maxrss of
RUSAGE_SELF: RUSAGE_CHILDREN in this process would also count any earlier benchmark's
children), printed just above the BENCH line for the value. No database.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import bench_line, say

LETTERS = int(os.environ.get("BENCH_LETTERS", "10000"))
ROOT = Path(__file__).resolve().parent.parent

REFERENCE = "DN-2027-0001"
DATE = "January 16, 2027"
SUBJECT = (
    "Notice of Default - Hartford Capital III 7.45% Trust Originated Preferred Securities, "
    "Series A (Guarantee Agreement dated as of November 7, 2001)"
)
BODY = """\
NOTICE IS HEREBY GIVEN pursuant to Section 2.7(a) of the Guarantee Agreement dated as of
November 7, 2001 (the "Guarantee Agreement") between The Hartford Financial Services Group, Inc.,
as Guarantor, and Wilmington Trust Company, as Guarantee Trustee, that an Event of Default has
occurred and is continuing under the Guarantee Agreement.

The Guarantor failed to make the payment of Guarantee Payments due on the Distribution Date of
January 15, 2027 in respect of the 7.45% Trust Originated Preferred Securities, Series A, of
Hartford Capital III. A failure to pay is an Event of Default at once; there is no period of
grace and the Guarantee Trustee may not withhold this notice.

Holders of a Majority in liquidation preference of the Preferred Securities may, by vote, on
behalf of all Holders, waive any past Event of Default and its consequences, and have the right
to direct the time, method and place of conducting any proceeding for any remedy available to
the Guarantee Trustee.

This notice is given to the Holders as their names and addresses appear on the List of Holders
furnished to the Guarantee Trustee. Questions may be directed to the Corporate Trust
Administration at the address above. Nothing in this notice waives any right of the Holders or
the Guarantee Trustee.
"""
SIGNATURE = (
    "WILMINGTON TRUST COMPANY,",
    "as Guarantee Trustee",
    "",
    "",
    "By: ____________________",
    "Corporate Trust Officer",
)
FOREIGN = (
    ("Königsallee 12", "Düsseldorf", "", "40212", "DE"),
    ("10 Queen Street West", "Toronto", "ON", "M5H 2N2", "CA"),
    ("1-2-3 Marunouchi", "Chiyoda-ku, Tokyo", "", "100-0005", "JP"),
)
NAMES = ("José García", "Zoë Müller", "Cede & Co.", "Anne O'Brien", "François Lefèvre")


def _letterhead():
    from notices.letters import Letterhead

    return Letterhead(
        name="Wilmington Trust Company",
        address_lines=(
            "Corporate Trust Administration",
            "1100 North Market Street",
            "Wilmington, Delaware 19890-0001",
        ),
        phone="(302) 651-1000",
        email="corporatetrust@wilmingtontrust.example",
    )


def _addressees(count: int):
    """A holder list's worth of addressees: one in ten abroad, some with two street lines."""
    from notices.letters import Addressee

    for n in range(count):
        name = f"{NAMES[n % len(NAMES)]} {n}"
        key = f"dn-1-holder-{n}-mail"
        if n % 10 == 9:
            street, city, state, postal, country = FOREIGN[n % len(FOREIGN)]
            yield Addressee(key, name, (street,), city, state, postal, country)
        else:
            streets = (f"{100 + n % 900} Main Street",) + ((f"Apt {n % 97}",) if n % 3 else ())
            yield Addressee(key, name, streets, "Springfield", "IL", f"{62700 + n % 99:05d}")


# -- the three renderers, each run in a child process ------------------------------------------


def _render_streamed(count: int, folder: Path) -> dict:
    from notices.letters import render_letters

    path = folder / "letters.pdf"
    pages = render_letters(
        path=path,
        letterhead=_letterhead(),
        reference=REFERENCE,
        date_text=DATE,
        subject=SUBJECT,
        body=BODY,
        addressees=_addressees(count),
        signature=SIGNATURE,
    )
    return {"pages": pages, "files": 1, "bytes": path.stat().st_size}


def _render_naive(count: int, folder: Path) -> dict:
    """A new ReportLab canvas, and file, per letter; everything laid out again each time."""
    from reportlab.pdfgen.canvas import Canvas

    from notices import letters as L

    head = _letterhead()
    paragraphs = L._paragraphs(BODY)
    size = 0
    for n, addressee in enumerate(_addressees(count)):
        path = folder / f"letter-{n:05d}.pdf"
        canvas = Canvas(str(path), pagesize=(L.PAGE_WIDTH, L.PAGE_HEIGHT))
        y = L.PAGE_HEIGHT - 0.5 * L.INCH - 12
        canvas.setFont(L.BOLD, 13)
        canvas.drawString(L.WINDOW_LEFT, y, head.name)
        canvas.setFont(L.REGULAR, 8.5)
        for line in (*head.address_lines, f"{head.phone} · {head.email}"):
            y -= 10.5
            canvas.drawString(L.WINDOW_LEFT, y, line)
        canvas.setFont(L.REGULAR, 10)
        canvas.drawRightString(L.PAGE_WIDTH - L.INCH, L.PAGE_HEIGHT - L.WINDOW_TOP - 10, DATE)
        lines, address_size = L.address_block(addressee)
        canvas.setFont(L.REGULAR, address_size)
        y = L.PAGE_HEIGHT - L.WINDOW_TOP - L.WINDOW_CLEARANCE - 0.93 * address_size
        for line in lines:
            canvas.drawString(L.WINDOW_LEFT + L.WINDOW_CLEARANCE, y, line)
            y -= address_size * 1.12
        y = L.SUBJECT_TOP
        canvas.setFont(L.BOLD, 10)
        for line in L.wrap(f"Re: {SUBJECT}", L.BOLD, 10, L.TEXT_WIDTH):
            canvas.drawString(L.TEXT_LEFT, y, line)
            y -= L.BODY_LEADING
        canvas.setFont(L.REGULAR, 10)
        for paragraph in paragraphs:
            y -= L.BODY_LEADING / 2
            for line in L.wrap(paragraph, L.REGULAR, 10, L.TEXT_WIDTH):
                canvas.drawString(L.TEXT_LEFT, y, line)
                y -= L.BODY_LEADING
        y -= L.BODY_LEADING
        for line in SIGNATURE:
            canvas.drawString(L.PAGE_WIDTH / 2, y, line)
            y -= L.BODY_LEADING
        canvas.setFont(L.REGULAR, 8)
        canvas.drawCentredString(L.PAGE_WIDTH / 2, L.FOOTER_Y, f"Page 1 of 1 · {REFERENCE}")
        canvas.setFont(L.REGULAR, 6)
        canvas.drawCentredString(L.PAGE_WIDTH / 2, L.FOOTER_Y - 10, addressee.key)
        canvas.showPage()
        canvas.save()
        size += path.stat().st_size
    return {"pages": count, "files": count, "bytes": size}


_CSS = """
@page { size: letter; margin: 0; }
body { margin: 0; font-family: Helvetica, "Liberation Sans", sans-serif; font-size: 10pt;
       line-height: 13.5pt; }
.letter { position: relative; width: 8.5in; height: 11in; page-break-after: always; }
.head { position: absolute; top: 0.4in; left: 0.875in; font-size: 8.5pt; line-height: 10.5pt; }
.head b { display: block; font-size: 13pt; line-height: 16pt; }
.date { position: absolute; top: 1.85in; right: 1in; }
.addr { position: absolute; top: 2in; left: 0.875in; width: 4in; height: 1.125in;
        padding: 0.125in; box-sizing: border-box; line-height: 11.2pt; }
.main { position: absolute; top: 3.3in; left: 1in; right: 1in; }
.main h1 { font-size: 10pt; margin: 0 0 7pt 0; }
.main p { margin: 0 0 7pt 0; }
.sig { margin: 14pt 0 0 2.25in; }
.foot { position: absolute; bottom: 0.4in; left: 0; right: 0; text-align: center; font-size: 8pt; }
.key { display: block; font-size: 6pt; }
"""


def _render_weasyprint(count: int, folder: Path) -> dict:
    """The same letters as one HTML document, a page per letter, through WeasyPrint."""
    from html import escape

    from weasyprint import HTML

    from notices import letters as L

    head = _letterhead()
    contact = f"{head.phone} · {head.email}"
    head_lines = "<br>".join(escape(x) for x in (*head.address_lines, contact))
    letterhead = f"<div class=head><b>{escape(head.name)}</b>{head_lines}</div>"
    body = "".join(f"<p>{escape(p)}</p>" for p in L._paragraphs(BODY))
    signed = "<br>".join(escape(x) or "&nbsp;" for x in SIGNATURE)
    signature = f"<div class=sig>{signed}</div>"
    parts = [f"<html><head><style>{_CSS}</style></head><body>"]
    for addressee in _addressees(count):
        lines, _ = L.address_block(addressee)
        parts.append(
            f"<section class=letter>{letterhead}<div class=date>{DATE}</div>"
            f"<div class=addr>{'<br>'.join(escape(x) for x in lines)}</div>"
            f"<div class=main><h1>Re: {escape(SUBJECT)}</h1>{body}{signature}</div>"
            f"<div class=foot>Page 1 of 1 · {REFERENCE}"
            f"<span class=key>{escape(addressee.key)}</span></div></section>"
        )
    parts.append("</body></html>")
    path = folder / "letters-weasyprint.pdf"
    HTML(string="".join(parts)).write_pdf(path)
    return {"pages": count, "files": 1, "bytes": path.stat().st_size}


RENDERERS = {
    "streamed": _render_streamed,
    "naive": _render_naive,
    "weasyprint": _render_weasyprint,
}


def _child(kind: str, count: int, folder: str) -> None:
    # The libraries are imported before the clock starts: a worker imports them once.
    importlib.import_module("weasyprint" if kind == "weasyprint" else "reportlab.pdfgen.canvas")
    importlib.import_module("notices.letters")
    start = time.perf_counter()
    result = RENDERERS[kind](count, Path(folder))
    result["seconds"] = time.perf_counter() - start
    result["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps(result), flush=True)


def _measure(kind: str, count: int) -> dict:
    """Run one renderer in a fresh interpreter, into a temporary folder removed afterwards."""
    with tempfile.TemporaryDirectory(prefix="trustdesk-bench-letters-") as folder:
        done = subprocess.run(
            [sys.executable, "-m", "bench.bench_letters_pdf", kind, str(count), folder],
            cwd=ROOT,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            sys.exit(f"The {kind} render failed:\n{done.stderr}")
        return json.loads(done.stdout.splitlines()[-1])


def run():
    say("letters", f"{LETTERS:,} (one page each, one in ten abroad)")
    if importlib.util.find_spec("weasyprint"):
        baseline_kind = "weasyprint"
        label = "WeasyPrint, the same letters as one HTML document to one PDF"
    else:
        baseline_kind = "naive"
        label = "ReportLab, a new canvas and PDF file per letter (WeasyPrint is not installed)"
    value = _measure("streamed", LETTERS)
    baseline = _measure(baseline_kind, LETTERS)
    say("baseline", label)
    say("baseline seconds", f"{baseline['seconds']:.2f}")
    say("baseline peak memory", f"{baseline['peak_mb']:.0f} MB")
    say("baseline output", f"{baseline['files']:,} files, {baseline['bytes'] / 1e6:.1f} MB")
    say("streamed output", f"1 file, {value['pages']:,} pages, {value['bytes'] / 1e6:.1f} MB")
    say("letters per second", f"{LETTERS / value['seconds']:,.0f}")
    say("seconds", f"{value['seconds']:.2f}")
    say("peak memory", f"{value['peak_mb']:.0f} MB")
    bench_line("letters_pdf", value["seconds"], "s", baseline["seconds"])


if __name__ == "__main__":
    _child(sys.argv[1], int(sys.argv[2]), sys.argv[3])
