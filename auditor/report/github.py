"""GitHub Actions workflow commands: one `::error`/`::warning`/`::notice`
annotation per finding, at the file, line and column of its first evidence,
titled with the rule id, as ruff's `--output-format github` prints them."""

from __future__ import annotations

_LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def render_github(data: dict, lang: str | None = None, report_dir: str | None = None) -> str:
    """One annotation line per finding (known ones too: the baseline state is in the title).
    Messages stay in English, as the JSON keeps them."""
    lines = []
    for finding in data["findings"]:
        level = _LEVELS.get(finding["severity"], "warning")
        properties = []
        if finding["evidence"]:
            first = finding["evidence"][0]
            properties += [f"file={_property(first['path'])}", f"line={first['line']}", f"col={first['column']}"]
        title = finding["rule"] + (f" ({finding['status']})" if finding.get("status") == "known" else "")
        properties.append(f"title={_property(title)}")
        message = finding["message"] + (f": {finding['computation']}" if finding.get("computation") else "")
        lines.append(f"::{level} {','.join(properties)}::{_data(message)}")
    return "".join(line + "\n" for line in lines)


def _data(text: str) -> str:
    # the escapes of GitHub's toolkit (issueCommand escapeData): a newline would end the command
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")
