"""PDF, Word and saved web pages: the text the readers take out, the
relations found in it, and locations that point into the source file
(page and line of a PDF, paragraph of a .docx, line and column of the
HTML markup). The PDF and DOCX files are made by the tests themselves."""

import json
import sys
from pathlib import Path

import pytest

from auditor.cli import main
from auditor.config import Settings
from auditor.ingest import Document, Skipped, read_document
from auditor.pipeline import run_audit

FIXTURES = Path(__file__).parent / "fixtures" / "documents"
SETTINGS = Settings(reports=False)

PROSE = "全县共有行政村141个，其中贫困村82个、非贫困村59个。"
WRONG_PROSE = "全县共有行政村141个，其中贫困村82个、非贫困村69个。"


def relations(report, rule):
    return [r for r in list(report.findings) + list(report.verified) if r.rule == rule]


# ---------------------------------------------------------------- PDF

reportlab = pytest.importorskip("reportlab", reason="reportlab builds the test PDFs (pip install reportlab)")
pytest.importorskip("pdfplumber", reason="the pdf extra is not installed")


def _styles():
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return (ParagraphStyle("body", fontName="STSong-Light", fontSize=11, leading=16),
            ParagraphStyle("heading", fontName="STSong-Light", fontSize=16, leading=22))


def build_pdf(path: Path, rows, prose=(), encrypt=None, running=False) -> Path:
    """Page 1: a heading and prose; page 2: a caption, a table of `rows`, a note."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    body, heading = _styles()
    table = Table(rows)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), "STSong-Light"),
                               ("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    story = [Paragraph("一、基本情况", heading)]
    story += [Paragraph(text, body) for text in prose or ["全县总面积1200平方公里，辖5个乡镇，" * 3 + "交通便利。"]]
    story += [PageBreak(), Paragraph("表1 行政村情况", body), table, Paragraph("以上数据截至2019年底。", body)]
    def chrome(canvas, doc):
        canvas.setFont("STSong-Light", 9)
        canvas.drawString(72, A4[1] - 30, "某县2019年国民经济和社会发展统计公报（共88项指标）")
        canvas.drawCentredString(A4[0] / 2, 25, f"第 {doc.page} 页 共 2 页")

    hooks = {"onFirstPage": chrome, "onLaterPages": chrome} if running else {}
    SimpleDocTemplate(str(path), pagesize=A4, encrypt=encrypt).build(story, **hooks)
    return path


TABLE = [["项目", "数量"], ["全县行政村", "141个"], ["其中：贫困村", "82个"], ["非贫困村", "59个"]]


def test_a_pdf_table_comes_out_as_rows_with_cells_in_order(tmp_path):
    document = read_document(build_pdf(tmp_path / "report.pdf", TABLE))
    assert isinstance(document, Document) and document.format == "pdf"
    lines = document.text.splitlines()
    assert "全县行政村\t141个" in lines and "其中：贫困村\t82个" in lines and "非贫困村\t59个" in lines
    rows = [line.split("\t") for line in lines if "\t" in line]
    assert rows == [["项目", "数量"], ["全县行政村", "141个"], ["其中：贫困村", "82个"], ["非贫困村", "59个"]]
    # The heading ends its paragraph: an empty line between it and the prose.
    assert document.text.startswith("一、基本情况\n\n全县总面积")


def test_a_relation_inside_a_pdf_table_is_verified_with_its_page_and_line(tmp_path):
    build_pdf(tmp_path / "report.pdf", TABLE)
    report = run_audit([str(tmp_path / "report.pdf")], SETTINGS)
    verified = relations(report, "SUB01")
    assert [v.message for v in verified] == ["82个 lies within 141个"]
    whole = next(e for e in verified[0].evidence if e.text == "141个")
    # Page 2: caption (line 1), header row (2), 全县行政村 row (3); 141个 after 全县行政村 and a tab.
    assert (whole.page, whole.line, whole.column) == (2, 3, len("全县行政村\t") + 1)


def test_a_part_above_its_whole_in_a_pdf_table_is_a_finding_on_its_page(tmp_path):
    rows = [["项目", "数量"], ["全县行政村", "141个"], ["其中：贫困村", "152个"]]
    build_pdf(tmp_path / "report.pdf", rows)
    out = tmp_path / "report.json"
    code = main(["run", str(tmp_path / "report.pdf"), "--no-reports", "--json", str(out)])
    assert code == 1
    data = json.loads(out.read_text("utf-8"))
    finding = next(f for f in data["findings"] if f["rule"] == "SUB01")
    part = next(e for e in finding["evidence"] if e["text"] == "152个")
    assert (part["page"], part["line"], part["column"]) == (2, 4, len("其中：贫困村\t") + 1)


def test_pdf_prose_relations_are_found_with_page_and_line(tmp_path):
    build_pdf(tmp_path / "report.pdf", TABLE, prose=["导语。", WRONG_PROSE])
    report = run_audit([str(tmp_path / "report.pdf")], SETTINGS)
    finding = next(f for f in report.findings if f.rule == "SUM01")
    whole = next(e for e in finding.evidence if e.text == "141个")
    assert (whole.page, whole.line, whole.column) == (1, 3, WRONG_PROSE.index("141") + 1)


def test_running_headers_footers_and_page_numbers_are_left_out_of_a_pdf(tmp_path):
    path = build_pdf(tmp_path / "report.pdf", TABLE, running=True)
    document = read_document(path)
    assert "统计公报" not in document.text and "88项" not in document.text and "页" not in document.text
    assert any("running header" in note for note in document.notes)
    report = run_audit([str(path)], SETTINGS)
    whole = next(e for v in relations(report, "SUB01") for e in v.evidence if e.text == "141个")
    # The header still counts as the page's first line: the row of 全县行政村 is line 4 now.
    assert (whole.page, whole.line) == (2, 4)


def test_a_pdf_is_never_read_as_raw_text_even_when_named_txt(tmp_path):
    pdf = build_pdf(tmp_path / "report.pdf", TABLE)
    disguised = tmp_path / "report.txt"
    disguised.write_bytes(pdf.read_bytes())
    document = read_document(disguised)
    assert isinstance(document, Document) and document.format == "pdf"
    assert "612" not in document.text and "obj" not in document.text and "全县行政村" in document.text


def test_a_scanned_pdf_without_text_is_skipped_saying_to_run_ocr(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    page = canvas.Canvas(str(path))
    page.rect(100, 100, 300, 400, fill=1)  # an image-like page: no text layer
    page.save()
    result = read_document(path)
    assert isinstance(result, Skipped) and "no text layer" in result.reason and "OCR" in result.reason


def test_an_encrypted_pdf_is_skipped_saying_to_decrypt_it(tmp_path):
    from reportlab.lib import pdfencrypt

    path = build_pdf(tmp_path / "locked.pdf", TABLE,
                     encrypt=pdfencrypt.StandardEncryption("secret", "owner"))
    result = read_document(path)
    assert isinstance(result, Skipped) and "encrypted" in result.reason and "password" in result.reason


def test_a_damaged_pdf_is_skipped_not_raised(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n0 0 612 792 re\n%%EOF")
    result = read_document(path)
    assert isinstance(result, Skipped)
    assert "612" not in result.reason or "PDF" in result.reason


def test_without_the_pdf_extra_the_note_names_it(tmp_path, monkeypatch):
    path = build_pdf(tmp_path / "report.pdf", TABLE)
    monkeypatch.setitem(sys.modules, "pdfplumber", None)
    result = read_document(path)
    assert isinstance(result, Skipped) and "auditor[pdf]" in result.reason


# ---------------------------------------------------------------- DOCX

docx = pytest.importorskip("docx", reason="the docx extra is not installed")


def build_docx(path: Path, paragraphs, table=None, heading="一、基本情况") -> Path:
    document = docx.Document()
    document.add_heading(heading, level=1)
    for text in paragraphs:
        document.add_paragraph(text)
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
        document.add_paragraph("以上为统计数据。")
    document.save(str(path))
    return path


def test_a_relation_in_docx_prose_is_found_with_its_paragraph(tmp_path):
    path = build_docx(tmp_path / "report.docx", ["全县总面积1200平方公里。", WRONG_PROSE])
    report = run_audit([str(path)], SETTINGS)
    finding = next(f for f in report.findings if f.rule == "SUM01")
    whole = next(e for e in finding.evidence if e.text == "141个")
    # Paragraph 1 is the heading, 2 the area, 3 the sentence with the relation.
    assert (whole.page, whole.line, whole.column) == (0, 3, WRONG_PROSE.index("141") + 1)
    consistent = build_docx(tmp_path / "ok.docx", ["全县总面积1200平方公里。", PROSE])
    verified = relations(run_audit([str(consistent)], SETTINGS), "SUM01")
    assert verified and all(v.computation.endswith("✓") for v in verified)


def test_docx_headings_end_their_paragraph_and_tables_keep_cell_order(tmp_path):
    table = [["乡镇", "贫困户", "贫困人口"], ["甲镇", "120户", "410人"], ["乙镇", "130户", "452人"]]
    path = build_docx(tmp_path / "report.docx", [PROSE], table=table, heading="2019年某县情况")
    document = read_document(path)
    assert isinstance(document, Document) and document.format == "docx"
    assert document.text.startswith("2019年某县情况\n\n" + PROSE)
    rows = [line.split("\t") for line in document.text.splitlines() if "\t" in line]
    assert rows == table
    # Cells are located by their paragraph number in reading order: heading 1,
    # prose 2, then the cells of the header row 3, 4, 5 and of 甲镇 6, 7, 8.
    offset = document.text.index("410人")
    assert document.locations.at(offset) == (0, 8, 1)


def test_a_doc_file_is_skipped_saying_to_save_it_as_docx(tmp_path):
    path = tmp_path / "old.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    result = read_document(path)
    assert isinstance(result, Skipped) and ".docx" in result.reason


def test_without_the_docx_extra_the_note_names_it(tmp_path, monkeypatch):
    path = build_docx(tmp_path / "report.docx", [PROSE])
    monkeypatch.setitem(sys.modules, "docx", None)
    result = read_document(path)
    assert isinstance(result, Skipped) and "auditor[docx]" in result.reason


def test_folders_with_pdf_docx_and_doc_are_audited_with_a_note_for_each_skip(tmp_path):
    build_pdf(tmp_path / "a.pdf", TABLE)
    build_docx(tmp_path / "b.docx", [PROSE])
    (tmp_path / "c.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    out = tmp_path / "out.json"
    assert main(["run", str(tmp_path), "--no-reports", "--json", str(out), "--fail-on", "never"]) == 0
    data = json.loads(out.read_text("utf-8"))
    assert sorted(Path(d["path"]).name for d in data["documents"]) == ["a.pdf", "b.docx"]
    assert [Path(s["path"]).name for s in data["skipped"]] == ["c.doc"]


# ---------------------------------------------------------------- HTML

pytest.importorskip("trafilatura", reason="the html extra is not installed")
SAVED_PAGE = FIXTURES / "saved_page.html"
# Numbers only the chrome of the saved page holds (navigation, header, sidebar, footer).
CHROME_NUMBERS = ("128934", "2367", "0871", "12345678", "654000", "9876", "5301000012", "300", "88号")


def test_a_saved_page_yields_no_claim_from_its_chrome(tmp_path):
    out = tmp_path / "claims.json"
    assert main(["claims", str(SAVED_PAGE), "--json", str(out)]) == 0
    claims = json.loads(out.read_text("utf-8"))["documents"][0]["claims"]
    quoted = [json.dumps(claim, ensure_ascii=False) for claim in claims]
    assert claims, "the article's claims are found"
    for number in CHROME_NUMBERS:
        assert not any(number in text for text in quoted), number
    document = read_document(SAVED_PAGE)
    for chrome in ("首页", "主办单位", "备案号", "分享到", "热点专题", "当前位置"):
        assert chrome not in document.text
    assert "全县共有行政村141个" in document.text


def test_saved_page_locations_point_into_the_markup(tmp_path):
    markup = SAVED_PAGE.read_text("utf-8")
    lines = markup.splitlines()
    out = tmp_path / "report.json"
    main(["run", str(SAVED_PAGE), "--no-reports", "--json", str(out), "-v", "--fail-on", "never"])
    data = json.loads(out.read_text("utf-8"))
    evidence = [e for record in data["findings"] + data["verified"] for e in record["evidence"]]
    assert len(evidence) >= 5
    for item in evidence:
        line = lines[item["line"] - 1]
        column = item["column"] - 1
        assert line[column:column + len(item["text"])] == item["text"], item
    assert not any(record["rule"] == "SUM01" and "✗" in record["computation"] for record in data["findings"])


def test_headings_end_their_paragraph_in_html():
    from auditor.normalize import normalize

    document = _page("<html><body><article><h1>报告</h1><p>一段很长的导语文字，介绍全县的基本情况和发展成就，内容较多。</p>"
                     "<h2>第一期某县情况</h2><p>全县共有行政村141个，其中贫困村82个、非贫困村59个，全县总面积很大。</p>"
                     "</article></body></html>")
    assert "第一期某县情况\n\n全县共有" in document.text
    # …and stays a line of its own once normalized (a title never runs into the paragraph after it).
    assert "第一期某县情况\n" in normalize(document.text).text


def test_entities_and_tags_inside_a_paragraph_keep_markup_locations():
    markup = "<html><body><article>\n<p>全县&nbsp;共有<b>3.2</b>万户，其中城镇1.9万户。</p>\n</article></body></html>"
    document = _page(markup)
    offset = document.text.index("3.2")
    assert document.locations.at(offset) == (0, 2, markup.splitlines()[1].index("3.2") + 1)
    after = document.text.index("万户")
    assert document.locations.at(after) == (0, 2, markup.splitlines()[1].index("万户") + 1)


def test_without_the_html_extra_chrome_elements_are_still_dropped(monkeypatch):
    monkeypatch.setitem(sys.modules, "trafilatura", None)
    document = _page("<nav>第3期 2019年报告（12篇）</nav><p>全县共有行政村141个。</p><footer>访客128934</footer>")
    assert document.text == "全县共有行政村141个。"
    assert any("auditor[html]" in note for note in document.notes)


def _page(markup: str) -> Document:
    from auditor.ingest.html import read_html

    page = read_html(markup)
    return Document(path="page.html", text=page.text, encoding="utf-8", locations=page.locations,
                    notes=page.notes, format="html")


def test_a_damaged_or_bomb_like_docx_is_skipped_not_raised(tmp_path, monkeypatch):
    import auditor.ingest.docx as reader

    broken = tmp_path / "broken.docx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    result = read_document(broken)
    assert isinstance(result, Skipped) and "damaged" in result.reason
    path = build_docx(tmp_path / "report.docx", [PROSE])
    monkeypatch.setattr(reader, "MAX_UNPACKED_BYTES", 1000)
    result = read_document(path)
    assert isinstance(result, Skipped) and "unpacks to" in result.reason
