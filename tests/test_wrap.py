"""Templates emit black-stable code: `fit` splits long statements exactly as black does."""

from __future__ import annotations

import random
from pathlib import Path

from generator.config import Config
from generator.model.target import Formatter
from generator.pipeline import build
from generator.render.format import black_format
from generator.render.wrap import LINE_LENGTH, fit
from tests.conftest import fields_doc, write_docs


def _name(rng: random.Random, low: int, high: int) -> str:
    return "N" + "a" * rng.randint(low, high)


def _statement(rng: random.Random) -> str:
    """A module with one statement of a shape the templates emit, of random length."""
    kind = rng.randrange(7)
    if kind == 0:
        names = ", ".join(_name(rng, 3, 60) for _ in range(rng.randint(1, 4)))
        return f"from .{_name(rng, 5, 60)} import {names}\n"
    if kind == 1:
        name = _name(rng, 5, 60)
        return f"if X:\n    from .{_name(rng, 5, 60)} import {name} as {name}\n"
    if kind == 2:
        bases = ", ".join(rng.choice(["str", "Enum", "GeneratedModel", "x.Y"]) for _ in range(2))
        return f"class {_name(rng, 50, 120)}({bases}):\n    pass\n"
    if kind == 3:
        value = _name(rng, 30, 110)
        return f"class C:\n    data_model: ClassVar[type[GeneratedModel]] = {value}\n"
    if kind == 4:
        returns = rng.choice(
            [
                _name(rng, 50, 110),
                f"{_name(rng, 40, 100)} | None",
                f"list[{_name(rng, 30, 90)}] | None",
                f"_builtins_list[{_name(rng, 30, 90)}]",
            ]
        )
        return f"class C:\n    @property\n    def x(self) -> {returns}:\n        return 1\n"
    name = _name(rng, 5, 60)
    if kind == 5:
        members = ", ".join(
            rng.choice(["str", '"One"', _name(rng, 3, 40), f'"{_name(rng, 3, 30)}"', "list[str]"])
            for _ in range(rng.randint(1, 12))
        )
        return f'{name} = TypeAliasType("{name}", Union[{members}])\n'
    # Evaluated at import, so without quoted operands; quoted names inside brackets.
    operands = [
        rng.choice(
            [
                "str",
                "None",
                _name(rng, 3, 50),
                f'list["{_name(rng, 3, 40)}"]',
                f"dict[str, {_name(rng, 3, 40)}]",
                'Literal["a", "b"]',
            ]
        )
        for _ in range(rng.randint(2, 8))
    ]
    return f'{name} = TypeAliasType("{name}", {" | ".join(operands)})\n'


def test_fit_splits_exactly_as_black_or_not_at_all() -> None:
    rng = random.Random(7)
    sources = [_statement(rng) for _ in range(400)]
    expected = black_format(sources)
    split = 0
    for source, formatted in zip(sources, expected, strict=True):
        fitted = fit(source)
        if fitted != source:
            split += 1
            assert fitted == formatted, source
    assert split > 100  # the shapes were exercised, not just passed through


def test_short_lines_and_other_shapes_are_left_alone() -> None:
    text = '    x: A | B | None = None\n    """from a import b"""\n'
    assert fit(text) == text
    long_field = f"    field: {'A' * LINE_LENGTH} | None = None"
    assert fit(long_field) == long_field
    # A `|` inside brackets is not the alias's own union: black splits the brackets.
    nested = f'X = TypeAliasType("X", list[{"A" * 50} | {"B" * 50}])'
    assert fit(nested) == nested
    quoted = 'X = TypeAliasType("X", Literal["' + "a] | b[" * 20 + '"] | None)'
    assert fit(quoted) == quoted


LONG = "PostAtsCandidatesCandidateIdResultLinksUnifiedAtsApiResponse503ResponseBody"


def test_a_package_with_long_names_is_already_black_formatted(tmp_path: Path) -> None:
    docs = {
        f"models/shared/{LONG.lower()}data.md": fields_doc(
            LONG + "Detail", [("message", "*str*", True, "What went wrong.")]
        ),
        f"models/errors/{LONG.lower()}.md": fields_doc(
            LONG,
            [
                (
                    "error",
                    f"[shared.{LONG}Detail](../../models/shared/{LONG.lower()}data.md)",
                    True,
                    "",
                ),
                ("status", f"[{LONG}Status](../../models/errors/status.md)", True, ""),
            ],
        ),
        "models/errors/status.md": f"# {LONG}Status\n\n\n## Values\n\n| Name | Value |\n"
        "| ---- | ----- |\n| `ERROR` | error |\n",
    }
    specs = write_docs(tmp_path, docs)
    config = Config(specs=specs, output=tmp_path / "out", package="pets", cache=False, jobs=1)
    _, plain = build(config.with_flags(formatter=Formatter.NONE))
    _, formatted = build(config)
    assert any(" import (\n" in text for text in plain.values())  # long enough to be split
    for path, text in formatted.items():
        assert plain[path] == text, path
