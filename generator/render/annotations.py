"""Type trees -> Python annotation text, plus the imports that text needs."""

from __future__ import annotations

import enum
import functools
import re
from dataclasses import dataclass, field

from generator.model.docs import WRAPPER_KINDS, TypeKind, TypeRef
from generator.model.naming import (
    BUILTIN_NAMES,
    referenced_class,
    runtime_reserved,
    transport_alias,
)
from generator.model.schema import ClassKey
from generator.parse.typecell import TRANSPORT_REQUESTS, TRANSPORT_RESPONSES
from generator.render.literals import python_literal

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
    # The names its class bodies bind (fields, an error's properties): where pydantic and
    # `typing.get_type_hints` evaluate an annotation, and for mypy, they come before the
    # module's globals.
    class_scope: frozenset[str] = frozenset()
    from_imports: dict[str, set[str]] = field(default_factory=dict)
    runtime: set[str] = field(default_factory=set)
    modules: set[str] = field(default_factory=set)
    references: dict[ClassKey, str] = field(default_factory=dict)
    # The referenced classes a class body uses (an enum member as a default): imported at the
    # module's top, not last.
    early: set[ClassKey] = field(default_factory=set)
    # Runtime transport classes (`Response`, ...) by their local name in this module.
    transports: dict[str, str] = field(default_factory=dict)

    def helper_name(self, module: str, name: str) -> str:
        """The local name of `name` of `module` in this module: a class the module defines
        may have its name (a doc class `Optional`), or a field (`list`), and then it is
        imported under an alias."""
        if self.defines(name) or name in self.class_scope:
            return f"_{module.split('.')[0]}_{name}"
        return name

    def defines(self, name: str) -> bool:
        """Whether a class of the module has that name, which it then binds as a global."""
        return name == self.owner.name or name in self.defined

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

    def builtin(self, name: str, class_scope: bool = True) -> str:
        """A builtin the module's class bodies use (`str`, `list`, `property`); imported under
        an alias where a class of the module has its name, or (`class_scope`) a name its
        class bodies bind."""
        hidden = self.defines(name) or (class_scope and name in self.class_scope)
        if not hidden:
            return name
        local = f"_builtins_{name}"
        self.from_imports.setdefault("builtins", set()).add(f"{name} as {local}")
        return local

    def local_name(self, key: ClassKey) -> str:
        if key == self.owner:
            return key.name
        if key not in self.references:
            taken = set(self.references.values()) | set(self.transports.values())
            reserved = runtime_reserved()
            clash = (
                self.defines(key.name)  # the module's class, or an error's body class
                or key.name in taken
                # A class named like a helper the annotations use (`Any`) or like a builtin
                # (`Warning`, `str`: bound at the module's end, it would hide the builtin in
                # the whole module) takes its namespace's name, as where two classes share
                # a name; so does one named like what a class body finds first: its fields,
                # and the attributes of the runtime's classes (`model_config`).
                or key.name in reserved.helpers
                or key.name in BUILTIN_NAMES
                or key.name in self.class_scope
                or key.name in reserved.model_attributes
                or key.name in reserved.error_attributes
                # and the private names of the classes they derive from (`_abc_impl`)
                or key.name.startswith("_")
                or any(k.name == key.name for k in self.references if k != key)
            )
            local: str = key.name
            if clash:
                alias = local = f"{key.namespace}_{key.name}"
                counter = 2
                while self._taken(local, taken):  # a class may have that name too
                    local, counter = f"{alias}_{counter}", counter + 1
            self.references[key] = local
        return self.references[key]

    def _taken(self, local: str, taken: set[str]) -> bool:
        """Whether an alias is another name of the module: a referenced class's, a class's
        the module defines, or a field's."""
        return local in taken or self.defines(local) or local in self.class_scope

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
            taken = name == self.owner.name or name in self.defined
            taken = taken or name in self.references.values()
            self.transports[name] = transport_alias(name) if taken else name
        return self.transports[name]

    def runtime_imports(self) -> list[str]:
        """What the module imports from the runtime, sorted by imported name."""
        clauses = {name: name for name in self.runtime}
        for name, local in self.transports.items():
            clauses[name] = name if local == name else f"{name} as {local}"
        return [clauses[name] for name in sorted(clauses)]


