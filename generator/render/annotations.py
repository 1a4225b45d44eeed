"""Type trees -> Python annotation text, plus the imports that text needs."""

from __future__ import annotations

import enum
import functools
import re
from dataclasses import dataclass, field

from generator.ir import WRAPPER_KINDS, TypeKind, TypeRef
from generator.naming import HELPER_NAMES, referenced_class, transport_alias
from generator.parse.typecell import TRANSPORT_REQUESTS, TRANSPORT_RESPONSES
from generator.render.literals import python_literal
from generator.schema import ClassKey

PRIMITIVE_IMPORTS = {
    "Any": ("typing", "Any"),
    "date": ("datetime", "date"),
    "datetime": ("datetime", "datetime"),
    "Decimal": ("decimal", "Decimal"),
}
# Transport and stream objects are opaque classes of the generated package's runtime.
RUNTIME_TYPES = {
    **dict.fromkeys(TRANSPORT_RESPONSES, "Response"),
    **dict.fromkeys(TRANSPORT_REQUESTS, "Request"),
    "eventstreaming.EventStream": "EventStream",
    "eventstreaming.EventStreamAsync": "EventStreamAsync",
}
# File objects keep their standard type, marked so that pydantic carries them unvalidated.
FILE_TYPES = {"IO": "IO[bytes]", "io.BufferedReader": "io.BufferedReader", "io.IOBase": "io.IOBase"}


@dataclass
class ModuleNames:
    """What one generated module imports, and the local name of each referenced class."""

    owner: ClassKey
    # The names of the classes the module defines (an error's body model besides the error).
    defined: frozenset[str] = frozenset()
    from_imports: dict[str, set[str]] = field(default_factory=dict)
    runtime: set[str] = field(default_factory=set)
    modules: set[str] = field(default_factory=set)
    references: dict[ClassKey, str] = field(default_factory=dict)
    # Runtime transport classes (`Response`, ...) by their local name in this module.
    transports: dict[str, str] = field(default_factory=dict)

    def helper_name(self, module: str, name: str) -> str:
        """The local name of `name` of `module` in this module: a class the module defines
        may have its name (a doc class `Optional`), and then it is imported under an alias."""
        if name == self.owner.name or name in self.defined:
            return f"_{module.split('.')[0]}_{name}"
        return name

    def need_as_is(self, module: str, name: str) -> None:
        """Import `name` from `module` for a class body or module statement, which runs before
        the module's class is bound: there a doc class of that name hides nothing."""
        self.from_imports.setdefault(module, set()).add(name)

    def need(self, module: str, name: str) -> str:
        """Import `name` from `module` for an annotation (evaluated once the module's classes
        are bound); its local name."""
        local = self.helper_name(module, name)
        self.from_imports.setdefault(module, set()).add(
            name if local == name else f"{name} as {local}"
        )
        return local

    def local_name(self, key: ClassKey) -> str:
        if key == self.owner:
            return key.name
        if key not in self.references:
            clash = (
                key.name == self.owner.name
                or key.name in self.transports.values()
                # A class named like a helper the annotations use (`Any`) takes its
                # namespace's name, as where two classes share a name.
                or key.name in HELPER_NAMES
                or any(k.name == key.name for k in self.references if k != key)
            )
            self.references[key] = f"{key.namespace}_{key.name}" if clash else key.name
        return self.references[key]

    def transport(self, name: str) -> str:
        """The local name of a runtime transport class; a doc class may be named like it
        (a `Response` model), and then the runtime's is imported under an alias."""
        if name not in self.transports:
            taken = name == self.owner.name or name in self.references.values()
            self.transports[name] = transport_alias(name) if taken else name
        return self.transports[name]

    def runtime_name(self, name: str) -> str:
        """The local name of a runtime class the module's classes derive from; a class the
        module defines may have its name, and then the runtime's is imported under an alias."""
        if name not in self.transports:
            taken = name in self.defined or name in self.references.values()
            self.transports[name] = transport_alias(name) if taken else name
        return self.transports[name]

    def runtime_imports(self) -> list[str]:
        """What the module imports from the runtime, sorted by imported name."""
        clauses = {name: name for name in self.runtime}
        for name, local in self.transports.items():
            clauses[name] = name if local == name else f"{name} as {local}"
        return [clauses[name] for name in sorted(clauses)]


