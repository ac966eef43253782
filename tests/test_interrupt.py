"""Nothing lost: an interrupted run leaves earlier reports as they were,
exits 130 (SIGINT) or 143 (SIGTERM) with a short message, and leaves no
temporary files behind."""

import os
import signal
import stat
import subprocess
import sys
import textwrap
import threading

import pytest

from auditor.atomic import write_all_atomic, write_atomic
from auditor.errors import AuditError

TEXT = "全县共有贫困户3043户，贫困人口10493人，贫困发生率15.6%。\n"

# Runs the CLI in a child process with one stage made slow: it prints READY
# when it gets there, then waits to be interrupted.
SLOW_STAGE = textwrap.dedent("""
    import sys, time
    import {module} as target
    real = target.{name}
    calls = []

    def slow(*args, **kwargs):
        calls.append(1)
        if len(calls) == {call}:
            sys.stderr.write("READY\\n"); sys.stderr.flush()
            time.sleep(60)
        return real(*args, **kwargs)

    target.{name} = slow
    from auditor.cli import main
    sys.exit(main(sys.argv[1:]))
""")


@pytest.fixture
def project(tmp_path):
    texts = tmp_path / "texts"
    texts.mkdir()
    for index in range(20):
        (texts / f"{index:02}.txt").write_text(TEXT * (index + 1), encoding="utf-8")
    reports = tmp_path / "reports"
    done = subprocess.run([sys.executable, "-m", "auditor.cli", "run", str(texts), "--report-dir", str(reports),
                           "--fail-on", "never"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return texts, reports


def snapshot(folder):
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())}


def interrupted_run(module, name, args, sig, call=1):
    """Run the CLI with `module.name` made slow on its `call`-th call, and
    send `sig` when it gets there."""
    child = subprocess.Popen([sys.executable, "-c", SLOW_STAGE.format(module=module, name=name, call=call), *args],
                             stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    watchdog = threading.Timer(120, child.kill)  # never hang the suite on a child that never gets READY
    watchdog.start()
    try:
        assert child.stderr.readline().strip() == "READY"
        child.send_signal(sig)
        out, err = child.communicate(timeout=60)
    finally:
        watchdog.cancel()
        if child.poll() is None:
            child.kill()
    return child.returncode, out, err


@pytest.mark.parametrize("sig, code, word", [(signal.SIGINT, 130, "interrupted"), (signal.SIGTERM, 143, "terminated")])
@pytest.mark.parametrize("module, name", [
    ("auditor.pipeline", "read_document"),   # while reading the texts
    ("os", "fsync"),                         # while writing the new reports
])
def test_an_interrupted_run_keeps_the_earlier_reports(project, module, name, sig, code, word):
    texts, reports = project
    before = snapshot(reports)
    assert before, "the first run wrote no reports"
    (texts / "new.txt").write_text("新增贫困户100户。\n", encoding="utf-8")
    returncode, _, err = interrupted_run(module, name, ["run", str(texts), "--report-dir", str(reports)], sig)
    assert returncode == code
    assert word in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1
    assert snapshot(reports) == before
    assert not [p for p in reports.iterdir() if p.name.endswith(".tmp")]


def test_an_interrupt_between_two_report_files_replaces_none(project):
    texts, reports = project
    before = snapshot(reports)
    (texts / "new.txt").write_text("新增贫困户100户。\n", encoding="utf-8")
    returncode, _, err = interrupted_run("os", "fsync", ["run", str(texts), "--report-dir", str(reports)],
                                         signal.SIGINT, call=2)
    assert returncode == 130 and "Traceback" not in err
    assert snapshot(reports) == before


def test_an_interrupted_baseline_keeps_the_old_baseline(project, tmp_path):
    texts, _ = project
    baseline = tmp_path / "baseline.json"
    done = subprocess.run([sys.executable, "-m", "auditor.cli", "baseline", str(texts), "-o", str(baseline)],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    before = baseline.read_bytes()
    returncode, _, err = interrupted_run("os", "fsync", ["baseline", str(texts), "-o", str(baseline)], signal.SIGINT)
    assert returncode == 130 and "Traceback" not in err
    assert baseline.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baseline.json", "reports", "texts"]


def test_write_atomic_replaces_the_whole_file(tmp_path):
    target = tmp_path / "out" / "report.json"
    write_atomic(target, "一" * 10)
    write_atomic(target, "二")
    assert target.read_text("utf-8") == "二"
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.json"]


def test_a_new_file_gets_the_umask_mode_not_0600(tmp_path):
    target = tmp_path / "report.md"
    old = os.umask(0o022)
    try:
        write_atomic(target, "x")
    finally:
        os.umask(old)
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_a_replaced_file_keeps_its_mode(tmp_path):
    target = tmp_path / "report.md"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    write_atomic(target, "new")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path, monkeypatch):
    target = tmp_path / "report.json"
    target.write_text("old", encoding="utf-8")

    def disk_full(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(AuditError, match="report.json: cannot write .No space left on device."):
        write_atomic(target, "new")
    assert target.read_text("utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]


def test_writing_several_files_replaces_none_when_one_fails(tmp_path, monkeypatch):
    first, second = tmp_path / "report.json", tmp_path / "report.md"
    first.write_text("old json", encoding="utf-8")
    second.write_text("old md", encoding="utf-8")
    calls = []
    real_fsync = os.fsync

    def fail_second(fd):
        calls.append(fd)
        if len(calls) == 2:
            raise KeyboardInterrupt
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fail_second)
    with pytest.raises(KeyboardInterrupt):
        write_all_atomic({first: "new json", second: "new md"})
    assert first.read_text("utf-8") == "old json" and second.read_text("utf-8") == "old md"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.json", "report.md"]
