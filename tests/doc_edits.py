"""Edits of Speakeasy Markdown by its structure, for tests that change a real doc tree: a
section by its heading, a table row by its first cell, an enum value, a union variant, an
operation of an SDK page by its `## method` heading. Each works on a doc's lines in place."""

from __future__ import annotations

import json
import posixpath
import re
from pathlib import Path

REQUIRED = ":heavy_check_mark:"
OPTIONAL = ":heavy_minus_sign:"
_LINK = re.compile(r"\]\(([^)\s#]+\.md)((?:#[^)\s]*)?)\)")
_VARIANT_CODE = re.compile(r"^\s*[A-Za-z_]\w*\s*:\s*(.+?)\s*=\s*/\*")


class Page:
    """A Markdown file of a tree, as lines; `save` writes it back."""

    def __init__(self, root: Path, relative: str) -> None:
        self.root, self.relative = root, relative
        self.lines = (root / relative).read_text(encoding="utf-8").split("\n")

    def save(self) -> None:
        (self.root / self.relative).write_text("\n".join(self.lines), encoding="utf-8")


def cells(line: str) -> list[str]:
    """The cells of a table row as written (`\\|` stays escaped), stripped."""
    text = line.strip().removeprefix("|")
    if text.endswith("|") and not text.endswith("\\|"):
        text = text[:-1]
    return [cell.strip() for cell in re.split(r"(?<!\\)\|", text)]


def row(values: list[str]) -> str:
    return "| " + " | ".join(values) + " |"


def set_cell(lines: list[str], index: int, at: int, text: str) -> None:
    values = cells(lines[index])
    values[at] = text
    lines[index] = row(values)


def plain(cell: str) -> str:
    """A Field or Error cell's text: without its code span, bold or strike-through."""
    return cell.strip().strip("~*").strip("`").strip()


def _fences(lines: list[str]) -> list[bool]:
    """For each line, whether it lies inside a fenced code block (fences included)."""
    inside, out = False, []
    for line in lines:
        fence = line.strip().startswith("```")
        out.append(inside or fence)
        if fence:
            inside = not inside
    return out


def section(lines: list[str], title: str, start: int = 0, end: int | None = None) -> range:
    """The lines of the section whose heading is `title` (`## Fields`, `### Errors`) within
    [start, end): from its heading to the next heading of its level or above; empty if none."""
    end = len(lines) if end is None else end
    level = title.split(" ", 1)[0]
    fenced = _fences(lines)
    at = next((i for i in range(start, end) if lines[i].strip() == title and not fenced[i]), None)
    if at is None:
        return range(0)
    for index in range(at + 1, end):
        marks = lines[index].split(" ", 1)[0]
        if not fenced[index] and marks and set(marks) == {"#"} and len(marks) <= len(level):
            return range(at, index)
    return range(at, end)


def table_rows(lines: list[str], within: range) -> tuple[int, list[int]]:
    """The header line of the first table in `within` and the lines of its rows."""
    header = next(i for i in within if lines[i].lstrip().startswith("|"))
    rows = []
    for index in range(header + 2, within.stop):
        if not lines[index].lstrip().startswith("|"):
            break
        rows.append(index)
    return header, rows


def column(lines: list[str], header: int, name: str) -> int | None:
    names = [cell.lower() for cell in cells(lines[header])]
    return names.index(name) if name in names else None


def field_rows(lines: list[str]) -> dict[str, int]:
    """The rows of a model doc's `## Fields` table by their field's documented name."""
    within = section(lines, "## Fields")
    if not within:
        return {}
    _, rows = table_rows(lines, within)
    return {plain(cells(lines[index])[0]): index for index in rows}


def field_cell(lines: list[str], field: str, name: str) -> str:
    header, _ = table_rows(lines, section(lines, "## Fields"))
    at = column(lines, header, name)
    return "" if at is None else cells(lines[field_rows(lines)[field]])[at]


def set_field_cell(lines: list[str], field: str, name: str, text: str) -> None:
    """The cell of column `name` (`type`, `required`, ...) of a field's row made `text`."""
    header, _ = table_rows(lines, section(lines, "## Fields"))
    at = column(lines, header, name)
    assert at is not None, f"no {name} column"
    set_cell(lines, field_rows(lines)[field], at, text)


def drop_field(lines: list[str], field: str) -> None:
    del lines[field_rows(lines)[field]]


