"""A doc may give its class the name of a Python builtin (`Warning`, `Exception`, `str`,
`type`, `property`, ...): the class keeps that name, every class that refers to it reads it,
and annotations that mean the builtin (`str`, `list[str]`, `dict[str, int]`) still mean it, in
every module of the package, on both targets."""

from __future__ import annotations

import builtins
import keyword
from pathlib import Path

import black
import pytest

from generator.model.naming import runtime_reserved
from generator.render.wrap import LINE_LENGTH
from tests.conftest import fields_doc, generate_with_cli, run_python, write_docs
from tests.test_generated_typing import strict_mypy, style_findings

# Every builtin of the running Python that a doc can give as a class title (names with two
# leading underscores are the namespace modules' own).
BUILTINS = sorted(
    name
    for name in dir(builtins)
    if name.isidentifier() and not keyword.iskeyword(name) and not name.startswith("__")
)
# The builtins the error template and the runtime's errors use, as error classes.
ERRORS = ["BaseException", "Exception", "bool", "dict", "list", "object", "property", "str", "type"]
SCALARS = [
    ("s", "*str*", True, ""),
    ("l", "List[*str*]", False, ""),
    ("d", "Dict[str, *int*]", False, ""),
]
EXTRA = ("__pydantic_extra__", "Dict[str, *Any*]", False, "")


def _link(namespace: str, name: str) -> str:
    return f"[Optional[{namespace}.{name}]](../{namespace}/{name}.md)"


def _union_doc(name: str, *variants: str) -> str:
    sections = [f"### `{v}`\n\n```python\nvalue: {v} = /* values here */\n```\n" for v in variants]
    return f"# {name}\n\n## Supported Types\n\n" + "\n".join(sections)


DOCS = {
    # Each refers to itself too: in its own module its name is the class.
    **{
        f"models/{name}.md": fields_doc(
            name, [*SCALARS, ("same", _link("models", name), False, ""), EXTRA]
        )
        for name in BUILTINS
    },
    **{f"errors/{name}.md": fields_doc(name, SCALARS) for name in ERRORS},
    # A union and an enum of builtins' names, whose variants name the builtin and the class.
    "kinds/str.md": _union_doc("str", "models.str", "str"),
    "kinds/int.md": "# int\n\n## Values\n\n| Name | Value |\n| --- | --- |\n| `ONE` | 1 |\n",
    "models/holder.md": fields_doc(
        "Holder",
        [
            *SCALARS,
            ("union", _link("kinds", "str"), False, ""),
            ("number", _link("kinds", "int"), False, ""),
            *(
                (f"f_{index}", _link("models", name), False, "")
                for index, name in enumerate(BUILTINS)
            ),
        ],
    ),
}
PAYLOAD = {"s": "x", "l": ["a"], "d": {"k": 1}}


