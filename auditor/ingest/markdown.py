"""Markdown: the prose is audited, code and metadata are not.

Front matter (YAML between `---` lines, or TOML between `+++` lines, at the
very top) and fenced code blocks (``` or ~~~, CommonMark rules: up to three
spaces of indent, a closing fence of the same character at least as long)
are blanked out: every character but line breaks becomes a space, so every
offset, line and column of the prose stays where it was in the file.
"""

from __future__ import annotations

import re

_FENCE = re.compile(r"^( {0,3})(`{3,}|~{3,})(.*)$")
_FRONT_MATTER = {"---": ("---", "..."), "+++": ("+++",)}


def blank_code(text: str) -> tuple[str, int]:
    """`text` with front matter and fenced code blocks blanked; also how many
    such blocks there were."""
    lines = text.splitlines(keepends=True)
    blank = [False] * len(lines)
    blocks = 0
    index = 0
    if lines and lines[0].rstrip("\r\n").rstrip() in _FRONT_MATTER:
        closing = _FRONT_MATTER[lines[0].rstrip("\r\n").rstrip()]
        for end in range(1, len(lines)):
            if lines[end].rstrip("\r\n").rstrip() in closing:
                for i in range(end + 1):
                    blank[i] = True
                blocks += 1
                index = end + 1
                break
    while index < len(lines):
        opening = _FENCE.match(lines[index].rstrip("\r\n"))
        # A backtick fence's info string may not contain a backtick.
        if not opening or (opening.group(2)[0] == "`" and "`" in opening.group(3)):
            index += 1
            continue
        fence = opening.group(2)
        end = index + 1
        while end < len(lines):
            closing = _FENCE.match(lines[end].rstrip("\r\n"))
            if (closing and closing.group(2)[0] == fence[0] and len(closing.group(2)) >= len(fence)
                    and not closing.group(3).strip()):
                break
            end += 1
        # An unclosed fence runs to the end of the document (CommonMark).
        for i in range(index, min(end + 1, len(lines))):
            blank[i] = True
        blocks += 1
        index = end + 1
    if not blocks:
        return text, 0
    out = [re.sub(r"[^\r\n]", " ", line) if blanked else line for line, blanked in zip(lines, blank)]
    return "".join(out), blocks
