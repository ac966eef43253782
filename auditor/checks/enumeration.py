"""The `enumeration` kind: a stated count against the items listed, and
ordinal list markers that must run without a gap."""

from __future__ import annotations

import bisect
from dataclasses import dataclass

import regex

from .. import patterns
from .base import RuleKind, Span, fail, hold
from .enumeration_echo import echoed_items, level_items
from .enumeration_markers import numeral_value, sequence_outcomes
from .enumeration_pairs import heading_outcomes, respectively_outcomes
from .scope import scan_timeout

# The vocabulary (counters, trigger words, the open-list word) is data: each
# rule file sets these patterns (see rules/enumeration/).
COUNT_PARAMS = (
    "count_pattern", "quoted_count_pattern", "value_count_pattern", "clause_pattern", "standalone_counter_pattern",
    "counted_noun_pattern", "intro_pattern", "boundary_pattern", "lead_pattern", "conjunction_pattern",
    "not_a_list_end_pattern", "open_pattern", "closing_pattern", "ambiguous_item_pattern",
)
SEQUENCE_PARAMS = ("sequence_patterns",)
RESPECTIVELY_PARAMS = ("respectively_pattern", "boundary_pattern", "lead_pattern")
HEADING_PARAMS = ("heading_count_pattern", "sequence_patterns")
NEEDED = {"count": COUNT_PARAMS, "sequence": SEQUENCE_PARAMS, "respectively": RESPECTIVELY_PARAMS,
          "headings": HEADING_PARAMS}


@dataclass(frozen=True)
class Item:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Enumeration:
    """A stated count, the items it counts and whether the list is open."""

    count_start: int
    count_end: int
    stated_text: str
    stated: int
    items: tuple[Item, ...]
    open_list: bool
    tail: str = ""
    before: tuple[int, int] | None = None  # the clause before a run of clauses, quoted when the count fails
    marked: bool = False  # the list is introduced by the text (分别是, 即, a colon), not found by position
    split_last: bool = False  # the last item was split at 和/及: `A、B和C` may be two items or three


REQUIRED_GROUPS = {
    "count_pattern": ("number", "counter"), "quoted_count_pattern": ("number", "tail"),
    "value_count_pattern": ("number", "value"), "sequence_patterns": ("n",),
    "heading_count_pattern": ("number", "counter", "announce"),
}


class EnumerationKind(RuleKind):
    """Checks that a stated count matches the items it names.

    With `mode: count`, a count next to a list of `、`-separated items
    (`A、B两级`, `“四个全覆盖”` after four items, `3项任务，分别是A、B和C`)
    must equal the number of items. `“三个一百”` after clauses that each state
    100 counts those clauses. A count names a list only when its counter is a
    category (`3县`, `两级`) or is followed by a category noun (`5个层面`,
    `三场硬仗`); `12名到村` or `甲村、乙村共5个合作社` are quantities, not counts
    of the list. A list ending in `等` is open: it may name fewer items than
    the count. A count with no adjacent list is not compared. Trigger words,
    counters and the open-list word are rule parameters.

    With `mode: sequence`, ordinal markers at the start of a clause or line
    (`一要…二要…`, `一是…二是…`, `(一)(二)`, `第一、第二`) must run without a
    gap or a repeat.

    With `mode: respectively`, names paired with values by 分别
    (`甲、乙、丙分别增长3%、5%、7%`) must be as many as the values. With
    `mode: headings`, a count of sections (`以下八个方面`) must equal the run
    of headings that follows it.

    **Anti-pattern**

        建立县、乡、村、组3个层面的责任清单。        (four items, three stated)
        一要抓产业。二要抓就业。四要抓教育。          (三要 is missing)

    **Best practice**

        建立县、乡、村、组4个层面的责任清单。
        开展排查、整改、验收等五项工作。              (open list: not compared)
    """

    name = "enumeration"
    params = {
        "mode": (str, "count"),
        "max_count": (int, 20),
        "max_item_chars": (int, 16),
        "min_items": (int, 2),
        **{key: (str, None) for key in COUNT_PARAMS},
        **{key: (list, None) for key in SEQUENCE_PARAMS},
        "respectively_pattern": (str, None),
        "heading_count_pattern": (str, None),
        "max_heading_gap": (int, 400),
        "max_echo_chars": (int, 1500),
        "level_chars": (str, "省市县区乡镇村组"),
    }

    @staticmethod
    def validate_params(params: dict):
        """(field, problem) when a parameter cannot work, else None."""
        if params["mode"] not in NEEDED:
            return "mode", f"must be one of {', '.join(NEEDED)}"
        needed = NEEDED[params["mode"]]
        missing = [key for key in needed if not params[key]]
        if missing:
            return missing[0], f"required with mode '{params['mode']}'"
        for key, groups in REQUIRED_GROUPS.items():
            if key not in needed:
                continue
            written = params[key] if isinstance(params[key], list) else [params[key]]
            for pattern in written:
                missing = [g for g in groups if g not in patterns.compiled(pattern).groupindex]
                if missing:
                    return key, f"pattern needs the named group(s) {', '.join(missing)}"
        return None

    def evaluate(self, rule, documents):
        for document in documents:
            mode = rule.params["mode"]
            if mode == "sequence":
                yield from sequence_outcomes(rule, document)
            elif mode == "respectively":
                yield from respectively_outcomes(rule, document)
            elif mode == "headings":
                yield from heading_outcomes(rule, document)
            else:
                for enumeration in find_enumerations(document.source.text, rule.params):
                    outcome = _outcome(rule, document, enumeration)
                    if outcome is not None:
                        yield outcome


