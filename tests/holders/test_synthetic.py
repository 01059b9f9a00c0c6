from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from holders.synthetic import synthetic_holders


@given(
    units=st.integers(min_value=1, max_value=10_000_000),
    unit=st.sampled_from([Decimal(25), Decimal(1000), Decimal("0.01")]),
    count=st.integers(min_value=1, max_value=400),
    seed=st.text(max_size=10),
)
def test_holdings_are_whole_units_and_add_up_to_the_total(units, unit, count, seed):
    if units < count:
        with pytest.raises(ValueError, match="cannot be split"):
            synthetic_holders(seed=seed, total=unit * units, unit=unit, count=count)
        return
    holders = synthetic_holders(seed=seed, total=unit * units, unit=unit, count=count)
    assert len(holders) == count
    assert sum(h.amount for h in holders) == unit * units
    assert all(h.amount > 0 and h.amount % unit == 0 for h in holders)


def test_the_same_seed_gives_the_same_register():
    first = synthetic_holders(seed="s", total=Decimal(575_000_000), unit=Decimal(25), count=300)
    again = synthetic_holders(seed="s", total=Decimal(575_000_000), unit=Decimal(25), count=300)
    other = synthetic_holders(seed="t", total=Decimal(575_000_000), unit=Decimal(25), count=300)
    assert first == again
    assert first != other
    assert len({h.name for h in first}) == 300
