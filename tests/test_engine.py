"""The engines give one report: `--jobs 1` and `--jobs 2` write byte-identical
JSON and print the same output in the same order, and the Dask engine
(synchronous and local-process schedulers) finds what the default engine
finds, on the seeds and on a generated corpus."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from auditor import engine
from auditor.cli import main
from auditor.config import Settings
from auditor.pipeline import audit_text, run_audit

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
sys.path.insert(0, str(ROOT / "benchmarks"))

import corpus  # noqa: E402


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    """About 300 kB in 60-odd documents: the seeds and a less repetitive mix."""
    out = tmp_path_factory.mktemp("corpus")
    corpus.write(out / "varied", 200_000, "varied", seed=3)
    corpus.write(out / "shuffled", 100_000, "shuffled", seed=4)
    shutil.copytree(SEEDS, out / "seeds")
    return out


def _run(capsys, *args) -> str:
    capsys.readouterr()
    main(["run", *args])
    return capsys.readouterr().out


def test_json_report_and_output_are_identical_with_one_or_two_jobs(generated, tmp_path, capsys):
    one, two = tmp_path / "one.json", tmp_path / "two.json"
    out_one = _run(capsys, str(generated), "--no-reports", "--json", str(one), "--jobs", "1", "-v")
    out_two = _run(capsys, str(generated), "--no-reports", "--json", str(two), "--jobs", "2", "-v")
    assert one.read_bytes() == two.read_bytes()
    assert out_one == out_two.replace(str(two), str(one))  # the report names the file it wrote
    data = json.loads(one.read_text(encoding="utf-8"))
    assert len(data["documents"]) > 20 and data["findings"] and data["verified"]
    assert {d["path"] for d in data["documents"]} >= {f["evidence"][0]["path"] for f in data["findings"]}


def test_the_pool_really_runs_in_other_processes(generated, monkeypatch):
    import os

    seen = set()
    original = engine.DocumentAuditor.__call__

    def spy(self, item):
        seen.add(os.getpid())
        return original(self, item)

    monkeypatch.setattr(engine.DocumentAuditor, "__call__", spy)
    documents = [d for d in engine.map_documents(_documents(generated), _auditor(), "processes", jobs=2)]
    assert len(documents) > 20
    assert not seen  # every document was audited in a worker: the parent's spy never ran
    in_process = list(engine.map_documents(_documents(generated), _auditor(), "inprocess"))
    assert seen == {os.getpid()} and len(in_process) == len(documents)
    assert [r.summary for r in in_process] == [r.summary for r in documents]


def _documents(folder: Path):
    from auditor.pipeline import load_documents

    return load_documents([str(folder)], Settings(reports=False))[0]


def _auditor():
    from auditor.ruleset import load_ruleset

    settings = Settings(reports=False)
    return engine.DocumentAuditor(load_ruleset(settings), settings)


def _outcomes(report) -> str:
    data = report.to_dict()
    return json.dumps({"findings": data["findings"], "verified": data["verified"],
                       "documents": data["documents"]}, ensure_ascii=False, sort_keys=True)


@pytest.mark.parametrize("scheduler", ["synchronous", "processes"])
def test_dask_engine_finds_what_the_default_engine_finds(generated, scheduler):
    pytest.importorskip("dask.bag")
    settings = Settings(reports=False)
    for folder in (SEEDS, generated):
        expected = _outcomes(run_audit([str(folder)], settings, jobs=1))
        assert _outcomes(run_audit([str(folder)], settings, engine="dask", scheduler=scheduler)) == expected


def test_dask_engine_from_the_command_line(generated, tmp_path, capsys):
    pytest.importorskip("dask.bag")
    default, dask = tmp_path / "default.json", tmp_path / "dask.json"
    _run(capsys, str(SEEDS), "--no-reports", "--json", str(default))
    _run(capsys, str(SEEDS), "--no-reports", "--json", str(dask), "--engine", "dask", "--scheduler", "synchronous")
    assert default.read_bytes() == dask.read_bytes()


def test_jobs_must_be_a_positive_number(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["run", str(SEEDS), "--jobs", "0"])
    assert stopped.value.code == 2
    assert "--jobs" in capsys.readouterr().err


def test_findings_beyond_the_cap_per_document_and_rule_leave_a_note(monkeypatch):
    monkeypatch.setattr(engine, "MAX_FINDINGS_PER_RULE", 3)
    text = "".join(f"已有{300 + i}个村通硬化路，占比{101 + i}%。" for i in range(7))
    report = audit_text(text)
    assert len([f for f in report.findings if f.rule == "RNG01"]) == 3
    assert any("only the first 3" in s["reason"] for s in report.skipped)


def test_claims_beyond_the_budget_per_document_are_not_checked_and_say_so(monkeypatch):
    monkeypatch.setattr(engine, "MAX_CLAIMS_PER_DOCUMENT", 4)
    report = audit_text("全县共有贫困户100户。" * 10)
    assert report.documents[0].claims == 4
    assert any("only the first 4" in s["reason"] for s in report.skipped)
