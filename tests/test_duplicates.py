"""Repeated passages: one finding per passage with every place it occurs,
within one document and across documents, exact and near."""

from dataclasses import replace
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.config import Settings
from auditor.duplicates import DUPLICATE_RULES, find_repeated_passages, fold
from auditor.evidence import SourceText
from auditor.ingest import Document, read_document

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
FIXTURES = Path(__file__).parent / "fixtures" / "duplicates"

PASSAGE = (
    "全县坚持把产业发展作为稳定增收的根本之策，因地制宜发展茶叶、中药材和生态养殖三大主导产业。"
    "县财政每年安排专项资金2000万元，支持新型经营主体与农户建立紧密的利益联结机制。"
    "截至年底，全县共培育龙头企业18家、农民专业合作社312个、家庭农场540个，带动农户1.6万户。"
    "同时，县里整合农业、商务、邮政等部门资源，建成县级电商服务中心1个、村级服务站126个，"
    "让山里的好东西走出大山、卖上好价钱。"
    "下一步，全县将继续加大冷链物流和品牌建设投入，力争三年内主导产业综合产值突破50亿元。"
)
OTHER_A = "春耕时节，记者走进东岭村，只见田间地头一派繁忙景象。村党支部书记告诉记者，今年全村计划种植水稻800亩。"
OTHER_B = "秋收过后，西河乡召开总结大会，表彰了一批先进集体和个人。乡党委书记在会上作了讲话，部署了冬季重点工作。"


def source(path: str, text: str) -> SourceText:
    return SourceText.of(Document(path, text, "utf-8"))


def seed(prefix: str) -> SourceText:
    (path,) = SEEDS.glob(f"{prefix}_*.txt")
    return SourceText.of(read_document(path))


def repeated(*sources, settings: Settings | None = None):
    return find_repeated_passages(list(sources), settings or Settings())


def test_seed_001_body_repeated_once_is_one_finding_covering_the_body():
    document = seed("001")
    (finding,) = repeated(document)
    assert finding.rule == "DUP01" and finding.kind == "duplicate_passage"
    assert finding.symbol == "passages.repeated" and finding.severity == "warning"
    first, second = finding.evidence
    assert (first.role, second.role) == ("occurrence 1", "occurrence 2")
    original = document.document.text
    # The two spans hold the same text and together cover the whole second half.
    assert fold(first.text) == fold(second.text)
    assert first.end <= second.start
    assert not original[second.end:].strip()
    assert not fold(original[first.end:second.start])
    assert len(fold(first.text)) > 0.4 * len(fold(original))
    assert "repeated 2 times in 001_" in finding.message
    assert f"{first.line}:{first.column} and {second.line}:{second.column}" in finding.computation
    assert "similarity 100%" in finding.computation


def test_seed_004_legal_notice_is_one_boilerplate_finding():
    findings = repeated(seed("004"))
    notices = [f for f in findings if "法律聲明" in f.evidence[0].text]
    assert len(notices) == 1
    (notice,) = notices
    assert len(notice.evidence) == 2 and notice.severity == "info"
    assert notice.evidence[0].text == notice.evidence[1].text


def test_all_seeds_together_give_only_the_known_repeats():
    sources = [SourceText.of(read_document(p)) for p in sorted(SEEDS.glob("*.txt"))]
    findings = repeated(*sources)
    assert [f.severity for f in findings] == ["warning", "info"]


def test_passage_pasted_into_two_documents_is_one_cross_document_finding():
    first = source("a/first.txt", OTHER_A + "\n" + PASSAGE + "\n" + OTHER_B)
    second = source("b/second.txt", "另起一段，说点别的事情。\n\n" + PASSAGE)
    (finding,) = repeated(first, second)
    assert finding.kind == "duplicate_passage" and finding.severity == "warning"
    assert "across 2 documents" in finding.message and "first.txt" in finding.message
    assert [e.path for e in finding.evidence] == ["a/first.txt", "b/second.txt"]
    for evidence in finding.evidence:
        assert fold(evidence.text) == fold(PASSAGE)


def test_traditional_script_and_other_punctuation_still_match():
    traditional = PASSAGE.replace("县", "縣").replace("发展", "發展").replace("，", ", ").replace("。", ".\n")
    findings = repeated(source("one.txt", OTHER_A + PASSAGE), source("two.txt", traditional + OTHER_B))
    (finding,) = findings
    assert len(finding.evidence) == 2


def test_hard_wrapped_copy_matches_the_unwrapped_one():
    wrapped = "\n".join(PASSAGE[i:i + 30] for i in range(0, len(PASSAGE), 30))
    (finding,) = repeated(source("one.txt", OTHER_A + "\n" + PASSAGE), source("two.txt", wrapped + "\n" + OTHER_B))
    assert [fold(e.text) for e in finding.evidence] == [fold(PASSAGE), fold(PASSAGE)]
    assert finding.severity == "warning"


def test_near_repeat_with_a_few_characters_changed_is_found():
    changed = PASSAGE.replace("走出大山", "走向全国").replace("力争三年内", "争取三年内")
    (finding,) = repeated(source("one.txt", OTHER_A + PASSAGE), source("two.txt", changed + OTHER_B))
    assert finding.rule == "DUP01" and len(finding.evidence) == 2
    similarity = int(finding.computation.rsplit("similarity ", 1)[1].rstrip("%"))
    assert 80 <= similarity < 100


