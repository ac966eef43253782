"""Reports in Chinese and English: every message id has both languages, and
a translation keeps exactly the numbers of the text it translates."""

import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml

from auditor.config import Settings
from auditor.i18n import LANGUAGES, default_lang, load_table, messages
from auditor.ingest import read_document
from auditor.pipeline import audit_documents, audit_text
from auditor.ruleset import load_ruleset

ROOT = Path(__file__).resolve().parent.parent
FIELD = re.compile(r"\{([A-Za-z_][A-Za-z_0-9]*)\}")
NUMBER = re.compile(r"[0-9]+(?:[.,][0-9]+)*")
NAMED_SECTIONS = ("severities", "kinds", "confidences", "statuses")


def _fields(text) -> set[str]:
    if isinstance(text, dict):
        return set().union(*(_fields(v) for v in text.values()))
    return set(FIELD.findall(str(text)))


def test_every_ui_message_id_has_both_languages_with_the_same_fields():
    english, chinese = load_table("en")["ui"], load_table("zh")["ui"]
    assert set(english) == set(chinese), set(english) ^ set(chinese)
    for key in english:
        assert _fields(english[key]) == _fields(chinese[key]), key
        assert str(chinese[key]).strip() or key in ("html.shown_before",), key


def test_every_value_name_has_both_languages():
    from auditor.checks import KINDS
    from auditor.findings import CONFIDENCES, SEVERITIES

    expected = {"severities": set(SEVERITIES), "confidences": set(CONFIDENCES), "statuses": {"new", "known"},
                "kinds": set(KINDS)}
    for lang in LANGUAGES:
        table = load_table(lang)
        for section in NAMED_SECTIONS:
            assert expected[section] <= set(table[section]), (lang, section, expected[section] - set(table[section]))


def test_every_loaded_rule_and_kind_has_a_chinese_text_with_the_rule_fields():
    from auditor.checks import KINDS

    chinese = load_table("zh")
    for rule in load_ruleset(Settings()):
        entry = chinese["rules"].get(rule.id)
        assert entry and entry.get("message") and entry.get("description"), f"zh.yaml: rules.{rule.id} missing"
        assert _fields(entry["message"]) == _fields(rule.message), rule.id
        if rule.verified_message:
            assert entry.get("verified"), f"zh.yaml: rules.{rule.id}.verified missing"
            assert _fields(entry["verified"]) == _fields(rule.verified_message), rule.id
    for kind in KINDS:
        assert chinese["kind_docs"].get(kind), f"zh.yaml: kind_docs.{kind} missing"


def test_the_locale_chooses_the_default_language():
    assert default_lang({"LANG": "zh_CN.UTF-8"}) == "zh"
    assert default_lang({"LANG": "en_US.UTF-8"}) == "en"
    assert default_lang({"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}) == "zh"
    assert default_lang({"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}) == "en"
    assert default_lang({}) == "en"


def _records():
    """Findings and verified relations of the seeds and of every rule fixture text."""
    documents = [read_document(path) for path in sorted((ROOT / "seeds").glob("*.txt"))]
    reports = [audit_documents(documents, Settings())]
    for path in sorted((ROOT / "tests" / "fixtures" / "rules").glob("*.yaml")):
        for name, case in yaml.safe_load(path.read_text(encoding="utf-8"))["cases"].items():
            reports.append(audit_text(case["text"], Settings(), path=f"{name}.txt"))
    for report in reports:
        data = report.to_dict()
        yield from ((record, False) for record in data["findings"])
        yield from ((record, True) for record in data["verified"])


def test_translations_keep_the_numbers_of_each_message_and_computation():
    t = messages("zh")
    records = list(_records())
    assert len(records) > 100
    for record, verified in records:
        message = t.message(record, verified=verified)
        assert Counter(NUMBER.findall(message)) == Counter(NUMBER.findall(record["message"])), (record["message"], message)
        computation = t.computation(record["computation"])
        assert NUMBER.findall(computation) == NUMBER.findall(record["computation"]), (record["computation"], computation)
        # every built-in rule's message has its Chinese text, filled in completely
        assert t.rule_entry(record["rule"]).get("verified" if verified else "message"), record["rule"]
        assert "{" not in message and (message != record["message"] or not re.search("[a-z]{3}", message)), message


def test_chinese_computations_leave_no_english_words():
    t = messages("zh")
    for record, _ in _records():
        left = set(re.findall(r"[A-Za-z]{3,}", t.computation(record["computation"])))
        assert left <= {"ASCII", "GB2312", "FFFD", "txt"}, (record["computation"], left)


def test_a_user_rule_without_a_translation_keeps_its_english_text():
    t = messages("zh")
    record = {"rule": "ZZ99", "message": "seven villages exceed the total", "message_args": {"n": "7"}}
    assert t.message(record) == "seven villages exceed the total"
    assert t.description("ZZ99", "User rule.") == "User rule."


def _audit(*args, **env):
    environment = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "LC_MESSAGES")}
    environment.update(env)
    return subprocess.run([sys.executable, "-m", "auditor.cli", *args], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=300)


def test_lang_flag_and_locale_give_chinese_explain_and_rules():
    zh = _audit("explain", "SUM01", "--lang", "zh")
    assert zh.returncode == 0, zh.stderr
    assert "各部分之和必须等于整体" in zh.stdout and "示例" in zh.stdout and "反例" in zh.stdout
    by_locale = _audit("explain", "SUM01", LANG="zh_CN.UTF-8")
    assert by_locale.stdout == zh.stdout
    english = _audit("--lang", "en", "explain", "SUM01", LANG="zh_CN.UTF-8")
    assert "Example" in english.stdout and "各部分之和必须等于整体" not in english.stdout
    rules = _audit("rules", "--lang", "zh")
    assert "加总" in rules.stdout and "重复段落" in rules.stdout


def test_a_bad_lang_in_the_configuration_is_one_clear_line(tmp_path):
    (tmp_path / "audit.toml").write_text('lang = "fr"\n', encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "auditor.cli", "rules"], cwd=tmp_path, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 2 and "'lang' must be en or zh" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("fmt", ["md", "html", "sarif"])
def test_every_report_format_renders_in_chinese(fmt):
    from auditor.report import render

    documents = [read_document(path) for path in sorted((ROOT / "seeds").glob("*.txt"))]
    data = audit_documents(documents, Settings()).to_dict()
    text = render(data, fmt, lang="zh")
    assert "总人口 先后表述为 8.8万人 和 8万人" in text
    assert "8万人 允许的范围为 75000–85000" in text
    if fmt != "sarif":
        assert "审核报告" in text and "已核实" in text
