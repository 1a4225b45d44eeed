"""What kind of Python the generated package is."""

from __future__ import annotations

import enum


class Target(enum.Enum):
    """`pydantic`: pydantic v2 models. `dataclasses`: standard library only (dataclasses, enum, typing)."""

    PYDANTIC = "pydantic"
    DATACLASSES = "dataclasses"


class UnknownKeys(enum.Enum):
    """What a generated class does with a payload's keys that feed none of its fields."""

    KEEP = "keep"  # stored on the object and written back by to_dict()
    IGNORE = "ignore"  # dropped
    FORBID = "forbid"  # a validation error that names the key
