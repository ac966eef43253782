"""The SARIF 2.1.0 report, for code-scanning services and editors.

Columns count Unicode code points (`columnKind`), as every auditor offset
does; uris are relative to the folder the audit ran in.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from functools import lru_cache
from urllib.parse import quote

from .grouping import evidence_end

SARIF_SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "auditorFingerprint/v1"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def render_sarif(data: dict, lang: str | None = None, report_dir: str | None = None) -> str:
    """The report record as a SARIF 2.1.0 log (messages in `lang`; uris relative to the folder audit ran in)."""
    from ..i18n import messages

    t = messages(lang)
    suppressed = data.get("suppressions") or []   # inline-suppressed findings: results with `suppressions`
    rules = _rules({**data, "findings": data["findings"] + suppressed}, t)
    index = {rule["id"]: position for position, rule in enumerate(rules)}
    run = {
        "tool": {"driver": {"name": data.get("tool", {}).get("name", "auditor"),
                            "version": str(data.get("tool", {}).get("version", "")),
                            "rules": rules}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(f, index, bool(data.get("baseline")), t) for f in data["findings"]]
        + [{**_result(f, index, False, t), "suppressions": f["suppressions"]} for f in suppressed],
        "invocations": [_invocation(data)],
    }
    if data.get("coverage"):
        run["properties"] = {"coverage": data["coverage"]}
    log = {"$schema": SARIF_SCHEMA_URI, "version": "2.1.0", "runs": [run]}
    return json.dumps(log, ensure_ascii=False, indent=2) + "\n"


def _rules(data: dict, t) -> list[dict]:
    """Rule metadata: the report's own `rules` list, plus any rule that only
    appears in findings (repeated passages, text damage)."""
    declared = {r["id"]: r for r in data.get("rules") or []}
    for finding in data["findings"]:
        declared.setdefault(finding["rule"], {
            "id": finding["rule"], "name": finding.get("symbol") or finding["rule"], "kind": finding["kind"],
            "severity": finding["severity"],
            "description": f"{finding['kind'].replace('_', ' ')}: {finding.get('symbol') or finding['rule']}",
        })
    return [_rule(r, t) for r in declared.values()]


def _rule(rule: dict, t) -> dict:
    english = (rule.get("description") or rule.get("name") or rule["id"]).strip()
    description = t.description(rule["id"], english).strip()
    short = description.split("\n", 1)[0].strip() or rule["id"]
    return {
        "id": rule["id"],
        "name": rule.get("name") or rule["id"],
        "shortDescription": {"text": short},
        "fullDescription": {"text": description},
        "help": {"text": description, "markdown": _help_markdown(rule, description, t)},
        "helpUri": help_uri(rule),
        "defaultConfiguration": {"level": _LEVELS.get(rule.get("severity"), "warning")},
        "properties": {"kind": rule.get("kind", "")},
    }


def _help_markdown(rule: dict, description: str, t) -> str:
    """The rule's help: its description, its own example, and its kind's documentation (with the kind's example)."""
    from .terminal import kind_documentation

    kind = rule.get("kind", "")
    parts = [f"**{rule['id']} {rule.get('name') or ''}** · {t.kind(kind)} · {t.severity(rule.get('severity', ''))}",
             description]
    example = str(rule.get("example") or "").strip()
    if example:
        parts.append(f"**{t('explain.example')}**\n\n```text\n{example}\n```")
    kind_doc = t.kind_doc(kind, kind_documentation(kind)).strip() if kind else ""
    if kind_doc:
        parts.append(f"**{t('explain.kind', kind=t.kind(kind))}**\n\n{kind_doc}")
    return "\n\n".join(parts)


def help_uri(rule: dict) -> str:
    """The rule's section of the README (the project's home page when the package names one)."""
    return f"{_home()}README.md#{readme_anchor(rule)}"


def readme_anchor(rule: dict) -> str:
    """The README heading that documents a rule: its id and symbol (e.g. `sum01-arithmeticpartition`)."""
    import re

    heading = f"{rule['id']} {rule.get('name') or ''}".strip().lower()
    return re.sub(r"[^\w\- ]", "", heading).replace(" ", "-")


@lru_cache(maxsize=1)
def _home() -> str:
    from importlib import metadata

    try:
        urls = metadata.metadata("auditor").get_all("Project-URL") or []
    except metadata.PackageNotFoundError:
        urls = []
    for entry in urls:
        label, _, url = entry.partition(",")
        if label.strip().lower() in ("homepage", "repository", "source", "documentation") and url.strip():
            return url.strip().rstrip("/") + "/blob/main/"
    return ""


def _uri(path: str) -> str:
    candidate = Path(path)
    if candidate.is_absolute():
        try:
            candidate = candidate.relative_to(Path.cwd())
        except ValueError:
            return candidate.as_uri()
    return quote(os.path.normpath(str(candidate)).replace(os.sep, "/"), safe="/")


def _location(evidence: dict, identifier: int | None = None, t=None) -> dict:
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
        role = evidence.get("role") or "related evidence"
        location["message"] = {"text": t.phrase(role) if t else role}
    return location


def _escape_text(text: str) -> str:
    """Message text in which a literal bracket is not a link."""
    return text.replace("\\", "\\\\").replace("[", "\\[").replace("]", "\\]")


def _result(finding: dict, index: dict, with_baseline: bool, t) -> dict:
    computation = t.computation(finding["computation"]) if finding["computation"] else ""
    text = _escape_text(t.message(finding) + (f" — {computation}" if computation else ""))
    # code scanning shows a related location only when the message links it: [role](id)
    links = [f"[{_escape_text(t.phrase(e.get('role') or 'related evidence'))}]({number})"
             for number, e in enumerate(finding["evidence"][1:], start=1)]
    if links:
        text += " " + t("sarif.related", links=", ".join(links))
    result = {
        "ruleId": finding["rule"], "ruleIndex": index[finding["rule"]],
        "level": _LEVELS.get(finding["severity"], "warning"),
        "message": {"text": text},
        "locations": [_location(e) for e in finding["evidence"][:1]],
        "partialFingerprints": {FINGERPRINT_KEY: finding["fingerprint"]},
        "properties": {"kind": finding["kind"], "symbol": finding.get("symbol", ""),
                       "computation": finding["computation"], "confidence": finding.get("confidence", "")},
    }
    related = [_location(e, number, t) for number, e in enumerate(finding["evidence"][1:], start=1)]
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
