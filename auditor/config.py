"""Configuration: `[tool.auditor]` in pyproject.toml or `audit.toml`.

As ruff does, the file is looked for in the current folder and then in each
folder above it; in one folder `audit.toml` (top-level keys, or a
`[tool.auditor]` table) wins over pyproject.toml. The folder holding the
file is the project root: relative paths in the file are relative to it,
and fingerprints name files relative to it. Command-line flags override the
file. Keys may use dashes or underscores; an unknown key, a wrong type or an
unknown level is a ConfigError naming the file and the key.
"""

from __future__ import annotations

import difflib
import math
import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from .errors import ConfigError
from .userfiles import read_user_file


@dataclass(frozen=True)
class Settings:
    paths: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    rules_dir: str | None = None          # extra rule files beside the built-in rules/
    enable: tuple[str, ...] = ()          # same as select (kept for older configurations)
    disable: tuple[str, ...] = ()         # same as ignore
    select: tuple[str, ...] = ()          # if set, only these rules run: id, symbol, kind or prefix
    extend_select: tuple[str, ...] = ()   # rules added to the selection
    ignore: tuple[str, ...] = ()          # rules that never run
    per_file_ignores: dict = field(default_factory=dict)   # glob → rules ignored in matching files
    severity: dict = field(default_factory=dict)   # rule id or symbol → severity
    params: dict = field(default_factory=dict)     # rule id or symbol → {parameter: value}, e.g. tolerances
    report_dir: str = "reports"
    reports: bool = True
    baseline: str | None = None
    baseline_path: str = ".audit-baseline.json"
    fail_on: str = "warning"
    min_confidence: str = "low"           # relations below it are left out (low | medium | high)
    max_bytes: int = 20 * 1024 * 1024
    ignore_files: bool = True             # honour .gitignore and .ignore (--no-ignore turns it off)
    follow_links: bool = False            # follow symbolic links out of the given paths (--follow-links)
    duplicate_min_chars: int = 40
    duplicate_similarity: float = 0.8
    duplicate_warning_chars: int = 200     # a repeated passage this long (not boilerplate) is a warning
    declared_length_tolerance: float = 0.1  # 字数 declarations: allowed relative difference
    damage_severity: str = "info"
    lang: str = ""                         # report language: en | zh; empty: from the locale (LANG=zh_CN… gives zh)
    root: str = ""                         # project root (the configuration's folder); not a key


CONFIG_FILES = ("audit.toml", "pyproject.toml")
_POSITIVE = ("max_bytes", "duplicate_min_chars")
_FRACTIONS = ("duplicate_similarity",)
_NOT_KEYS = ("root",)
_RELATIVE = ("paths", "rules_dir", "report_dir", "baseline")  # resolved against the project root
MAX_BYTES_LIMIT = 1 << 40    # 1 TiB: beyond any text, and within what read() accepts
MAX_CONFIG_BYTES = 1024 * 1024


def load_settings(start: Path | None = None, explicit: str | None = None) -> Settings:
    """Read settings from `explicit`, or from the first config file with
    auditor settings found in `start` (default: the current folder) or a
    folder above it."""
    if explicit:
        path = Path(explicit)
        settings = _settings_from_file(path)
        if settings is None:
            raise ConfigError(f"{path}: no [tool.auditor] section")
        return _rooted(settings, path.parent)
    folder = (start or Path.cwd()).absolute()
    for candidate in (folder, *folder.parents):
        for name in CONFIG_FILES:
            path = candidate / name
            if path.is_file():
                settings = _settings_from_file(path)
                if settings is not None:
                    return _rooted(settings, candidate)
    return Settings()


def _rooted(settings: Settings, folder: Path) -> Settings:
    """Settings whose relative paths are taken from `folder`, the project root."""
    absolute = folder.absolute()
    changes: dict = {"root": str(absolute)}
    if absolute != Path.cwd().absolute():
        def moved(value: str) -> str:
            return value if os.path.isabs(value) else os.path.relpath(absolute / value)

        for name in _RELATIVE:
            value = getattr(settings, name)
            if isinstance(value, tuple):
                changes[name] = tuple(moved(v) for v in value)
            elif value:
                changes[name] = moved(value)
    return replace(settings, **changes)


