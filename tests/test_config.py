"""Configuration files: where they are read from, validation, and flags overriding them."""

import json

import pytest

from auditor.cli import main
from auditor.config import Settings, load_settings, settings_from_mapping
from auditor.errors import ConfigError

FAILING = "概况\n全县共有行政村141个，其中贫困村82个、非贫困村69个。\n"


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "county.txt").write_text(FAILING, encoding="utf-8")
    return tmp_path


def test_no_config_gives_defaults(workdir):
    assert load_settings() == Settings()


def test_pyproject_section_is_read(workdir):
    (workdir / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.auditor]\npaths = ["texts"]\nfail-on = "error"\n'
        'exclude = ["*.draft.txt"]\n\n[tool.auditor.severity]\nSUM01 = "warning"\n'
        '\n[tool.auditor.params.SHR01]\ntolerance = 0.5\n', encoding="utf-8")
    settings = load_settings()
    assert settings.paths == ("texts",) and settings.fail_on == "error"
    assert settings.exclude == ("*.draft.txt",)
    assert settings.severity == {"SUM01": "warning"}
    assert settings.params == {"SHR01": {"tolerance": 0.5}}


def test_pyproject_without_section_is_ignored(workdir):
    (workdir / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert load_settings() == Settings()


def test_audit_toml_wins_over_pyproject(workdir):
    (workdir / "pyproject.toml").write_text('[tool.auditor]\nreport-dir = "from-pyproject"\n', encoding="utf-8")
    (workdir / "audit.toml").write_text('report-dir = "from-audit-toml"\n', encoding="utf-8")
    assert load_settings().report_dir == "from-audit-toml"


def test_audit_toml_may_use_a_tool_auditor_table(workdir):
    (workdir / "audit.toml").write_text('[tool.auditor]\nreports = false\n', encoding="utf-8")
    assert load_settings().reports is False


def test_explicit_config_without_section_is_an_error(workdir):
    (workdir / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="no \\[tool.auditor\\] section"):
        load_settings(explicit=str(workdir / "pyproject.toml"))


@pytest.mark.parametrize("content, expected", [
    ('fail-onn = "error"\n', "unknown key 'fail-onn' (did you mean 'fail-on'?)"),
    ('fail-on = "fatal"\n', "'fail-on' must be one of info, warning, error, never"),
    ('max-bytes = "big"\n', "'max-bytes' must be a whole number above 0"),
    ('max-bytes = 0\n', "'max-bytes' must be a whole number above 0"),
    ('reports = "no"\n', "'reports' must be true or false"),
    ('paths = [1, 2]\n', "'paths' must be a string or a list of strings"),
    ('duplicate-similarity = 3\n', "'duplicate-similarity' must be a number above 0 and at most 1"),
    ('[severity]\nSUM01 = "fatal"\n', "severity of 'SUM01' must be one of info, warning, error, off"),
    ('[params]\nSUM01 = 3\n', "'SUM01' must be a table of rule parameters"),
    ('report-dir = 5\n', "'report-dir' must be a string"),
    ('fail-on = \n', "invalid TOML"),
])
def test_bad_config_is_one_line_error_naming_file_and_key(workdir, capsys, content, expected):
    (workdir / "audit.toml").write_text(content, encoding="utf-8")
    code = main(["run", "texts", "--no-reports"])
    err = capsys.readouterr().err
    assert code == 2
    assert expected in err and "audit.toml" in err
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_unknown_key_in_pyproject_names_the_section(workdir, capsys):
    (workdir / "pyproject.toml").write_text('[tool.auditor]\nbaseline_file = "x"\n', encoding="utf-8")
    assert main(["run", "texts", "--no-reports"]) == 2
    assert "pyproject.toml [tool.auditor]: unknown key 'baseline_file'" in capsys.readouterr().err


def test_missing_explicit_config_is_an_error(workdir, capsys):
    assert main(["--config", "absent.toml", "run", "texts"]) == 2
    assert "absent.toml: no such configuration file" in capsys.readouterr().err


def test_dashes_and_underscores_are_the_same_key():
    a = settings_from_mapping({"report-dir": "x", "fail_on": "error"}, "test")
    assert (a.report_dir, a.fail_on) == ("x", "error")


def test_config_paths_report_dir_and_fail_on_are_used(workdir):
    (workdir / "audit.toml").write_text('paths = ["texts"]\nreport-dir = "out"\nfail-on = "never"\n',
                                        encoding="utf-8")
    assert main(["run", "-q"]) == 0                     # fail-on = never
    assert (workdir / "out" / "report.json").is_file()
    assert not (workdir / "reports").exists()


def test_flags_override_the_file(workdir):
    (workdir / "audit.toml").write_text('paths = ["texts"]\nreport-dir = "out"\nfail-on = "never"\n',
                                        encoding="utf-8")
    assert main(["run", "-q", "--fail-on", "warning", "--report-dir", "flagged"]) == 1
    assert (workdir / "flagged" / "report.json").is_file() and not (workdir / "out").exists()


def test_excludes_and_disabled_rules_apply(workdir):
    (workdir / "texts" / "county.draft.txt").write_text(FAILING, encoding="utf-8")
    (workdir / "audit.toml").write_text('exclude = ["*.draft.txt"]\nreports = false\n', encoding="utf-8")
    main(["run", "texts", "-q", "--json", "all.json"])
    data = json.loads((workdir / "all.json").read_text(encoding="utf-8"))
    assert [d["path"] for d in data["documents"]] == ["texts/county.txt"]
    rules = sorted({f["rule"] for f in data["findings"]})
    assert rules, "the failing text should give findings"
    (workdir / "audit.toml").write_text(f'reports = false\ndisable = {json.dumps(rules)}\n', encoding="utf-8")
    main(["run", "texts", "-q", "--json", "none.json"])
    assert not json.loads((workdir / "none.json").read_text(encoding="utf-8"))["findings"]


def test_severity_override_changes_level_and_exit_code(workdir):
    main(["run", "texts", "-q", "--no-reports", "--json", "a.json"])
    rules = {f["rule"] for f in json.loads((workdir / "a.json").read_text(encoding="utf-8"))["findings"]}
    table = "".join(f'{rule} = "info"\n' for rule in sorted(rules))
    (workdir / "audit.toml").write_text(f'reports = false\n[severity]\n{table}', encoding="utf-8")
    assert main(["run", "texts", "-q", "--json", "b.json"]) == 0     # info is below the default fail-on
    data = json.loads((workdir / "b.json").read_text(encoding="utf-8"))
    assert data["findings"] and {f["severity"] for f in data["findings"]} == {"info"}
