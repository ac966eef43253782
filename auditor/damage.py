"""Text damage: mojibake, lost words, surviving annotations (stub)."""

from __future__ import annotations


def find_text_damage(source, settings):
    return []
