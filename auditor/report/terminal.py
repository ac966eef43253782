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

from .grouping import SEVERITY_MARK, SEVERITY_ORDER, findings_by_document, location, quote_locations, quotes

MANY_FILES = 10  # below this, reading is too quick for a progress bar to help
_SEVERITY_STYLE = {"error": "bold red", "warning": "bold yellow", "info": "bold blue"}
# control characters (ESC starts terminal commands) and bidi overrides that could reorder what is shown
_INVISIBLE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def visible(text: str) -> str:
    """`text` with control characters and bidi overrides shown as `\\xNN` / `\\uNNNN`, so
    a quoted text cannot drive the terminal."""
    return _INVISIBLE.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                          else f"\\u{ord(m.group()):04x}", text)


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


def print_report(report, verbose: bool = False, quiet: bool = False, written=()) -> None:
    """Print the findings, the verified relations (verbose) and the summary."""
    console = _console()
    data = _visible_record(report.to_dict())
    written = [visible(str(path)) for path in written]
    if not quiet:
        for path, findings in findings_by_document(data):
            console.rule(_text(path, "bold"), align="left")
            for finding in findings:
                _print_finding(console, finding)
        if verbose and data["verified"]:
            console.rule(_text(f"verified relations ({len(data['verified'])})", "bold green"), align="left")
            for verified in data["verified"]:
                _print_verified(console, verified)
        if verbose and data["verified"]:
            console.print()
    _print_summary(console, data)
    if written and not quiet:
        console.print(_text("reports: " + ", ".join(written), "dim"), soft_wrap=True)


def _text(value: str, style: str = ""):
    from rich.text import Text

    return Text(visible(value), style=style)


def _print_finding(console, finding: dict) -> None:
    from rich.text import Text

    severity = finding["severity"]
    head = Text(" ")
    head.append(f"{SEVERITY_MARK.get(severity, '?')} {severity}", _SEVERITY_STYLE.get(severity, "bold"))
    head.append(f"  {finding['rule']}", "bold")
    if finding.get("symbol"):
        head.append(f" {finding['symbol']}", "cyan")
    head.append(f"  ({finding['kind']})", "dim")
    if finding.get("status"):
        head.append(f"  [{finding['status']}]", "bold magenta" if finding["status"] == "new" else "dim")
    console.print(head, soft_wrap=True)
    console.print(Text("   " + finding["message"]), soft_wrap=True)
    _print_quotes(console, finding["evidence"])
    if finding["computation"]:
        console.print(Text("   = ", "dim") + Text(finding["computation"], "italic"), soft_wrap=True)
    console.print()


def _print_quotes(console, evidence: list[dict]) -> None:
    from rich.text import Text

    plain = console.no_color or console.color_system is None
    for quote in quotes(evidence):
        where = Text("   ")
        for number, shown in enumerate(quote_locations(quote)):
            where.append(" · " if number else "")
            where.append(shown, "" if number else "underline")
        console.print(where, soft_wrap=True)
        line = Text("   │ …", "dim")
        for piece, role in quote["pieces"]:
            if role is None:
                line.append(piece.replace("\n", " "))
            else:
                # without styles, mark the quoted numbers the way Markdown would
                piece = piece.replace("\n", " ")
                line.append(f"**{piece}**" if plain else piece, "bold yellow")
        line.append("…", "dim")
        console.print(line, soft_wrap=True)


def _print_verified(console, verified: dict) -> None:
    from rich.text import Text

    line = Text(" ✓ ", "bold green")
    line.append(verified["rule"], "bold")
    if verified.get("symbol"):
        line.append(f" {verified['symbol']}", "cyan")
    line.append(f"  {verified['message']}")
    if verified["evidence"]:
        line.append(f"  {location(verified['evidence'][0])}", "dim")
    console.print(line, soft_wrap=True)
    if verified["computation"]:
        console.print(Text("   = ", "dim") + Text(verified["computation"], "italic"), soft_wrap=True)


