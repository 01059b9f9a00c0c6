"""Run the benchmarks under bench/: `python -m bench [name]`.

Each benchmark is a module `bench/bench_<name>.py` with a `run()` that prints detail lines and
then one line: BENCH name=<name> value=<n> unit=<u> baseline=<n> ratio=<value/baseline>.
"""

import importlib
import pkgutil
import sys
from pathlib import Path


def main(argv):
    here = Path(__file__).parent
    names = sorted(
        m.name.removeprefix("bench_")
        for m in pkgutil.iter_modules([str(here)])
        if m.name.startswith("bench_")
    )
    wanted = argv[1:] or names
    unknown = [name for name in wanted if name not in names]
    if unknown:
        sys.exit(
            f"No benchmark named {', '.join(unknown)}; there are: {', '.join(names) or 'none'}"
        )
    if not names:
        print("No benchmarks yet: each issue that sets a performance target adds one.")
    for name in wanted:
        importlib.import_module(f"bench.bench_{name}").run()


if __name__ == "__main__":
    main(sys.argv)
