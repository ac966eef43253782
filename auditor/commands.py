"""The subcommands: settings from config and flags, then the flow, then output."""

from __future__ import annotations

import json
import sys
from dataclasses import replace

from .atomic import write_atomic
from .config import Settings, load_settings
from .errors import AuditError, InputError

STDIN = "-"
STDIN_KEY = "<standard input>"


def dispatch(args) -> int:
    settings = _settings(args)
    handler = {
        "run": command_run, "claims": command_claims, "baseline": command_baseline,
        "rules": command_rules, "explain": command_explain,
    }[args.command]
    return handler(args, settings)


def _settings(args) -> Settings:
    settings = load_settings(explicit=getattr(args, "config", None))
    overrides = {}
    if getattr(args, "exclude", None):
        overrides["exclude"] = settings.exclude + tuple(args.exclude)
    if getattr(args, "rules", None):
        overrides["rules_dir"] = args.rules
    if getattr(args, "max_bytes", None) is not None:
        overrides["max_bytes"] = args.max_bytes
    if getattr(args, "report_dir", None):
        overrides["report_dir"] = args.report_dir
    if getattr(args, "no_reports", False):
        overrides["reports"] = False
    if getattr(args, "baseline", None):
        overrides["baseline"] = args.baseline
    if getattr(args, "fail_on", None):
        overrides["fail_on"] = args.fail_on
    if getattr(args, "min_confidence", None):
        overrides["min_confidence"] = args.min_confidence
    if getattr(args, "select", None):
        # --select replaces the configuration's selection, as ruff's does
        overrides.update(select=tuple(args.select), enable=())
    for name in ("extend_select", "ignore"):
        if getattr(args, name, None):
            overrides[name] = getattr(settings, name) + tuple(getattr(args, name))
    if getattr(args, "no_ignore", False):
        overrides["ignore_files"] = False
    if getattr(args, "follow_links", False):
        overrides["follow_links"] = True
    if getattr(args, "lang", None):
        overrides["lang"] = args.lang
    return replace(settings, **overrides)


def _lang(settings: Settings) -> str:
    from .i18n import resolve_lang

    return resolve_lang(settings.lang or None)


def _paths(args, settings: Settings) -> list[str]:
    paths = list(args.paths) or list(settings.paths)
    if not paths:
        raise InputError("no PATH given and no 'paths' in the configuration")
    return paths


def _stdin_documents(args, paths: list[str], settings: Settings) -> list:
    """Standard input as one document when '-' is among the paths, read as
    text, Markdown or HTML by the suffix of --stdin-filename."""
    if STDIN not in paths:
        return []
    import os

    from .ingest import HTML_SUFFIXES, Document, decode_with_notes

    name = getattr(args, "stdin_filename", None) or STDIN
    data = sys.stdin.buffer.read(settings.max_bytes + 1)
    if len(data) > settings.max_bytes:
        raise InputError(f"{name}: standard input is larger than the size limit ({settings.max_bytes} bytes)")
    decoded = decode_with_notes(data) if data.strip() else None
    if decoded is None:
        raise InputError(f"{name}: standard input is empty, binary or undecodable")
    text, notes, suffix = decoded.text, decoded.notes, os.path.splitext(name)[1].lower()
    if suffix in HTML_SUFFIXES:
        from .ingest.html import read_html

        page = read_html(text)
        return [Document(path=name, text=page.text, encoding=decoded.encoding, key=STDIN_KEY,
                         locations=page.locations, notes=notes + page.notes, format="html")]
    if suffix in (".md", ".markdown"):
        from .ingest.markdown import blank_code

        text, _ = blank_code(text)
        return [Document(path=name, text=text, encoding=decoded.encoding, key=STDIN_KEY, notes=notes,
                         format="markdown")]
    return [Document(path=name, text=text, encoding=decoded.encoding, key=STDIN_KEY, notes=notes)]


