"""Synthetic doc trees for the benchmark: renamed copies of a real Speakeasy tree."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

# Where a class name stands: the H1 title, and `namespace.Name` in Type cells, union
# variants and the error tables of SDK pages (kombo-v1 always writes the namespace).
_NAME = re.compile(r"(?:\A# |\b[a-z_]+\.)(?P<name>[A-Za-z_][A-Za-z0-9_]*)\b")


def class_names(docs: Path) -> set[str]:
    """The H1 title of every model doc: the names a copy must rename."""
    names = set()
    for path in docs.rglob("*.md"):
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        if first.startswith("# ") and path.name != "README.md":
            names.add(first[2:].strip())
    return names


def _split(text: str, names: set[str]) -> list[str]:
    """text as [literal, name, literal, name, ..., literal], names being class names."""
    parts: list[str] = []
    last = 0
    for match in _NAME.finditer(text):
        if match["name"] in names:
            parts += [text[last : match.start("name")], match["name"]]
            last = match.end("name")
    parts.append(text[last:])
    return parts


def renamed_copies(docs: Path, target: Path, copies: int) -> int:
    """`copies` copies of docs under target/cNN/, every class renamed `<Name>C<NN>`.

    Each copy keeps its folders (so namespaces grow `copies` times) and its relative
    links, which stay inside the copy. Returns the number of Markdown files written.
    """
    if target.exists():
        shutil.rmtree(target)
    names = class_names(docs)
    templates = {
        path.relative_to(docs): _split(path.read_text(encoding="utf-8"), names)
        for path in sorted(docs.rglob("*.md"))
    }
    written = 0
    for copy in range(copies):
        suffix = f"C{copy:02d}"
        for relative, parts in templates.items():
            text = "".join(part + suffix if index % 2 else part for index, part in enumerate(parts))
            path = target / f"c{copy:02d}" / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            written += 1
    return written
