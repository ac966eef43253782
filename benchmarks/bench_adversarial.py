"""The hostile inputs of issue 11, at their size and scaled: exit code, wall
time, CPU time and peak RSS of a fresh `audit run FILE --no-reports -q`.

    python benchmarks/bench_adversarial.py [--scale 1 10] [--cases NAME ...] [--source TREE]
                                           [--timeout 600] [--memory-mb 4000]

Each run gets a memory limit (RLIMIT_AS) and a timeout so that a quadratic
older checkout cannot take the shared machine down; a run stopped by them
shows exit -9 (timeout) or the MemoryError exit it ends with. --source runs
another checkout (before/after with the same script). Not collected by pytest.
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def repeated_sentences(scale: int, out: Path) -> Path:
    """2,000 sentences of one fact with random values (76 kB)."""
    rng = random.Random(1)
    text = "".join(f"2019年全县共有贫困户{rng.randint(1000, 9999)}户。" for _ in range(2000 * scale))
    return _file(out, "repeated.txt", text)


def one_sentence_list(scale: int, out: Path) -> Path:
    """10,000 counts in one sentence (70 kB)."""
    return _file(out, "list.txt", "，".join(f"{i % 999}户" for i in range(10_000 * scale)))


def share_threes(scale: int, out: Path) -> Path:
    return _file(out, "threes.txt", "占比0." + "3" * (100_000 * scale))


def nines(scale: int, out: Path) -> Path:
    return _file(out, "nines.txt", "九" * (100_000 * scale))


def tiny_files(scale: int, out: Path) -> Path:
    """Tiny files about one county: 10,000 at scale 1 (the issue's 100,000 at 10)."""
    folder = out / "tiny"
    folder.mkdir()
    rng = random.Random(2)
    for index in range(10_000 * scale):
        sub = folder / f"{index // 1000:03d}"
        sub.mkdir(exist_ok=True)
        (sub / f"{index:06d}.txt").write_text(f"某某县2019年建档立卡贫困户共有{rng.randint(1000, 9999)}户。",
                                              encoding="utf-8")
    return folder


def large_text(scale: int, out: Path) -> Path:
    """2 MiB of report text at scale 1, 20 MiB (the default size limit) at 10."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import corpus

    name, text = next(corpus.generate(2 * 1024 * 1024 * scale - 4096, "varied", 5, single=True))
    return _file(out, "large.txt", text)


CASES = {"repeated_sentences": repeated_sentences, "one_sentence_list": one_sentence_list,
         "share_threes": share_threes, "nines": nines, "tiny_files": tiny_files, "large_text": large_text}


def _file(out: Path, name: str, text: str) -> Path:
    path = out / name
    path.write_text(text, encoding="utf-8")
    return path


def run(path: Path, source: Path, timeout: float, memory_mb: int) -> dict:
    env = dict(os.environ, PYTHONPATH=str(source.resolve()))
    # -P and a neutral cwd: `-m` would otherwise import the checkout in the
    # working directory before PYTHONPATH.
    command = [sys.executable] + (["-P"] if sys.version_info >= (3, 11) else []) + ["-m", "auditor.cli", "run", str(path), "--no-reports", "-q", "--fail-on", "never",
               "--max-bytes", str(10 ** 9)]

    def limit():
        resource.setrlimit(resource.RLIMIT_AS, (memory_mb * 1024 * 1024, memory_mb * 1024 * 1024))

    start = time.perf_counter()
    process = subprocess.Popen(command, env=env, cwd=tempfile.gettempdir(), stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, preexec_fn=limit)
    code = None
    while True:
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            code = os.waitstatus_to_exitcode(status)
            break
        if time.perf_counter() - start > timeout:
            process.kill()
            _, status, usage = os.wait4(process.pid, 0)
            code = -9
            break
        time.sleep(0.05)
    error = process.stderr.read().decode("utf-8", "replace").strip().splitlines()
    return {"exit": code, "seconds": round(time.perf_counter() - start, 2),
            "cpu_seconds": round(usage.ru_utime + usage.ru_stime, 2), "peak_rss_mb": round(usage.ru_maxrss / 1024),
            "stderr": error[-1][:120] if error else ""}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=int, nargs="*", default=[1, 10])
    parser.add_argument("--cases", nargs="*", default=sorted(CASES), choices=sorted(CASES))
    parser.add_argument("--source", type=Path, default=ROOT)
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--memory-mb", type=int, default=4000)
    args = parser.parse_args()
    print(f"{'case':<20} {'scale':>5} {'MB':>7} {'exit':>4} {'seconds':>8} {'CPU s':>7} {'peak MB':>8}  stderr")
    for case in args.cases:
        for scale in args.scale:
            out = Path(tempfile.mkdtemp(prefix="audit-hostile-"))
            try:
                path = CASES[case](scale, out)
                size = sum(p.stat().st_size for p in ([path] if path.is_file() else path.rglob("*.txt")))
                result = run(path, args.source, args.timeout, args.memory_mb)
            finally:
                shutil.rmtree(out, ignore_errors=True)
            print(f"{case:<20} {scale:>5} {size / 1e6:>7.2f} {result['exit']:>4} {result['seconds']:>8} "
                  f"{result['cpu_seconds']:>7} {result['peak_rss_mb']:>8}  {result['stderr']}", flush=True)


if __name__ == "__main__":
    main()
