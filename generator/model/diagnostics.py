"""Problems found in the docs, collected as values and reported together."""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace

from generator.model.docs import DocLocation
from generator.model.printable import printable


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, order=True)
class Diagnostic:
    location: DocLocation
    severity: Severity
    message: str

    def __str__(self) -> str:
        return self.line()

    def line(self, severity: str = "") -> str:
        """`path:line: severity: message`, always one line (see `printable`); `severity`:
        the word as it is shown, coloured on a terminal."""
        shown = severity or self.severity.value
        return f"{self.location}: {shown}: {printable(self.message)}"


class Diagnostics:
    """An append-only list of problems, sorted by location when reported."""

    def __init__(self) -> None:
        self._items: list[Diagnostic] = []

    def error(self, location: DocLocation, message: str) -> None:
        self._items.append(Diagnostic(location, Severity.ERROR, message))

    def warning(self, location: DocLocation, message: str) -> None:
        self._items.append(Diagnostic(location, Severity.WARNING, message))

    def extend(self, other: Diagnostics) -> None:
        self._items.extend(other._items)

    def make_warnings_errors(self) -> None:
        """For `--strict`: every warning becomes an error."""
        self._items = [replace(d, severity=Severity.ERROR) for d in self._items]

    @property
    def has_errors(self) -> bool:
        return any(d.severity is Severity.ERROR for d in self._items)

    def sorted(self) -> list[Diagnostic]:
        return sorted(self._items, key=lambda d: (d.location, d.severity.value, d.message))


class InvalidDocsError(Exception):
    """Raised by the pipeline when the docs have errors; carries every diagnostic."""

    def __init__(self, diagnostics: list[Diagnostic]) -> None:
        errors = [d for d in diagnostics if d.severity is Severity.ERROR]
        # the overrides file is the one input of a run that is not in the docs' tree
        overrides = {str(d.location.path).endswith(".toml") for d in errors}
        where = " and ".join(
            name
            for name, found in (("the docs", False), ("the overrides file", True))
            if found in overrides
        )
        super().__init__(f"{len(errors)} error(s) in {where or 'the docs'}")
        self.diagnostics = diagnostics
