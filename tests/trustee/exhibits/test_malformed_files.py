"""Malformed agreement texts (tests/trustee/exhibits/files) and fuzzed input: each refused
with one clear line, never another exception."""

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trustee.exhibits.reader import ReadError, read_exhibit, read_file

FILES = Path(__file__).parent / "files"
MALFORMED = sorted(p.name for p in FILES.iterdir())
LIMIT = 50 * 1024 * 1024


def test_there_are_at_least_ten_malformed_agreement_texts():
    assert len(MALFORMED) >= 10


@pytest.mark.parametrize("name", MALFORMED)
def test_a_malformed_text_is_refused_in_one_line(name):
    with pytest.raises(ReadError) as refused:
        read_exhibit(read_file(FILES / name, LIMIT))
    message = str(refused.value)
    assert message and "\n" not in message and len(message) < 300
    assert any(word in message for word in ("empty", "binary", "not look like an agreement"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=4000))
def test_any_text_is_read_or_refused(text):
    try:
        proposal = read_exhibit(text)
    except ReadError as refused:
        assert str(refused)
    else:
        assert set(proposal) >= {"kind", "dated_as_of", "parties", "terms"}


_AGREEMENTISH = st.lists(
    st.sampled_from(
        [
            "GUARANTEE AGREEMENT\n",
            "SECTION 2.2 Lists of Holders.\n",
            "semiannually, on or before February 15 and August 15 of each year, ",
            "within ninety (90) days after the occurrence of a Default, ",
            "a Majority in liquidation amount ",
            "dated as of October 26, 2001\n",
            "- 12 -\n",
            "----------\n",
            "ARTICLE IV\n",
            "shall be governed by the laws of the State of New York.\n",
        ]
    )
    | st.text(max_size=80),
    max_size=40,
)


@settings(max_examples=150, deadline=None)
@given(_AGREEMENTISH)
def test_fragments_of_agreement_language_are_read_or_refused(parts):
    text = "".join(parts)
    try:
        proposal = read_exhibit(text)
    except ReadError:
        return
    for term in proposal["terms"].values():
        if term.get("value") is not None:
            assert term.get("quote") is not None and term.get("section") is not None


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=3000))
def test_any_bytes_are_read_or_refused(tmp_path, data):
    path = tmp_path / "exhibit.txt"
    path.write_bytes(data)
    try:
        read_exhibit(read_file(path, LIMIT))
    except ReadError as refused:
        assert str(refused)
