"""What the parser is given and gives back for one model doc: the records the parse cache
stores and the pipeline passes between the parser and the worker processes."""

from __future__ import annotations

from dataclasses import dataclass

from generator.model.diagnostics import Diagnostics
from generator.model.docs import Doc


@dataclass(frozen=True)
class DocSource:
    """A model doc to parse: its path relative to specs, its namespace and its bytes."""

    relative: str
    namespace: str
    data: bytes


ParsedDoc = tuple[Doc | None, Diagnostics]
