"""Linear time and bounded output on hostile inputs (issue 11), measured by
counts, never by the clock: the work an audit does (Python-level calls,
counted with a profile hook, plus the characters its patterns scan) at
four times the size is at most about four times the work, and a fact
stated with many values is one finding.

Regex-internal backtracking is not seen by the call count; the same
cases are timed at ×10 in benchmarks/bench_adversarial.py.
"""

from __future__ import annotations

import random
import sys
from decimal import Decimal

import pytest

from auditor.checks.numeric import count_interval
from auditor.checks.restatement import MAX_EVIDENCE, Statement, _facts
from auditor.checks.scope import times_compatible
from auditor.config import Settings
from auditor.ingest import Document
from auditor.pipeline import audit_documents, audit_text
from auditor.quantities import Quantity

# Four times the input may cost at most this many times the work (linear
# is 4, plus fixed costs and logarithms; quadratic would be 16).
GROWTH_LIMIT = 6


class _Scanned:
    """A compiled pattern that counts the characters each call scans: the
    whole region for finditer/findall/sub/split, up to the match for
    search, the match for match/fullmatch. Rescanning a sentence per claim
    shows here even though it makes no Python call."""

    def __init__(self, pattern, tally):
        self._pattern, self._tally = pattern, tally

    def __getattr__(self, name):
        return getattr(self._pattern, name)

    def _region(self, string, pos=None, endpos=None):
        start = pos or 0
        end = len(string) if endpos is None else min(endpos, len(string))
        return start, end

    def search(self, string, *args, **kwargs):
        found = self._pattern.search(string, *args, **kwargs)
        start, end = self._region(string, *args[:2], **{k: v for k, v in kwargs.items() if k in ("pos", "endpos")})
        self._tally[0] += (found.end() if found else end) - start
        return found

    def _matched(self, method, string, *args, **kwargs):
        found = getattr(self._pattern, method)(string, *args, **kwargs)
        self._tally[0] += 1 + (found.end() - found.start() if found else 0)
        return found

    def match(self, string, *args, **kwargs):
        return self._matched("match", string, *args, **kwargs)

    def fullmatch(self, string, *args, **kwargs):
        return self._matched("fullmatch", string, *args, **kwargs)

    def _whole(self, method, string, *args, **kwargs):
        start, end = self._region(string, *args[:2], **{k: v for k, v in kwargs.items() if k in ("pos", "endpos")})
        self._tally[0] += max(0, end - start)
        return getattr(self._pattern, method)(string, *args, **kwargs)

    def finditer(self, string, *args, **kwargs):
        return self._whole("finditer", string, *args, **kwargs)

    def findall(self, string, *args, **kwargs):
        return self._whole("findall", string, *args, **kwargs)

    def split(self, string, *args, **kwargs):
        self._tally[0] += len(string)
        return self._pattern.split(string, *args, **kwargs)

    def sub(self, repl, string, *args, **kwargs):
        self._tally[0] += len(string)
        return self._pattern.sub(repl, string, *args, **kwargs)


@pytest.fixture
def work(monkeypatch):
    """work(function, *args): Python calls made plus characters scanned by
    the patterns of the auditor modules (and by module-level regex calls)."""
    import re

    import regex

    tally = [0]
    pattern_types = (type(regex.compile("")), type(re.compile("")))
    for name, module in list(sys.modules.items()):
        if name == "auditor" or name.startswith("auditor."):
            for attribute, value in list(vars(module).items()):
                if isinstance(value, pattern_types):
                    monkeypatch.setattr(module, attribute, _Scanned(value, tally))
    for function in ("search", "match", "fullmatch", "finditer", "findall", "sub", "split"):
        original = getattr(regex, function)

        def counted(pattern, *args, _original=original, _function=function, **kwargs):
            string = args[1] if _function == "sub" else args[0]
            tally[0] += len(string) if isinstance(string, str) else 0
            return _original(pattern, *args, **kwargs)

        monkeypatch.setattr(regex, function, counted)

    def measure(function, *args) -> int:
        calls = 0

        def count(frame, event, arg):
            nonlocal calls
            if event in ("call", "c_call"):
                calls += 1

        before = tally[0]
        sys.setprofile(count)
        try:
            function(*args)
        finally:
            sys.setprofile(None)
        return calls + tally[0] - before

    return measure


