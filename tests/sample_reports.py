"""Hand-built reports for the report-format tests (no rule engine needed)."""

from dataclasses import replace

from auditor.findings import DocumentSummary, Evidence, Finding, Report, Verified, assign_fingerprints

HOSTILE = "<script>document.title='pwned'</script>\"><img src=x onerror=\"document.body.setAttribute('data-pwned','1')\">"


def evidence_in(text: str, path: str, quoted: str, role: str = "", occurrence: int = 0) -> Evidence:
    """Evidence for the `occurrence`-th `quoted` in `text`, as the pipeline would make it."""
    start = -1
    for _ in range(occurrence + 1):
        start = text.index(quoted, start + 1)
    end = start + len(quoted)
    line = text.count("\n", 0, start) + 1
    line_start = text.rfind("\n", 0, start) + 1
    before = text[max(0, start - 30):start].rsplit("\n", 1)[-1]
    after = text[end:end + 30].split("\n", 1)[0]
    return Evidence(path, start, end, line, start - line_start + 1, quoted, role, before, after)


VILLAGES = "概况\n全县共有行政村141个，其中贫困村82个、非贫困村69个。\n"
HOUSEHOLDS = "2014年全县有贫困户3043户、贫困人口10493人。\n到2017年底累计减贫2716户9428人。\n"
HOSTILE_TEXT = f"标题\n说明{HOSTILE}共有5个 | 乡镇*重点*。\n"


def sample_report(baseline: str | None = None) -> Report:
    """Three documents: a sum mismatch, a restatement, hostile markup in a quote, one verified relation."""
    findings = [
        Finding("AR01", "sum", "error", "parts add up to 151, the total says 141 (difference 10)",
                "82 + 69 = 151 ≠ 141",
                (evidence_in(VILLAGES, "docs/villages.txt", "141个", "total"),
                 evidence_in(VILLAGES, "docs/villages.txt", "82个", "part"),
                 evidence_in(VILLAGES, "docs/villages.txt", "69个", "part")),
                symbol="arithmetic.sum-of-parts"),
        Finding("PR01", "precision", "info", "10493 / 3043 = 3.45 people per household",
                "10493 / 3043 = 3.448", (evidence_in(HOUSEHOLDS, "docs/households.txt", "10493人"),),
                symbol="plausibility.per-unit"),
        Finding("EN01", "enumeration", "warning", "stated count 5 | listed <b>4</b> items",
                "count(items) = 4 ≠ 5", (evidence_in(HOSTILE_TEXT, "docs/hostile.txt", "5个"),
                                         evidence_in(HOSTILE_TEXT, "docs/hostile.txt", HOSTILE, "items")),
                symbol="enumeration.count"),
    ]
    findings = assign_fingerprints(findings)
    if baseline:
        findings = [replace(f, status="known" if f.rule == "PR01" else "new") for f in findings]
    verified = [Verified("RT01", "rate", "2716 of 3043 households lifted", "2716 / 3043 = 89.3%",
                         (evidence_in(HOUSEHOLDS, "docs/households.txt", "2716户"),), symbol="rate.share")]
    documents = [DocumentSummary("docs/villages.txt", "utf-8", len(VILLAGES), 3),
                 DocumentSummary("docs/households.txt", "gb18030", len(HOUSEHOLDS), 4),
                 DocumentSummary("docs/hostile.txt", "utf-8", len(HOSTILE_TEXT), 1)]
    rules = [{"id": "AR01", "name": "arithmetic.sum-of-parts", "kind": "sum", "severity": "error",
              "description": "Parts must add up to the stated whole.\n\nAnti-pattern: 共有141个，其中82个、69个。"}]
    return Report(documents=documents, findings=findings, verified=verified,
                  skipped=[{"path": "docs/photo.png", "reason": "binary file"}], baseline=baseline, rules=rules)
