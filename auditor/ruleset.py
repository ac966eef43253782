"""Ruleset: rules/*.yaml → validated Rule objects bound to their kind.

One rule per file. Unknown keys are errors (a typo in a rule must not be
silently ignored); every error names the file, the line and the field.
"""

from __future__ import annotations

import math
import os
import stat
from pathlib import Path

from .checks.base import Rule
from .errors import ConfigError, RuleFileError
from .findings import SEVERITIES

# Installed (wheel, `pip install .`): the build maps the top-level rules/
# folder in as auditor/rules. In a checkout or an editable install: ../rules.
_PACKAGE = Path(__file__).resolve().parent
BUILTIN_CANDIDATES = (_PACKAGE / "rules", _PACKAGE.parent / "rules")
BUILTIN_RULES = next((p for p in BUILTIN_CANDIDATES if p.is_dir()), BUILTIN_CANDIDATES[-1])
MAX_RULE_BYTES = 1024 * 1024
MAX_RULE_DEPTH = 32          # folders below a rules folder
MAX_NESTING = 50             # lists and mappings inside one rule file
REQUIRED = ("id", "name", "kind", "severity", "description", "message")
OPTIONAL = ("verified", "params", "example", "enabled")
PROBE = "一二三四五六七八九十" * 3 + "1234567890" * 3 + "a" * 30 + "!"
PATTERN_TIMEOUT = 0.2


def rule_dirs(settings) -> list[Path]:
    dirs = [BUILTIN_RULES] if BUILTIN_RULES.is_dir() else []
    if getattr(settings, "rules_dir", None):
        extra = Path(settings.rules_dir)
        if not extra.is_dir():
            raise RuleFileError(f"{extra}: rules folder not found")
        dirs.append(extra)
    return dirs


def rule_files(folder: Path) -> list[Path]:
    """The .yaml/.yml files under `folder`, walked without recursion (a
    folder nested a thousand deep is an error, not a RecursionError) and
    without following symlinked folders."""
    found: list[Path] = []
    stack = [(folder, 0)]
    while stack:
        current, depth = stack.pop()
        if depth > MAX_RULE_DEPTH:
            raise RuleFileError(f"{current}: rules folder nested deeper than {MAX_RULE_DEPTH} levels")
        try:
            entries = list(os.scandir(current))
        except OSError as error:
            raise RuleFileError(f"{current}: cannot list rules folder ({error.strerror or error})") from None
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                stack.append((Path(entry.path), depth + 1))
            elif entry.name.endswith((".yaml", ".yml")):
                found.append(Path(entry.path))
    return sorted(found, key=lambda p: (p.suffix != ".yaml", str(p)))


def load_ruleset(settings=None) -> list[Rule]:
    """Load every rule file, validated, in id order. No rule at all is an
    error naming the folders looked in: a run without rules would pass
    everything."""
    rules: dict[str, Rule] = {}
    folders = rule_dirs(settings)
    for folder in folders:
        for path in rule_files(folder):
            rule = load_rule_file(path)
            if rule is None:
                continue
            if rule.id in rules and rules[rule.id].source != str(path):
                raise RuleFileError(f"{path}: rule id '{rule.id}' is already defined in {rules[rule.id].source}")
            rules[rule.id] = rule
    if not rules:
        looked = ", ".join(str(p) for p in (folders or BUILTIN_CANDIDATES))
        raise RuleFileError(f"no rules found (looked in {looked}); reinstall auditor or pass --rules DIR")
    overrides = getattr(settings, "params", None) or {}
    for key, values in overrides.items():
        rule = next((r for r in rules.values() if key in (r.id, r.name)), None)
        if rule is None:
            raise ConfigError(f"configuration: params for unknown rule '{key}' (see 'audit rules')")
        rules[rule.id] = _with_params(rule, values, key)
    _check_rule_names(settings, rules.values())
    return sorted(rules.values(), key=lambda r: r.id)


def selector_matches(selector: str, rule_id: str, symbol: str, kind: str) -> bool:
    """A selector names rules as ruff's do: an id (SHR01), a symbol
    (share.of-counts), a kind (share), a prefix of an id (SUM, DMG0) or of a
    symbol (damage), or ALL."""
    if selector in ("ALL", rule_id, symbol, kind):
        return True
    if selector.isalnum() and selector.upper() == selector and rule_id.startswith(selector):
        return True
    return bool(symbol) and symbol.startswith(selector + ".")


def rule_selected(settings, rule_id: str, symbol: str, kind: str) -> bool:
    """Whether a rule runs: (select or every rule) + extend-select − ignore."""
    if settings is None:
        return True

    def named(selectors) -> bool:
        return any(selector_matches(s, rule_id, symbol, kind) for s in selectors)

    select = tuple(getattr(settings, "select", ())) + tuple(getattr(settings, "enable", ()))
    if select and not named(select) and not named(getattr(settings, "extend_select", ())):
        return False
    ignore = tuple(getattr(settings, "ignore", ())) + tuple(getattr(settings, "disable", ()))
    return not named(ignore)