RULE_KINDS = (EnumerationKind,)


def find_enumerations(text: str, params: dict) -> list[Enumeration]:
    """Every count in `text` with an adjacent closed or open list of items."""
    found = []
    quoted_spans = []
    for match in patterns.finditer(params["quoted_count_pattern"], text, timeout=scan_timeout(text)):
        quoted_spans.append(match.span())
        found.append(_counted(text, match, params, tail=match.group("tail")))
    sentence_marks = None
    for match in patterns.finditer(params["value_count_pattern"], text, timeout=scan_timeout(text)):
        if sentence_marks is None:   # sentence ends, found once: an rfind per match went back to the text's start
            sentence_marks = [m.start() for m in SENTENCE_MARK.finditer(text)]
        found.append(_clauses_with_value(text, match, params, sentence_marks))
    quoted_starts = [start for start, _ in quoted_spans]  # in text order, not overlapping
    for match in patterns.finditer(params["count_pattern"], text, timeout=scan_timeout(text)):
        index = bisect.bisect_right(quoted_starts, match.start()) - 1
        if index >= 0 and match.start() < quoted_spans[index][1]:
            continue
        found.append(_counted(text, match, params))
    return sorted((e for e in found if e is not None), key=lambda e: e.count_start)


def _counted(text: str, match, params: dict, tail: str = "") -> Enumeration | None:
    stated = numeral_value(match.group("number"))
    if stated is None or not 2 <= stated <= params["max_count"]:
        return None
    start, end = match.span()
    found = _items_after(text, match, params)
    introduced = found is not None
    named = bool(tail) or _names_a_category(text, match, params)
    if found is None:
        found = _items_before(text, start, params)
        if found is not None and not named:
            # a count whose noun names no category (3个省实验室): the list beside it is
            # only inferred, and a count that disagrees with it may count something else
            items, open_list, plain, split = found
            agrees = len(items) == stated or open_list and len(items) < stated
            if not agrees or not (plain or _reads_as_nouns(items, params)):
                return None
            found = (items, open_list, False, split)
    if found is None:
        echoed = _inferred_items(text, match, params, stated, tail)
        if echoed is None:
            return None
        found = (echoed, False, False, False)
    items, open_list, plain, split = found
    marked = introduced or plain
    stated_text = match.group().strip("“”")
    return Enumeration(start, end, stated_text, stated, tuple(items), open_list, tail, marked=marked,
                       split_last=split)


def _inferred_items(text: str, match, params: dict, stated: int, tail: str) -> list[Item] | None:
    """Items found by inference alone (echoes of the count's noun, level characters), when they agree."""
    noun = tail or patterns.match(r"[\p{Han}]{0,6}", text[match.end():match.end() + 6].lstrip("“”")).group()
    found = level_items(text, match.start(), stated, params) if match.group("counter") == "级" else None
    if found is None and noun:
        found = echoed_items(text, match.end(), noun, stated, params)
    return [Item(start, end, item) for start, end, item in found] if found else None


def _clauses_with_value(text: str, match, params: dict, sentence_marks: list[int]) -> Enumeration | None:
    """`建设100万亩…，打造100个…，培育100亿元…的“三个一百”`: the clauses
    right before the name that each state its figure."""
    stated, value = numeral_value(match.group("number")), numeral_value(match.group("value"))
    if stated is None or value is None or not 2 <= stated <= params["max_count"]:
        return None
    figure = patterns.compiled(rf"(?<![0-9.]){value}(?![0-9.])|{regex.escape(match.group('value'))}")
    index = bisect.bisect_left(sentence_marks, match.start()) - 1
    sentence_start = sentence_marks[index] + 1 if index >= 0 else 0
    starts = [sentence_start] + [sentence_start + m.end()
                                 for m in patterns.finditer(params["clause_pattern"], text[sentence_start:match.start()])]
    clauses, end, before = [], match.start(), None
    for start in reversed(starts):
        if not figure.search(text, start, end):
            before = (start, end) if end > start else None
            break
        clauses.append(Item(start, end, text[start:end]))
        end = start - 1
    if len(clauses) < params["min_items"]:
        return None
    return Enumeration(match.start(), match.end(), match.group().strip("“”"), stated, tuple(reversed(clauses)), False,
                       before=before, marked=True)  # every clause restates the figure the name counts


