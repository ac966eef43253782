"""The HTML report: one self-contained file (inline CSS, a tiny inline filter
script, no external assets) that reviewers open straight from disk.

Every piece of document text goes through `html.escape(..., quote=True)`, and
a Content-Security-Policy allows only the report's own script, so hostile
markup in a text shows as text and runs nothing.
"""

from __future__ import annotations

import base64
import hashlib
from html import escape

from .grouping import SEVERITY_ORDER, findings_by_document, location, quote_locations, quotes

_FILTER_SCRIPT = """
(function () {
  var selects = document.querySelectorAll('select[data-filter]');
  function apply() {
    var wanted = {};
    selects.forEach(function (s) { if (s.value) wanted[s.dataset.filter] = s.value; });
    var shown = 0;
    document.querySelectorAll('article.finding').forEach(function (a) {
      var ok = Object.keys(wanted).every(function (k) { return a.dataset[k] === wanted[k]; });
      a.hidden = !ok;
      if (ok) shown++;
    });
    document.querySelectorAll('section.document').forEach(function (s) {
      s.hidden = !s.querySelector('article.finding:not([hidden])');
    });
    var counter = document.getElementById('shown');
    if (counter) counter.textContent = String(shown);
  }
  selects.forEach(function (s) { s.addEventListener('change', apply); });
  document.documentElement.setAttribute('data-filters', 'ready');
})();
"""

_STYLE = """
:root { --fg:#1f2328; --muted:#656d76; --bg:#ffffff; --panel:#f6f8fa; --line:#d0d7de;
  --error:#cf222e; --error-bg:#ffebe9; --warning:#9a6700; --warning-bg:#fff8c5;
  --info:#0969da; --info-bg:#ddf4ff; --ok:#1a7f37; --mark:#fff1a8; }
@media (prefers-color-scheme: dark) { :root { --fg:#e6edf3; --muted:#8d96a0; --bg:#0d1117;
  --panel:#161b22; --line:#30363d; --error:#ff7b72; --error-bg:#3c1618; --warning:#d29922;
  --warning-bg:#3b2e0a; --info:#58a6ff; --info-bg:#0c2d6b; --ok:#3fb950; --mark:#5a4a00; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); line-height: 1.6;
  font: 15px/1.6 system-ui, -apple-system, "Segoe UI", "PingFang SC", "Hiragino Sans GB",
  "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", sans-serif; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 20px 64px; }
h1 { font-size: 26px; margin: 0 0 4px; } h2 { font-size: 20px; margin: 36px 0 12px;
  padding-bottom: 6px; border-bottom: 1px solid var(--line); }
h3 { font-size: 16px; margin: 24px 0 10px; font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; }
.meta, .where, .fp, .muted { color: var(--muted); font-size: 13px; }
code, pre, .where { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Noto Sans Mono CJK SC", monospace; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 20px 0; }
.card { flex: 1 1 120px; background: var(--panel); border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.card b { display: block; font-size: 26px; line-height: 1.2; }
.card span { color: var(--muted); font-size: 13px; }
.card.error b { color: var(--error); } .card.warning b { color: var(--warning); }
.card.info b { color: var(--info); } .card.ok b { color: var(--ok); }
table { border-collapse: collapse; margin: 8px 0 16px; font-size: 14px; }
th, td { border: 1px solid var(--line); padding: 4px 10px; text-align: left; vertical-align: top; }
th { background: var(--panel); font-weight: 600; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.tables { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
.filters { display: flex; flex-wrap: wrap; gap: 12px; align-items: center; background: var(--panel);
  border: 1px solid var(--line); border-radius: 8px; padding: 8px 12px; font-size: 14px; }
.filters select { font: inherit; padding: 2px 6px; border-radius: 6px; border: 1px solid var(--line);
  background: var(--bg); color: var(--fg); }
article.finding { border: 1px solid var(--line); border-left: 5px solid var(--info); border-radius: 8px;
  padding: 10px 16px; margin: 12px 0; background: var(--bg); }
article.sev-error { border-left-color: var(--error); } article.sev-warning { border-left-color: var(--warning); }
.head { display: flex; flex-wrap: wrap; gap: 8px; align-items: baseline; font-size: 14px; }
.badge { font-weight: 700; font-size: 12px; text-transform: uppercase; letter-spacing: .04em;
  padding: 1px 8px; border-radius: 999px; }
.badge.error { color: var(--error); background: var(--error-bg); }
.badge.warning { color: var(--warning); background: var(--warning-bg); }
.badge.info { color: var(--info); background: var(--info-bg); }
.status { font-size: 12px; padding: 1px 8px; border-radius: 999px; border: 1px solid var(--line); }
.status.new { color: var(--error); border-color: var(--error); font-weight: 700; }
.symbol, .kind { color: var(--muted); }
.message { margin: 6px 0; font-size: 16px; font-weight: 600; }
blockquote { margin: 8px 0 2px; padding: 8px 14px; background: var(--panel); border-left: 3px solid var(--line);
  border-radius: 4px; font-size: 16px; line-height: 1.9; overflow-wrap: anywhere; }
mark { background: var(--mark); color: inherit; font-weight: 700; padding: 1px 2px; border-radius: 3px; }
pre.computation { margin: 8px 0 4px; padding: 6px 12px; background: var(--panel); border-radius: 6px;
  white-space: pre-wrap; font-size: 14px; }
ul.verified { list-style: none; padding: 0; } ul.verified li { padding: 6px 0; border-bottom: 1px solid var(--line); }
.check { color: var(--ok); font-weight: 700; margin-right: 6px; }
ul.verified pre.computation { margin: 2px 0; padding: 2px 10px; font-size: 13px; background: none; }
ul.verified details blockquote { font-size: 15px; }
[hidden] { display: none !important; }
"""


