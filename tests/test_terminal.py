"""The terminal report: readable content, plain text when piped or NO_COLOR."""

import os
import subprocess
import sys
from pathlib import Path

from auditor.report import terminal
from sample_reports import sample_report

ROOT = Path(__file__).resolve().parents[1]


def _run_audit(*args, **env_changes) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "TTY_COMPATIBLE")}
    env.update(env_changes, TERM="xterm-256color")
    return subprocess.run([sys.executable, "-m", "auditor.cli", "run", *args, "--no-reports"],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_piped_seed_report_has_no_escape_codes():
    result = _run_audit("seeds/")
    assert result.returncode in (0, 1), result.stderr
    assert "\x1b[" not in result.stdout
    assert "5 documents" in result.stdout


def test_no_color_wins_even_over_force_color():
    forced = _run_audit("seeds/", FORCE_COLOR="1")
    assert "\x1b[" in forced.stdout                     # the control: forcing colour does colour
    plain = _run_audit("seeds/", FORCE_COLOR="1", NO_COLOR="1")
    assert "\x1b[" not in plain.stdout
    assert plain.stdout.count("\n") > 0


def test_report_groups_by_document_with_quote_location_and_computation(capsys):
    data = sample_report(baseline="base.json").to_dict()
    terminal.print_report(sample_report(baseline="base.json"))
    out = capsys.readouterr().out
    order = [out.index(path) for path in ("docs/villages.txt", "docs/households.txt", "docs/hostile.txt")]
    assert order == sorted(order)
    assert "✗ error  AR01 arithmetic.sum-of-parts" in out
    assert "docs/villages.txt:2:8 (total) · 2:18 (part) · 2:26 (part)" in out
    assert "…全县共有行政村**141个**，其中贫困村**82个**、非贫困村**69个**。…" in out   # numbers marked without colour
    assert "= 82 + 69 = 151 ≠ 141" in out
    assert "[new]" in out and "[known]" in out
    assert data["verified"][0]["message"] not in out    # verified only with --verbose
    assert "3 documents, 8 claims, 3 findings, 1 verified; 2 new, 1 known" in out
    assert "docs/photo.png (binary file)" in out


def test_verbose_lists_verified_relations(capsys):
    terminal.print_report(sample_report(), verbose=True)
    out = capsys.readouterr().out
    assert "✓ RT01 rate.share  2716 of 3043 households lifted  docs/households.txt:2:12" in out
    assert "= 2716 / 3043 = 89.3%" in out


def test_quiet_prints_only_the_summary(capsys):
    terminal.print_report(sample_report(), quiet=True, written=["reports/report.json"])
    out = capsys.readouterr().out
    assert "AR01" not in out and "│" not in out.split("summary")[0]
    assert "3 findings" in out


def test_document_text_is_not_taken_as_rich_markup(capsys):
    report = sample_report()
    terminal.print_report(report)
    out = capsys.readouterr().out
    assert "listed <b>4</b> items" in out                # neither markup nor swallowed
    assert "[new]" not in out                            # no baseline, no status


def test_progress_bar_only_for_many_files_on_a_terminal(monkeypatch):
    with terminal.progress_reporter(terminal.MANY_FILES + 5) as progress:
        assert progress is None                          # pytest's stderr is not a terminal
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    with terminal.progress_reporter(2) as progress:
        assert progress is None
    with terminal.progress_reporter(terminal.MANY_FILES) as progress:
        assert callable(progress)
        progress("a/b.txt")


def test_importing_the_terminal_report_does_not_import_rich():
    code = "import sys, auditor.report.terminal, auditor.report; print('rich' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip() == "False"


def test_control_characters_in_quotes_are_shown_not_sent(capsys):
    from dataclasses import replace

    report = sample_report()
    finding = report.findings[0]
    first = replace(finding.evidence[0], before="\x1b]0;pwned\x07\x1b[2J" + finding.evidence[0].before,
                    after=finding.evidence[0].after + "\u202e反转")
    report.findings[0] = replace(finding, evidence=(first,) + finding.evidence[1:], message="坏\x1b[31m消息")
    terminal.print_report(report)
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out
    assert "\\x1b]0;pwned\\x07\\x1b[2J" in out and "\\u202e反转" in out and "坏\\x1b[31m消息" in out