SELECTOR_FIELDS = ("select", "extend_select", "ignore", "enable", "disable")


def _check_rule_names(settings, rules) -> None:
    """A selector or severity key must name a rule: a typo there would
    otherwise silently change nothing."""
    if settings is None:
        return
    rules = list(rules)
    known = {name for rule in rules for name in (rule.id, rule.name)}

    def complain(field: str, name: str) -> None:
        close = sorted(k for k in known if k.lower().startswith(name.lower()[:3]))[:3]
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise ConfigError(f"configuration: {field.replace('_', '-')} names unknown rule '{name}'{hint}; "
                          f"see 'audit rules'")

    for field in SELECTOR_FIELDS:
        for name in getattr(settings, field, ()) or ():
            if not any(selector_matches(name, r.id, r.name, r.kind) for r in rules):
                complain(field, name)
    for name in getattr(settings, "severity", {}) or {}:
        if name not in known:
            complain("severity", name)
    for pattern, names in (getattr(settings, "per_file_ignores", {}) or {}).items():
        for name in names:
            if not any(selector_matches(name, r.id, r.name, r.kind) for r in rules):
                complain(f"per-file-ignores '{pattern}'", name)


def _with_params(rule: Rule, values, key: str) -> Rule:
    """A rule with parameters overridden from the configuration, validated as
    if they were written in its file."""
    from dataclasses import replace

    from .checks import KINDS
    from .errors import ConfigError

    if not isinstance(values, dict):
        raise ConfigError(f"configuration: params.{key} must be a table")

    def error(field: str, message: str) -> ConfigError:
        return ConfigError(f"configuration: params.{key}.{field}: {message}")

    merged = {**rule.params, **values}
    return replace(rule, params=_validated_params(KINDS[rule.kind], merged, error, {}))


def find_rule(rules: list[Rule], key: str) -> Rule:
    for rule in rules:
        if key in (rule.id, rule.name) or key.upper() == rule.id:
            return rule
    from .errors import AuditError

    raise AuditError(f"no rule '{key}' (see 'audit rules')")


def load_rule_file(path: Path) -> Rule | None:
    """Parse and validate one rule file; None when it is disabled."""
    from .userfiles import cached_parse

    text = _read_rule_text(path)
    data, lines = cached_parse(text, "rule", lambda: _parse_rule_text(text, path))
    if not isinstance(data, dict):
        raise RuleFileError(f"{path}:1: a rule file must be a mapping of fields")

    def error(field: str, message: str) -> RuleFileError:
        return RuleFileError(f"{path}:{lines.get(field, 1)}: field '{field}': {message}")

    for key in data:
        if key not in REQUIRED + OPTIONAL:
            raise error(key, f"unknown field (allowed: {', '.join(REQUIRED + OPTIONAL)})")
    for key in REQUIRED:
        if key not in data:
            raise RuleFileError(f"{path}:1: field '{key}': missing")
        if not isinstance(data[key], str) or not data[key].strip():
            raise error(key, "must be a non-empty string")
    if data.get("enabled", True) is False:
        return None
    if data["severity"] not in SEVERITIES:
        raise error("severity", f"must be one of {', '.join(SEVERITIES)}")
    from .checks import KINDS

    kind = KINDS.get(data["kind"])
    if kind is None:
        raise error("kind", f"unknown kind '{data['kind']}' (known: {', '.join(sorted(KINDS))})")
    params = data.get("params") or {}
    if not isinstance(params, dict):
        raise error("params", "must be a mapping")
    params = _validated_params(kind, params, lambda key, msg: error(f"params.{key}", msg), lines)
    return Rule(
        id=data["id"], name=data["name"], kind=data["kind"], severity=data["severity"],
        description=data["description"].strip(), message=data["message"],
        verified_message=str(data.get("verified") or ""), params=params,
        example=str(data.get("example") or "").strip(), source=str(path),
    )


def _parse_rule_text(text: str, path: Path) -> tuple:
    """A rule file's data and the line of each of its keys."""
    import yaml

    from .userfiles import safe_yaml_loader

    try:
        loader = safe_yaml_loader()(text)
        try:
            node = loader.get_single_node()
            _check_nesting(node, path)
            data = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except RecursionError:
        raise RuleFileError(f"{path}: YAML nested too deeply") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise RuleFileError(f"{path}{where}: YAML syntax error: {problem}") from None
    return data, _key_lines(node)


