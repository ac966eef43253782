"""Units: the pint registry of Chinese counters and units.

The definitions live in `data/units.txt` (pint's format). Two views of it:
- `unit_table()` reads the file as text (no pint) for the extractor's hot
  path: every symbol, the symbol it stands for, and its kind (measure,
  counter or place, from the file's `#@` markers).
- `registry()` loads the same file into a pint UnitRegistry built from that
  file only (pint's default_en is slow to load and has no Chinese units),
  lazily and once. `canonical_unit` and `same_dimension` go through it and
  are cached per unit string, so pint is never hit per quantity.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DEFINITIONS = Path(__file__).with_name("data") / "units.txt"

# Written with symbols pint cannot use as names.
_SYMBOL_NAMES = {"%": "percent", "‰": "permille"}
_NAME_SYMBOLS = {"percent": "%", "permille": "‰"}


@dataclass(frozen=True)
class UnitEntry:
    """One symbol of the definitions file."""

    symbol: str
    name: str
    primary: str
    kind: str


@lru_cache(maxsize=1)
def unit_table() -> dict[str, UnitEntry]:
    """Every symbol and alias of `data/units.txt`, read without pint."""
    table: dict[str, UnitEntry] = {}
    kind = "measure"
    for raw in DEFINITIONS.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("#@"):
            kind = line[2:].strip()
            continue
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, _definition, *symbols = (part.strip() for part in line.split("="))
        symbols = [s for s in symbols if s and s != "_"]
        if not symbols:
            continue
        primary = _NAME_SYMBOLS.get(name, symbols[0])
        for symbol in symbols:
            table.setdefault(symbol, UnitEntry(symbol, name, primary, kind))
    table["%"] = UnitEntry("%", "percent", "%", "measure")
    table["‰"] = UnitEntry("‰", "permille", "‰", "measure")
    return table


def unit_kind(unit: str) -> str | None:
    """measure, counter or place for a known unit symbol, else None."""
    entry = unit_table().get(unit)
    return entry.kind if entry else None


@lru_cache(maxsize=1)
def registry():
    """The pint UnitRegistry built from `data/units.txt` alone (loaded once)."""
    import pint

    ureg = pint.UnitRegistry(None, autoconvert_offset_to_baseunit=False)
    ureg.load_definitions(str(DEFINITIONS))
    return ureg


@lru_cache(maxsize=None)
def canonical_unit(unit: str) -> str:
    """The primary symbol for a unit or alias (名 → 人, 公斤 → 千克); an
    unknown unit is returned unchanged. Symbols of the definitions file are
    answered from `unit_table()` (pint agrees, see tests/test_units.py), so a
    run that only compares units never pays for loading pint."""
    entry = unit_table().get(unit)
    if entry is not None:
        return entry.primary
    return _pint_canonical(unit)


def _pint_canonical(unit: str) -> str:
    if unit in _SYMBOL_NAMES:
        return unit
    ureg = registry()
    try:
        name = ureg.get_name(unit)
    except Exception:  # pint raises UndefinedUnitError and parse errors alike
        return unit
    if name in _NAME_SYMBOLS:
        return _NAME_SYMBOLS[name]
    return ureg.get_symbol(name)


@lru_cache(maxsize=None)
def _dimensionality(unit: str):
    ureg = registry()
    try:
        return ureg.parse_units(_SYMBOL_NAMES.get(unit, unit)).dimensionality
    except Exception:  # unknown units have no dimension to compare
        return None


def same_dimension(a: str, b: str) -> bool:
    """Whether two units measure the same kind of thing (人 and 名, 亩 and
    平方公里, 镇 and 乡), so their quantities may be added or compared."""
    if a == b:
        return True
    dim_a, dim_b = _dimensionality(a), _dimensionality(b)
    return dim_a is not None and dim_a == dim_b


@lru_cache(maxsize=None)
def conversion_factor(unit: str, target: str):
    """The Decimal factor turning a value in `unit` into `target` (亩 →
    平方公里), or None when the dimensions differ or a unit is unknown."""
    from decimal import Decimal

    if not same_dimension(unit, target):
        return None
    ureg = registry()
    quantity = ureg.Quantity(1, _SYMBOL_NAMES.get(unit, unit))
    return Decimal(repr(quantity.to(_SYMBOL_NAMES.get(target, target)).magnitude))