def add_field(lines: list[str], field: str, type_cell: str, required: bool) -> None:
    """A row after the last one, its cells placed by the header's column names."""
    header, rows = table_rows(lines, section(lines, "## Fields"))
    by_name = {
        "field": f"`{field}`",
        "type": type_cell,
        "required": REQUIRED if required else OPTIONAL,
        "description": "N/A",
    }
    at = rows[-1] + 1 if rows else header + 2
    lines.insert(at, row([by_name.get(c.lower(), "") for c in cells(lines[header])]))


def enum_values(lines: list[str]) -> dict[str, int]:
    """The lines of an enum's values (`| NAME | value |` rows or `` - `"value"` `` bullets),
    by the value as a string (a JSON bullet decoded)."""
    within = section(lines, "## Values")
    found: dict[str, int] = {}
    if any(lines[i].lstrip().startswith("|") for i in within):
        _, rows = table_rows(lines, within)
        return {cells(lines[i])[1].replace("\\|", "|"): i for i in rows}
    for index in within:
        text = lines[index].strip()
        if text.startswith(("- `", "* `")):
            literal = text[2:].strip().strip("`")
            try:
                value = json.loads(literal)
            except ValueError:
                value = literal
            found[str(value)] = index
    return found


def add_enum_value(lines: list[str], name: str, value: str | int) -> None:
    """A value after the last one, written as the others are."""
    last = max(enum_values(lines).values())
    if lines[last].lstrip().startswith("|"):
        lines.insert(last + 1, row([f"`{name}`", str(value)]))
    else:
        lines.insert(last + 1, f"- `{json.dumps(value)}`")


def variant_blocks(lines: list[str]) -> list[tuple[range, str]]:
    """Each variant of a union doc: its lines (the `###` heading to its code block's closing
    fence) and the type its code line shows."""
    within = section(lines, "## Supported Types")
    blocks: list[tuple[range, str]] = []
    heading = None
    index = within.start
    while index < within.stop:
        if lines[index].startswith("### "):
            heading = index
        elif lines[index].strip().startswith("```") and heading is not None:
            close = next(i for i in range(index + 1, within.stop) if lines[i].strip() == "```")
            code = next(filter(None, map(_VARIANT_CODE.match, lines[index + 1 : close])))
            blocks.append((range(heading, close + 1), code.group(1)))
            heading, index = None, close
        index += 1
    return blocks


def drop_variant(lines: list[str], block: range) -> None:
    del lines[block.start : block.stop]


def add_variant(lines: list[str], type_text: str) -> None:
    end = variant_blocks(lines)[-1][0].stop
    code = ["", f"### `{type_text}`", "", "```python", f"value: {type_text} = /* values here */"]
    lines[end:end] = [*code, "```"]


def operation_section(lines: list[str], method: str) -> range:
    """An SDK page's section of one operation: its `## method` heading to the next listed
    operation's (descriptions may hold `##` headings of their own)."""
    listed = set(listed_operations(lines))
    fenced = _fences(lines)
    heads = [
        i
        for i, line in enumerate(lines)
        if not fenced[i] and line.startswith("## ") and line[3:].strip().strip("~") in listed
    ]
    at = next(i for i in heads if lines[i][3:].strip().strip("~") == method)
    later = [i for i in heads if i > at]
    return range(at, later[0] if later else len(lines))


def listed_operations(lines: list[str]) -> dict[str, int]:
    """The operations of an SDK page's `### Available Operations` list, by name: their lines."""
    found: dict[str, int] = {}
    for index in section(lines, "### Available Operations"):
        match = re.match(r"^[*-]\s+\[(?:~~)?([^\]~]+?)(?:~~)?\]\(#", lines[index].strip())
        if match:
            found.setdefault(match.group(1).strip(), index)
    return found


def error_rows(lines: list[str], method: str) -> list[int]:
    """The rows of an operation's `### Errors` table."""
    operation = operation_section(lines, method)
    within = section(lines, "### Errors", operation.start, operation.stop)
    return table_rows(lines, within)[1] if within else []


def error_row(lines: list[str], method: str, error: str, statuses: list[str]) -> int:
    """The row of an operation's `### Errors` table that raises the class `error`
    (`errors.NotFound`) for these statuses."""
    name = error.rpartition(".")[2]
    for index in error_rows(lines, method):
        shown, codes = cells(lines[index])[:2]
        said = sorted(code.strip().lower() for code in codes.split(",") if code.strip())
        wanted = sorted(status.lower() for status in statuses)
        if plain(shown).rpartition(".")[2] == name and said == wanted:
            return index
    raise AssertionError(f"no row of {method} raises {error} for {statuses}")