def repeated_sentences(n: int) -> str:
    rng = random.Random(n)
    return "".join(f"2019年全县共有贫困户{rng.randint(1000, 9999)}户。" for _ in range(n))


def one_sentence_list(n: int) -> str:
    return "，".join(f"{i % 999}户" for i in range(n))


def share_threes(n: int) -> str:
    return "占比0." + "3" * n


def nines(n: int) -> str:
    return "九" * n


CASES = {
    "repeated_sentences": (repeated_sentences, 100),
    "one_sentence_list": (one_sentence_list, 400),
    "share_threes": (share_threes, 3000),
    "nines": (nines, 3000),
}
SETTINGS = Settings(reports=False)


def _audit(text: str):
    return audit_text(text, SETTINGS)


@pytest.mark.parametrize("case", sorted(CASES))
def test_work_grows_linearly_with_the_input(case, work):
    make, n = CASES[case]
    _audit(make(10))  # load rules, patterns and caches first
    small, large = work(_audit, make(n)), work(_audit, make(4 * n))
    assert large <= GROWTH_LIMIT * small, f"{case}: work {small} → {large} for 4× the input"


def test_many_small_files_about_one_place_grow_linearly(work):
    def documents(count):
        rng = random.Random(count)
        return [Document(f"{i:05d}.txt", f"甲乙县2019年建档立卡贫困户共有{rng.randint(1000, 9999)}户。", "utf-8")
                for i in range(count)]

    def audit(docs):
        return audit_documents(docs, SETTINGS, jobs=1)

    audit(documents(3))
    small, large = work(audit, documents(40)), work(audit, documents(160))
    assert large <= GROWTH_LIMIT * small, f"work {small} → {large} for 4× the documents"
    report = audit(documents(160))
    restated = [f for f in report.findings if f.rule == "RST01"]
    assert len(restated) == 1 and len(restated[0].evidence) == MAX_EVIDENCE