def _audit(args, settings: Settings, progress_shown: bool = True):
    from .ingest import discover
    from .pipeline import run_audit, walk_options
    from .report.terminal import progress_reporter

    paths = _paths(args, settings)
    files = [p for p in paths if p != STDIN]
    stdin = _stdin_documents(args, paths, settings)
    total = len(discover(files, settings.exclude, **walk_options(settings))) if files and progress_shown else 0
    with progress_reporter(total) as progress:
        return run_audit(files, settings, progress, extra_documents=stdin, jobs=getattr(args, "jobs", None),
                         engine=getattr(args, "engine", None), scheduler=getattr(args, "scheduler", None))


def command_run(args, settings: Settings) -> int:
    from .pipeline import exit_code
    from .report import render, write_reports
    from .report.terminal import print_report

    baseline = None
    if settings.baseline:
        from .baseline import load_baseline

        baseline = load_baseline(settings.baseline)   # a broken baseline fails before any text is read
    fmt = args.output_format or "text"
    json_to_stdout = args.json == STDIN
    report = _audit(args, settings)
    if baseline is not None:
        from .baseline import mark_findings

        mark_findings(report, baseline)
    json_file = None if json_to_stdout else args.json
    # The report as data only when something is written from it: for a large
    # run it is as big as the findings themselves.
    data = report.to_dict() if settings.reports or json_file or json_to_stdout or fmt != "text" else None
    lang = _lang(settings)
    failure = None
    written: list[str] = []
    try:
        if settings.reports or json_file:
            written = write_reports(data, settings.report_dir if settings.reports else None, lang, json_file)
    except AuditError as error:
        failure = error   # the findings are still shown, then the run ends with exit 2
    if json_to_stdout and fmt != "json":
        sys.stdout.write(render(data, "json"))
    if fmt != "text":
        sys.stdout.write(render(data, fmt, lang))
    elif not json_to_stdout:
        print_report(report, verbose=args.verbose, quiet=args.quiet, written=written, lang=lang, record=data)
    if failure is not None:
        raise failure
    return exit_code(report, settings.fail_on)


def command_claims(args, settings: Settings) -> int:
    from .claims import analyze, claim_record
    from .pipeline import load_documents
    from .report.terminal import print_claims

    paths = _paths(args, settings)
    files = [p for p in paths if p != STDIN]
    stdin = _stdin_documents(args, paths, settings)
    documents, skipped = load_documents(files, settings) if files else ([], [])
    analyzed = [analyze(d) for d in documents + stdin]
    if args.json:
        from .statements import find_statements

        records = [{"path": a.source.path, "encoding": a.source.document.encoding,
                    "claims": [claim_record(a.source, c) for c in a.claims],
                    "statements": [s.record(a.source) for s in find_statements(a)]} for a in analyzed]
        text = json.dumps({"schema": "auditor-claims/2", "documents": records}, ensure_ascii=False, indent=2) + "\n"
        if args.json == STDIN:
            sys.stdout.write(text)
            return 0
        write_atomic(args.json, text)
    print_claims(analyzed, skipped, lang=_lang(settings))
    return 0


def command_baseline(args, settings: Settings) -> int:
    from .baseline import load_baseline, prune_baseline, write_baseline
    from .report.terminal import print_message

    target = args.output or settings.baseline or settings.baseline_path  # the file `audit run` will read
    if args.prune:
        baseline = load_baseline(target)          # checked before any text is read
        report = _audit(args, settings)
        kept, dropped = prune_baseline(report, baseline)
        print_message(f"pruned {target}: {dropped} fixed finding{'s' if dropped != 1 else ''} removed, "
                      f"{kept} known finding{'s' if kept != 1 else ''} kept")
        return 0
    report = _audit(args, settings)
    count = write_baseline(report, target)
    print_message(f"wrote {target} with {count} known finding{'s' if count != 1 else ''}")
    return 0


def command_rules(args, settings: Settings) -> int:
    from .report.terminal import print_rules
    from .ruleset import load_ruleset

    print_rules(load_ruleset(settings), lang=_lang(settings))
    return 0


def command_explain(args, settings: Settings) -> int:
    from .report.terminal import print_explanation
    from .ruleset import find_rule, load_ruleset

    rule = find_rule(load_ruleset(settings), args.rule)
    print_explanation(rule, lang=_lang(settings))
    return 0