def _is_boundary(boundary, text: str, position: int) -> bool:
    """A list boundary, except the comma that groups thousands (5,236)."""
    if text[position] in ",，" and 0 < position < len(text) - 3 and text[position - 1].isdigit() \
            and text[position + 1:position + 4].isdigit() and not text[position + 4:position + 5].isdigit():
        return False
    return bool(boundary.match(text[position]))


def _names_a_category(text: str, match, params: dict) -> bool:
    """`3县`, `两级`, `5个层面`, `四场硬仗` name categories; `15名到村`, `7个合作社` count things."""
    if patterns.search(params["standalone_counter_pattern"], match.group("counter") or ""):
        return True
    return patterns.match(params["counted_noun_pattern"], text[match.end():match.end() + 12]) is not None


def _items_before(text: str, count_start: int, params: dict):
    """Items that end right where the count begins: `A、B、C三级`. The third
    value says whether the list reads as plain nouns (no quoted words inside
    an item, no verb phrase after the first item, no item dropped for holding
    a count of its own): only such a list is a relation the text marks."""
    if count_start == 0 or not patterns.match(r"[\p{Han}A-Za-z)”]", text[count_start - 1]):
        return None
    boundary = patterns.compiled(params["boundary_pattern"])
    list_start = count_start
    while list_start > 0 and not _is_boundary(boundary, text, list_start - 1) and count_start - list_start < 200:
        list_start -= 1
    region, open_list = _without_open_end(text[list_start:count_start], params)
    if not open_list:
        closing = patterns.search(params["closing_pattern"], region)
        if closing is not None:
            region = region[:closing.start()]
    if patterns.search(params["not_a_list_end_pattern"], region):
        return None  # the count is the object of a verb, not a name for the list
    if patterns.search(f"(?:{params['conjunction_pattern']})$", region):
        return None  # `A、B以及“三个X”`: the count is itself a member of the list
    quoted = _quoted_items(region, list_start)
    if quoted is not None:
        return quoted, open_list, True, False
    notes: list[str] = []
    items = _split_items(region, list_start, params, strip_lead=True, notes=notes)
    if not items:
        return None
    plain = "dropped" not in notes and not any("“" in item.text or "”" in item.text for item in items) \
        and not any(patterns.match(params["lead_pattern"], item.text) for item in items[1:])
    return items, open_list, plain, "split" in notes


def _reads_as_nouns(items: list[Item], params: dict) -> bool:
    """Items that are noun phrases, a quoted word inside one allowed (`“三权”分置`):
    no item wholly quoted, no verb phrase after the first."""
    return not any(patterns.fullmatch(r"“[^“”]*”", item.text) for item in items) \
        and not any(patterns.match(params["lead_pattern"], item.text) for item in items[1:])


SENTENCE_MARK = patterns.compiled(r"[。！？!?\n]")
QUOTED_RUN = patterns.compiled(r"(?:“[^“”、,;。]{1,16}”、?){2,}$")
QUOTED_LIST = patterns.compiled(r"“(?P<list>[^“”,;。]{1,80}、[^“”,;。]{1,80})”$")


def _quoted_items(region: str, offset: int) -> list[Item] | None:
    """`“强城”“兴村”“融合”三篇文章`, `“甲、乙、丙”三项原则`: words the text quotes
    one by one, or a list it quotes whole, right before the count."""
    run = QUOTED_RUN.search(region)
    if run is not None:
        return [Item(offset + run.start() + m.start(1), offset + run.start() + m.end(1), m.group(1))
                for m in patterns.finditer(r"“([^“”]+)”", run.group())]
    whole = QUOTED_LIST.search(region)
    if whole is not None:
        base = offset + whole.start("list")
        items, position = [], 0
        for piece in whole.group("list").split("、"):
            if not piece.strip():
                return None
            items.append(Item(base + position, base + position + len(piece), piece))
            position += len(piece) + 1
        return items
    return None


def _items_after(text: str, match, params: dict):
    """Items introduced after the count: `4项任务，分别是A、B、C和D`."""
    count_end = match.end()
    intro = patterns.match(params["intro_pattern"], text[count_end:count_end + 24])
    if intro is None or intro.groupdict().get("colon") and not _names_a_category(text, match, params):
        return None
    list_start = count_end + intro.end()
    boundary = patterns.compiled(params["boundary_pattern"])
    list_end = list_start
    while list_end < len(text) and not _is_boundary(boundary, text, list_end) and list_end - list_start < 200:
        list_end += 1
    region, open_list = _without_open_end(text[list_start:list_end], params)
    notes: list[str] = []
    items = _split_items(region, list_start, params, strip_lead=False, notes=notes)
    return (items, open_list, True, "split" in notes) if items else None


