"""The audit flow: paths → documents → claims → findings → Report.

Per-document work (normalize, claims, checks inside one text, damage) is a
pure function of one document; cross-document work (restatements across
files, repeated passages) joins records by key afterwards.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from .config import Settings
from .errors import InputError
from .findings import Finding, Report, assign_fingerprints, severity_rank
from .ingest import Document, Skipped, discover, read_document


def load_documents(paths: list[str], settings: Settings,
                   progress: Callable[[str], None] | None = None) -> tuple[list[Document], list[Skipped]]:
    """Read every auditable file under `paths`; raise when there is none."""
    files = discover(paths, settings.exclude)
    documents, skipped = [], []
    for path in files:
        if progress:
            progress(str(path))
        result = read_document(path, settings.max_bytes)
        (documents if isinstance(result, Document) else skipped).append(result)
    if not documents:
        reasons = "; ".join(f"{s.path}: {s.reason}" for s in skipped[:3])
        where = ", ".join(paths)
        raise InputError(f"{where}: no text to audit" + (f" ({reasons})" if reasons else ""))
    return documents, skipped


def run_audit(paths: list[str], settings: Settings,
              progress: Callable[[str], None] | None = None, *, jobs: int | None = None,
              engine: str | None = None, scheduler: str | None = None) -> Report:
    """Audit every text under `paths` and return the Report (`jobs`,
    `engine` and `scheduler` choose how the work is spread; see engine.py)."""
    from .ruleset import load_ruleset

    ruleset = load_ruleset(settings)  # a broken rule file fails before any text is read
    documents, skipped = load_documents(paths, settings, progress)
    return audit_documents(documents, settings, skipped, ruleset, jobs=jobs, engine=engine, scheduler=scheduler)


def audit_documents(documents: list[Document], settings: Settings, skipped: list[Skipped] = (),
                    ruleset: list | None = None, *, jobs: int | None = None, engine: str | None = None,
                    scheduler: str | None = None) -> Report:
    """Audit already-read documents and return the Report."""
    from . import engine as engines
    from .ruleset import load_ruleset

    if ruleset is None:
        ruleset = load_ruleset(settings)
    ruleset = [rule for rule in ruleset if _selected(rule.id, rule.name, settings)]
    merged = engines.audit(documents, ruleset, settings, engine, jobs, scheduler)
    findings = _apply_severity(merged.findings, settings)
    findings.sort(key=_finding_order)
    report = Report(
        documents=merged.summaries,
        findings=assign_fingerprints(findings),
        verified=merged.verified,
        skipped=[{"path": s.path, "reason": s.reason} for s in skipped] + merged.notes,
        rules=[{"id": r.id, "name": r.name, "kind": r.kind, "severity": r.severity,
                "description": r.description} for r in ruleset],
    )
    return report


def audit_text(text: str, settings: Settings | None = None, path: str = "text.txt") -> Report:
    """Audit one text given as a string (for tests and embedding)."""
    return audit_documents([Document(path=path, text=text, encoding="utf-8")], settings or Settings())


def _apply_severity(findings: list[Finding], settings: Settings) -> list[Finding]:
    out = []
    for finding in findings:
        if _selected(finding.rule, finding.symbol, settings) is False:
            continue
        level = settings.severity.get(finding.rule) or settings.severity.get(finding.symbol)
        if level == "off":
            continue
        out.append(replace(finding, severity=level) if level else finding)
    return out


def _selected(rule: str, symbol: str, settings: Settings) -> bool:
    names = {rule, symbol}
    if settings.enable and not names & set(settings.enable):
        return False
    return not names & set(settings.disable)


def _finding_order(finding: Finding):
    first = finding.evidence[0] if finding.evidence else None
    return (
        first.path if first else "",
        -severity_rank(finding.severity),
        first.start if first else 0,
        finding.rule,
        finding.message,
    )


def exit_code(report: Report, fail_on: str) -> int:
    """1 when a finding (a new one, with a baseline) is at or above fail_on."""
    if fail_on == "never":
        return 0
    threshold = severity_rank(fail_on)
    for finding in report.findings:
        if finding.status == "known":
            continue
        if severity_rank(finding.severity) >= threshold:
            return 1
    return 0
