"""Findings: the plain records every report format renders.

A `Finding` is a relation that failed (or a repeated passage, or damaged
text); a `Verified` is a relation that held. Both carry the computation and
evidence spans into the original text. Fingerprints come from the rule and
the quoted text with a little context, never from line numbers, so a
baseline survives edits elsewhere in the file.
"""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import asdict, dataclass, field, replace

SEVERITIES = ("info", "warning", "error")
CONFIDENCES = ("low", "medium", "high")
KINDS = (
    "sum", "share", "subset", "enumeration", "restatement", "rate", "per_unit",
    "range", "precision", "duplicate_passage", "text_damage", "identity", "named_share", "change",
)
REPORT_SCHEMA = "auditor-report/1"
_SENTENCE_END = re.compile(r"[。！？；!?;]|\n\s*\n")


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


@dataclass(frozen=True)
class Evidence:
    """A span of an original text: code-point offsets (end exclusive), 1-based
    line and column, and the quoted text itself."""

    path: str
    start: int
    end: int
    line: int
    column: int
    text: str
    role: str = ""
    before: str = ""   # original text just before the span (may cross line breaks)
    after: str = ""    # original text just after the span (may cross line breaks)
    page: int = 0      # PDF page (1-based); 0 for formats without pages


@dataclass(frozen=True)
class Finding:
    rule: str
    kind: str
    severity: str
    message: str
    computation: str
    evidence: tuple[Evidence, ...]
    symbol: str = ""
    fingerprint: str = ""
    status: str = ""  # "new" or "known" once compared with a baseline
    confidence: str = "high"  # high: the text marks the relation; medium: inferred by position
    # the values the rule's message template was filled from, so reports can re-render it in another language
    message_args: dict = field(default_factory=dict, compare=False, hash=False)

    def with_fingerprint(self, occurrence: int = 0) -> "Finding":
        return replace(self, fingerprint=fingerprint(self, occurrence))


@dataclass(frozen=True)
class Verified:
    rule: str
    kind: str
    message: str
    computation: str
    evidence: tuple[Evidence, ...]
    symbol: str = ""
    confidence: str = "high"
    message_args: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class DocumentSummary:
    path: str
    encoding: str
    chars: int
    claims: int
    notes: tuple[str, ...] = ()   # what ingest did that a reader should know (encoding guessed, NULs dropped…)


@dataclass
class Report:
    documents: list[DocumentSummary] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    verified: list[Verified] = field(default_factory=list)
    skipped: list[dict] = field(default_factory=list)
    baseline: str | None = None
    rules: list[dict] = field(default_factory=list)

    def to_dict(self) -> dict:
        """The JSON-ready record every report format renders from."""
        from . import __version__

        return {
            "schema": REPORT_SCHEMA,
            "tool": {"name": "auditor", "version": __version__},
            "documents": [asdict(d) for d in self.documents],
            "skipped": list(self.skipped),
            "baseline": self.baseline,
            "summary": self.summary(),
            "findings": [_finding_dict(f) for f in self.findings],
            "verified": [_verified_dict(v) for v in self.verified],
            "rules": list(self.rules),
        }

    def summary(self) -> dict:
        by_severity = {s: 0 for s in reversed(SEVERITIES)}
        by_kind: dict[str, int] = {}
        for finding in self.findings:
            by_severity[finding.severity] += 1
            by_kind[finding.kind] = by_kind.get(finding.kind, 0) + 1
        return {
            "documents": len(self.documents),
            "claims": sum(d.claims for d in self.documents),
            "findings": len(self.findings),
            "new": sum(1 for f in self.findings if f.status == "new"),
            "by_severity": by_severity,
            "by_kind": dict(sorted(by_kind.items())),
            "verified": len(self.verified),
        }


def _evidence_dict(evidence: Evidence) -> dict:
    record = {
        "path": evidence.path, "start": evidence.start, "end": evidence.end,
        "line": evidence.line, "column": evidence.column, "text": evidence.text,
    }
    if evidence.role:
        record["role"] = evidence.role
    if evidence.page:
        record["page"] = evidence.page
    record["before"] = evidence.before
    record["after"] = evidence.after
    return record


def _finding_dict(finding: Finding) -> dict:
    record = {
        "fingerprint": finding.fingerprint, "rule": finding.rule, "symbol": finding.symbol,
        "kind": finding.kind, "severity": finding.severity, "confidence": finding.confidence,
        "message": finding.message, "message_args": dict(finding.message_args),
        "computation": finding.computation,
        "evidence": [_evidence_dict(e) for e in finding.evidence],
    }
    if finding.status:
        record["status"] = finding.status
    return record


def _verified_dict(verified: Verified) -> dict:
    return {
        "rule": verified.rule, "symbol": verified.symbol, "kind": verified.kind,
        "confidence": verified.confidence, "message": verified.message,
        "message_args": dict(verified.message_args), "computation": verified.computation,
        "evidence": [_evidence_dict(e) for e in verified.evidence],
    }


def fingerprint(finding: Finding, occurrence: int = 0) -> str:
    """A stable id: rule, file name, and each quoted span with its context
    within its own sentence, whitespace removed, so re-wrapping lines or
    adding sentences and paragraphs around it does not change it."""
    parts = [finding.rule]
    for evidence in finding.evidence:
        parts.append(_stable_path(evidence.path))
        before = _squeeze(_SENTENCE_END.split(evidence.before)[-1])[-8:]
        after = _squeeze(_SENTENCE_END.split(evidence.after, 1)[0])[:8]
        parts.append(before + "\x1e" + _squeeze(evidence.text) + "\x1e" + after)
    parts.append(str(occurrence))
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:20]


def _stable_path(path: str) -> str:
    # the same file named absolutely or relatively (from the folder audit runs in) is one file
    if os.path.isabs(path):
        relative = os.path.relpath(path)
        path = path if relative.startswith("..") else relative
    return os.path.normpath(path).replace(os.sep, "/")


def _squeeze(text: str) -> str:
    return "".join(text.split())


def assign_fingerprints(findings: list[Finding]) -> list[Finding]:
    """Fingerprint every finding; identical ones are told apart by order."""
    seen: dict[str, int] = {}
    out = []
    for finding in findings:
        base = fingerprint(finding)
        occurrence = seen.get(base, 0)
        seen[base] = occurrence + 1
        out.append(finding.with_fingerprint(occurrence) if occurrence else replace(finding, fingerprint=base))
    return out
