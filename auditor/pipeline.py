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
from .findings import (Finding, Report, assign_fingerprints, coverage,
                       severity_rank)
from .ingest import Document, Skipped, discover, read_document
from .ruleset import rule_selected


def load_documents(paths: list[str], settings: Settings,
                   progress: Callable[[str], None] | None = None) -> tuple[list[Document], list[Skipped]]:
    """Read every auditable file under `paths`; raise when there is none."""
    files = discover(paths, settings.exclude, **walk_options(settings))
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


def walk_options(settings: Settings) -> dict:
    """What the walk must honour: ignore files, links, and the files it must
    never read (the report folder, the baseline)."""
    return {"ignore_files": settings.ignore_files, "follow_links": settings.follow_links,
            "never_read": (settings.report_dir, settings.baseline or "", settings.baseline_path)}


def run_audit(paths: list[str], settings: Settings,
              progress: Callable[[str], None] | None = None, extra_documents: list[Document] = (), *,
              jobs: int | None = None, engine: str | None = None, scheduler: str | None = None) -> Report:
    """Audit every text under `paths` (and `extra_documents`, e.g. standard input) and return the
    Report (`jobs`, `engine` and `scheduler` choose how the work is spread; see engine.py)."""
    from .ruleset import load_ruleset

    ruleset = load_ruleset(settings)  # a broken rule file fails before any text is read
    documents, skipped = load_documents(paths, settings, progress) if paths or not extra_documents else ([], [])
    return audit_documents(documents + list(extra_documents), settings, skipped, ruleset, jobs=jobs, engine=engine,
                           scheduler=scheduler)


def audit_documents(documents: list[Document], settings: Settings, skipped: list[Skipped] = (),
                    ruleset: list | None = None, *, jobs: int | None = None, engine: str | None = None,
                    scheduler: str | None = None) -> Report:
    """Audit already-read documents and return the Report."""
    from . import engine as engines
    from .ruleset import load_ruleset

    from .config import project_root, root_finder
    from .suppressions import apply_suppressions, regions_in

    if ruleset is None:
        ruleset = load_ruleset(settings)
    ruleset = [rule for rule in ruleset if rule_selected(settings, rule.id, rule.name, rule.kind)]
    root = project_root(settings)
    merged = engines.audit(documents, ruleset, settings, engine, jobs, scheduler)
    findings, verified, not_assessable, sources = merged.findings, merged.verified, merged.not_assessable, merged.sources
    # Each step below makes new finding objects; the merged lists must not keep the old ones alive.
    merged.findings = merged.verified = merged.not_assessable = None
    findings = _apply_severity(findings, settings)
    ignored = _per_file_ignored(settings, root)
    findings, verified, not_assessable = ([o for o in outcomes if not ignored(o)]
                                          for outcomes in (findings, verified, not_assessable))
    regions = [r for s in sources for r in regions_in(s.document, settings.max_bytes)]
    sources = merged.sources = None   # the normalized texts are not needed past this point
    findings, suppressed = apply_suppressions(findings, regions)
    findings.sort(key=_finding_order)
    summaries = merged.summaries
    rules_run = {s.path: sum(1 for r in ruleset if not ignored.rule_in(r, s.path)) if ignored.table else len(ruleset)
                 for s in summaries}
    report = Report(
        documents=summaries,
        findings=assign_fingerprints(findings, root_finder(settings)),
        verified=verified,
        skipped=[{"path": s.path, "reason": s.reason} for s in skipped] + merged.notes,
        rules=[{"id": r.id, "name": r.name, "kind": r.kind, "severity": r.severity,
                "description": r.description} for r in ruleset],
        coverage=coverage(summaries, rules_run, findings, verified, not_assessable),
        suppressed=assign_fingerprints(suppressed, root_finder(settings)),
    )
    return report


class _PerFileIgnores:
    """`per-file-ignores`: glob (relative to the project root) → rules not
    reported in matching files."""

    def __init__(self, table: dict, root: str):
        self.table = table
        self.root = root
        self._cache: dict[str, tuple[str, ...]] = {}

    def selectors(self, path: str) -> tuple[str, ...]:
        if path not in self._cache:
            import fnmatch
            from pathlib import PurePosixPath

            from .findings import _stable_path

            relative = _stable_path(path, self.root)
            self._cache[path] = tuple(
                s for pattern, names in self.table.items()
                if fnmatch.fnmatch(relative, pattern) or PurePosixPath(relative).match(pattern)
                for s in names)
        return self._cache[path]

    def rule_in(self, rule, path: str) -> bool:
        if not self.table:
            return False
        from .ruleset import selector_matches

        return any(selector_matches(s, rule.id, rule.name, rule.kind) for s in self.selectors(path))

    def __call__(self, outcome) -> bool:
        if not self.table or not outcome.evidence:
            return False
        from .ruleset import selector_matches

        return any(selector_matches(s, outcome.rule, outcome.symbol, outcome.kind)
                   for s in self.selectors(outcome.evidence[0].path))


def _per_file_ignored(settings: Settings, root: str) -> _PerFileIgnores:
    return _PerFileIgnores(dict(getattr(settings, "per_file_ignores", {}) or {}), root)


def audit_text(text: str, settings: Settings | None = None, path: str = "text.txt") -> Report:
    """Audit one text given as a string (for tests and embedding)."""
    return audit_documents([Document(path=path, text=text, encoding="utf-8")], settings or Settings())


def _apply_severity(findings: list[Finding], settings: Settings) -> list[Finding]:
    out = []
    for finding in findings:
        if not rule_selected(settings, finding.rule, finding.symbol, finding.kind):
            continue
        level = settings.severity.get(finding.rule) or settings.severity.get(finding.symbol)
        if level == "off":
            continue
        out.append(replace(finding, severity=level) if level else finding)
    return out


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
