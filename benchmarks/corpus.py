"""A deterministic benchmark corpus made from the seed texts.

    python benchmarks/corpus.py OUT_DIR --mb 10 [--mode shuffled|varied] [--seed 7]
    python benchmarks/corpus.py OUT_DIR --mb 5 --single      # one 5 MB document

Two modes:
- `shuffled`: each document is one seed with its lines shuffled, about half
  of its numbers changed and one line in ten dropped (the corpus of issue 10);
- `varied` (less repetitive): each document mixes sentences drawn from every
  seed, renames its places with generated names, moves its years, changes
  most numbers and swaps a few Han characters in one sentence in three, so
  far fewer sentences repeat across documents.

The same arguments always give the same bytes. Not collected by pytest.
"""

from __future__ import annotations

import argparse
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NUMBER = re.compile(r"\d+")
YEAR = re.compile(r"(?:19|20)\d{2}(?=年)")
PLACE = re.compile(r"[\u4e00-\u9fff]{2}(?=[县市州区])")
SENTENCE = re.compile(r"[^。！？\n]+[。！？]?")


def seed_texts() -> list[str]:
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]


def _vary_numbers(line: str, rng: random.Random, share: float) -> str:
    def change(match):
        if YEAR.fullmatch(match.group()) or rng.random() >= share:
            return match.group()
        return str(rng.randrange(1, 10 ** len(match.group())))
    return NUMBER.sub(change, line)


def shuffled_document(index: int, rng: random.Random, bases: list[list[str]]) -> str:
    lines = list(bases[index % len(bases)])
    rng.shuffle(lines)
    return "\n".join(_vary_numbers(line, rng, 0.5) for line in lines if rng.random() > 0.1)


def varied_document(index: int, rng: random.Random, sentences: list[str], alphabet: str,
                    target_chars: int) -> str:
    names = {}

    def rename(match):
        stem = match.group()
        if stem not in names:
            names[stem] = "".join(rng.choice(alphabet) for _ in range(2))
        return names[stem]

    shift = rng.randrange(-6, 4)

    def move_year(match):
        return str(int(match.group()) + shift)

    paragraphs, size = [], 0
    while size < target_chars:
        paragraph = []
        for _ in range(rng.randrange(2, 7)):
            sentence = rng.choice(sentences)
            sentence = PLACE.sub(rename, sentence)
            sentence = YEAR.sub(move_year, sentence)
            sentence = _vary_numbers(sentence, rng, 0.8)
            if rng.random() < 0.33:
                chars = list(sentence)
                for _ in range(max(1, len(chars) // 20)):
                    position = rng.randrange(len(chars))
                    if "\u4e00" <= chars[position] <= "\u9fff":
                        chars[position] = rng.choice(alphabet)
                sentence = "".join(chars)
            paragraph.append(sentence)
        text = "".join(paragraph)
        paragraphs.append(text)
        size += len(text)
    return "\n\n".join(paragraphs)


def generate(target_bytes: int, mode: str = "shuffled", seed: int = 7, single: bool = False):
    """Yield (name, text) until about `target_bytes` of UTF-8 are produced."""
    rng = random.Random(seed)
    texts = seed_texts()
    bases = [[line for line in text.split("\n") if line.strip()] for text in texts]
    sentences = [s for text in texts for s in SENTENCE.findall(text) if len(s.strip()) > 4]
    alphabet = "".join(sorted({c for text in texts for c in text if "\u4e00" <= c <= "\u9fff"}))
    if single:
        pieces, size = [], 0
        index = 0
        while size < target_bytes:
            text = (shuffled_document(index, rng, bases) if mode == "shuffled"
                    else varied_document(index, rng, sentences, alphabet, 4000))
            pieces.append(text)
            size += len(text.encode("utf-8")) + 2
            index += 1
        yield "single.txt", "\n\n".join(pieces)
        return
    produced, index = 0, 0
    while produced < target_bytes:
        text = (shuffled_document(index, rng, bases) if mode == "shuffled"
                else varied_document(index, rng, sentences, alphabet, rng.randrange(2000, 8000)))
        yield f"{index // 1000:03d}/{index:06d}.txt", text
        produced += len(text.encode("utf-8"))
        index += 1


def write(out: Path, target_bytes: int, mode: str = "shuffled", seed: int = 7, single: bool = False) -> int:
    """Write the corpus under `out`; return the number of documents."""
    count = 0
    for name, text in generate(target_bytes, mode, seed, single):
        path = out / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        count += 1
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description="Write a deterministic benchmark corpus.")
    parser.add_argument("out", type=Path)
    parser.add_argument("--mb", type=float, default=1.0, help="size in MB (10^6 bytes of UTF-8)")
    parser.add_argument("--mode", choices=("shuffled", "varied"), default="shuffled")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--single", action="store_true", help="one document of that size")
    args = parser.parse_args()
    count = write(args.out, int(args.mb * 1_000_000), args.mode, args.seed, args.single)
    print(f"{count} documents in {args.out}")


if __name__ == "__main__":
    main()
