
"""Restatements across files: only the same place and the same stated year."""

from auditor.config import Settings
from auditor.ingest import Document
from auditor.pipeline import audit_documents


def restatements(*texts):
    documents = [Document(f"{i}.txt", text, "utf-8") for i, text in enumerate(texts)]
    return [f for f in audit_documents(documents, Settings(reports=False)).findings if f.rule == "RST01"]


def test_same_place_same_year_contradiction_across_files():
    found = restatements("青川县2018年建档立卡贫困户共有2150户。", "青川县2018年建档立卡贫困户共有2510户。")
    assert len(found) == 1 and {e.path for e in found[0].evidence} == {"0.txt", "1.txt"}


def test_other_place_or_unstated_year_is_not_compared():
    assert not restatements("青川县2018年建档立卡贫困户共有2150户。", "剑阁县2018年建档立卡贫困户共有2510户。")
    assert not restatements("青川县建档立卡贫困户共有2150户。", "青川县建档立卡贫困户共有2510户。")
    assert not restatements("青川县2018年建档立卡贫困户共有2150户。", "青川县2019年建档立卡贫困户共有2510户。")
