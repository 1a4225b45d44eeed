"""Where each class lives in the generated package, and the names a module sees."""

from __future__ import annotations

import functools
import hashlib
import keyword
from collections import Counter
from dataclasses import dataclass

from generator.model.naming import WINDOWS_DEVICES
from generator.model.schema import ClassKey, Schema


@dataclass(frozen=True)
class Layout:
    """Module of every class: `<package>/<namespace>/<module>.py`."""

    package: str
    modules: dict[ClassKey, str]

    @functools.cached_property
    def shared_names(self) -> frozenset[str]:
        """The class names that more than one class of the package has."""
        counts = Counter(key.name for key in self.modules)
        return frozenset(name for name, count in counts.items() if count > 1)

    def module_of(self, key: ClassKey) -> str:
        return self.modules[key]

    def path_of(self, key: ClassKey) -> str:
        return f"{self.package}/{key.namespace}/{self.modules[key]}.py"

    def import_from(self, source: ClassKey, target: ClassKey) -> str:
        """The relative module path to import `target` from the module of `source`."""
        if source.namespace == target.namespace:
            return f".{self.modules[target]}"
        return f"..{target.namespace}.{self.modules[target]}"


# File names have a limit (255 bytes on most systems), and Python adds to a module's name for
# its byte code (`.cpython-311.pyc`): a longer class name gets a shortened module name.
MAX_MODULE_NAME = 120


def _module_base(class_name: str) -> str:
    base = class_name.lower().lstrip("_") or "model"
    if len(base.encode("utf-8")) <= MAX_MODULE_NAME:
        return base
    digest = hashlib.sha256(class_name.encode("utf-8")).hexdigest()[:12]
    kept = base.encode("utf-8")[: MAX_MODULE_NAME - 13].decode("utf-8", "ignore")
    return f"{kept}_{digest}"


# Module names the generated package uses for itself.
RESERVED_MODULES = frozenset({"__init__", "__main__", "_runtime"})


def plan_layout(schema: Schema, package: str) -> Layout:
    """One module per class, named after the lower-cased class name; clashes get a suffix."""
    modules: dict[ClassKey, str] = {}
    taken: dict[str, set[str]] = {}
    # Importing a submodule binds its name in the namespace package, where it would hide a
    # class of that exact name (`pet` beside `Pet`): class names are never module names.
    class_names: dict[str, set[str]] = {}
    for spec in schema.classes:
        class_names.setdefault(spec.key.namespace, set()).add(spec.key.name)
    for spec in sorted(schema.classes, key=lambda s: s.key):
        base = _module_base(spec.key.name)
        if keyword.iskeyword(base) or base in RESERVED_MODULES or base in WINDOWS_DEVICES:
            base += "_"
        used = taken.get(spec.key.namespace)
        if used is None:
            used = taken[spec.key.namespace] = set(class_names[spec.key.namespace])
        candidate, counter = base, 2
        while candidate in used:
            candidate = f"{base}_{counter}"
            counter += 1
        used.add(candidate)
        modules[spec.key] = candidate
    return Layout(package, modules)
