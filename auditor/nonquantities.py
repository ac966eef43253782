"""Non-quantities: spans of normalized text whose numerals state no quantity.

Dates and years, times, phone numbers, e-mail addresses, URLs, codes with
Latin letters, dotted digit groups (15.09.2017), list markers ((二), 一、,
1. at line start, 一要…五要), ordinals (第7次, 第一书记, 十一届三次全会), short quoted names
(“32211”, “2+N”, “八个坚持”: at most 10 characters between the quotes, unless a
figure with 万/亿 stands in them, as in a target “6万贫困人口脱贫”) and
the set phrases listed in `data/numeral_words.txt`. The extractor drops every
numeral that overlaps one of these spans.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import regex

from . import patterns

WORDS_FILE = Path(__file__).with_name("data") / "numeral_words.txt"

_CN = "〇零一二三四五六七八九十两"
_DASH = "[-—–~－]"
_NON_QUANTITY = patterns.compiled(
    rf"""
      (?:https?://|ftp://|www\.)[^\s\p{{Han}}，。；、]+
    | (?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{{2,}}
    | (?<![\d.])\d{{4}}{_DASH}\d{{1,2}}{_DASH}\d{{1,2}}(?![\d])
    | (?<![\d.])\d{{4}}/\d{{1,2}}/\d{{1,2}}(?![\d])
    | (?<![\d.])\d+(?:\.\d+){{2,}}(?![\d])
    | (?<![\d])\d{{1,2}}:\d{{2}}(?::\d{{2}})?(?![\d])
    | \d{{1,2}}[时点]\d{{1,2}}分(?:\d{{1,2}}秒)?
    | (?:上午|下午|晚上|凌晨|中午|早上|傍晚|夜里)\d{{1,2}}[点时]
    | (?<![\d])(?:1[0-9]|20)\d{{2}}年?(?:{_DASH}|至|到)(?:1[0-9]|20)\d{{2}}年?(?![\d])
    | (?<![\d.])\d{{4}}年(?:\d{{1,2}}月(?:\d{{1,2}}[日号])?)?
    | (?<![\d.])\d{{1,2}}月(?:份|底|初|中旬|上旬|下旬|末|中)?(?:\d{{1,2}}[日号])?
    | (?<![\d.])\d{{1,2}}[日号](?!\d)
    | [〇零一二三四五六七八九]{{4}}年
    | (?<![{_CN}])[一二三四五六七八九十]{{1,3}}月(?:份|底|初|中旬|上旬|下旬|末)?(?:[一二三十]{{0,2}}[一二三四五六七八九十][日号])?
    | (?<![\d])0\d{{2,3}}{_DASH}?\d{{7,8}}(?![\d])
    | (?<![\d])\d{{3,4}}{_DASH}\d{{7,8}}(?![\d])
    | (?<![\d])1[3-9]\d{{9}}(?![\d])
    | (?<![\d])400{_DASH}?\d{{3}}{_DASH}?\d{{4}}(?![\d])
    | (?<![\d.,])\d{{12,}}(?![\d])
    | (?<![\d.,])0\d+(?![\d.])
    | (?<![A-Za-z0-9])[A-Za-z][A-Za-z_-]*\d[A-Za-z0-9_-]*
    | 第{{1}}[ \t]*[\d{_CN}百千万]+
    | (?<![\d{_CN}百])[\d{_CN}百]+届(?:[\d{_CN}]+次)?
    | [(（][ \t]*[\d一二三四五六七八九十]{{1,3}}[ \t]*[)）]
    | (?m:^[ \t\u3000]*(?:[一二三四五六七八九十]{{1,3}}[、.]|\d{{1,2}}[.、)](?!\d)|\d{{1,2}}\.(?=\d{{1,2}}月)))
    | (?:^|(?<=[，。；：、,;:!?！？\s]))[一二三四五六七八九十]{{1,2}}(?=[要是])
    | “(?![^“”\n]*\d[万亿])[^“”\n]{{1,10}}”
    | ‘[^‘’\n]{{1,10}}’
    | "[^"\n]{{1,10}}"
    | 「[^「」\n]{{1,10}}」
    | 『[^『』\n]{{1,10}}』
    | 《[^《》\n]{{1,30}}》
    """,
    regex.VERBOSE,
)


@lru_cache(maxsize=1)
def _set_phrases():
    words = [
        line.strip()
        for line in WORDS_FILE.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    words.sort(key=len, reverse=True)
    # A phrase inside a longer numeral is not that phrase (一百零一万一千 holds 万一).
    numeral = "[\\d〇零一二三四五六七八九十百千万亿两点.]"
    alternatives = "|".join(map(regex.escape, words))
    return patterns.compiled(f"(?<!{numeral})(?:{alternatives})(?!{numeral})")


def non_quantity_spans(text: str) -> tuple[list[int], list[int]]:
    """Every span that states no quantity: sorted starts, and for each the
    furthest end among the spans up to it (so one bisection answers whether
    a span overlaps any of them)."""
    spans = [m.span() for m in _NON_QUANTITY.finditer(text)]
    spans.extend(m.span() for m in _set_phrases().finditer(text))
    spans.sort()
    reach, furthest = [], 0
    for _, end in spans:
        furthest = max(furthest, end)
        reach.append(furthest)
    return [start for start, _ in spans], reach
