"""Baseline hygiene: no line numbers, occurrence counts, fixed findings with
a count, `audit baseline --prune`, and the summary says what it hides."""

import json

import pytest

from auditor.cli import main

FAILING = "全县共有行政村141个，其中贫困村82个、非贫困村69个。"
FILLER = [f"第{n}项工作有序推进。" for n in range(1, 41)]
ONE_RULE = ["--select", "SUM01"]   # one finding per copy of the sentence


def text_with(known_at: int, copies: int = 1) -> str:
    lines = ["概况"] + FILLER[:known_at] + [FAILING] * copies + FILLER[known_at:] + ["结语"]
    return "\n".join(lines) + "\n"


def audit(tmp_path, *args):
    out = tmp_path / "out.json"
    code = main(["run", str(tmp_path / "texts"), "--no-reports", "--json", str(out), "-q", *ONE_RULE, *args])
    return code, json.loads(out.read_text(encoding="utf-8"))


@pytest.fixture
def project(tmp_path):
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "county.txt").write_text(text_with(2), encoding="utf-8")
    baseline = tmp_path / "baseline.json"
    assert main(["baseline", str(tmp_path / "texts"), "-o", str(baseline), *ONE_RULE]) == 0
    code, data = audit(tmp_path, "--baseline", str(baseline))
    assert code == 0 and data["findings"] and {f["status"] for f in data["findings"]} == {"known"}
    return tmp_path, baseline, len(data["findings"])


def rewrite(tmp_path, text):
    (tmp_path / "texts" / "county.txt").write_text(text, encoding="utf-8")


def test_moving_a_known_finding_20_lines_down_keeps_it_known(project):
    tmp_path, baseline, known = project
    rewrite(tmp_path, text_with(22))
    code, data = audit(tmp_path, "--baseline", str(baseline))
    assert code == 0
    assert [f["status"] for f in data["findings"]] == ["known"] * known
    assert data["findings"][0]["evidence"][0]["line"] == 24        # it did move: line 4 before
    assert data["summary"]["fixed"] == 0


def test_duplicating_its_paragraph_gives_one_new_finding_per_known_one(project):
    tmp_path, baseline, known = project
    rewrite(tmp_path, text_with(2, copies=2))
    code, data = audit(tmp_path, "--baseline", str(baseline))
    statuses = [f["status"] for f in data["findings"]]
    assert statuses.count("known") == known and statuses.count("new") == known == 1
    new = next(f for f in data["findings"] if f["status"] == "new")
    assert new["evidence"][0]["line"] == 5                          # the second copy is the new one
    assert code == 1


def test_deleting_it_reports_one_fixed(project):
    tmp_path, baseline, known = project
    rewrite(tmp_path, "概况\n" + "\n".join(FILLER) + "\n")
    code, data = audit(tmp_path, "--baseline", str(baseline))
    assert code == 0 and not data["findings"]
    assert data["summary"]["fixed"] == known == 1
    assert [entry["rule"] for entry in data["fixed"]] == ["SUM01"] and data["fixed"][0]["count"] == 1


def test_baseline_counts_copies_and_prune_drops_what_is_fixed(tmp_path):
    (tmp_path / "texts").mkdir()
    rewrite(tmp_path, text_with(2, copies=3))
    baseline = tmp_path / "baseline.json"
    assert main(["baseline", str(tmp_path / "texts"), "-o", str(baseline), *ONE_RULE]) == 0
    entries = json.loads(baseline.read_text("utf-8"))["findings"]
    assert [e["count"] for e in entries] == [3]
    rewrite(tmp_path, text_with(2, copies=1))
    code, data = audit(tmp_path, "--baseline", str(baseline))
    assert code == 0 and data["summary"]["fixed"] == 2
    assert main(["baseline", str(tmp_path / "texts"), "-o", str(baseline), "--prune", *ONE_RULE]) == 0
    assert [e["count"] for e in json.loads(baseline.read_text("utf-8"))["findings"]] == [1]
    rewrite(tmp_path, text_with(2, copies=2))
    assert main(["baseline", str(tmp_path / "texts"), "-o", str(baseline), "--prune", *ONE_RULE]) == 0   # adds nothing
    assert [e["count"] for e in json.loads(baseline.read_text("utf-8"))["findings"]] == [1]
    code, data = audit(tmp_path, "--baseline", str(baseline))
    assert code == 1 and data["summary"]["new"] == 1


def test_the_summary_says_how_many_the_baseline_hides(project, capsys):
    tmp_path, baseline, known = project
    rewrite(tmp_path, text_with(2, copies=2))
    capsys.readouterr()
    main(["run", str(tmp_path / "texts"), "--no-reports", "--baseline", str(baseline), *ONE_RULE])
    out = capsys.readouterr().out
    assert f"1 new, {known} known (hidden by the baseline {baseline}), 0 fixed" in out


def test_prune_checks_the_baseline_before_reading_texts(tmp_path, capsys):
    (tmp_path / "texts").mkdir()
    bad = tmp_path / "bad.json"
    bad.write_text("{", encoding="utf-8")
    assert main(["baseline", str(tmp_path / "absent-folder"), "-o", str(bad), "--prune"]) == 2
    assert "bad.json: corrupt or truncated baseline" in capsys.readouterr().err


def test_a_renamed_file_keeps_its_known_findings(project):
    tmp_path, baseline, known = project
    (tmp_path / "texts" / "county.txt").rename(tmp_path / "texts" / "renamed.txt")
    code, data = audit(tmp_path, "--baseline", str(baseline))
    assert code == 0 and [f["status"] for f in data["findings"]] == ["known"] * known
    assert data["findings"][0]["evidence"][0]["path"].endswith("renamed.txt")
    assert data["summary"]["fixed"] == 0


def test_a_finding_moved_to_another_file_stays_known_but_a_copy_is_new(project):
    tmp_path, baseline, known = project
    (tmp_path / "texts" / "other.txt").write_text(text_with(5), encoding="utf-8")
    code, data = audit(tmp_path, "--baseline", str(baseline))              # copied: the original stays
    assert code == 1 and data["summary"]["new"] == 1 and data["summary"]["known"] == known
    new = next(f for f in data["findings"] if f["status"] == "new")
    assert new["evidence"][0]["path"].endswith("other.txt")
    (tmp_path / "texts" / "county.txt").unlink()                             # moved: only the other file has it
    code, data = audit(tmp_path, "--baseline", str(baseline))
    assert code == 0 and data["summary"]["known"] == known and data["summary"]["fixed"] == 0


def test_prune_rewrites_a_moved_finding_under_its_new_fingerprint(project):
    tmp_path, baseline, known = project
    before = json.loads(baseline.read_text("utf-8"))["findings"]
    (tmp_path / "texts" / "county.txt").rename(tmp_path / "texts" / "renamed.txt")
    assert main(["baseline", str(tmp_path / "texts"), "-o", str(baseline), "--prune", *ONE_RULE]) == 0
    after = json.loads(baseline.read_text("utf-8"))["findings"]
    assert [e["content"] for e in after] == [e["content"] for e in before]
    assert [e["fingerprint"] for e in after] != [e["fingerprint"] for e in before]
    assert after[0]["path"].endswith("renamed.txt")
