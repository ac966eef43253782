"""Speed and scale of `audit run`: start-up, MB/s, documents/s, peak RSS,
per-stage time and the floor, at several corpus sizes.

    python benchmarks/bench_scale.py [--sizes 1 10 50] [--single 1 5] [--mode shuffled|varied]
                                     [--jobs 1 2] [--repeat 3] [--stages 10] [--source TREE]

Corpora come from benchmarks/corpus.py (deterministic) and are cached under
--cache. Every run is a fresh `python -m auditor.cli run DIR --no-reports -q`
process; its peak RSS is the child's own (os.wait4). --source runs another
checkout of the code (e.g. an older commit exported with `git archive`), so
before and after are measured by the same script.

The floor is the work no checker can avoid: NFKC, OpenCC t2s and one numeric
regex over the same text, timed in the same run, so every figure can be read
as a ratio to it. The machine is shared: figures are medians of --repeat runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402

# `-m` and `-c` put the working directory first on sys.path, before
# PYTHONPATH: -P (Python 3.11+) and a neutral cwd make --source decide.
PYTHON = [sys.executable] + (["-P"] if sys.version_info >= (3, 11) else [])

STAGES = r'''
import json, sys, time, unicodedata
from collections import defaultdict
from pathlib import Path
import regex
from auditor.config import Settings
from auditor.ingest import discover, read_document
paths = [p for p in discover([sys.argv[1]])]
documents = [read_document(p, 10**9) for p in paths]
text = "\n".join(d.text for d in documents)
t = {}
start = time.perf_counter()
import opencc
converter = opencc.OpenCC("t2s")
number = regex.compile(r"\d+(?:\.\d+)?")
folded = unicodedata.normalize("NFKC", text)
simple = converter.convert(folded)
sum(1 for _ in number.finditer(simple))
t["floor"] = time.perf_counter() - start
from auditor.evidence import SourceText
from auditor.quantities import extract_quantities
from auditor.claims import analyze
from auditor.checks import KINDS
from auditor.ruleset import load_ruleset
from auditor.damage import find_text_damage
from auditor.duplicates import find_repeated_passages
settings = Settings(reports=False)
rules = load_ruleset(settings)
start = time.perf_counter()
sources = [SourceText.of(d) for d in documents]
t["normalize"] = time.perf_counter() - start
start = time.perf_counter()
for s in sources:
    extract_quantities(s.text)
t["quantities"] = time.perf_counter() - start
start = time.perf_counter()
analyzed = [analyze(d) for d in documents]
t["analyze (normalize+quantities+claims)"] = time.perf_counter() - start
for rule in rules:
    kind = KINDS.get(rule.kind)
    if kind is None:
        continue
    start = time.perf_counter()
    list(kind().evaluate(rule, analyzed))
    t["check " + rule.id] = time.perf_counter() - start
start = time.perf_counter()
for s in sources:
    find_text_damage(s, settings)
t["damage"] = time.perf_counter() - start
start = time.perf_counter()
find_repeated_passages(sources, settings)
t["duplicates"] = time.perf_counter() - start
print(json.dumps(t))
'''


def run(command: list[str], env: dict, timeout: float) -> tuple[float, float, int, float]:
    """(wall seconds, peak RSS MB, exit code, CPU seconds) of one fresh
    process (CPU and RSS include the worker processes it waited for; RSS
    is the largest single process, not the sum)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=tempfile.gettempdir(), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            break
        if time.perf_counter() > deadline:
            process.kill()
            pid, status, usage = os.wait4(process.pid, 0)
            return float("inf"), usage.ru_maxrss / 1024, -9, usage.ru_utime + usage.ru_stime
        time.sleep(0.01)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_maxrss / 1024, code, usage.ru_utime + usage.ru_stime


def median_run(command, env, repeat, timeout):
    """Medians of wall and CPU time over `repeat` runs (the machine is shared)."""
    results = [run(command, env, timeout) for _ in range(repeat)]
    return (statistics.median(r[0] for r in results), max(r[1] for r in results), results[-1][2],
            statistics.median(r[3] for r in results))


