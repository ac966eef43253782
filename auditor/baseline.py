"""Baseline: the fingerprints of known findings; CI fails only on new ones.

The file is JSON (`auditor-baseline/1`): one entry per known finding with its
fingerprint, plus the rule, path, line and message so a reviewer can read a
baseline diff. Only fingerprints are compared; lines are for people.
"""

from __future__ import annotations

import json
import re
from dataclasses import replace

from .atomic import write_atomic
from .errors import BaselineError
from .findings import REPORT_SCHEMA, Report
from .userfiles import read_user_file

BASELINE_SCHEMA = "auditor-baseline/1"
_SCHEMA_PATTERN = re.compile(r"auditor-baseline/(\d+)")
_FINGERPRINT = re.compile(r"[0-9a-f]{8,64}")
_RECREATE = "recreate it with 'audit baseline'"


def write_baseline(report: Report, path: str) -> int:
    """Write the fingerprints of the report's findings; return their number."""
    from . import __version__

    entries = sorted(
        ({"fingerprint": f.fingerprint, "rule": f.rule, "symbol": f.symbol,
          "path": f.evidence[0].path if f.evidence else "", "line": f.evidence[0].line if f.evidence else 0,
          "message": f.message} for f in report.findings),
        key=lambda e: (e["path"], e["line"], e["rule"], e["fingerprint"]),
    )
    data = {"schema": BASELINE_SCHEMA, "tool": {"name": "auditor", "version": __version__}, "findings": entries}
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    return len(entries)


def load_baseline(path: str) -> set[str]:
    """Read a baseline's fingerprints; a missing, corrupt, truncated, foreign
    or newer-schema file is a BaselineError with a one-line message."""
    text = read_user_file(path, BaselineError, "baseline file", " (create it with 'audit baseline')")
    if not text.strip():
        raise BaselineError(f"{path}: baseline file is empty; {_RECREATE}")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BaselineError(f"{path}: corrupt or truncated baseline, not valid JSON "
                            f"(line {error.lineno}, column {error.colno}); {_RECREATE}") from None
    _check_schema(data, path)
    entries = data.get("findings")
    if not isinstance(entries, list):
        raise BaselineError(f"{path}: corrupt baseline, 'findings' must be a list; {_RECREATE}")
    fingerprints = set()
    for number, entry in enumerate(entries, start=1):
        value = entry.get("fingerprint") if isinstance(entry, dict) else None
        if not isinstance(value, str) or not _FINGERPRINT.fullmatch(value):
            raise BaselineError(f"{path}: corrupt baseline, entry {number} has no valid fingerprint; {_RECREATE}")
        fingerprints.add(value)
    return fingerprints


def _check_schema(data, path: str) -> None:
    schema = data.get("schema") if isinstance(data, dict) else None
    if schema == BASELINE_SCHEMA:
        return
    if schema == REPORT_SCHEMA:
        raise BaselineError(f"{path}: is an audit report, not a baseline (create one with 'audit baseline')")
    match = _SCHEMA_PATTERN.fullmatch(schema) if isinstance(schema, str) else None
    if match and int(match.group(1)) > int(_SCHEMA_PATTERN.fullmatch(BASELINE_SCHEMA).group(1)):
        raise BaselineError(f"{path}: baseline schema '{schema}' comes from a newer auditor "
                            f"(this one reads '{BASELINE_SCHEMA}'); upgrade auditor or {_RECREATE}")
    what = f"schema '{schema}'" if isinstance(schema, str) else "no 'schema' key"
    raise BaselineError(f"{path}: not an auditor baseline ({what})")


def mark_findings(report: Report, known: set[str], path: str) -> Report:
    """Mark each finding new or known against the baseline fingerprints."""
    report.findings = [replace(f, status="known" if f.fingerprint in known else "new") for f in report.findings]
    report.baseline = path
    return report
