"""The Markdown report: the same content as the HTML report, readable on a
code-hosting site without any HTML."""

from __future__ import annotations

import re
import unicodedata

from .grouping import SEVERITY_MARK, SEVERITY_ORDER, findings_by_document, location, one_line, quote_locations, quotes

# Characters that make markup anywhere in a line (entities with &, raw HTML
# with <); the rest of Markdown syntax only counts at the start of a line.
_SPECIALS = re.compile(r"([\\`*_\[\]<>|~#&])")
_LINE_START = re.compile(r"^(\s*)([-+=]|\d+(?=[.)]))")


def escape(text: str, line_start: bool = False) -> str:
    """Document text made inert: Markdown specials backslash-escaped, one line;
    `line_start` when the text begins a line, where list markers count too."""
    escaped = _SPECIALS.sub(r"\\\1", one_line(text))
    return _LINE_START.sub(_escape_line_start, escaped) if line_start else escaped


def _escape_line_start(match: re.Match) -> str:
    lead, marker = match.groups()
    # a list number is made inert by escaping the dot after it, not the digits
    return lead + (marker + "\\" if marker[0].isdigit() else "\\" + marker)


def _code(text: str, in_table: bool = False) -> str:
    """An inline code span that survives backticks (and pipes, in a table cell)."""
    text = one_line(text)
    if in_table:
        text = text.replace("|", "\\|")
    fence = "``" if "`" in text else "`"
    return f"{fence} {text} {fence}" if fence == "``" else f"`{text}`"


def _quote(quote: dict) -> str:
    body = "".join(_bold(text) if role is not None else escape(text) for text, role in quote["pieces"])
    return f"> …{body}…"


def _is_punctuation(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


def _bold(text: str) -> str:
    """`text` in bold, with punctuation at either end kept outside the `**`:
    CommonMark does not close `**80%**的` (punctuation before the delimiter,
    a CJK letter after it), a common sight in Chinese text."""
    start, end = 0, len(text)
    while start < end and _is_punctuation(text[start]):
        start += 1
    while end > start and _is_punctuation(text[end - 1]):
        end -= 1
    if start == end:
        return escape(text)
    return f"{escape(text[:start])}**{escape(text[start:end])}**{escape(text[end:])}"


def _where(quote: dict) -> str:
    return " · ".join(_code(shown) for shown in quote_locations(quote))


def render_markdown(data: dict) -> str:
    """The report record as a Markdown document."""
    lines = ["# Audit report", ""]
    lines += _summary(data)
    lines += _findings(data)
    lines += _verified(data)
    lines += _skipped(data)
    return "\n".join(lines).rstrip() + "\n"


def _summary(data: dict) -> list[str]:
    summary = data["summary"]
    tool = data.get("tool", {})
    lines = [f"auditor {tool.get('version', '')} · **{summary['documents']}** documents · "
             f"**{summary['claims']}** claims · **{summary['findings']}** findings · "
             f"**{summary['verified']}** verified relations", ""]
    if data.get("baseline"):
        lines += [f"Baseline `{one_line(data['baseline'])}`: **{summary.get('new', 0)}** new, "
                  f"**{summary['findings'] - summary.get('new', 0)}** known.", ""]
    lines += ["| Severity | Findings |", "|---|---:|"]
    lines += [f"| {SEVERITY_MARK[s]} {s} | **{summary['by_severity'].get(s, 0)}** |" for s in SEVERITY_ORDER]
    lines.append("")
    if summary["by_kind"]:
        lines += ["| Kind | Findings |", "|---|---:|"]
        lines += [f"| {_code(kind, True)} | **{count}** |" for kind, count in summary["by_kind"].items()]
        lines.append("")
    lines += ["| Document | Encoding | Characters | Claims |", "|---|---|---:|---:|"]
    lines += [f"| {_code(d['path'], True)} | {escape(d['encoding'])} | {d['chars']} | {d['claims']} |"
              for d in data["documents"]]
    lines.append("")
    return lines


def _findings(data: dict) -> list[str]:
    if not data["findings"]:
        return ["## Findings", "", "No findings.", ""]
    lines = ["## Findings", ""]
    for path, findings in findings_by_document(data):
        lines += [f"### {_code(path)}", ""]
        for finding in findings:
            lines += _finding(finding)
    return lines


def _finding(finding: dict) -> list[str]:
    title = f"{SEVERITY_MARK.get(finding['severity'], '')} **{finding['severity']}** · " \
            f"`{finding['rule']}` {escape(finding.get('symbol', ''))} · {_code(finding['kind'])}"
    if finding.get("status"):
        title += f" · **{finding['status']}**"
    lines = [f"#### {title}", "", escape(finding["message"], line_start=True), ""]
    for quote in quotes(finding["evidence"]):
        lines += [_where(quote), "", _quote(quote), ""]
    if finding["computation"]:
        lines += [f"Computation: {_code(finding['computation'])}", ""]
    lines += [f"Fingerprint: `{finding['fingerprint']}`", ""]
    return lines


def _verified(data: dict) -> list[str]:
    if not data["verified"]:
        return []
    lines = ["## Verified relations", "", "| Rule | Relation | Computation | Where |", "|---|---|---|---|"]
    for verified in data["verified"]:
        where = location(verified["evidence"][0]) if verified["evidence"] else ""
        lines.append(f"| `{verified['rule']}` {escape(verified.get('symbol', ''))} | {escape(verified['message'])} "
                     f"| {_code(verified['computation'], True)} | {_code(where, True) if where else ''} |")
    lines.append("")
    return lines


def _skipped(data: dict) -> list[str]:
    if not data["skipped"]:
        return []
    lines = ["## Skipped files", "", "| File | Reason |", "|---|---|"]
    lines += [f"| {_code(s['path'], True)} | {escape(s['reason'])} |" for s in data["skipped"]]
    lines.append("")
    return lines
