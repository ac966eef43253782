"""Baseline: the fingerprints of known findings; CI fails only on new ones.

The file is JSON (`auditor-baseline/2`): one entry per fingerprint with the
number of findings that share it (`count`), the fingerprint without paths
(`content`), plus rule, symbol, path and message so a reviewer can read a
baseline diff. No line numbers are stored, so moving text changes no entry;
a second copy of a known finding is new (its fingerprint is seen more often
than the count); an entry no longer seen is fixed, and `audit baseline
--prune` drops it. A finding whose file was moved or renamed matches its
entry by `content` once exact fingerprints have been matched.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, replace

from .atomic import write_atomic
from .errors import BaselineError
from .findings import REPORT_SCHEMA, Report, content_fingerprint
from .userfiles import read_user_file

BASELINE_SCHEMA = "auditor-baseline/2"
_SCHEMA_PATTERN = re.compile(r"auditor-baseline/(\d{1,6})")
_FINGERPRINT = re.compile(r"[0-9a-f]{8,64}")
_RECREATE = "recreate it with 'audit baseline'"
MAX_BASELINE_BYTES = 64 * 1024 * 1024
MAX_COUNT = 10 ** 9


@dataclass
class Baseline:
    """fingerprint → entry ({fingerprint, count, rule, symbol, path, message})."""

    path: str
    entries: dict[str, dict]

    def counts(self) -> dict[str, int]:
        return {fp: entry["count"] for fp, entry in self.entries.items()}


def baseline_entries(findings) -> list[dict]:
    """One entry per fingerprint, with its count, sorted for readable diffs."""
    entries: dict[str, dict] = {}
    for f in findings:
        entry = entries.get(f.fingerprint)
        if entry is None:
            entries[f.fingerprint] = {"fingerprint": f.fingerprint, "count": 1, "content": content_fingerprint(f),
                                      "rule": f.rule, "symbol": f.symbol,
                                      "path": f.evidence[0].path if f.evidence else "", "message": f.message}
        else:
            entry["count"] += 1
    return sorted(entries.values(), key=lambda e: (e["path"], e["rule"], e["message"], e["fingerprint"]))


def write_baseline(report: Report, path: str) -> int:
    """Write the fingerprints of the report's findings; return their number."""
    entries = baseline_entries(report.findings)
    _write(entries, path)
    return sum(e["count"] for e in entries)


def prune_baseline(report: Report, baseline: Baseline) -> tuple[int, int]:
    """Keep in `baseline` only what still occurs (a moved finding under its
    new fingerprint); add nothing. Return (findings kept, findings dropped)."""
    mark_findings(report, baseline)
    entries = baseline_entries(f for f in report.findings + report.suppressed if f.status == "known")
    _write(entries, baseline.path)
    return sum(e["count"] for e in entries), sum(e["count"] for e in report.fixed)


def _write(entries: list[dict], path: str) -> None:
    from . import __version__

    data = {"schema": BASELINE_SCHEMA, "tool": {"name": "auditor", "version": __version__}, "findings": entries}
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def load_baseline(path: str) -> Baseline:
    """Read a baseline; a missing, corrupt, truncated, foreign, too deeply
    nested or other-schema file is a BaselineError with a one-line message."""
    text = read_user_file(path, BaselineError, "baseline file", " (create it with 'audit baseline')",
                          limit=MAX_BASELINE_BYTES)
    if not text.strip():
        raise BaselineError(f"{path}: baseline file is empty; {_RECREATE}")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise BaselineError(f"{path}: corrupt or truncated baseline, not valid JSON "
                            f"(line {error.lineno}, column {error.colno}); {_RECREATE}") from None
    except RecursionError:
        raise BaselineError(f"{path}: corrupt baseline, nested too deeply; {_RECREATE}") from None
    except ValueError as error:  # e.g. an integer of thousands of digits
        raise BaselineError(f"{path}: corrupt baseline ({str(error).splitlines()[0][:120]}); {_RECREATE}") from None
    _check_schema(data, path)
    entries = data.get("findings")
    if not isinstance(entries, list):
        raise BaselineError(f"{path}: corrupt baseline, 'findings' must be a list; {_RECREATE}")
    known: dict[str, dict] = {}
    for number, entry in enumerate(entries, start=1):
        value = entry.get("fingerprint") if isinstance(entry, dict) else None
        if not isinstance(value, str) or not _FINGERPRINT.fullmatch(value):
            raise BaselineError(f"{path}: corrupt baseline, entry {number} has no valid fingerprint; {_RECREATE}")
        count = entry.get("count", 1)
        if not isinstance(count, int) or isinstance(count, bool) or not 1 <= count <= MAX_COUNT:
            raise BaselineError(f"{path}: corrupt baseline, entry {number} has no valid count; {_RECREATE}")
        record = {k: v for k, v in entry.items()
                  if k in ("content", "rule", "symbol", "path", "message") and isinstance(v, str)}
        if value in known:
            known[value]["count"] += count
        else:
            known[value] = {"fingerprint": value, "count": count, **record}
    return Baseline(path, known)


def _check_schema(data, path: str) -> None:
    schema = data.get("schema") if isinstance(data, dict) else None
    if schema == BASELINE_SCHEMA:
        return
    if schema == REPORT_SCHEMA:
        raise BaselineError(f"{path}: is an audit report, not a baseline (create one with 'audit baseline')")
    match = _SCHEMA_PATTERN.fullmatch(schema) if isinstance(schema, str) else None
    current = int(_SCHEMA_PATTERN.fullmatch(BASELINE_SCHEMA).group(1))
    if match and int(match.group(1)) > current:
        raise BaselineError(f"{path}: baseline schema '{schema}' comes from a newer auditor "
                            f"(this one reads '{BASELINE_SCHEMA}'); upgrade auditor or {_RECREATE}")
    if match:
        raise BaselineError(f"{path}: baseline schema '{schema}' comes from an older auditor whose "
                            f"fingerprints differ; {_RECREATE}")
    what = f"schema '{schema}'" if isinstance(schema, str) else "no 'schema' key"
    raise BaselineError(f"{path}: not an auditor baseline ({what})")


def mark_findings(report: Report, baseline: Baseline) -> Report:
    """Mark each finding new or known: the first `count` findings with a
    known fingerprint are known, later copies new; a finding left over whose
    path-free fingerprint matches an entry left over (its file was moved or
    renamed) is known too. Entries seen fewer times than their count are
    fixed (`report.fixed`, with the missing count). Suppressed findings use
    up their entries as well, and are marked the same way."""
    remaining = baseline.counts()
    everything = report.findings + report.suppressed
    known = [False] * len(everything)
    for index, finding in enumerate(everything):
        if remaining.get(finding.fingerprint, 0):
            remaining[finding.fingerprint] -= 1
            known[index] = True
    by_content: dict[str, list[str]] = {}
    for fp, left in remaining.items():
        content = baseline.entries[fp].get("content")
        if left and content:
            by_content.setdefault(content, []).append(fp)
    if by_content:
        for index, finding in enumerate(everything):
            if known[index]:
                continue
            for fp in by_content.get(content_fingerprint(finding), ()):
                if remaining[fp]:
                    remaining[fp] -= 1
                    known[index] = True
                    break
    marked = [replace(f, status="known" if k else "new") for f, k in zip(everything, known)]
    report.findings, report.suppressed = marked[:len(report.findings)], marked[len(report.findings):]
    report.fixed = [{**baseline.entries[fp], "count": left} for fp, left in remaining.items() if left]
    report.baseline = baseline.path
    return report
