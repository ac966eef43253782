"""All or none: a run's outputs (the reports and the --json file, in two
folders) are replaced as one set. A kill at every gap leaves, once the next
run has started, the old set or the new set, never a mix, and no temporary
file; an interrupt past the commit point finishes the new set."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

from auditor.atomic import COMMIT_RECORD, recover, write_all_atomic

NAMES = ("report.json", "report.md", "report.html", "report.sarif")

CHILD = textwrap.dedent("""
    import json, os, sys
    from auditor import atomic
    mode, stop, contents = sys.argv[1], int(sys.argv[2]), json.loads(sys.argv[3])
    calls = {"rename": 0, "fsync": 0}
    real = {"rename": os.replace, "fsync": os.fsync}

    def patched(kind):
        def call(*args):
            if kind == mode and calls[kind] == stop:
                os._exit(9)          # as SIGKILL: no clean-up runs
            calls[kind] += 1
            return real[kind](*args)
        return call

    os.replace, os.fsync = patched("rename"), patched("fsync")
    atomic.write_all_atomic(contents)
    print(json.dumps(calls))
""")


def layout(tmp_path):
    reports, elsewhere = tmp_path / "reports", tmp_path / "elsewhere"
    targets = [reports / name for name in NAMES] + [elsewhere / "run.json"]
    return (reports, elsewhere), targets


def state(targets):
    return [path.read_text("utf-8") if path.exists() else None for path in targets]


def leftovers(folders):
    return sorted(p.name for folder in folders for p in folder.iterdir() if p.name.startswith("."))


def kill_at(tmp_path, mode, stop):
    folders, targets = layout(tmp_path)
    write_all_atomic({str(t): "old" for t in targets})
    new = {str(t): f"new {t.name}" for t in targets}
    done = subprocess.run([sys.executable, "-c", CHILD, mode, str(stop), json.dumps(new)],
                          capture_output=True, text=True, timeout=120)
    return folders, targets, done


def gaps(mode):
    # with 5 files: 6 fsyncs while staging (5 files + the commit record), then the folder sync;
    # 6 renames (the commit record, then the 5 files)
    return range(7) if mode == "fsync" else range(6)


@pytest.mark.parametrize("mode, stop", [(m, s) for m in ("fsync", "rename") for s in gaps(m)])
def test_a_kill_at_every_gap_leaves_the_old_or_the_new_set(tmp_path, mode, stop):
    folders, targets, done = kill_at(tmp_path, mode, stop)
    assert done.returncode == 9, done.stderr
    for folder in folders:       # what the next run does first
        recover(folder)
    after = state(targets)
    old, new = ["old"] * len(targets), [f"new {t.name}" for t in targets]
    # the commit record was in place: renamed (rename 0), then its folder synced (fsync 6)
    committed = (mode == "rename" and stop >= 1) or (mode == "fsync" and stop >= 6)
    assert after == (new if committed else old), after
    assert leftovers(folders) == [], "no temporary file or commit record is left"


def test_the_run_finishes_untouched_when_nothing_kills_it(tmp_path):
    folders, targets, done = kill_at(tmp_path, "rename", 99)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"rename": 6, "fsync": 7}, "the gaps tested above are all there are"
    assert state(targets) == [f"new {t.name}" for t in targets] and leftovers(folders) == []


def test_an_interrupt_after_the_commit_point_finishes_the_new_set(tmp_path, monkeypatch):
    folders, targets = layout(tmp_path)
    write_all_atomic({str(t): "old" for t in targets})
    real, calls = os.replace, []

    def interrupted(a, b):
        calls.append(b)
        if len(calls) == 3:          # the record and one file are renamed; Ctrl-C now
            raise KeyboardInterrupt
        return real(a, b)

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_all_atomic({str(t): "new" for t in targets})
    assert state(targets) == ["new"] * len(targets) and leftovers(folders) == []


def test_stale_temporary_files_of_earlier_runs_are_removed(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / ".report.json.audit-0123456789ab.tmp").write_text("half", encoding="utf-8")
    (reports / ".report.html.k2j3h4g5.tmp").write_text("half", encoding="utf-8")   # earlier versions' names
    (reports / ".keep-me").write_text("user file", encoding="utf-8")
    write_all_atomic({str(reports / "report.json"): "{}"})
    assert sorted(p.name for p in reports.iterdir()) == [".keep-me", "report.json"]


def test_a_killed_cli_run_leaves_nothing_the_next_run_does_not_clean(tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "a.txt").write_text("全县共有行政村141个，其中贫困村82个、非贫困村69个。\n", encoding="utf-8")
    reports = tmp_path / "reports"
    command = ["run", str(texts), "--report-dir", str(reports), "--json", str(tmp_path / "out.json"), "-q"]
    script = CHILD.split("os.replace, os.fsync =")[0] + textwrap.dedent("""
        os.replace, os.fsync = patched("rename"), patched("fsync")
        from auditor.cli import main
        main(json.loads(sys.argv[3]))
    """)
    first = subprocess.run([sys.executable, "-c", script, "rename", "3", json.dumps(command)],
                           capture_output=True, text=True, timeout=300)
    assert first.returncode == 9, first.stderr
    assert (reports / COMMIT_RECORD).exists()
    second = subprocess.run([sys.executable, "-m", "auditor.cli", *command], capture_output=True, text=True,
                            timeout=300)
    assert second.returncode == 1, second.stderr
    assert sorted(p.name for p in reports.iterdir()) == sorted(NAMES)
    reports_json = json.loads((reports / "report.json").read_text("utf-8"))
    assert reports_json == json.loads((tmp_path / "out.json").read_text("utf-8"))
