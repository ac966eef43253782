"""The `share` kind: a stated percentage against the counts it is a share of."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from fractions import Fraction

from .. import patterns
from ..claims import clause_lead
from .base import RuleKind, Span, fail, hold
from .numeric import Interval, count_interval, percent_digits, round_half_up, show, stated, truncate
from .scope import same_unit, times_compatible


@dataclass(frozen=True)
class ShareRelation:
    document: object
    percent: object   # Claim
    part: object      # Claim
    base: object      # Claim

    def spans(self) -> list[Span]:
        return [
            Span(self.document, self.part.start, self.part.end, "part"),
            Span(self.document, self.base.start, self.base.end, "base"),
            Span(self.document, self.percent.start, self.percent.end, "share"),
        ]

    def actual(self) -> Fraction:
        return Fraction(self.part.quantity.value) / Fraction(self.base.quantity.value) * 100

    def actual_interval(self) -> Interval:
        return (count_interval(self.part.quantity) / count_interval(self.base.quantity)).scale(Fraction(100))


DEFAULTS = {
    "share_pattern": r"(?:占比|比例|比重|占|(?:脱贫|完成|完工|达标|覆盖|入学|参保|参合|就业|普及|到位|执行|支出|使用|兑现|落实)率|进度)(?:为|达到|达|是)?$",
    "named_base_pattern": r"占(?P<base>[\p{Han}]{2,12}?)(?:总数|总量|总额)?的(?:比例|比重)?(?:为|达到|达)?$",
    "total_before_pattern": r"(?:计划|共有|共计|共|总计|合计|总|全部|年度|累计|全[县市州区省乡镇年])[\p{Han}]{0,6}$",
    "total_after_pattern": r"^[\p{Han}]{0,8}中",
    "synonyms": [["任务", "目标", "计划"]],
    "flow_pattern": r"(?:脱贫|减贫|退出|摘帽|新增|增加|减少|剩余|尚有|还有|仍有|未)",
}


MAX_NAMED_BASES = 64


def find_share_relations(document, params: dict) -> list[ShareRelation]:
    """Every (part, base, percentage) triple the text states (cached per
    document and parameters: SHR01 and PRC01 read the same relations)."""
    cache = document.__dict__.setdefault("_share_relations", {})
    key = repr(sorted(params.items()))
    if key not in cache:
        cache[key] = _share_relations(document, params)
    return cache[key]


def _share_relations(document, params: dict) -> list[ShareRelation]:
    text = document.text
    share = patterns.compiled(params["share_pattern"])
    named = patterns.compiled(params["named_base_pattern"])
    relations = []
    claims = document.claims
    for position, claim in enumerate(claims):
        if claim.quantity.unit != "%":
            continue
        lead = text[max(0, claim.start - 20):claim.start]
        named_match = named.search(lead, timeout=1)
        if not named_match and not share.search(lead, timeout=1):
            continue
        pairs = []
        subject = _subject_before(text, claim.start)
        for part in _parts_before(document, position):
            if subject and not _speaks_of(text, part, subject):
                continue  # `…861户，入股分红户占…`: the share is of another listed count
            if named_match:
                bases = _named_bases(document, part, named_match.group("base"), params)
            else:
                bases = [base for base in [_total_before(document, part, params)] if base is not None]
            bases = [base for base in bases if base.quantity.value > 0]  # a share of nothing is no relation
            if len({base.quantity.value for base in bases}) > 1:
                # Several counts fit the base's name: only one the share agrees with is taken.
                bases = [b for b in bases if classify(ShareRelation(document, claim, part, b))[0] == "holds"][:1]
            if bases:
                pairs.append(ShareRelation(document, claim, part, bases[0]))
        if pairs:
            # `1120户、3680人，占全县贫困户的17.9%`: the pair the base's name speaks of.
            named_unit = _unit_named(named_match.group("base")) if named_match else None
            preferred = [r for r in pairs if named_unit and r.part.unit == named_unit] or pairs
            relations.append(preferred[0])
    return relations


def _subject_before(text: str, position: int) -> str:
    """What a share is said of, between the clause start and 占
    (`入股分红户占带动户数的39.5%` → 入股分红户); empty for `…，占比80%`."""
    clause = clause_lead(text, max(0, position - 30), position)
    match = patterns.match(r"([\p{Han}]{2,10}?)占", clause)
    return match.group(1) if match else ""


def _speaks_of(text: str, part, subject: str) -> bool:
    """The part's own words share a two-character word with the subject."""
    around = text[max(0, part.start - 12):part.start] + part.thing
    return any(subject[i:i + 2] in around for i in range(len(subject) - 1))


