"""Ruleset: rules/*.yaml → validated Rule objects bound to their kind.

One rule per file. Unknown keys are errors (a typo in a rule must not be
silently ignored); every error names the file, the line and the field.
"""

from __future__ import annotations

from pathlib import Path

from .checks.base import Rule
from .errors import RuleFileError
from .findings import SEVERITIES

BUILTIN_RULES = Path(__file__).resolve().parent.parent / "rules"
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


def load_ruleset(settings=None) -> list[Rule]:
    """Load every rule file, validated, in id order."""
    rules: dict[str, Rule] = {}
    for folder in rule_dirs(settings):
        for path in sorted(folder.rglob("*.yaml")) + sorted(folder.rglob("*.yml")):
            rule = load_rule_file(path)
            if rule is None:
                continue
            if rule.id in rules and rules[rule.id].source != str(path):
                raise RuleFileError(f"{path}: rule id '{rule.id}' is already defined in {rules[rule.id].source}")
            rules[rule.id] = rule
    overrides = getattr(settings, "params", None) or {}
    for key, values in overrides.items():
        rule = next((r for r in rules.values() if key in (r.id, r.name)), None)
        if rule is None:
            from .errors import ConfigError

            raise ConfigError(f"configuration: params for unknown rule '{key}' (see 'audit rules')")
        rules[rule.id] = _with_params(rule, values, key)
    _check_rule_names(settings, rules.values())
    return sorted(rules.values(), key=lambda r: r.id)


def _check_rule_names(settings, rules) -> None:
    """A rule named in enable, disable or severity must exist: a typo there
    would otherwise silently change nothing."""
    from .errors import ConfigError

    if settings is None:
        return
    known = {name for rule in rules for name in (rule.id, rule.name)}
    for field in ("enable", "disable", "severity"):
        for name in getattr(settings, field, ()) or ():
            if name not in known:
                close = sorted(k for k in known if k.lower().startswith(name.lower()[:3]))[:3]
                hint = f" (did you mean {', '.join(close)}?)" if close else ""
                raise ConfigError(f"configuration: {field} names unknown rule '{name}'{hint}; see 'audit rules'")


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
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise RuleFileError(f"{path}: cannot read rule file ({error})") from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f":{mark.line + 1}:{mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise RuleFileError(f"{path}{where}: YAML syntax error: {problem}") from None
    if not isinstance(data, dict):
        raise RuleFileError(f"{path}:1: a rule file must be a mapping of fields")
    lines = _key_lines(node)

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

    try:
        compiled = regex.compile(pattern)
    except (regex.error, TypeError) as problem:
        raise error(f"invalid pattern: {problem}") from None
    try:
        compiled.search(PROBE, timeout=PATTERN_TIMEOUT)
    except TimeoutError:
        raise error("pattern backtracks catastrophically (timed out on a probe)") from None


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
