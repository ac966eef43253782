"""The CLI as linters have it: output formats on standard output, '-' for
standard input, rule selection, per-file ignores, inline suppressions,
configuration found walking up, --config after the subcommand."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from auditor.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "seeds"
FAILING = "全县共有行政村141个，其中贫困村82个、非贫困村69个。"
SHARE_FAILING = "全县共有贫困户200户，其中已脱贫150户，占比80%。"


def cli(*args, stdin=None, cwd=None):
    return subprocess.run([sys.executable, "-m", "auditor.cli", *map(str, args)], input=stdin,
                          capture_output=True, cwd=cwd, timeout=300)


def findings_of(data):
    return [(f["rule"], f["message"], f["computation"], [(e["start"], e["end"], e["text"]) for e in f["evidence"]])
            for f in data["findings"]]


@pytest.fixture(scope="module")
def seeds_json():
    done = cli("run", SEEDS, "--no-reports", "--output-format", "json")
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def test_github_format_prints_one_annotation_per_finding(seeds_json):
    done = cli("run", SEEDS, "--no-reports", "--output-format", "github")
    lines = done.stdout.decode("utf-8").splitlines()
    assert seeds_json["findings"] and len(lines) == len(seeds_json["findings"])
    for line, finding in zip(lines, seeds_json["findings"]):
        first = finding["evidence"][0]
        level = {"error": "error", "warning": "warning", "info": "notice"}[finding["severity"]]
        assert line.startswith(f"::{level} file={first['path']},line={first['line']},col={first['column']},"
                               f"title={finding['rule']}::")
    assert done.returncode == 1 and not done.stderr


def test_github_annotations_escape_newlines_and_percent():
    from auditor.report.github import render_github

    data = {"findings": [{"rule": "X1", "severity": "info", "message": "50% a\nb", "computation": "",
                          "evidence": [{"path": "a,b:c.txt", "line": 1, "column": 2}]}]}
    assert render_github(data) == "::notice file=a%2Cb%3Ac.txt,line=1,col=2,title=X1::50%25 a%0Ab\n"


@pytest.mark.parametrize("fmt, check", [
    ("json", lambda out: json.loads(out)["schema"] == "auditor-report/1"),
    ("sarif", lambda out: json.loads(out)["version"] == "2.1.0"),
    ("markdown", lambda out: out.lstrip().startswith("#")),
    ("html", lambda out: "<html" in out.lower()),
])
def test_every_output_format_goes_to_standard_output(tmp_path, fmt, check):
    done = cli("run", SEEDS / "003_b54e500e2031ae73.txt", "--no-reports", "--output-format", fmt, cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    assert check(done.stdout.decode("utf-8"))
    assert not list(tmp_path.iterdir()), "nothing written with --no-reports"


def test_standard_input_gives_the_same_findings_as_the_file():
    seed = next(SEEDS.glob("000_*.txt"))
    from_file = json.loads(cli("run", seed, "--no-reports", "--output-format", "json").stdout)
    piped = cli("run", "-", "--no-reports", "--output-format", "json", stdin=seed.read_bytes())
    from_stdin = json.loads(piped.stdout)
    assert from_file["findings"] and findings_of(from_stdin) == findings_of(from_file)
    assert [d["path"] for d in from_stdin["documents"]] == ["-"]


def test_stdin_filename_names_standard_input_and_keeps_fingerprints():
    seed = next(SEEDS.glob("000_*.txt"))
    relative = seed.relative_to(ROOT)
    from_file = json.loads(cli("run", relative, "--no-reports", "--output-format", "json", cwd=ROOT).stdout)
    piped = json.loads(cli("run", "-", "--stdin-filename", relative, "--no-reports", "--output-format", "json",
                           stdin=seed.read_bytes(), cwd=ROOT).stdout)
    assert piped["documents"][0]["path"] == str(relative)
    assert [f["fingerprint"] for f in piped["findings"]] == [f["fingerprint"] for f in from_file["findings"]]


def test_json_dash_writes_standard_output_and_no_file(tmp_path):
    (tmp_path / "a.txt").write_text(FAILING, encoding="utf-8")
    done = cli("run", "a.txt", "--no-reports", "--json", "-", cwd=tmp_path)
    data = json.loads(done.stdout)
    assert data["findings"] and sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]
    done = cli("claims", "a.txt", "--json", "-", cwd=tmp_path)
    assert json.loads(done.stdout)["schema"] == "auditor-claims/2"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt"]


def test_json_file_and_reports_are_written_together(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text(FAILING, encoding="utf-8")
    assert main(["run", "a.txt", "-q", "--json", "out/a.json", "--report-dir", "reports"]) == 1
    assert json.loads((tmp_path / "out" / "a.json").read_text("utf-8")) == \
        json.loads((tmp_path / "reports" / "report.json").read_text("utf-8"))


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "county.txt").write_text(f"{FAILING}\n{SHARE_FAILING}\n", encoding="utf-8")
    return tmp_path


def rules_found(*args, stdin_text=None):
    buffer = io.StringIO()
    from contextlib import redirect_stdout

    with redirect_stdout(buffer):
        main(["run", "texts", "--no-reports", "--json", "-", *args])
    return sorted({f["rule"] for f in json.loads(buffer.getvalue())["findings"]})


def test_select_ignore_and_extend_select_by_id_symbol_kind_and_prefix(project):
    everything = rules_found()
    assert {"SUM02", "SHR01"} <= set(everything), everything
    assert rules_found("--select", "SUM") == [r for r in everything if r.startswith("SUM")]
    assert rules_found("--select", "share") == ["SHR01"]                        # a kind
    assert rules_found("--select", "share.of-counts") == ["SHR01"]              # a symbol
    assert rules_found("--select", "SUM,SHR01") == sorted(r for r in everything if r.startswith("SUM") or r == "SHR01")
    assert rules_found("--select", "SUM", "--extend-select", "SHR01") == rules_found("--select", "SUM,SHR01")
    assert "SHR01" not in rules_found("--ignore", "SHR01")
    assert rules_found("--ignore", "arithmetic") == [r for r in everything if not r.startswith("SUM")]


def test_an_unknown_selector_is_exit_2(project, capsys):
    assert main(["run", "texts", "--no-reports", "--select", "NOPE9"]) == 2
    err = capsys.readouterr().err
    assert "select names unknown rule 'NOPE9'" in err and len(err.strip().splitlines()) == 1


def test_per_file_ignores_from_the_configuration(project):
    (project / "texts" / "town.txt").write_text(FAILING + "\n", encoding="utf-8")
    (project / "audit.toml").write_text('[per-file-ignores]\n"texts/town.txt" = ["SUM02"]\n', encoding="utf-8")
    buffer = io.StringIO()
    from contextlib import redirect_stdout

    with redirect_stdout(buffer):
        main(["run", "texts", "--no-reports", "--json", "-"])
    data = json.loads(buffer.getvalue())
    by_file = {(f["evidence"][0]["path"], f["rule"]) for f in data["findings"]}
    assert ("texts/county.txt", "SUM02") in by_file and ("texts/town.txt", "SUM02") not in by_file
    rows = {row["path"]: row["rules_run"] for row in data["coverage"]["documents"]}
    assert rows["texts/town.txt"] == rows["texts/county.txt"] - 1


def test_configuration_is_found_walking_up_and_paths_are_relative_to_it(project):
    (project / "audit.toml").write_text('paths = ["texts"]\nreports = false\nfail-on = "never"\n', encoding="utf-8")
    below = project / "texts" / "deeper"
    below.mkdir()
    done = cli("run", "--json", "-", cwd=below)
    assert done.returncode == 0, done.stderr                     # fail-on = never came from the file above
    data = json.loads(done.stdout)
    assert [(below / d["path"]).resolve() for d in data["documents"]] == [project / "texts" / "county.txt"]


def test_config_is_accepted_after_the_subcommand(project, capsys):
    (project / "strict.toml").write_text('fail-on = "never"\nreports = false\n', encoding="utf-8")
    assert main(["run", "texts", "-q", "--config", "strict.toml"]) == 0
    assert main(["--config", "strict.toml", "run", "texts", "-q"]) == 0
    assert main(["run", "texts", "-q", "--no-reports"]) == 1
    assert main(["rules", "--config", "absent.toml"]) == 2
    assert "absent.toml: no such configuration file" in capsys.readouterr().err


MARKDOWN = f"""# 概况

