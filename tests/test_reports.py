"""Report files: every format renders the same record, escapes document text,
and SARIF validates against the 2.1.0 schema."""

import json
import re
from dataclasses import asdict
from html.parser import HTMLParser
from pathlib import Path

import pytest

from auditor.cli import main
from auditor.report import RENDERERS, render, write_reports
from sample_reports import HOSTILE, sample_report

SARIF_SCHEMA = Path(__file__).resolve().parents[2] / "shared" / "external" / "sarif" / "sarif-schema-2.1.0.json"
FAILING_TEXT = "概况\n全县共有行政村141个，其中贫困村82个、非贫困村69个。\n"


class _TextAndTags(HTMLParser):
    """Collects the tags, attributes and visible text of an HTML page."""

    def __init__(self):
        super().__init__()
        self.tags, self.text, self.scripts = [], [], []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        (self.scripts if self._in_script else self.text).append(data)


def _parse_html(page: str) -> _TextAndTags:
    parser = _TextAndTags()
    parser.feed(page)
    return parser


def test_write_reports_writes_every_format(tmp_path):
    written = write_reports(sample_report(), str(tmp_path / "out"))
    assert sorted(Path(p).name for p in written) == sorted(f"report.{fmt}" for fmt in RENDERERS)
    assert set(RENDERERS) == {"json", "md", "html", "sarif"}
    data = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert data["summary"]["findings"] == 3
    assert not list((tmp_path / "out").glob(".*.tmp"))


def test_audit_run_writes_reports_into_report_dir(tmp_path):
    (tmp_path / "texts").mkdir()
    (tmp_path / "texts" / "a.txt").write_text(FAILING_TEXT, encoding="utf-8")
    code = main(["run", str(tmp_path / "texts"), "--report-dir", str(tmp_path / "out"), "-q"])
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == ["report.html", "report.json", "report.md", "report.sarif"]
    data = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert code == (1 if data["findings"] else 0)


def test_no_reports_writes_nothing(tmp_path, monkeypatch):
    (tmp_path / "a.txt").write_text(FAILING_TEXT, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    main(["run", "a.txt", "--no-reports", "-q"])
    assert not (tmp_path / "reports").exists()


def test_html_is_self_contained_and_escapes_hostile_text():
    page = render(sample_report().to_dict(), "html")
    parsed = _parse_html(page)
    tag_names = [tag for tag, _ in parsed.tags]
    assert "img" not in tag_names                       # the hostile <img> stayed text
    assert tag_names.count("script") == 1               # only the report's own filter script
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page)
    assert "<link" not in page and "@import" not in page
    visible = "".join(parsed.text)
    assert HOSTILE in visible                           # shown, as text, in full
    assert "document.title='pwned'" not in "".join(parsed.scripts)
    assert "<b>4</b>" in visible                        # markup in a message is text too
    assert all("onerror" not in attrs for _, attrs in parsed.tags)


def test_html_has_summary_context_filters_and_sections():
    data = sample_report(baseline="base.json").to_dict()
    page = render(data, "html")
    parsed = _parse_html(page)
    visible = "".join(parsed.text)
    for finding in data["findings"]:
        assert finding["message"] in visible
        assert finding["computation"] in visible
        first = finding["evidence"][0]
        assert f"{first['path']}:{first['line']}:{first['column']}" in visible
    marks = [attrs for tag, attrs in parsed.tags if tag == "mark"]
    assert len(marks) == sum(len(f["evidence"]) for f in data["findings"]) + len(data["verified"])
    articles = [attrs for tag, attrs in parsed.tags if tag == "article"]
    assert {a["data-severity"] for a in articles} == {"error", "warning", "info"}
    assert sorted(a["data-status"] for a in articles) == ["known", "new", "new"]
    filters = {attrs["data-filter"] for tag, attrs in parsed.tags if "data-filter" in attrs}
    assert filters == {"severity", "kind", "document", "status", "search"}
    assert "Verified relations" in visible and data["verified"][0]["message"] in visible
    assert "docs/photo.png" in visible and "binary file" in visible


def test_html_policy_allows_only_its_own_script():
    import base64
    import hashlib

    page = render(sample_report().to_dict(), "html")
    script = re.search(r"<script>(.*?)</script>", page, re.S).group(1)
    digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page).group(1)
    assert f"'sha256-{digest}'" in policy and "default-src 'none'" in policy


def test_markdown_escapes_specials_and_bolds_numbers():
    data = sample_report(baseline="base.json").to_dict()
    text = render(data, "md")
    # every < escaped: no raw HTML but the <details> folds of info findings and verified relations
    assert not re.search(r"(?<!\\)<(?!/?(?:details|summary)>)", text)
    assert r"script\>document.title" in text and r"\<img src" in text
    assert r"共有**5个** \| 乡镇\*重点\*" in text             # pipes and stars escaped, the number bold
    assert "> …全县共有行政村**141个**，其中贫困村**82个**、非贫困村**69个**。…" in text
    assert "| ✗ error | **1** |" in text
    assert "**new**" in text and "**known**" in text
    assert "## Verified relations" in text and "## Skipped files" in text


