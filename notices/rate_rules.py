"""The arithmetic of a per-provider sending limit: "N/s" read as a rate, and a token bucket.

No Django and no Redis here. notices/ratelimit.py keeps one bucket per provider in Redis with
a Lua script that is this module's `take` written again in Lua (the tests run both on the same
requests and compare), so that every worker process and thread draws from the one bucket.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

_PER = {"s": 1, "sec": 1, "second": 1, "m": 60, "min": 60, "minute": 60, "h": 3600, "hour": 3600}
_RATE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*/\s*([a-z]+)\s*$")

# A bucket holds at most a tenth of a second's sending (and at least one message): in any
# window of T seconds at most rate * T + capacity messages leave, so a provider counting per
# second sees at most 10% over its limit even at a window's edge, and every caller, however
# many, draws from the same few tokens.
BURST_SECONDS = 0.1
# A caller asks for at most this many tokens at once: one Redis round trip per batch, not
# per message, while no thread sits on more than a small share of the bucket.
MAX_BATCH = 50


class BadRate(ValueError):
    """A rate limit setting that cannot be read."""


@dataclass(frozen=True)
class Rate:
    per_second: float

    @property
    def capacity(self) -> float:
        return max(1.0, self.per_second * BURST_SECONDS)

    @property
    def batch(self) -> int:
        """Tokens a sender asks for at a time: never more than the bucket can hold."""
        return max(1, min(MAX_BATCH, math.floor(self.capacity)))


def parse_rate(text, *, provider="") -> Rate | None:
    """A limit as "100/s", "6000/m" or "360000/h", or a number (a second); None, 0: none."""
    where = f" for provider {provider!r}" if provider else ""
    if text is None or text == "" or text == 0:
        return None
    if isinstance(text, int | float) and not isinstance(text, bool):
        count, seconds = float(text), 1
    else:
        match = _RATE.match(str(text).lower())
        if not match or match.group(2) not in _PER:
            raise BadRate(
                f"The mail rate limit{where} {text!r} is not of the form “N/s”, “N/m” or “N/h”."
            )
        count, seconds = float(match.group(1)), _PER[match.group(2)]
    if count < 0 or not math.isfinite(count):
        raise BadRate(f"The mail rate limit{where} {text!r} must be a positive number.")
    if count == 0:
        return None
    return Rate(per_second=count / seconds)


# The bucket counts in millionths of a token and whole microseconds, the same integers in
# Python and in Redis's Lua (doubles, exact below 2**53): both give the same answers.
UNIT = 1_000_000


@dataclass(frozen=True)
class Bucket:
    """Millionths of a token left at `at` (microseconds, a clock that only goes forward)."""

    micro_tokens: int
    at: int


@dataclass(frozen=True)
class Taken:
    granted: int
    wait_us: int  # microseconds until a whole token is there, when none was granted
    bucket: Bucket


def take(bucket: Bucket | None, *, now_us: int, rate: Rate, wanted: int) -> Taken:
    """Refill for the time gone by, then grant up to `wanted` whole tokens (as many as there
    are, when fewer). Nothing granted: how long until there is one. A new bucket starts full."""
    capacity = math.floor(rate.capacity * UNIT)
    if bucket is None:
        tokens, at = capacity, now_us
    else:
        elapsed = max(0, now_us - bucket.at)  # a clock going back never adds tokens
        tokens = min(capacity, bucket.micro_tokens + math.floor(elapsed * rate.per_second))
        at = max(now_us, bucket.at)
    granted = min(max(wanted, 0), tokens // UNIT)
    tokens -= granted * UNIT
    # One microsecond more than the division says, so that rounding never leaves it short.
    wait_us = 0 if granted else math.ceil((UNIT - tokens) / rate.per_second) + 1
    return Taken(granted=granted, wait_us=wait_us, bucket=Bucket(micro_tokens=tokens, at=at))
