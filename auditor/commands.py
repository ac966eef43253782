"""The subcommands: settings from config and flags, then the flow, then output."""

from __future__ import annotations

import json
from dataclasses import replace

from .atomic import write_atomic
from .config import Settings, load_settings
from .errors import InputError


def dispatch(args) -> int:
    settings = _settings(args)
    handler = {
        "run": command_run, "claims": command_claims, "baseline": command_baseline,
        "rules": command_rules, "explain": command_explain,
    }[args.command]
    return handler(args, settings)


def _settings(args) -> Settings:
    settings = load_settings(explicit=args.config)
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
    return replace(settings, **overrides)


def _paths(args, settings: Settings) -> list[str]:
    paths = list(args.paths) or list(settings.paths)
    if not paths:
        raise InputError("no PATH given and no 'paths' in the configuration")
    return paths


def command_run(args, settings: Settings) -> int:
    from .pipeline import exit_code, run_audit
    from .report import write_reports
    from .ingest import discover
    from .report.terminal import print_report, progress_reporter

    paths = _paths(args, settings)
    with progress_reporter(len(discover(paths, settings.exclude))) as progress:
        report = run_audit(paths, settings, progress, jobs=args.jobs, engine=args.engine, scheduler=args.scheduler)
    if settings.baseline:
        from .baseline import load_baseline, mark_findings

        mark_findings(report, load_baseline(settings.baseline), settings.baseline)
    data = report.to_dict()
    if args.json:
        write_atomic(args.json, json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    written = write_reports(report, settings.report_dir) if settings.reports else []
    print_report(report, verbose=args.verbose, quiet=args.quiet, written=written)
    return exit_code(report, settings.fail_on)


def command_claims(args, settings: Settings) -> int:
    from .claims import analyze, claim_record
    from .pipeline import load_documents
    from .report.terminal import print_claims

    documents, skipped = load_documents(_paths(args, settings), settings)
    analyzed = [analyze(d) for d in documents]
    if args.json:
        records = [{"path": a.source.path, "encoding": a.source.document.encoding,
                    "claims": [claim_record(a.source, c) for c in a.claims]} for a in analyzed]
        write_atomic(args.json, json.dumps({"schema": "auditor-claims/1", "documents": records},
                                           ensure_ascii=False, indent=2) + "\n")
    print_claims(analyzed, skipped)
    return 0


def command_baseline(args, settings: Settings) -> int:
    from .baseline import write_baseline
    from .pipeline import run_audit
    from .report.terminal import print_message

    report = run_audit(_paths(args, settings), settings)
    target = args.output or settings.baseline or settings.baseline_path  # the file `audit run` will read
    count = write_baseline(report, target)
    print_message(f"wrote {target} with {count} known finding{'s' if count != 1 else ''}")
    return 0


def command_rules(args, settings: Settings) -> int:
    from .report.terminal import print_rules
    from .ruleset import load_ruleset

    print_rules(load_ruleset(settings))
    return 0


def command_explain(args, settings: Settings) -> int:
    from .report.terminal import print_explanation
    from .ruleset import find_rule, load_ruleset

    rule = find_rule(load_ruleset(settings), args.rule)
    print_explanation(rule)
    return 0

