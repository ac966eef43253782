"""The SARIF 2.1.0 report, for code-scanning services and editors.

Columns count Unicode code points (`columnKind`), as every auditor offset
does; uris are relative to the folder the audit ran in.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from urllib.parse import quote

from .grouping import evidence_end

SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "auditorFingerprint/v1"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def render_sarif(data: dict) -> str:
    """The report record as a SARIF 2.1.0 log."""
    suppressed = data.get("suppressed") or []   # inline-suppressed findings: results with `suppressions`
    rules = _rules({**data, "findings": data["findings"] + suppressed})
    index = {rule["id"]: position for position, rule in enumerate(rules)}
    run = {
        "tool": {"driver": {"name": data.get("tool", {}).get("name", "auditor"),
                            "version": str(data.get("tool", {}).get("version", "")),
                            "rules": rules}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, index, bool(data.get("baseline"))) for f in data["findings"]]
        + [{**_result(f, index, False), "suppressions": f["suppressions"]} for f in suppressed],
        "invocations": [_invocation(data)],
    }
    if data.get("coverage"):
        run["properties"] = {"coverage": data["coverage"]}
    log = {"$schema": SARIF_SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _rules(data: dict) -> list[dict]:
    """Rule metadata: the report's own `rules` list, plus any rule that only
    appears in findings (repeated passages, text damage)."""
    declared = {r["id"]: r for r in data.get("rules") or []}
    for finding in data["findings"]:
        declared.setdefault(finding["rule"], {
            "id": finding["rule"], "name": finding.get("symbol") or finding["rule"], "kind": finding["kind"],
            "severity": finding["severity"],
            "description": f"{finding['kind'].replace('_', ' ')}: {finding.get('symbol') or finding['rule']}",
        })
    return [_rule(r) for r in declared.values()]


def _rule(rule: dict) -> dict:
    description = (rule.get("description") or rule.get("name") or rule["id"]).strip()
    short = description.split("\n", 1)[0].strip() or rule["id"]
    return {
        "id": rule["id"],
        "name": rule.get("name") or rule["id"],
        "shortDescription": {"text": short},
        "fullDescription": {"text": description},
        "help": {"text": description},
        "defaultConfiguration": {"level": _LEVELS.get(rule.get("severity"), "warning")},
        "properties": {"kind": rule.get("kind", "")},
    }


def _uri(path: str) -> str:
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            candidate = candidate.relative_to(Path.cwd())
        except ValueError:
            return candidate.as_uri()
    return quote(os.path.normpath(str(candidate)).replace(os.sep, "/"), safe="/")


def _location(evidence: dict, identifier: int | None = None) -> dict:
    end_line, end_column = evidence_end(evidence)
    location = {"physicalLocation": {
        "artifactLocation": {"uri": _uri(evidence["path"])},
        "region": {"startLine": evidence["line"], "startColumn": evidence["column"],
                   "endLine": end_line, "endColumn": end_column,
                   "charOffset": evidence["start"], "charLength": evidence["end"] - evidence["start"],
                   "snippet": {"text": evidence["text"]}},
    }}
    if identifier is not None:
        location["id"] = identifier
        location["message"] = {"text": evidence.get("role") or "related evidence"}
    return location


def _result(finding: dict, index: dict, with_baseline: bool) -> dict:
    text = finding["message"] + (f" — {finding['computation']}" if finding["computation"] else "")
    result = {
        "ruleId": finding["rule"], "ruleIndex": index[finding["rule"]],
        "level": _LEVELS.get(finding["severity"], "warning"),
        "message": {"text": text},
        "locations": [_location(e) for e in finding["evidence"][:1]],
        "partialFingerprints": {FINGERPRINT_KEY: finding["fingerprint"]},
        "properties": {"kind": finding["kind"], "symbol": finding.get("symbol", ""),
                       "computation": finding["computation"]},
    }
    related = [_location(e, number) for number, e in enumerate(finding["evidence"][1:], start=1)]
    if related:
        result["relatedLocations"] = related
    if with_baseline and finding.get("status"):
        result["baselineState"] = "unchanged" if finding["status"] == "known" else "new"
    return result


def _invocation(data: dict) -> dict:
    notes = [{"level": "note", "message": {"text": f"skipped: {s['reason']}"},
              "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(s["path"])}}}]}
             for s in data["skipped"]]
    invocation = {"executionSuccessful": True}
    if notes:
        invocation["toolExecutionNotifications"] = notes
    return invocation
