"""Indicator statements: the numbers one sentence says of one indicator.

A bulletin writes `第一产业增加值3.8亿元，增长4%，占生产总值的比重为12.5%`:
one indicator with a value, a growth rate and a share of a whole it names.
A work report writes `从2015年底的6.2万人减少到2020年底的0.4万人`: one
indicator at two times. This stage groups the claims of each sentence into
such statements, between claims and the checks, so that every rule kind
reads the same structure instead of finding it again.

Each binding records how it was made: `marker` when a word of the text
binds the number (增长, 比上年增加, 占…的比重, 由…到), `position` when the
number only follows the indicator. The word lists are data
(`data/statements.yaml`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import regex

from . import patterns
from .claims import AnalyzedDocument, Claim
from .userfiles import load_yaml

WORDS_FILE = Path(__file__).with_name("data") / "statements.yaml"
PERCENT, POINTS = "%", "个百分点"
_PARENTHESES = patterns.compiled(r"\([^()]{0,20}\)")
_CLAUSE_MARK = patterns.compiled(r"[,;:。]")
_NAME_OPENING = patterns.compiled(r"^(?:[^\p{Han}A-Za-z]+|\d*年(?:底|末|初|度)?|\d+月(?:底|末)?)+")  # 2019年, 12月底, (一)
_SHORT_GAP = patterns.compiled(r"[^\p{Han}]*[\p{Han}()\d年月底末的 “”]{0,24}")  # a count after a statement binds to it


@dataclass
class Statement:
    """What one sentence says of one indicator. Roles hold claims; `signs`
    hold +1 or −1 for change-like roles (增加 / 减少); `bindings` say for
    each role whether a marker or the position bound it."""

    indicator: str
    sentence: int
    paragraph: int
    place: str
    time: str
    start: int
    value: Claim | None = None        # the level (or the `to` end of from → to)
    origin: Claim | None = None       # the `from` end of from → to
    change: Claim | None = None       # 比上年增加 D
    growth: Claim | None = None       # 增长 r%
    average: Claim | None = None      # 年均增长 r%
    share: Claim | None = None        # 占 W 的比重 s%
    share_whole: str = ""             # W, as written ('' when the whole is implied)
    share_change: Claim | None = None  # 比重比上年提高 p 个百分点
    points: Claim | None = None       # a percentage level's change in 个百分点
    pull: Claim | None = None         # 拉动 p 个百分点
    contribution: Claim | None = None  # 贡献率 c%
    basis_year: str = ""              # 比2010年增加: the year the change is measured from
    signs: dict[str, int] = field(default_factory=dict)
    bindings: dict[str, str] = field(default_factory=dict)

    @property
    def claims(self) -> list[tuple[str, Claim]]:
        roles = ("origin", "value", "change", "growth", "average", "share", "share_change", "points", "pull",
                 "contribution")
        return [(role, getattr(self, role)) for role in roles if getattr(self, role) is not None]

    def signed(self, role: str) -> int:
        return self.signs.get(role, 1)

    @property
    def has_real_growth(self) -> bool:
        """GDP and value added grow at comparable prices: their rates are no nominal ratios."""
        return any(word in self.indicator for word in _words()["real_growth_words"])

    @property
    def is_per_unit(self) -> bool:
        return is_per_unit(self.indicator)

    def record(self, source) -> dict:
        """A JSON-ready record, quoting the original text."""
        roles = {}
        for role, claim in self.claims:
            evidence = source.evidence(claim.start, claim.end)
            roles[role] = {"text": evidence.text, "line": evidence.line, "column": evidence.column,
                           "time": claim.time, "sign": self.signed(role), "binding": self.bindings.get(role, "")}
        return {"indicator": self.indicator, "place": self.place, "time": self.time,
                "share_whole": self.share_whole, "basis_year": self.basis_year,
                "sentence": self.sentence + 1, "roles": roles}


@lru_cache(maxsize=1)
def _words() -> dict:
    return load_yaml(WORDS_FILE.read_text(encoding="utf-8"))


def _alternation(words) -> str:
    return "|".join(regex.escape(word) for word in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _patterns() -> dict:
    words = _words()
    comparison = f"(?:{_alternation(words['comparisons'])}|{words['basis_year']})?"
    tails = f"(?:{_alternation(words['verb_tails'])})?"
    rises, falls = _alternation(words["rises"]), _alternation(words["falls"])
    verb = f"(?:(?P<rise>{rises})|(?P<fall>{falls}))"
    return {
        "growth": patterns.compiled(f"{comparison}{verb}{tails}$"),
        "growth_noun": patterns.compiled(
            f"(?:(?P<rise>{_alternation(words['growth_nouns'])})|(?P<fall>{_alternation(words['decline_nouns'])}))"
            f"(?:为|达|是)?$"),
        "level_rate": patterns.compiled(_alternation(words["level_rates"])),
        "average": patterns.compiled(
            f"(?:{_alternation(words['averages'])})(?:{_alternation(words['respectively'])})?{verb}{tails}$"),
        "change": patterns.compiled(f"{comparison}{verb}{tails}$"),
        "basis": patterns.compiled(words["basis_year"]),
        "share_of": patterns.compiled(words["share_of"]),
        "share_bare": patterns.compiled(words["share_bare"]),
        "pull": patterns.compiled(_alternation(words["pulls"])),
        "contribution": patterns.compiled(_alternation(words["contributions"])),
        "from": patterns.compiled(words["from"]),
        "to": patterns.compiled(f"{verb}?{words['to']}"),
        "leading": patterns.compiled(f"^(?:{_alternation(words['leading_words'])})+"),
        "trailing": patterns.compiled(f"(?:{_alternation(words['trailing_words'])})+$"),
        "inner": patterns.compiled(_alternation(words["inner_words"])),
        "comparison_word": patterns.compiled(_alternation(words["comparisons"])),
        "base": patterns.compiled(words["base"]),
        "respectively": patterns.compiled(_alternation(words["respectively"])),
        "respective_joint": patterns.compiled(f"(?:{_alternation(words['respective_joints'])})"),
        "other_indicator": patterns.compiled(f"[\\p{{Han}}]{{2,}}(?:{_alternation(words['indicator_nouns'])})"),
    }


def find_statements(document: AnalyzedDocument) -> list[Statement]:
    """The indicator statements of a document, in text order (cached on it)."""
    cached = getattr(document, "_statements", None)
    if cached is None:
        cached = []
        for sentence, claims in sorted(document.by_sentence.items()):
            cached.extend(_sentence_statements(document, sentence, claims))
        document._statements = cached
    return cached


class EndingIndex:
    """Statements found by how their indicator ends (`全年全县生产总值` by
    生产总值), without scanning them all: bucketed by the last two characters."""

    def __init__(self, statements: list[Statement]):
        self.statements = statements
        self.order = {id(s): index for index, s in enumerate(statements)}
        self.buckets: dict[str, list[Statement]] = {}
        for statement in statements:
            self.buckets.setdefault(statement.indicator[-2:], []).append(statement)
            self.buckets.setdefault(statement.indicator[-1:], []).append(statement)

    def ending_with(self, aliases) -> list[Statement]:
        """The statements whose indicator ends with one of `aliases`, in their order."""
        if any(not alias for alias in aliases):
            return list(self.statements)
        found = {id(s): s for alias in aliases for s in self.buckets.get(alias[-2:], ()) if s.indicator.endswith(alias)}
        return sorted(found.values(), key=lambda s: self.order[id(s)])


def is_change(text_before: str) -> bool:
    """Whether the words before a figure make it a change (比上年增加, 同比减收)
    or the base of one (比上年的58,936万元)."""
    patterns = _patterns()
    return patterns["change"].search(text_before) is not None or patterns["base"].search(text_before) is not None


def indicators_alike(a: str, b: str, min_shared: int | None = None) -> bool:
    """Whether two indicator names name one indicator: one ends with the other
    (地方公共财政预算收入, 公共财政预算收入), or, given `min_shared`, both end
    with the same `min_shared` characters or more (实际使用外资, 五年累计使用外资)."""
    if a.endswith(b) or b.endswith(a):
        return True
    if min_shared is None:
        return False
    shared = 0
    while shared < min(len(a), len(b)) and a[-1 - shared] == b[-1 - shared]:
        shared += 1
    return shared >= min_shared


def counted_name(document, statement: Statement) -> str:
    """What a statement's value counts: the noun right after it when the text
    names it there (`建成200个县域医疗次中心`), else the indicator."""
    claim = statement.value
    if claim is not None and len(claim.thing) >= 2 and (
            document.text.startswith(claim.thing, claim.end) or document.text.startswith(claim.thing[1:], claim.end)):
        return claim.thing
    return statement.indicator


def is_per_unit(phrase: str) -> bool:
    """Whether a phrase names a per-unit figure (人均, 户均): an average, never a total."""
    return any(word in phrase for word in _words()["per_unit_words"])


def indicator_name(lead: str) -> str:
    """`全年全县生产总值` → 生产总值…: the clause before a figure without the
    words that frame it (全年, 实现, 为) and without parentheses."""
    patterns = _patterns()
    name = _PARENTHESES.sub("", lead).strip(" \t")
    name = _CLAUSE_MARK.split(name)[-1]
    name = _NAME_OPENING.sub("", name)
    for _ in range(3):
        trimmed = patterns["trailing"].sub("", patterns["leading"].sub("", name))
        if trimmed == name:
            break
        name = trimmed
    return patterns["inner"].sub("", name)[-16:]


def _sentence_statements(document: AnalyzedDocument, sentence: int, claims: list[Claim]) -> list[Statement]:
    patterns = _patterns()
    text = document.text
    s_start, _ = document.sentences[sentence]
    statements: list[Statement] = []
    current: Statement | None = None
    previous_end = s_start
    respective: list[Claim] = []  # `分别增长4%、6%`: the figures after 分别, while they run
    respective_of: dict[int, list[Claim]] = {}  # a statement (by id) → the figures 分别 gives it
    for claim in claims:
        gap = text[previous_end:claim.start]
        clause_start = max(previous_end, _clause_start(text, s_start, claim.start))
        lead = text[clause_start:claim.start]
        previous_end = claim.end
        if respective and patterns["respective_joint"].fullmatch(gap) and claim.unit == respective[0].unit:
            respective.append(claim)
            continue
        respective = []
        if claim.unit == POINTS:
            if current is not None:
                _bind_points(current, claim, gap, patterns)
            continue
        if claim.unit == PERCENT:
            if current is not None and _bind_percent(current, claim, gap, lead, patterns):
                continue
            if current is not None and gap.endswith("的") and not patterns["share_of"].search(gap):
                continue  # `完成年度预算的101%`: a ratio to something else; the statement goes on
            current = _new(document, claim, sentence, lead, patterns)
            if _starts_from(current, claim, lead, patterns):
                statements.append(current)
                continue
            share = patterns["share_of"].search(gap) or patterns["share_bare"].search(gap)
            if share is not None and share.start() > 0:
                current.indicator = indicator_name(gap[:share.start()])
                current.share, current.share_whole = claim, (share.groupdict().get("whole") or "")
                current.bindings["share"] = "marker"
                current.value = None
            else:
                _rate_without_level(current, claim, lead, patterns)
            if patterns["respectively"].search(lead):
                respective = respective_of[id(current)] = [claim]
            statements.append(current)
            continue
        if not claim.is_count:
            continue
        if current is not None and _bind_count(current, claim, gap, patterns):
            continue
        current = _new(document, claim, sentence, lead, patterns)
        if not _starts_from(current, claim, lead, patterns):
            change = patterns["change"].search(lead)
            if change is not None and (patterns["comparison_word"].search(lead) or patterns["basis"].search(lead)):
                current.indicator = indicator_name(lead[:change.start()])
                current.change, current.value = claim, None
                current.signs["change"] = -1 if change.group("fall") else 1
                current.bindings["change"] = "marker"
            elif patterns["respectively"].search(lead):
                respective = respective_of[id(current)] = [claim]
        statements.append(current)
    statements = _expand_respective(statements, respective_of)
    return [s for s in statements if s.indicator or s.change is not None]


def _rate_without_level(statement: Statement, claim: Claim, lead: str, patterns) -> None:
    """`全体居民人均可支配收入增长5.1%`: a rate after its verb, with no level
    stated, is the indicator's growth (or average growth), not its value.
    `提高到60%` and `降为3%` name a level reached, and stay values."""
    if patterns["level_rate"].search(lead):
        return
    average = patterns["average"].search(lead)
    growth = average or patterns["growth"].search(lead)
    if growth is None:
        return
    name = indicator_name(lead[:growth.start()])
    if not name:
        return
    statement.indicator = name
    if growth.group().endswith(tuple(_words()["level_tails"])):
        return
    role = "average" if average is not None else "growth"
    setattr(statement, role, claim)
    statement.value = None
    statement.signs[role] = -1 if growth.group("fall") else 1
    statement.bindings.pop("value", None)
    statement.bindings[role] = "marker"


def _expand_respective(statements: list[Statement], respective_of) -> list[Statement]:
    """`城乡居民人均可支配收入分别增长4%、6%`: a compound name (城乡, 一二三产)
    said 分别 of as many figures becomes one statement per member, each with
    its figure in the role the first one has."""
    if not respective_of:
        return statements
    compounds = _words()["compounds"]
    keys = sorted(compounds, key=len, reverse=True)
    expanded = []
    for statement in statements:
        figures = respective_of.get(id(statement))
        key = next((k for k in keys if statement.indicator.startswith(k)), None) if figures else None
        if key is None or len(compounds[key]) != len(figures):
            expanded.append(statement)
            continue
        role = next(r for r, c in statement.claims if c is figures[0])
        rest = statement.indicator[len(key):]
        for member, claim in zip(compounds[key], figures):
            part = Statement(indicator=member + rest, sentence=statement.sentence, paragraph=statement.paragraph,
                             place=statement.place, time=statement.time, start=claim.start,
                             basis_year=statement.basis_year)
            setattr(part, role, claim)
            part.signs = dict(statement.signs)
            part.bindings = {role: "marker"}
            expanded.append(part)
    return expanded


def _starts_from(statement: Statement, claim: Claim, lead: str, patterns) -> bool:
    """`地区生产总值由2015年的…`: the claim is the from end of a new statement."""
    origin = patterns["from"].search(lead)
    if origin is None:
        return False
    statement.indicator = indicator_name(lead[:origin.start()])
    statement.origin, statement.value = claim, None
    statement.bindings["origin"] = "marker"
    return True


def _clause_start(text: str, sentence_start: int, position: int) -> int:
    """Where the clause before `position` begins; a comma inside parentheses
    (地区生产总值(GDP,当年价)) ends no clause. (Searched in place: a slice
    per claim would copy its sentence again for every figure in it.)"""
    cut = _last_clause_mark(text, sentence_start, position)
    if cut >= 0:
        opening = text.rfind("(", sentence_start, cut)
        if opening >= 0 and text.find(")", opening, position) > cut:
            cut = _last_clause_mark(text, sentence_start, opening)
    return cut + 1 if cut >= 0 else sentence_start


def _last_clause_mark(text: str, start: int, end: int) -> int:
    return max(text.rfind(",", start, end), text.rfind(";", start, end), text.rfind(":", start, end))


def _new(document, claim: Claim, sentence: int, lead: str, patterns) -> Statement:
    statement = Statement(indicator=indicator_name(lead), sentence=sentence, paragraph=claim.paragraph,
                          place=claim.place, time=claim.time, start=claim.start, value=claim)
    statement.bindings["value"] = "position"
    return statement


def _bind_count(current: Statement, claim: Claim, gap: str, patterns) -> bool:
    """A count after a statement: its `to` end, or its change."""
    if not _SHORT_GAP.fullmatch(gap):
        return False
    anchor = current.value or current.origin
    if anchor is None or not _same_unit(anchor, claim):
        return False
    if current.value is not None and current.origin is None and patterns["base"].search(gap):
        current.origin = claim
        current.bindings["origin"] = "marker"
        return True
    to = patterns["to"].search(gap)
    if current.origin is not None and current.value is None and to is not None:
        current.value = claim
        current.bindings["value"] = "marker"
        if to.group("fall"):
            current.signs["direction"] = -1
        return True
    change = patterns["change"].search(gap)
    if change is not None and current.change is None and current.value is not None:
        basis = patterns["basis"].search(gap)
        current.change = claim
        current.signs["change"] = -1 if change.group("fall") else 1
        current.bindings["change"] = "marker"
        current.basis_year = basis.group("year") if basis else ""
        return True
    return False


def _bind_percent(current: Statement, claim: Claim, gap: str, lead: str, patterns) -> bool:
    """A percentage after a statement: its growth, average growth, share,
    contribution, or the `to` end of a from → to of percentages."""
    if patterns["level_rate"].search(lead):
        return False
    if patterns["contribution"].search(gap) and current.contribution is None:
        current.contribution = claim
        current.bindings["contribution"] = "marker"
        return True
    share = patterns["share_of"].search(gap) or patterns["share_bare"].search(gap)
    if patterns["other_indicator"].search(gap[:share.start()] if share is not None else gap):
        return False  # `…，第二产业增加值占…`, `…，其中一产增加值增长…`: another indicator's
    if share is not None and current.share is None and current.value is not None and current.value.is_count:
        current.share, current.share_whole = claim, share.groupdict().get("whole") or ""
        current.bindings["share"] = "marker"
        return True
    average = patterns["average"].search(gap)
    if average is not None and current.average is None:
        current.average = claim
        current.signs["average"] = -1 if average.group("fall") else 1
        current.bindings["average"] = "marker"
        basis = patterns["basis"].search(gap)
        current.basis_year = current.basis_year or (basis.group("year") if basis else "")
        return True
    anchor = current.value or current.origin
    to = patterns["to"].search(gap)
    if current.origin is not None and current.value is None and to is not None and current.origin.unit == PERCENT:
        current.value = claim
        current.bindings["value"] = "marker"
        return True
    growth = patterns["growth"].search(gap) or patterns["growth_noun"].search(gap)
    if growth is not None and current.growth is None and anchor is not None:
        current.growth = claim
        current.signs["growth"] = -1 if growth.group("fall") else 1
        current.bindings["growth"] = "marker"
        return True
    return False


def _bind_points(current: Statement, claim: Claim, gap: str, patterns) -> None:
    change = patterns["change"].search(gap)
    if change is None:
        return
    sign = -1 if change.group("fall") else 1
    if "比重" in gap or (current.share is not None and current.growth is None and "增" not in gap[:2]):
        if current.share is not None and current.share_change is None:
            current.share_change = claim
            current.signs["share_change"] = sign
            current.bindings["share_change"] = "marker"
        return
    level = current.value if current.value is not None else current.origin
    if level is not None and level.unit == PERCENT and current.points is None and current.growth is None:
        current.points = claim
        current.signs["points"] = sign
        current.bindings["points"] = "marker"


def _same_unit(a: Claim, b: Claim) -> bool:
    from .units import canonical_unit

    return bool(a.unit and b.unit) and canonical_unit(a.unit) == canonical_unit(b.unit)
