"""The exception tree. Library code raises these; only the CLI turns them into exit codes."""

from __future__ import annotations

from pipeline.diagnostics import Diagnostic, Severity


class EditionError(Exception):
    """A problem the user can act on: bad input, a bad option, a broken stylesheet."""

    code = "edition"

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 col: int | None = None, code: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.col = col
        if code is not None:
            self.code = code

    def to_diagnostic(self) -> Diagnostic:
        return Diagnostic(self.code, Severity.ERROR, self.message, self.path, self.line, self.col)

    def __str__(self) -> str:
        return self.to_diagnostic().format()


class InputError(EditionError):
    """A source cannot be read: missing, a directory, empty, binary, undecodable, malformed."""

    code = "input"


class UnsafeXMLError(InputError):
    """XML that asks for something an untrusted file may not have (DOCTYPE, entities)."""

    code = "xml-unsafe"


class UsageError(EditionError):
    """A command-line option or configuration value is wrong (exit code 2)."""

    code = "usage"


class ConfigError(UsageError):
    """``edition.toml`` is malformed or has unknown keys."""

    code = "config"


class SchemaError(UsageError):
    """A schema or Schematron file cannot be read or compiled."""

    code = "schema"


class RenderError(EditionError):
    """A stylesheet failed on a document."""

    code = "render"
