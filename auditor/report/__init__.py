"""Report formats. Every format renders the same JSON-ready record
(`Report.to_dict()`), so formats never disagree."""

from __future__ import annotations

import json
from importlib import import_module
from pathlib import Path

from ..atomic import write_all_atomic
from ..findings import Report

# file suffix → (module, function rendering the report dict to text); None is plain JSON
RENDERERS = {
    "json": None,
    "md": (".markdown", "render_markdown"),
    "html": (".html", "render_html"),
    "sarif": (".sarif", "render_sarif"),
}


def render(data: dict, fmt: str, lang: str | None = None, report_dir: str | None = None) -> str:
    """Render the report record `data` in format `fmt` (a key of RENDERERS),
    its text in `lang` (English by default; JSON keeps the English messages
    and their `message_args`), with links relative to `report_dir`."""
    if RENDERERS[fmt] is None:
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    module_name, function_name = RENDERERS[fmt]
    return getattr(import_module(module_name, __package__), function_name)(data, lang=lang, report_dir=report_dir)


def write_reports(report: Report, directory: str, lang: str | None = None) -> list[str]:
    """Write every report format into `directory`: all are rendered first,
    then all replaced together, so an interrupt never mixes old and new."""
    data = report.to_dict() if hasattr(report, "to_dict") else report
    contents = {Path(directory) / f"report.{fmt}": render(data, fmt, lang, directory) for fmt in RENDERERS}
    write_all_atomic(contents)
    return [str(path) for path in contents]