def project_root(settings: Settings) -> str:
    """The folder fingerprints are relative to: the configuration's folder,
    else the enclosing git repository, else the current folder."""
    if settings.root:
        return settings.root
    here = Path.cwd().absolute()
    for candidate in (here, *here.parents):
        if (candidate / ".git").exists():
            return str(candidate)
    return str(here)


def root_finder(settings: Settings):
    """A function giving each audited file its project root: the
    configuration's folder when the file lies inside it, else the nearest
    folder above the file holding audit.toml, a pyproject.toml with
    [tool.auditor], or .git; else `project_root`. So a file's fingerprints do
    not depend on the folder audit runs in, nor on how the path is written."""
    fallback = project_root(settings)
    configured = Path(settings.root) if settings.root else None
    found: dict[Path, str | None] = {}

    def marked(folder: Path) -> bool:
        if (folder / "audit.toml").is_file() or (folder / ".git").exists():
            return True
        pyproject = folder / "pyproject.toml"
        try:
            return pyproject.is_file() and "[tool.auditor" in pyproject.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return False

    def root_of(path: str) -> str:
        folder = Path(os.path.abspath(path)).parent
        if configured is not None and (folder == configured or configured in folder.parents):
            return str(configured)
        walked = []
        for candidate in (folder, *folder.parents):
            if candidate in found:
                result = found[candidate]
                break
            walked.append(candidate)
            if marked(candidate):
                result = str(candidate)
                break
        else:
            result = None
        for candidate in walked:
            found[candidate] = result
        return result or fallback

    return root_of


def _loads_toml(text: str):
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        import tomli as tomllib
    return tomllib.loads(text), tomllib.TOMLDecodeError


def _settings_from_file(path: Path) -> Settings | None:
    text = read_user_file(path, ConfigError, "configuration file", limit=MAX_CONFIG_BYTES)
    try:
        data, _ = _loads_toml(text)
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: nested too deeply") from None
    except ValueError as error:  # TOMLDecodeError is a ValueError
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
    known = {f.name: f for f in fields(Settings) if f.name not in _NOT_KEYS}
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
        if name == "max_bytes" and value > MAX_BYTES_LIMIT:
            raise ConfigError(f"{where} must be at most {MAX_BYTES_LIMIT} (1 TiB)")
        return value
    if isinstance(default, float):
        if not isinstance(value, (int, float)) or isinstance(value, bool):
            raise ConfigError(f"{where} must be a number")
        if not math.isfinite(value) or value < 0:
            raise ConfigError(f"{where} must be a finite number, not negative (not {value})")
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
    if name == "per_file_ignores":
        out = {}
        for pattern, rules in value.items():
            if isinstance(rules, str):
                rules = [rules]
            if not isinstance(rules, list) or not all(isinstance(r, str) for r in rules):
                raise ConfigError(f"{where}: '{pattern}' must be a rule or a list of rules")
            out[pattern] = tuple(rules)
        return out
    return dict(value)


def _check_levels(settings: Settings, source: str) -> None:
    from .findings import SEVERITIES

    if settings.fail_on not in SEVERITIES + ("never",):
        raise ConfigError(f"{source}: 'fail-on' must be one of {', '.join(SEVERITIES)}, never "
                          f"(not '{settings.fail_on}')")
    from .findings import CONFIDENCES

    if settings.min_confidence not in CONFIDENCES:
        raise ConfigError(f"{source}: 'min-confidence' must be one of {', '.join(CONFIDENCES)} "
                          f"(not '{settings.min_confidence}')")
    if settings.lang not in ("", "en", "zh"):
        raise ConfigError(f"{source}: 'lang' must be en or zh (not '{settings.lang}')")
    if settings.damage_severity not in SEVERITIES:
        raise ConfigError(f"{source}: 'damage-severity' must be one of {', '.join(SEVERITIES)}")
    for rule, level in settings.severity.items():
        if level not in SEVERITIES + ("off",):
            raise ConfigError(f"{source}: severity of '{rule}' must be one of {', '.join(SEVERITIES)}, off "
                              f"(not '{level}')")
