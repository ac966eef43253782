"""Quantities: text → Quantity(value, qualifier, bounds, unit, span).

(Stub: the extractor is being written; the record shape below is fixed.)
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Quantity:
    """A numeric claim as written.

    `start`/`end` are code-point offsets into the text given (end exclusive)
    and `text` is that slice. `value` is in `unit` (percent units for "%").
    `qualifier` is exact, approx (约/近/左右), over (余/多/超过/以上),
    under (不到/以下) or range (3至5万); `low`/`high` bound the true value
    it allows. `step` is the place value of the last stated digit (1 for
    80%, 10000 for 8万), so the stated precision is ±step/2.
    """

    text: str
    start: int
    end: int
    value: Decimal
    unit: str | None
    qualifier: str
    low: Decimal
    high: Decimal
    step: Decimal
    number_text: str = ""


def extract_quantities(text: str) -> list[Quantity]:
    return []
