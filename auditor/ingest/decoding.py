"""Bytes → text: which encoding, and whether the result reads as text.

Order: a byte-order mark (UTF-8, UTF-16, UTF-32) decides; otherwise strict
UTF-8; otherwise the most plausible of GB18030 (a superset of GBK and
GB2312), Big5 and BOM-less UTF-16 LE/BE, where a Chinese candidate must also
read as Chinese (no kana, no Korean-style spaced words); otherwise Korean
(EUC-KR) and Japanese (Shift-JIS, EUC-JP) when they read as such; otherwise
Latin-1 / cp1252 for Western text; otherwise UTF-8 with a few bad bytes
replaced; otherwise charset-normalizer. The name given is the Python codec
that decoded the text: `utf-8`, `utf-8-sig` (UTF-8 with BOM), `utf-16` (with
BOM), `utf-16-le`, `gb18030`, `big5`, `euc-kr`, `shift_jis`, `latin-1`, …

A few NUL bytes in an otherwise text file are dropped, with a note, rather
than making the whole file count as binary.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str
    notes: tuple[str, ...] = ()


_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Tried in this order; on a tie in plausibility the earlier one wins.
_CANDIDATES = ("gb18030", "big5", "utf-16-le", "utf-16-be")
# BOM-less UTF-16 must look like real text by a wide margin: almost any
# even-length byte string decodes as UTF-16.
_PLAUSIBLE = {"gb18030": 0.6, "big5": 0.6, "utf-16-le": 0.85, "utf-16-be": 0.85}
_CHINESE = ("gb18030", "big5")
# Korean and Japanese, tried only when no Chinese candidate reads as Chinese.
_OTHER_CJK = ("euc-kr", "shift_jis", "euc-jp")
_LANGUAGE = {"euc-kr": "Korean", "shift_jis": "Japanese", "euc-jp": "Japanese"}
# At most this share of a file may be NUL bytes (trailing padding aside) for
# them to be dropped; more is binary data.
_MAX_NUL_SHARE = 0.01


def decode(data: bytes) -> tuple[str, str] | None:
    """Decode bytes, returning (text, encoding name) or None for binary data."""
    decoded = decode_with_notes(data)
    return None if decoded is None else (decoded.text, decoded.encoding)


def decode_with_notes(data: bytes) -> Decoded | None:
    """Decode bytes into a `Decoded` (text, encoding, notes), or None for binary data."""
    decoded = _decode(data)
    if decoded is not None or b"\x00" not in data:
        return decoded
    body = data.rstrip(b"\x00")
    inside = body.count(b"\x00")
    if not body or inside > max(16, len(data) * _MAX_NUL_SHARE):
        return None
    decoded = _decode(body.replace(b"\x00", b""))
    if decoded is None:
        return None
    dropped = data.count(b"\x00")
    note = f"{dropped} NUL byte{'s' if dropped != 1 else ''} dropped"
    return Decoded(decoded.text, decoded.encoding, (note,) + decoded.notes)


def _decode(data: bytes) -> Decoded | None:
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return _checked(data.decode(encoding), encoding)
            except UnicodeDecodeError:
                return None
    try:
        utf8 = data.decode("utf-8")
    except UnicodeDecodeError:
        utf8 = None
    if utf8 is not None and b"\x00" not in data:
        chinese = _chinese_read_as_utf8(data, utf8)
        return _checked(chinese, "gb18030") if chinese is not None else _checked(utf8, "utf-8")
    best: tuple[float, str, str] | None = None
    rejected = []
    for encoding in _CANDIDATES:
        if encoding.startswith("utf-16") and len(data) % 2:
            continue
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = plausibility(text)
        if encoding in _CHINESE and score >= _PLAUSIBLE[encoding] and not reads_as_chinese(text):
            rejected.append(encoding)
            continue
        if score >= _PLAUSIBLE[encoding] and (best is None or score > best[0]):
            best = (score, text, encoding)
    if best is not None:
        return _checked(best[1], best[2])
    if b"\x00" in data:
        return None
    other = _other_cjk(data)
    if other is not None:
        text, encoding = other
        why = f"it does not read as Chinese in {' or '.join(e.upper() for e in rejected)}" if rejected else \
            "it is not UTF-8 and does not read as Chinese"
        return _checked(text, encoding, f"decoded as {encoding} ({_LANGUAGE[encoding]}): {why}")
    latin = _latin(data)
    if latin is not None:
        return _checked(latin[0], latin[1], f"decoded as {latin[1]} (Western European): "
                                             "it is not UTF-8 and does not read as Chinese")
    damaged = _mostly_utf8(data)
    if damaged is not None:
        bad = damaged.count("\ufffd")
        return _checked(damaged, "utf-8", f"{bad} invalid UTF-8 sequence{'s' if bad != 1 else ''} "
                                          "replaced by U+FFFD")
    return _fallback(data)


def _chinese_read_as_utf8(data: bytes, utf8: str) -> str | None:
    """Common GB18030 characters can form valid UTF-8 (一要 → һҪ): their
    bytes read as extended Cyrillic, Armenian or Hebrew (U+0460–U+05FF),
    never as Latin, Greek or basic Cyrillic. Such a UTF-8 reading gives way to
    a GB18030 reading that is common Chinese."""
    if utf8.isascii() or not all("\u0460" <= char <= "\u05ff" for char in utf8 if not char.isascii()):
        return None
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    return text if plausibility(text) >= 0.9 and reads_as_chinese(text) else None


def _mostly_utf8(data: bytes) -> str | None:
    # A UTF-8 text with a stray byte or cut off inside its last character:
    # keep it, with U+FFFD where the bytes were bad, rather than skip it.
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    return text if bad <= max(1, len(text) // 200) and bad * 20 < len(text) else None


def _fallback(data: bytes) -> Decoded | None:
    # Texts in none of the above (Cyrillic, Greek …).
    from charset_normalizer import from_bytes

    match = from_bytes(data).best()
    if match is None:
        return None
    encoding = match.encoding.replace("_", "-")
    return _checked(str(match), encoding, f"encoding guessed by charset-normalizer: {encoding}")


def plausibility(text: str) -> float:
    """Share of `text` that is common writing: printable ASCII, CJK and
    general punctuation, and Han characters of the common tiers (GB2312
    level 1 or Big5 level 1). Bytes decoded with the wrong codec give rare
    characters, kana, Greek or private-use code points instead."""
    sample = text[:4096]
    if not sample:
        return 1.0
    return sum(1 for ch in sample if _is_common(ch)) / len(sample)


def reads_as_chinese(text: str) -> bool:
    """False when a text decoded as GB18030 or Big5 is really another
    language: Japanese (kana are in GB2312, so EUC-JP decodes as GB18030 with
    kana left in) or Korean (EUC-KR Hangul decodes as common Han characters,
    but Korean puts a space between words, which Chinese does not)."""
    sample = text[:4096]
    han = kana = spaced = 0
    for index, char in enumerate(sample):
        if _is_han(char):
            han += 1
            if index + 2 < len(sample) and sample[index + 1] == " " and _is_han(sample[index + 2]):
                spaced += 1
        elif "\u3040" <= char <= "\u30ff":
            kana += 1
    if kana * 20 > han + kana and kana >= 3:
        return False
    return not (han >= 10 and spaced * 8 > han)


def _is_han(char: str) -> bool:
    return "\u4e00" <= char <= "\u9fff" or "\u3400" <= char <= "\u4dbf" or "\uf900" <= char <= "\ufaff"


def _other_cjk(data: bytes) -> tuple[str, str] | None:
    best = None
    for encoding in _OTHER_CJK:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = _reads_as(text[:4096], encoding)
        if score >= 0.9 and (best is None or score > best[0]):
            best = (score, text, encoding)
    return None if best is None else (best[1], best[2])


def _reads_as(sample: str, encoding: str) -> float:
    """Share of common characters when the sample reads as the language of
    `encoding` (enough Hangul for Korean, enough kana for Japanese), else 0."""
    wide = [ch for ch in sample if ord(ch) >= 128]
    if not wide:
        return 0.0
    if encoding == "euc-kr":
        own = sum(1 for ch in wide if "\uac00" <= ch <= "\ud7a3")
    else:
        own = sum(1 for ch in wide if "\u3040" <= ch <= "\u30ff")
    if own * 3 < len(wide):
        return 0.0
    common = sum(1 for ch in sample if (ord(ch) < 128 and (ch.isprintable() or ch in "\t\n\r"))
                 or "\uac00" <= ch <= "\ud7a3" or "\u3040" <= ch <= "\u30ff" or _is_han(ch)
                 or "\u3000" <= ch <= "\u303f" or "\uff01" <= ch <= "\uff5e")
    return common / len(sample)


def _latin(data: bytes) -> tuple[str, str] | None:
    """Western text in Latin-1 (cp1252 when it uses € and curly quotes):
    accented letters are a minority of its letters. Text in another script
    read as Latin-1 is nearly all accented letters."""
    high = [b for b in data if b >= 0x80]
    if not high:
        return None
    encoding = "latin-1" if all(b >= 0xA0 for b in high) else "cp1252"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    letters = [ch for ch in text[:8192] if ch.isalpha()]
    accented = sum(1 for ch in letters if ord(ch) >= 0x80)
    if not letters or accented * 4 > len(letters):
        return None
    return text, encoding


# C0 controls other than the whitespace ones (\t \n \v \f \r)
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0e-\x1f]")


@lru_cache(maxsize=8192)
def _is_common(char: str) -> bool:
    code = ord(char)
    if code < 128:
        return char.isprintable() or char in "\t\n\r"
    if 0x2000 <= code <= 0x206F or 0x3000 <= code <= 0x303F or 0xFF00 <= code <= 0xFFEF:
        return True
    for codec, low, high in (("gb2312", 0xB0, 0xD7), ("big5", 0xA4, 0xC6)):
        try:
            encoded = char.encode(codec)
        except UnicodeEncodeError:
            continue
        if len(encoded) == 2 and low <= encoded[0] <= high:
            return True
    return False


def _checked(text: str, encoding: str, note: str = "") -> Decoded | None:
    """Reject decoded text that is mostly control characters (binary data)."""
    notes = (note,) if note else ()
    if not text:
        return Decoded(text, encoding, notes)
    sample = text[:8192]
    controls = len(CONTROL_CHARACTERS.findall(sample))
    if controls > max(2, len(sample) // 100):
        return None
    return Decoded(text, encoding, notes)
