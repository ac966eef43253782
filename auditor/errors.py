"""Errors that end a run with a one-line message and exit code 2."""


class AuditError(Exception):
    """A user-facing error: the message names the file and what is wrong."""

    exit_code = 2


class InputError(AuditError):
    """A path or text that cannot be audited."""


class RuleFileError(AuditError):
    """A rule file that is malformed or invalid."""


class ConfigError(AuditError):
    """A configuration file with a syntax error or an unknown key."""


class BaselineError(AuditError):
    """A baseline file that is corrupt, truncated or of another schema."""
