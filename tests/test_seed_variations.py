"""Variations of the seeds the tool has never seen, built programmatically.

Consistent variations (numbers changed so every relation still holds,
shuffled, deleted or copied paragraphs, other connectors, the other script,
full-width digits, pinyin annotations, hard-wrapped lines, two seeds in one
file) must raise no relation warning the unmodified seed does not raise.

Inconsistent variations (each number of each verified relation changed in
several ways; contradictions planted in new sentences) must raise a warning or
error whose evidence covers the changed characters.  A mutation that keeps
every relation it takes part in true within the stated precision is skipped;
`SKIPPED` lists them with the reason.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

import pytest

from auditor.config import Settings
from auditor.ingest import Document
from auditor.normalize import normalize
from auditor.pipeline import audit_documents

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
RELATION_KINDS = {"sum", "share", "subset", "enumeration", "restatement", "rate", "per_unit", "range"}
LOUD = ("warning", "error")
SETTINGS = Settings(reports=False)


def seed_text(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).read_text(encoding="utf-8")


def seed_name(prefix: str) -> str:
    return next(SEEDS.glob(f"{prefix}_*.txt")).name


PREFIXES = sorted(p.name[:3] for p in SEEDS.glob("*.txt"))


@lru_cache(maxsize=1)
def _ruleset():
    from auditor.ruleset import load_ruleset
    return load_ruleset(SETTINGS)


@lru_cache(maxsize=None)
def audit_files(files: tuple[tuple[str, str], ...]):
    """Audit (name, text) pairs together; cached, texts are immutable."""
    return audit_documents([Document(name, text, "utf-8") for name, text in files], SETTINGS,
                           ruleset=_ruleset())


def audit(text: str, name: str = "seed.txt"):
    return audit_files(((name, text),))


def _canonical(text: str) -> str:
    return re.sub(r"\s+", "", normalize(text).text)


def loud_relations(report) -> set:
    """Warnings and errors of the relation kinds, keyed independently of script and layout."""
    return {(f.rule, frozenset(_canonical(e.text) for e in f.evidence))
            for f in report.findings if f.severity in LOUD and f.kind in RELATION_KINDS}


def describe(report, keys) -> list:
    return [(f.rule, f.message, f.computation) for f in report.findings
            if f.severity in LOUD and (f.rule, frozenset(_canonical(e.text) for e in f.evidence)) in keys]


def baseline(*prefixes: str) -> set:
    out = set()
    for prefix in prefixes:
        out |= loud_relations(audit(seed_text(prefix), seed_name(prefix)))
    return out


# --------------------------------------------------------------------------
# Consistent variations
# --------------------------------------------------------------------------

def replace_all(text: str, pairs) -> str:
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new)
    return text


NUMBER_CHANGES = {
    # 80 + 61 = 141 everywhere the parts are named.
    "001:82/59→80/61": ("001", [("82个", "80个"), ("59个", "61个")]),
    # 246 / 308 = 79.87% ≈ 80%.
    "003:247→246": ("003", [("247个", "246个")]),
    # 105000 / 152157 = 69.007% ≈ 69.01%.
    "003:10.4923万→10.5万": ("003", [("10.4923万人,占年度任务的68.96%", "10.5万人,占年度任务的69.01%")]),
    # 8 + 4 = 12 乡(镇).
    "000:7镇5乡→8镇4乡": ("000", [("轄7鎮(zhèn)5鄉(xiāng)", "轄8鎮(zhèn)4鄉(xiāng)")]),
    # the restated 3043户 changed in both places; 10493 / 3044 = 3.45 人/户.
    "000:3043→3044 twice": ("000", [("3043戶", "3044戶")]),
    # (10493 − 9410) × 15.6% / 10493 = 1.610% ≈ 1.61%; 9410 / 2716 = 3.46.
    "000:9428→9410,1.58%→1.61%": ("000", [("9428人", "9410人"), ("降至1.58%", "降至1.61%")]),
    # every share still rounds to its stated value.
    "003:parts within precision": ("003", [("302个贫困村", "301个贫困村"), ("229个", "228个"),
                                           ("241个", "240个"), ("284个", "283个"), ("49532户", "49500户")]),
    # a 其中 part still below its whole.
    "003:22.48亿→50.48亿": ("003", [("22.48亿元", "50.48亿元")]),
}


def _paragraphs(text: str) -> list[str]:
    return text.split("\n")


def _marker_paragraphs(text: str) -> set[int]:
    """Paragraphs holding a verified marker sequence (一要…八要): their order is
    part of what the text says, so shuffling or dropping them is no consistent change."""
    starts = [e.start for v in audit(text).verified if v.rule.startswith("EN02") for e in v.evidence]
    return {text.count("\n", 0, start) for start in starts}


def shuffled(text: str, seed: int) -> str:
    paragraphs = _paragraphs(text)
    pinned = _marker_paragraphs(text)
    movable = [p for i, p in enumerate(paragraphs) if i not in pinned]
    random.Random(seed).shuffle(movable)
    moved = iter(movable)
    return "\n".join(p if i in pinned else next(moved) for i, p in enumerate(paragraphs))


def without_paragraphs(text: str, seed: int, count: int = 2) -> str:
    paragraphs = _paragraphs(text)
    pinned = _marker_paragraphs(text)
    rich = [i for i, p in enumerate(paragraphs) if re.search(r"\d", p) and len(p) > 40 and i not in pinned]
    dropped = set(random.Random(seed).sample(rich, min(count, len(rich))))
    return "\n".join(p for i, p in enumerate(paragraphs) if i not in dropped)


CONNECTORS = [("其中", "包括"), ("占比", "比例为"), ("共有", "共计")]


def reconnected(text: str) -> str:
    for old, new in CONNECTORS:
        text = text.replace(old, new)
    return text


def other_script(text: str) -> str:
    import opencc
    traditional = sum(ch in "縣鄉鎮貧萬戶這個國" for ch in text)
    simplified = sum(ch in "县乡镇贫万户这个国" for ch in text)
    return opencc.OpenCC("t2s" if traditional > simplified else "s2t").convert(text)


def full_width_digits(text: str) -> str:
    return text.translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789%"})


HAN = re.compile(r"[\u4e00-\u9fff]")
SYLLABLES = ["wàn", "zhèn", "xiāng", "hù", "rén", "cūn", "gè", "lǜ", "shì", "xiàn"]


def with_pinyin(text: str, seed: int, share: float = 0.15) -> str:
    """`網(wǎng)`: a converter's pinyin after some Han characters (readings made up)."""
    rng = random.Random(seed)
    out = []
    for index, ch in enumerate(text):
        out.append(ch)
        following = text[index + 1:index + 2]
        if HAN.match(ch) and following != "(" and rng.random() < share:
            out.append("(" + rng.choice(SYLLABLES) + (" )" if rng.random() < 0.1 else ")"))
    return "".join(out)


