"""Fingerprints do not depend on how audit is invoked (the path is taken
from the project root) nor on script or width (they are computed on the
normalized text)."""

import json
import subprocess
import sys

import pytest

FAILING = "全县共有行政村141个，其中贫困村82个、非贫困村69个。"
TRADITIONAL = "全縣共有行政村141個，其中貧困村82個、非貧困村69個。"
FULL_WIDTH = "全县共有行政村１４１个，其中贫困村８２个、非贫困村６９个。"


def fingerprints(cwd, *paths):
    done = subprocess.run([sys.executable, "-m", "auditor.cli", "run", *map(str, paths), "--no-reports",
                           "--output-format", "json"], cwd=cwd, capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, 1), done.stderr
    data = json.loads(done.stdout)
    assert data["findings"]
    return [(f["rule"], f["fingerprint"]) for f in data["findings"]]


@pytest.fixture
def project(tmp_path):
    root = tmp_path / "project"
    (root / "texts").mkdir(parents=True)
    (root / "audit.toml").write_text("reports = false\n", encoding="utf-8")
    (root / "texts" / "county.txt").write_text(f"概况\n{FAILING}\n", encoding="utf-8")
    return root


def test_the_same_file_has_the_same_fingerprints_from_any_folder(project, tmp_path):
    from_root = fingerprints(project, "texts")
    assert fingerprints(project / "texts", ".") == from_root
    assert fingerprints(tmp_path, project / "texts" / "county.txt") == from_root          # absolute, from outside
    assert fingerprints("/", project / "texts") == from_root


def test_a_git_repository_is_a_project_root_too(tmp_path):
    (tmp_path / "repo" / ".git").mkdir(parents=True)
    (tmp_path / "repo" / "a.txt").write_text(f"{FAILING}\n", encoding="utf-8")
    assert fingerprints(tmp_path, tmp_path / "repo" / "a.txt") == fingerprints(tmp_path / "repo", "a.txt")


@pytest.mark.parametrize("variant", [TRADITIONAL, FULL_WIDTH], ids=["traditional", "full-width"])
def test_script_and_width_keep_fingerprints(project, variant):
    before = fingerprints(project, "texts")
    (project / "texts" / "county.txt").write_text(f"概况\n{variant}\n", encoding="utf-8")
    assert fingerprints(project, "texts") == before


def test_another_file_gets_other_fingerprints(project):
    before = fingerprints(project, "texts")
    (project / "texts" / "county.txt").rename(project / "texts" / "town.txt")
    after = fingerprints(project, "texts")
    assert [r for r, _ in after] == [r for r, _ in before]
    assert not {f for _, f in after} & {f for _, f in before}, "the path is part of the fingerprint"
