"""The runtime of the generated packages: every package carries these modules, verbatim, in
its `_runtime` folder (the pydantic or the dataclasses models, with what both share).

The generator imports only `keys` (Speakeasy's naming of JSON keys) and, here, reads the other
modules as text: which names they export and which attributes their classes define are the
names generated code must not take.
"""

from __future__ import annotations

import ast
import functools
from pathlib import Path

# The package's folder that holds the runtime.
FOLDER = "_runtime"
# The models module of each target (pydantic, dataclasses).
MODELS_MODULES = ("pydantic_models", "dataclass_models")
_HERE = Path(__file__).resolve().parent


@functools.cache
def source(module: str) -> str:
    return (_HERE / f"{module}.py").read_text(encoding="utf-8")


@functools.cache
def _tree(module: str) -> ast.Module:
    return ast.parse(source(module))


@functools.cache
def exported_names(module: str) -> tuple[str, ...]:
    """The `__all__` of a runtime module."""
    for node in _tree(module).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets
        ):
            return tuple(ast.literal_eval(node.value))
    raise LookupError(f"generator/runtime/{module}.py defines no __all__")


@functools.cache
def class_attributes(module: str, name: str) -> frozenset[str]:
    """The names a runtime class defines, with those of the runtime classes it derives from:
    its methods and class attributes, and the attributes its methods set on `self`."""
    tree = _tree(module)
    imported = {
        alias.asname or alias.name: node.module
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module
        for alias in node.names
    }
    for node in tree.body:
        if isinstance(node, ast.ClassDef) and node.name == name:
            names = {_defined(item) for item in node.body} - {""}
            names.update(
                target.attr
                for item in ast.walk(node)
                if isinstance(item, ast.Assign | ast.AnnAssign)
                for target in (item.targets if isinstance(item, ast.Assign) else [item.target])
                if isinstance(target, ast.Attribute)
                and isinstance(target.value, ast.Name)
                and target.value.id == "self"
            )
            for base in node.bases:
                if isinstance(base, ast.Name) and base.id in imported:
                    names |= class_attributes(imported[base.id], base.id)
                elif isinstance(base, ast.Name) and _defines_class(tree, base.id):
                    names |= class_attributes(module, base.id)
            return frozenset(names)
    raise LookupError(f"generator/runtime/{module}.py defines no class {name}")


def _defined(item: ast.stmt) -> str:
    if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
        return item.name
    if isinstance(item, ast.AnnAssign) and isinstance(item.target, ast.Name):
        return item.target.id
    if isinstance(item, ast.Assign) and isinstance(item.targets[0], ast.Name):
        return item.targets[0].id
    return ""


def _defines_class(tree: ast.Module, name: str) -> bool:
    return any(isinstance(node, ast.ClassDef) and node.name == name for node in tree.body)
