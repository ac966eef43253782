"""Configuration: `[tool.auditor]` in pyproject.toml or `audit.toml`.

Command-line flags override the file; unknown keys are an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from .errors import ConfigError


@dataclass(frozen=True)
class Settings:
    paths: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    rules_dir: str | None = None          # extra rule files beside the built-in rules/
    enable: tuple[str, ...] = ()          # if set, only these rule ids or symbols run
    disable: tuple[str, ...] = ()
    severity: dict = field(default_factory=dict)   # rule id or symbol → severity
    report_dir: str = "reports"
    reports: bool = True
    baseline: str | None = None
    baseline_path: str = ".audit-baseline.json"
    fail_on: str = "warning"
    max_bytes: int = 20 * 1024 * 1024
    duplicate_min_chars: int = 40
    duplicate_similarity: float = 0.8
    damage_severity: str = "info"


CONFIG_FILES = ("audit.toml", "pyproject.toml")


def load_settings(start: Path | None = None, explicit: str | None = None) -> Settings:
    """Read settings from `explicit`, or the first config file found in `start`."""
    import tomllib

    if explicit:
        candidates = [Path(explicit)]
    else:
        folder = start or Path.cwd()
        candidates = [folder / name for name in CONFIG_FILES if (folder / name).is_file()]
    for path in candidates:
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{path}: no such configuration file") from None
        except (OSError, UnicodeDecodeError) as error:
            raise ConfigError(f"{path}: cannot be read ({error})") from None
        except tomllib.TOMLDecodeError as error:
            raise ConfigError(f"{path}: invalid TOML: {error}") from None
        if path.name == "pyproject.toml":
            section = data.get("tool", {}).get("auditor")
            if section is None:
                continue
            return settings_from_mapping(section, f"{path} [tool.auditor]")
        return settings_from_mapping(data.get("tool", {}).get("auditor", data), str(path))
    return Settings()


def settings_from_mapping(mapping: dict, source: str) -> Settings:
    """Validate a mapping of settings (dashes or underscores) into Settings."""
    known = {f.name: f for f in fields(Settings)}
    values = {}
    for key, value in mapping.items():
        name = key.replace("-", "_")
        if name not in known:
            raise ConfigError(f"{source}: unknown key '{key}' (known: {', '.join(sorted(known))})")
        default = getattr(Settings(), name)
        if isinstance(default, tuple):
            if isinstance(value, str):
                value = (value,)
            if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"{source}: '{key}' must be a list of strings")
            value = tuple(value)
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                raise ConfigError(f"{source}: '{key}' must be true or false")
        elif isinstance(default, (int, float)) and not isinstance(default, bool):
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise ConfigError(f"{source}: '{key}' must be a number")
        elif isinstance(default, dict):
            if not isinstance(value, dict):
                raise ConfigError(f"{source}: '{key}' must be a table")
        elif value is not None and not isinstance(value, str):
            raise ConfigError(f"{source}: '{key}' must be a string")
        values[name] = value
    settings = replace(Settings(), **values)
    _check_levels(settings, source)
    return settings


def _check_levels(settings: Settings, source: str) -> None:
    from .findings import SEVERITIES

    if settings.fail_on not in SEVERITIES + ("never",):
        raise ConfigError(f"{source}: fail-on must be one of {', '.join(SEVERITIES)}, never")
    for rule, level in settings.severity.items():
        if level not in SEVERITIES + ("off",):
            raise ConfigError(f"{source}: severity of '{rule}' must be one of {', '.join(SEVERITIES)}, off")
