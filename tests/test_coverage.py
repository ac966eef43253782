"""Coverage: "0 findings" cannot hide a check that never ran. Per document
and in total: claims, rules run, relations checked, verified, failed and not
assessable, in JSON, SARIF, the terminal summary, Markdown and HTML."""

import json

import pytest

from auditor.checks import KINDS
from auditor.checks.base import Rule, RuleKind, Span, fail, hold
from auditor.config import Settings
from auditor.findings import NotAssessable
from auditor.ingest import Document
from auditor.pipeline import audit_documents, audit_text
from auditor.report import render


class FakeKind(RuleKind):
    """A kind for this test: for every claim, fails on 7, cannot judge 5, else holds."""

    name = "fake"

    def evaluate(self, rule, documents):
        for document in documents:
            for claim in document.claims:
                span = Span(document, claim.start, claim.end, "claim")
                if claim.quantity.value == 7:
                    yield fail(rule, {}, "7 is wrong", [span])
                elif claim.quantity.value == 5:
                    yield NotAssessable(rule.id, rule.kind, "base never stated", (span.evidence(),), rule.name)
                else:
                    yield hold(rule, {}, "fine", [span])


RULE = Rule(id="FK01", name="fake.rule", kind="fake", severity="warning", description="d", message="m")


@pytest.fixture
def fake_kind(monkeypatch):
    KINDS.get("sum")  # fill the lazy registry first
    monkeypatch.setitem(KINDS, "fake", FakeKind)


def test_coverage_counts_claims_rules_and_relations_per_document_and_in_total(fake_kind):
    documents = [Document("a.txt", "甲村有农户7户，乙村有农户5户，丙村有农户9户。", "utf-8"),
                 Document("b.txt", "丁村有农户5户。", "utf-8")]
    report = audit_documents(documents, Settings(select=("FK01",)), ruleset=[RULE])
    coverage = report.to_dict()["coverage"]
    rows = {row["path"]: row for row in coverage["documents"]}
    assert rows["a.txt"] == {"path": "a.txt", "claims": 3, "rules_run": 1, "checked": 3,
                             "verified": 1, "failed": 1, "not_assessable": 1}
    assert (rows["b.txt"]["claims"], rows["b.txt"]["checked"], rows["b.txt"]["not_assessable"]) == (1, 1, 1)
    assert coverage["total"] == {"documents": 2, "claims": 4, "rules_run": 1, "checked": 4,
                                 "verified": 1, "failed": 1, "not_assessable": 2}
    assert coverage["not_assessable_by_rule"] == {"FK01": 2}
    assert len(report.verified) == 1, "a NotAssessable is not a verified relation"


def test_a_text_without_claims_says_so_instead_of_passing_silently():
    coverage = audit_text("各项工作有序推进。").to_dict()["coverage"]
    assert coverage["total"]["claims"] == 0 and coverage["total"]["checked"] == 0
    assert coverage["total"]["rules_run"] > 0


def test_coverage_appears_in_every_format(fake_kind, capsys):
    from auditor.report.terminal import print_report

    report = audit_documents([Document("a.txt", "甲村有农户7户，乙村有农户5户。", "utf-8")],
                             Settings(select=("FK01",)), ruleset=[RULE])
    data = report.to_dict()
    sarif = json.loads(render(data, "sarif"))
    assert sarif["runs"][0]["properties"]["coverage"] == data["coverage"]
    print_report(report)
    assert ("coverage: documents 1, claims 2, rules run 1, checked 2, verified 0, failed 1, not assessable 1"
            in capsys.readouterr().out)
    for fmt in ("md", "html"):
        assert "not assessable" in render(data, fmt).lower(), fmt
