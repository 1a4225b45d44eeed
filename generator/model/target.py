"""What kind of Python the generated package is, and how it is formatted: the settings'
enums that the stages share."""

from __future__ import annotations

import enum


class Target(enum.Enum):
    """`pydantic`: pydantic v2 models. `dataclasses`: standard library only (dataclasses, enum, typing)."""

    PYDANTIC = "pydantic"
    DATACLASSES = "dataclasses"


class Formatter(enum.Enum):
    """The formatter of the generated modules."""

    BLACK = "black"
    RUFF = "ruff"
    NONE = "none"


class UnknownKeys(enum.Enum):
    """What a generated class does with a payload's keys that feed none of its fields."""

    KEEP = "keep"  # stored on the object and written back by to_dict()
    IGNORE = "ignore"  # dropped
    FORBID = "forbid"  # a validation error that names the key