class RefStyle(enum.Enum):
    """How a class reference is written: bare, as a string, or as a module-bound ForwardRef."""

    NAME = "name"
    QUOTED = "quoted"
    FORWARD_REF = "forward_ref"


def annotation(node: TypeRef, names: ModuleNames, refs: RefStyle = RefStyle.NAME) -> str:
    """Annotation text; module-level values (union aliases) need quoted or bound references."""
    return _render(node, names, refs)


def _render(item: TypeRef, names: ModuleNames, refs: RefStyle) -> str:
    # Module level, not a closure: a recursive closure is a reference cycle per call.
    kind = item.kind
    if kind is TypeKind.PRIMITIVE:
        if item.name in PRIMITIVE_IMPORTS:
            return names.need(*PRIMITIVE_IMPORTS[item.name])
        return item.name
    if kind is TypeKind.REF:
        local = names.local_name(ClassKey(item.namespace, referenced_class(item.name)))
        if refs is RefStyle.QUOTED:
            return python_literal(local)
        if refs is RefStyle.FORWARD_REF:
            forward_ref = names.need("typing", "ForwardRef")
            return f"{forward_ref}({python_literal(local)}, module=__name__)"
        return local
    if kind in WRAPPER_KINDS:
        inner = item.args[0]
        while inner.kind in WRAPPER_KINDS:
            inner = inner.args[0]
        return f"{names.need('typing', 'Optional')}[{_render(inner, names, refs)}]"
    if kind is TypeKind.LIST:
        return f"{names.need('typing', 'List')}[{_render(item.args[0], names, refs)}]"
    if kind is TypeKind.DICT:
        keys, values = (_render(arg, names, refs) for arg in item.args)
        return f"{names.need('typing', 'Dict')}[{keys}, {values}]"
    if kind is TypeKind.UNION:
        parts = list(dict.fromkeys(_render(arg, names, refs) for arg in item.args))
        if len(parts) == 1:
            return parts[0]
        return f"{names.need('typing', 'Union')}[{', '.join(parts)}]"
    if kind is TypeKind.LITERAL:
        values = ", ".join(python_literal(v) for v in item.literals)
        return f"{names.need('typing', 'Literal')}[{values}]"
    if kind is TypeKind.EXTERNAL:
        if item.name in FILE_TYPES:
            annotated = names.need("typing", "Annotated")
            if item.name == "IO":
                file_type = f"{names.need('typing', 'IO')}[bytes]"
            else:
                names.modules.add("io")
                file_type = FILE_TYPES[item.name]
            return f"{annotated}[{file_type}, {names.transport('Unvalidated')}]"
        runtime_name = names.transport(RUNTIME_TYPES.get(item.name, "EventStream"))
        if item.args:
            return f"{runtime_name}[{', '.join(_render(arg, names, refs) for arg in item.args)}]"
        return runtime_name
    return names.need("typing", "Any")


def optional(text: str, names: ModuleNames) -> str:
    if text.startswith(f"{names.helper_name('typing', 'Optional')}[") or text == "None":
        return text
    return f"{names.need('typing', 'Optional')}[{text}]"


THIRD_PARTY = frozenset({"pydantic", "typing_extensions"})
_DIGITS = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple[str | int, ...]:
    """isort's natural order: `source7shifts` before `source100ms`."""
    return tuple(int(part) if part.isdigit() else part.lower() for part in _DIGITS.split(text))


@functools.lru_cache(maxsize=4096)  # the same few hundred names sort every module's imports
def member_key(name: str) -> tuple[int, tuple[str | int, ...]]:
    """isort's order of imported names: CONSTANTS, then Classes, then the rest."""
    rank = 0 if name.isupper() and len(name) > 1 else 1 if name[:1].isupper() else 2
    return rank, natural_key(name)


def import_lines(names: ModuleNames) -> list[str]:
    """Standard-library imports, then third-party ones, grouped and sorted as isort does."""
    groups: list[list[str]] = [[f"import {module}" for module in sorted(names.modules)], []]
    for module in sorted(names.from_imports):
        members = ", ".join(sorted(names.from_imports[module], key=member_key))
        line = f"from {module} import {members}"
        groups[module.split(".")[0] in THIRD_PARTY].append(line)
    lines: list[str] = []
    for group in groups:
        if group and lines:
            lines.append("")
        lines.extend(group)
    return lines
