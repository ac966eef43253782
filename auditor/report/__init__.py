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


def render(data: dict, fmt: str) -> str:
    """Render the report record `data` in format `fmt` (a key of RENDERERS)."""
    if RENDERERS[fmt] is None:
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    module_name, function_name = RENDERERS[fmt]
    return getattr(import_module(module_name, __package__), function_name)(data)


def write_reports(report: Report, directory: str) -> list[str]:
    """Write every report format into `directory`: all are rendered first,
    then all replaced together, so an interrupt never mixes old and new."""
    data = report.to_dict()
    contents = {Path(directory) / f"report.{fmt}": render(data, fmt) for fmt in RENDERERS}
    write_all_atomic(contents)
    return [str(path) for path in contents]
