"""The package's settings, read by its runtime (each package gets its own copy, written when
it is generated)."""

from typing import Final, Literal

UNKNOWN_KEYS: Final[Literal["keep", "ignore", "forbid"]] = "keep"
"""What becomes of a payload's keys that feed no field: kept (and written back), ignored, or
refused with a validation error."""
