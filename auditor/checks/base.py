"""What every rule kind shares: the Rule record it is bound to, the
context it reads documents from, and the way it states outcomes."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar, Iterable

from .. import patterns
from ..findings import Evidence, Finding, Verified

FIELD = patterns.compiled(r"\{([A-Za-z_][A-Za-z_0-9]*)\}")


@dataclass(frozen=True)
class Rule:
    """One rule instance, declared as data in rules/*.yaml."""

    id: str
    name: str
    kind: str
    severity: str
    description: str
    message: str
    verified_message: str = ""
    params: dict = field(default_factory=dict)
    example: str = ""
    source: str = ""

    def format(self, template: str, values: dict) -> str:
        """Fill `{name}` fields from values; anything else stays as written
        (no attribute or index access: templates come from files)."""
        return FIELD.sub(lambda m: str(values.get(m.group(1), m.group(0))), template)


@dataclass(frozen=True)
class Span:
    """A piece of evidence: a normalized span of one analyzed document."""

    document: Any  # claims.AnalyzedDocument
    start: int
    end: int
    role: str = ""

    def evidence(self) -> Evidence:
        return self.document.source.evidence(self.start, self.end, self.role)


class RuleKind:
    """A kind of check. Subclasses name themselves, declare the parameters a
    rule file may set (name → (type, default)), and implement `evaluate`.
    The class docstring documents the kind for `audit explain`."""

    name: ClassVar[str] = ""
    params: ClassVar[dict[str, tuple[type | tuple[type, ...], Any]]] = {}
    cross_document: ClassVar[bool] = False

    def evaluate(self, rule: Rule, documents: list) -> Iterable[Finding | Verified]:
        raise NotImplementedError

    @staticmethod
    def param(rule: Rule, key: str):
        return rule.params[key]


def mode_problem(params: dict, modes: tuple[str, ...]):
    """(field, problem) when a rule's `mode` is not one its kind knows, else None."""
    if params["mode"] not in modes:
        return "mode", f"must be one of {', '.join(modes)}"
    return None


def fail(rule: Rule, values: dict, computation: str, spans: Iterable[Span],
         severity: str | None = None, confidence: str = "high") -> Finding:
    """A failed relation, with its message filled in from `values`.
    `confidence` is high when the text marks the relation (其中, 分别, 合计,
    a colon list, an identity) and medium when it was inferred by position."""
    return Finding(
        rule=rule.id, symbol=rule.name, kind=rule.kind, severity=severity or rule.severity,
        message=rule.format(rule.message, values), computation=computation,
        evidence=tuple(span.evidence() for span in spans), confidence=confidence,
        message_args=_args(values),
    )


def hold(rule: Rule, values: dict, computation: str, spans: Iterable[Span],
         confidence: str = "high") -> Verified:
    """A relation that held."""
    template = rule.verified_message or rule.description
    return Verified(
        rule=rule.id, symbol=rule.name, kind=rule.kind, message=rule.format(template, values),
        computation=computation, evidence=tuple(span.evidence() for span in spans),
        message_args=_args(values), confidence=confidence,
    )


def _args(values: dict) -> dict:
    """The template values as text, for re-rendering the message in another language."""
    return {key: str(value) for key, value in values.items()}