def report_paragraphs(n: int) -> str:
    """A long report of varied paragraphs: 其中 groups, shares, counted lists,
    growth rates, headings, so that every check has work on one document."""
    rng = random.Random(n)
    paragraphs = []
    for index in range(n):
        whole = rng.randint(2000, 9000)
        part = rng.randint(100, whole // 2)
        count = rng.choice("三四五")
        paragraphs.append(
            f"{index + 1}、第{index + 1}片区{2015 + index % 8}年共有贫困户{whole}户，其中已脱贫{part}户、"
            f"未脱贫{whole - part}户，脱贫率{100 * part / whole:.1f}%。全年实现生产总值{rng.randint(50, 99)}亿元，"
            f"增长{rng.randint(2, 9)}.{rng.randint(0, 9)}%，第一产业占比{rng.randint(10, 30)}%。"
            f"建设{rng.randint(2, 9)}个园区，打造{rng.randint(2, 9)}个基地，培育{rng.randint(2, 9)}个品牌的“{count}个一批”。"
            f"重点抓好{count}项工作：道路、饮水、住房。\n")
    return "".join(paragraphs)


def test_work_on_one_long_report_grows_linearly(work):
    """One document four times longer is at most about four times the work
    (per-group scans of every statement, or rescans of the text before each
    match, would make it grow with the square)."""
    _audit(report_paragraphs(5))
    small, large = work(_audit, report_paragraphs(60)), work(_audit, report_paragraphs(240))
    assert large <= GROWTH_LIMIT * small, f"work {small} → {large} for a 4× longer document"


def test_a_fact_stated_with_many_values_is_one_finding():
    report = _audit(repeated_sentences(300))
    restated = [f for f in report.findings if f.rule == "RST01"]
    assert len(restated) == 1
    finding = restated[0]
    assert len(finding.evidence) == MAX_EVIDENCE
    assert "more values" in finding.message and len(finding.message) < 300
    assert finding.evidence[0].role == "statement"
    assert all(e.role == "restatement" for e in finding.evidence[1:])


def test_two_values_keep_the_two_value_message():
    report = _audit("全县精准识别建档立卡贫困户2150户。全县共有建档立卡贫困户2510户。")
    (finding,) = [f for f in report.findings if f.rule == "RST01"]
    assert finding.message.endswith("is stated as 2150户 and as 2510户")
    assert finding.computation == "2150户 allows 2149.5–2150.5; 2510户 = 2510 lies outside"


def test_three_values_of_one_fact_are_listed_in_one_finding():
    text = "全县共有建档立卡贫困户2150户。全县共有建档立卡贫困户2510户。全县共有建档立卡贫困户3100户。"
    (finding,) = [f for f in _audit(text).findings if f.rule == "RST01"]
    assert "2150户 and as 2510户 and as 3100户" in finding.message
    assert [e.text for e in finding.evidence] == ["2150户", "2510户", "3100户"]


# The pairwise rule the grouped search must agree with: the statements in
# conflict with at least one other are exactly the statements of the facts.
def _conflict(a: Statement, b: Statement) -> bool:
    if a.digest == b.digest or not times_compatible(a.time, b.time) or not (a.marked or b.marked):
        return False
    if a.order[0] != b.order[0] and not (a.time and a.time == b.time and a.time[:1].isdigit()):
        return False
    if count_interval(a.quantity).meets(count_interval(b.quantity)):
        return False
    if not (a.marked and b.marked):
        total, other = (a, b) if a.marked else (b, a)
        return other.quantity.value > total.quantity.value
    return True


def _statement(rng: random.Random, index: int) -> Statement:
    document, sentence = rng.randrange(3), rng.randrange(4)
    value = rng.choice([100, 101, 150, 200, 1000, 10000, 12000, 80000])
    if rng.random() < 0.3:
        quantity = Quantity(f"{value // 10000 or 1}万", index, index + 2, Decimal(value), "户", "exact",
                            Decimal(value), Decimal(value), Decimal(10000))
    elif rng.random() < 0.2:
        quantity = Quantity(f"近{value}", index, index + 2, Decimal(value), "户", "approx",
                            Decimal(value) * Decimal("0.9"), Decimal(value), Decimal(1))
    else:
        quantity = Quantity(str(value), index, index + 2, Decimal(value), "户", "exact",
                            Decimal(value), Decimal(value), Decimal(1))
    digest = bytes([document, sentence]) if rng.random() < 0.8 else bytes([9, sentence])  # copied sentences
    return Statement(order=(document, index), sentence=(document, sentence), digest=digest,
                     time=rng.choice(["", "", "2019年", "2020年", "今年"]), place="甲县", thing="贫困户",
                     marked=rng.random() < 0.5, quantity=quantity)


def test_grouped_search_finds_exactly_the_statements_in_some_conflicting_pair():
    rng = random.Random(11)
    for trial in range(400):
        entries = sorted((_statement(rng, i) for i in range(rng.randrange(2, 12))), key=lambda e: e.order)
        expected = {i for i, a in enumerate(entries) for j, b in enumerate(entries) if i != j and _conflict(a, b)}
        found = {i for fact in _facts(entries) for i in fact}
        assert found == expected, trial


def test_a_zero_width_space_inside_a_number_is_removed_and_the_quote_keeps_it():
    from auditor.claims import analyze

    analyzed = analyze(Document("t.txt", "全县共有1\u200b000户贫困户，\u202a2\u200d500\u202c人。", "utf-8"))
    values = [claim.quantity.value for claim in analyzed.claims]
    assert values == [1000, 2500]
    evidence = analyzed.source.evidence(analyzed.claims[0].start, analyzed.claims[0].end)
    assert evidence.text == "1\u200b000户"


def test_offset_map_is_change_points_not_per_character():
    from auditor.normalize import normalize

    # One character for one (full width, Traditional script): one segment.
    assert normalize("全縣共有３０４３戶，网络覆盖。\n" * 2000).offsets.__sizeof__() < 1000
    # One annotation removed per line: two segments a line, not 16 bytes a character.
    text = "全縣共有３０４３戶，網(wǎng)络覆盖。\n" * 2000
    result = normalize(text)
    assert result.offsets.__sizeof__() < 4 * len(result.text)
    assert len(result.offsets.starts) == len(result.text) == len(result.offsets.ends)
    assert result.offsets.to_original(0, 4) == (0, 4)


def test_nfkc_candidates_cover_every_character_nfkc_may_change():
    import unicodedata

    from auditor.normalize import NFKC_CANDIDATES

    missing = []
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        if (unicodedata.combining(char) or unicodedata.normalize("NFKC", char) != char) \
                and not NFKC_CANDIDATES.match(char):
            missing.append(code)
    assert not missing, [hex(c) for c in missing[:10]]