def hard_wrapped(text: str, width: int = 30) -> str:
    """Break lines after `width` characters, only between two Han characters."""
    lines = []
    for line in text.split("\n"):
        current = ""
        for index, ch in enumerate(line):
            current += ch
            following = line[index + 1:index + 2]
            if len(current) >= width and HAN.match(ch) and following and HAN.match(following):
                lines.append(current)
                current = ""
        lines.append(current)
    return "\n".join(lines)


ONE_PLACE_PER_FILE = (
    "claims.place_of takes a place only from the claim's own sentence, else the file's one main_place; "
    "a file about two places (or a paragraph naming another county once) gets one place for all "
    "claims, and claims without a year match any year, so 141 vs 145 行政村 etc. become restatements")
KNOWN_FALSE_ALARMS = {
    key: pytest.mark.xfail(strict=True, reason=ONE_PLACE_PER_FILE)
    for key in ("copy:001→000",)
}


def _consistent_cases():
    cases = []
    for label, (prefix, pairs) in NUMBER_CHANGES.items():
        cases.append(pytest.param([prefix], lambda t, p=pairs: [replace_all(t[0], p)], id=label))
    transforms = {
        "shuffle": lambda t, s: shuffled(t, s),
        "drop-paragraphs": lambda t, s: without_paragraphs(t, s),
        "connectors": lambda t, s: reconnected(t),
        "script": lambda t, s: other_script(t),
        "fullwidth": lambda t, s: full_width_digits(t),
        "pinyin": lambda t, s: with_pinyin(t, s),
        "wrap30": lambda t, s: hard_wrapped(t),
    }
    for prefix in PREFIXES:
        for label, transform in transforms.items():
            for seed in ((1, 2, 3) if label in ("shuffle", "drop-paragraphs", "pinyin") else (0,)):
                cases.append(pytest.param([prefix], lambda t, f=transform, s=seed: [f(t[0], s)],
                                          id=f"{prefix}:{label}:{seed}"))
    for first, second in (("000", "001"), ("001", "003"), ("003", "004"), ("000", "003"), ("001", "004")):
        cases.append(pytest.param([first, second], lambda t: ["\n".join(t)], id=f"concat:{first}+{second}",
                                  marks=KNOWN_FALSE_ALARMS.get(f"concat:{first}+{second}", ())))
    for source, target in (("001", "000"), ("003", "001"), ("000", "003"), ("000", "004")):
        cases.append(pytest.param([source, target], lambda t, s=source: _copied_paragraph(t, s),
                                  id=f"copy-paragraph:{source}→{target}",
                                  marks=KNOWN_FALSE_ALARMS.get(f"copy:{source}→{target}", ())))
    return cases