def _without_open_end(region: str, params: dict) -> tuple[str, bool]:
    """`A、B、C等` → (`A、B、C`, open); a region without `等` is closed."""
    last = region.rsplit("、", 1)[-1]
    opener = patterns.search(params["open_pattern"], last)
    if opener is None:
        return region, False
    return region[:len(region) - len(last) + opener.start()], True


def _split_items(region: str, offset: int, params: dict, strip_lead: bool,
                 notes: list | None = None) -> list[Item] | None:
    """`A、B、C和D` → four items; None when the region is not a plain list."""
    pieces, position = [], 0
    for piece in region.split("、"):
        pieces.append((position, piece))
        position += len(piece) + 1
    last_start, last = pieces[-1]
    conjunction = patterns.search(params["conjunction_pattern"], last)
    paired = any(patterns.search(params["conjunction_pattern"], piece) for _, piece in pieces[:-1])
    if conjunction is not None and not paired:  # `A和B、C和D`: 和 joins within items
        left, right = last[:conjunction.start()], last[conjunction.end():]
        others_short = all(len(p) <= 2 for _, p in pieces[:-1]) and len(left) <= 2
        if left and right and (len(right) >= 2 or others_short):
            pieces[-1:] = [(last_start, left), (last_start + conjunction.end(), right)]
            if notes is not None:
                notes.append("split")
    nested = next((i for i in range(len(pieces) - 1, -1, -1) if _holds_count(pieces[i][1], params)), None)
    if nested is not None:
        del pieces[:nested + 1]  # an item with its own count ends the list on the left
        if notes is not None:
            notes.append("dropped")
    if len(pieces) < params["min_items"]:
        return None
    if strip_lead:
        lead = patterns.match(params["lead_pattern"], pieces[0][1])
        if lead is not None and lead.end() < len(pieces[0][1]):
            pieces[0] = (pieces[0][0] + lead.end(), pieces[0][1][lead.end():])
    ambiguous = patterns.compiled(params["ambiguous_item_pattern"])
    items = []
    for index, (start, piece) in enumerate(pieces):
        if not piece.strip() or len(piece) > params["max_item_chars"]:
            return None
        if index > 0 and ambiguous.search(piece):
            return None
        items.append(Item(offset + start, offset + start + len(piece), piece))
    return items


def _holds_count(piece: str, params: dict) -> bool:
    """True when a piece states a count or quantity of its own."""
    return bool(patterns.search(r"[0-9][\p{Han}%]", piece) or patterns.search(params["quoted_count_pattern"], piece)
                or patterns.search(params["count_pattern"], piece))


def _outcome(rule, document, enumeration: Enumeration):
    stated, listed = enumeration.stated, len(enumeration.items)
    names = ", ".join(item.text for item in enumeration.items)
    spans = [Span(document, enumeration.count_start, enumeration.count_end, "count"),
             Span(document, enumeration.items[0].start, enumeration.items[-1].end, "items")]
    tail = enumeration.tail
    shared_tail = " (each ends in " + tail + ")" if tail and all(
        item.text.endswith(tail) for item in enumeration.items) else ""
    values = {"stated": enumeration.stated_text, "stated_value": stated, "listed": listed,
              "items": names}
    if enumeration.open_list and listed <= stated:
        # an open list (A、B等5个) cannot contradict its count; naming no more than it is all it can show
        computation = f"{listed} items named ({names}) before 等 ≤ {enumeration.stated_text} ✓"
        return hold(rule, values, computation, spans, confidence="medium")
    confidence = "high" if enumeration.marked or shared_tail else "medium"  # items echoing the name mark it too
    if listed == stated:
        computation = f"{listed} items listed ({names}) = {enumeration.stated_text}{shared_tail} ✓"
        return hold(rule, values, computation, spans, confidence=confidence)
    computation = f"{listed} items listed ({names}) ≠ {enumeration.stated_text}"
    if enumeration.split_last and listed == stated + 1:
        confidence = "medium"  # read with its last 和 inside an item, the list matches
        computation += f" (or {stated}, if 和 joins within the last item)"
    if enumeration.before is not None:
        spans.append(Span(document, *enumeration.before, "clause before the list"))
    if enumeration.open_list:
        return fail(rule, values, computation + " (more items than stated, before 等)", spans, severity="warning",
                    confidence=confidence)
    return fail(rule, values, computation, spans, confidence=confidence)