def _read_rule_text(path: Path) -> str:
    # Only regular files are opened: a FIFO named x.yaml would block the run.
    try:
        status = path.stat()
        if not stat.S_ISREG(status.st_mode):
            raise RuleFileError(f"{path}: not a regular file")
        if status.st_size > MAX_RULE_BYTES:
            raise RuleFileError(f"{path}: rule file larger than {MAX_RULE_BYTES} bytes")
        with path.open("rb") as stream:
            return stream.read(MAX_RULE_BYTES + 1).decode("utf-8")
    except UnicodeDecodeError:
        raise RuleFileError(f"{path}: cannot read rule file (not UTF-8 text)") from None
    except OSError as error:
        raise RuleFileError(f"{path}: cannot read rule file ({error.strerror or error})") from None


def _check_nesting(node, path: Path) -> None:
    """Reject lists and mappings nested past MAX_NESTING, walked without recursion."""
    stack = [(node, 0)]
    seen: set[int] = set()   # aliases share nodes: visit each once (an alias bomb is not expanded)
    while stack:
        current, depth = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if depth > MAX_NESTING:
            raise RuleFileError(f"{path}:{current.start_mark.line + 1}: YAML nested deeper than {MAX_NESTING} levels")
        children = getattr(current, "value", None)
        if isinstance(children, list):
            for child in children:
                for item in (child if isinstance(child, tuple) else (child,)):
                    stack.append((item, depth + 1))


def _check_value(key: str, value, default, error) -> None:
    """Numbers finite (and counts and tolerances not negative); lists made
    of strings, or of lists of strings where the default is."""
    if isinstance(value, bool):
        return
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise error(key, f"must be a finite number (not {value})")
        if value < 0 and (isinstance(value, int) and isinstance(default, int) or "tolerance" in key):
            raise error(key, f"must not be negative (not {value})")
        return
    if isinstance(value, list):
        nested = bool(default) and isinstance(default, list) and isinstance(default[0], list)
        for number, item in enumerate(value, start=1):
            if nested:
                if not isinstance(item, list) or not all(isinstance(v, str) for v in item):
                    raise error(key, f"item {number} must be a list of strings")
            elif not isinstance(item, str):
                raise error(key, f"item {number} must be a string (not {type(item).__name__})")
    elif isinstance(value, dict):
        for name, item in value.items():
            items = item if isinstance(item, list) else [item]
            if not isinstance(name, str) or not all(isinstance(v, str) for v in items):
                raise error(key, f"entry '{name}' must map a string to strings")


def _validated_params(kind, params: dict, error, lines) -> dict:
    out = {}
    for key, value in params.items():
        if key not in kind.params:
            raise error(key, f"unknown parameter for kind '{kind.name}' (allowed: {', '.join(sorted(kind.params))})")
    for key, (expected, default) in kind.params.items():
        value = params.get(key, default)
        if value is not None and not isinstance(value, expected):
            names = expected.__name__ if isinstance(expected, type) else "/".join(t.__name__ for t in expected)
            raise error(key, f"must be a {names}")
        if value is not None:
            _check_value(key, value, default, error)
        if key.endswith("pattern") or key.endswith("patterns"):
            for pattern in ([value] if isinstance(value, str) else value or []):
                _check_pattern(pattern, lambda msg: error(key, msg))
        out[key] = value
    check = getattr(kind, "validate_params", None)
    if check:
        problem = check(out)
        if problem:
            field, message = problem
            raise error(field, message)
    return out


def _check_pattern(pattern: str, error) -> None:
    import regex

    from . import patterns

    try:
        compiled = patterns.compiled(pattern)
    except (regex.error, TypeError) as problem:
        raise error(f"invalid pattern: {problem}") from None
    try:
        for probe in _probes(pattern):
            compiled.search(probe, timeout=PATTERN_TIMEOUT)
    except TimeoutError:
        raise error("pattern backtracks catastrophically (timed out on a probe)") from None


def _probes(pattern: str) -> list[str]:
    """Texts a backtracking pattern chokes on: the generic probe, and runs of
    each character the pattern itself names (`(?:户|户户)+$` on 户 × 40)."""
    letters = list(dict.fromkeys(c for c in pattern if c.isalnum()))[:24]
    probes = [PROBE]
    probes += [letter * 40 + "!" for letter in letters]
    if letters:
        probes.append("".join(letters) * max(1, 40 // len(letters)) + "!")
    return probes


def _key_lines(node) -> dict[str, int]:
    """Line (1-based) of each top-level key and of params.<key>."""
    lines: dict[str, int] = {}
    if node is None or not hasattr(node, "value") or not isinstance(node.value, list):
        return lines
    for key_node, value_node in node.value:
        if not hasattr(key_node, "value"):
            continue
        lines[str(key_node.value)] = key_node.start_mark.line + 1
        if str(key_node.value) == "params" and isinstance(getattr(value_node, "value", None), list):
            for sub_key, _ in value_node.value:
                if hasattr(sub_key, "value") and isinstance(sub_key.value, str):
                    lines[f"params.{sub_key.value}"] = sub_key.start_mark.line + 1
    return lines
