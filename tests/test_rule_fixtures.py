"""Rule cases as data, in the manner of sqlfluff's YAML rule cases.

Each file tests/fixtures/rules/<RULE>.yaml holds named cases:

    rule: SUM01
    cases:
      pass_parts_match:
        text: 全县共有行政村141个，其中贫困村82个、非贫困村59个。
        verified: [{rule: SUM01, numbers: ["141", "82", "59"]}]
      fail_parts_mismatch:
        text: ...
        findings: [{rule: SUM01, severity: error, numbers: ["69"]}]

A case lists only what matters. `findings` (default: none) must match the
findings of the file's rule one for one; `verified` entries must each be
present. `numbers` are substrings that must each occur in some evidence
text; `match` is one such substring. Cases named pass_* must yield no
finding of the rule.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from auditor.config import Settings
from auditor.pipeline import audit_text

FIXTURES = Path(__file__).parent / "fixtures" / "rules"


def _cases():
    for path in sorted(FIXTURES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for name, case in data["cases"].items():
            yield pytest.param(data["rule"], name, case, id=f"{path.stem}:{name}")


def _matches(record: dict, expected: dict) -> bool:
    texts = [e.text for e in record.evidence]
    if expected.get("rule") and record.rule != expected["rule"]:
        return False
    if expected.get("severity") and getattr(record, "severity", None) != expected["severity"]:
        return False
    wanted = list(expected.get("numbers", [])) + ([expected["match"]] if "match" in expected else [])
    if not all(any(w in t for t in texts) for w in wanted):
        return False
    if "computation" in expected and expected["computation"] not in record.computation:
        return False
    return True


@pytest.mark.parametrize("rule,name,case", list(_cases()))
def test_rule_case(rule, name, case):
    report = audit_text(case["text"], Settings(), path=f"{name}.txt")
    own = [f for f in report.findings if f.rule == rule]
    expected = case.get("findings") or []
    if name.startswith("pass"):
        assert not expected, "a pass_ case cannot expect findings"
    unmatched = list(own)
    for want in expected:
        hit = next((f for f in unmatched if _matches(f, want)), None)
        assert hit is not None, f"expected finding {want} not among {[(f.rule, f.message, f.computation) for f in own]}"
        unmatched.remove(hit)
    assert not unmatched, f"unexpected findings: {[(f.rule, f.message, f.computation) for f in unmatched]}"
    for want in case.get("verified") or []:
        assert any(_matches(v, want) for v in report.verified), (
            f"expected verified {want} not among {[(v.rule, v.computation) for v in report.verified]}")
    for unwanted in case.get("not_verified") or []:
        assert not any(_matches(v, unwanted) for v in report.verified)


def test_every_rule_has_passing_and_failing_cases():
    from auditor.ruleset import load_ruleset

    covered: dict[str, set[str]] = {}
    for path in FIXTURES.glob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        kinds = covered.setdefault(data["rule"], set())
        for name in data["cases"]:
            kinds.add("pass" if name.startswith("pass") else "fail" if name.startswith("fail") else "other")
    for rule in load_ruleset(Settings()):
        if rule.kind in ("duplicate_passage", "text_damage"):
            continue
        if rule.kind in ("restated", "period_total"):  # they only list agreement: no failing case by design
            assert "pass" in covered.get(rule.id, set()), f"{rule.id} needs pass_ cases"
            continue
        assert {"pass", "fail"} <= covered.get(rule.id, set()), f"{rule.id} needs pass_ and fail_ cases"
