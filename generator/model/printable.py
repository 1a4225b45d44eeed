"""Text that is printed on one line, whatever a file's name or a doc holds."""

from __future__ import annotations


def printable(text: str) -> str:
    """`text` with every character that is not printable escaped as Python's repr escapes
    it: a newline, a carriage return, a terminal escape, a line separator or a bidirectional
    override in a file's name can then neither split a printed problem nor forge another, nor
    drive the terminal. Printable text, every ordinary path among it, is unchanged."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def printed_path(path: str) -> str:
    r"""A path as it starts a printed problem (`path:line: ...`): as it is, or, when it could
    be read as another path or forge a location, quoted and escaped as a Python string
    literal: `'x.md:1: error: y.md'`, `'a\nb.md'` for a newline in the name and `'a\\nb.md'`
    for a backslash. That is when it holds a character that is not printable, a backslash,
    a colon (which ends a path in such a line) or starts with a quote (which starts a
    quoted one)."""
    if path.isprintable() and not any(c in path for c in "\\:") and not path.startswith(_QUOTES):
        return path
    return repr(path)


_QUOTES = ("'", '"')
