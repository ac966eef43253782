"""Exit 2 with one line naming the file, for every bad input, configuration,
rule file and baseline of the second hardening round (issue 11, item 5)."""

import os
import subprocess
import sys

import pytest

TEXT = "全县共有行政村141个，其中贫困村82个、非贫困村69个。\n"
RULE = """id: ZZ99
name: test.custom
kind: {kind}
severity: warning
description: a rule written for a test
message: m
params:
{params}
"""


def _texts(tmp_path):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    return ["run", "a.txt", "--no-reports"]


def _rule_folder(tmp_path, params, kind="restatement"):
    folder = tmp_path / "myrules"
    folder.mkdir(exist_ok=True)
    (folder / "ZZ99.yaml").write_text(RULE.format(kind=kind, params=params), encoding="utf-8")
    return _texts(tmp_path) + ["--rules", "myrules"]


def huge_max_bytes(tmp_path):
    return _texts(tmp_path) + ["--max-bytes", "99999999999999999999999"], "--max-bytes"


def huge_max_bytes_in_config(tmp_path):
    (tmp_path / "audit.toml").write_text("max-bytes = 99999999999999999\n", encoding="utf-8")
    return _texts(tmp_path), "audit.toml: 'max-bytes' must be at most"


def deep_toml(tmp_path):
    (tmp_path / "audit.toml").write_text("paths = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    return _texts(tmp_path), "audit.toml: invalid TOML"


def deep_yaml(tmp_path):
    return _rule_folder(tmp_path, "  strip_prefixes: " + "[" * 5000 + "]" * 5000), "ZZ99.yaml"


def deep_rules_folder(tmp_path):
    current = tmp_path / "myrules"
    current.mkdir()
    # issue 11 used 1,100 levels (a RecursionError then); the walk is iterative, so past its limit
    # any depth is refused alike. 100 keeps pytest's own recursive clean-up of tmp_path safe.
    for _ in range(DEEP_FOLDERS):
        current = current / "d"
        current.mkdir()
    return _texts(tmp_path) + ["--rules", "myrules"], "nested deeper than"


def deep_baseline(tmp_path):
    (tmp_path / "b.json").write_text('{"schema": "auditor-baseline/2", "findings": ' + "[" * 100_000
                                     + "]" * 100_000 + "}", encoding="utf-8")
    return _texts(tmp_path) + ["--baseline", "b.json"], "b.json: corrupt baseline, nested too deeply"


def huge_integer_in_baseline(tmp_path):
    (tmp_path / "b.json").write_text('{"schema": "auditor-baseline/2", "findings": [{"fingerprint": '
                                     '"0123456789abcdef0123", "count": ' + "9" * 5000 + "}]}", encoding="utf-8")
    return _texts(tmp_path) + ["--baseline", "b.json"], "b.json: corrupt baseline"


def list_param_of_numbers(tmp_path):
    return _rule_folder(tmp_path, "  strip_prefixes: [1, 2]"), "params.strip_prefixes': item 1 must be a string"


def nested_list_param_of_numbers(tmp_path):
    return _rule_folder(tmp_path, "  synonyms: [[1, 2]]"), "params.synonyms': item 1 must be a list of strings"


def backtracking_pattern(tmp_path):
    return _rule_folder(tmp_path, "  total_pattern: '(?:户|户户)+$'"), "backtracks catastrophically"


def fifo_rule_file(tmp_path):
    folder = tmp_path / "myrules"
    folder.mkdir()
    os.mkfifo(folder / "x.yaml")
    return _texts(tmp_path) + ["--rules", "myrules"], "x.yaml: not a regular file"


def negative_tolerance_in_config(tmp_path):
    (tmp_path / "audit.toml").write_text("declared-length-tolerance = -0.1\n", encoding="utf-8")
    return _texts(tmp_path), "'declared-length-tolerance' must be a finite number, not negative"


def infinite_tolerance_in_config(tmp_path):
    (tmp_path / "audit.toml").write_text("declared-length-tolerance = inf\n", encoding="utf-8")
    return _texts(tmp_path), "'declared-length-tolerance' must be a finite number"


def nan_tolerance_in_config(tmp_path):
    (tmp_path / "audit.toml").write_text("declared-length-tolerance = nan\n", encoding="utf-8")
    return _texts(tmp_path), "'declared-length-tolerance' must be a finite number"


def infinite_rule_parameter(tmp_path):
    return _rule_folder(tmp_path, "  max: .inf", kind="per_unit"), "params.max': must be a finite number"


def nan_rule_parameter_from_config(tmp_path):
    (tmp_path / "audit.toml").write_text("[params.PU01]\nmin = nan\n", encoding="utf-8")
    return _texts(tmp_path), "params.PU01.min: must be a finite number"


def negative_count_parameter(tmp_path):
    return _rule_folder(tmp_path, "  max_gap: -3", kind="per_unit"), "params.max_gap': must not be negative"


DEEP_FOLDERS = 100
CASES = [huge_max_bytes, huge_max_bytes_in_config, deep_toml, deep_yaml, deep_rules_folder, deep_baseline,
         huge_integer_in_baseline, list_param_of_numbers, nested_list_param_of_numbers, backtracking_pattern,
         fifo_rule_file, negative_tolerance_in_config, infinite_tolerance_in_config, nan_tolerance_in_config,
         infinite_rule_parameter, nan_rule_parameter_from_config, negative_count_parameter]


@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_each_bad_input_is_exit_2_with_one_line(tmp_path, case):
    argv, expected = case(tmp_path)
    done = subprocess.run([sys.executable, "-m", "auditor.cli", *argv], cwd=tmp_path, capture_output=True,
                          text=True, timeout=300, stdin=subprocess.DEVNULL)
    assert done.returncode == 2, (done.returncode, done.stderr[-500:])
    assert expected in done.stderr, done.stderr[-500:]
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr


def test_a_broken_baseline_is_noticed_before_any_text_is_read(tmp_path, monkeypatch, capsys):
    import auditor.pipeline
    from auditor.cli import main

    read = []
    monkeypatch.setattr(auditor.pipeline, "read_document", lambda *a, **k: read.append(a))
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "b.json").write_text('{"schema": "auditor-baseline/2", "findings": [', encoding="utf-8")
    assert main(["run", str(tmp_path / "a.txt"), "--no-reports", "--baseline", str(tmp_path / "b.json")]) == 2
    assert "b.json: corrupt or truncated baseline" in capsys.readouterr().err
    assert read == []


def test_a_failed_report_write_still_prints_the_findings(tmp_path, monkeypatch, capsys):
    from auditor.cli import main

    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "reports").write_text("a file where the folder should be", encoding="utf-8")
    assert main(["run", "a.txt"]) == 2
    captured = capsys.readouterr()
    assert "SUM02" in captured.out and "82个" in captured.out       # the findings were shown
    assert "reports: cannot write" in captured.err and len(captured.err.strip().splitlines()) == 1
