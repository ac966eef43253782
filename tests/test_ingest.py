"""Ingest: files and folders → Documents, with the encoding named right."""

import codecs
import json

import pytest

from auditor.cli import main
from auditor.errors import InputError
from auditor.ingest import Document, Skipped, decode, discover, html_to_text, read_document

SIMPLIFIED = "全县共有3.2万户，其中城镇1.9万户、农村1.3万户。贫困发生率由15.6%降至1.58%。"
TRADITIONAL = "全縣共有3.2萬戶，其中城鎮1.9萬戶、農村1.3萬戶。貧困發生率由15.6%降至1.58%。"
MIXED = "举全縣之力，网(wǎng)络覆盖率达到95%。"


@pytest.mark.parametrize("text, data, encoding", [
    (SIMPLIFIED, SIMPLIFIED.encode("gb18030"), "gb18030"),
    (SIMPLIFIED, SIMPLIFIED.encode("gbk"), "gb18030"),
    (TRADITIONAL, TRADITIONAL.encode("big5"), "big5"),
    (TRADITIONAL, codecs.BOM_UTF16_LE + TRADITIONAL.encode("utf-16-le"), "utf-16"),
    (SIMPLIFIED, codecs.BOM_UTF16_BE + SIMPLIFIED.encode("utf-16-be"), "utf-16"),
    (SIMPLIFIED, SIMPLIFIED.encode("utf-16-le"), "utf-16-le"),
    (TRADITIONAL, TRADITIONAL.encode("utf-16-be"), "utf-16-be"),
    (MIXED, codecs.BOM_UTF8 + MIXED.encode("utf-8"), "utf-8-sig"),
    (MIXED, MIXED.encode("utf-8"), "utf-8"),
    (MIXED, MIXED.encode("gb18030"), "gb18030"),
])
def test_encodings_are_decoded_and_named(text, data, encoding):
    assert decode(data) == (text, encoding)


def test_the_json_report_names_each_documents_encoding(tmp_path):
    folder = tmp_path / "texts"
    folder.mkdir()
    (folder / "gb.txt").write_bytes(SIMPLIFIED.encode("gb18030"))
    (folder / "big5.txt").write_bytes(TRADITIONAL.encode("big5"))
    (folder / "utf16.txt").write_bytes(codecs.BOM_UTF16_LE + TRADITIONAL.encode("utf-16-le"))
    (folder / "bom.md").write_bytes(codecs.BOM_UTF8 + MIXED.encode("utf-8"))
    out = tmp_path / "report.json"
    code = main(["run", str(folder), "--no-reports", "--json", str(out), "--fail-on", "never"])
    assert code == 0
    documents = {d["path"].rsplit("/", 1)[-1]: d for d in json.loads(out.read_text("utf-8"))["documents"]}
    assert {name: d["encoding"] for name, d in documents.items()} == {
        "gb.txt": "gb18030", "big5.txt": "big5", "utf16.txt": "utf-16", "bom.md": "utf-8-sig"}
    # The BOM is not part of the text: offsets start at the first character.
    assert documents["bom.md"]["chars"] == len(MIXED)
    assert documents["utf16.txt"]["chars"] == len(TRADITIONAL)


def test_a_bom_is_not_part_of_the_document_text(tmp_path):
    path = tmp_path / "a.txt"
    path.write_bytes(codecs.BOM_UTF8 + SIMPLIFIED.encode("utf-8"))
    document = read_document(path)
    assert document.text == SIMPLIFIED and not document.text.startswith("\ufeff")


def test_long_texts_in_each_encoding_round_trip():
    body = (SIMPLIFIED + "\n") * 50 + (TRADITIONAL + "\n") * 50
    for encoding in ("gb18030", "utf-16-le", "utf-16-be", "utf-8"):
        assert decode(body.encode(encoding)) == (body, encoding)
    traditional = (TRADITIONAL + "\n") * 100
    assert decode(traditional.encode("big5")) == (traditional, "big5")


def test_folders_are_walked_for_the_formats_read(tmp_path):
    (tmp_path / "sub" / "deeper").mkdir(parents=True)
    (tmp_path / ".hidden").mkdir()
    for name in ("a.txt", "b.md", "sub/c.html", "sub/deeper/d.htm", "sub/e.pdf", "sub/f.docx", "sub/g.doc",
                 "f.json", "h.csv", ".hidden/g.txt"):
        (tmp_path / name).write_text(SIMPLIFIED, encoding="utf-8")
    found = [p.relative_to(tmp_path).as_posix() for p in discover([str(tmp_path)])]
    assert found == ["a.txt", "b.md", "sub/c.html", "sub/deeper/d.htm", "sub/e.pdf", "sub/f.docx", "sub/g.doc"]


