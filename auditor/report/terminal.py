"""The terminal report, drawn with rich (imported lazily, inside functions,
so `audit --version` stays fast).

Findings come first, grouped by document and most severe first, each with its
quote and arithmetic; then (with --verbose) the verified relations; the
summary table comes last so it is on screen when the run ends. Colours follow
rich's terminal detection and `NO_COLOR`; piped output has no escape codes.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys

from .grouping import (
    SEVERITY_MARK, SEVERITY_ORDER, findings_by_document, location, quote_locations, quotes, verdict_segments,
)

MANY_FILES = 10  # below this, reading is too quick for a progress bar to help
_SEVERITY_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold blue"}
# control characters (ESC starts terminal commands) and bidi overrides that could reorder what is shown
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """`text` with control characters and bidi overrides shown as `\\xNN` / `\\uNNNN`, so
    a quoted text cannot drive the terminal."""
    return _INVISIBLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                          else f"\\u{ord(m.group()):04x}", text)


QUIET_UNSHOWN = ("findings", "verified", "suppressed", "not_assessable")


def _visible_record(value):
    if isinstance(value, str):
        return visible(value)
    if isinstance(value, list):
        return [_visible_record(v) for v in value]
    if isinstance(value, dict):
        return {k: _visible_record(v) for k, v in value.items()}
    return value


def _console(stderr: bool = False):
    from rich.console import Console

    plain = bool(os.environ.get("NO_COLOR"))
    # color_system=None drops every style, not just colours: NO_COLOR output is plain text.
    return Console(stderr=stderr, highlight=False, emoji=False,
                   **({"color_system": None} if plain else {}))


@contextlib.contextmanager
def progress_reporter(total: int = 0):
    """Yield a `progress(path)` callable drawing a bar on stderr, or None when
    stderr is not a terminal or there are too few files to bother."""
    if total < MANY_FILES or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    columns = (TextColumn("reading"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.description}"))
    with Progress(*columns, console=_console(stderr=True), transient=True) as progress:
        task = progress.add_task("", total=total)

        def advance(path: str) -> None:
            progress.update(task, advance=1, description=os.path.basename(path))

        yield advance


def print_message(message: str) -> None:
    """Print one plain line (no markup interpretation)."""
    _console().print(visible(message), markup=False, soft_wrap=True)


def print_report(report, verbose: bool = False, quiet: bool = False, written=(), lang: str | None = None,
                 console=None, record: dict | None = None) -> None:
    """Print the findings, the verified relations (verbose) and the summary, in
    `lang`. `record` is the report's data when the caller has it already."""
    from ..i18n import messages

    t = messages(lang)
    console = console or _console()
    if record is None:
        if not hasattr(report, "to_dict"):
            record = report
        elif quiet:
            record = _counted_record(report)
        else:
            record = report.to_dict()
    if quiet:  # only the summary is printed: of the outcomes it counts kinds and severities, which are ours
        data = {key: value if key in QUIET_UNSHOWN else _visible_record(value) for key, value in record.items()}
    else:
        data = _visible_record(record)
    written = [visible(str(path)) for path in written]
    if not quiet:
        for path, findings in findings_by_document(data):
            console.rule(_text(path, "bold"), align="left")
            for finding in findings:
                _print_finding(console, finding, t)
        if verbose and data["verified"]:
            console.rule(_text(t("terminal.verified", n=len(data["verified"])), "bold green"), align="left")
            for verified in data["verified"]:
                _print_verified(console, verified, t)
        if verbose and data["verified"]:
            console.print()
    _print_summary(console, data, t)
    if written and not quiet:
        console.print(_text(t("terminal.reports", files=", ".join(written)), "dim"), soft_wrap=True)


def _counted_record(report) -> dict:
    """What the summary reads of a report: the whole record but the outcomes,
    of which it counts kinds and severities (building every quote of a large
    run only to count it cost as much memory as the run)."""
    return {"summary": report.summary(), "baseline": report.baseline, "skipped": list(report.skipped),
            "coverage": report.coverage, "findings": [{"kind": f.kind, "severity": f.severity} for f in report.findings],
            "verified": [], "suppressions": [], "not_assessable": []}


def _text(value: str, style: str = ""):
    from rich.text import Text

    return Text(visible(value), style=style)


def _print_finding(console, finding: dict, t) -> None:
    from rich.text import Text

    severity = finding["severity"]
    head = Text(" ")
    head.append(f"{SEVERITY_MARK.get(severity, '?')} {t.severity(severity)}", _SEVERITY_STYLE.get(severity, "bold"))
    head.append(f"  {finding['rule']}", "bold")
    if finding.get("symbol"):
        head.append(f" {finding['symbol']}", "cyan")
    head.append(f"  ({t.kind(finding['kind'])}", "dim")
    if finding.get("confidence"):
        head.append(", " + t("terminal.confidence", level=t.confidence(finding["confidence"])), "dim")
    head.append(")", "dim")
    if finding.get("status"):
        head.append(f"  [{t.status(finding['status'])}]",
                    "bold magenta" if finding["status"] == "new" else "dim")
    console.print(head, soft_wrap=True)
    _print_wrapped(console, Text(t.message(finding)), "   ", "   ")
    _print_quotes(console, finding["evidence"], t)
    if finding["computation"]:
        _print_wrapped(console, _computation(t.computation(finding["computation"]), severity, t.verdict_words),
                       "   = ", "     ")
    console.print()