def corpus_dir(cache: Path, mb: float, mode: str, single: bool) -> tuple[Path, int, int]:
    name = f"{mode}-{'single-' if single else ''}{mb:g}MB"
    out = cache / name
    if not (out / ".done").exists():
        count = corpus.write(out, int(mb * 1_000_000), mode, 7, single)
        (out / ".done").write_text(str(count))
    files = [p for p in out.rglob("*.txt")]
    return out, len(files), sum(p.stat().st_size for p in files)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="*", default=[1, 10, 50], help="corpus sizes in MB")
    parser.add_argument("--single", type=float, nargs="*", default=[1, 5], help="one document of these MB")
    parser.add_argument("--mode", choices=("shuffled", "varied"), default="shuffled")
    parser.add_argument("--jobs", type=int, nargs="*", default=None,
                        help="pass --jobs N (one run per N); default: no flag")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--stages", type=float, default=10, help="per-stage profile on this corpus size (0: none)")
    parser.add_argument("--stages-single", action="store_true", help="profile the one-document corpus of --stages MB")
    parser.add_argument("--source", type=Path, default=ROOT, help="checkout of auditor to measure")
    parser.add_argument("--cache", type=Path, default=Path("/tmp/auditor-bench"))
    parser.add_argument("--timeout", type=float, default=1800)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON")
    args = parser.parse_args()

    env = dict(os.environ, PYTHONPATH=str(args.source.resolve()))
    audit = PYTHON + ["-m", "auditor.cli"]
    figures: dict = {"source": str(args.source), "mode": args.mode, "repeat": args.repeat}
    version, _, _, _ = median_run(audit + ["--version"], env, max(args.repeat, 5), 60)
    seeds, _, _, _ = median_run(audit + ["run", str(ROOT / "seeds"), "--no-reports", "-q"], env,
                             max(args.repeat, 5), 120)
    figures["startup"] = {"version_ms": round(version * 1000), "seeds_ms": round(seeds * 1000)}
    print(f"audit --version                 {version * 1000:8.0f} ms")
    print(f"audit run seeds/ --no-reports   {seeds * 1000:8.0f} ms")

    print(f"{'corpus':<22} {'jobs':>4} {'docs':>6} {'MB':>6} {'seconds':>8} {'MB/s':>6} {'docs/s':>7} "
          f"{'peak MB':>8} {'exit':>4} {'CPU s':>7} {'MB/CPU s':>8}")
    rows = []
    cases = [(mb, False) for mb in args.sizes] + [(mb, True) for mb in args.single]
    for mb, single in cases:
        directory, count, size = corpus_dir(args.cache, mb, args.mode, single)
        for jobs in (args.jobs or [None]):
            command = audit + ["run", str(directory), "--no-reports", "-q", "--fail-on", "never",
                               "--max-bytes", str(10 ** 9)]
            if jobs is not None:
                command += ["--jobs", str(jobs)]
            wall, rss, code, cpu = median_run(command, env, args.repeat if mb < 20 else 1, args.timeout)
            row = {"corpus": directory.name, "jobs": jobs, "documents": count, "mb": round(size / 1e6, 2),
                   "seconds": round(wall, 2), "mb_per_s": round(size / 1e6 / wall, 2),
                   "docs_per_s": round(count / wall, 1), "peak_rss_mb": round(rss), "exit": code,
                   "cpu_seconds": round(cpu, 2), "mb_per_cpu_s": round(size / 1e6 / max(cpu, 1e-9), 2)}
            rows.append(row)
            print(f"{row['corpus']:<22} {str(jobs or '-'):>4} {count:>6} {row['mb']:>6} {wall:>8.2f} "
                  f"{row['mb_per_s']:>6} {row['docs_per_s']:>7} {row['peak_rss_mb']:>8} {code:>4} "
                  f"{row['cpu_seconds']:>7} {row['mb_per_cpu_s']:>8}", flush=True)
    figures["runs"] = rows

    if args.stages:
        directory, _, size = corpus_dir(args.cache, args.stages, args.mode, args.stages_single)
        output = subprocess.run(PYTHON + ["-c", STAGES, str(directory)], env=env, capture_output=True,
                                text=True, timeout=args.timeout, cwd=tempfile.gettempdir())
        if output.returncode == 0:
            stages = json.loads(output.stdout.strip().splitlines()[-1])
            floor = stages["floor"]
            figures["stages"] = {"corpus": directory.name, "seconds": stages}
            print(f"\nper stage on {directory.name} (in process; floor = NFKC + OpenCC t2s + one numeric regex)")
            for name, seconds in sorted(stages.items(), key=lambda item: -item[1]):
                if seconds < 0.01:
                    continue
                print(f"  {name:<40} {seconds:8.2f} s  {seconds / floor:6.1f}× floor "
                      f"{size / 1e6 / seconds:8.1f} MB/s")
        else:
            print(output.stderr[-2000:], file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")


if __name__ == "__main__":
    main()
