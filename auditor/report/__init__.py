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
# --output-format name → RENDERERS key, or a renderer of its own (text is the terminal report)
OUTPUT_FORMATS = {"text": None, "json": "json", "sarif": "sarif", "markdown": "md", "html": "html",
                  "github": (".github", "render_github")}


def render(data: dict, fmt: str, lang: str | None = None, report_dir: str | None = None) -> str:
    """Render the report record `data` in format `fmt` (a key of RENDERERS,
    or an --output-format name other than text), its text in `lang`
    (English by default; JSON keeps the English messages and their
    `message_args`), with links relative to `report_dir`."""
    fmt = OUTPUT_FORMATS.get(fmt, fmt)
    if isinstance(fmt, tuple):
        module_name, function_name = fmt
    elif RENDERERS[fmt] is None:
        return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    else:
        module_name, function_name = RENDERERS[fmt]
    return getattr(import_module(module_name, __package__), function_name)(data, lang=lang, report_dir=report_dir)


def report_files(data: dict, directory: str | None, json_path: str | None = None,
                 lang: str | None = None) -> dict:
    """path → content of every report file of one run: the four formats in
    `directory` (when given) and the JSON at `json_path` (when given)."""
    contents: dict = {}
    if directory is not None:
        contents.update({Path(directory) / f"report.{fmt}": render(data, fmt, lang, directory) for fmt in RENDERERS})
    if json_path:
        contents[Path(json_path)] = render(data, "json")
    return contents


def write_reports(report: Report | dict, directory: str | None, lang: str | None = None,
                  json_path: str | None = None) -> list[str]:
    """Write every report file of a run as one set: all are rendered first,
    then all replaced together (see atomic.py), so no interrupt mixes old and new."""
    data = report.to_dict() if hasattr(report, "to_dict") else report
    contents = report_files(data, directory, json_path, lang)
    write_all_atomic(contents)
    return [str(path) for path in contents]
