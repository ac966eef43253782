"""What every report format needs from the report record: findings grouped by
document, locations, and end positions of evidence spans."""

from __future__ import annotations

import re

SEVERITY_ORDER = ("error", "warning", "info")
SEVERITY_MARK = {"error": "✗", "warning": "!", "info": "i"}
LONG_SPAN = 160  # a quoted span longer than this (a repeated passage) is shown as its head and tail


# what an evidence role is to a reader: one colour each for part, whole, share and restatement
LEGEND_ROLES = ("part", "whole", "share", "restatement")
_ROLE_COLOURS = {
    "part": "part", "parts": "part", "numerator": "part", "items": "part", "change": "part",
    "whole": "whole", "total": "whole", "base": "whole", "denominator": "whole", "count": "whole",
    "share": "share", "rate": "share", "later rate": "share", "percentage": "share",
    "statement": "restatement", "restatement": "restatement", "previous": "restatement", "first": "restatement",
}
# the verdict signs of a computation: what held, and what failed
_VERDICT = re.compile(r"[✓≠✗]|(?<= )[<>≈≤](?= )")
_HELD_SIGNS = frozenset("✓≈≤")


def role_colour(role: str) -> str:
    """The legend colour of an evidence role ("passage" for a repeated passage, "" for roles outside the legend)."""
    if role.startswith("occurrence"):
        return "passage"
    return _ROLE_COLOURS.get(role, "")


def verdict_segments(computation: str, held: bool, words: tuple[str, ...] = ()) -> list[tuple[str, bool | None]]:
    """The computation cut around its verdict: (text, True held / False failed / None plain).
    The verdict is its signs (✓ ≈ ≤ held, ≠ > < failed) and, in a failed relation, the
    verdict `words` of the report's language (`lies outside`, `truncated`); in a failed
    relation a ≈ is a step of the arithmetic, not its verdict."""
    pattern = _VERDICT
    if words and not held:
        pattern = re.compile(_VERDICT.pattern + "|" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))))
    out: list[tuple[str, bool | None]] = []
    last = 0
    for match in pattern.finditer(computation):
        sign = match.group()
        ok = sign in _HELD_SIGNS
        if not held and ok and sign != "✓":
            continue
        if match.start() > last:
            out.append((computation[last:match.start()], None))
        out.append((sign, ok))
        last = match.end()
    if last < len(computation):
        out.append((computation[last:], None))
    return out


def location(evidence: dict) -> str:
    """`path:line:column` of an evidence record."""
    return f"{evidence['path']}:{evidence['line']}:{evidence['column']}"


def evidence_end(evidence: dict) -> tuple[int, int]:
    """1-based line and column just past the quoted span (columns in code points)."""
    text = evidence["text"]
    if "\n" not in text:
        return evidence["line"], evidence["column"] + len(text)
    return evidence["line"] + text.count("\n"), len(text.rsplit("\n", 1)[1]) + 1


def finding_path(finding: dict) -> str:
    """The document a finding belongs to: that of its first evidence."""
    return finding["evidence"][0]["path"] if finding["evidence"] else ""


def findings_by_document(data: dict) -> list[tuple[str, list[dict]]]:
    """Findings grouped by document (report order), most severe first within each."""
    groups: dict[str, list[dict]] = {}
    for finding in data["findings"]:
        groups.setdefault(finding_path(finding), []).append(finding)
    rank = {severity: index for index, severity in enumerate(SEVERITY_ORDER)}
    return [(path, sorted(items, key=lambda f: rank.get(f["severity"], len(rank))))
            for path, items in groups.items()]


def one_line(text: str) -> str:
    """Text with line breaks shown as spaces, for quotes inside one line."""
    return " ".join(text.splitlines()) if "\n" in text or "\r" in text else text