def _print_summary(console, data: dict) -> None:
    from rich.table import Table

    summary = data["summary"]
    counts: dict[str, dict[str, int]] = {}
    for finding in data["findings"]:
        row = counts.setdefault(finding["kind"], dict.fromkeys(SEVERITY_ORDER, 0))
        row[finding["severity"]] = row.get(finding["severity"], 0) + 1
    table = Table(title="summary", title_justify="left", show_footer=bool(counts))
    table.add_column("kind", footer="total")
    for severity in SEVERITY_ORDER:
        table.add_column(severity, justify="right", style=_SEVERITY_STYLE[severity].replace("bold ", ""),
                         footer=str(summary["by_severity"].get(severity, 0)))
    for kind, row in sorted(counts.items()):
        table.add_row(kind, *(str(row.get(s, 0)) for s in SEVERITY_ORDER))
    if counts:
        console.print(table)
    line = (f"{_count(summary['documents'], 'document')}, {_count(summary['claims'], 'claim')}, "
            f"{_count(summary['findings'], 'finding')}, {summary['verified']} verified")
    if data.get("baseline"):
        line += f"; {summary.get('new', 0)} new, {summary['findings'] - summary.get('new', 0)} known " \
                f"(hidden by the baseline {data['baseline']}), {summary.get('fixed', 0)} fixed"
    if summary.get("suppressed"):
        line += f"; {summary['suppressed']} suppressed inline"
    if data["skipped"]:
        line += f"; {len(data['skipped'])} skipped: " + ", ".join(f"{s['path']} ({s['reason']})"
                                                                 for s in data["skipped"])
    console.print(_text(line, "bold"), soft_wrap=True)
    total = (data.get("coverage") or {}).get("total")
    if total:
        console.print(_text(f"coverage: {total['rules_run']} rules run; {total['checked']} relations checked: "
                            f"{total['verified']} verified, {total['failed']} failed, "
                            f"{total['not_assessable']} not assessable", "dim"), soft_wrap=True)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def print_claims(analyzed, skipped) -> None:
    """A table of the numeric claims found in each document."""
    from rich.table import Table

    from ..claims import claim_record

    console = _console()
    for document in analyzed:
        table = Table(title=document.source.path, title_justify="left")
        for column in ("line:col", "text", "value", "unit", "qualifier", "thing", "place", "time"):
            table.add_column(column)
        for claim in document.claims:
            record = claim_record(document.source, claim)
            table.add_row(*(_text(str(v)) for v in (
                f"{record['line']}:{record['column']}", record["text"], record["value"], record["unit"] or "",
                record["qualifier"], record["thing"], record["place"], record["time"])))
        console.print(table)
    for item in skipped:
        console.print(_text(f"skipped {item.path}: {item.reason}", "dim"), soft_wrap=True)


def print_rules(rules) -> None:
    """A table of the loaded rules."""
    from rich.table import Table

    table = Table(title="rules", title_justify="left")
    for column in ("id", "name", "kind", "severity", "summary"):
        table.add_column(column)
    for rule in rules:
        summary = (rule.description or "").strip().split("\n", 1)[0]
        table.add_row(*(_text(v) for v in (rule.id, rule.name, rule.kind, rule.severity, summary)))
    _console().print(table)


def print_explanation(rule) -> None:
    """One rule in full: header, description and example."""
    console = _console()
    console.print(_text(f"{rule.id} {rule.name}", "bold"), soft_wrap=True)
    console.print(_text(f"kind {rule.kind} · severity {rule.severity}", "dim"), soft_wrap=True)
    console.print()
    console.print(_text((rule.description or "").strip()), soft_wrap=True)
    example = getattr(rule, "example", "")
    if example:
        console.print()
        console.print(_text("Example", "bold"))
        console.print(_text(str(example).strip()), soft_wrap=True)
    kind_doc = _kind_documentation(rule.kind)
    if kind_doc:
        console.print()
        console.print(_text(f"How the {rule.kind} kind works", "bold"))
        console.print(_text(kind_doc), soft_wrap=True)
    params = getattr(rule, "params", None) or {}
    if params:
        console.print()
        console.print(_text("Parameters (override in [tool.auditor.params." + rule.id + "])", "bold"))
        for key, value in params.items():
            console.print(_text(f"  {key} = {value!r}"), soft_wrap=True)
    source = getattr(rule, "source", "")
    if source:
        console.print()
        console.print(_text(f"defined in {source}", "dim"), soft_wrap=True)


def _kind_documentation(kind: str) -> str:
    """The kind's class docstring: the user documentation of every rule of that kind."""
    import inspect

    from ..checks import KINDS

    cls = KINDS.get(kind)
    return inspect.cleandoc(cls.__doc__) if cls is not None and cls.__doc__ else ""