def _unit_named(name: str) -> str | None:
    """The unit a base's name implies: 贫困户 → 户, 贫困人口 → 人."""
    if name.endswith("户") or name.endswith("户数"):
        return "户"
    if name.endswith("人口") or name.endswith("人数") or name.endswith("人"):
        return "人"
    return None


def _parts_before(document, position: int) -> list:
    """The counts the percentage may be a share of: the nearest count before
    it (same sentence, at most one clause back), then the counts listed with
    it (`1120户、3680人`), nearest first."""
    part = _part_before(document, position)
    if part is None:
        return []
    parts = [part]
    claims = document.claims
    index = part.index
    while index > 0 and claims[index - 1].sentence == part.sentence and claims[index - 1].is_count \
            and document.text[claims[index - 1].end:claims[index].start] in ("、", "和", "及", ","):
        index -= 1
        parts.append(claims[index])
    return parts


def _part_before(document, position: int):
    """The count the percentage is a share of: the nearest count before it
    in the same sentence, at most one clause back."""
    claims = document.claims
    percent = claims[position]
    for claim in (claims[index] for index in range(position - 1, -1, -1)):
        if claim.sentence != percent.sentence or percent.clause - claim.clause > 1:
            return None
        if claim.is_count:
            if claim.quantity.qualifier in ("over", "under") and document.text.startswith("的", claim.end):
                return None  # `收入50万元以上的村占比68%`: a threshold that picks the part, not the part
            return claim
    return None


def _total_before(document, part, params):
    """An earlier count in the sentence that is introduced as a total."""
    text = document.text
    before_pattern = patterns.compiled(params["total_before_pattern"])
    after_pattern = patterns.compiled(params["total_after_pattern"])
    claims = document.claims
    for claim in (claims[index] for index in range(part.index - 1, -1, -1)):
        if claim.sentence != part.sentence:
            break
        if not same_unit(claim, part):
            continue
        before = text[max(0, claim.start - 10):claim.start]
        after = text[claim.end:claim.end + 10]
        if before_pattern.search(before, timeout=1) or after_pattern.search(after, timeout=1):
            return claim
    return None


def _named_bases(document, part, name: str, params) -> list:
    """Counts elsewhere in the document stated next to the base's name."""
    keys = _name_keys(name, params["synonyms"])
    if not keys:
        return []
    text = document.text
    whole_place = name.startswith(("全县", "全市", "全州", "全区", "全省", "全旗"))
    found = []
    named, starts = _counts_named(document, keys, params["flow_pattern"])
    if len(named) > 4 * MAX_NAMED_BASES:  # a long text names its base everywhere: look near the part
        at = bisect.bisect_left(starts, part.start)
        named = named[max(0, at - 2 * MAX_NAMED_BASES):at + 2 * MAX_NAMED_BASES]
    for claim in named:
        if claim is part or not same_unit(claim, part) or not times_compatible(claim.time, part.time):
            continue
        if whole_place and claim.place != part.place:
            continue  # `占全县…的`: the county's figure, not a township's
        if claim.quantity.value == part.quantity.value:
            continue  # the part restated elsewhere is not its base
        if claim.sentence == part.sentence and "其中" in text[document.sentences[claim.sentence][0]:claim.start]:
            continue  # another part of the same 其中 list, not its base
        if claim.quantity.value > 0:  # a share of nothing is no relation
            found.append(claim)
    if len(found) > MAX_NAMED_BASES:  # a long text names its base everywhere: the nearest ones
        nearest = sorted(found, key=lambda b: abs(b.start - part.start))[:MAX_NAMED_BASES]
        found = sorted(nearest, key=lambda b: b.start)
    return found


# how far before a name's first word a count may start and still have the name in its window
_NAME_REACH = 100


