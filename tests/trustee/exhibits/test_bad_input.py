"""Input that is not an agreement: refused with one clear line, nothing else happens."""

import pytest
from django.core.management import CommandError, call_command

from trustee.exhibits import ReadError, read_exhibit, read_file
from trustee.exhibits.reader import decode


def test_empty_file(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(ReadError, match="is empty"):
        read_file(path)


def test_whitespace_only_file(tmp_path):
    path = tmp_path / "blank.txt"
    path.write_bytes(b"   \n\n\t  \n")
    with pytest.raises(ReadError, match="is empty"):
        read_file(path)


@pytest.mark.parametrize(
    "data",
    [
        b"\x00\x01\x02binary\x00" * 100,
        b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj",
        b"PK\x03\x04\x14\x00\x06\x00",
        bytes(range(1, 9)) * 500,
    ],
)
def test_binary_file(tmp_path, data):
    path = tmp_path / "exhibit.txt"
    path.write_bytes(data)
    with pytest.raises(ReadError, match="binary"):
        read_file(path)


def test_oversized_file_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with open(path, "wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # 50 MB, sparse: nothing is written or read
    with pytest.raises(ReadError, match=r"50\.0 MB"):
        read_file(path)


def test_missing_file(tmp_path):
    with pytest.raises(ReadError, match="Cannot read"):
        read_file(tmp_path / "nowhere.txt")


def test_windows_1252_text_is_read(tmp_path):
    path = tmp_path / "old.txt"
    path.write_bytes("GUARANTEE AGREEMENT \x93quoted\x94".encode("latin-1"))
    assert "\u201cquoted\u201d" in read_file(path)


def test_latin_1_fallback():
    assert decode(b"caf\x81 text") == "caf\x81 text"


@pytest.mark.parametrize(
    "text",
    [
        "Just a letter to a friend. Nothing else here at all.",
        "UNITED STATES SECURITIES AND EXCHANGE COMMISSION\n\nFORM 8-K\n\nExhibit 4.1 "
        "Supplemental Indenture, dated as of September 13, 2002.\n",
        "GUARANTEE AGREEMENT\n\nThe rest of this page is intentionally blank.\n",
    ],
)
def test_text_that_is_not_an_agreement(text):
    with pytest.raises(ReadError, match="does not look like an agreement"):
        read_exhibit(text)


def test_empty_and_non_text_to_read_exhibit():
    with pytest.raises(ReadError, match="empty"):
        read_exhibit("  \n ")
    with pytest.raises(ReadError, match="must be text"):
        read_exhibit(b"bytes")


def test_command_refuses_bad_input_with_one_line(tmp_path):
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(CommandError) as error:
        call_command("read_agreement", str(path), "--json")
    assert "\n" not in str(error.value)
    assert str(path) in str(error.value)


def test_command_max_bytes_option(tmp_path):
    path = tmp_path / "small.txt"
    path.write_text("GUARANTEE AGREEMENT\n" * 100)
    with pytest.raises(CommandError, match="at most"):
        call_command("read_agreement", str(path), "--max-bytes", "100")