def render_html(data: dict) -> str:
    """The report record as one self-contained HTML page."""
    summary = data["summary"]
    script_hash = base64.b64encode(hashlib.sha256(_FILTER_SCRIPT.encode("utf-8")).digest()).decode("ascii")
    policy = f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{script_hash}'"
    title = f"Audit report · {summary['findings']} findings"
    parts = [
        "<!DOCTYPE html>", '<html lang="zh-Hans">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">',
        f"<title>{escape(title)}</title>", f"<style>{_STYLE}</style>", "</head>", "<body>", "<main>",
        _header(data), _summary(data), _findings(data), _verified(data), _skipped(data),
        "</main>", f"<script>{_FILTER_SCRIPT}</script>", "</body>", "</html>",
    ]
    return "\n".join(part for part in parts if part) + "\n"


def _e(value) -> str:
    return escape(str(value), quote=True)


def _header(data: dict) -> str:
    tool = data.get("tool", {})
    baseline = f" · baseline <code>{_e(data['baseline'])}</code>" if data.get("baseline") else ""
    return (f"<header><h1>Audit report</h1><p class=\"meta\">{_e(tool.get('name', 'auditor'))} "
            f"{_e(tool.get('version', ''))}{baseline}</p></header>")


def _card(count, label: str, css: str = "") -> str:
    return f'<div class="card {css}"><b>{_e(count)}</b><span>{_e(label)}</span></div>'


def _summary(data: dict) -> str:
    summary = data["summary"]
    cards = [_card(summary["documents"], "documents"), _card(summary["claims"], "claims")]
    cards += [_card(summary["by_severity"].get(s, 0), s, s) for s in SEVERITY_ORDER]
    if data.get("baseline"):
        cards.append(_card(summary.get("new", 0), "new since baseline", "error"))
    cards.append(_card(summary["verified"], "verified", "ok"))
    kinds = "".join(f'<tr><td>{_e(k)}</td><td class="num">{_e(n)}</td></tr>' for k, n in summary["by_kind"].items())
    kind_table = f"<table><tr><th>Kind</th><th>Findings</th></tr>{kinds}</table>" if kinds else ""
    documents = "".join(
        f'<tr><td><code>{_e(d["path"])}</code></td><td>{_e(d["encoding"])}</td>'
        f'<td class="num">{_e(d["chars"])}</td><td class="num">{_e(d["claims"])}</td></tr>' for d in data["documents"])
    document_table = ("<table><tr><th>Document</th><th>Encoding</th><th>Characters</th><th>Claims</th></tr>"
                      f"{documents}</table>")
    return (f'<section class="summary"><div class="cards">{"".join(cards)}</div>'
            f'<div class="tables">{kind_table}{document_table}</div></section>')


