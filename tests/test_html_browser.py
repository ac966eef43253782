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


# A page of the test's own that loads the report in an iframe of a given
# width, works its controls with real events and writes what it saw as JSON.
HARNESS = """<!DOCTYPE html><html><body style="margin:0">
<iframe id="report" src="REPORT" style="width:WIDTHpx;height:900px;border:0"></iframe>
<pre id="result">pending</pre>
<script>
var frame = document.getElementById('report');
frame.addEventListener('load', function () {
  var doc = frame.contentDocument, out = {};
  function shown() {
    return Array.prototype.filter.call(doc.querySelectorAll('article.finding'), function (a) { return !a.hidden; })
      .map(function (a) { return a.dataset.severity + ':' + a.dataset.status; });
  }
  function set(name, value) {
    var control = doc.querySelector('[data-filter="' + name + '"]');
    if (control.type === 'checkbox') { control.checked = value; control.dispatchEvent(new Event('change')); }
    else { control.value = value; control.dispatchEvent(new Event(control.tagName === 'SELECT' ? 'change' : 'input')); }
    return shown();
  }
  out.ready = doc.documentElement.getAttribute('data-filters');
  out.all = shown();
  out.at_least_warning = set('severity', 'warning');
  out.at_least_error = set('severity', 'error');
  out.at_least_info = set('severity', 'info');
  set('severity', '');
  out.search = set('search', 'SEARCH');
  out.search_counter = doc.getElementById('shown').textContent;
  out.search_open = Array.prototype.filter.call(doc.querySelectorAll('article.finding'), function (a) { return !a.hidden; })
    .map(function (a) { return a.querySelector('details').open; });
  out.search_none = set('search', 'zzz-nothing-matches');
  set('search', '');
  out.new_only = set('status', true);
  set('status', false);
  var cell = doc.querySelector('table.documents td');
  out.cell_display = frame.contentWindow.getComputedStyle(cell).display;
  out.overflow = doc.documentElement.scrollWidth - doc.documentElement.clientWidth;
  out.legend = Array.prototype.map.call(doc.querySelectorAll('.legend .swatch'), function (s) {
    return frame.contentWindow.getComputedStyle(s).backgroundColor; });
  document.getElementById('result').textContent = JSON.stringify(out);
});
</script></body></html>"""


@pytest.fixture(scope="module")
def sample_page(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("harness")
    page = folder / "report.html"
    page.write_text(render(sample_report(baseline="base.json").to_dict(), "html"), encoding="utf-8")
    return page


def _drive(page: Path, width: int, search: str) -> dict:
    import json

    harness = page.parent / f"harness-{width}.html"
    harness.write_text(HARNESS.replace("REPORT", page.name).replace("WIDTH", str(width)).replace("SEARCH", search),
                       encoding="utf-8")
    result = _chromium(page.parent, "--allow-file-access-from-files", "--virtual-time-budget=3000",
                       f"--window-size={width + 20},1000", "--dump-dom", harness.as_uri())
    assert result.returncode == 0, result.stderr[-500:]
    found = re.search(r'<pre id="result">(.*?)</pre>', result.stdout, re.S)
    assert found and found.group(1) != "pending", result.stdout[-800:]
    return json.loads(html.unescape(found.group(1)))


@pytest.mark.parametrize("width", [1400, 400])
def test_filters_and_search_in_the_browser(sample_page, width):
    seen = _drive(sample_page, width, "3.45 people")
    assert seen["ready"] == "ready"
    assert sorted(seen["all"]) == ["error:new", "info:known", "warning:new"]
    # the severity filter means "at least"
    assert sorted(seen["at_least_warning"]) == ["error:new", "warning:new"]
    assert seen["at_least_error"] == ["error:new"]
    assert sorted(seen["at_least_info"]) == sorted(seen["all"])
    # the search matches words and numbers of a finding, opens its fold and counts it
    assert seen["search"] == ["info:known"] and seen["search_counter"] == "1" and seen["search_open"] == [True]
    assert seen["search_none"] == []
    assert sorted(seen["new_only"]) == ["error:new", "warning:new"]
    assert len(set(seen["legend"])) == 4                # four distinct highlight colours
    assert seen["overflow"] <= 0                         # nothing runs off the side
    # the document table reflows into blocks on a narrow screen, and is a table on a wide one
    assert seen["cell_display"] == ("block" if width == 400 else "table-cell")


def test_chinese_report_filters_in_the_browser(tmp_path):
    page = tmp_path / "report.html"
    page.write_text(render(sample_report(baseline="base.json").to_dict(), "html", lang="zh"), encoding="utf-8")
    seen = _drive(page, 400, "parts add up")      # a message without a translation stays English
    assert sorted(seen["at_least_warning"]) == ["error:new", "warning:new"]
    assert seen["search"] == ["error:new"]