def test_markdown_keeps_punctuation_outside_bold():
    data = sample_report().to_dict()
    evidence = data["findings"][0]["evidence"][0]
    evidence.update(text="80%", before="占比", after="的村")
    data["findings"][0]["evidence"] = [evidence]
    assert "占比**80**%的村" in render(data, "md")


def test_markdown_table_rows_keep_their_column_count():
    data = sample_report().to_dict()
    data["documents"][0]["path"] = "docs/a|b.txt"
    for line in render(data, "md").splitlines():
        if line.startswith("| docs/a"):
            assert len(re.findall(r"(?<!\\)\|", line)) == 5


def _sarif_log(baseline=None) -> dict:
    return json.loads(render(sample_report(baseline=baseline).to_dict(), "sarif"))


def test_sarif_validates_against_the_2_1_0_schema(tmp_path):
    jsonschema = pytest.importorskip("jsonschema")
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"SARIF schema not found at {SARIF_SCHEMA} (shared external test data absent)")
    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "county.txt").write_text(FAILING_TEXT, encoding="utf-8")
    main(["run", str(texts), "--report-dir", str(tmp_path / "out"), "-q"])
    audited = json.loads((tmp_path / "out" / "report.sarif").read_text(encoding="utf-8"))
    assert audited["runs"][0]["results"], "the failing text gives results"
    for log in (_sarif_log(), _sarif_log(baseline="base.json"), audited):
        errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(log), key=str)
        assert not errors, errors[0].message


