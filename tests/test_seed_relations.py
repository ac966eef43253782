"""The seeds: what must be verified, what must be found, and nothing more.

The mutation test changes one number of each verified relation at a time
and requires a warning or error whose evidence covers the changed number.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from auditor.config import Settings
from auditor.ingest import Document
from auditor.pipeline import audit_documents

SEEDS = Path(__file__).resolve().parent.parent / "seeds"
RELATION_KINDS = {"sum", "share", "subset", "enumeration", "restatement", "rate", "per_unit", "range", "precision"}


def seed(prefix: str) -> Path:
    return next(SEEDS.glob(f"{prefix}_*.txt"))


def audit(text: str, name: str = "seed.txt"):
    return audit_documents([Document(name, text, "utf-8")], Settings(reports=False))


@pytest.fixture(scope="module")
def seed_reports():
    return {p.name[:3]: (p.read_text(encoding="utf-8"), audit(p.read_text(encoding="utf-8"), p.name))
            for p in sorted(SEEDS.glob("*.txt"))}


def computations(report, rule_prefix=""):
    return [v.computation for v in report.verified if v.rule.startswith(rule_prefix)]


def test_parts_and_wholes_verified(seed_reports):
    assert any("82 + 59 = 141 ✓" in c for c in computations(seed_reports["001"][1], "SUM"))
    assert any("7 + 5 = 12 ✓" in c for c in computations(seed_reports["000"][1], "SUM"))


def test_incidence_chain_verified(seed_reports):
    chain = [c for c in computations(seed_reports["000"][1], "RATE")]
    assert any("(10493 − 9428)" in c and "1.583%" in c and "✓" in c for c in chain), chain


def test_village_shares_and_annual_target_verified(seed_reports):
    shares = computations(seed_reports["003"][1], "SHR")
    for part, share in (("247", "80%"), ("302", "98%"), ("229", "74%"), ("241", "78%"), ("284", "92%")):
        assert any(c.startswith(f"{part} / 308 =") and c.endswith(f"≈ {share} ✓") for c in shares), (part, shares)
    assert any(c.startswith("104923 / 152157 = 68.957%") and "✓" in c for c in shares), shares


def test_subset_verified(seed_reports):
    subsets = [v for v in seed_reports["003"][1].verified if v.kind == "subset"]
    assert any({"102.41億元", "22.48億元"} <= {e.text for e in v.evidence}
               or {"102.41亿元", "22.48亿元"} <= {e.text for e in v.evidence} for v in subsets)


def test_findings_on_seeds_are_the_known_ones(seed_reports):
    truncated = [f for f in seed_reports["003"][1].findings if f.kind == "precision"]
    assert sorted(f.evidence[-1].text for f in truncated) == ["81%", "82%", "94%"]
    assert all(f.severity == "info" for f in truncated)
    restated = [f for f in seed_reports["000"][1].findings if f.kind == "restatement"]
    assert len(restated) == 1 and restated[0].severity == "warning"
    assert {e.text for e in restated[0].evidence} == {"8.8萬人", "8萬人"} or "8萬" in restated[0].evidence[1].text
    for key, (_, report) in seed_reports.items():
        loud = [f for f in report.findings if f.severity != "info" and f.kind in RELATION_KINDS
                and f.kind != "restatement"]
        assert not loud, (key, [(f.rule, f.message, f.computation) for f in loud])


def _mutations(text: str, start: int, end: int):
    """Change the leading digit of the number in text[start:end] (length kept)."""
    for offset in range(start, end):
        if text[offset].isdigit():
            digit = int(text[offset])
            replacement = str(digit + 1) if digit < 9 else "1"
            return [(offset, replacement)]
    chinese = "一二三四五六七八九"
    for offset in range(start, end):
        if text[offset] in chinese:
            index = chinese.index(text[offset])
            return [(offset, chinese[(index + 1) % 9])]
    return []


def _relations_to_mutate():
    out = []
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        report = audit(text, path.name)
        for verified in report.verified:
            if verified.kind in ("subset", "per_unit", "restated") or "≤" in verified.computation:
                continue  # inequalities, and listings of agreement: a changed number can still satisfy them
            for evidence in verified.evidence:
                if not any(ch.isdigit() for ch in evidence.text) and evidence.role not in ("count", "stated"):
                    continue  # only numbers are mutated, not the items of a list
                for offset, replacement in _mutations(text, evidence.start, evidence.end):
                    out.append(pytest.param(path.name, offset, replacement,
                                            id=f"{path.name[:3]}:{verified.rule}:{evidence.text}@{offset}"))
    return out


@pytest.mark.parametrize("name,offset,replacement", _relations_to_mutate())
def test_changing_a_verified_number_is_caught(name, offset, replacement):
    text = (SEEDS / name).read_text(encoding="utf-8")
    mutated = text[:offset] + replacement + text[offset + 1:]
    report = audit(mutated, name)
    covering = [f for f in report.findings if f.severity in ("warning", "error")
                and any(e.start <= offset < e.end for e in f.evidence)]
    assert covering, f"no finding covers the change {text[offset]}→{replacement} at {offset}"
