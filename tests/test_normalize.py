"""Normalize: full width, pinyin annotations, Traditional → Simplified, and
the OffsetMap that takes every analysis span back to the original text."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from auditor.normalize import normalize

TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ"


def quote(original: str, normalized_start: int, normalized_end: int) -> str:
    start, end = normalize(original).offsets.to_original(normalized_start, normalized_end)
    return original[start:end]


def test_full_width_becomes_half_width():
    result = normalize("全县共有１２３４５户，占比８０％（约）")
    assert result.text == "全县共有12345户,占比80%(约)"


def test_full_width_digits_map_back_to_the_full_width_original():
    original = "共有１２３４５户"
    result = normalize(original)
    start = result.text.index("12345")
    assert quote(original, start, start + 5) == "１２３４５"


def test_pinyin_annotation_removed_and_converted():
    assert normalize("網(wǎng)").text == "网"


def test_pinyin_annotation_with_stray_space():
    assert normalize("會(huì )議").text == "会议"


def test_pinyin_between_number_and_unit_and_quote_keeps_it():
    original = "接待游客12.5萬(wàn)人次。"
    result = normalize(original)
    assert result.text == "接待游客12.5万人次。"
    start = result.text.index("12.5万人次")
    assert quote(original, start, start + len("12.5万人次")) == "12.5萬(wàn)人次"


def test_mixed_scripts_in_one_phrase():
    original = "举全縣之力"
    result = normalize(original)
    assert result.text == "举全县之力"
    assert quote(original, 2, 3) == "縣"


def test_parentheses_that_are_not_pinyin_stay():
    for text in ("(二)加强组织领导", "“5+1”帮扶机制(试行)", "县城(城关镇)", "数据(abc)"):
        assert normalize(text).text.count("(") == text.count("(")


def test_ligature_expansion_maps_every_piece_to_the_one_original_character():
    original = "面积12㎡"
    result = normalize(original)
    assert result.text == "面积12m2"
    assert quote(original, 4, 5) == "㎡" and quote(original, 5, 6) == "㎡"


def test_empty_span_maps_to_an_empty_span():
    original = "網(wǎng)站"
    start, end = normalize(original).offsets.to_original(1, 1)
    assert start == end


# Texts that look like the seeds: CJK (both scripts), full width, pinyin with
# tones, parentheses, combining marks, and any other non-surrogate character.
PIECES = st.one_of(
    st.sampled_from(list("网網会會议議县縣万萬户戶人次其中共占比发發展")),
    st.sampled_from(["(wǎng)", "(huì )", "(wàn)", "(yì)", "(lǜ)", "( )", "(", ")", "()", "（", "）"]),
    st.sampled_from(list("０１２３４５６７８９％．，：ＡＢ㎡½ⅷ①㍿ﬁ")),
    st.sampled_from(["\u0301", "\u0308", "\u030c", "\u0344", "a\u030c", "\u1100\u1161", "e\u0301\u0323"]),
    st.text(alphabet=TONED + "abcdefghijklmnopqrstuvwxyz ", max_size=6),
    st.characters(blacklist_categories=("Cs",)),
)
TEXTS = st.lists(PIECES, max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_normalizing_twice_changes_nothing(text):
    once = normalize(text).text
    assert normalize(once).text == once


@settings(max_examples=400, deadline=None)
@given(TEXTS, st.data())
def test_mapped_spans_lie_inside_the_original_and_keep_their_order(text, data):
    result = normalize(text)
    length = len(result.text)
    if length < 2:
        return
    # Two non-empty spans, the second starting where the first ends or later.
    a = data.draw(st.integers(0, length - 2))
    b = data.draw(st.integers(a + 1, length - 1))
    c = data.draw(st.integers(b, length - 1))
    d = data.draw(st.integers(c + 1, length))
    first = result.offsets.to_original(a, b)
    second = result.offsets.to_original(c, d)
    for start, end in (first, second):
        assert 0 <= start < end <= len(text)
    assert first[0] <= second[0] and first[1] <= second[1]


@settings(max_examples=200, deadline=None)
@given(TEXTS, st.data())
def test_empty_and_out_of_range_spans_still_map_inside_the_original(text, data):
    result = normalize(text)
    position = data.draw(st.integers(-3, len(result.text) + 3))
    start, end = result.offsets.to_original(position, position + data.draw(st.integers(-2, 2)))
    assert 0 <= start <= end <= len(text)


@settings(max_examples=300, deadline=None)
@given(TEXTS)
def test_every_character_maps_to_a_non_empty_original_span(text):
    result = normalize(text)
    for index in range(len(result.text)):
        start, end = result.offsets.to_original(index, index + 1)
        assert start < end


def test_long_texts_keep_a_compact_offset_map():
    import sys

    clean = "全县共有贫困户3043户。\n" * 100_000
    result = normalize(clean)
    assert sys.getsizeof(result.offsets.starts) + sys.getsizeof(result.offsets.ends) < 1000
    annotated = "全縣共有３０４３戶，網(wǎng)络覆盖。\n" * 50_000
    result = normalize(annotated)
    assert result.text.startswith("全县共有3043户,网络覆盖。\n")
    size = sys.getsizeof(result.offsets.starts) + sys.getsizeof(result.offsets.ends)
    assert size <= 20 * len(result.text)
    last = len(result.text) - 1
    assert result.offsets.to_original(last, last + 1) == (len(annotated) - 1, len(annotated))


def test_pinyin_with_decomposed_tone_marks_is_removed_too():
    # `ǎ` written as `a` + U+030C COMBINING CARON: composed before matching.
    original = "網(wa\u030cng)络覆盖12.5萬(wa\u0300n)人次"
    result = normalize(original)
    assert result.text == "网络覆盖12.5万人次"
    start = result.text.index("12.5万人次")
    assert quote(original, start, len(result.text)) == "12.5萬(wa\u0300n)人次"


def test_soft_wrapped_prose_is_joined_and_maps_back():
    from auditor.normalize import normalize

    original = "全县共有行政村141个，其中贫困村82个、非贫困\n村59个。\n\n工作成效\n全县整合资金2.5亿元。\n"
    result = normalize(original)
    assert "非贫困村59个" in result.text
    assert "工作成效\n全县" in result.text          # a heading stays on its own line
    start = result.text.index("非贫困村")
    a, b = result.offsets.to_original(start, start + 4)
    assert original[a:b] == "非贫困\n村"
    assert normalize(result.text).text == result.text


@pytest.mark.parametrize("text", [
    "網(wǎng)絡(luò)(luò)覆蓋", "ＡＢＣ１２３，全角", "一二\u200b三", "a\u030c 組合", "", "plain ascii",
    "第一行很长很长很长很长很长很长很长很长很长很长很长很长\n接着下一行很长很长很长很长很长很长很长很长很长很长\n",
])
def test_the_text_only_normalization_matches_the_mapped_one(text):
    from auditor.normalize import normalized_text

    assert normalized_text(text) == normalize(text).text


def test_folding_over_a_changed_map_makes_the_segments_a_rebuild_makes():
    """`_fold_into_previous` composes its map with the one before in one loop
    (an identity map or one with changes); the same texts through `_Rebuild`
    (piece by piece) give the same map."""
    import random

    from auditor import normalize as module

    def rebuilt(text, offsets, spans):
        rebuild = module._Rebuild(text, offsets)
        for start, end in spans:
            rebuild.replace(start - 1, end, text[start - 1], offsets.span(start - 1)[0], offsets.span(end - 1)[1])
        return rebuild.result()[1]

    pieces = ["網", "(wǎng)", "…", "①", "㎡", "㎏", "\n", "很长的一行文字，", "很长很长很长很长很长的一行文字", "a\u030c", "\u200b", "，", "會", "(huì )", "１", "x"]
    generator = random.Random(11)
    compared = 0
    for _ in range(3000):
        text = "".join(generator.choice(pieces) for _ in range(generator.randint(1, 40)))
        text, offsets = module._nfkc(*module._remove_invisible(text, module.OffsetMap.identity(len(text))))
        spans = ([match.span() for match in module.PINYIN_ANNOTATION.finditer(text)] if generator.random() < 0.5
                 else [(position, position + 1) for position in module._soft_wraps(text)])
        if not spans:
            continue
        expected, folded = rebuilt(text, offsets, spans), module._folded_map(offsets, spans)
        assert (list(folded.points), list(folded.origins), list(folded.limits), folded.length) == \
            (list(expected.points), list(expected.origins), list(expected.limits), expected.length), text
        compared += 1
    assert compared > 500
