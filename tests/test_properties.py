"""Property and fuzz tests through the public entry points.

Whatever the text — random Unicode, slices of the seeds, or report-like
sentences from a small grammar (numbers, units, 其中/共/占比, Traditional
characters, pinyin annotations, full-width digits) — extraction and
normalization never raise, an audit either reports or refuses with an
AuditError naming the file, every evidence span quotes its file exactly,
and the same input gives the same report.
"""

import tempfile
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import auditor
from auditor.cli import main
from auditor.config import Settings
from auditor.errors import AuditError
from auditor.ingest import Document, read_document
from auditor.normalize import normalize
from auditor.pipeline import run_audit

SEEDS = sorted((Path(__file__).resolve().parent.parent / "seeds").glob("*.txt"))
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
QUICK = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])

UNICODE = st.text(st.characters(blacklist_categories=("Cs",)), max_size=200)

# -- a small grammar of report-like Chinese -------------------------------

TRADITIONAL = {"县": "縣", "万": "萬", "户": "戶", "个": "個", "贫": "貧", "困": "困", "亿": "億", "元": "元",
               "农": "農", "镇": "鎮", "村": "村", "发": "發", "资": "資", "金": "金", "财": "財", "政": "政"}
PINYIN = {"万": "(wàn)", "萬": "(wàn)", "户": "(hù)", "戶": "(hù)", "县": "(xiàn)", "縣": "(xiàn)",
          "网": "(wǎng)", "会": "(huì )", "亿": "(yì)", "億": "(yì)"}
PLACES = ["全县", "全市", "某县", "该乡", "本镇", "全州"]
THINGS = [("贫困户", "户"), ("贫困人口", "人"), ("行政村", "个"), ("资金", "万元"), ("资金", "亿元"), ("耕地", "亩"),
          ("游客", "万人次"), ("干部", "名")]
PARTS = ["城镇", "农村", "财政投入", "贫困村", "非贫困村", "社会资金", "已脱贫"]
QUALIFIERS = ["", "", "", "余", "多", "近", "约", "左右"]


CHINESE_NUMERALS = ["三", "十二", "一百零八", "三千零四十三", "两万", "五十余", "近万", "1.2万余", "8.8万", "102.41亿"]


@st.composite
def numbers(draw):
    style = draw(st.integers(0, 3))
    if style == 3:
        return draw(st.sampled_from(CHINESE_NUMERALS))
    whole = draw(st.integers(0, 99999))
    number = str(whole) if style == 0 else f"{whole}.{draw(st.integers(0, 9999))}"
    return number + ("万" if style == 2 else "")


@st.composite
def sentences(draw):
    place = draw(st.sampled_from(PLACES))
    thing, unit = draw(st.sampled_from(THINGS))
    total = draw(numbers())
    kind = draw(st.integers(0, 9))
    if kind == 0:
        parts = draw(st.lists(st.tuples(st.sampled_from(PARTS), numbers()), min_size=1, max_size=4))
        listed = "、".join(f"{name}{n}{unit}" for name, n in parts)
        return f"{place}共有{thing}{total}{unit}，其中{listed}。"
    if kind == 1:
        part = draw(numbers())
        share = draw(st.integers(0, 120))
        return f"{place}{total}{unit}{thing}中，已有{part}{unit}完成，占比{share}%。"
    if kind == 2:
        return f"{place}{thing}{draw(st.sampled_from(QUALIFIERS))}{total}{unit}，比上年增长{draw(numbers())}个百分点。"
    if kind == 3:
        count = draw(st.integers(1, 6))
        items = "、".join(draw(st.lists(st.sampled_from(["康定", "丹巴", "九龙", "乡城", "稻城", "理塘"]),
                                        min_size=1, max_size=6)))
        return f"涉及{items}{count}县(市)。"
    if kind == 4:
        return f"{draw(st.integers(2000, 2030))}年{draw(st.integers(1, 12))}月，{place}{thing}{total}{unit}。"
    if kind == 5:
        households, people = draw(numbers()), draw(numbers())
        return f"{place}有贫困户{households}户、贫困人口{people}人，贫困发生率{draw(numbers())}%。"
    if kind == 6:
        towns, villages = draw(st.integers(0, 20)), draw(st.integers(0, 20))
        return f"{place}辖{towns}镇{villages}乡，共{draw(st.integers(0, 40))}个乡(镇)，户均{draw(numbers())}人。"
    if kind == 7:
        low, high = draw(numbers()), draw(numbers())
        return f"{place}{thing}{low}至{high}{unit}，{draw(numbers())}{draw(st.sampled_from(['余', '多']))}{unit}。"
    if kind == 8:
        return draw(st.sampled_from(["实施“13221”工作思路，", "建立“1+N”体系，", "“5+1”帮扶机制，", "(二)", "一要",
                                     "电话：0836-2832123，", "“六个精准”", "“三个全覆盖”：", "15.09.2017，"]))
    share = draw(numbers())
    return f"上半年减贫{draw(numbers())}人，占年度任务的{share}%，年度任务为{draw(numbers())}人。"


@st.composite
def report_texts(draw):
    text = "".join(draw(st.lists(sentences(), min_size=1, max_size=8)))
    if draw(st.booleans()):  # some characters in Traditional
        text = "".join(TRADITIONAL.get(ch, ch) if draw(st.booleans()) else ch for ch in text)
    if draw(st.booleans()):  # a converter's pinyin annotations
        text = "".join(ch + PINYIN[ch] if ch in PINYIN and draw(st.booleans()) else ch for ch in text)
    if draw(st.booleans()):  # full-width digits and punctuation
        text = text.translate(str.maketrans("0123456789.%()", "０１２３４５６７８９．％（）"))
    if draw(st.booleans()):  # paragraphs
        text = text.replace("。", "。\n", draw(st.integers(0, 5)))
    return text


