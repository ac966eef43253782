"""Baseline: the fingerprints of known findings; CI fails only on new ones."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from .atomic import write_atomic
from .errors import BaselineError
from .findings import Report

BASELINE_SCHEMA = "auditor-baseline/1"


def write_baseline(report: Report, path: str) -> int:
    """Write the fingerprints of the report's findings; return their number."""
    entries = sorted(
        ({"fingerprint": f.fingerprint, "rule": f.rule, "path": f.evidence[0].path if f.evidence else "",
          "message": f.message} for f in report.findings),
        key=lambda e: (e["path"], e["rule"], e["fingerprint"]),
    )
    data = {"schema": BASELINE_SCHEMA, "findings": entries}
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return len(entries)


def load_baseline(path: str) -> set[str]:
    """Read a baseline's fingerprints; a corrupt or foreign file is an error."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise BaselineError(f"{path}: no such baseline file (create it with 'audit baseline')") from None
    except (OSError, UnicodeDecodeError) as error:
        raise BaselineError(f"{path}: cannot read baseline ({error})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BaselineError(f"{path}: corrupt baseline, not valid JSON (line {error.lineno}): "
                            "recreate it with 'audit baseline'") from None
    if not isinstance(data, dict) or "schema" not in data:
        raise BaselineError(f"{path}: not an auditor baseline (no 'schema' key)")
    if data["schema"] != BASELINE_SCHEMA:
        raise BaselineError(f"{path}: baseline schema '{data['schema']}' is not supported "
                            f"(this auditor reads '{BASELINE_SCHEMA}')")
    entries = data.get("findings")
    if not isinstance(entries, list) or not all(isinstance(e, dict) and isinstance(e.get("fingerprint"), str)
                                                for e in entries):
        raise BaselineError(f"{path}: corrupt baseline, 'findings' must be a list of entries with a fingerprint")
    return {e["fingerprint"] for e in entries}


def mark_findings(report: Report, known: set[str], path: str) -> Report:
    """Mark each finding new or known against the baseline fingerprints."""
    report.findings = [replace(f, status="known" if f.fingerprint in known else "new") for f in report.findings]
    report.baseline = path
    return report
