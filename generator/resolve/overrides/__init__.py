"""The overrides file: facts the docs cannot carry, keyed by `namespace.Class[.field]`.

`load` reads and type-checks the file (with file:line); `apply`, called by the resolve
stage, matches its settings against the classes of the docs.
"""

from generator.resolve.overrides.apply import apply_overrides
from generator.resolve.overrides.load import ClassOverride, FieldOverride, Override, load_overrides

__all__ = ["ClassOverride", "FieldOverride", "Override", "apply_overrides", "load_overrides"]