def _copied_paragraph(texts: list[str], source: str) -> list[str]:
    """Both files, the second with a numeric paragraph of the first appended."""
    paragraphs = [p for p in _paragraphs(texts[0]) if len(re.findall(r"\d+", p)) >= 3]
    chosen = random.Random(source).choice(paragraphs)
    return [texts[0], texts[1] + "\n" + chosen + "\n"]


@pytest.mark.parametrize("prefixes,variation", _consistent_cases())
def test_consistent_variation_raises_no_new_relation_alarm(prefixes, variation):
    texts = variation([seed_text(p) for p in prefixes])
    names = [f"{p}_variation.txt" for p in prefixes[:len(texts)]]
    report = audit_files(tuple(zip(names, texts)))
    new = loud_relations(report) - baseline(*prefixes)
    assert not new, describe(report, new)


def test_consistent_number_changes_are_still_verified():
    text = replace_all(seed_text("001"), NUMBER_CHANGES["001:82/59→80/61"][1])
    assert any("80 + 61 = 141 ✓" in v.computation for v in audit(text).verified)
    text = replace_all(seed_text("000"), NUMBER_CHANGES["000:7镇5乡→8镇4乡"][1])
    assert any("8 + 4 = 12 ✓" in v.computation for v in audit(text).verified)


# --------------------------------------------------------------------------
# Inconsistent variations: every number of every verified relation, changed
# --------------------------------------------------------------------------

CHINESE = "一二三四五六七八九十"
DIGITS = re.compile(r"[0-9]+(?:\.[0-9]+)?")
MAGNITUDE = {"万": 10 ** 4, "萬": 10 ** 4, "亿": 10 ** 8, "億": 10 ** 8}


@dataclass(frozen=True)
class Figure:
    """A number as written in the text: where, its value and its half-step."""
    start: int
    end: int
    value: Fraction
    half_step: Fraction
    decimals: int = 0

    def low_high(self, value: Fraction | None = None) -> tuple[Fraction, Fraction]:
        value = self.value if value is None else value
        return value - self.half_step, value + self.half_step


def read_figure(text: str, start: int, end: int) -> Figure | None:
    """The first number in text[start:end], with the magnitude written after it."""
    match = DIGITS.search(text, start, end)
    if match:
        digits = match.group()
        decimals = len(digits.split(".")[1]) if "." in digits else 0
        tail = normalize(text[match.end():end]).text
        scale = MAGNITUDE.get(tail[:1], 1)
        step = Fraction(scale, 10 ** decimals)
        # whole counts are exact (numeric.count_interval); percentages and magnitudes keep their precision
        half = step / 2 if tail[:1] == "%" or step > 1 else Fraction(0)
        return Figure(match.start(), match.end(), Fraction(digits) * scale, half, decimals)
    for index in range(start, end):
        if text[index] in CHINESE + "两兩":
            value = 2 if text[index] in "两兩" else CHINESE.index(text[index]) + 1
            return Figure(index, index + 1, Fraction(value), Fraction(0))
    return None


