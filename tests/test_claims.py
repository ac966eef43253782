"""Claims: what each number is about (thing, place, time), quoting the original."""

from pathlib import Path

from auditor.claims import analyze, claim_record
from auditor.ingest import Document

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def records(text: str, name: str = "t.txt"):
    analyzed = analyze(Document(name, text, "utf-8"))
    return [claim_record(analyzed.source, c) for c in analyzed.claims]


def seed_records(prefix: str):
    path = next(SEEDS.glob(f"{prefix}_*.txt"))
    return records(path.read_text(encoding="utf-8"), path.name)


def find(rows, text):
    return next(r for r in rows if r["text"] == text)


def test_seed_counts_have_place_time_and_thing():
    rows = seed_records("000")
    people, households = find(rows, "10493人"), find(rows, "3043戶")
    assert (people["value"], people["unit"], people["place"], people["time"]) == ("10493", "人", "泸定县", "2014年")
    assert (households["value"], households["unit"], households["place"], households["time"]) == \
        ("3043", "户", "泸定县", "2014年")
    assert people["thing"] == households["thing"] == "建档立卡贫困人口"


def test_magnitudes_and_quotes_of_the_original():
    rows = seed_records("003")
    assert find(rows, "10.4923万人")["value"] == "104923"
    assert find(rows, "102.41亿元")["value"] == "10241000000"
    visits = find(seed_records("004"), "12.5萬(wàn)人次")
    assert (visits["value"], visits["unit"]) == ("125000", "人次")


def test_not_quantities():
    texts = {r["text"] for r in seed_records("003") + seed_records("004")}
    assert not any(t for t in texts if "13221" in t or "0888" in t or "2018年8月" in t)


def test_thing_after_counter_and_before_number():
    rows = records("对于82个贫困村，每村建设电站。全县总人口8.8万人。实现全县8万人民的美好生活。")
    assert find(rows, "82个")["thing"] == "贫困村"
    assert find(rows, "8.8万人")["thing"] == "总人口"
    assert find(rows, "8万人")["thing"] == "人民"


def test_place_is_the_one_the_sentence_names():
    rows = records("甲乙县2015年有贫困人口4120户、14230人。丙丁县2015年有贫困人口6320户。")
    assert find(rows, "14230人")["place"] == "甲乙县"
    assert find(rows, "6320户")["place"] == "丙丁县"


def test_time_is_the_last_time_before_the_claim_in_its_sentence():
    rows = records("2014年，全县贫困人口10493人。到2017年底，已累计减贫9428人，贫困发生率降至1.58%。")
    assert find(rows, "10493人")["time"] == "2014年"
    assert find(rows, "1.58%")["time"] == "2017年"


def test_a_top_level_heading_gives_its_year_to_the_claims_of_its_section():
    text = ("一、2024年工作回顾\n粮食总产量52.3万吨。\n二、2025年主要任务\n粮食总产量稳定在50万吨以上，"
            "每年新建高标准农田2万亩。\n")
    rows = records(text)
    assert find(rows, "52.3万吨")["time"] == "2024年"
    assert find(rows, "50万吨以上")["time"] == "2025年"
    assert find(rows, "2万亩")["time"] == ""  # every year: no one year's figure


def test_a_stated_time_wins_over_the_section_year():
    rows = records("一、2024年工作回顾\n2020年全县人口12.1万人。\n")
    assert find(rows, "12.1万人")["time"] == "2020年"


def test_words_joined_by_and_are_no_place_and_one_character_stems_name_no_document():
    rows = records("培育龙头企业和上市公司12家。")
    assert find(rows, "12家")["place"] == ""
    text = "，产区建设加快，产业产值增长，生产总值8亿元，产量增加。"
    assert analyze(Document("t.txt", text, "utf-8")).place == ""
