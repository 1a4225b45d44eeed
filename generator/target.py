"""What kind of Python the generated package is."""

from __future__ import annotations

import enum


class Target(enum.Enum):
    """`pydantic`: pydantic v2 models. `dataclasses`: standard library only (dataclasses, enum, typing)."""

    PYDANTIC = "pydantic"
    DATACLASSES = "dataclasses"
