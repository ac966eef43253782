"""Text damage: mojibake, lost characters and words, surviving annotations.

Damage is found in the normalized text of one document (a pure function of
that document) and quoted from the original through the OffsetMap. Every
finding is of kind `text_damage`, at `settings.damage_severity`.

Signals, all independent of any particular text:
- mojibake: characters outside GB2312 (rare in Simplified Chinese prose),
  private-use code points, and `?!` / `??` glued to the next character,
  where a wrong decoding ate a closing `。”` and part of the next character;
  a run is reported when it holds a strong signal or several weak ones;
- a lost character: U+FFFD, or an ASCII `?` standing where a character was
  (between Han characters, or at a line start before Han text) that does not
  end a question;
- empty quotation marks `“”` next to Han text: the quoted word was lost;
- pinyin annotations the normalizer could not remove because their opening
  parenthesis or their character was lost (`字?jǐn)?shù)`);
- a declared length (`字数3520`) far from the length of the text.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from functools import lru_cache

import regex

from . import patterns
from .findings import Finding

KIND = "text_damage"

DEFAULT_SEVERITY = "info"  # every DMG rule reports at settings.damage_severity
# id → (symbol, default severity, one-line description)
DAMAGE_RULES = {
    "DMG01": ("damage.mojibake", DEFAULT_SEVERITY,
              "a run of characters implausible in Simplified Chinese, left by a wrong decoding"),
    "DMG02": ("damage.replacement-character", DEFAULT_SEVERITY, "U+FFFD or a stray `?` where a character was lost"),
    "DMG03": ("damage.empty-quotes", DEFAULT_SEVERITY, "empty quotation marks where the quoted word was lost"),
    "DMG04": ("damage.pinyin-annotation", DEFAULT_SEVERITY, "a pinyin annotation that survived normalization"),
    "DMG05": ("damage.declared-length", DEFAULT_SEVERITY, "a declared length (字数) that does not match the text"),
}

TONES = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹḿ"
LETTERS = "a-zü" + TONES
_PINYIN_BODY = rf"(?=[{LETTERS} ]*[{TONES}ü])[{LETTERS}]{{1,7}} ?\)"
# `?jǐn)`: the character and its opening parenthesis became `?`; `r(nóng)`:
# the annotated character itself was mangled into something not Han.
LEFTOVER_PINYIN = patterns.compiled(rf"\?\(?{_PINYIN_BODY}|(?<![\p{{Han}}?])\({_PINYIN_BODY}")
EMPTY_QUOTES = patterns.compiled(r"(?:“”|‘’|「」|『』|《》|\"\")")
GLUED_MARKS = patterns.compiled(r"\?[?!]+(?=[\p{Han}\p{Co}])")
# Interrogatives, sentence-final particles and A-not-A questions (值不值).
QUESTION_WORDS = patterns.compiled(r"什么|怎么|如何|哪|谁|多少|几|是否|没有|难道|岂|吗|呢|么|吧|啊|嘛|(\p{Han})[不没]\1")
DECLARED_LENGTH = patterns.compiled(
    r"字\s*(?:数|\?[^\d\n]{0,12}?)\s*[::]?\s*(\d{2,7})(?!\d)|全文(?:共|约)?\s*(\d{2,7})\s*字"
)
HAN = patterns.compiled(r"\p{Han}")
HAN_RUN = patterns.compiled(r"\p{Han}+")
QUESTION_MARK = patterns.compiled(r"\?")
ANCHOR_GAP = 3        # anchors this close together form one damaged run
WEAK_ANCHORS_FOR_RUN = 3


@dataclass
class _Run:
    start: int
    end: int
    strong: int = 0
    weak: int = 0
    marks: int = 0   # stray `?` adjacent to Han


def find_text_damage(source, settings) -> list[Finding]:
    """All damage findings for one SourceText, in text order."""
    text = source.text
    severity = settings.damage_severity
    found: list[tuple[int, int, str, str, str]] = []  # start, end, rule, message, computation

    pinyin_spans = _merge_adjacent([m.span() for m in LEFTOVER_PINYIN.finditer(text)])
    for start, end in pinyin_spans:
        found.append((start, end, "DMG04", f"pinyin annotation left in the text: `{text[start:end]}`",
                      "a parenthesized pinyin syllable with tone mark whose character or opening parenthesis was lost"))
    in_pinyin = set()
    for start, end in pinyin_spans:
        in_pinyin.update(range(start, end))

    runs, lone_marks = _mojibake_runs(source, in_pinyin)
    for run in runs:
        # Private-use code points print as nothing; name them.
        quote = "".join(f"\\u{ord(c):04x}" if _private_use(c) else c for c in text[run.start:run.end])
        reasons = []
        if run.strong:
            reasons.append(f"{run.strong} private-use or glued `?!` character(s)")
        if run.weak:
            reasons.append(f"{run.weak} character(s) outside GB2312")
        if run.marks:
            reasons.append(f"{run.marks} stray `?`")
        found.append((run.start, run.end, "DMG01", f"mojibake: `{quote}`", "; ".join(reasons)))
    for position in lone_marks:
        found.append((position, position + 1, "DMG02", "`?` where a character was lost",
                      "an ASCII `?` between Han characters (or before Han text at a line start) that ends no question"))
    for match in regex.finditer("\ufffd+", text):
        found.append((match.start(), match.end(), "DMG02",
                      f"{match.end() - match.start()} replacement character(s) U+FFFD: text lost in decoding",
                      "U+FFFD is what a decoder writes for bytes it could not read"))
    for match in EMPTY_QUOTES.finditer(text):
        if _han_at(text, match.start() - 1) or _han_at(text, match.end()):
            context = text[max(0, match.start() - 6):match.end() + 2]
            found.append((match.start(), match.end(), "DMG03", f"empty quotation marks: `{context}`",
                          "quotation marks with nothing between them; the quoted word was probably lost"))
    found.extend(_declared_length(text, settings.declared_length_tolerance))

    found.sort(key=lambda item: (item[0], item[2]))
    return [
        Finding(rule=rule, kind=KIND, severity=severity, message=message, computation=computation,
                evidence=(source.evidence(start, end, "damaged text"),), symbol=DAMAGE_RULES[rule][0])
        for start, end, rule, message, computation in found
    ]


def _mojibake_runs(source, excluded: set[int]) -> tuple[list[_Run], list[int]]:
    """Damaged runs (several anchors close together) and lone stray `?`."""
    text = source.text
    anchors: list[tuple[int, str]] = []
    glued_end: dict[int, int] = {}
    for match in GLUED_MARKS.finditer(text):
        if match.start() in excluded:
            continue
        for index in range(match.start(), match.end()):
            anchors.append((index, "strong"))
        glued_end[match.end()] = match.end()
    taken = {index for index, _ in anchors}
    # Only characters outside GB2312 and `?` can be anchors: the codec finds
    # the former in one pass, instead of a Python test per character.
    for index in sorted(_outside_gb2312(text) + [m.start() for m in QUESTION_MARK.finditer(text)]):
        if index in taken or index in excluded:
            continue
        char = text[index]
        if _private_use(char):
            anchors.append((index, "strong"))
        elif char == "?":
            if _stray_question_mark(source, index):
                anchors.append((index, "mark"))
        elif HAN.match(char) and not _in_gb2312(char):
            anchors.append((index, "weak"))
    anchors.sort()

    runs: list[_Run] = []
    for index, strength in anchors:
        last = runs[-1] if runs else None
        if last and index - last.end < ANCHOR_GAP and "\n" not in text[last.end:index]:
            last.end = index + 1
        else:
            last = _Run(index, index + 1)
            runs.append(last)
        setattr(last, "marks" if strength == "mark" else strength,
                getattr(last, "marks" if strength == "mark" else strength) + 1)

    reported, lone_marks = [], []
    for run in runs:
        if run.strong or run.weak >= WEAK_ANCHORS_FOR_RUN or (run.weak and run.marks):
            _extend(run, text, glued_end, excluded)
            reported.append(run)
        elif run.marks and not run.weak:
            lone_marks.extend(i for i in range(run.start, run.end) if text[i] == "?")
    return reported, lone_marks


def _extend(run: _Run, text: str, glued_end: dict[int, int], excluded: set[int]) -> None:
    # The character right after a glued `?!` is the rest of the mangled
    # quotation mark; ASCII letters stuck to a rare character are debris too.
    if run.end in glued_end and run.end < len(text) and run.end not in excluded:
        run.end += 1
    while run.end < len(text) and text[run.end].isascii() and text[run.end].isalpha() \
            and run.end not in excluded and not _in_gb2312(text[run.end - 1]):
        run.end += 1


def _stray_question_mark(source, index: int) -> bool:
    """An ASCII `?` in the original that stands where a character was lost."""
    text = source.text
    start, end = source.normalized.offsets.to_original(index, index + 1)
    if source.document.text[start:end] != "?":
        return False  # a full-width `？` is a real question mark
    after = index + 1
    if after < len(text) and text[after] == " ":
        after += 1
    if not (_han_at(text, after) or (after < len(text) and _private_use(text[after]))):
        return False
    if index == 0 or text[index - 1] == "\n":
        return True  # a question cannot start a line
    if not _han_at(text, index - 1):
        return False
    clause_start = max(text.rfind(mark, 0, index) for mark in "。!?;\n,")
    return not QUESTION_WORDS.search(text, clause_start + 1, index)


def _declared_length(text: str, tolerance: float) -> list[tuple[int, int, str, str, str]]:
    out = []
    han = visible = None
    for match in DECLARED_LENGTH.finditer(text):
        if han is None:   # counted once, and only in a text that declares its length
            han = sum(map(len, HAN_RUN.findall(text)))
            visible = sum(map(len, text.split()))  # str.split() cuts on exactly what isspace() is
        declared = int(match.group(1) or match.group(2))
        # Word counters differ: some count Han characters only, others every
        # visible character; the declaration is plausible anywhere between.
        low, high = han * (1 - tolerance), visible * (1 + tolerance)
        if low <= declared <= high:
            continue
        counted = han if declared < low else visible
        out.append((match.start(), match.end(), "DMG05",
                    f"declared length {declared:,} does not match the text ({han:,} Han characters, "
                    f"{visible:,} visible characters)",
                    f"declared {declared:,} vs counted {counted:,} ({'Han' if counted == han else 'visible'} characters), "
                    f"difference {abs(declared - counted) / max(counted, 1):.0%}, tolerance {tolerance:.0%}: "
                    "text may be lost or added"))
    return out


def _merge_adjacent(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def _han_at(text: str, index: int) -> bool:
    return 0 <= index < len(text) and HAN.match(text[index]) is not None


def _private_use(char: str) -> bool:
    return "\ue000" <= char <= "\uf8ff"


def _outside_gb2312(text: str) -> list[int]:
    """Offsets of the characters GB2312 cannot encode (C speed: the error
    handler runs once per run of such characters)."""
    positions: list[int] = []

    def collect(error: UnicodeEncodeError):
        positions.extend(range(error.start, error.end))
        return ("", error.end)

    codecs.register_error("auditor-outside-gb2312", collect)
    text.encode("gb2312", "auditor-outside-gb2312")
    return positions


@lru_cache(maxsize=8192)
def _in_gb2312(char: str) -> bool:
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True
