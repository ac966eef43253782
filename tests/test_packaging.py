"""A normal install ships the rules: a wheel installed into a fresh virtual
environment outside the checkout finds the seeds' gold relations; and a run
without rules is exit 2 naming where it looked, never a silent pass."""

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

from auditor.cli import main

ROOT = Path(__file__).resolve().parents[1]


def _pyproject() -> dict:
    try:
        import tomllib
    except ModuleNotFoundError:
        import tomli as tomllib
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def test_the_package_list_names_every_subpackage_and_the_rules():
    # The list is explicit because rules/ is mapped in as auditor.rules; a new subpackage must be added to it.
    packages = set(_pyproject()["tool"]["setuptools"]["packages"])
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "auditor").rglob("__init__.py")}
    assert on_disk | {"auditor.rules"} == packages
    assert _pyproject()["tool"]["setuptools"]["package-dir"] == {"auditor.rules": "rules"}


def test_no_rule_at_all_is_exit_2_naming_where_it_looked(tmp_path, monkeypatch, capsys):
    import auditor.ruleset as ruleset

    empty = tmp_path / "no-rules-here"
    monkeypatch.setattr(ruleset, "BUILTIN_RULES", empty)
    monkeypatch.setattr(ruleset, "BUILTIN_CANDIDATES", (empty,))
    (tmp_path / "a.txt").write_text("全县共有行政村141个，其中贫困村82个、非贫困村69个。\n", encoding="utf-8")
    assert main(["run", str(tmp_path / "a.txt"), "--no-reports"]) == 2
    err = capsys.readouterr().err
    assert f"no rules found (looked in {empty})" in err and len(err.strip().splitlines()) == 1
    (tmp_path / "extra").mkdir()
    assert main(["run", str(tmp_path / "a.txt"), "--no-reports", "--rules", str(tmp_path / "extra")]) == 2
    assert str(tmp_path / "extra") in capsys.readouterr().err


def _run(command, **kwargs):
    done = subprocess.run([str(c) for c in command], capture_output=True, text=True, timeout=600, **kwargs)
    assert done.returncode == 0, f"{command}: {done.stdout[-2000:]} {done.stderr[-2000:]}"
    return done


@pytest.mark.slow
def test_a_wheel_installed_outside_the_checkout_ships_the_rules(tmp_path):
    pytest.importorskip("setuptools")
    pytest.importorskip("wheel")   # in the test extras
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for folder in ("auditor", "rules"):
        shutil.copytree(ROOT / folder, source / folder, ignore=shutil.ignore_patterns("__pycache__"))
    wheels = tmp_path / "wheels"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", wheels, source])
    (wheel,) = wheels.glob("auditor-*.whl")

    fresh = tmp_path / "fresh"
    _run([sys.executable, "-m", "venv", fresh])
    python = fresh / "bin" / "python"
    _run([python, "-m", "pip", "install", "-q", "--no-deps", "--no-index", wheel])
    # The dependencies come from this environment's site-packages (a path in a .pth file; the .pth
    # files there, such as an editable install of this checkout, are not processed from it).
    site = Path(_run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    ours = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    (site / "dependencies.pth").write_text("\n".join(sorted(ours)) + "\n", encoding="utf-8")

    work = tmp_path / "work"
    shutil.copytree(ROOT / "seeds", work / "seeds")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    located = _run([python, "-c", "import auditor, auditor.ruleset as r; print(auditor.__file__); print(r.BUILTIN_RULES)"],
                   cwd=work, env=env).stdout.split()
    assert all(Path(p).is_relative_to(fresh) for p in located), located    # not the checkout
    listed = _run([fresh / "bin" / "audit", "rules"], cwd=work, env=env).stdout
    assert "SUM01" in listed and "PRC01" in listed
    done = subprocess.run([fresh / "bin" / "audit", "run", "seeds", "--no-reports", "-v", "--json", "out.json"],
                          cwd=work, env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 1, done.stderr
    data = json.loads((work / "out.json").read_text(encoding="utf-8"))
    assert any("82 + 59 = 141 ✓" in v["computation"] for v in data["verified"])
    assert any(f["rule"] == "PRC01" for f in data["findings"])
    assert data["coverage"]["total"]["rules_run"] == len(data["rules"]) > 10
