"""The real-text sample (../shared/real): the scorer run on `audit run`, against
the thresholds the "Real reports" issue sets. Thresholds not reached yet are
strict xfails with the state measured, so they flip when reached; a floor
guards what has been reached. Skipped where ../shared is absent."""

from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

REAL = Path(__file__).resolve().parent.parent.parent / "shared" / "real"
pytestmark = [pytest.mark.skipif(not (REAL / "score.py").is_file(), reason="../shared/real is not here"),
              pytest.mark.xdist_group("real_reports")]  # one worker runs the scorer once


@pytest.fixture(scope="module")
def scores(tmp_path_factory):
    wrapper = tmp_path_factory.mktemp("bin") / "audit"
    wrapper.write_text(f"#!/bin/sh\nexec {sys.executable} -m auditor.cli \"$@\"\n", encoding="utf-8")
    wrapper.chmod(wrapper.stat().st_mode | stat.S_IEXEC)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    out = subprocess.run([sys.executable, str(REAL / "score.py"), "--texts", str(REAL / "texts"),
                          "--labels", str(REAL / "labels"), "--audit", str(wrapper), "--mutations"],
                         capture_output=True, text=True, timeout=1800, env=env)
    line = out.stdout.strip().splitlines()[-1]
    fields = dict(re.findall(r"(\w+)=(\S+)", line))
    ratio = lambda key: tuple(int(n) for n in re.search(r"(\d+)/(\d+)", line.split(key + "=")[1]).groups())
    return {"found": ratio("real_found"), "verified": ratio("real_verified"), "traps": ratio("real_traps"),
            "false_alarms": int(fields["real_false_alarms"]), "mutations": ratio("real_mutations"), "line": line}


def _share(pair) -> float:
    return pair[0] / pair[1]


def test_every_real_inconsistency_is_found(scores):
    assert scores["found"][0] == scores["found"][1], scores["line"]


def test_every_slogan_trap_is_left_alone(scores):
    assert scores["traps"][0] == scores["traps"][1], scores["line"]


def test_most_holding_relations_are_verified(scores):
    assert _share(scores["verified"]) >= 0.70, scores["line"]


def test_most_inserted_inconsistencies_are_caught(scores):
    assert _share(scores["mutations"]) >= 0.70, scores["line"]


def test_at_most_two_false_alarms(scores):
    assert scores["false_alarms"] <= 2, scores["line"]
