"""The HTML report: one self-contained file (inline CSS, a small inline filter
script, no external assets) that reviewers open straight from disk.

The page is rendered from Jinja2 templates (`templates/report.html.j2`) with
autoescaping on, so every piece of document text is escaped by the template
engine, and a Content-Security-Policy allows only the report's own script:
hostile markup in a text shows as text and runs nothing. Jinja2 is imported
only when a report is rendered.
"""

from __future__ import annotations

import base64
import hashlib
import os
import shlex
import sys
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import quote as url_quote

from .grouping import (
    LEGEND_ROLES, SEVERITY_ORDER, findings_by_document, location, quote_locations, quotes, role_colour,
    verdict_segments,
)

TEMPLATES = Path(__file__).parent / "templates"
MAX_HEADER_PATHS = 6


def render_html(data: dict, lang: str | None = None, report_dir: str | None = None) -> str:
    """The report record as one self-contained HTML page, in `lang`, with
    links relative to `report_dir` (where the page will be written)."""
    from markupsafe import Markup

    from ..i18n import messages

    t = messages(lang)
    script = (TEMPLATES / "filter.js").read_text(encoding="utf-8")
    script_hash = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    base = os.path.abspath(report_dir or os.getcwd())
    context = {
        "t": t,
        "policy": Markup(f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{script_hash}'"),
        "style": Markup((TEMPLATES / "report.css").read_text(encoding="utf-8")),
        "script": Markup(script),
        "summary": data["summary"],
        "severities": SEVERITY_ORDER,
        "baseline": data.get("baseline"),
        "header": _header(data),
        "coverage": _coverage(data, t),
        "suppressed": suppressed_count(data),
        "documents": _documents(data, base),
        "has_document_coverage": bool((data.get("coverage") or {}).get("documents")),
        "present_severities": [s for s in SEVERITY_ORDER if any(f["severity"] == s for f in data["findings"])],
        "kinds": sorted({f["kind"] for f in data["findings"]}),
        "legend": LEGEND_ROLES,
        "groups": _groups(data, t, base),
        "verified": [_verified(v, t, base) for v in data["verified"]],
        "skipped": [{"path": s["path"], "reason": t.text(s["reason"])} for s in data["skipped"]],
    }
    return _environment().get_template("report.html.j2").render(context)


def _environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True, bytecode_cache=_template_cache())


def _template_cache():
    """Jinja's own cache of compiled templates, in the user cache (compiling
    the report template is a fifth of a short run)."""
    from .. import cache

    if not cache.enabled():
        return None
    from jinja2 import FileSystemBytecodeCache

    folder = cache.directory() / "templates"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder))


def href(path: str, base: str) -> str:
    """A link to `path` relative to the folder `base` the report is written to."""
    target = os.path.relpath(os.path.abspath(path), base)
    return url_quote(target.replace(os.sep, "/"), safe="/.-_~")


def _header(data: dict) -> dict:
    tool = data.get("tool", {})
    paths = data.get("paths") or sorted({os.path.dirname(d["path"]) or "." for d in data["documents"]})
    shown = list(paths[:MAX_HEADER_PATHS]) + (["…"] if len(paths) > MAX_HEADER_PATHS else [])
    date = data.get("date") or datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return {"date": date, "command": data.get("command") or _command(), "paths": shown,
            "tool": tool.get("name", "auditor"), "version": tool.get("version", "")}


def _command() -> str:
    """The audit command line this process runs, when it is one."""
    program = os.path.basename(sys.argv[0] if sys.argv else "")
    if program == "audit" or sys.argv[0:1] and sys.argv[0].replace(os.sep, "/").endswith("auditor/cli.py"):
        return shlex.join(["audit", *sys.argv[1:]])
    return ""


def suppressed_count(data: dict) -> int:
    """How many findings the report's `suppressions` (if any) held back."""
    value = data.get("suppressions")
    if isinstance(value, bool) or value is None:
        return 0
    return value if isinstance(value, int) else len(value) if isinstance(value, (list, dict)) else 0


def _coverage(data: dict, t) -> list[tuple[str, str]]:
    total = (data.get("coverage") or {}).get("total") or {}
    return [(t.phrase(str(key).replace("_", " ")), _shown(value)) for key, value in total.items()
            if not isinstance(value, (dict, list))]


def _shown(value) -> str:
    if isinstance(value, float):
        return f"{value:.0%}" if 0 <= value <= 1 else f"{value:,.2f}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _documents(data: dict, base: str) -> list[dict]:
    by_path = {c.get("path"): c for c in (data.get("coverage") or {}).get("documents") or [] if isinstance(c, dict)}
    rows = []
    for document in data["documents"]:
        coverage = by_path.get(document["path"], {})
        shown = ", ".join(f"{k} {_shown(v)}" for k, v in coverage.items()
                          if k != "path" and not isinstance(v, (dict, list)))
        rows.append({**document, "href": href(document["path"], base), "coverage": shown})
    return rows


def _quote_view(quote: dict, t, base: str) -> dict:
    pieces = []
    for text, role in quote["pieces"]:
        if role is None:
            pieces.append((text, None))
        else:
            colour = role_colour(role)
            pieces.append((text, {"cls": f"role-{colour}" if colour else "", "title": t.phrase(role)}))
    places = [{"text": shown, "href": href(evidence["path"], base)}
              for shown, evidence in zip(quote_locations(quote, t.phrase), quote["evidence"])]
    return {"pieces": pieces, "places": places}


def _computation_view(text: str, held: bool, t) -> list[tuple[str, str]]:
    return [(piece, ("verdict-held" if ok else "verdict-fail") if ok is not None else "")
            for piece, ok in verdict_segments(t.computation(text), held, t.verdict_words)]


def _groups(data: dict, t, base: str) -> list[dict]:
    descriptions = {rule["id"]: rule.get("description", "") for rule in data.get("rules") or []}
    groups = []
    for path, findings in findings_by_document(data):
        views = []
        for finding in findings:
            views.append({
                **finding,
                "status": finding.get("status", ""),
                "confidence": finding.get("confidence", ""),
                "description": t.description(finding["rule"], descriptions.get(finding["rule"], "")),
                "message": t.message(finding),
                "open": finding["severity"] != "info",
                "quotes": [_quote_view(q, t, base) for q in quotes(finding["evidence"], t)],
                "computation": _computation_view(finding["computation"], False, t) if finding["computation"] else [],
            })
        groups.append({"path": path, "href": href(path, base), "findings": views})
    return groups


def _verified(verified: dict, t, base: str) -> dict:
    first = verified["evidence"][0] if verified["evidence"] else None
    return {
        "rule": verified["rule"], "symbol": verified.get("symbol", ""), "kind": verified["kind"],
        "message": t.message(verified, verified=True),
        "path": first["path"] if first else "",
        "place": {"text": location(first), "href": href(first["path"], base)} if first else None,
        "quotes": [_quote_view(q, t, base) for q in quotes(verified["evidence"], t)],
        "computation": _computation_view(verified["computation"], True, t),
    }
