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
from functools import lru_cache

SEVERITIES = ("info", "warning", "error")
CONFIDENCES = ("low", "medium", "high")
KINDS = (
    "sum", "share", "subset", "enumeration", "restatement", "rate", "per_unit",
    "range", "precision", "duplicate_passage", "text_damage", "identity", "named_share", "change", "restated", "period_total",
)
REPORT_SCHEMA = "auditor-report/1"
_SENTENCE_END = re.compile(r"[。！？；!?;]|\n\s*\n")


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)


@dataclass(frozen=True, slots=True)  # slots: a large run holds hundreds of thousands
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


@dataclass(frozen=True, slots=True)
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
    suppression: str = ""     # the inline comment that suppressed it (`<!-- audit: ignore RST01 -->`)

    def with_fingerprint(self, root=None) -> "Finding":
        return replace(self, fingerprint=fingerprint(self, root))


@dataclass(frozen=True, slots=True)
class Verified:
    rule: str
    kind: str
    message: str
    computation: str
    evidence: tuple[Evidence, ...]
    symbol: str = ""
    confidence: str = "high"
    message_args: dict = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class NotAssessable:
    """A relation a rule kind found but could not judge (a share whose base is
    never stated, an identity with a part missing). It is neither a finding
    nor verified; the coverage counts it so that "0 findings" cannot hide a
    check that never ran."""

    rule: str
    kind: str
    reason: str
    evidence: tuple[Evidence, ...] = ()
    symbol: str = ""
    confidence: str = "high"   # run_checks filters outcomes by confidence


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
    coverage: dict = field(default_factory=dict)
    suppressed: list[Finding] = field(default_factory=list)
    fixed: list[dict] = field(default_factory=list)   # baseline entries no longer found: {fingerprint, count, ...}

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
            "coverage": self.coverage,
            # inline-suppressed findings, each with its `suppressions` (as SARIF has them)
            "suppressions": [_finding_dict(f) for f in self.suppressed],
            "fixed": list(self.fixed),
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
            "known": sum(1 for f in self.findings if f.status == "known"),
            "fixed": sum(entry.get("count", 1) for entry in self.fixed),
            "suppressed": len(self.suppressed),
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
    if finding.suppression:
        record["suppressions"] = [{"kind": "inSource", "justification": finding.suppression}]
    return record


def _verified_dict(verified: Verified) -> dict:
    return {
        "rule": verified.rule, "symbol": verified.symbol, "kind": verified.kind,
        "confidence": verified.confidence, "message": verified.message,
        "message_args": dict(verified.message_args), "computation": verified.computation,
        "evidence": [_evidence_dict(e) for e in verified.evidence],
    }


def coverage(documents: list[DocumentSummary], rules_run: dict[str, int], findings: list[Finding],
             verified: list[Verified], not_assessable: list[NotAssessable]) -> dict:
    """Per document and in total: claims extracted, rules run, and relations
    checked, verified, failed and not assessable. `rules_run` maps each
    document path to the number of rules applied to it. A relation counts for
    the document of its first evidence span."""
    rows = {d.path: {"path": d.path, "claims": d.claims, "rules_run": rules_run.get(d.path, 0),
                     "checked": 0, "verified": 0, "failed": 0, "not_assessable": 0} for d in documents}
    for outcomes, column in ((findings, "failed"), (verified, "verified"), (not_assessable, "not_assessable")):
        for outcome in outcomes:
            row = rows.get(outcome.evidence[0].path) if outcome.evidence else None
            if row is not None:
                row[column] += 1
                row["checked"] += 1
    total = {"documents": len(rows), "claims": sum(r["claims"] for r in rows.values()),
             "rules_run": max(rules_run.values(), default=0)}
    for column in ("checked", "verified", "failed", "not_assessable"):
        total[column] = sum(r[column] for r in rows.values())
    not_assessed = {}
    for item in not_assessable:
        not_assessed[item.rule] = not_assessed.get(item.rule, 0) + 1
    return {"total": total, "documents": list(rows.values()),
            "not_assessable_by_rule": dict(sorted(not_assessed.items()))}


def fingerprint(finding: Finding, root=None) -> str:
    """A stable id: rule, file path relative to the project root `root`
    (default: the current folder), and each quoted span with its context
    within its own sentence, on the normalized text (so a change of script
    or width keeps it), whitespace removed (so re-wrapping lines or adding
    sentences and paragraphs around it does not change it). Identical
    findings share a fingerprint; the baseline counts them."""
    return _hashed(finding, lambda path: _stable_path(path, root))


def content_fingerprint(finding: Finding) -> str:
    """The fingerprint without the file paths: what the baseline falls back
    on for a finding whose file was moved or renamed."""
    return _hashed(finding, lambda path: "")


def _hashed(finding: Finding, path_part) -> str:
    parts = [finding.rule]
    for evidence in finding.evidence:
        parts.append(path_part(evidence.path))
        before = _squeeze(_SENTENCE_END.split(_normalized(evidence.before))[-1])[-8:]
        after = _squeeze(_SENTENCE_END.split(_normalized(evidence.after), 1)[0])[:8]
        parts.append(before + "\x1e" + _squeeze(_normalized(evidence.text)) + "\x1e" + after)
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:20]


def _normalized(text: str) -> str:
    # Long quotes (whole repeated passages) are not kept: the cache would hold megabytes of them.
    return _normalized_short(text) if len(text) <= 256 else _normalized_uncached(text)


@lru_cache(maxsize=65536)
def _normalized_short(text: str) -> str:
    return _normalized_uncached(text)


def _normalized_uncached(text: str) -> str:
    from .normalize import normalized_text

    return normalized_text(text) if text else text


def _stable_path(path: str, root=None) -> str:
    return _stable_path_from(path, root, os.getcwd())


@lru_cache(maxsize=4096)
def _stable_path_from(path: str, root, cwd: str) -> str:
    # the same file named absolutely or relatively, from any folder, is one file;
    # `root` is a folder, or a function giving each path its folder (config.root_finder)
    if callable(root):
        root = root(path)
    base = os.path.abspath(root or cwd)
    absolute = os.path.abspath(path)
    relative = os.path.relpath(absolute, base)
    if relative.startswith(".."):
        relative = os.path.normpath(path)
    return relative.replace(os.sep, "/")


def _squeeze(text: str) -> str:
    return "".join(text.split())


def assign_fingerprints(findings: list[Finding], root=None) -> list[Finding]:
    """Fingerprint every finding that has none yet (identical findings get
    the same one), in place: a large run's findings are not held twice."""
    cache: dict = {}
    for index, finding in enumerate(findings):
        if finding.fingerprint:   # fingerprinted already, in a worker
            continue
        key = (finding.rule, finding.evidence)
        if key not in cache:
            cache[key] = fingerprint(finding, root)
        findings[index] = replace(finding, fingerprint=cache[key])
    _normalized_short.cache_clear()   # its strings would otherwise live as long as the process
    return findings
