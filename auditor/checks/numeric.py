"""Exact arithmetic on stated values: every value is an interval.

An exact figure stands for the interval its last written digit allows
(80% → [79.5, 80.5]; 8万 → [7.5万, 8.5万]); qualified figures (余, 多, 近,
约) carry the bounds the extractor gave them. Relations hold when the
intervals meet. Fractions throughout: no floats, no sympy.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from ..quantities import Quantity


@dataclass(frozen=True)
class Interval:
    low: Fraction
    high: Fraction

    def __add__(self, other: "Interval") -> "Interval":
        return Interval(self.low + other.low, self.high + other.high)

    def __sub__(self, other: "Interval") -> "Interval":
        return Interval(self.low - other.high, self.high - other.low)

    def __truediv__(self, other: "Interval") -> "Interval":
        if other.low <= 0:
            raise ZeroDivisionError("interval divisor includes zero")
        candidates = [self.low / other.low, self.low / other.high, self.high / other.low, self.high / other.high]
        return Interval(min(candidates), max(candidates))

    def scale(self, factor: Fraction) -> "Interval":
        return Interval(self.low * factor, self.high * factor)

    def meets(self, other: "Interval") -> bool:
        return self.low <= other.high and other.low <= self.high

    def contains(self, value: Fraction) -> bool:
        return self.low <= value <= self.high

    @property
    def middle(self) -> Fraction:
        return (self.low + self.high) / 2


def fraction(value: Decimal | int | Fraction) -> Fraction:
    return value if isinstance(value, Fraction) else Fraction(value)


def exact(value) -> Interval:
    value = fraction(value)
    return Interval(value, value)


def stated(quantity: Quantity) -> Interval:
    """The interval a stated quantity allows, by its qualifier and precision."""
    value = fraction(quantity.value)
    if quantity.qualifier == "exact":
        half = fraction(quantity.step) / 2 if quantity.step else Fraction(0)
        return Interval(value - half, value + half)
    low = fraction(quantity.low) if quantity.low is not None else Fraction(0)
    high = fraction(quantity.high) if quantity.high is not None else value * 10
    return Interval(min(low, value), max(high, value))



def count_interval(quantity: Quantity) -> Interval:
    """Counts written in full (2150户) are exact; magnitudes (1.2万) keep their precision."""
    if quantity.qualifier == "exact" and quantity.step <= 1:
        return exact(quantity.value)
    return stated(quantity)


def show(value, digits: int = 2) -> str:
    """A number for a computation line: integers plainly, others rounded."""
    value = fraction(value)
    if value.denominator == 1:
        return str(value.numerator)
    rounded = round(Decimal(value.numerator) / Decimal(value.denominator), digits)
    text = format(rounded, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text



def percent_digits(quantity: Quantity) -> int:
    """How many decimals a percentage was written with (80% → 0, 1.82% → 2)."""
    step = quantity.step or Decimal(1)
    exponent = step.normalize().as_tuple().exponent
    return max(0, -int(exponent))


def truncate(value: Fraction, digits: int) -> Fraction:
    factor = 10 ** digits
    return Fraction(int(value * factor), factor)


def round_half_up(value: Fraction, digits: int) -> Fraction:
    factor = 10 ** digits
    scaled = value * factor
    return Fraction(int(scaled + Fraction(1, 2)), factor)


MAGNITUDES = {"万": 10**4, "亿": 10**8, "万亿": 10**12}


def display_scale(quantities) -> tuple[int, str]:
    """The magnitude all figures were written in (万, 亿), for computations
    that read like the text: 820万 + 615万 = 1435万."""
    suffixes = set()
    for quantity in quantities:
        written = (quantity.number_text or "").rstrip()
        suffixes.add(next((m for m in ("万亿", "亿", "万") if written.endswith(m)), ""))
    if "" in suffixes or not suffixes:
        return 1, ""
    smallest = min(suffixes, key=MAGNITUDES.get)  # 1.2亿 + 3500万 = 15500万
    return MAGNITUDES[smallest], smallest


def show_scaled(value, scale: tuple[int, str], digits: int = 4) -> str:
    factor, suffix = scale
    return show(fraction(value) / factor, digits) + suffix
