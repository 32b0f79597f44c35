"""Every benchmark, one after the other: ``python benchmarks/run.py [--quick]``.

Each prints its own table; ratios are only meaningful within one table (one run, one machine).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
BENCHMARKS = ["engine_overhead.py", "mlp_step.py", "stack_concat.py", "player_size.py"]


def main() -> int:
    extra = sys.argv[1:]
    status = 0
    for script in BENCHMARKS:
        print(f"\n=== {script} {' '.join(extra)}".rstrip(), flush=True)
        status |= subprocess.call([sys.executable, str(HERE / script), *extra])
    return status


if __name__ == "__main__":
    sys.exit(main())
