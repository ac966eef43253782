"""Start-up and whole-run timings of the `audit` command.

    python benchmarks/bench_run.py [--repeat 10]

Reports the median wall time of `audit --version`, `audit run seeds/
--no-reports` (a fresh process each time, so imports are counted), and of
the in-process flow per document once everything is imported.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def wall(command: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def in_process(repeat: int) -> tuple[float, int]:
    sys.path.insert(0, str(ROOT))
    from auditor.config import Settings
    from auditor.pipeline import run_audit

    settings = Settings(reports=False)
    run_audit([str(ROOT / "seeds")], settings)  # warm: imports, registries, caches
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        report = run_audit([str(ROOT / "seeds")], settings)
        times.append(time.perf_counter() - start)
    return statistics.median(times), len(report.documents)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=10)
    args = parser.parse_args()
    audit = [sys.executable, "-m", "auditor.cli"]
    print(f"audit --version              {wall(audit + ['--version'], args.repeat) * 1000:7.0f} ms")
    print(f"audit run seeds/ --no-reports {wall(audit + ['run', 'seeds/', '--no-reports'], args.repeat) * 1000:7.0f} ms")
    warm, documents = in_process(args.repeat)
    print(f"in-process run, warm          {warm * 1000:7.0f} ms for {documents} documents "
          f"({warm / documents * 1000:.1f} ms per document)")


if __name__ == "__main__":
    main()
