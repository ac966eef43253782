"""Rule kinds: one module per kind; `run_checks` applies a ruleset."""

from __future__ import annotations


def run_checks(analyzed, ruleset):
    return [], []
