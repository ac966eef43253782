"""The rich terminal report (minimal first version)."""

from __future__ import annotations

import contextlib
import sys


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False)


@contextlib.contextmanager
def progress_reporter():
    yield None


def print_message(message: str) -> None:
    _console().print(message)


def print_report(report, verbose: bool = False, quiet: bool = False, written=()) -> None:
    console = _console()
    data = report.to_dict()
    if not quiet:
        for finding in data["findings"]:
            where = finding["evidence"][0] if finding["evidence"] else None
            location = f"{where['path']}:{where['line']}:{where['column']}" if where else ""
            console.print(f"{location} {finding['severity']} {finding['rule']} {finding['message']}", markup=False)
            if finding["computation"]:
                console.print(f"    {finding['computation']}", markup=False)
        if verbose:
            for verified in data["verified"]:
                console.print(f"verified {verified['rule']} {verified['computation']}", markup=False)
    summary = data["summary"]
    console.print(f"{summary['documents']} documents, {summary['claims']} claims, "
                  f"{summary['findings']} findings, {summary['verified']} verified", markup=False)


def print_claims(analyzed, skipped) -> None:
    from rich.table import Table

    from ..claims import claim_record

    console = _console()
    for document in analyzed:
        table = Table(title=document.source.path)
        for column in ("line:col", "text", "value", "unit", "qualifier", "thing", "place", "time"):
            table.add_column(column)
        for claim in document.claims:
            record = claim_record(document.source, claim)
            table.add_row(f"{record['line']}:{record['column']}", record["text"], record["value"],
                          record["unit"] or "", record["qualifier"], record["thing"], record["place"], record["time"])
        console.print(table)


def print_rules(rules) -> None:
    console = _console()
    for rule in rules:
        console.print(f"{rule.id} {rule.name} {rule.kind} {rule.severity}", markup=False)


def print_explanation(rule) -> None:
    console = _console()
    console.print(f"{rule.id} {rule.name}", markup=False)
    console.print(rule.description, markup=False)