def quotes(evidence_list: list[dict], t=None) -> list[dict]:
    """The evidence as quotes to show: spans on one line of one document whose
    contexts join up become a single quote with several highlights.

    Each quote is `{"evidence": [records], "pieces": [(text, role or None)]}`,
    where a piece with a role (possibly "") is a highlighted span; `t` (the
    report's Messages) words the note of what a long span leaves out.
    """
    # quotes and the spans listed under them keep the rule's order (the first
    # span is the finding's location); highlights inside a quote go by position
    lines: dict[tuple[str, int], list[dict]] = {}
    for evidence in map(_on_its_line, evidence_list):
        lines.setdefault((evidence["path"], evidence["line"]), []).append(evidence)
    out: list[dict] = []
    for group in lines.values():
        for cluster in _clusters(group):
            joined = _join(cluster) if len(cluster) > 1 else None
            out += [joined] if joined else [_single(evidence) for evidence in cluster]
    for quote in out:
        quote["pieces"] = [piece for text, role in quote["pieces"] for piece in _clipped(text, role, t)]
    return out


def _clipped(text: str, role: str | None, t=None) -> list[tuple[str, str | None]]:
    """A long piece as its head and tail, with a plain note of what was left out between them."""
    if len(text) <= LONG_SPAN:
        return [(text, role)]
    head, tail = text[: LONG_SPAN * 2 // 3], text[-(LONG_SPAN // 3):]
    left_out = len(text) - len(head) - len(tail)
    note = t("quote.left_out", n=f"{left_out:,}") if t else f"{left_out:,} more characters"
    return [(head, role), (f" … {note} … ", None), (tail, role)]


def quote_locations(quote: dict, role_name=None) -> list[str]:
    """`path:line:column (role)` of each span in a quote; after the first, a
    span in the same document shows only `line:column`. `role_name`
    translates a role for display."""
    role_name = role_name or (lambda role: role)
    shown = []
    for number, evidence in enumerate(quote["evidence"]):
        where = location(evidence)
        if number and evidence["path"] == quote["evidence"][0]["path"]:
            where = f"{evidence['line']}:{evidence['column']}"
        shown.append(where + (f" ({role_name(evidence['role'])})" if evidence.get("role") else ""))
    return shown


def _on_its_line(evidence: dict) -> dict:
    """The evidence with its context cut to the line the span is on."""
    before = evidence.get("before", "").rsplit("\n", 1)[-1].rstrip("\r")
    after = evidence.get("after", "").split("\n", 1)[0].rstrip("\r")
    return {**evidence, "before": before, "after": after}


def _clusters(group: list[dict]) -> list[list[dict]]:
    """Spans of one line whose context windows touch, in the order of their first span in `group`."""
    def window(e):
        return e["start"] - len(e.get("before", "")), e["end"] + len(e.get("after", ""))

    clusters: list[list[dict]] = []
    for evidence in sorted(group, key=lambda e: e["start"]):
        if clusters and window(evidence)[0] <= max(window(e)[1] for e in clusters[-1]):
            clusters[-1].append(evidence)
        else:
            clusters.append([evidence])
    first_seen = {id(e): n for n, e in enumerate(group)}
    for cluster in clusters:
        cluster.sort(key=lambda e: first_seen[id(e)])
    return sorted(clusters, key=lambda c: first_seen[id(c[0])])


def _single(evidence: dict) -> dict:
    pieces = [(evidence.get("before", ""), None), (evidence["text"], evidence.get("role", "")),
              (evidence.get("after", ""), None)]
    return {"evidence": [evidence], "pieces": [p for p in pieces if p[0]]}


def _join(evidence_list: list[dict]) -> dict | None:
    """One quote for spans whose context windows cover the gaps between them."""
    chars: dict[int, str] = {}
    for evidence in evidence_list:
        window = evidence.get("before", "") + evidence["text"] + evidence.get("after", "")
        origin = evidence["start"] - len(evidence.get("before", ""))
        for index, char in enumerate(window):
            chars[origin + index] = char
    first, last = min(chars), max(chars)
    if len(chars) != last - first + 1:
        return None
    pieces: list[tuple[str, str | None]] = []
    cursor = first
    for evidence in sorted(evidence_list, key=lambda e: e["start"]):
        if evidence["start"] < cursor or "\n" in evidence["text"]:
            return None   # overlapping or multi-line spans are quoted one by one
        if evidence["start"] > cursor:
            pieces.append(("".join(chars[i] for i in range(cursor, evidence["start"])), None))
        pieces.append((evidence["text"], evidence.get("role", "")))
        cursor = evidence["end"]
    if cursor <= last:
        pieces.append(("".join(chars[i] for i in range(cursor, last + 1)), None))
    return {"evidence": list(evidence_list), "pieces": pieces}
