"""The HTML report in a real browser (headless Debian chromium): the findings
render, and hostile markup in a document runs nothing."""

import html
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from auditor.cli import main
from auditor.report import render
from sample_reports import HOSTILE, sample_report

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed "
                                "(apt-get install chromium; .ci/run installs it)")

SCRIPT = "<script>document.title='pwned'</script>"
IMAGE = "\"><img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">"
HOSTILE_TEXT = f"标题{SCRIPT}{IMAGE}\n{SCRIPT}全县共有行政村141个，其中贫困村82个、非贫困村69个。{IMAGE}\n"
assert SCRIPT + IMAGE == HOSTILE


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", "--no-first-run",
             f"--user-data-dir={tmp_path / 'profile'}"]
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def hostile_report(tmp_path_factory) -> tuple[Path, str]:
    folder = tmp_path_factory.mktemp("browser")
    (folder / "texts").mkdir()
    (folder / "texts" / "hostile.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    main(["run", str(folder / "texts"), "--report-dir", str(folder / "out"), "-q"])
    page = folder / "out" / "report.html"
    result = _chromium(folder, "--virtual-time-budget=2000", "--dump-dom", page.as_uri())
    assert result.returncode == 0, result.stderr[-500:]
    return page, result.stdout


def test_findings_are_in_the_rendered_dom(hostile_report):
    import json

    page, dom = hostile_report
    data = json.loads((page.parent / "report.json").read_text(encoding="utf-8"))
    assert data["findings"], "the text has a failing sum"
    for finding in data["findings"]:
        assert html.escape(finding["message"], quote=False) in dom
        first = finding["evidence"][0]
        assert f"{first['path']}:{first['line']}:{first['column']}" in dom
    assert "<mark" in dom and "141个</mark>" in dom


def _assert_ran_nothing(dom: str) -> None:
    assert "data-pwned=\"1\"" not in dom and "data-pwned='1'" not in dom
    title = dom.split("<title>", 1)[1].split("</title>", 1)[0]
    assert title.startswith("Audit report") and "pwned" not in title
    assert "<img" not in dom
    assert dom.count("<script") == 1                     # the report's own filter script only


def test_hostile_context_runs_nothing_and_shows_escaped(hostile_report):
    _, dom = hostile_report
    _assert_ran_nothing(dom)
    assert "&lt;/script&gt;全县共有行政村" in dom             # the quoted context, escaped
    assert "&gt;&lt;img src=x onerror=" in dom


def test_hostile_quoted_span_runs_nothing(tmp_path):
    page = tmp_path / "sample.html"
    page.write_text(render(sample_report().to_dict(), "html"), encoding="utf-8")
    result = _chromium(tmp_path, "--virtual-time-budget=2000", "--dump-dom", page.as_uri())
    assert result.returncode == 0, result.stderr[-500:]
    _assert_ran_nothing(result.stdout)
    shown = html.escape(HOSTILE, quote=False)
    assert shown in result.stdout                       # the whole hostile string, as text


def test_filter_script_ran(hostile_report):
    _, dom = hostile_report
    # the filter script marks the page when it ran, so the policy let exactly it through
    assert re.search(r'<html[^>]*data-filters="ready"', dom)


def test_screenshot_renders(tmp_path, hostile_report):
    page, _ = hostile_report
    target = tmp_path / "shot.png"
    result = _chromium(tmp_path, "--window-size=1100,1400", "--hide-scrollbars", f"--screenshot={target}",
                       page.as_uri())
    assert result.returncode == 0, result.stderr[-500:]
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and target.stat().st_size > 10_000