<!-- audit: ignore SUM02 -->
{FAILING}

{SHARE_FAILING}

<!-- audit: off -->
全镇共有自然村30个，其中贫困村12个、非贫困村21个。
<!-- audit: on -->
"""


def test_inline_suppressions_in_markdown_are_reported_as_suppressed(tmp_path):
    (tmp_path / "r.md").write_text(MARKDOWN, encoding="utf-8")
    done = cli("run", "r.md", "--no-reports", "--output-format", "json", cwd=tmp_path)
    data = json.loads(done.stdout)
    kept = [(f["rule"], f["evidence"][0]["text"]) for f in data["findings"]]
    suppressed = {(f["rule"], f["evidence"][0]["line"]) for f in data["suppressions"]}
    assert any(rule == "SHR01" for rule, _ in kept)              # the next-but-one paragraph is not suppressed
    assert not any(rule == "SUM02" for rule, _ in kept)
    assert {("SUM02", 4)} <= suppressed and any(line == 9 for _, line in suppressed)
    assert all(f["suppressions"] == [{"kind": "inSource", "justification": f["suppressions"][0]["justification"]}]
               and "audit:" in f["suppressions"][0]["justification"] for f in data["suppressions"])
    assert data["summary"]["suppressed"] == len(data["suppressions"])
    sarif = json.loads(cli("run", "r.md", "--no-reports", "--output-format", "sarif", cwd=tmp_path).stdout)
    results = sarif["runs"][0]["results"]
    assert sum(1 for r in results if r.get("suppressions")) == len(data["suppressions"])
    assert sum(1 for r in results if not r.get("suppressions")) == len(data["findings"])


def test_inline_suppressions_in_html_and_not_in_plain_text(tmp_path):
    page = f"<html><body><p>概况</p><!-- audit: ignore arithmetic --><p>{FAILING}</p><p>{SHARE_FAILING}</p></body></html>"
    (tmp_path / "r.html").write_text(page, encoding="utf-8")
    (tmp_path / "r.txt").write_text(MARKDOWN, encoding="utf-8")
    html = json.loads(cli("run", "r.html", "--no-reports", "--output-format", "json", cwd=tmp_path).stdout)
    assert {f["rule"] for f in html["suppressions"]} >= {"SUM02"}
    assert "SUM02" not in {f["rule"] for f in html["findings"]} and "SHR01" in {f["rule"] for f in html["findings"]}
    text = json.loads(cli("run", "r.txt", "--no-reports", "--output-format", "json", cwd=tmp_path).stdout)
    assert not text["suppressions"] and "SUM02" in {f["rule"] for f in text["findings"]}


def test_sarif_with_suppressions_and_coverage_validates_against_the_schema(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    schema_path = ROOT.parent / "shared" / "external" / "sarif" / "sarif-schema-2.1.0.json"
    if not schema_path.is_file():
        pytest.skip(f"SARIF schema not found at {schema_path} (shared external test data absent)")
    (tmp_path / "r.md").write_text(MARKDOWN, encoding="utf-8")
    log = json.loads(cli("run", "r.md", "--no-reports", "--output-format", "sarif", cwd=tmp_path).stdout)
    assert any(r.get("suppressions") for r in log["runs"][0]["results"])
    assert log["runs"][0]["properties"]["coverage"]["total"]["claims"] > 0
    errors = sorted(jsonschema.Draft4Validator(json.loads(schema_path.read_text("utf-8"))).iter_errors(log), key=str)
    assert not errors, errors[0].message