class RefStyle(enum.Enum):
    """How a class reference is written, which also decides how a union may be written.

    NAME: bare, in annotations (strings that are evaluated once the module's names are bound).
    QUOTED: as a string, in a value evaluated at import (a union alias), where `"A" | B` would
    be `str | type`, a TypeError: such a union stays `Union["A", B]`. QUOTED_FOR_CHECKERS: as
    a string, in a value that only type checkers read (under `if TYPE_CHECKING:`).
    FORWARD_REF: as a ForwardRef bound to the module, which `|` takes at run time.
    """

    NAME = "name"
    QUOTED = "quoted"
    QUOTED_FOR_CHECKERS = "quoted_for_checkers"
    FORWARD_REF = "forward_ref"


def annotation(
    node: TypeRef, names: ModuleNames, refs: RefStyle = RefStyle.NAME, nullable: bool = False
) -> str:
    """Annotation text in the style of Python 3.11 (`X | None`, `list[X]`); `nullable` admits
    None besides the type. Module-level values need quoted or bound references."""
    if nullable:
        node = TypeRef(TypeKind.OPTIONAL, args=(node,))
    return _render(node, names, refs)


def _render(item: TypeRef, names: ModuleNames, refs: RefStyle) -> str:
    # Module level, not a closure: a recursive closure is a reference cycle per call.
    kind = item.kind
    if kind is TypeKind.PRIMITIVE:
        if item.name in PRIMITIVE_IMPORTS:
            return names.need(*PRIMITIVE_IMPORTS[item.name])
        return item.name if item.name == "None" else names.builtin(item.name)
    if kind is TypeKind.REF:
        local = names.local_name(ClassKey(item.namespace, referenced_class(item.name)))
        if refs in (RefStyle.QUOTED, RefStyle.QUOTED_FOR_CHECKERS):
            return python_literal(local)
        if refs is RefStyle.FORWARD_REF:
            forward_ref = names.need("typing", "ForwardRef")
            return f"{forward_ref}({python_literal(local)}, module=__name__)"
        return local
    if kind in WRAPPER_KINDS or kind is TypeKind.UNION:
        return _union(item, names, refs)
    if kind is TypeKind.LIST:
        return f"{names.builtin('list')}[{_render(item.args[0], names, refs)}]"
    if kind is TypeKind.DICT:
        keys, values = (_render(arg, names, refs) for arg in item.args)
        return f"{names.builtin('dict')}[{keys}, {values}]"
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


def _alternatives(item: TypeRef, into: list[TypeRef]) -> bool:
    """Adds the members of a union or a wrapper to `into`, nested ones flattened and None
    left out; whether None is one of them."""
    if item.kind is TypeKind.UNION:
        nullable = False
        for arg in item.args:
            nullable = _alternatives(arg, into) or nullable
        return nullable
    if item.kind in WRAPPER_KINDS:
        _alternatives(item.args[0], into)
        return True
    if item.kind is TypeKind.PRIMITIVE and item.name == "None":
        return True
    into.append(item)
    return False


def _union(item: TypeRef, names: ModuleNames, refs: RefStyle) -> str:
    members: list[TypeRef] = []
    nullable = _alternatives(item, members)
    # None last, as `X | None` reads; the order of the others is the docs' (pydantic's smart
    # union falls back to it).
    parts = list(dict.fromkeys(_render(member, names, refs) for member in members))
    if nullable:
        parts.append("None")
    if len(parts) == 1:
        return parts[0]
    if refs is RefStyle.QUOTED and any(member.kind is TypeKind.REF for member in members):
        if len(parts) == 2 and nullable:
            return f"{names.need('typing', 'Optional')}[{parts[0]}]"
        return f"{names.need('typing', 'Union')}[{', '.join(parts)}]"
    return " | ".join(parts)


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