def test_near_repeat_with_words_and_figures_changed_is_one_changed_figures_finding():
    changed = PASSAGE.replace("2000万元", "2500万元").replace("312个", "321个").replace("走出大山", "走向全国")
    (finding,) = repeated(source("one.txt", OTHER_A + PASSAGE), source("two.txt", changed + OTHER_B))
    assert finding.rule == "DUP02"
    assert finding.message_args["pairs"] == "2000万元 → 2500万元, 312个 → 321个"
    occurrences = [e for e in finding.evidence if e.role.startswith("occurrence")]
    assert [e.path for e in occurrences] == ["one.txt", "two.txt"]
    assert fold(occurrences[0].text) == fold(PASSAGE)          # the whole passage, reworded sentence and all


def test_similarity_threshold_is_configurable():
    sentence = "县财政每年安排专项资金两千万元支持新型经营主体与农户建立紧密的利益联结机制。"
    changed = sentence.replace("两千", "两千六百")
    texts = (source("one.txt", OTHER_A + sentence), source("two.txt", changed + OTHER_B))
    assert len(repeated(*texts)) == 1
    assert repeated(*texts, settings=replace(Settings(), duplicate_similarity=1.0)) == []


def test_figures_changed_are_found_whatever_the_similarity_threshold():
    sentence = "县财政每年安排专项资金2000万元支持新型经营主体与农户建立紧密的利益联结机制。"
    texts = (source("one.txt", OTHER_A + sentence), source("two.txt", sentence.replace("2000", "2600") + OTHER_B))
    for threshold in (0.8, 1.0):
        (finding,) = repeated(*texts, settings=replace(Settings(), duplicate_similarity=threshold))
        assert finding.rule == "DUP02" and finding.message_args["pairs"] == "2000万元 → 2600万元"


def test_minimum_length_is_configurable():
    texts = (source("one.txt", OTHER_A + PASSAGE), source("two.txt", PASSAGE + OTHER_B))
    assert repeated(*texts, settings=replace(Settings(), duplicate_min_chars=len(PASSAGE) + 10)) == []


def test_a_shared_phrase_is_not_a_repeated_passage():
    phrase = "坚决打赢脱贫攻坚战"
    first = source("one.txt", f"会议要求各级干部{phrase}，确保按期完成全年任务。" + OTHER_A)
    second = source("two.txt", f"全市上下团结一心，{phrase}的决心更加坚定。" + OTHER_B)
    assert not [f for f in repeated(first, second) if f.severity != "info"]


def test_short_heading_repeated_is_at_most_info():
    heading = "青山县召开乡村振兴工作推进会议暨产业发展现场观摩会议"
    texts = (source("one.txt", heading + "\n" + OTHER_A), source("two.txt", heading + "\n" + OTHER_B))
    findings = repeated(*texts, settings=replace(Settings(), duplicate_min_chars=10))
    assert findings and all(f.severity == "info" for f in findings)


def test_long_boilerplate_is_info():
    notice = "【版权声明】" + "本网站所刊登的各种新闻、信息和各种专题专栏资料，均为本网站版权所有，未经协议授权，禁止下载使用。" * 4
    findings = repeated(source("one.txt", OTHER_A + "\n" + notice), source("two.txt", OTHER_B + "\n" + notice))
    (finding,) = findings
    assert finding.severity == "info" and finding.message.startswith("boilerplate")


def test_three_places_are_one_finding_not_three_pairs():
    texts = [source(f"{n}.txt", other + PASSAGE) for n, other in enumerate((OTHER_A, OTHER_B, "另起一段。"))]
    (finding,) = repeated(*texts)
    assert len(finding.evidence) == 3 and "repeated 3 times across 3 documents" in finding.message


def test_output_order_does_not_depend_on_input_order():
    texts = [source("b.txt", OTHER_B + PASSAGE), source("a.txt", PASSAGE + OTHER_A), seed("001"), seed("004")]
    forward = repeated(*texts)
    backward = repeated(*reversed(texts))
    assert forward == backward


def test_clean_texts_have_no_repeats():
    sources = [SourceText.of(read_document(p)) for p in sorted(FIXTURES.glob("clean_*.txt"))]
    assert repeated(*sources) == []


def test_rule_table():
    assert DUPLICATE_RULES["DUP01"][0] == "passages.repeated"


HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x62FF)
SENTENCES = st.lists(st.text(HAN, min_size=14, max_size=40).map(lambda s: s + "。"),
                     min_size=3, max_size=12, unique_by=fold)


@settings(max_examples=60, deadline=None)
@given(SENTENCES)
def test_any_body_written_twice_is_one_finding_with_two_spans(sentences):
    body = "".join(sentences)
    (finding,) = repeated(source("twice.txt", body + "\n" + body))
    assert [fold(e.text) for e in finding.evidence] == [fold(body), fold(body)]


PIECES = st.one_of(
    st.sampled_from(["。", "!", "?", ";", "\n", " ", "“”", "?!", "\ufffd", "\ue1a1", "(wǎng)", "字数12", "上一篇"]),
    st.text(HAN, max_size=12),
    st.text(max_size=6),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(PIECES, max_size=30).map("".join), min_size=1, max_size=4))
def test_arbitrary_texts_never_fail_and_spans_quote_the_original(texts):
    sources = [source(f"{n}.txt", text + "\n" + text[: len(text) // 2]) for n, text in enumerate(texts)]
    for finding in repeated(*sources, settings=replace(Settings(), duplicate_min_chars=1)):
        for evidence in finding.evidence:
            original = next(s for s in sources if s.path == evidence.path).document.text
            assert original[evidence.start:evidence.end] == evidence.text and evidence.text.strip()