def test_exclude_patterns_drop_files(tmp_path):
    for name in ("keep.txt", "draft.txt"):
        (tmp_path / name).write_text(SIMPLIFIED, encoding="utf-8")
    found = [p.name for p in discover([str(tmp_path)], exclude=("draft*",))]
    assert found == ["keep.txt"]


def test_a_file_named_twice_is_audited_once(tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(SIMPLIFIED, encoding="utf-8")
    assert len(discover([str(path), str(tmp_path), str(path)])) == 1


def test_a_missing_path_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="absent.txt: no such file"):
        discover([str(tmp_path / "absent.txt")])


def test_html_text_is_taken_out_by_a_parser():
    page = ("<html><head><title>报告</title><style>p {color: red}</style>"
            "<script>var x = '<p>100户</p>';</script></head>"
            "<body><p>全县共有<b>3.2</b>万户&nbsp;，其中&lt;城镇&gt;1.9万户。</p><!-- 99户 -->"
            "<div>第二段<br>第三行</div></body></html>")
    text = html_to_text(page)
    assert text.splitlines() == ["报告", "全县共有3.2万户\xa0，其中<城镇>1.9万户。", "第二段", "第三行"]


def test_html_files_are_read_as_their_text(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes("<p>全縣共有3.2萬戶</p><script>alert(1)</script>".encode("big5"))
    document = read_document(path)
    assert isinstance(document, Document)
    assert document.text == "全縣共有3.2萬戶" and document.encoding == "big5"


def test_an_html_page_without_text_is_skipped(tmp_path):
    path = tmp_path / "empty.html"
    path.write_text("<html><script>var a = 1;</script></html>", encoding="utf-8")
    assert isinstance(read_document(path), Skipped)


def test_the_size_limit_is_checked_before_reading(tmp_path, monkeypatch):
    path = tmp_path / "big.txt"
    path.write_text(SIMPLIFIED * 10, encoding="utf-8")
    opened = []
    monkeypatch.setattr(type(path), "open", lambda self, *a, **k: opened.append(self))
    result = read_document(path, max_bytes=100)
    assert isinstance(result, Skipped) and "size limit" in result.reason
    assert opened == []


def test_utf8_with_a_stray_byte_or_cut_short_is_read_with_a_replacement_character():
    body = (SIMPLIFIED + "\n") * 10
    data = body[:20].encode("utf-8") + b"\xff" + body[20:].encode("utf-8")
    assert decode(data) == (body[:20] + "\ufffd" + body[20:], "utf-8")
    text, encoding = decode(body.encode("utf-8")[:-2])
    assert encoding == "utf-8" and text == body[:-2] + "\ufffd"


def test_short_latin_text_is_not_taken_for_utf16():
    _, encoding = decode("Café crème, 3 €".encode("latin-1", "replace"))
    assert not encoding.startswith("utf-16")


def test_html_table_cells_do_not_run_together():
    text = html_to_text("<table><tr><th>年份</th><th>贫困户</th></tr><tr><td>2018</td><td>3043户</td></tr></table>")
    assert [line.split() for line in text.splitlines()] == [["年份", "贫困户"], ["2018", "3043户"]]


@pytest.mark.parametrize("markup", [
    "<p>全县3043户<!-- never closed",
    "<p>全县3043户<script>var x = '",
    "<div>" * 50_000 + "全县3043户" + "</div>" * 50_000,
    "<p>全县&#xD800;&#1114112;&bogus;3043户</p>",
    "<<<>>>全县3043户</p></p></body>",
])
def test_broken_html_gives_text_without_raising(markup):
    assert "全县" in html_to_text(markup) and "3043户" in html_to_text(markup)


def test_a_file_that_grows_after_its_size_was_taken_is_read_to_the_limit_only(tmp_path, monkeypatch):
    """The read is sized by stat; a file longer than stat said (it grew) is
    read on up to the limit: whole when it stays within it, refused past it."""
    import os
    from pathlib import Path

    from auditor.ingest import Document, Skipped, read_document

    small, large = tmp_path / "small.txt", tmp_path / "large.txt"
    small.write_text("全县贫困户120户。" * 3, encoding="utf-8")
    large.write_text("全县贫困户120户。" * 20, encoding="utf-8")
    real_stat = Path.stat

    def stale_stat(self, *args, **kwargs):
        status = real_stat(self, *args, **kwargs)
        values = list(status)
        values[6] = 10          # st_size as it was before the file grew
        return os.stat_result(values)

    monkeypatch.setattr(Path, "stat", stale_stat)
    read = read_document(small, max_bytes=200)
    assert isinstance(read, Document) and read.text == "全县贫困户120户。" * 3
    refused = read_document(large, max_bytes=200)
    assert isinstance(refused, Skipped) and "grew past the size limit" in refused.reason
