"""Text files: encodings that are not Chinese are not forced into a Chinese
codec, and the note says which encoding was used; NUL bytes are dropped
with a note; Markdown code blocks and front matter are not audited."""

import pytest

from auditor.config import Settings
from auditor.ingest import Document, Skipped, decode, read_document
from auditor.ingest.decoding import decode_with_notes, reads_as_chinese
from auditor.ingest.markdown import blank_code
from auditor.pipeline import audit_documents

KOREAN = "대한민국 헌법 제1조 대한민국은 민주공화국이다. 모든 권력은 국민으로부터 나온다. 인구는 5100만명이다.\n" * 3
JAPANESE = "日本国憲法は、1946年に公布された。すべて国民は、個人として尊重される。人口は1億2千万人である。\n" * 3
LATIN = "Le rapport annuel présente les résultats: la région compte 3 043 ménages et 10 493 habitants. Été 2019.\n" * 3
CHINESE = "全县共有行政村141个，其中贫困村82个、非贫困村59个。全县建档立卡贫困户3043户。\n" * 3


@pytest.mark.parametrize("text, codec, expected", [
    (KOREAN, "euc-kr", "euc-kr"),
    (JAPANESE, "shift_jis", "shift_jis"),
    (JAPANESE, "euc-jp", "euc-jp"),
    (LATIN, "latin-1", "latin-1"),
    (LATIN.replace("Été", "“Été” €"), "cp1252", "cp1252"),
])
def test_texts_in_other_languages_are_decoded_with_their_own_encoding(text, codec, expected):
    decoded = decode_with_notes(text.encode(codec))
    assert (decoded.text, decoded.encoding) == (text, expected)
    assert any(expected in note for note in decoded.notes)  # the note says which encoding was used


def test_chinese_candidates_are_rejected_when_the_text_does_not_read_as_chinese():
    assert reads_as_chinese(CHINESE)
    assert not reads_as_chinese(KOREAN.encode("euc-kr").decode("gb18030"))      # spaced words
    assert not reads_as_chinese(JAPANESE.encode("euc-jp").decode("gb18030"))    # kana
    # Chinese in GB18030 is still GB18030, with no note.
    decoded = decode_with_notes(CHINESE.encode("gb18030"))
    assert (decoded.encoding, decoded.notes) == ("gb18030", ())


def test_chinese_with_single_spaces_between_words_in_a_few_places_is_still_chinese():
    text = "第一章 总则\n" + CHINESE + "附件 1\n"
    assert decode(text.encode("gb18030")) == (text, "gb18030")


def test_a_few_nul_bytes_are_dropped_with_a_note(tmp_path):
    path = tmp_path / "a.txt"
    data = CHINESE.encode("utf-8")
    path.write_bytes(data[:30] + b"\x00" + data[30:60] + b"\x00\x00" + data[60:])
    document = read_document(path)
    assert isinstance(document, Document)
    assert document.text == CHINESE and document.encoding == "utf-8"
    assert document.notes == ("3 NUL bytes dropped",)


def test_trailing_nul_padding_is_dropped_too(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(CHINESE.encode("gb18030") + b"\x00" * 4096)
    document = read_document(path)
    assert isinstance(document, Document) and document.text == CHINESE and document.encoding == "gb18030"


def test_binary_data_with_many_nul_bytes_is_still_skipped(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(bytes(range(256)) * 40)
    assert read_document(path) == Skipped(str(path), "binary or undecodable content")


def test_utf16_is_not_taken_for_text_with_nul_bytes():
    text = "全县共有贫困户3043户。\n" * 5
    assert decode(text.encode("utf-16-le")) == (text, "utf-16-le")


MARKDOWN = """---
title: 2019年工作报告
households: 9999户
---
# 一、基本情况

全县共有行政村141个，其中贫困村82个、非贫困村59个。

```text
全县共有行政村141个，其中贫困村82个、非贫困村69个。
```

~~~~
全县共有贫困户3043户，其中已脱贫5000户。
~~~~

结尾段落。
"""


def test_markdown_code_and_front_matter_are_blanked_keeping_offsets():
    blanked, blocks = blank_code(MARKDOWN)
    assert blocks == 3
    assert len(blanked) == len(MARKDOWN)
    assert blanked.count("\n") == MARKDOWN.count("\n")
    assert "9999" not in blanked and "69个" not in blanked and "5000" not in blanked
    prose = "全县共有行政村141个，其中贫困村82个、非贫困村59个。"
    assert blanked.index(prose) == MARKDOWN.index(prose)
    assert blanked.endswith("结尾段落。\n")


def test_markdown_code_blocks_give_no_findings(tmp_path):
    path = tmp_path / "report.md"
    path.write_text(MARKDOWN, encoding="utf-8")
    document = read_document(path)
    assert document.notes == ("3 code blocks or front matter not audited",)
    report = audit_documents([document], Settings(reports=False))
    assert report.findings == []
    whole = next(v for v in report.verified if v.rule == "SUM01").evidence
    # Locations still point at the prose line in the file.
    assert {e.line for e in whole} == {MARKDOWN.splitlines().index(
        "全县共有行政村141个，其中贫困村82个、非贫困村59个。") + 1}


def test_an_unclosed_fence_runs_to_the_end():
    blanked, blocks = blank_code("正文141个。\n```\n代码3043户\n")
    assert blocks == 1 and blanked.startswith("正文141个。\n") and "3043" not in blanked


def test_a_thematic_break_later_in_the_file_is_not_front_matter():
    text = "正文141个。\n\n---\n\n后文82个。\n"
    assert blank_code(text) == (text, 0)


def test_the_json_report_carries_each_documents_notes(tmp_path):
    import json

    from auditor.cli import main

    (tmp_path / "a.txt").write_bytes(CHINESE.encode("utf-8").replace("。".encode(), "。\x00".encode(), 1))
    (tmp_path / "b.txt").write_bytes(KOREAN.encode("euc-kr"))
    out = tmp_path / "out.json"
    main(["run", str(tmp_path), "--no-reports", "--json", str(out), "--fail-on", "never"])
    documents = {d["path"].rsplit("/", 1)[-1]: d for d in json.loads(out.read_text("utf-8"))["documents"]}
    assert documents["a.txt"]["notes"] == ["1 NUL byte dropped"]
    assert documents["b.txt"]["encoding"] == "euc-kr" and "euc-kr" in documents["b.txt"]["notes"][0]


@pytest.mark.parametrize("text", ["一要", "要要"])
def test_gb18030_bytes_that_also_form_utf8_are_read_as_chinese(text):
    data = text.encode("gb18030")
    data.decode("utf-8")  # the trap: these bytes are valid UTF-8 too (extended Cyrillic)
    assert decode(data) == (text, "gb18030")


@pytest.mark.parametrize("text", ["café", "Ελληνικά κείμενο", "Привет, мир!", "שלום עולם"])
def test_utf8_latin_greek_cyrillic_and_hebrew_stay_utf8(text):
    assert decode(text.encode("utf-8")) == (text, "utf-8")
