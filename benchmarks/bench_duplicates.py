"""Benchmark: repeated-passage detection at corpus scale.

Generates N documents from the seeds (paragraphs shuffled, about half of the
numbers changed, some sentences dropped, and a paragraph of another document
pasted into one document in ten), then times normalization and
`find_repeated_passages` and reports documents per second and peak memory.
Each size runs in a fresh process so that peak memory is its own.

    python benchmarks/bench_duplicates.py [--sizes 1000 10000] [--seed 7]

Not collected by pytest.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NUMBER = re.compile(r"\d+")


def generate(count: int, seed: int) -> list[tuple[str, str]]:
    """`count` (path, text) pairs derived from the seed texts."""
    rng = random.Random(seed)
    bases = [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]
    paragraphs = [[line for line in text.split("\n") if line.strip()] for text in bases]
    documents = []
    for index in range(count):
        lines = list(paragraphs[index % len(paragraphs)])
        rng.shuffle(lines)
        lines = [_vary(line, rng) for line in lines if rng.random() > 0.1]
        if rng.random() < 0.1:
            donor = paragraphs[rng.randrange(len(paragraphs))]
            lines.insert(rng.randrange(len(lines) + 1), rng.choice(donor))
        documents.append((f"generated/{index:06d}.txt", "\n".join(lines)))
    return documents


def _vary(line: str, rng: random.Random) -> str:
    def change(match):
        return str(rng.randrange(1, 10 ** len(match.group()))) if rng.random() < 0.5 else match.group()
    return NUMBER.sub(change, line)


def measure(count: int, seed: int) -> dict:
    """Time normalization and repeated-passage detection for one size."""
    sys.path.insert(0, str(ROOT))
    from auditor.config import Settings
    from auditor.duplicates import find_repeated_passages
    from auditor.evidence import SourceText
    from auditor.ingest import Document

    documents = generate(count, seed)
    characters = sum(len(text) for _, text in documents)
    started = time.perf_counter()
    sources = [SourceText.of(Document(path, text, "utf-8")) for path, text in documents]
    normalized = time.perf_counter()
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    findings = find_repeated_passages(sources, Settings())
    finished = time.perf_counter()
    return {
        "documents": count,
        "characters": characters,
        "normalize_seconds": round(normalized - started, 2),
        "duplicates_seconds": round(finished - normalized, 2),
        "total_seconds": round(finished - started, 2),
        "documents_per_second": round(count / (finished - started), 1),
        "findings": len(findings),
        "evidence_spans": sum(len(f.evidence) for f in findings),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        # Growth of the peak during find_repeated_passages alone (texts and
        # offset maps of the normalized documents are already in memory).
        "duplicates_rss_mb": round((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - rss_before) / 1024, 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # child process: one size
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one, args.seed)))
        return 0
    results = []
    for size in args.sizes:
        output = subprocess.run([sys.executable, __file__, "--one", str(size), "--seed", str(args.seed)],
                                check=True, capture_output=True, text=True).stdout
        result = json.loads(output)
        results.append(result)
        print(f"N={result['documents']:>6}  {result['characters']:>11,} chars  "
              f"normalize {result['normalize_seconds']:>7.2f}s  duplicates {result['duplicates_seconds']:>7.2f}s  "
              f"{result['documents_per_second']:>7.1f} docs/s  peak RSS {result['peak_rss_mb']:>7.1f} MB "
              f"(+{result['duplicates_rss_mb']:.1f} MB in duplicates)  "
              f"findings {result['findings']} ({result['evidence_spans']} spans)", flush=True)
    for smaller, larger in zip(results, results[1:]):
        factor = larger["documents"] / smaller["documents"]
        print(f"growth N {smaller['documents']} → {larger['documents']} (×{factor:g}): "
              f"total ×{larger['total_seconds'] / smaller['total_seconds']:.2f}, "
              f"duplicates ×{larger['duplicates_seconds'] / max(smaller['duplicates_seconds'], 0.01):.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