def _computation(text: str, severity: str | None, words: tuple[str, ...] = ()):
    """The computation at normal brightness, its verdict signs coloured (green held, severity colour failed)."""
    from rich.text import Text

    line = Text()
    for piece, ok in verdict_segments(text, severity is None, words):
        style = "" if ok is None else "bold green" if ok else _SEVERITY_STYLE.get(severity or "", "bold red")
        line.append(piece, style)
    return line


def _print_wrapped(console, text, first: str, rest: str, gutter_style: str = "dim") -> None:
    """`text` after `first`, wrapped to the console width with `rest` before every continuation line,
    so a gutter stays a gutter; piped output is not wrapped (one line per item, for grep)."""
    from rich.text import Text

    def joined(prefix: str, body):
        line = Text()
        line.append(prefix, gutter_style)   # only the gutter is dim, not what follows it
        line.append_text(body)
        return line

    if not console.is_terminal and not console.record:
        console.print(joined(first, text), soft_wrap=True)
        return
    width = max(20, console.width - max(len(first), len(rest)))
    for number, line in enumerate(text.wrap(console, width)):
        console.print(joined(first if number == 0 else rest, line), soft_wrap=True)


def _print_quotes(console, evidence: list[dict], t) -> None:
    from rich.text import Text

    plain = console.no_color or console.color_system is None
    for quote in quotes(evidence, t):
        where = Text("   ")
        for number, shown in enumerate(quote_locations(quote, t.phrase)):
            where.append(" · " if number else "")
            where.append(shown, "" if number else "underline")
        console.print(where, soft_wrap=True)
        line = Text("…")
        for piece, role in quote["pieces"]:
            if role is None:
                line.append(piece.replace("\n", " "))
            else:
                # without styles, mark the quoted numbers the way Markdown would
                piece = piece.replace("\n", " ")
                # a repeated passage is long: underlined, not in bold colour like a quoted figure
                passage = role.startswith("occurrence")
                line.append(f"**{piece}**" if plain else piece, "underline" if passage else "bold yellow")
        line.append("…")
        _print_wrapped(console, line, "   │ ", "   │ ")


def _print_verified(console, verified: dict, t) -> None:
    from rich.text import Text

    line = Text(" ✓ ", "bold green")
    line.append(verified["rule"], "bold")
    if verified.get("symbol"):
        line.append(f" {verified['symbol']}", "cyan")
    line.append(f"  {t.message(verified, verified=True)}")
    if verified["evidence"]:
        line.append(f"  {location(verified['evidence'][0])}", "dim")
    console.print(line, soft_wrap=True)
    if verified["computation"]:
        _print_wrapped(console, _computation(t.computation(verified["computation"]), None), "   = ", "     ")


def _print_summary(console, data: dict, t) -> None:
    from rich.table import Table

    summary = data["summary"]
    counts: dict[str, dict[str, int]] = {}
    for finding in data["findings"]:
        row = counts.setdefault(finding["kind"], dict.fromkeys(SEVERITY_ORDER, 0))
        row[finding["severity"]] = row.get(finding["severity"], 0) + 1
    table = Table(title=t("terminal.summary"), title_justify="left", show_footer=bool(counts))
    table.add_column(t("terminal.kind"), footer=t("terminal.total"))
    for severity in SEVERITY_ORDER:
        table.add_column(t.severity(severity), justify="right", style=_SEVERITY_STYLE[severity].replace("bold ", ""),
                         footer=str(summary["by_severity"].get(severity, 0)))
    for kind, row in sorted(counts.items()):
        table.add_row(t.kind(kind), *(str(row.get(s, 0)) for s in SEVERITY_ORDER))
    if counts:
        console.print(table)
    line = t("terminal.totals", documents=t("count.documents", n=summary["documents"]),
             claims=t("count.claims", n=summary["claims"]), findings=t("count.findings", n=summary["findings"]),
             verified=summary["verified"])
    if data.get("baseline"):
        line += t("terminal.baseline", new=summary.get("new", 0), known=summary["findings"] - summary.get("new", 0),
                  baseline=data["baseline"], fixed=summary.get("fixed", 0))
    if data["skipped"]:
        line += t("terminal.skipped", n=len(data["skipped"]),
                  files=", ".join(f"{s['path']} ({t.text(s['reason'])})" for s in data["skipped"]))
    from .html import suppressed_count

    if suppressed_count(data):
        line += t("terminal.suppressed", n=suppressed_count(data))
    coverage = _coverage_line(data, t)
    console.print(_text(line, "bold"), soft_wrap=True)
    if coverage:
        console.print(_text(coverage, "dim"), soft_wrap=True)


