"""Kinds for repeated passages and text damage.

Their findings come from their own stages (`auditor.duplicates`,
`auditor.damage`), which work on whole corpora and raw text rather than on
claims; these kinds give them rule entries so that listing, explaining,
enabling, disabling and severity overrides work as for every other rule.
"""

from __future__ import annotations

from .base import RuleKind


class DuplicatePassageKind(RuleKind):
    """A passage that occurs more than once, within or across documents.

    Sentences are compared after folding script, width, punctuation and
    whitespace; near repeats are found with MinHash/LSH and confirmed by
    bigram similarity. Adjacent repeated sentences merge into one passage,
    reported once with every place it occurs. Long passages are warnings;
    short ones and boilerplate (legal notices, 上一篇/下一篇) are info.
    Tuned by `duplicate-min-chars`, `duplicate-similarity` and
    `duplicate-warning-chars` in the configuration.

    **Anti-pattern**: an article whose whole body is pasted twice.
    **Best practice**: each passage once; quote, don't paste.
    """

    name = "duplicate_passage"

    def evaluate(self, rule, documents):
        return ()


class TextDamageKind(RuleKind):
    """Damaged text: mojibake, lost characters, empty quotation marks where a
    word was lost, pinyin annotations that survived, a declared length that
    does not match. Reported at `damage-severity` (info by default).

    **Anti-pattern**: 治贫先治“”。
    **Best practice**: 治贫先治愚。
    """

    name = "text_damage"

    def evaluate(self, rule, documents):
        return ()


RULE_KINDS = (DuplicatePassageKind, TextDamageKind)