def digit_mutations(written: str) -> list[tuple[str, str]]:
    """(how, new text) for a number written in digits."""
    out = []
    digits = [i for i, ch in enumerate(written) if ch.isdigit()]
    last = digits[-1]
    d = int(written[last])
    for step, how in ((1, "last+1"), (-1, "last-1")):
        if 0 <= d + step <= 9:
            out.append((how, written[:last] + str(d + step) + written[last + 1:]))
    decimals = len(written.split(".")[1]) if "." in written else 0
    doubled = Fraction(written) * 2
    out.append(("x2", f"{float(doubled):.{decimals}f}" if decimals else str(doubled)))
    if len(digits) >= 3:
        middle = digits[len(digits) // 2]
        out.append(("middle", written[:middle] + str((int(written[middle]) + 5) % 10) + written[middle + 1:]))
    return [(how, new) for how, new in out if Fraction(new) != 0 and not (len(new) > 1 and new[0] == "0"
                                                                         and new[1] != ".")]


def chinese_mutations(written: str) -> list[tuple[str, str]]:
    value = 2 if written in "两兩" else CHINESE.index(written) + 1
    out = [("cn+1", CHINESE[value]) if value < 10 else None, ("cn x2", CHINESE[2 * value - 1]) if value <= 5 else None]
    return [m for m in out if m]


def _value(figure: Figure, changed: dict, key) -> Fraction:
    return changed.get(key, figure.value)


def relation_holds(verified, figures: dict, changed: dict) -> bool:
    """Whether a verified relation still holds with `changed` values, within
    the precision each figure is written with (intervals meet)."""
    roles = {}
    for evidence in verified.evidence:
        roles.setdefault(evidence.role, []).append((evidence.start, evidence.end))

    def interval(key):
        figure = figures[key]
        return figure.low_high(_value(figure, changed, key))

    def one(role):
        return roles[role][0]

    kind = verified.kind
    if kind == "sum":
        low = sum(interval(k)[0] for k in roles["part"])
        high = sum(interval(k)[1] for k in roles["part"])
        whole = interval(one("whole"))
        return low <= whole[1] and whole[0] <= high
    if kind == "restatement":
        a, b = interval(one("statement")), interval(one("restatement"))
        return a[0] <= b[1] and b[0] <= a[1]
    if kind == "subset":
        return interval(one("part"))[0] <= interval(one("whole"))[1]
    if kind == "enumeration":
        listed = int(re.match(r"(\d+) items", verified.computation).group(1))
        stated = _value(figures[one("count")], changed, one("count"))
        return stated >= listed if "before 等" in verified.computation else stated == listed
    if kind == "share":
        part, base, share = interval(one("part")), interval(one("base")), interval(one("share"))
        actual = (part[0] * 100 / base[1], part[1] * 100 / base[0])
        if actual[0] <= share[1] and share[0] <= actual[1]:
            return True
        digits = figures[one("share")].decimals
        middle = _value(figures[one("part")], changed, one("part")) * 100 / _value(
            figures[one("base")], changed, one("base"))
        # truncated shares are only an info finding (PRC01)
        return Fraction(int(middle * 10 ** digits), 10 ** digits) == _value(figures[one("share")], changed,
                                                                             one("share"))
    if kind == "rate":
        count, rate = interval(one("count")), interval(one("rate"))
        change, later = interval(one("change")), interval(one("later rate"))
        low = (count[0] - change[1]) * rate[0] / count[1]
        high = (count[1] - change[0]) * rate[1] / count[0]
        return low <= later[1] and later[0] <= high
    if kind == "per_unit":
        bounds = re.search(r"within ([\d.]+)–([\d.]+)", verified.computation)
        ratio = _value(figures[one("numerator")], changed, one("numerator")) / _value(
            figures[one("denominator")], changed, one("denominator"))
        return Fraction(bounds.group(1)) <= ratio <= Fraction(bounds.group(2))
    raise AssertionError(f"unknown relation kind {kind}")


SKIPPED: list[str] = []


@lru_cache(maxsize=1)
def _inconsistent_mutations():
    cases = []
    for prefix in PREFIXES:
        text = seed_text(prefix)
        # listings of agreement (restated) check nothing a mutation could break
        relations = [v for v in audit(text, seed_name(prefix)).verified if v.rule[:4] != "EN02" and v.kind != "restated"]
        figures = {}
        for verified in relations:
            for evidence in verified.evidence:
                if evidence.role == "items":
                    continue
                figure = read_figure(text, evidence.start, evidence.end)
                if figure:
                    figures[(evidence.start, evidence.end)] = figure
        for key, figure in sorted(figures.items()):
            written = text[figure.start:figure.end]
            mutations = digit_mutations(written) if written[0].isdigit() else chinese_mutations(written)
            involved = [v for v in relations if any((e.start, e.end) == key for e in v.evidence)]
            for how, new in mutations:
                scale = figure.value / (Fraction(written) if written[0].isdigit() else
                                        (2 if written in "两兩" else CHINESE.index(written) + 1))
                new_value = (Fraction(new) if new[0].isdigit() else CHINESE.index(new) + 1) * scale
                label = f"{prefix}:{written}@{figure.start}→{new}({how})"
                if all(relation_holds(v, figures, {key: new_value}) for v in involved):
                    SKIPPED.append(f"{label}: {', '.join(v.rule for v in involved)} still hold")
                    continue
                cases.append(pytest.param(prefix, figure.start, figure.end, new,
                                          id=f"{label}:{'+'.join(sorted({v.rule for v in involved}))}",
                                          marks=KNOWN_MISSES.get(label, ())))
    return tuple(cases)


KNOWN_MISSES: dict = {}


def _covering(report, start: int, end: int) -> list:
    return [f for f in report.findings if f.severity in LOUD
            and any(e.start < end and start < e.end for e in f.evidence)]


@pytest.mark.parametrize("prefix,start,end,new", _inconsistent_mutations())
def test_changed_number_of_a_verified_relation_is_caught(prefix, start, end, new):
    text = seed_text(prefix)
    mutated = text[:start] + new + text[end:]
    report = audit(mutated, seed_name(prefix))
    assert _covering(report, start, start + len(new)), \
        f"{text[start:end]}→{new}: {[(f.rule, f.message) for f in report.findings if f.severity in LOUD]}"


def test_mutations_cover_every_relation_kind():
    """The generator is no no-op: every kind of verified relation gets inconsistent mutations."""
    kinds = {case.id.rsplit(":", 1)[1][:3] for case in _inconsistent_mutations()}
    assert {"SUM", "SHR", "RST", "RAT", "PU0", "EN0"} <= kinds, kinds
    assert all("still hold" in reason for reason in SKIPPED) and len(SKIPPED) < len(_inconsistent_mutations())


# Contradictions planted in new or edited sentences: (seed, old, new, the text that must be covered).
PLANTED = {
    "001:another total of villages, mid-text": ("001", "并配备了合格村医。", "并配备了合格村医。全县共有151个行政村。", "151"),
    "001:another total of villages, at the end": ("001", "(作者:中共镇赉县委书记)",
                                                  "全县共有151个行政村。\n(作者:中共镇赉县委书记)", "151"),
    "001:poor villages restated as 85": ("001", "截至2018年底,82个", "截至2018年底,85个", "85"),
    "000:8.8万→9.8万": ("000", "總人口8.8萬人", "總人口9.8萬人", "9.8"),
    "000:households restated as 3034": ("000", "為15.6%。", "為15.6%。全縣建檔立卡貧困人口共3034戶。", "3034"),
    "002:four counties called 5县": ("002", "九龍、鄉城、稻城5縣", "九龍、稻城5縣", "5"),
    "003:其中 part above its whole": ("003", "22.48亿元", "122.48亿元", "122.48"),
    "003:包括 part above its whole": ("003", "102.41亿元,其中市、县财政投入22.48亿元",
                                     "102.41亿元,包括市、县财政投入122.48亿元", "122.48"),
    "003:another count of villages to exit": ("003", "年度计划退出的308个贫困村", "年度计划退出的318个贫困村", "318"),
    "004:people per household below 1": ("004", "17.87萬", "2.87萬", "2.87"),
}

KNOWN_PLANTED_MISSES: dict = {}


@pytest.mark.parametrize("label", [pytest.param(label, marks=KNOWN_PLANTED_MISSES.get(label, ()))
                                   for label in sorted(PLANTED)])
def test_planted_contradiction_is_caught(label):
    prefix, old, new, changed = PLANTED[label]
    text = seed_text(prefix)
    assert text.count(old) >= 1, old
    at = text.index(old)
    mutated = text[:at] + new + text[at + len(old):]
    start = mutated.index(changed, at)
    report = audit(mutated, seed_name(prefix))
    assert _covering(report, start, start + len(changed)), \
        [(f.rule, f.message) for f in report.findings if f.severity in LOUD]
