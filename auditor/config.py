"""Configuration: `[tool.auditor]` in pyproject.toml or `audit.toml`.

`audit.toml` (top-level keys, or a `[tool.auditor]` table) wins over
pyproject.toml; both are looked up in the folder audit runs in, and relative
paths in them are relative to that folder. Command-line flags override the
file. Keys may use dashes or underscores; an unknown key, a wrong type or an
unknown level is a ConfigError naming the file and the key.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from .errors import ConfigError
from .userfiles import read_user_file


@dataclass(frozen=True)
class Settings:
    paths: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    rules_dir: str | None = None          # extra rule files beside the built-in rules/
    enable: tuple[str, ...] = ()          # if set, only these rule ids or symbols run
    disable: tuple[str, ...] = ()
    severity: dict = field(default_factory=dict)   # rule id or symbol → severity
    params: dict = field(default_factory=dict)     # rule id or symbol → {parameter: value}, e.g. tolerances
    report_dir: str = "reports"
    reports: bool = True
    baseline: str | None = None
    baseline_path: str = ".audit-baseline.json"
    fail_on: str = "warning"
    max_bytes: int = 20 * 1024 * 1024
    ignore_files: bool = True             # honour .gitignore and .ignore (--no-ignore turns it off)
    follow_links: bool = False            # follow symbolic links out of the given paths (--follow-links)
    duplicate_min_chars: int = 40
    duplicate_similarity: float = 0.8
    duplicate_warning_chars: int = 200     # a repeated passage this long (not boilerplate) is a warning
    declared_length_tolerance: float = 0.1  # 字数 declarations: allowed relative difference
    damage_severity: str = "info"
    lang: str = ""                         # report language: en | zh; empty: from the locale (LANG=zh_CN… gives zh)


CONFIG_FILES = ("audit.toml", "pyproject.toml")
_POSITIVE = ("max_bytes", "duplicate_min_chars")
_FRACTIONS = ("duplicate_similarity",)


def load_settings(start: Path | None = None, explicit: str | None = None) -> Settings:
    """Read settings from `explicit`, or the first config file found in `start`
    (default: the current folder) that has auditor settings."""
    if explicit:
        path = Path(explicit)
        settings = _settings_from_file(path)
        if settings is None:
            raise ConfigError(f"{path}: no [tool.auditor] section")
        return settings
    folder = start or Path.cwd()
    for name in CONFIG_FILES:
        path = folder / name
        if path.is_file():
            settings = _settings_from_file(path)
            if settings is not None:
                return settings
    return Settings()


def _settings_from_file(path: Path) -> Settings | None:
    import tomllib

    text = read_user_file(path, ConfigError, "configuration file")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: invalid TOML: {error}") from None
    section = data.get("tool", {}).get("auditor") if isinstance(data.get("tool"), dict) else None
    if section is not None:
        if not isinstance(section, dict):
            raise ConfigError(f"{path}: [tool.auditor] must be a table")
        return settings_from_mapping(section, f"{path} [tool.auditor]")
    if path.name == "pyproject.toml":
        return None
    return settings_from_mapping(data, str(path))


def settings_from_mapping(mapping: dict, source: str) -> Settings:
    """Validate a mapping of settings (dashes or underscores) into Settings."""
    known = {f.name: f for f in fields(Settings)}
    defaults = Settings()
    values = {}
    for key, value in mapping.items():
        name = key.replace("-", "_")
        if name not in known:
            raise ConfigError(f"{source}: unknown key '{key}'{_suggestion(name, known)}")
        values[name] = _validated(name, key, value, getattr(defaults, name), source)
    settings = replace(defaults, **values)
    _check_levels(settings, source)
    return settings


def _suggestion(name: str, known) -> str:
    close = difflib.get_close_matches(name, list(known), n=1)
    spelled = [k.replace("_", "-") for k in sorted(known)]
    hint = f" (did you mean '{close[0].replace('_', '-')}'?)" if close else ""
    return f"{hint}; known keys: {', '.join(spelled)}"


def _validated(name: str, key: str, value, default, source: str):
    where = f"{source}: '{key}'"
    if isinstance(default, tuple):
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ConfigError(f"{where} must be a string or a list of strings")
        return tuple(value)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise ConfigError(f"{where} must be true or false")
        return value
    if isinstance(default, int):
        if not isinstance(value, int) or isinstance(value, bool) or (name in _POSITIVE and value <= 0):
            raise ConfigError(f"{where} must be a whole number" + (" above 0" if name in _POSITIVE else ""))
        return value
    if isinstance(default, float):
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise ConfigError(f"{where} must be a number")
        if name in _FRACTIONS and not 0 < value <= 1:
            raise ConfigError(f"{where} must be a number above 0 and at most 1")
        return float(value)
    if isinstance(default, dict):
        return _validated_table(name, where, value)
    if not isinstance(value, str):
        raise ConfigError(f"{where} must be a string")
    return value


def _validated_table(name: str, where: str, value) -> dict:
    if not isinstance(value, dict):
        raise ConfigError(f"{where} must be a table")
    if name == "params":
        for rule, overrides in value.items():
            if not isinstance(overrides, dict):
                raise ConfigError(f"{where}: '{rule}' must be a table of rule parameters")
    return dict(value)


def _check_levels(settings: Settings, source: str) -> None:
    from .findings import SEVERITIES

    if settings.fail_on not in SEVERITIES + ("never",):
        raise ConfigError(f"{source}: 'fail-on' must be one of {', '.join(SEVERITIES)}, never "
                          f"(not '{settings.fail_on}')")
    if settings.lang not in ("", "en", "zh"):
        raise ConfigError(f"{source}: 'lang' must be en or zh (not '{settings.lang}')")
    if settings.damage_severity not in SEVERITIES:
        raise ConfigError(f"{source}: 'damage-severity' must be one of {', '.join(SEVERITIES)}")
    for rule, level in settings.severity.items():
        if level not in SEVERITIES + ("off",):
            raise ConfigError(f"{source}: severity of '{rule}' must be one of {', '.join(SEVERITIES)}, off "
                              f"(not '{level}')")
