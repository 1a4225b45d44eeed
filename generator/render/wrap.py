"""Long statements split the way black splits them, so black has (almost) nothing to do.

black's cost hardly depends on how much it changes, but a module it would leave alone can
be formatted by ruff or read unformatted (`--formatter none`) just the same, and cached
modules stay valid across formatter versions more often. The `fit` template filter
rewrites a statement longer than the line length only when it has one of the simple
shapes below, into exactly black's output for it; anything else is left to the formatter.
"""

from __future__ import annotations

import re

# The generated modules' line length: black and ruff format to it, templates wrap to it.
LINE_LENGTH = 100
INDENT = "    "

_IMPORT = re.compile(r"from (?P<module>[\w.]+) import (?P<names>[\w, ]+)\Z")
_CLASS = re.compile(r"class (?P<name>\w+)\((?P<bases>[\w., ]+)\):\Z")
# `name: Annotation[...] = Value`, the RHS a bare name (the error classes' `data_model`).
_ASSIGN = re.compile(r"(?P<target>\w+: [\w.]+\[[\w.\[\], ]+\]) = (?P<value>\w+)\Z")
_PROPERTY = re.compile(r"def (?P<name>\w+)\(self\) -> (?P<returns>[\w.\[\], \"|]+):\Z")
_ALIAS = re.compile(r"(?P<name>\w+) = TypeAliasType\((?P<label>\"\w+\"), (?P<union>.+)\)\Z")
# An operand of a `|` union: a name or a quoted one, maybe subscripted (`list["Pet"]`). Only
# strings of word characters: another string might hold the ` | ` the operands are split at.
_OPERAND = re.compile(r"(?:[\w.]+|\"\w+\")(?:\[(?:[\w.\[\], ]|\"\w*\")*\])?\Z")
_SIMPLE_ARGUMENT = re.compile(r"(?:\w+|\"\w+\")\Z")
# The modules' `_linking.link(__name__, "module:Name", ...)` call.
_LINK_CALL = re.compile(r"(?P<head>_linking\.link\()(?P<args>__name__(?:, \"[\w.:]+\")+)\)\Z")


def fit(text: str) -> str:
    """Each line of `text` that is too long and has a known shape, split as black would."""
    lines = text.split("\n")
    return "\n".join(_fit_line(line) for line in lines)


def _fit_line(line: str) -> str:
    if len(line) <= LINE_LENGTH:
        return line
    statement = line.lstrip(" ")
    indent = line[: len(line) - len(statement)]
    for shape in (_import, _class, _assignment, _property, _alias, _link_call):
        split = shape(statement, indent)
        if split is not None:
            return split
    return line


def _fits(*lines: str) -> bool:
    return all(len(line) <= LINE_LENGTH for line in lines)


def _import(statement: str, indent: str) -> str | None:
    """`from m import a, b` -> one name per line with a trailing comma, always."""
    match = _IMPORT.match(statement)
    if match is None:
        return None
    names = [name.strip() for name in match["names"].split(",")]
    inner = indent + INDENT
    body = [f"{inner}{name}," for name in names]
    return "\n".join([f"{indent}from {match['module']} import (", *body, f"{indent})"])


def _class(statement: str, indent: str) -> str | None:
    """`class X(A, B):` -> the bases on one line of their own, when that line fits."""
    match = _CLASS.match(statement)
    if match is None:
        return None
    body = indent + INDENT + match["bases"]
    if not _fits(f"{indent}class {match['name']}(", body):
        return None
    return "\n".join([f"{indent}class {match['name']}(", body, f"{indent}):"])


def _assignment(statement: str, indent: str) -> str | None:
    """`x: T[...] = Name` -> the right-hand side in parentheses, when that fits."""
    match = _ASSIGN.match(statement)
    if match is None:
        return None
    head = f"{indent}{match['target']} = ("
    body = indent + INDENT + match["value"]
    if not _fits(head, body):
        return None
    return "\n".join([head, body, f"{indent})"])


def _property(statement: str, indent: str) -> str | None:
    """`def f(self) -> T:` -> `self,` on its own line, when the return line fits."""
    match = _PROPERTY.match(statement)
    if match is None:
        return None
    returns = f"{indent}) -> {match['returns']}:"
    if not _fits(returns):
        return None
    return "\n".join([f"{indent}def {match['name']}(", f"{indent}{INDENT}self,", returns])


def _alias(statement: str, indent: str) -> str | None:
    """`X = TypeAliasType("X", Union[...])` or `TypeAliasType("X", A | B)` -> the arguments on
    one line, else one per line, else the union's members one per line."""
    match = _ALIAS.match(statement)
    if match is None:
        return None
    head = f"{indent}{match['name']} = TypeAliasType("
    inner = indent + INDENT
    together = f"{inner}{match['label']}, {match['union']}"
    if _fits(head, together):
        return "\n".join([head, together, f"{indent})"])
    label, union = f"{inner}{match['label']},", f"{inner}{match['union']},"
    if _fits(head, label, union):
        return "\n".join([head, label, union, f"{indent})"])
    if match["union"].startswith("Union["):
        members = _union_members(match["union"], inner)
    else:
        members = _operator_members(match["union"], inner)
    if members is None or not _fits(head, label, *members):
        return None
    return "\n".join([head, label, *members, f"{indent})"])


def _union_members(union: str, inner: str) -> list[str] | None:
    """`Union[a, b]` split as black splits it: the members on one line, else one per line."""
    if not union.endswith("]"):
        return None
    members_text = union[len("Union[") : -1]
    members = [m.strip() for m in members_text.split(",")]
    if not all(_SIMPLE_ARGUMENT.match(m) for m in members):
        return None
    opened, closed = f"{inner}Union[", f"{inner}],"
    together = f"{inner}{INDENT}{members_text}"
    if _fits(together):
        return [opened, together, closed]
    return [opened, *(f"{inner}{INDENT}{member}," for member in members), closed]


def _operator_members(union: str, inner: str) -> list[str] | None:
    """`a | b | c` split as black splits it: one operand per line, each after the first
    led by its `|`, a comma after the last."""
    operands = union.split(" | ")
    if len(operands) < 2 or not all(
        _OPERAND.match(operand) and operand.count("[") == operand.count("]") for operand in operands
    ):
        return None  # not a union of such operands at the top (`list[int | str]`)
    lines = [f"{inner}{operands[0]}", *(f"{inner}| {operand}" for operand in operands[1:])]
    lines[-1] += ","
    return lines


def _link_call(statement: str, indent: str) -> str | None:
    """`f(__name__, "a", "b")` -> the arguments on one line of their own when it fits, else
    one per line with a trailing comma (black's right-hand split)."""
    match = _LINK_CALL.match(statement)
    if match is None:
        return None
    head, inner = f"{indent}{match['head']}", indent + INDENT
    together = f"{inner}{match['args']}"
    if _fits(together):
        return "\n".join([head, together, f"{indent})"])
    body = [f"{inner}{argument}," for argument in match["args"].split(", ")]
    return "\n".join([head, *body, f"{indent})"])
