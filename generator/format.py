"""Stage 5: format generated modules in-process."""

from __future__ import annotations

import enum


class Formatter(enum.Enum):
    BLACK = "black"
    NONE = "none"


LINE_LENGTH = 100


def format_files(files: dict[str, str], formatter: Formatter) -> dict[str, str]:
    if formatter is Formatter.NONE:
        return dict(files)
    # Imported here: a run that formats nothing never pays for black.
    import black
    from black.mode import TargetVersion
    from black.report import NothingChanged

    mode = black.Mode(target_versions={TargetVersion.PY311}, line_length=LINE_LENGTH)
    formatted: dict[str, str] = {}
    for path, text in files.items():
        if not path.endswith(".py") or not text:
            formatted[path] = text
            continue
        try:
            formatted[path] = black.format_str(text, mode=mode)
        except NothingChanged:
            formatted[path] = text
    return formatted
