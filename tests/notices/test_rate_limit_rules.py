"""The arithmetic of the per-provider sending limit, on plain values (notices/rate_rules.py)."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from notices.rate_rules import MAX_BATCH, UNIT, BadRate, Rate, parse_rate, take


@pytest.mark.parametrize(
    ("text", "per_second"),
    [
        ("100/s", 100),
        ("6000/m", 100),
        ("6000 / min", 100),
        ("360000/h", 100),
        ("0.5/s", 0.5),
        ("1/minute", 1 / 60),
        (25, 25),
        (2.5, 2.5),
    ],
)
def test_a_rate_is_read_per_second(text, per_second):
    assert parse_rate(text).per_second == pytest.approx(per_second)


@pytest.mark.parametrize("text", [None, "", 0, "0/s"])
def test_nothing_or_zero_is_no_limit(text):
    assert parse_rate(text) is None


@pytest.mark.parametrize("text", ["100", "100/d", "fast", "-5/s", "1e3/s", "/s", True])
def test_a_rate_it_cannot_read_is_refused_naming_the_provider(text):
    with pytest.raises(BadRate, match=r"smtp\.example\.com"):
        parse_rate(text, provider="smtp.example.com")


def test_the_bucket_holds_a_tenth_of_a_second_and_a_batch_fits_in_it():
    assert Rate(1000).capacity == 100 and Rate(1000).batch == MAX_BATCH
    assert Rate(100).capacity == 10 and Rate(100).batch == 10
    assert Rate(2).capacity == 1 and Rate(2).batch == 1  # never less than one message


RATES = st.floats(min_value=0.01, max_value=5_000, allow_nan=False).map(Rate)
STEPS = st.lists(
    st.tuples(st.integers(min_value=0, max_value=2 * UNIT), st.integers(1, 200)), max_size=60
)


@given(rate=RATES, steps=STEPS, start=st.integers(0, 10**15))
def test_what_is_granted_never_exceeds_a_full_bucket_and_the_rate_since(rate, steps, start):
    bucket, now, granted = None, start, 0
    capacity = math.floor(rate.capacity * UNIT)
    for gap, wanted in steps:
        now += gap
        taken = take(bucket, now_us=now, rate=rate, wanted=wanted)
        bucket = taken.bucket
        granted += taken.granted
        assert 0 <= taken.granted <= wanted
        assert 0 <= bucket.micro_tokens <= capacity
        # Over the whole run: the full bucket it started with and what the rate refilled.
        assert granted * UNIT <= capacity + (now - start) * rate.per_second
        if not taken.granted:
            assert taken.wait_us > 0


@given(rate=RATES, steps=STEPS)
def test_waiting_as_long_as_it_says_gives_a_token(rate, steps):
    bucket, now = None, 0
    for gap, wanted in steps:
        now += gap
        taken = take(bucket, now_us=now, rate=rate, wanted=wanted)
        bucket = taken.bucket
        if not taken.granted:
            again = take(bucket, now_us=now + taken.wait_us, rate=rate, wanted=1)
            assert again.granted == 1


@given(rate=RATES, back=st.integers(1, 10 * UNIT))
def test_a_clock_that_goes_back_adds_no_token(rate, back):
    empty = take(None, now_us=10**12, rate=rate, wanted=MAX_BATCH * 100).bucket
    later = take(empty, now_us=10**12 - back, rate=rate, wanted=1)
    assert later.granted == 0 and later.bucket == empty


def test_a_steady_caller_gets_the_rate():
    rate, bucket, now, granted = Rate(100), None, 0, 0
    while now < 10 * UNIT:  # ten seconds, asking for a batch whenever told to come back
        taken = take(bucket, now_us=now, rate=rate, wanted=rate.batch)
        bucket, granted = taken.bucket, granted + taken.granted
        now += taken.wait_us or 1
    assert 1000 <= granted <= 1000 + rate.capacity