def _counts_named(document, keys, flow_pattern: str) -> tuple[list, list[int]]:
    """The counts of a document whose window names every key, found from the
    places where the first key is written (cached per document and name),
    with their starts."""
    cache = document.__dict__.setdefault("_counts_named", {})
    cache_key = (tuple(tuple(k) for k in keys), flow_pattern)
    if cache_key in cache:
        return cache[cache_key]
    text = document.text
    flow = patterns.compiled(flow_pattern)
    claims, starts = document.claims, document.claim_starts
    candidates: set[int] = set()
    for key in keys[0]:
        position = text.find(key)
        while position != -1:
            low = bisect.bisect_left(starts, position - _NAME_REACH)
            high = bisect.bisect_right(starts, position + 12)
            candidates.update(range(low, high))
            position = text.find(key, position + 1)
    found = []
    for index in sorted(candidates):
        claim = claims[index]
        start, end = document.sentences[claim.sentence]
        lead = clause_lead(text, start, claim.start)
        if flow.search(lead, timeout=1):
            continue  # `累计脱贫12986人`, `剩余259人`: a flow or a rest, not the stock a share is of
        if "其中" in lead:
            continue  # a part of some other whole
        window_end = min(end, claim.end + 40)
        following = [c.start for c in document.by_sentence.get(claim.sentence, [])
                     if c.start > claim.end and same_unit(c, claim)]
        window_end = min([window_end] + following[:1])
        cut = text.find("其中", claim.end, window_end)
        # The name must describe this count, not a part or another count after it.
        window = text[max(start, claim.start - 12):cut if cut != -1 else window_end]
        if all(any(k in window for k in alternatives) for alternatives in keys):
            found.append(claim)
    cache[cache_key] = found, [c.start for c in found]
    return cache[cache_key]


def _name_keys(name: str, synonyms) -> list[list[str]]:
    """`年度任务` → [[年度], [任务, 目标, 计划]]: each part must appear."""
    name = patterns.sub(r"^(?:全[县市州区省]|本|该|当)", "", name)
    if len(name) < 2:
        return []
    head, tail = name[:2], name[-2:]
    keys = [[head]]
    if tail != head:
        alternatives = [tail]
        for group in synonyms:
            if tail in group:
                alternatives = list(group)
        keys.append(alternatives)
    return keys


def classify(relation: ShareRelation) -> tuple[str, Fraction, Fraction]:
    """'holds', 'truncated' or 'fails', with the ratio and the stated value."""
    actual_range = relation.actual_interval()
    stated_range = stated(relation.percent.quantity)
    stated_value = Fraction(relation.percent.quantity.value)
    actual = relation.actual()
    if actual_range.meets(stated_range):
        return "holds", actual, stated_value
    digits = percent_digits(relation.percent.quantity)
    if relation.percent.quantity.qualifier == "exact" and truncate(actual, digits) == stated_value:
        return "truncated", actual, stated_value
    return "fails", actual, stated_value


def computation(relation: ShareRelation, verdict: str, actual: Fraction, stated_value: Fraction) -> str:
    part = relation.part.quantity
    base = relation.base.quantity
    digits = percent_digits(relation.percent.quantity)
    shown = f"{show(part.value)} / {show(base.value)} = {show(actual, max(2, digits + 1))}%"
    written = relation.percent.quantity.number_text
    if not written or not written[:1].isdigit():
        written = show(stated_value, digits)  # 百分之七十四 → 74
    written = written if written.endswith("%") else f"{written}%"
    if verdict == "holds":
        return f"{shown} ≈ {written} ✓"
    rounded = show(round_half_up(actual, digits), digits)
    return f"{shown} ≠ {written} (rounds to {rounded}%)"


class ShareKind(RuleKind):
    """A stated percentage against the counts it is a share of.

    The part is the count just before the percentage; the base is a total
    stated earlier in the sentence (`计划…120个`, `3200户…中`) or named by
    the trigger (`占年度任务的64.3%`, with the total stated elsewhere).
    Tolerance is the percentage's own precision: 80% means [79.5, 80.5].

    **Anti-pattern**: 计划退出120个贫困村，已有96个有集体经济，占比85%。
    **Best practice**: 计划退出120个贫困村，已有96个有集体经济，占比80%。
    """

    name = "share"
    params = {
        "share_pattern": (str, DEFAULTS["share_pattern"]),
        "named_base_pattern": (str, DEFAULTS["named_base_pattern"]),
        "total_before_pattern": (str, DEFAULTS["total_before_pattern"]),
        "total_after_pattern": (str, DEFAULTS["total_after_pattern"]),
        "synonyms": (list, DEFAULTS["synonyms"]),
        "flow_pattern": (str, DEFAULTS["flow_pattern"]),
    }

    def evaluate(self, rule, documents):
        for document in documents:
            for relation in find_share_relations(document, rule.params):
                verdict, actual, stated_value = classify(relation)
                values = _values(relation, actual)
                if verdict == "holds":
                    yield hold(rule, values, computation(relation, verdict, actual, stated_value), relation.spans())
                elif verdict == "fails":
                    yield fail(rule, values, computation(relation, verdict, actual, stated_value), relation.spans())


def _values(relation: ShareRelation, actual: Fraction) -> dict:
    return {
        "part": relation.part.quantity.text, "base": relation.base.quantity.text,
        "share": relation.percent.quantity.text, "actual": show(actual, 2) + "%",
    }


RULE_KINDS = (ShareKind,)