def add_error_row(lines: list[str], method: str, error: str, status: str) -> None:
    lines.insert(max(error_rows(lines, method)) + 1, row([error, status, "application/json"]))


def response_line(lines: list[str], method: str) -> int | None:
    """The line of an operation's `### Response` type (`**[models.X](...)**`)."""
    operation = operation_section(lines, method)
    within = section(lines, "### Response", operation.start, operation.stop)
    return next((i for i in within[1:] if lines[i].strip()), None)


def add_operation(lines: list[str], method: str, response: str) -> None:
    """An operation listed after the last one, with a section of its own at the page's end."""
    last = max(listed_operations(lines).values())
    lines.insert(last + 1, f"* [{method}](#{method}) - {method}")
    lines.extend(["", f"## {method}", "", "### Response", "", f"**{response}**", ""])


def links(relative: str, lines: list[str]) -> set[str]:
    """The docs a page links to, relative to the tree's root."""
    folder = posixpath.dirname(relative)
    return {
        posixpath.normpath(posixpath.join(folder, target))
        for line in lines
        if ".md" in line
        for target, _ in _LINK.findall(line)
    }


def relink(relative: str, lines: list[str], old: str, new: str) -> None:
    """A page's links to the doc at `old` (relative to the root) made to point at `new`."""
    folder = posixpath.dirname(relative)

    def moved(match: re.Match[str]) -> str:
        target, anchor = match.group(1), match.group(2)
        if posixpath.normpath(posixpath.join(folder, target)) != old:
            return match.group(0)
        return f"]({posixpath.relpath(new, folder or '.')}{anchor})"

    for index, line in enumerate(lines):
        if ".md" in line:
            lines[index] = _LINK.sub(moved, line)


def drop_line(lines: list[str], index: int) -> None:
    del lines[index]


def title_line(lines: list[str]) -> int:
    return next(i for i, line in enumerate(lines) if line.startswith("# "))


def reverse_fields(lines: list[str]) -> None:
    """The Fields table's rows in the opposite order."""
    _, rows = table_rows(lines, section(lines, "## Fields"))
    lines[rows[0] : rows[-1] + 1] = reversed(lines[rows[0] : rows[-1] + 1])


def unlink(cell: str) -> str:
    """A Type cell that is one link to a doc written without it: `*models.Pet*`."""
    match = re.fullmatch(r"\[([\w.\[\], ]+)\]\([^)\s]+\.md\)", cell)
    return f"*{match.group(1)}*" if match else cell


def union_span(text: str) -> tuple[int, int] | None:
    """Where the variants of the first `Union[...]` in `text` lie."""
    start = text.find("Union[")
    if start < 0:
        return None
    depth, index = 0, start + len("Union")
    while True:
        depth += {"[": 1, "]": -1}.get(text[index], 0)
        if depth == 0:
            return start + len("Union["), index
        index += 1


def union_variants(text: str) -> list[str]:
    """The variants a spelled-out `Union[...]` lists, split at its own commas."""
    span = union_span(text)
    assert span is not None
    parts, depth, current = [], 0, ""
    for char in text[span[0] : span[1]]:
        depth += {"[": 1, "]": -1}.get(char, 0)
        if char == "," and depth == 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    return [*parts, current.strip()]


def respell_union(text: str, variants: list[str]) -> str:
    span = union_span(text)
    assert span is not None
    return text[: span[0]] + ", ".join(variants) + text[span[1] :]


def rows_linking(relative: str, lines: list[str], target: str) -> dict[str, str]:
    """The Type cells of a model doc's rows that link to the doc at `target`, by field."""
    cells = {field: field_cell(lines, field, "type") for field in field_rows(lines)}
    return {field: cell for field, cell in cells.items() if target in links(relative, [cell])}


def reverse_values(lines: list[str]) -> None:
    """An enum's values, or a union's variants, in the opposite order."""
    if section(lines, "## Values"):
        at = sorted(enum_values(lines).values())
        lines[at[0] : at[-1] + 1] = reversed(lines[at[0] : at[-1] + 1])
        return
    blocks = [lines[block.start : block.stop] for block, _ in variant_blocks(lines)]
    first, last = variant_blocks(lines)[0][0].start, variant_blocks(lines)[-1][0].stop
    lines[first:last] = [line for block in reversed(blocks) for line in [*block, ""]]


def replace_section(lines: list[str], title: str, new: list[str]) -> None:
    within = section(lines, title)
    lines[within.start : within.stop] = new
