import subprocess
import sys

from auditor.cli import main


def test_version_prints_and_exits_zero(capsys):
    try:
        main(["--version"])
    except SystemExit as stop:
        assert stop.code == 0
    assert "auditor" in capsys.readouterr().out


def test_missing_path_is_one_line_error_exit_2(capsys, tmp_path):
    code = main(["run", str(tmp_path / "absent"), "--no-reports"])
    err = capsys.readouterr().err
    assert code == 2
    assert "absent" in err and "no such file" in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_console_script_runs_as_module(tmp_path):
    result = subprocess.run([sys.executable, "-m", "auditor.cli", "run", str(tmp_path), "--no-reports"],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "no text to audit" in result.stderr