@st.composite
def seed_slices(draw):
    if not SEEDS:
        return draw(report_texts())
    text = draw(st.sampled_from(SEEDS)).read_text("utf-8")
    start = draw(st.integers(0, max(0, len(text) - 1)))
    return text[start:start + draw(st.integers(1, 1500))]


ANY_TEXT = st.one_of(UNICODE, report_texts(), seed_slices())


# -- helpers ----------------------------------------------------------------

def audit_text(text: str, name: str = "doc.txt", encoding: str = "utf-8", runs: int = 1):
    """Audit `text` written to a fresh file `runs` times; return (document or
    None, [report dict or AuditError for each run])."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(text.encode(encoding))
        document = read_document(path)
        outcomes = []
        for _ in range(runs):
            try:
                outcomes.append(run_audit([str(path)], Settings(reports=False)).to_dict())
            except AuditError as error:
                assert str(path) in str(error), error
                outcomes.append(error)
        return (document if isinstance(document, Document) else None), outcomes


def assert_evidence_quotes_the_document(document: Document, data: dict) -> None:
    text = document.text
    for record in data["findings"] + data["verified"]:
        for evidence in record["evidence"]:
            assert evidence["path"] == document.path
            assert 0 <= evidence["start"] <= evidence["end"] <= len(text), evidence
            assert evidence["text"] == text[evidence["start"]:evidence["end"]], evidence
            line_start = text.rfind("\n", 0, evidence["start"]) + 1
            assert evidence["line"] == text.count("\n", 0, evidence["start"]) + 1
            assert evidence["column"] == evidence["start"] - line_start + 1


# -- properties -------------------------------------------------------------

@QUICK
@given(ANY_TEXT)
def test_extract_quantities_never_raises_and_spans_quote_the_text(text):
    for quantity in auditor.extract_quantities(text):
        assert 0 <= quantity.start <= quantity.end <= len(text)
        assert quantity.text == text[quantity.start:quantity.end]
        assert quantity.low <= quantity.high


@QUICK
@given(ANY_TEXT)
def test_extract_quantities_on_normalized_text_never_raises(text):
    normalized = normalize(text)
    for quantity in auditor.extract_quantities(normalized.text):
        start, end = normalized.offsets.to_original(quantity.start, quantity.end)
        assert 0 <= start <= end <= len(text)


@QUICK
@given(ANY_TEXT)
def test_normalize_never_raises_and_is_idempotent(text):
    once = normalize(text)
    assert len(once.offsets.starts) == len(once.text) == len(once.offsets.ends)
    assert normalize(once.text).text == once.text


@QUICK
@given(ANY_TEXT)
def test_the_text_only_normalization_gives_the_text_of_the_full_one(text):
    from auditor.normalize import normalized_text

    assert normalized_text(text) == normalize(text).text


@FAST
@given(ANY_TEXT)
def test_an_audit_reports_or_refuses_and_evidence_quotes_the_file(text):
    document, [outcome] = audit_text(text)
    if isinstance(outcome, AuditError):
        assert document is None, f"a readable text was refused: {outcome}"
        return
    assert document is not None
    assert_evidence_quotes_the_document(document, outcome)


@FAST
@given(report_texts(), st.sampled_from(["utf-8", "gb18030", "utf-16", "utf-8-sig"]))
def test_report_like_texts_in_any_encoding_quote_the_original(text, encoding):
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return
    document, [outcome] = audit_text(text, encoding=encoding)
    assert document is not None and document.text == text
    assert not isinstance(outcome, AuditError), outcome
    assert outcome["documents"][0]["chars"] == len(text)
    assert_evidence_quotes_the_document(document, outcome)


@FAST
@given(st.one_of(report_texts(), seed_slices()))
def test_the_same_input_gives_the_same_report(text):
    _, (first, second) = audit_text(text, runs=2)
    if isinstance(first, AuditError):
        assert str(first) == str(second)
    else:
        assert first == second


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(report_texts(), seed_slices()), min_size=2, max_size=4))
def test_several_documents_quote_their_own_files_in_a_stable_order(texts):
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for index, text in enumerate(texts):
            path = Path(folder) / f"{index}.txt"
            path.write_text(text, encoding="utf-8")
            paths.append(path)
        first = run_audit([folder], Settings(reports=False)).to_dict()
        second = run_audit([folder], Settings(reports=False)).to_dict()
        assert first == second
        documents = {str(p): read_document(p) for p in paths}
        for record in first["findings"] + first["verified"]:
            for evidence in record["evidence"]:
                text = documents[evidence["path"]].text
                assert evidence["text"] == text[evidence["start"]:evidence["end"]]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(report_texts(), seed_slices(), UNICODE.filter(str.strip)))
def test_the_cli_writes_every_report_format_without_an_internal_error(text):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "doc.md"
        path.write_text(text, encoding="utf-8")
        code = main(["run", str(path), "--report-dir", str(Path(folder) / "reports"), "-q", "--fail-on", "never"])
        assert code in (0, 2), f"exit {code}"


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_every_seed_is_audited_with_exact_quotes(seed):
    document, [outcome] = audit_text(seed.read_text("utf-8"), name=seed.name)
    assert not isinstance(outcome, AuditError), outcome
    assert_evidence_quotes_the_document(document, outcome)
