"""Rule files: validated with file, line and field; overridable from configuration."""

import pytest

from auditor.config import Settings
from auditor.errors import ConfigError, RuleFileError
from auditor.ruleset import find_rule, load_rule_file, load_ruleset

GOOD = """id: X01
name: test.per-unit
kind: per_unit
severity: warning
description: d
message: "{ratio}"
params:
  max: 5
"""


def write(tmp_path, text, name="X01.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_builtin_rules_load_and_have_unique_ids_and_symbols():
    rules = load_ruleset(Settings())
    assert len({r.id for r in rules}) == len(rules) == len({r.name for r in rules})
    assert {r.kind for r in rules} >= {"sum", "share", "subset", "enumeration", "restatement", "rate",
                                       "per_unit", "range", "precision", "duplicate_passage", "text_damage"}


def test_a_valid_rule_file_loads_with_its_params(tmp_path):
    rule = load_rule_file(write(tmp_path, GOOD))
    assert (rule.id, rule.kind, rule.params["max"], rule.params["min"]) == ("X01", "per_unit", 5, 1)


@pytest.mark.parametrize("change,expected", [
    (("severity: warning", "severity: loud"), ":4: field 'severity'"),
    (("kind: per_unit", "kind: nonsense"), ":3: field 'kind': unknown kind"),
    (("message: \"{ratio}\"", "mesage: x"), ":6: field 'mesage': unknown field"),
    (("  max: 5", "  maxx: 5"), ":8: field 'params.maxx': unknown parameter"),
    (("  max: 5", "  max: five"), ":8: field 'params.max': must be"),
    (("name: test.per-unit", "name: [unclosed"), "YAML syntax error"),
])
def test_malformed_rule_files_name_file_line_and_field(tmp_path, change, expected):
    path = write(tmp_path, GOOD.replace(*change))
    with pytest.raises(RuleFileError) as raised:
        load_rule_file(path)
    assert str(path) in str(raised.value) and expected in str(raised.value)


def test_extra_rules_folder_adds_rules(tmp_path):
    write(tmp_path, GOOD)
    rules = load_ruleset(Settings(rules_dir=str(tmp_path)))
    assert find_rule(rules, "test.per-unit").id == "X01"


def test_duplicate_rule_id_is_an_error(tmp_path):
    write(tmp_path, GOOD.replace("X01", "PU01"))
    with pytest.raises(RuleFileError, match="already defined"):
        load_ruleset(Settings(rules_dir=str(tmp_path)))


def test_params_from_configuration_override_and_are_validated():
    rule = find_rule(load_ruleset(Settings(params={"PU01": {"max": 3}})), "PU01")
    assert rule.params["max"] == 3
    with pytest.raises(ConfigError, match="maxx"):
        load_ruleset(Settings(params={"PU01": {"maxx": 3}}))
    with pytest.raises(ConfigError, match="unknown rule"):
        load_ruleset(Settings(params={"NOPE": {"max": 3}}))


def test_message_templates_cannot_reach_python_internals(tmp_path):
    rule = load_rule_file(write(tmp_path, GOOD.replace('"{ratio}"', '"{ratio} {ratio.__class__.__mro__}"')))
    assert rule.format(rule.message, {"ratio": "3.4"}) == "3.4 {ratio.__class__.__mro__}"


def test_unknown_rule_in_enable_disable_or_severity_is_an_error():
    for settings in (Settings(disable=("SUM99",)), Settings(enable=("nope",)), Settings(severity={"RST0": "info"})):
        with pytest.raises(ConfigError, match="unknown rule"):
            load_ruleset(settings)
    assert load_ruleset(Settings(disable=("RST01", "arithmetic.partition")))
