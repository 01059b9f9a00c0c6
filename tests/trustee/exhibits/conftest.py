from pathlib import Path

import pytest

SEEDS = Path("/work/shared/seeds")
HARTFORD = SEEDS / "hartford-capital-iii-guarantee-agreement-2001.txt"
HSB = SEEDS / "hsb-capital-ii-guarantee-agreement-1997.txt"


def seed(path: Path) -> str:
    if not path.exists():
        pytest.skip(f"{path} is not on this machine")
    return path.read_text()


@pytest.fixture(scope="session")
def hartford_text():
    return seed(HARTFORD)


@pytest.fixture(scope="session")
def hsb_text():
    return seed(HSB)
