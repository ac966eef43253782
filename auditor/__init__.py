"""auditor: a claim-consistency checker for Chinese-language report texts.

The flow, one module per stage: ingest → normalize → quantities → claims →
checks (rule kinds bound to rules/*.yaml) and duplicates/damage → findings →
report. Heavy libraries (pint, sympy, opencc, rich) load lazily.
"""

__version__ = "0.1.0"

__all__ = ["__version__", "extract_quantities", "Quantity"]


def __getattr__(name):
    # Lazy: `audit --version` must not pay for the extractor's imports.
    if name in ("extract_quantities", "Quantity"):
        from . import quantities

        return getattr(quantities, name)
    raise AttributeError(f"module 'auditor' has no attribute {name!r}")