def test_sarif_results_carry_locations_fingerprints_and_levels():
    data = sample_report().to_dict()
    run = _sarif_log()["runs"][0]
    results = run["results"]
    assert [r["level"] for r in results] == ["error", "note", "warning"]
    first = results[0]
    evidence = data["findings"][0]["evidence"]
    region = first["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == evidence[0]["line"] and region["startColumn"] == evidence[0]["column"]
    assert region["endColumn"] - region["startColumn"] == len(evidence[0]["text"])
    assert region["charOffset"] == evidence[0]["start"] and region["charLength"] == len(evidence[0]["text"])
    assert first["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "docs/villages.txt"
    assert len(first["relatedLocations"]) == len(evidence) - 1
    assert first["partialFingerprints"] == {"auditorFingerprint/v1": data["findings"][0]["fingerprint"]}
    assert "baselineState" not in first
    assert run["columnKind"] == "unicodeCodePoints"


def test_sarif_rules_come_from_the_report_and_from_findings():
    driver = _sarif_log()["runs"][0]["tool"]["driver"]
    rules = {r["id"]: r for r in driver["rules"]}
    assert set(rules) == {"AR01", "PR01", "EN01"}
    assert rules["AR01"]["shortDescription"]["text"] == "Parts must add up to the stated whole."
    assert rules["AR01"]["defaultConfiguration"]["level"] == "error"
    assert rules["PR01"]["defaultConfiguration"]["level"] == "note"
    for result in _sarif_log()["runs"][0]["results"]:
        assert driver["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_sarif_baseline_state_follows_status():
    results = _sarif_log(baseline="base.json")["runs"][0]["results"]
    assert {r["ruleId"]: r["baselineState"] for r in results} == {"AR01": "new", "PR01": "unchanged", "EN01": "new"}


def test_sarif_uri_is_relative_and_percent_encoded(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = sample_report().to_dict()
    data["findings"][0]["evidence"][0]["path"] = str(tmp_path / "文本 一.txt")
    log = json.loads(render(data, "sarif"))
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "%E6%96%87%E6%9C%AC%20%E4%B8%80.txt"


def test_long_spans_show_head_and_tail_in_every_format():
    data = sample_report().to_dict()
    passage = "".join(f"第{n}段内容。" for n in range(300))
    data["findings"][0]["evidence"] = [dict(data["findings"][0]["evidence"][0], text=passage, end=10 + len(passage))]
    left_out = f"{len(passage) - 106 - 53:,} more characters"
    for fmt in ("md", "html"):
        rendered = render(data, fmt)
        assert left_out in rendered and passage[:100] in rendered and passage[-50:-1] in rendered
        assert passage[200:260] not in rendered


def test_quotes_join_only_spans_whose_context_touches():
    from auditor.report.grouping import quotes
    from sample_reports import evidence_in

    line = "年度计划50870户脱贫户中" + "义务教育基本医疗保障达标率百分之百" * 3 + "广播电视已达标48146户，占比94%。"
    evidence = [asdict(evidence_in(line, "a.txt", quoted, role))
                for quoted, role in (("48146户", "part"), ("50870户", "base"), ("94%", "share"))]
    shown = quotes(evidence)
    assert [[e["role"] for e in q["evidence"]] for q in shown] == [["part", "share"], ["base"]]
    assert [text for text, role in shown[0]["pieces"] if role is not None] == ["48146户", "94%"]


def test_html_header_links_legend_folds_and_coverage(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    data = sample_report(baseline="base.json").to_dict()
    data["coverage"] = {"total": {"claims": 8, "checked": 6}, "documents": [{"path": "docs/villages.txt", "checked": 3}]}
    data["command"] = "audit run docs/"
    page = render(data, "html", report_dir="out")
    parsed = _parse_html(page)
    visible = " ".join(parsed.text)
    for label in ("Date", "Command", "Paths", "Version", "Coverage"):
        assert label in visible
    assert "audit run docs/" in visible and "checked" in visible
    links = [attrs["href"] for tag, attrs in parsed.tags if tag == "a"]
    assert "../docs/villages.txt" in links and all(not link.startswith(("http:", "https:", "/")) for link in links)
    assert '<a href="../docs/villages.txt">docs/villages.txt:2:8 (total)</a>' in page
    assert {attrs["class"] for tag, attrs in parsed.tags if tag == "span" and "swatch" in attrs.get("class", "")} \
        == {"swatch role-part", "swatch role-whole", "swatch role-share", "swatch role-restatement"}
    marks = [attrs.get("class") for tag, attrs in parsed.tags if tag == "mark"]
    assert "role-whole" in marks and "role-part" in marks
    assert "confidence high" in visible
    # an info finding is folded, errors and warnings are open
    details = re.findall(r'<article class="finding sev-(\w+)"[^>]*>\s*<details( open)?>', page)
    assert sorted(details) == [("error", " open"), ("info", ""), ("warning", " open")]


def test_html_in_chinese():
    page = render(sample_report(baseline="base.json").to_dict(), "html", lang="zh")
    visible = " ".join(_parse_html(page).text)
    assert '<html lang="zh-Hans">' in page
    for text in ("审核报告", "日期", "路径", "版本", "错误", "警告", "提示", "仅看新增", "搜索", "部分", "整体", "占比",
                 "重复表述", "已核实的关系", "置信度：高"):
        assert text in visible, text


def test_markdown_locations_are_links_and_info_and_verified_are_folded(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    text = render(sample_report().to_dict(), "md", report_dir="out")
    assert "[docs/villages.txt:2:8 (total)](../docs/villages.txt) · [2:18 (part)](../docs/villages.txt)" in text
    info = text.index("10493 / 3043 = 3.45 people per household")
    assert text.rfind("<details>", 0, info) > text.rfind("</details>", 0, info)     # inside a fold
    assert text.count("<details>") == text.count("</details>") == 2                  # the info finding, the verified
    verified = text.index("2716 of 3043 households lifted")
    assert text.rfind("<details>", 0, verified) > text.rfind("</details>", 0, verified)
    assert "#### ✗ **error**" in text and "#### ! **warning**" in text              # the rest stay open


def test_sarif_links_related_locations_from_the_message_and_documents_each_rule():
    log = _sarif_log()
    run = log["runs"][0]
    first = run["results"][0]
    assert [r["id"] for r in first["relatedLocations"]] == [1, 2]
    assert first["message"]["text"].endswith("(see [part](1), [part](2))")
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    help_text = rules["AR01"]["help"]["markdown"]
    assert "Parts must add up to the stated whole." in help_text
    assert "Anti-pattern" in help_text and "How the sum kind works" in help_text   # the kind's documentation
    assert rules["AR01"]["helpUri"].endswith("README.md#ar01-arithmeticsum-of-parts")
    assert len({r["help"]["markdown"] for r in rules.values()}) == len(rules)      # no repeated sentence


def test_sarif_escapes_brackets_of_the_message_itself():
    data = sample_report().to_dict()
    data["findings"][0]["message"] = "parts [a](1) of the whole"
    text = json.loads(render(data, "sarif"))["runs"][0]["results"][0]["message"]["text"]
    assert text.startswith("parts \\[a\\](1) of the whole")


def test_suppressions_are_counted_when_the_report_has_them(capsys):
    from auditor.report import terminal

    data = sample_report().to_dict()
    data["suppressions"] = [{"rule": "PR01", "path": "docs/households.txt"}]
    assert "Suppressed" in " ".join(_parse_html(render(data, "html")).text)
    terminal.print_report(data)
    assert "; 1 suppressed" in capsys.readouterr().out
    del data["suppressions"]
    assert "Suppressed" not in render(data, "html")
