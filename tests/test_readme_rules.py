"""Every rule has the README heading its SARIF helpUri points at."""

import re
from pathlib import Path

from auditor.config import Settings
from auditor.report.sarif import readme_anchor
from auditor.ruleset import load_ruleset

README = Path(__file__).resolve().parent.parent / "README.md"


def _anchors() -> set[str]:
    headings = re.findall(r"(?m)^#{1,6} (.+)$", README.read_text(encoding="utf-8"))
    return {re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-") for h in headings}


def test_every_rule_has_its_readme_section():
    anchors = _anchors()
    missing = [r.id for r in load_ruleset(Settings()) if readme_anchor({"id": r.id, "name": r.name}) not in anchors]
    assert not missing, f"README has no '#### ID symbol' heading for {missing}"
