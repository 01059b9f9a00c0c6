"""The notice letters and the certificate of mailing, read back from the PDFs with pypdf."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest

from notices.letters import (
    AddressDoesNotFit,
    Addressee,
    Letterhead,
    address_problem,
    render_letters,
    write_manifest,
)
from notices.pdf import ADDRESS_WINDOW, WINDOW_CLEARANCE, printable, width_of

ROOT = Path(__file__).resolve().parents[2]

LETTERHEAD = Letterhead(
    name="Wilmington Trust Company",
    address_lines=(
        "Corporate Trust Administration",
        "1100 North Market Street",
        "Wilmington, Delaware 19890-0001",
    ),
    phone="(302) 651-1000",
    email="corporatetrust@wilmingtontrust.example",
)
SUBJECT = "Notice of Default under the Guarantee Agreement of Hartford Capital III"
PARAGRAPH = (
    "NOTICE IS HEREBY GIVEN pursuant to Section 2.7(a) of the Guarantee Agreement that an Event "
    "of Default has occurred and is continuing: the Guarantor failed to make the Guarantee "
    "Payment due on the Distribution Date of January 15, 2027."
)
SHORT_BODY = f"{PARAGRAPH}\n\nHolders may direct questions to the Guarantee Trustee."
LONG_BODY = "\n\n".join(f"{n}. {PARAGRAPH}" for n in range(1, 16))
SIGNATURE = ("WILMINGTON TRUST COMPANY,", "as Guarantee Trustee", "", "By: Corporate Trust Officer")

DOMESTIC = Addressee(
    key="dn-7-holder-1-mail",
    name="José Müller",
    address_lines=("100 Main Street", "Suite 200"),
    city="Springfield",
    state="IL",
    postal_code="62701",
)
FOREIGN = Addressee(
    key="dn-7-holder-2-mail",
    name="Zoë Schäfer",
    address_lines=("Königsallee 12",),
    city="Düsseldorf",
    state="",
    postal_code="40212",
    country="DE",
)
LONG_LETTER = Addressee(
    key="dn-8-holder-3-mail",
    name="Cede & Co.",
    address_lines=("570 Washington Blvd",),
    city="Jersey City",
    state="NJ",
    postal_code="07310",
)


def render(path, addressees, body=SHORT_BODY) -> int:
    return render_letters(
        path=path,
        letterhead=LETTERHEAD,
        reference="DN-2027-0007",
        date_text="January 16, 2027",
        subject=SUBJECT,
        body=body,
        addressees=addressees,
        signature=SIGNATURE,
    )


def manifest(tmp_path, addressees) -> dict:
    return write_manifest(
        path_pdf=tmp_path / "manifest.pdf",
        path_csv=tmp_path / "manifest.csv",
        letterhead=LETTERHEAD,
        reference="DN-2027-0007",
        date_text="January 16, 2027",
        subject=SUBJECT,
        addressees=addressees,
        mailed_by="Pat Mailroom, Corporate Trust Operations",
    )


def words(text: str) -> str:
    return " ".join(text.split())


def in_order(text: str, parts) -> bool:
    """Whether every part occurs in `text`, each after the one before."""
    at = 0
    for part in parts:
        at = text.find(part, at)
        if at < 0:
            return False
        at += len(part)
    return True


def placed_lines(page) -> list[tuple[str, float, float]]:
    """Each piece of text on the page with its position (text space = user space here)."""
    found = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            found.append((text.strip(), tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]))

    page.extract_text(visitor_text=visit)
    return found


@pytest.fixture
def letters(tmp_path):
    short, long = tmp_path / "letters.pdf", tmp_path / "long.pdf"
    counts = render(short, [DOMESTIC, FOREIGN]), render(long, [LONG_LETTER], body=LONG_BODY)
    return counts, pypdf.PdfReader(short), pypdf.PdfReader(long)


def test_a_page_per_short_letter_and_two_for_the_long_one(letters):
    (short_pages, long_pages), short, long = letters
    assert (short_pages, long_pages) == (2, 2)
    assert (len(short.pages), len(long.pages)) == (2, 2)


def test_each_first_page_has_the_address_in_order_and_the_subject(letters):
    _, short, long = letters
    expected = [
        (short.pages[0], ["José Müller", "100 Main Street", "Suite 200", "Springfield, IL 62701"]),
        (short.pages[1], ["Zoë Schäfer", "Königsallee 12", "Düsseldorf 40212", "DE"]),
        (long.pages[0], ["Cede & Co.", "570 Washington Blvd", "Jersey City, NJ 07310"]),
    ]
    for page, address in expected:
        text = page.extract_text()
        assert in_order(text, address), text
        assert SUBJECT in words(text)
        assert "Wilmington Trust Company" in text
        assert "January 16, 2027" in text


def test_later_pages_carry_the_name_and_subject_but_not_the_address(letters):
    _, _, long = letters
    second = long.pages[1].extract_text()
    assert "Cede & Co." in second
    assert SUBJECT in words(second)
    assert "570 Washington Blvd" not in second
    assert "15. NOTICE IS HEREBY GIVEN" in words(second)  # the body goes on
    assert "By: Corporate Trust Officer" in second


def test_pages_are_numbered_within_each_letter(letters):
    _, short, long = letters
    assert "Page 1 of 1 · DN-2027-0007" in short.pages[0].extract_text()
    assert "Page 1 of 1 · DN-2027-0007" in short.pages[1].extract_text()
    assert "Page 1 of 2 · DN-2027-0007" in long.pages[0].extract_text()
    assert "Page 2 of 2 · DN-2027-0007" in long.pages[1].extract_text()
    # The delivery's key, for tracing a returned letter.
    assert "dn-7-holder-2-mail" in short.pages[1].extract_text()
    assert "dn-8-holder-3-mail" in long.pages[1].extract_text()


def test_the_address_lies_inside_the_envelope_window(letters):
    _, short, long = letters
    x0, y0, x1, y1 = ADDRESS_WINDOW
    for page, first_line, count in (
        (short.pages[0], "José Müller", 4),
        (short.pages[1], "Zoë Schäfer", 4),
        (long.pages[0], "Cede & Co.", 3),
    ):
        placed = placed_lines(page)
        start = next(i for i, (text, _, _) in enumerate(placed) if text == first_line)
        block = placed[start : start + count]
        for text, x, y in block:
            # Baselines with room for capitals above and descenders below, 1/8 in. clear.
            assert x0 + WINDOW_CLEARANCE <= x
            assert x + width_of(text, size=10) <= x1 - WINDOW_CLEARANCE
            assert y0 + WINDOW_CLEARANCE <= y - 3 and y + 9 <= y1 - WINDOW_CLEARANCE, (text, y)
        # Top to bottom, same left edge.
        assert [y for _, _, y in block] == sorted((y for _, _, y in block), reverse=True)
        assert len({x for _, x, _ in block}) == 1
    # Nothing else on the first page shows through the window.
    inside = [
        text for text, x, y in placed_lines(short.pages[0]) if x0 <= x <= x1 and y0 <= y <= y1
    ]
    assert inside == ["José Müller", "100 Main Street", "Suite 200", "Springfield, IL 62701"]


def test_a_long_address_is_set_smaller_and_one_too_long_is_refused(tmp_path):
    six_lines = Addressee(
        key="k6",
        name="Trustee of the Smith Family Trust",
        address_lines=("c/o First Bank", "Trust Department", "Building 4, Floor 2"),
        city="Toronto",
        state="ON",
        postal_code="M5H 2N2",
        country="CA",
    )
    assert address_problem(six_lines) is None
    assert render(tmp_path / "six.pdf", [six_lines]) == 1

    too_many = Addressee("k9", "Name", tuple(f"Line {n}" for n in range(8)), "Town", "NY", "10001")
    too_wide = Addressee("kw", "N" * 80, ("1 Main St",), "Town", "NY", "10001")
    assert "lines" in address_problem(too_many)
    assert "wider" in address_problem(too_wide)
    path = tmp_path / "refused.pdf"
    with pytest.raises(AddressDoesNotFit) as refused:
        render(path, [DOMESTIC, too_wide, FOREIGN])
    assert refused.value.key == "kw"
    # No half-written PDF is left for the print room.
    assert list(tmp_path.glob("refused.pdf*")) == []


def test_characters_outside_the_font_print_as_question_marks(tmp_path):
    odd = Addressee(
        key="k-odd",
        name="Ωmega 北京 Holdings 🙂",
        address_lines=("Jose\u0301 Street 1",),  # a decomposed é: composed, not lost
        city="Athens",
        state="",
        postal_code="105 57",
        country="GR",
    )
    path = tmp_path / "odd.pdf"
    assert render(path, [odd], body="Greek Σ and a tab\there.\n\nThe end ≥ now.") == 1
    text = pypdf.PdfReader(path).pages[0].extract_text()
    assert "?mega ?? Holdings ?" in text
    assert "José Street 1" in text
    assert "Greek ? and a tab here." in text
    assert printable("Zoë\x00Müller") == "Zoë Müller"


def test_addresses_given_as_one_text_field_are_split_into_lines():
    holder = Addressee("k", "Name", "1 Main St\n\nApt 2\n", "Town", "NY", "10001")
    assert holder.address_lines == ("1 Main St", "Apt 2")
    assert holder.postal_lines() == ["1 Main St", "Apt 2", "Town, NY 10001"]


def test_no_addressees_means_no_file(tmp_path):
    with pytest.raises(ValueError, match="No addressees"):
        render(tmp_path / "none.pdf", [])
    with pytest.raises(ValueError, match="No addressees"):
        manifest(tmp_path, iter([]))
    assert list(tmp_path.iterdir()) == []


# -- the mailing manifest -----------------------------------------------------------------------


def test_manifest_counts_and_csv_rows(tmp_path):
    formulas = Addressee(
        key="@SUM(A1:A9)",
        name='=HYPERLINK("http://x.example")',
        address_lines=("+1 Main St", "-2 Side St"),
        city="Town",
        state="NY",
        postal_code="10001",
    )
    # A generator, as the workflow passes a queryset's iterator.
    counts = manifest(tmp_path, (a for a in [DOMESTIC, FOREIGN, LONG_LETTER, formulas]))
    assert counts == {"addressees": 4, "domestic": 3, "foreign": 1, "pages": 1}

    with open(tmp_path / "manifest.csv", encoding="utf-8-sig", newline="") as file:
        rows = list(csv.DictReader(file))
    assert [row["number"] for row in rows] == ["1", "2", "3", "4"]
    assert [row["key"] for row in rows[:3]] == [a.key for a in (DOMESTIC, FOREIGN, LONG_LETTER)]
    assert rows[0]["name"] == "José Müller"
    assert rows[0]["address"] == "100 Main Street; Suite 200"
    assert (rows[1]["postal_code"], rows[1]["country"]) == ("40212", "DE")
    assert rows[3]["name"] == '\'=HYPERLINK("http://x.example")'
    assert rows[3]["address"] == "'+1 Main St; -2 Side St"
    assert rows[3]["key"] == "'@SUM(A1:A9)"


def test_manifest_pdf_is_the_certificate_of_mailing(tmp_path):
    manifest(tmp_path, [DOMESTIC, FOREIGN, LONG_LETTER])
    text = pypdf.PdfReader(tmp_path / "manifest.pdf").pages[0].extract_text()
    flat = words(text)
    assert text.startswith("Certificate of mailing")
    assert "Notice reference: DN-2027-0007" in text
    assert f"Subject: {SUBJECT}" in flat
    assert "Number of addressees: 3 (2 domestic, 1 foreign)" in text
    assert in_order(flat, ["1 José Müller", "100 Main Street", "Suite 200", "Springfield, IL"])
    assert in_order(flat, ["2 Zoë Schäfer", "Königsallee 12", "Düsseldorf 40212", "DE"])
    assert in_order(flat, ["3 Cede & Co.", "570 Washington Blvd", "dn-8-holder-3-mail"])
    assert (
        "I certify that on January 16, 2027 the notice above was deposited in the United States "
        "mail, first class postage prepaid, addressed to each of the 3 persons listed above."
    ) in flat
    assert "Pat Mailroom, Corporate Trust Operations" in text
    assert "Page 1 of 1" in text


def test_a_long_manifest_runs_over_pages_and_lists_everyone(tmp_path):
    holders = [
        Addressee(f"key-{n}", f"Holder {n}", (f"{n} Elm Street",), "Dover", "DE", "19901")
        for n in range(1, 151)
    ]
    counts = manifest(tmp_path, holders)
    reader = pypdf.PdfReader(tmp_path / "manifest.pdf")
    assert counts["pages"] == len(reader.pages) > 2
    texts = [page.extract_text() for page in reader.pages]
    total = counts["pages"]
    for number, text in enumerate(texts, 1):
        assert f"Page {number} of {total}" in text
    everything = words(" ".join(texts))
    assert all(f"{n} Holder {n} {n} Elm Street" in everything for n in range(1, 151))
    assert "each of the 150 persons listed above" in words(texts[-1])


# -- memory -------------------------------------------------------------------------------------

PEAK_MEMORY_SCRIPT = """
import resource, sys
from notices.letters import Addressee, Letterhead, render_letters

count, path = int(sys.argv[1]), sys.argv[2]
holders = (
    Addressee(f"key-{n}", f"Holder {n}", (f"{n} Main Street",), "Springfield", "IL", "62701")
    for n in range(count)
)
pages = render_letters(
    path=path, letterhead=Letterhead("Trustee", ("1 Bank Plaza",)), reference="DN-1",
    date_text="January 16, 2027", subject="Notice of Default",
    body="An Event of Default has occurred. " * 40 + "\\n\\nQuestions to the trustee. " * 10,
    addressees=holders, signature=("Trustee", "By: Officer"),
)
assert pages == count, pages
print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def peak_kib(count: int, path: Path) -> int:
    done = subprocess.run(
        [sys.executable, "-c", PEAK_MEMORY_SCRIPT, str(count), str(path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return int(done.stdout.split()[-1])


def test_memory_does_not_grow_with_the_number_of_letters(tmp_path):
    small = peak_kib(200, tmp_path / "small.pdf")
    large = peak_kib(2000, tmp_path / "large.pdf")
    # Pages go to the file as they are made. ReportLab's canvas, which keeps every page until
    # save(), grows about 20 MB between these two.
    assert large - small < 10 * 1024, (small, large)
