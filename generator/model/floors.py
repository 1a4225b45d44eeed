"""The oldest Python and pydantic that a generated package runs on: the one place that says
so, for the package's docstring and its `pyproject.toml` alike."""

from __future__ import annotations

from generator.model.target import Target

# Every generated package imports `typing.Self`, and the dataclasses target's scalars use
# `datetime.UTC`: both are new in Python 3.11.
PYTHON = (3, 11)

# The pydantic runtime (generator/runtime/) reads payloads with `model_validate(data,
# by_name=False, ...)` and validates the keys of a model's extra (`__pydantic_extra__:
# dict[<checked str>, Any]`), both new in pydantic 2.11: under 2.10 `from_dict` raises a
# TypeError. Its models' config (`validate_by_name`, `validate_by_alias`,
# `serialize_by_alias`) is new in 2.11 too. Raise this with the runtime whenever it needs more.
PYDANTIC = (2, 11)


def _dotted(version: tuple[int, ...]) -> str:
    return ".".join(str(part) for part in version)


def requires_python() -> str:
    """The package's `requires-python` specifier."""
    return f">={_dotted(PYTHON)}"


def dependencies(target: Target) -> list[str]:
    """The requirements of a package of `target`: the dataclasses target needs nothing
    outside the standard library."""
    return [f"pydantic>={_dotted(PYDANTIC)}"] if target is Target.PYDANTIC else []


def requirements_sentence(target: Target) -> str:
    """What a package of `target` needs, said in one sentence of its docstring."""
    python = f"Python >= {_dotted(PYTHON)}"
    if target is Target.PYDANTIC:
        return f"Requires {python} and pydantic >= {_dotted(PYDANTIC)}."
    return f"Requires {python} and nothing outside the standard library."
