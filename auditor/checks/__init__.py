"""Rule kinds: one module per kind. Rules in rules/*.yaml name a kind here;
`run_checks` applies every rule to the analyzed documents."""

from __future__ import annotations

from importlib import import_module

from dataclasses import replace

from ..findings import CONFIDENCES, Finding, Verified

KIND_MODULES = (
    "sum", "share", "subset", "enumeration", "restatement", "rate", "per_unit", "range", "precision",
    "passages", "identity", "named_share", "change", "restated", "period", "named_subset",
)


def _load_kinds() -> dict:
    kinds = {}
    for module_name in KIND_MODULES:
        try:
            module = import_module(f".{module_name}", __name__)
        except ModuleNotFoundError as error:
            if error.name and error.name.endswith(f"checks.{module_name}"):
                continue  # kind not written yet
            raise
        for kind in getattr(module, "RULE_KINDS", ()):
            kinds[kind.name] = kind
    return kinds


class _LazyKinds(dict):
    def _fill(self):
        if not self:
            self.update(_load_kinds())

    def get(self, key, default=None):
        self._fill()
        return super().get(key, default)

    def __iter__(self):
        self._fill()
        return super().__iter__()

    def __getitem__(self, key):
        self._fill()
        return super().__getitem__(key)


KINDS = _LazyKinds()


def run_checks(documents: list, rules: list, min_confidence: str = "low") -> tuple[list[Finding], list[Verified]]:
    """Evaluate every rule; return (findings, verified), each in a stable order.

    Only relations the text marks (high confidence) may warn or fail: a
    mismatch in a relation inferred by position is shown as info. Relations
    below `min_confidence` are left out."""
    findings: list[Finding] = []
    verified: list[Verified] = []
    for rule in rules:
        kind = KINDS.get(rule.kind)
        if kind is None or not getattr(kind, "evaluate", None):
            continue
        evaluate_rule(rule, kind, documents, min_confidence, findings, verified)
    verified.sort(key=verified_order)
    return findings, verified


def evaluate_rule(rule, kind, documents: list, min_confidence: str, findings: list, verified: list) -> None:
    """Add the outcomes of one rule of `kind` to `findings` and `verified` (other outcomes, unsorted)."""
    try:
        for outcome in kind().evaluate(rule, documents):
            if not confident_enough(outcome, min_confidence):
                continue
            (findings if isinstance(outcome, Finding) else verified).append(as_shown(outcome))
    except TimeoutError:
        from ..errors import RuleFileError

        raise RuleFileError(f"{rule.source}: rule {rule.id}: a pattern ran out of time on the texts "
                            f"(simplify the pattern or lower max-bytes)") from None


def verified_order(outcome) -> tuple:
    return (outcome.evidence[0].path, outcome.evidence[0].start, outcome.rule) if outcome.evidence \
        else ("", 0, outcome.rule)


def confident_enough(outcome, min_confidence: str) -> bool:
    return CONFIDENCES.index(getattr(outcome, "confidence", "high")) >= CONFIDENCES.index(min_confidence)


def as_shown(outcome):
    """An outcome as a report shows it: a mismatch only inferred by position is info."""
    if isinstance(outcome, Finding) and outcome.confidence != "high" and outcome.severity != "info":
        return replace(outcome, severity="info")
    return outcome