@pytest.fixture(scope="module", params=["pydantic", "dataclasses"])
def package(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp(f"builtins-{request.param}")
    specs = write_docs(root, DOCS)
    return generate_with_cli(specs, root / "out", "lib", "--target", request.param)


def test_the_builtins_are_many_and_include_the_annotations_own() -> None:
    assert len(BUILTINS) > 100
    assert {"str", "list", "dict", "int", "type", "object", "Warning", "Ellipsis"} <= set(BUILTINS)


def test_every_class_keeps_its_name_and_reads_its_payload(package: Path) -> None:
    run_python(
        f"""
        import builtins, importlib, pkgutil
        import lib.errors, lib.kinds, lib.models
        from lib import ApiError
        from lib.models import Exception, Warning, str, type
        for namespace in (lib.errors, lib.kinds, lib.models):
            for module in pkgutil.iter_modules(namespace.__path__):
                importlib.import_module(f"{{namespace.__name__}}.{{module.name}}")
        assert Warning.__name__ == "Warning" and type.__name__ == "type" and str is lib.models.str
        payload = {PAYLOAD!r}
        for name in {BUILTINS!r}:
            cls = getattr(lib.models, name)
            assert cls.__name__ == name and cls is not getattr(builtins, name), name
            read = cls.from_dict({{**payload, "same": payload, "extra": 1}})
            assert builtins.type(read.s) is builtins.str, (name, read.s)
            assert builtins.type(read.l) is builtins.list and builtins.type(read.d) is builtins.dict
            assert builtins.type(read.same) is cls, (name, read.same)
            assert read.to_dict() == {{**payload, "same": payload, "extra": 1}}, name
            try:
                cls.from_dict({{"s": 1}})
            except ValueError:
                pass
            else:
                raise AssertionError(f"{{name}}: a number is no str")
        fields = {{f"f_{{index}}": payload for index, _ in enumerate({BUILTINS!r})}}
        holder = lib.models.Holder.from_dict(
            {{**payload, **fields, "union": payload, "number": 1}}
        )
        for index, name in enumerate({BUILTINS!r}):
            assert builtins.type(getattr(holder, f"f_{{index}}")) is getattr(lib.models, name)
        assert builtins.type(holder.union) is lib.models.str and holder.number is lib.kinds.int.ONE
        assert holder.to_dict() == {{**payload, **fields, "union": payload, "number": 1}}
        assert lib.models.Holder.from_dict({{**payload, "union": "text"}}).union == "text"
        for name in {ERRORS!r}:
            error_class = getattr(lib.errors, name)
            try:
                raise error_class.from_response('{{"s": "x", "l": ["a"]}}', status_code=400)
            except ApiError as error:
                assert builtins.type(error) is error_class and error.s == "x", name
                assert error.l == ["a"] and error.status_code == 400
        try:
            lib.models.NoSuchClass
        except builtins.AttributeError as error:
            assert "NoSuchClass" in builtins.str(error)
        assert "Warning" in dir(lib.models)
        """,
        package,
    )


def test_ruff_finds_nothing(package: Path) -> None:
    assert style_findings(package / "lib") == ""


def test_the_namespace_modules_importing_builtins_are_in_black_form(package: Path) -> None:
    """They skip the formatter (render.IN_BLACK_FORM)."""
    mode = black.Mode(target_versions={black.TargetVersion.PY311}, line_length=LINE_LENGTH)
    for module in sorted((package / "lib").glob("*/__init__.py")):
        text = module.read_text(encoding="utf-8")
        assert black.format_str(text, mode=mode) == text, module


@pytest.mark.slow
def test_the_package_passes_mypy_strict(package: Path, tmp_path: Path) -> None:
    strict_mypy(package, tmp_path, "-p", "lib")


# Titles that a Type cell also spells as a scalar, a typing name or a collection: a link to
# the local doc of that title means the doc's class.
SCALAR_TITLES = ["int", "str", "bool", "float", "bytes", "Any", "datetime", "date", "Decimal"]
LINKED_TITLES = [*SCALAR_TITLES, "list", "dict"]
LINKED_DOCS = {
    **{
        f"models/my{title.lower()}.md": fields_doc(title, [("x", "*int*", True, "")])
        for title in LINKED_TITLES
    },
    "models/user.md": fields_doc(
        "User",
        [
            *(
                (f"f_{title}", f"[{title}](my{title.lower()}.md)", False, "")
                for title in LINKED_TITLES
            ),
            *(
                (f"o_{title}", f"[Optional[{title}]](my{title.lower()}.md)", False, "")
                for title in SCALAR_TITLES
            ),
            (
                "when",
                "[date](https://docs.python.org/3/library/datetime.html#date-objects)",
                False,
                "",
            ),
            ("count", "[int](nowhere.md)", False, ""),
        ],
    ),
}


@pytest.fixture(scope="module", params=["pydantic", "dataclasses"])
def linked_package(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Path:
    root = tmp_path_factory.mktemp(f"linked-{request.param}")
    specs = write_docs(root, LINKED_DOCS)
    return generate_with_cli(specs, root / "out", "lib", "--target", request.param)


def test_a_link_to_a_local_doc_titled_like_a_type_means_its_class(linked_package: Path) -> None:
    fields = {
        **{f"f_{title}": {"x": 1} for title in LINKED_TITLES},
        **{f"o_{title}": {"x": 1} for title in SCALAR_TITLES},
    }
    run_python(
        f"""
        import datetime
        import lib.models
        from lib.models import User
        user = User.from_dict({{**{fields!r}, "when": "2024-01-02T03:04:05", "count": 3}})
        for attribute in {sorted(fields)!r}:
            cls = getattr(lib.models, attribute[2:])
            value = getattr(user, attribute)
            assert type(value) is cls and value.x == 1, (attribute, value)
        # An external link keeps its meaning, and so does a link to a page the tree lacks.
        assert type(user.when) is datetime.datetime and user.count == 3
        assert user.to_dict()[f"f_int"] == {{"x": 1}}
        """,
        linked_package,
    )


# The names the runtime's model and error classes have (`model_config`, `from_json`, ...),
# read from the runtime: a class body that annotates a field with a class of such a title
# would find the attribute, not the class.
# Private names too (`_abc_impl`, which every pydantic class binds): no list holds them all.
ATTRIBUTE_TITLES = sorted(
    {
        name
        for name in runtime_reserved().model_attributes | runtime_reserved().error_attributes
        if name.isidentifier()
    }
    | {"_abc_impl", "_private_thing"}
)
ALIAS_DOCS = {
    **{
        f"models/attr{index}.md": fields_doc(name, [("v", "*Optional[int]*", False, "")])
        for index, name in enumerate(ATTRIBUTE_TITLES)
    },
    # A class titled like the name a builtin-named class of another namespace is imported as
    "models/warning.md": fields_doc("Warning", [("code", "*Optional[int]*", False, "")]),
    "models/models_warning.md": fields_doc("models_Warning", [("text", "*str*", True, "")]),
    "other/warning.md": fields_doc("Warning", [("code", "*Optional[int]*", False, "")]),
    "models/other_warning.md": fields_doc("other_Warning", [("text", "*str*", True, "")]),
    "models/report.md": fields_doc(
        "Report",
        [
            ("alert", "[models.models_Warning](models_warning.md)", True, ""),
            ("warn", "[Optional[models.Warning]](warning.md)", False, ""),
            ("other", "[Optional[other.Warning]](../other/warning.md)", False, ""),
            ("other_alert", "[Optional[models.other_Warning]](other_warning.md)", False, ""),
            *(
                (f"f_{index}", f"[Optional[models.{name}]](attr{index}.md)", False, "")
                for index, name in enumerate(ATTRIBUTE_TITLES)
            ),
        ],
    ),
}


@pytest.fixture(scope="module", params=["pydantic", "dataclasses"])
def alias_package(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp(f"aliases-{request.param}")
    specs = write_docs(root, ALIAS_DOCS)
    return generate_with_cli(specs, root / "out", "lib", "--target", request.param)


def test_classes_titled_like_an_alias_or_a_runtime_attribute_are_read_as_themselves(
    alias_package: Path,
) -> None:
    payload = {
        "alert": {"text": "disk full"},
        "warn": {"code": 1},
        "other": {"code": 2},
        "other_alert": {"text": "t"},
        **{f"f_{index}": {"v": index} for index, _ in enumerate(ATTRIBUTE_TITLES)},
    }
    run_python(
        f"""
        import lib.models, lib.other
        from lib.models import Report
        report = Report.from_dict({payload!r})
        assert type(report.alert) is lib.models.models_Warning, report.alert
        assert report.alert.text == "disk full"
        assert type(report.warn) is lib.models.Warning and report.warn.code == 1
        assert type(report.other) is lib.other.Warning and report.other.code == 2
        assert type(report.other_alert) is lib.models.other_Warning
        for index, name in enumerate({ATTRIBUTE_TITLES!r}):
            value = getattr(report, f"f_{{index}}")
            assert type(value) is getattr(lib.models, name) and value.v == index, name
        assert report.to_dict() == {payload!r}
        try:
            Report.from_dict({{"alert": {{}}}})
        except ValueError:
            pass
        else:
            raise AssertionError("models_Warning's text is required")
        """,
        alias_package,
    )
