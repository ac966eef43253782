"""The word lists of claims and quantities are data (auditor/data/*.yaml):
plain words, no duplicates, and the patterns built from them read text as
the lists say."""

from pathlib import Path

import pytest
import yaml

from auditor.claims import analyze
from auditor.ingest import Document
from auditor.quantities import extract_quantities

DATA = Path(__file__).parents[1] / "auditor" / "data"
METACHARACTERS = set(".^$*+?{}[]\\|()")


def word_lists(name):
    data = yaml.safe_load((DATA / name).read_text(encoding="utf-8"))
    for key, value in data.items():
        if isinstance(value, list) and all(isinstance(word, str) for word in value):
            yield key, value
        elif isinstance(value, dict):
            yield key, list(value)


@pytest.mark.parametrize("name", ["claims.yaml", "quantities.yaml"])
def test_lists_hold_plain_words_once_each(name):
    lists = dict(word_lists(name))
    assert lists, f"{name} holds no word list"
    for key, words in lists.items():
        assert words, f"{name}: {key} is empty"
        assert len(words) == len(set(words)), f"{name}: {key} repeats a word"
        for word in words:
            assert not METACHARACTERS & set(word) or word in ("$", "¥"), f"{name}: {key}: {word!r} is no plain word"


def claims_of(text):
    return analyze(Document(path="own.txt", text=text, encoding="utf-8")).claims


def test_thing_stops_and_leading_noise_cut_the_thing():
    thing = claims_of("全乡共有建档立卡贫困户120户，已经全部脱贫。")[0].thing
    assert thing == "建档立卡贫困户"


def test_place_levels_and_stop_words():
    claims = claims_of("青石县2021年新建道路30公里。")
    assert claims[0].place == "青石县"
    assert claims[0].time == "2021年"
    # 贫困县 names no place: 贫困 is a stop word of place stems
    assert claims_of("2021年，贫困县新建道路30公里。")[0].place != "贫困县"


def test_implied_units_and_counter_nouns():
    claim = claims_of("共有15.2万贫困人口。")[0]
    assert claim.unit == "人"


def test_qualifier_words_and_the_words_they_are_not():
    about, = extract_quantities("约300户")
    assert about.qualifier == "approx" and about.low < about.value
    recent = extract_quantities("最近300户")[0]
    assert recent.qualifier == "exact"
    assert [q.unit for q in extract_quantities("5个市场")] != ["个市"]


def test_sign_units():
    money, = extract_quantities("¥300")
    assert money.unit == "元"
