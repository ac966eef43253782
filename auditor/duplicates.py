"""Repeated passages within and across documents (stub)."""

from __future__ import annotations


def find_repeated_passages(sources, settings):
    return []
