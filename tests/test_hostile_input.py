"""Hostile and broken input: every case ends with a one-line message and the
documented exit code (0 clean, 1 findings, 2 bad input), never a traceback."""

import json
import os
import re
import subprocess
import sys

import pytest

import auditor.pipeline
from auditor.cli import main
from auditor.ingest import DEFAULT_MAX_BYTES, Skipped, read_document

TEXT = "全县共有贫困户3043户，贫困人口10493人。\n"


def run(capsys, *args):
    """Run the CLI; return (exit code, stdout, stderr) after checking stderr."""
    code = main(["run", *map(str, args)])
    out, err = capsys.readouterr()
    assert "Traceback" not in err and "Traceback" not in out
    if code == 2:
        assert len(err.strip().splitlines()) == 1, err
        assert err.startswith("audit: error: ")
    return code, out, err


def json_run(capsys, tmp_path, *args):
    target = tmp_path / "out.json"
    code, out, err = run(capsys, *args, "--no-reports", "--json", target)
    return code, json.loads(target.read_text("utf-8")), err


@pytest.fixture
def folder(tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "a.txt").write_text(TEXT, encoding="utf-8")
    return texts


def test_a_binary_file_is_skipped_and_the_rest_audited(capsys, tmp_path, folder):
    clean_code, clean, _ = json_run(capsys, tmp_path, folder)
    (folder / "image.txt").write_bytes(bytes(range(256)) * 40)
    code, data, _ = json_run(capsys, tmp_path, folder)
    assert code == clean_code
    assert [d["path"] for d in data["documents"]] == [str(folder / "a.txt")]
    assert data["skipped"] == [{"path": str(folder / "image.txt"), "reason": "binary or undecodable content"}]
    assert data["findings"] == clean["findings"]
    _, out, _ = run(capsys, folder, "--no-reports")
    assert "image.txt" in out and "binary" in out  # the terminal report notes the skipped file


