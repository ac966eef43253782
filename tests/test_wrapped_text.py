"""Hard-wrapped text (exports from PDF or mail) reads like the unwrapped one."""

from pathlib import Path

import pytest
import regex

from auditor.config import Settings
from auditor.ingest import Document
from auditor.pipeline import audit_documents

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def wrap(text: str, width: int) -> str:
    """Break every long line near `width` characters, between two Han characters."""
    out = []
    for line in text.split("\n"):
        while len(line) > width:
            cut = next((i for i in range(width, len(line) - 1)
                        if regex.match(r"\p{Han}\p{Han}", line[i - 1:i + 1])), len(line))
            out.append(line[:cut])
            line = line[cut:]
        out.append(line)
    return "\n".join(out)


def relations(text: str, name: str):
    report = audit_documents([Document(name, text, "utf-8")], Settings(reports=False))
    verified = sorted(v.computation for v in report.verified if v.kind != "enumeration")
    loud = sorted((f.rule, f.computation) for f in report.findings
                  if f.severity != "info" and f.kind not in ("duplicate_passage", "text_damage"))
    return verified, loud


@pytest.mark.parametrize("seed", ["000", "001", "003"])
@pytest.mark.parametrize("width", [24, 37])
def test_wrapped_seed_gives_the_same_relations(seed, width):
    path = next(SEEDS.glob(f"{seed}_*.txt"))
    text = path.read_text(encoding="utf-8")
    assert relations(wrap(text, width), path.name) == relations(text, path.name)


def test_headings_stay_apart():
    text = "工作成效\n全县共有行政村30个，其中贫困村12个、非贫困村18个。\n下一步打算\n继续巩固脱贫成果。\n"
    report = audit_documents([Document("t.txt", text, "utf-8")], Settings(reports=False))
    assert any("12 + 18 = 30" in v.computation for v in report.verified)
