"""The terminal report: readable content, plain text when piped or NO_COLOR."""

import os
import re
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


def _terminal_output(report, width: int = 60, **options) -> str:
    from rich.console import Console

    console = Console(force_terminal=True, color_system="standard", width=width, highlight=False, emoji=False)
    with console.capture() as captured:
        terminal.print_report(report, console=console, **options)
    return captured.get()


def test_arithmetic_is_at_normal_brightness_with_its_verdict_coloured():
    out = _terminal_output(sample_report(), width=120, verbose=True)
    line = next(line for line in out.splitlines() if "82 + 69 = 151" in line)
    numbers = line.index("82 + 69")
    assert "\x1b[2m" not in line[numbers - 12:numbers] and "\x1b[3m" not in line   # neither dim nor italic
    assert "\x1b[1;31m≠" in line                             # the failed verdict in the error colour
    held = next(line for line in out.splitlines() if "2716 / 3043" in line)
    assert "\x1b[2m" not in held.split("2716")[0][-8:]


def test_wrapped_quotes_keep_their_gutter():
    from dataclasses import replace

    report = sample_report()
    finding = report.findings[0]
    long_before = "全县坚持把产业发展作为稳定增收的根本之策因地制宜发展茶叶中药材和生态养殖" * 2
    report.findings[0] = replace(finding, evidence=(replace(finding.evidence[0], before=long_before),))
    out = _terminal_output(report, width=50)
    plain = re.sub(r"\x1b\[[0-9;]*m", "", out)
    lines = plain.splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("   │ …"))
    quote = []
    for line in lines[first:]:
        if not line.startswith("   │ "):
            break
        quote.append(line)
    assert len(quote) >= 3                                   # the quote wrapped...
    assert "141个" in "".join(quote)                         # ...and every line of it kept the gutter
    from rich.cells import cell_len

    assert all(cell_len(line) <= 50 for line in quote)


def test_confidence_is_shown_briefly():
    out = _terminal_output(sample_report(), width=200)
    assert "high confidence" in re.sub(r"\x1b\[[0-9;]*m", "", out)


def test_chinese_terminal_report(capsys):
    terminal.print_report(sample_report(baseline="base.json"), lang="zh")
    out = capsys.readouterr().out
    assert "✗ 错误  AR01" in out and "[新增]" in out and "[已知]" in out
    assert "3 篇文档，8 个数字表述，3 个问题，1 个已核实；新增 2 个，已知 1 个" in out


def test_claims_table_has_a_bounds_column(tmp_path):
    (tmp_path / "a.txt").write_text("全县总人口8万人，贫困户1800余户。\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR")}
    env["COLUMNS"] = "200"
    result = subprocess.run([sys.executable, "-m", "auditor.cli", "claims", str(tmp_path / "a.txt")],
                            cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "bounds" in result.stdout
    assert "75000–85000" in result.stdout and "1800–1900" in result.stdout


def test_verdict_words_are_coloured_in_either_language():
    from dataclasses import replace

    report = sample_report()
    report.findings[0] = replace(report.findings[0], computation="8万人 allows 75000–85000; 8.8万人 = 88000 lies outside")
    for lang, word in (("en", "lies outside"), ("zh", "在范围之外")):
        out = _terminal_output(report, width=200, lang=lang)
        assert f"\x1b[1;31m{word}" in out, (lang, out)
