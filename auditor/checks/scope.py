"""Scope: claims are compared only when they speak of the same thing, place and time."""

from __future__ import annotations

from .. import patterns
from ..units import canonical_unit


def times_compatible(a: str, b: str) -> bool:
    """Equal years, or one of them unstated or relative (今年, 上半年)."""
    if not a or not b or a == b:
        return True
    return not (a[:1].isdigit() and b[:1].isdigit())



def same_unit(a, b) -> bool:
    """Both claims in one unit (名 and 人 are one unit)."""
    return bool(a.unit and b.unit) and canonical_unit(a.unit) == canonical_unit(b.unit)


def scan_timeout(text: str) -> float:
    """Seconds a rule pattern may take over a whole text: generous per
    character, so only a pattern that backtracks badly runs out."""
    return 2.0 + len(text) / 20_000


# `其余5个乡镇`, `剩余2个贫困村`: what is left over, never a whole or a stock.
REMAINDER_LEAD = patterns.compiled(r"(?:其余|剩余|其他|其它|余下|另有|还有|尚有|仍有|未)[\p{Han}]{0,3}$")


def is_remainder(document, claim) -> bool:
    return bool(REMAINDER_LEAD.search(document.text[max(0, claim.start - 6):claim.start]))
