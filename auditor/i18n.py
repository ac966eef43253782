"""Reports in the reader's language (`--lang zh|en`).

Every word a report prints comes from the message tables in
`auditor/data/messages/<lang>.yaml` (their format is described at the top of
`en.yaml`), never from strings spread through the renderers:

- `ui`: report and command text by message id;
- `severities`, `kinds`, `confidences`, `statuses`: names of those values;
- `rules`: per rule id, its message, verified message and description,
  filled from the finding's `message_args` (user rules without an entry keep
  their own English text);
- `kind_docs`: the documentation of each rule kind for `audit explain`;
- `patterns`: whole-message templates for messages built in code (text
  damage, repeated passages);
- `phrases`: words of computations and roles, replaced where they stand, so
  the numbers stay exactly as computed;
- `verdict_words`: the words of a computation that state its verdict
  (coloured like ≠).

English is the fallback for every lookup, so a missing translation shows
English rather than failing a run.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

LANGUAGES = ("en", "zh")
MESSAGES = Path(__file__).with_name("data") / "messages"
DEFAULT = "en"
_FIELD = re.compile(r"\{([A-Za-z_][A-Za-z_0-9]*)\}")
_ASCII_WORD = re.compile(r"[A-Za-z]")


def default_lang(environ=None) -> str:
    """The language the locale asks for: `zh` for LC_ALL/LC_MESSAGES/LANG starting with zh, else `en`."""
    environ = os.environ if environ is None else environ
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return DEFAULT


def resolve_lang(lang: str | None) -> str:
    """`lang` if given, else the locale's."""
    if lang in LANGUAGES:
        return lang
    return default_lang()


@lru_cache(maxsize=None)
def load_table(lang: str) -> dict:
    """The raw message table of `lang` (a dict of sections)."""
    from .userfiles import load_yaml

    text = (MESSAGES / f"{lang}.yaml").read_text(encoding="utf-8")
    table = load_yaml(text) or {}
    for section in ("ui", "severities", "kinds", "confidences", "statuses", "rules", "kind_docs",
                    "patterns", "phrases"):
        table.setdefault(section, {})
    return table


def fill(template: str, values: dict) -> str:
    """`{name}` fields filled from `values`; unknown fields stay as written."""
    return _FIELD.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), template)


class Messages:
    """The texts of one language, with English behind every lookup."""

    def __init__(self, lang: str | None = None):
        self.lang = lang if lang in LANGUAGES else DEFAULT
        self.table = load_table(self.lang)
        self.english = load_table(DEFAULT)
        self._patterns = _compile_patterns(self.lang)
        # the words that state a failed relation's verdict in a computation, coloured like ≠
        self.verdict_words = tuple(str(w) for w in self.table.get("verdict_words") or ())
        self._phrases = _compile_phrases(self.lang)

    # --- plain ids -------------------------------------------------------
    def __call__(self, key: str, **values) -> str:
        """The UI text `key`, filled from `values`; `n` picks a `one`/`other` form when the text has them."""
        text = self.table["ui"].get(key, self.english["ui"].get(key))
        if text is None:
            raise KeyError(f"no message {key!r}")
        if isinstance(text, dict):
            text = text["one"] if values.get("n") == 1 and "one" in text else text["other"]
        return fill(text, values)

    def _name(self, section: str, value: str) -> str:
        return self.table[section].get(value) or self.english[section].get(value) or value

    def severity(self, value: str) -> str:
        return self._name("severities", value)

    def kind(self, value: str) -> str:
        return self._name("kinds", value)

    def confidence(self, value: str) -> str:
        return self._name("confidences", value)

    def status(self, value: str) -> str:
        return self._name("statuses", value)

    # --- rule texts ------------------------------------------------------
    def rule_entry(self, rule_id: str) -> dict:
        return self.table["rules"].get(rule_id) or {}

    def message(self, record: dict, verified: bool = False) -> str:
        """A finding's or verified relation's message in this language."""
        english = record.get("message", "")
        if self.lang == DEFAULT:
            return english
        template = self.rule_entry(record.get("rule", "")).get("verified" if verified else "message")
        args = record.get("message_args") or {}
        if template and args and all(name in args for name in _FIELD.findall(template)):
            return fill(template, {k: self.phrase(str(v)) for k, v in args.items()})
        return self.text(english)

    def description(self, rule_id: str, english: str) -> str:
        if self.lang == DEFAULT:
            return english
        return self.rule_entry(rule_id).get("description") or english

    def kind_doc(self, kind: str, english: str) -> str:
        if self.lang == DEFAULT:
            return english
        return self.table["kind_docs"].get(kind) or english

    # --- free text -------------------------------------------------------
    def text(self, english: str) -> str:
        """A message built in code: translated when a whole-message pattern matches it, else
        left in English (replacing words of a free sentence would garble it); the pattern's
        fields are quoted text and stay as they are."""
        if self.lang == DEFAULT or not english:
            return english
        for pattern, template in self._patterns:
            match = pattern.fullmatch(english)
            if match:
                return fill(template, match.groupdict())
        return english

    def computation(self, english: str) -> str:
        """A computation with its words translated; numbers and symbols stay as computed."""
        return self.phrase(english)

    def phrase(self, english: str) -> str:
        if self.lang == DEFAULT or not english or not _ASCII_WORD.search(english):
            return english
        for pattern, replacement in self._phrases:
            english = pattern.sub(replacement, english)
        return english


@lru_cache(maxsize=None)
def _compile_patterns(lang: str) -> tuple:
    compiled = []
    for source, template in load_table(lang)["patterns"].items():
        pieces, last = [], 0
        for match in _FIELD.finditer(source):
            pieces.append(re.escape(source[last:match.start()]))
            pieces.append(f"(?P<{match.group(1)}>.+?)")
            last = match.end()
        pieces.append(re.escape(source[last:]))
        compiled.append((re.compile("".join(pieces), re.S), template))
    return tuple(compiled)


@lru_cache(maxsize=None)
def _compile_phrases(lang: str) -> tuple:
    """Phrases longest first; an English word matches only as a whole word;
    `{name}` in a phrase matches one token (no spaces) and moves with the words."""
    compiled = []
    for source in sorted(load_table(lang)["phrases"], key=len, reverse=True):
        replacement = load_table(lang)["phrases"][source]
        pieces, last = [], 0
        for match in _FIELD.finditer(source):
            pieces.append(re.escape(source[last:match.start()]))
            pieces.append(f"(?P<{match.group(1)}>[^\\s,;()]+)")
            last = match.end()
        pieces.append(re.escape(source[last:]))
        body = "".join(pieces)
        if _ASCII_WORD.match(source[:1]):
            body = r"(?<![A-Za-z])" + body
        if _ASCII_WORD.match(source[-1:]):
            body += r"(?![A-Za-z])"
        names = _FIELD.findall(source)
        target = _FIELD.sub(lambda m: f"\\g<{m.group(1)}>", replacement.replace("\\", "\\\\"))
        compiled.append((re.compile(body), target if names else replacement.replace("\\", "\\\\")))
    return tuple(compiled)


def messages(lang: str | None = None) -> Messages:
    """The Messages of `lang` (English when None or unknown)."""
    return _messages(lang if lang in LANGUAGES else DEFAULT)


@lru_cache(maxsize=None)
def _messages(lang: str) -> Messages:
    return Messages(lang)