def _coverage_line(data: dict, t) -> str:
    """One line of the coverage summary, when the report has one."""
    total = (data.get("coverage") or {}).get("total") or {}
    if not total:
        return ""
    shown = ", ".join(f"{t.phrase(str(key).replace('_', ' '))} {value}" for key, value in total.items()
                      if not isinstance(value, (dict, list)))
    return t("terminal.coverage", details=shown)


def print_claims(analyzed, skipped, lang: str | None = None) -> None:
    """A table of the numeric claims found in each document, with each value's bounds."""
    from rich.table import Table

    from ..claims import claim_record
    from ..i18n import messages

    t = messages(lang)
    console = _console()
    columns = ("line_col", "text", "value", "bounds", "unit", "qualifier", "thing", "place", "time")
    for document in analyzed:
        table = Table(title=document.source.path, title_justify="left")
        for column in columns:
            table.add_column(t(f"claims.{column}"), justify="right" if column in ("value", "bounds") else "left")
        for claim in document.claims:
            record = claim_record(document.source, claim)
            table.add_row(*(_text(str(v)) for v in (
                f"{record['line']}:{record['column']}", record["text"], record["value"], bounds(claim),
                record["unit"] or "", t.phrase(str(record["qualifier"] or "")), record["thing"], record["place"],
                record["time"])))
        console.print(table)
        console.print(_statements_table(document, t))
    for item in skipped:
        console.print(_text(t("terminal.skipped_file", path=item.path, reason=t.text(item.reason)), "dim"),
                      soft_wrap=True)


def _statements_table(document, t):
    """The indicator statements: each role's figure, marked (m) or bound by position (p)."""
    from rich.table import Table

    from ..statements import find_statements

    table = Table(title=t("claims.statements"), title_justify="left")
    for column in ("line_col", "indicator", "roles"):
        table.add_column(t(f"claims.{column}"))
    for statement in find_statements(document):
        record = statement.record(document.source)
        first = next(iter(record["roles"].values()), None)
        roles = "  ".join(f"{role}={'−' if r['sign'] < 0 else ''}{r['text']}"
                          f"{'' if r['binding'] == 'marker' else ' (p)'}"
                          for role, r in record["roles"].items())
        table.add_row(_text(f"{first['line']}:{first['column']}" if first else ""), _text(record["indicator"]),
                      _text(roles))
    return table


def bounds(claim) -> str:
    """`low–high`: the interval a claim's value allows by its qualifier and precision
    (8万 → 75000–85000, 1800余 → 1800–1900), as the checks judge it."""
    from ..checks.numeric import show, stated

    interval = stated(claim.quantity)
    if interval.low == interval.high:
        return show(interval.low, 4)
    return f"{show(interval.low, 4)}–{show(interval.high, 4)}"


def print_rules(rules, lang: str | None = None) -> None:
    """A table of the loaded rules."""
    from rich.table import Table

    from ..i18n import messages

    t = messages(lang)
    table = Table(title=t("rules.title"), title_justify="left")
    for column in ("id", "name", "kind", "severity", "summary"):
        table.add_column(t(f"rules.{column}"))
    for rule in rules:
        summary = t.description(rule.id, (rule.description or "").strip()).split("\n", 1)[0]
        table.add_row(*(_text(v) for v in (rule.id, rule.name, t.kind(rule.kind), t.severity(rule.severity),
                                           summary)))
    _console().print(table)


def print_explanation(rule, lang: str | None = None) -> None:
    """One rule in full: header, description, example, how its kind works, parameters."""
    from ..i18n import messages

    t = messages(lang)
    console = _console()
    console.print(_text(f"{rule.id} {rule.name}", "bold"), soft_wrap=True)
    console.print(_text(t("explain.header", kind=t.kind(rule.kind), severity=t.severity(rule.severity)), "dim"),
                  soft_wrap=True)
    console.print()
    console.print(_text(t.description(rule.id, (rule.description or "").strip())), soft_wrap=True)
    example = getattr(rule, "example", "")
    if example:
        console.print()
        console.print(_text(t("explain.example"), "bold"))
        console.print(_text(str(example).strip()), soft_wrap=True)
    kind_doc = t.kind_doc(rule.kind, kind_documentation(rule.kind))
    if kind_doc:
        console.print()
        console.print(_text(t("explain.kind", kind=t.kind(rule.kind)), "bold"))
        console.print(_text(kind_doc.strip()), soft_wrap=True)
    params = getattr(rule, "params", None) or {}
    if params:
        console.print()
        console.print(_text(t("explain.params", rule=rule.id), "bold"))
        for key, value in params.items():
            console.print(_text(f"  {key} = {value!r}"), soft_wrap=True)
    source = getattr(rule, "source", "")
    if source:
        console.print()
        console.print(_text(t("explain.source", source=source), "dim"), soft_wrap=True)


def kind_documentation(kind: str) -> str:
    """The kind's class docstring: the user documentation of every rule of that kind."""
    import inspect

    from ..checks import KINDS

    cls = KINDS.get(kind)
    return inspect.cleandoc(cls.__doc__) if cls is not None and cls.__doc__ else ""
