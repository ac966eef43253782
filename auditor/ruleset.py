"""Ruleset: rules/*.yaml → validated Rule objects bound to their kind (stub)."""

from __future__ import annotations


def load_ruleset(settings):
    return []