def test_an_empty_file_alone_is_exit_2_naming_it(capsys, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    code, _, err = run(capsys, empty, "--no-reports")
    assert code == 2 and "empty.txt: empty file" in err


def test_an_empty_file_beside_others_is_skipped(capsys, tmp_path, folder):
    (folder / "blank.md").write_text("  \n\n", encoding="utf-8")
    code, data, _ = json_run(capsys, tmp_path, folder)
    assert code in (0, 1)
    assert data["skipped"] == [{"path": str(folder / "blank.md"), "reason": "empty file"}]


def test_a_folder_with_no_texts_is_exit_2(capsys, tmp_path):
    (tmp_path / "data.csv").write_text("1,2,3", encoding="utf-8")
    code, _, err = run(capsys, tmp_path, "--no-reports")
    assert code == 2 and "no text to audit" in err and str(tmp_path) in err


def test_a_missing_path_is_exit_2(capsys, tmp_path, folder):
    code, _, err = run(capsys, folder, tmp_path / "nowhere", "--no-reports")
    assert code == 2 and "nowhere: no such file or folder" in err


def test_a_path_too_long_for_the_system_is_exit_2(capsys):
    code, _, err = run(capsys, "x" * 5000 + ".txt", "--no-reports")
    assert code == 2 and len(err) < 400


def test_a_file_over_max_bytes_is_refused_with_the_limit_named(capsys, tmp_path, folder):
    (folder / "long.txt").write_text("一" * 3000, encoding="utf-8")  # one line, 9000 bytes
    code, data, _ = json_run(capsys, tmp_path, folder, "--max-bytes", 4096)
    assert code in (0, 1)
    [skipped] = data["skipped"]
    assert skipped["path"].endswith("long.txt") and "size limit" in skipped["reason"] and "4096" in skipped["reason"]
    code, _, err = run(capsys, folder / "long.txt", "--max-bytes", 4096, "--no-reports")
    assert code == 2 and "long.txt" in err and "size limit" in err


def test_the_default_limit_refuses_a_100_mb_file_without_reading_it(tmp_path, monkeypatch):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as stream:  # sparse: 100 MB on paper, nothing on disk
        stream.truncate(100 * 1024 * 1024)
    assert DEFAULT_MAX_BYTES < huge.stat().st_size
    monkeypatch.setattr(type(huge), "open", lambda *a, **k: pytest.fail("the file was opened"))
    result = read_document(huge)
    assert isinstance(result, Skipped) and "size limit" in result.reason


def test_a_file_growing_past_the_limit_is_not_read_whole(tmp_path, monkeypatch):
    path = tmp_path / "growing.txt"
    path.write_text(TEXT, encoding="utf-8")
    real_stat = type(path).stat
    # The size on stat is small, but the file is larger by the time it is read.
    monkeypatch.setattr(type(path), "stat", lambda self, **k: os.stat_result((*real_stat(self)[:6], 0, 0, 0, 0)))
    path.write_text(TEXT * 100, encoding="utf-8")
    result = read_document(path, max_bytes=len(TEXT.encode()) * 2)
    assert isinstance(result, Skipped) and "size limit" in result.reason


def test_mixed_encodings_in_one_folder_are_all_audited(capsys, tmp_path, folder):
    (folder / "gb.txt").write_bytes(TEXT.encode("gb18030"))
    (folder / "big5.txt").write_bytes("全縣共有貧困戶3043戶，貧困人口10493人。\n".encode("big5"))
    (folder / "utf16.txt").write_bytes(TEXT.encode("utf-16"))
    code, data, _ = json_run(capsys, tmp_path, folder)
    assert code in (0, 1) and data["skipped"] == []
    assert sorted(d["encoding"] for d in data["documents"]) == ["big5", "gb18030", "utf-16", "utf-8"]


def test_a_dangling_symlink_is_skipped_as_vanished(capsys, tmp_path, folder):
    (folder / "gone.txt").symlink_to(folder / "deleted.txt")
    code, data, _ = json_run(capsys, tmp_path, folder)
    assert code in (0, 1)
    assert data["skipped"] == [{"path": str(folder / "gone.txt"), "reason": "vanished before it could be read"}]


def test_a_file_deleted_between_discovery_and_reading_is_skipped(capsys, tmp_path, folder, monkeypatch):
    (folder / "b.txt").write_text(TEXT, encoding="utf-8")
    discover = auditor.pipeline.discover

    def discover_then_delete(*args, **kwargs):
        found = discover(*args, **kwargs)
        (folder / "b.txt").unlink()
        return found

    monkeypatch.setattr(auditor.pipeline, "discover", discover_then_delete)
    code, data, _ = json_run(capsys, tmp_path, folder)
    assert code in (0, 1)
    assert [s["path"] for s in data["skipped"]] == [str(folder / "b.txt")]


def test_an_unreadable_file_is_skipped_with_the_reason(capsys, tmp_path, folder, monkeypatch):
    (folder / "secret.txt").write_text(TEXT, encoding="utf-8")
    real_open = type(folder).open

    def refuse(self, *args, **kwargs):
        if self.name == "secret.txt":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(type(folder), "open", refuse)
    code, data, _ = json_run(capsys, tmp_path, folder)
    assert code in (0, 1)
    assert data["skipped"] == [{"path": str(folder / "secret.txt"), "reason": "cannot be read (Permission denied)"}]


def test_a_fifo_is_skipped_instead_of_blocking(capsys, tmp_path, folder):
    os.mkfifo(folder / "pipe.txt")
    code, data, _ = json_run(capsys, tmp_path, folder)
    assert data["skipped"] == [{"path": str(folder / "pipe.txt"), "reason": "not a regular file"}]


def test_a_path_that_is_a_symlink_loop_is_exit_2(capsys, tmp_path):
    (tmp_path / "a.txt").symlink_to(tmp_path / "b.txt")
    (tmp_path / "b.txt").symlink_to(tmp_path / "a.txt")
    code, _, err = run(capsys, tmp_path / "a.txt", "--no-reports")
    assert code == 2 and "a.txt" in err and "symbolic links" in err


def test_a_folder_with_symlink_loops_is_audited_without_hanging(capsys, tmp_path, folder):
    (folder / "loop.txt").symlink_to(folder / "loop.txt")
    (folder / "parent").symlink_to(folder, target_is_directory=True)
    code, data, _ = json_run(capsys, tmp_path, folder)
    assert code in (0, 1)
    assert [d["path"] for d in data["documents"]] == [str(folder / "a.txt")]
    assert [s["path"] for s in data["skipped"]] == [str(folder / "loop.txt")]


@pytest.mark.parametrize("content, message", [
    ('{"schema": "auditor-baseline/2", "findings": [{"fingerp', "truncated|corrupt"),
    ('{"schema": "auditor-baseline/9", "findings": []}', "auditor-baseline/9.*newer|not supported"),
    ("", "empty|corrupt"),
    ('["not", "a", "baseline"]', "not an auditor baseline"),
    ('{"schema": "auditor-baseline/2", "findings": [1, 2]}', "corrupt|fingerprint"),
])
def test_a_broken_baseline_is_exit_2(capsys, tmp_path, folder, content, message):
    baseline = tmp_path / "baseline.json"
    baseline.write_text(content, encoding="utf-8")
    code, _, err = run(capsys, folder, "--baseline", baseline, "--no-reports")
    assert code == 2 and str(baseline) in err and re.search(message, err)


def test_a_baseline_in_a_foreign_encoding_is_exit_2(capsys, tmp_path, folder):
    baseline = tmp_path / "baseline.json"
    baseline.write_bytes('{"schema": "基线"}'.encode("utf-16"))
    code, _, err = run(capsys, folder, "--baseline", baseline, "--no-reports")
    assert code == 2 and str(baseline) in err


def test_a_report_dir_under_a_regular_file_is_exit_2(capsys, tmp_path, folder):
    blocker = tmp_path / "plain-file"
    blocker.write_text("x", encoding="utf-8")
    code, _, err = run(capsys, folder, "--report-dir", blocker / "reports")
    assert code == 2 and "plain-file" in err and "cannot write" in err


def test_a_json_target_under_a_regular_file_is_exit_2(capsys, tmp_path, folder):
    blocker = tmp_path / "plain-file"
    blocker.write_text("x", encoding="utf-8")
    code, _, err = run(capsys, folder, "--no-reports", "--json", blocker / "out.json")
    assert code == 2 and "cannot write" in err


def test_a_baseline_output_under_a_regular_file_is_exit_2(capsys, tmp_path, folder):
    blocker = tmp_path / "plain-file"
    blocker.write_text("x", encoding="utf-8")
    code = main(["baseline", str(folder), "-o", str(blocker / "base.json")])
    err = capsys.readouterr().err
    assert code == 2 and "cannot write" in err and "Traceback" not in err


# Rule files are configuration, but a broken or hostile one still ends in a
# one-line error naming the file, never in evaluated code or a hung run.

RULE = """id: ZZ99
name: test.hostile
kind: subset
severity: warning
description: a rule written for a test
message: "{message}"
params:
  trigger_pattern: '{pattern}'
"""


def rules_run(capsys, tmp_path, folder, rule_text, *extra):
    rules = tmp_path / "rules"
    rules.mkdir(exist_ok=True)
    (rules / "ZZ99.yaml").write_text(rule_text, encoding="utf-8")
    return run(capsys, folder, "--rules", rules, "--no-reports", *extra)


def test_a_rule_file_with_a_yaml_syntax_error_is_exit_2(capsys, tmp_path, folder):
    code, _, err = rules_run(capsys, tmp_path, folder, "id: ZZ99\nname: [unclosed\nkind: sum\n")
    assert code == 2 and "ZZ99.yaml" in err


def test_a_catastrophic_pattern_is_refused_when_loaded(capsys, tmp_path, folder):
    code, _, err = rules_run(capsys, tmp_path, folder, RULE.format(message="m", pattern=r"(?:\p{Han}|\p{Han}\p{Han})+$"))
    assert code == 2 and "ZZ99.yaml" in err and "trigger_pattern" in err


def test_a_pattern_that_backtracks_only_on_the_text_does_not_hang_the_run(capsys, tmp_path, folder):
    (folder / "b.txt").write_text("其中" + "户" * 40 + "。\n", encoding="utf-8")
    code, _, err = rules_run(capsys, tmp_path, folder, RULE.format(message="m", pattern=r"其中(?:户|户户)+$"))
    assert code == 2 and "ZZ99.yaml" in err and "backtracks" in err   # refused by the load-time probe
    assert "internal error" not in err


def test_python_in_a_rule_file_is_never_evaluated(capsys, tmp_path, folder):
    marker = tmp_path / "PWNED"
    hostile = f"__import__('os').system('touch {marker}')"
    text = RULE.format(message="m", pattern="其中") + f"condition: \"{hostile}\"\n"
    code, _, err = rules_run(capsys, tmp_path, folder, text)
    assert code == 2 and "ZZ99.yaml" in err and "condition" in err
    text = RULE.format(message="m", pattern="其中").replace("params:\n", f"params:\n  tolerance: \"{hostile}\"\n")
    code, _, err = rules_run(capsys, tmp_path, folder, text)
    assert code == 2 and "tolerance" in err
    assert not marker.exists()


def test_a_yaml_python_tag_in_a_rule_file_is_refused(capsys, tmp_path, folder):
    marker = tmp_path / "PWNED"
    text = RULE.format(message="m", pattern="其中").replace(
        "description: a rule written for a test", f"description: !!python/object/apply:os.system ['touch {marker}']")
    code, _, err = rules_run(capsys, tmp_path, folder, text)
    assert code == 2 and "ZZ99.yaml" in err
    assert not marker.exists()


def test_a_yaml_alias_bomb_in_a_rule_file_is_refused_quickly(capsys, tmp_path, folder):
    items = ['&a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    items += [f"&a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 9)]  # 9**9 strings if expanded
    text = RULE.format(message="m", pattern="其中").replace(
        "params:\n", "params:\n  not_a_param: [" + ", ".join(items) + "]\n")
    code, _, err = rules_run(capsys, tmp_path, folder, text)   # aliases are not expanded: no hang
    assert code == 2 and "ZZ99.yaml" in err


@pytest.mark.parametrize("template", ["{whole.__class__.__mro__}", "{whole.__class__.__init__.__globals__}"])
def test_a_message_template_cannot_reach_python_attributes(capsys, tmp_path, folder, template):
    (folder / "b.txt").write_text("整合资金10.2亿元，其中财政投入12.5亿元。\n", encoding="utf-8")
    rule = RULE.format(message="{message}", pattern="其中").replace("{message}", template)
    code, out, err = rules_run(capsys, tmp_path, folder, rule)
    assert code in (1, 2), err
    assert "<class" not in out and "internal error" not in err


def test_markup_in_a_text_is_quoted_inert_in_every_report(capsys, tmp_path):
    hostile = ("<script>alert(1)</script>[bold red]整合资金10.2亿元，其中财政投入12.5亿元。"
               "[x](javascript:alert(1))<img src=x onerror=alert(2)>\n")
    path = tmp_path / "hostile.md"
    path.write_text(hostile, encoding="utf-8")
    reports = tmp_path / "reports"
    code, out, err = run(capsys, path, "--report-dir", reports)
    assert code == 1, err  # the part exceeds the whole
    html = (reports / "report.html").read_text("utf-8")
    markdown = (reports / "report.md").read_text("utf-8")
    data = json.loads((reports / "report.json").read_text("utf-8"))
    json.loads((reports / "report.sarif").read_text("utf-8"))
    assert "<script>alert" not in html and "<img src=x" not in html
    assert not re.search(r"(?<!\\)<(script|img|/script)", markdown)  # `\<` is a literal `<` in Markdown
    quoted = [e["before"] + e["text"] + e["after"] for f in data["findings"] for e in f["evidence"]]
    assert any("<script>" in q or "<img" in q for q in quoted)  # the JSON keeps the original text
    assert "[bold red]" in out  # printed as written, not taken as rich markup


def _calls_to_audit(text: str) -> int:
    """Function calls (Python and C) made to audit `text`: work measured by count, not by the clock."""
    import cProfile
    import pstats

    from auditor.pipeline import audit_text

    profile = cProfile.Profile()
    profile.enable()
    audit_text(text)
    profile.disable()
    return sum(row[1] for row in pstats.Stats(profile).stats.values())


def test_a_large_single_line_text_costs_work_in_proportion_to_its_size():
    # A text on one line (no line breaks) must not make per-claim work grow with the line.
    sentence = "全县共有贫困户3043户，其中网络覆盖1.2万余户，占比80%。"
    _calls_to_audit(sentence)   # warm caches (rule loading, pattern compilation)
    small, large = (_calls_to_audit(sentence * n) for n in (50, 200))
    assert large / small < 4 * 1.5, f"4× the text cost {large / small:.1f}× the calls"


def test_file_names_not_utf8_or_with_control_characters_are_shown_safely(capsys, tmp_path, folder):
    name = os.fsencode(folder) + b"/bad\xff name.txt"
    with open(name, "wb") as stream:
        stream.write(TEXT.encode("utf-8"))
    (folder / "line\nbreak.txt").write_text(TEXT, encoding="utf-8")
    reports = tmp_path / "reports"
    code, out, err = run(capsys, folder, "--report-dir", reports, "--fail-on", "never")
    assert code == 0, err
    data = json.loads((reports / "report.json").read_text("utf-8"))
    paths = sorted(d["path"] for d in data["documents"])
    assert paths == sorted([str(folder / "a.txt"), str(folder / "bad\ufffd name.txt"), str(folder / "line\\x0abreak.txt")])


def test_a_folder_that_cannot_be_listed_is_noted_and_the_rest_audited(capsys, tmp_path, folder, monkeypatch):
    locked = folder / "locked"
    locked.mkdir()
    (locked / "inside.txt").write_text(TEXT, encoding="utf-8")
    real_scandir = os.scandir

    def refuse(path="."):
        if os.fspath(path) == str(locked):
            raise PermissionError(13, "Permission denied", str(locked))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", refuse)
    code, data, _ = json_run(capsys, tmp_path, folder)
    assert code in (0, 1)
    assert [d["path"] for d in data["documents"]] == [str(folder / "a.txt")]
    assert data["skipped"] == [{"path": str(locked), "reason": "cannot be read (Permission denied)"}]


def test_escape_sequences_in_a_text_do_not_reach_the_terminal(capsys, tmp_path):
    hostile = "\x1b]0;pwned\x07\x1b[2J整合资金10.2亿元，其中财政投入12.5亿元。\x1b[31m红" + "\n全县共有贫困户3043户。" * 40
    path = tmp_path / "escapes.txt"
    path.write_text(hostile, encoding="utf-8")
    code, out, err = run(capsys, path, "--no-reports")
    assert code == 1, err
    assert "10.2亿元" in out  # the finding is printed …
    assert "\x1b" not in out + err  # … without the text's escape sequences (no styling when captured)
