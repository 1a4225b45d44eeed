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