def _filters(data: dict) -> str:
    def select(name: str, label: str, values) -> str:
        options = "".join(f'<option value="{_e(v)}">{_e(v)}</option>' for v in values)
        return (f'<label>{_e(label)} <select data-filter="{_e(name)}"><option value="">all</option>'
                f"{options}</select></label>")

    findings = data["findings"]
    present = {f["severity"] for f in findings}
    controls = [select("severity", "Severity", [s for s in SEVERITY_ORDER if s in present]),
                select("kind", "Kind", sorted({f["kind"] for f in findings})),
                select("document", "Document", [path for path, _ in findings_by_document(data)])]
    if data.get("baseline"):
        controls.append(select("status", "Status", ["new", "known"]))
    return (f'<div class="filters">{"".join(controls)}'
            f'<span class="muted"><span id="shown">{len(findings)}</span> shown</span></div>')


def _findings(data: dict) -> str:
    if not data["findings"]:
        return '<section id="findings"><h2>Findings</h2><p>No findings.</p></section>'
    descriptions = {rule["id"]: rule.get("description", "") for rule in data.get("rules") or []}
    groups = []
    for path, findings in findings_by_document(data):
        articles = "".join(_finding(f, path, descriptions.get(f["rule"], "")) for f in findings)
        groups.append(f'<section class="document" data-path="{_e(path)}"><h3>{_e(path)}</h3>{articles}</section>')
    return f'<section id="findings"><h2>Findings</h2>{_filters(data)}{"".join(groups)}</section>'


def _finding(finding: dict, path: str, description: str = "") -> str:
    severity = finding["severity"]
    status = finding.get("status", "")
    attributes = (f'data-severity="{_e(severity)}" data-kind="{_e(finding["kind"])}" '
                  f'data-document="{_e(path)}" data-status="{_e(status)}"')
    head = (f'<div class="head"><span class="badge {_e(severity)}">{_e(severity)}</span>'
            f'<code title="{_e(description)}">{_e(finding["rule"])}</code>'
            f'<span class="symbol">{_e(finding.get("symbol", ""))}</span><span class="kind">{_e(finding["kind"])}</span>'
            + (f'<span class="status {_e(status)}">{_e(status)}</span>' if status else "") + "</div>")
    body = [head, f'<p class="message">{_e(finding["message"])}</p>']
    body += [_quote(q) for q in quotes(finding["evidence"])]
    if finding["computation"]:
        body.append(f'<pre class="computation">{_e(finding["computation"])}</pre>')
    body.append(f'<div class="fp">fingerprint <code>{_e(finding["fingerprint"])}</code></div>')
    return f'<article class="finding sev-{_e(severity)}" {attributes}>{"".join(body)}</article>'


def _quote(quote: dict) -> str:
    pieces = "".join(f'<mark title="{_e(role)}">{_e(text)}</mark>' if role is not None else _e(text)
                     for text, role in quote["pieces"])
    where = " · ".join(_e(shown) for shown in quote_locations(quote))
    return f'<blockquote>…{pieces}…</blockquote><div class="where">{where}</div>'


def _verified(data: dict) -> str:
    if not data["verified"]:
        return ""
    items = []
    for verified in data["verified"]:
        where = _e(location(verified["evidence"][0])) if verified["evidence"] else ""
        quote = "".join(_quote(q) for q in quotes(verified["evidence"]))
        items.append(f'<li><span class="check">✓</span><code>{_e(verified["rule"])}</code> '
                     f'<span class="symbol">{_e(verified.get("symbol", ""))}</span> {_e(verified["message"])}'
                     f'<pre class="computation">{_e(verified["computation"])}</pre>'
                     f'<details><summary class="where">{where}</summary>{quote}</details></li>')
    return (f'<section id="verified"><h2>Verified relations ({len(items)})</h2>'
            f'<ul class="verified">{"".join(items)}</ul></section>')


def _skipped(data: dict) -> str:
    if not data["skipped"]:
        return ""
    rows = "".join(f'<tr><td><code>{_e(s["path"])}</code></td><td>{_e(s["reason"])}</td></tr>' for s in data["skipped"])
    return (f'<section id="skipped"><h2>Skipped files</h2>'
            f"<table><tr><th>File</th><th>Reason</th></tr>{rows}</table></section>")
