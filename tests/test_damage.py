"""Text damage: mojibake, lost characters, empty quotes, leftover pinyin,
declared lengths; found in the seeds, silent on clean texts of our own."""

from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.config import Settings
from auditor.damage import DAMAGE_RULES, find_text_damage
from auditor.evidence import SourceText
from auditor.ingest import Document, read_document

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).parent / "fixtures" / "duplicates"


def seed(prefix: str) -> SourceText:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return SourceText.of(read_document(path))


def damage(text: str, settings: Settings | None = None) -> list:
    return find_text_damage(SourceText.of(Document("own.txt", text, "utf-8")), settings or Settings())


def quotes(findings, rule: str) -> list[str]:
    return [f.evidence[0].text for f in findings if f.rule == rule]


def test_mojibake_after_a_lost_closing_quote_in_seed_000():
    findings = find_text_damage(seed("000"), Settings())
    (quote,) = quotes(findings, "DMG01")
    assert quote.startswith("?!睘")
    evidence = next(f.evidence[0] for f in findings if f.rule == "DMG01")
    assert evidence.after.startswith("定")  # the run stops where the text is readable again
    assert seed("000").document.text[evidence.start:evidence.end] == quote


def test_mojibake_run_in_seed_004_is_quoted():
    findings = find_text_damage(seed("004"), Settings())
    assert any("?!丙惤" in quote for quote in quotes(findings, "DMG01"))


def test_empty_quotes_in_seed_003():
    findings = find_text_damage(seed("003"), Settings())
    (finding,) = [f for f in findings if f.rule == "DMG03"]
    evidence = finding.evidence[0]
    assert evidence.text == "“”" and evidence.before.endswith("扶贫必先扶")
    assert finding.kind == "text_damage" and finding.symbol == "damage.empty-quotes"


def test_leftover_pinyin_in_seed_004_quotes_the_original():
    findings = find_text_damage(seed("004"), Settings())
    assert "?jǐn)?shù)" in quotes(findings, "DMG04")


def test_every_finding_uses_the_declared_rules_and_severity():
    settings = replace(Settings(), damage_severity="warning")
    for prefix in ("000", "003", "004"):
        for finding in find_text_damage(seed(prefix), settings):
            assert finding.rule in DAMAGE_RULES
            assert finding.symbol == DAMAGE_RULES[finding.rule][0]
            assert finding.severity == "warning"


@pytest.mark.parametrize("path", sorted(FIXTURES.glob("clean_*.txt")), ids=lambda p: p.name)
def test_clean_texts_have_no_damage(path):
    source = SourceText.of(read_document(path))
    assert find_text_damage(source, Settings()) == []


@pytest.mark.parametrize("text", [
    "全县共有3000户。这是为什么？因为政策好。",
    "你们村脱贫了吗?脱贫了。",
    "收入增加了没有?增加了。",
    "请访问 http://example.org/a?b=1 了解详情。",
    "“精准扶贫”和“精准脱贫”都是重要论述。",
    "朱镕基同志曾到此视察。",
    "本文字数约120字。" + "好" * 110,
    "他说:“好!”然后走了。",
])
def test_ordinary_writing_is_not_damage(text):
    assert damage(text) == []


def test_replacement_character_and_lost_character():
    findings = damage("全县共有\ufffd\ufffd户贫困户,帮扶干部?人全部到位。")
    assert quotes(findings, "DMG02") == ["\ufffd\ufffd", "?"]


def test_question_mark_at_line_start_is_a_lost_symbol():
    findings = damage("编辑:张三\n?本台版权所有\n")
    assert quotes(findings, "DMG02") == ["?"]


def test_empty_quotes_in_own_text():
    assert quotes(damage("坚持扶贫先扶“”的原则。"), "DMG03") == ["“”"]


def test_leftover_pinyin_after_a_lost_character():
    findings = damage("全年接待游客?wàn)人次,增长?(zhǎng)明显。")
    assert quotes(findings, "DMG04") == ["?wàn)", "?(zhǎng)"]


def test_mojibake_with_private_use_characters():
    findings = damage("会议强调\ue1a1迹\ue0eb要落实责任。")
    (quote,) = quotes(findings, "DMG01")
    assert "\ue1a1" in quote and "\ue0eb" in quote


def test_several_rare_characters_together_are_mojibake_but_one_is_not():
    assert quotes(damage("工作紴袨惤推进。"), "DMG01") == ["紴袨惤"]
    assert damage("工作紴推进。") == []


def test_declared_length_that_does_not_match():
    body = "脱贫攻坚取得决定性成就。" * 10  # 110 Han characters, 112 with 字数
    findings = damage(f"字数3000\n{body}")
    (finding,) = [f for f in findings if f.rule == "DMG05"]
    assert "3,000" in finding.message and "112 Han characters" in finding.message
    assert finding.evidence[0].text == "字数3000"


def test_declared_length_traditional_and_matching_is_quiet():
    body = "脫貧攻堅取得決定性成就。" * 10
    assert damage(f"字數115\n{body}") == []


def test_declared_length_tolerance_is_configurable():
    body = "脱贫攻坚取得决定性成就。" * 10
    assert [f.rule for f in damage(f"字数150\n{body}")] == ["DMG05"]
    loose = replace(Settings(), declared_length_tolerance=0.5)
    assert damage(f"字数150\n{body}", loose) == []


PIECES = st.one_of(
    st.sampled_from(["。", "?", "?!", "??", "“”", "\ufffd", "\ue1a1", "(wǎng)", "jǐn)", "字数", "字?", "\n", " ", "吗"]),
    st.text(st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF), max_size=8),
    st.text(max_size=5),
)


@settings(max_examples=150, deadline=None)
@given(st.lists(PIECES, max_size=40).map("".join))
def test_arbitrary_text_never_fails_and_quotes_the_original(text):
    for finding in damage(text):
        (evidence,) = finding.evidence
        assert text[evidence.start:evidence.end] == evidence.text and evidence.text
        assert finding.rule in DAMAGE_RULES
