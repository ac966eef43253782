"""Baselines: CI fails only on new findings; fingerprints survive edits
elsewhere and change when a finding's numbers change; bad files exit 2."""

import json
from dataclasses import replace

import pytest

from auditor.baseline import BASELINE_SCHEMA, load_baseline
from auditor.cli import main
from auditor.errors import BaselineError
from auditor.findings import fingerprint
from sample_reports import evidence_in, sample_report

FAILING = "全县共有行政村141个，其中贫困村82个、非贫困村69个。"
OTHER_FAILING = "全镇共有自然村30个，其中贫困村12个、非贫困村21个。"
TEXT = f"概况\n{FAILING}\n\n结语\n各项工作有序推进。\n"


def _audit(folder, *args):
    code = main(["run", str(folder), "--no-reports", "--json", str(folder.parent / "out.json"), "-q", *args])
    data = json.loads((folder.parent / "out.json").read_text(encoding="utf-8"))
    return code, data


@pytest.fixture
def project(tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "county.txt").write_text(TEXT, encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    assert main(["baseline", str(texts), "-o", str(baseline)]) == 0
    return texts, baseline


def _rewrite(texts, text):
    (texts / "county.txt").write_text(text, encoding="utf-8")


def test_the_failing_text_has_findings(project):
    texts, _ = project
    code, data = _audit(texts)
    assert data["findings"], "the rule engine should flag 82 + 69 ≠ 141"
    assert code == 1


def test_known_findings_do_not_fail_the_run(project):
    texts, baseline = project
    code, data = _audit(texts, "--baseline", str(baseline))
    assert code == 0
    assert {f["status"] for f in data["findings"]} == {"known"}
    assert data["summary"]["new"] == 0 and data["baseline"] == str(baseline)


def _add_town(texts):
    (texts / "town.txt").write_text(f"附记\n{OTHER_FAILING}\n", encoding="utf-8")


def test_a_new_finding_fails_the_run_and_only_it_is_new(project):
    texts, baseline = project
    _add_town(texts)
    code, data = _audit(texts, "--baseline", str(baseline))
    assert code == 1
    new = [f for f in data["findings"] if f["status"] == "new"]
    assert new and all(f["evidence"][0]["path"].endswith("town.txt") for f in new)
    assert all(f["status"] == "known" for f in data["findings"] if f["evidence"][0]["path"].endswith("county.txt"))


def test_fail_on_never_passes_even_with_new_findings(project):
    texts, baseline = project
    _add_town(texts)
    code, _ = _audit(texts, "--baseline", str(baseline), "--fail-on", "never")
    assert code == 0


def test_new_findings_below_fail_on_do_not_fail(project):
    texts, baseline = project
    _add_town(texts)
    code, data = _audit(texts, "--baseline", str(baseline), "--fail-on", "error")
    new_levels = {f["severity"] for f in data["findings"] if f["status"] == "new"}
    assert code == (1 if "error" in new_levels else 0)


def test_inserting_a_paragraph_above_keeps_fingerprints(project):
    texts, baseline = project
    _, before = _audit(texts)
    _rewrite(texts, "前言\n本报告汇总了全年情况，共分三个部分。\n\n" + TEXT)
    code, after = _audit(texts, "--baseline", str(baseline))
    assert [f["fingerprint"] for f in after["findings"]] == [f["fingerprint"] for f in before["findings"]]
    assert [f["evidence"][0]["line"] for f in after["findings"]] != [f["evidence"][0]["line"] for f in before["findings"]]
    assert code == 0


@pytest.mark.parametrize("wrapped", ["全县共有\n行政村141个", "其中\n贫困村", "非贫困村69个。\n\n\n"])
def test_rewrapping_lines_keeps_fingerprints(project, wrapped):
    texts, baseline = project
    _, before = _audit(texts)
    unwrapped = wrapped.replace("\n", "")
    _rewrite(texts, TEXT.replace(unwrapped, wrapped))     # only line breaks move
    code, after = _audit(texts, "--baseline", str(baseline))
    assert after["findings"], "the relation still fails after re-wrapping"
    assert {f["status"] for f in after["findings"]} == {"known"}
    assert {f["fingerprint"] for f in after["findings"]} <= {f["fingerprint"] for f in before["findings"]}
    assert code == 0


def test_changing_a_number_of_the_finding_changes_its_fingerprint(project):
    texts, baseline = project
    _rewrite(texts, TEXT.replace("69个", "70个"))
    code, data = _audit(texts, "--baseline", str(baseline))
    assert data["findings"] and {f["status"] for f in data["findings"]} == {"new"}
    assert code == 1


def test_fingerprint_ignores_whitespace_and_line_but_not_numbers():
    finding = sample_report().findings[0]
    moved = replace(finding, evidence=tuple(replace(e, line=e.line + 7, start=e.start + 90, end=e.end + 90,
                                                    before=" " + e.before) for e in finding.evidence))
    assert fingerprint(moved) == fingerprint(finding)
    text = "全县共有行政村141个，其中贫困村82个、非贫困村68个。"
    changed = replace(finding, evidence=finding.evidence[:2] + (evidence_in(text, "docs/villages.txt", "68个", "part"),))
    assert fingerprint(changed) != fingerprint(finding)
    assert fingerprint(finding, root="docs") != fingerprint(finding)   # the path from the root is part of it


def test_fingerprint_context_stays_within_the_sentence_and_path_form_does_not_matter(tmp_path, monkeypatch):
    finding = sample_report().findings[0]
    first = finding.evidence[0]
    after_new_sentence = replace(first, before="上一句话说了别的事。\n" + first.before)
    assert fingerprint(replace(finding, evidence=(after_new_sentence,) + finding.evidence[1:])) == fingerprint(finding)
    other_context = replace(first, before="全市共有自然村")
    assert fingerprint(replace(finding, evidence=(other_context,) + finding.evidence[1:])) != fingerprint(finding)
    monkeypatch.chdir(tmp_path)
    absolute = tuple(replace(e, path=str(tmp_path / e.path)) for e in finding.evidence)
    assert fingerprint(replace(finding, evidence=absolute)) == fingerprint(finding)


def test_every_format_marks_new_and_known(project, tmp_path):
    texts, baseline = project
    _add_town(texts)
    out = tmp_path / "reports"
    main(["run", str(texts), "--baseline", str(baseline), "--report-dir", str(out), "-q"])
    data = json.loads((out / "report.json").read_text(encoding="utf-8"))
    statuses = [f["status"] for f in data["findings"]]
    assert "new" in statuses and "known" in statuses
    sarif = json.loads((out / "report.sarif").read_text(encoding="utf-8"))
    states = [r["baselineState"] for r in sarif["runs"][0]["results"]]
    assert states == ["unchanged" if s == "known" else "new" for s in statuses]
    page = (out / "report.html").read_text(encoding="utf-8")
    assert page.count('data-status="new"') == statuses.count("new")
    markdown = (out / "report.md").read_text(encoding="utf-8")
    assert markdown.count("· **new**") == statuses.count("new")
    assert markdown.count("· **known**") == statuses.count("known")


def test_baseline_file_lists_rule_path_and_message(project):
    _, baseline = project
    data = json.loads(baseline.read_text(encoding="utf-8"))
    assert data["schema"] == BASELINE_SCHEMA
    assert data["findings"] and all({"fingerprint", "count", "rule", "path", "message"} <= set(e)
                                    for e in data["findings"])
    assert not any("line" in e for e in data["findings"]), "no line numbers: moving text changes no entry"


def test_baseline_command_uses_configured_path(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "audit.toml").write_text('baseline-path = "ci/known.json"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["baseline", "a.txt"]) == 0
    assert load_baseline("ci/known.json")


BAD_BASELINES = {
    "empty": ("", "empty"),
    "truncated": ('{"schema": "auditor-baseline/2", "findings": [{"fingerp', "truncated"),
    "older schema": ('{"schema": "auditor-baseline/1", "findings": []}', "older auditor"),
    "nested deep": ('{"schema": "auditor-baseline/2", "findings": ' + "[" * 100_000 + "]" * 100_000 + "}",
                    "nested too deeply"),
    "huge integer": ('{"schema": "auditor-baseline/2", "findings": [{"fingerprint": "0123456789abcdef0123",'
                     ' "count": ' + "9" * 5000 + '}]}', "corrupt baseline"),
    "bad count": ('{"schema": "auditor-baseline/2", "findings": [{"fingerprint": "0123456789abcdef0123",'
                  ' "count": -1}]}', "no valid count"),
    "not json": ("fingerprint,rule\n", "not valid JSON"),
    "newer schema": ('{"schema": "auditor-baseline/9", "findings": []}', "newer auditor"),
    "foreign": ('{"version": "2.1.0", "runs": []}', "not an auditor baseline"),
    "a report": ('{"schema": "auditor-report/1", "findings": []}', "is an audit report"),
    "list": ("[]", "not an auditor baseline"),
    "bad entry": ('{"schema": "auditor-baseline/2", "findings": [{"rule": "X"}]}', "entry 1"),
    "findings not a list": ('{"schema": "auditor-baseline/2", "findings": {}}', "must be a list"),
}


@pytest.mark.parametrize("case", sorted(BAD_BASELINES))
def test_bad_baseline_is_one_line_error_exit_2(case, tmp_path, capsys):
    content, expected = BAD_BASELINES[case]
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    code = main(["run", str(tmp_path / "a.txt"), "--no-reports", "--baseline", str(bad)])
    err = capsys.readouterr().err
    assert code == 2
    assert expected in err and str(bad) in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_missing_or_binary_baseline_is_an_error(tmp_path):
    with pytest.raises(BaselineError, match="no such baseline"):
        load_baseline(str(tmp_path / "absent.json"))
    (tmp_path / "bin.json").write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(BaselineError, match="not UTF-8"):
        load_baseline(str(tmp_path / "bin.json"))
    with pytest.raises(BaselineError, match="folder"):
        load_baseline(str(tmp_path))


def test_pre_commit_hooks_run_the_baseline_command(tmp_path, monkeypatch):
    import shlex
    import subprocess
    import sys
    from pathlib import Path

    import yaml

    hooks = yaml.safe_load((Path(__file__).resolve().parents[1] / ".pre-commit-hooks.yaml").read_text("utf-8"))
    assert {hook["id"] for hook in hooks} == {"audit", "audit-files"}
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "county.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "audit.toml").write_text('paths = ["texts"]\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)   # an absolute path inside the working folder counts as the relative one
    assert main(["baseline", str(tmp_path / "texts"), "-o", str(tmp_path / ".audit-baseline.json")]) == 0
    for hook in hooks:
        command = shlex.split(hook["entry"])
        assert command[:2] == ["audit", "run"] and "--baseline" in command
        files = [] if hook.get("pass_filenames") is False else ["texts/county.txt"]
        run = [sys.executable, "-m", "auditor.cli", *command[1:], *files]
        result = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr      # known findings only
        (tmp_path / "texts" / "town.txt").write_text(f"附记\n{OTHER_FAILING}\n", encoding="utf-8")
        files = [] if hook.get("pass_filenames") is False else ["texts/county.txt", "texts/town.txt"]
        run = [sys.executable, "-m", "auditor.cli", *command[1:], *files]
        result = subprocess.run(run, cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert result.returncode == 1                      # a new finding fails the commit
        (tmp_path / "texts" / "town.txt").unlink()
    assert not (tmp_path / "reports").exists()


def test_baseline_command_writes_the_baseline_run_reads(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "audit.toml").write_text('paths = ["a.txt"]\nbaseline = "known.json"\nreports = false\n',
                                         encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert main(["baseline"]) == 0
    assert (tmp_path / "known.json").is_file()
    assert main(["run", "-q"]) == 0                     # the configured baseline makes every finding known
