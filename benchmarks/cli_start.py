"""How long ``boardclerk --help`` takes to answer: the console script in a fresh interpreter,
as a user starts it (target < 0.3 s). Prints the best and the median of several runs and the
load average, since a busy machine slows every start.

    python benchmarks/cli_start.py [--runs 10]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGET = 0.3  # seconds


def console_script() -> list[str]:
    """The installed ``boardclerk`` next to this interpreter, else the same entry point run
    with ``-c`` (what the console script does)."""
    script = Path(sys.executable).with_name("boardclerk")
    if script.exists():
        return [str(script)]
    found = shutil.which("boardclerk")
    if found:
        return [found]
    return [sys.executable, "-c", "from bot.cli import main; main()"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    command = [*console_script(), "--help"]
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    best, median = min(times), statistics.median(times)
    print(
        f"boardclerk --help: best {best:.3f} s, median {median:.3f} s over {args.runs} runs "
        f"(target < {TARGET} s: {median / TARGET:.2f}x of target)"
    )
    print(f"  load average {' '.join(f'{v:.2f}' for v in os.getloadavg())}")


if __name__ == "__main__":
    main()
