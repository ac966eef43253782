"""Command line: argument parsing only; the work happens in the stages."""

from __future__ import annotations

import argparse
import os
import sys

from . import __version__
from .errors import AuditError

EXIT_OK, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERRUPTED, EXIT_TERMINATED = 0, 1, 2, 130, 143


class Terminated(BaseException):
    """SIGTERM, raised like KeyboardInterrupt so atomic writes clean up."""


def _raise_terminated(signum, frame):
    raise Terminated()


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        self.exit(EXIT_USAGE, f"audit: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="audit", description="Check the numbers in Chinese report texts against each other.")
    parser.add_argument("--version", action="version", version=f"auditor {__version__}")
    parser.add_argument("--config", metavar="FILE", help=CONFIG_HELP)
    parser.add_argument("--lang", choices=("en", "zh"),
                        help="language of reports and messages (default: from the locale; LANG=zh_CN.UTF-8 gives zh)")
    parser.add_argument("--no-cache", action="store_true",
                        help="neither read nor write the compiled-pattern cache (also AUDIT_NO_CACHE=1; "
                        "AUDIT_CACHE_DIR moves it, default ~/.cache/auditor)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    run = commands.add_parser("run", help="audit texts and report findings")
    _add_input_options(run)
    run.add_argument("--output-format", choices=OUTPUT_FORMATS, metavar="FORMAT",
                     help="print the report to standard output as " + "|".join(OUTPUT_FORMATS) + " (default: text)")
    run.add_argument("--json", metavar="FILE", help="also write the JSON report to FILE ('-': standard output)")
    run.add_argument("--report-dir", metavar="DIR", help="where report.{json,md,html,sarif} go (default: reports/)")
    run.add_argument("--no-reports", action="store_true", help="write no report files")
    run.add_argument("--baseline", metavar="FILE", help="mark findings new or known against this baseline")
    run.add_argument("--min-confidence", choices=("low", "medium", "high"),
                     help="leave out relations below this confidence (default: low, all)")
    run.add_argument("--fail-on", choices=("info", "warning", "error", "never"),
                     help="lowest severity that makes the run fail (default: warning)")
    run.add_argument("-v", "--verbose", action="store_true", help="also list the verified relations")
    run.add_argument("-q", "--quiet", action="store_true", help="print only the summary")
    run.add_argument("--jobs", "-j", type=_positive, metavar="N", help="worker processes (default: the cores)")
    run.add_argument("--engine", choices=("processes", "dask"), help="how work is spread (default: processes)")
    run.add_argument("--scheduler", metavar="ADDRESS", help="Dask scheduler (implies --engine dask): a cluster "
                     "address, or synchronous, threads, processes (default: processes)")

    claims = commands.add_parser("claims", help="list the numeric claims found in texts")
    _add_input_options(claims)
    claims.add_argument("--json", metavar="FILE", help="write the claims as JSON to FILE ('-': standard output)")

    baseline = commands.add_parser("baseline", help="record today's findings as known")
    _add_input_options(baseline)
    baseline.add_argument("--output", "-o", metavar="FILE", help="baseline file (default: .audit-baseline.json)")
    baseline.add_argument("--prune", action="store_true",
                          help="only drop entries that no longer occur from the existing baseline; add none")

    rules = commands.add_parser("rules", help="list the rules")
    _add_common_options(rules)
    explain = commands.add_parser("explain", help="describe one rule, with an example")
    explain.add_argument("rule", help="rule id or symbol, e.g. AR01 or arithmetic.sum-of-parts")
    _add_common_options(explain)
    for command in commands.choices.values():   # --lang also after the command (audit run seeds/ --lang zh)
        command.add_argument("--lang", choices=("en", "zh"), default=argparse.SUPPRESS,
                             help="language of reports and messages (default: from the locale)")
    return parser


CONFIG_HELP = "configuration file (default: audit.toml or pyproject.toml here or in a folder above)"
OUTPUT_FORMATS = ("text", "json", "sarif", "markdown", "html", "github")
MAX_BYTES_LIMIT = 1 << 40


def _add_common_options(command: argparse.ArgumentParser) -> None:
    # SUPPRESS: a --config given before the subcommand is not overwritten by this default
    command.add_argument("--config", metavar="FILE", default=argparse.SUPPRESS, help=CONFIG_HELP)
    command.add_argument("--rules", metavar="DIR", help="extra rule files to load beside the built-in ones")


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 1024:
        raise argparse.ArgumentTypeError(f"not a number of jobs from 1 to 1024: {text!r}")
    return value


def _add_input_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("paths", nargs="*", metavar="PATH",
                         help="files or folders (.txt, .md, .html, .pdf, .docx); '-' reads standard input")
    _add_common_options(command)
    command.add_argument("--stdin-filename", metavar="NAME", help="the name reports give standard input")
    command.add_argument("--exclude", action="append", default=[], metavar="GLOB", help="skip matching files")
    command.add_argument("--max-bytes", type=_byte_count, metavar="N", help="skip files larger than N bytes")
    command.add_argument("--no-ignore", action="store_true", help="also read files .gitignore or .ignore exclude")
    command.add_argument("--follow-links", action="store_true", help="follow symbolic links out of the given paths")
    command.add_argument("--select", type=_rule_list, action="extend", metavar="RULES",
                         help="run only these rules: ids, symbols, kinds or prefixes, comma-separated (SUM,SHR01)")
    command.add_argument("--extend-select", type=_rule_list, action="extend", metavar="RULES",
                         help="add these rules to the selection")
    command.add_argument("--ignore", type=_rule_list, action="extend", metavar="RULES", help="never run these rules")


def _byte_count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value[:40]}' is not a whole number") from None
    if not 1 <= number <= MAX_BYTES_LIMIT:
        raise argparse.ArgumentTypeError(f"must be from 1 to {MAX_BYTES_LIMIT} (1 TiB)")
    return number


def _rule_list(value: str) -> list[str]:
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names:
        raise argparse.ArgumentTypeError("names no rule")
    return names


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return EXIT_USAGE
    if args.no_cache:
        os.environ["AUDIT_NO_CACHE"] = "1"  # read by auditor.patterns, imported after this
    previous = _on_sigterm(_raise_terminated)
    try:
        from .commands import dispatch

        return dispatch(args)
    except AuditError as error:
        print(f"audit: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("audit: interrupted; earlier reports were left as they were", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Terminated:
        print("audit: terminated; earlier reports were left as they were", file=sys.stderr)
        return EXIT_TERMINATED
    except TimeoutError:
        # The regex module's timeout: a rule pattern backtracking on a text.
        print("audit: error: a rule pattern took too long on the texts (catastrophic backtracking); "
              "check the patterns of custom rule files", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return EXIT_OK
    except Exception as error:  # noqa: BLE001 - the last line of defence against tracebacks
        if os.environ.get("AUDIT_DEBUG"):
            raise
        print(f"audit: internal error: {type(error).__name__}: {error} (set AUDIT_DEBUG=1 for a traceback)",
              file=sys.stderr)
        return 3
    finally:
        _on_sigterm(previous)


def _on_sigterm(handler):
    """Install `handler` for SIGTERM; return the previous one (None off the main thread)."""
    import signal
    import threading

    if handler is None or threading.current_thread() is not threading.main_thread():
        return None
    return signal.signal(signal.SIGTERM, handler)


if __name__ == "__main__":
    sys.exit(main())
