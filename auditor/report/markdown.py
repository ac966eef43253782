"""The Markdown report: the same content as the HTML report, readable on a
code-hosting site without any HTML."""

from __future__ import annotations

import os
import re
import unicodedata
from html import escape as html_escape

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


def _link(text: str, target: str) -> str:
    """A Markdown link whose text is inert and whose target is percent-encoded."""
    return f"[{escape(text)}]({target})"


def _where(quote: dict, t, base: str) -> str:
    from .html import href

    return " · ".join(_link(shown, href(evidence["path"], base))
                      for shown, evidence in zip(quote_locations(quote, t.phrase), quote["evidence"]))


def _summary_tag(text: str) -> str:
    """A `<summary>` line: HTML, so its text is HTML-escaped (Markdown does not apply inside it)."""
    return f"<summary>{html_escape(one_line(text), quote=True)}</summary>"


def render_markdown(data: dict, lang: str | None = None, report_dir: str | None = None) -> str:
    """The report record as a Markdown document, in `lang`, with links relative to `report_dir`."""
    from ..i18n import messages

    t = messages(lang)
    base = os.path.abspath(report_dir or os.getcwd())
    lines = [f"# {t('report.title')}", ""]
    lines += _summary(data, t, base)
    lines += _findings(data, t, base)
    lines += _verified(data, t, base)
    lines += _skipped(data, t)
    return "\n".join(lines).rstrip() + "\n"


def _summary(data: dict, t, base: str) -> list[str]:
    from .html import href

    summary = data["summary"]
    tool = data.get("tool", {})
    lines = [t("md.totals", version=tool.get("version", ""), documents=summary["documents"],
               claims=summary["claims"], findings=summary["findings"], verified=summary["verified"]), ""]
    if data.get("baseline"):
        lines += [t("md.baseline", baseline=f"`{one_line(data['baseline'])}`", new=summary.get("new", 0),
                    known=summary["findings"] - summary.get("new", 0)), ""]
    coverage = (data.get("coverage") or {}).get("total") or {}
    shown = [f"{escape(t.phrase(str(k).replace('_', ' ')))} **{escape(str(v))}**" for k, v in coverage.items()
             if not isinstance(v, (dict, list))]
    if shown:
        lines += [f"{t('report.coverage')}: " + " · ".join(shown), ""]
    lines += [f"| {t('html.severity')} | {t('html.findings')} |", "|---|---:|"]
    lines += [f"| {SEVERITY_MARK[s]} {t.severity(s)} | **{summary['by_severity'].get(s, 0)}** |" for s in SEVERITY_ORDER]
    lines.append("")
    if summary["by_kind"]:
        lines += [f"| {t('html.kind')} | {t('html.findings')} |", "|---|---:|"]
        lines += [f"| {escape(t.kind(kind))} | **{count}** |" for kind, count in summary["by_kind"].items()]
        lines.append("")
    lines += [f"| {t('html.document')} | {t('html.encoding')} | {t('html.characters')} | {t('html.claims_column')} |",
              "|---|---|---:|---:|"]
    lines += [f"| [{_code(d['path'], True)}]({href(d['path'], base)}) | {escape(d['encoding'])} | {d['chars']} "
              f"| {d['claims']} |" for d in data["documents"]]
    lines.append("")
    return lines


def _findings(data: dict, t, base: str) -> list[str]:
    if not data["findings"]:
        return [f"## {t('html.findings')}", "", t("html.no_findings"), ""]
    lines = [f"## {t('html.findings')}", ""]
    for path, findings in findings_by_document(data):
        lines += [f"### {_code(path)}", ""]
        for finding in findings:
            lines += _finding(finding, t, base)
    return lines


def _finding(finding: dict, t, base: str) -> list[str]:
    severity = finding["severity"]
    title = f"{SEVERITY_MARK.get(severity, '')} **{t.severity(severity)}** · " \
            f"`{finding['rule']}` {escape(finding.get('symbol', ''))} · {escape(t.kind(finding['kind']))}"
    if finding.get("confidence"):
        title += f" · {escape(t('html.confidence', level=t.confidence(finding['confidence'])))}"
    if finding.get("status"):
        title += f" · **{t.status(finding['status'])}**"
    message = t.message(finding)
    body = []
    for quote in quotes(finding["evidence"], t):
        body += [_where(quote, t, base), "", _quote(quote), ""]
    if finding["computation"]:
        body += [f"{t('html.computation')}: {_code(t.computation(finding['computation']))}", ""]
    body += [f"{t('html.fingerprint')}: `{finding['fingerprint']}`", ""]
    if severity == "info":
        # info findings fold away: the summary line names the rule and the message
        summary = f"{SEVERITY_MARK['info']} {t.severity(severity)} · {finding['rule']} · {message}"
        return ["<details>", _summary_tag(summary), "", title, "", *body, "</details>", ""]
    return [f"#### {title}", "", escape(message, line_start=True), "", *body]


def _verified(data: dict, t, base: str) -> list[str]:
    from .html import href

    if not data["verified"]:
        return []
    lines = [f"## {t('html.verified_relations')}", "", "<details>",
             _summary_tag(t("md.verified_summary", n=len(data["verified"]))), "",
             f"| {t('html.rule')} | {t('html.relation')} | {t('html.computation')} | {t('html.where')} |",
             "|---|---|---|---|"]
    for verified in data["verified"]:
        first = verified["evidence"][0] if verified["evidence"] else None
        where = f"[{_code(location(first), True)}]({href(first['path'], base)})" if first else ""
        lines.append(f"| `{verified['rule']}` {escape(verified.get('symbol', ''))} "
                     f"| {escape(t.message(verified, verified=True))} "
                     f"| {_code(t.computation(verified['computation']), True)} | {where} |")
    lines += ["", "</details>", ""]
    return lines


def _skipped(data: dict, t) -> list[str]:
    if not data["skipped"]:
        return []
    lines = [f"## {t('html.skipped')}", "", f"| {t('html.file')} | {t('html.reason')} |", "|---|---|"]
    lines += [f"| {_code(s['path'], True)} | {escape(t.text(s['reason']))} |" for s in data["skipped"]]
    lines.append("")
    return lines
