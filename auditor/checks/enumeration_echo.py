"""Items a count names without a list beside it: phrases after it that echo
its noun (`打造四张“名片”…打造“音乐名片”…“运动名片”…`), and runs of level
characters (`省市县三级`). These are only inferred, so they are used to
verify a count that agrees with them, never to contradict one."""

from __future__ import annotations

import regex

from .. import patterns

ECHO_END = "。，,;；”、:："
MODIFIER = patterns.compiled(r"[\p{Han}“”]{2,10}$")


def echoed_items(text: str, count_end: int, noun: str, stated: int, params: dict) -> list[tuple[int, int, str]] | None:
    """Phrases ending in the count's noun, each ending a clause, in the rest of
    the paragraph: as many as the count, or None."""
    tail = noun[-2:]
    if len(tail) < 2:
        return None
    paragraph_end = text.find("\n", count_end)
    window_end = min(paragraph_end if paragraph_end >= 0 else len(text), count_end + params["max_echo_chars"])
    items, seen = [], set()
    for match in patterns.compiled(regex.escape(tail)).finditer(text, count_end, window_end):
        if text[match.end():match.end() + 1] not in tuple(ECHO_END) and match.end() != window_end:
            continue
        modifier = MODIFIER.search(text, max(count_end, match.start() - 10), match.start())
        if modifier is None:
            continue
        phrase = modifier.group().replace("“", "").replace("”", "")
        if patterns.search(params["count_pattern"], phrase) or not phrase or phrase in seen:
            continue  # the count restated (`向“六大产业集群”优化`), or an echo seen already
        seen.add(phrase)
        start = modifier.start()
        lead = patterns.match(params["lead_pattern"], modifier.group())
        if lead is not None and lead.end() < len(modifier.group()):
            start += lead.end()  # `打造城市“音乐名片”` → 城市音乐名片
            phrase = modifier.group()[lead.end():].replace("“", "").replace("”", "")
        items.append((start, match.end(), phrase + tail))
    return items if len(items) == stated else None


def level_items(text: str, count_start: int, stated: int, params: dict) -> list[tuple[int, int, str]] | None:
    """`省市县三级`: as many level characters right before the count as it states."""
    run = patterns.search(f"[{params['level_chars']}]+$", text[max(0, count_start - 12):count_start])
    if run is None or len(run.group()) != stated or len(set(run.group())) != stated:
        return None
    start = count_start - len(run.group())
    return [(start + i, start + i + 1, ch) for i, ch in enumerate(run.group())]
