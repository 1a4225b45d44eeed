"""The only way text from a doc reaches generated source: escaped literals.

Every helper here is built on `repr()` (or escapes each character it does not
copy verbatim), so no doc text can end a string early or inject code.
"""

from __future__ import annotations

import inspect
from collections.abc import Sequence

_SAFE_CONTROL = "\n"
DOCSTRING_INDENT = "    "


class Expression(str):
    """Source text the generator composed of names it made (`Color.RED`), never of doc
    text: written as it is where a literal could stand."""


def python_literal(value: object) -> str:
    """A Python literal for str/int/float/bool/None, double-quoted like black writes it (an
    `Expression` as it is)."""
    if isinstance(value, Expression):
        return str(value)
    if value is None or isinstance(value, bool | int | float):
        return repr(value)
    if not isinstance(value, str):
        raise TypeError(f"no literal for {type(value).__name__}")
    text = repr(value)
    if text.startswith("'") and '"' not in value:
        return '"' + text[1:-1] + '"'
    return text


def keyword_arguments(pairs: Sequence[tuple[str, object]]) -> str:
    """`name=literal, ...`: names come from the generator, values through `python_literal`."""
    for name, _ in pairs:
        if not name.isidentifier():
            raise ValueError(f"not a keyword: {name!r}")
    return ", ".join(f"{name}={python_literal(value)}" for name, value in pairs)


def dict_literal(pairs: Sequence[tuple[str, object]]) -> str:
    """`{"key": literal, ...}` with keys and values through `python_literal`."""
    items = ", ".join(f"{python_literal(key)}: {python_literal(value)}" for key, value in pairs)
    return "{" + items + "}"


def _escape_char(char: str) -> str:
    if char == "\\":
        return "\\\\"
    if char == '"':
        return '\\"'
    if char == "\t":
        return "\\t"
    if char == "\r":
        return "\\r"
    code = ord(char)
    if char != _SAFE_CONTROL and (code < 0x20 or code == 0x7F or 0xD800 <= code <= 0xDFFF):
        return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"
    if not char.isprintable() and char not in (_SAFE_CONTROL, " "):
        return repr(char)[1:-1]
    return char


def _escape_line(line: str) -> str:
    """Escape a docstring line; edge whitespace is escaped so formatters cannot strip it."""
    if line.isprintable():
        # Only `\\` and `"` need escaping then; most lines take this path.
        body = line.replace("\\", "\\\\").replace('"', '\\"')
    else:
        body = "".join(_escape_char(c) for c in line)
    stripped = body.lstrip(" ")
    body = "\\x20" * (len(body) - len(stripped)) + stripped
    stripped = body.rstrip(" ")
    return stripped + "\\x20" * (len(body) - len(stripped))


def docstring_literal(text: str, indent: str = DOCSTRING_INDENT) -> str:
    """A triple-quoted docstring that gives back `text` exactly.

    Text that `inspect.cleandoc` (what pydantic and `inspect.getdoc` apply) leaves as it is
    is written PEP 257-style: continuation lines indented by `indent` (that of the body the
    docstring opens: four spaces for a class, none for a module; the form black gives
    docstrings), so that `cleandoc` of the value is `text`. Any other text (leading or
    trailing blank lines or whitespace, tabs, lines all indented further) is written on one
    line with its newlines escaped, so the value itself is `text`.
    """
    lines = text.split("\n")
    if len(lines) > 1:
        value = "\n".join([lines[0], *(indent + line if line else "" for line in lines[1:])])
        if inspect.cleandoc(value) == text:
            escaped = [_escape_line(lines[0])]
            escaped += [indent + _escape_line(line) if line else "" for line in lines[1:]]
            return _quoted("\n".join(escaped))
    return _quoted(_escape_line(text).replace("\n", "\\n"))


def _quoted(body: str) -> str:
    if body.endswith('\\"'):
        # A closing `\"` next to the quotes makes formatters insert a space.
        body = body[:-2] + "\\x22"
    return '"""' + body + '"""'
