"""Every name the runtime defines or uses is reserved, as the runtime itself says: a tree that
uses each of them as a field, a class or a folder still gives a package that works at first
use, or is refused with a clear error."""

from __future__ import annotations

import importlib.metadata
import inspect
import json
import re
import shutil
import site
import subprocess
import sys
from pathlib import Path

import pytest

from generator import runtime
from generator.model.naming import runtime_reserved
from generator.render.runtime import package_names
from generator.write.preconditions import (
    LATER_STDLIB_MODULES,
    RUNTIME_DISTRIBUTIONS,
    STARTUP_MODULES,
)
from tests.conftest import fields_doc, generate_with_cli, run_cli, run_python, write_docs
from tests.test_operations import mypy_errors, operation

ERROR_ATTRIBUTES = runtime_reserved().error_attributes
MODEL_ATTRIBUTES = runtime_reserved().model_attributes
RUNTIME_NAMES = runtime_reserved().runtime
# Fields an error body may well have, besides the error's own attributes.
ERROR_FIELDS = sorted(ERROR_ATTRIBUTES | {"headers", "message", "detail"})
MODEL_FIELDS = sorted(name for name in MODEL_ATTRIBUTES if name.isidentifier())
CLASS_NAMES = sorted(name for name in RUNTIME_NAMES if name[0].isupper())


def link(name: str) -> str:
    return f"[Optional[models.{name}]](../models/{name.lower()}.md)"


DOCS = {
    "errors/problem.md": fields_doc(
        "Problem", [(name, "*Optional[str]*", False, "") for name in ERROR_FIELDS]
    ),
    "models/thing.md": fields_doc(
        "Thing", [(name, "*Optional[str]*", False, "") for name in MODEL_FIELDS]
    ),
    **{
        f"models/{name.lower()}.md": fields_doc(name, [("value", "*Optional[int]*", False, "")])
        for name in CLASS_NAMES
    },
    "models/holder.md": fields_doc(
        "Holder",
        [("thing", link("Thing"), False, "")]
        + [(name.lower(), link(name), False, "") for name in CLASS_NAMES],
    ),
    "sdks/things/README.md": "\n".join(
        [
            "# Things",
            "(*things*)",
            "",
            "### Available Operations",
            "",
            "* [get](#get) - Get the holder",
            "",
            operation(
                "get",
                "[models.Holder](../../models/holder.md)",
                [
                    "| errors.Problem | 400, 418 | application/json |",
                    "| errors.SDKError | 4XX, 5XX | \\*/\\* |",
                ],
            ),
        ]
    ),
}


def test_the_reserved_names_are_the_runtimes_own() -> None:
    """Derived from the runtime's source, so they follow it: a name it adds is reserved."""
    assert {"status_code", "body", "raw_response", "data", "args", "unexpected"} <= ERROR_ATTRIBUTES
    assert runtime.class_attributes("errors", "ApiError") - {"__init__"} <= (
        ERROR_ATTRIBUTES
        | {n for n in runtime.class_attributes("errors", "ApiError") if n[0] == "_"}
    )
    assert {"from_dict", "to_dict", "from_json", "to_json", "extra_allowed"} <= MODEL_ATTRIBUTES
    assert {"GeneratedModel", "GeneratedError", "ApiError", "OpenStrEnum"} <= RUNTIME_NAMES
    assert {"_runtime", "parse_response", "ApiError", "GeneratedModel"} <= package_names()


def test_pydantics_own_model_attributes_are_reserved() -> None:
    from pydantic import BaseModel

    # The metaclass's too (`register`, `mro`): pydantic warns of a field that shadows any
    # attribute its base class has.
    public = {name for name in dir(BaseModel) + dir(type(BaseModel)) if not name.startswith("_")}
    assert public <= MODEL_ATTRIBUTES, public - MODEL_ATTRIBUTES


@pytest.mark.parametrize("target", ["pydantic", "dataclasses"])
def test_fields_named_like_the_model_classs_metaclass_attributes_import_without_warning(
    tmp_path: Path, target: str
) -> None:
    """`register` (an ABC's) and `mro` (a class's) are attributes of every model class."""
    rows = [(name, "*Optional[str]*", False, "") for name in ("register", "mro", "name")]
    specs = write_docs(tmp_path, {"models/shared/thing.md": fields_doc("Thing", rows)})
    output = generate_with_cli(specs, tmp_path / "out", "lib", "--target", target)
    run_python(
        """
        from lib.shared import Thing
        payload = {"register": "r", "mro": "m", "name": "n"}
        assert Thing.from_dict(payload).to_dict() == payload
        assert Thing.mro()[0] is Thing
        """,
        output,
    )


@pytest.fixture(scope="module", params=["pydantic", "dataclasses"])
def package(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp(f"reserved-{request.param}")
    return generate_with_cli(write_docs(root, DOCS), root / "out", "lib", "--target", request.param)


def test_an_error_body_keeps_every_field_and_the_error_its_attributes(package: Path) -> None:
    body = {name: f"value of {name}" for name in ERROR_FIELDS}
    run_python(
        f"""
        import json
        from lib import ApiError, parse_response
        from lib.errors import Problem
        body = {body!r}
        text = json.dumps(body)
        response = object()
        error = Problem.from_response(text, raw_response=response, status_code=418)
        assert error.status_code == 418 and error.raw_response is response, error
        assert str(error) == error.body == text and error.args == (text,)
        assert error.data.to_dict() == body
        for name in {ERROR_FIELDS!r}:
            assert getattr(error.data, name) == f"value of {{name}}", name
        assert error.headers == "value of headers" and error.message == "value of message"
        assert callable(error.with_traceback) and callable(Problem.unexpected)
        for status in (400, 418):
            try:
                parse_response("things.get", status, text, raw_response=response)
            except Problem as raised:
                assert raised.status_code == status and raised.raw_response is response
                assert raised.data.to_dict() == body
            else:
                raise AssertionError(status)
        try:
            parse_response("things.get", 500, text)
        except ApiError as raised:
            assert type(raised) is ApiError and raised.status_code == 500 and raised.data == body
        """,
        package,
    )


def test_models_and_classes_named_like_the_runtime_work(package: Path) -> None:
    thing = {name: f"value of {name}" for name in MODEL_FIELDS}
    holder = {"thing": thing, **{name.lower(): {"value": 1} for name in CLASS_NAMES}}
    run_python(
        f"""
        import importlib
        import lib
        from lib import endpoints
        from lib.models import Holder, Thing
        for namespace in ("models", "errors"):
            module = importlib.import_module(f"lib.{{namespace}}")
            for name in module.__all__:
                cls = getattr(module, name)
                if hasattr(cls, "from_dict") and not hasattr(cls, "data_model"):
                    assert cls.from_dict({{}}).to_dict() == {{}}, name
        read = Thing.from_dict({thing!r})
        assert read.to_dict() == {thing!r}
        assert Thing.to_dict is not None and callable(read.to_dict)
        holder = endpoints.Things.get.parse(200, {json.dumps(holder)!r})
        assert type(holder) is Holder and holder.to_dict() == {holder!r}
        for name in {CLASS_NAMES!r}:
            value = getattr(holder, name.lower())
            assert type(value).__name__ == name and type(value) is not getattr(lib, name, None)
        """,
        package,
    )


@pytest.mark.slow
def test_the_package_passes_mypy_strict(package: Path, tmp_path: Path) -> None:
    user = tmp_path / "user.py"
    user.write_text(
        "from lib import endpoints\n"
        "from lib.errors import Problem\n"
        "from lib.models import Holder\n"
        "holder: Holder = endpoints.Things.get.parse(200, '{}')\n"
        "status: int | None = Problem.from_response('{}').status_code\n",
        encoding="utf-8",
    )
    assert mypy_errors(user, package) == []


def test_a_folder_named_like_what_the_package_defines_is_refused(tmp_path: Path) -> None:
    folders = sorted(name for name in package_names() if name.isidentifier())
    docs = {f"{folder}/x.md": fields_doc("X", [("a", "*str*", True, "")]) for folder in folders}
    result = run_cli("lint", "--specs", str(write_docs(tmp_path, docs)))
    assert result.returncode == 2, result.stderr
    for folder in folders:
        message = f"{folder}/x.md:1: error: folder name {folder!r} is reserved"
        assert message in result.stderr, (folder, result.stderr)
    assert "Traceback" not in result.stderr


def test_a_package_with_the_default_settings_carries_the_runtimes_own_settings_module() -> None:
    from generator.model.target import UnknownKeys
    from generator.render.runtime import settings_module

    assert settings_module(UnknownKeys.KEEP) == runtime.source("settings")
    assert 'UNKNOWN_KEYS: Final[Literal["keep", "ignore", "forbid"]] = "forbid"' in settings_module(
        UnknownKeys.FORBID
    )


@pytest.mark.parametrize(
    "name",
    [
        "typing_inspection",
        "__main__",
        "nul",
        "Con",
        "lpt1",
        "sitecustomize",
        "_distutils_hack",
        "_virtualenv",  # virtualenv's `.pth` imports it at every start
        "_colorize",  # the standard library's, of Python 3.13 (which imports it for tracebacks)
        "compression",  # of Python 3.14
        "test",  # the standard library's regression tests
        "ñ",
    ],
)
def test_a_package_name_the_package_cannot_be_imported_under_is_refused(
    tmp_path: Path, name: str
) -> None:
    """One that would shadow what pydantic imports, Python's own `__main__`, a module Python
    runs at every start, a file name Windows keeps for a device (in any case), or one that is
    not ASCII (said as such)."""
    specs = write_docs(
        tmp_path, {"models/shared/pet.md": fields_doc("Pet", [("a", "*str*", True, "")])}
    )
    out = tmp_path / "out"
    result = run_cli("generate", "--specs", str(specs), "--output", str(out), "--package", name)
    assert result.returncode == 2, result.stderr
    assert f"package name {name!r}" in result.stderr, result.stderr
    assert name.isascii() or "not an ASCII" in result.stderr, result.stderr
    assert not out.exists()


def test_the_modules_python_imports_at_start_are_reserved_as_package_names() -> None:
    """`site` imports them from anywhere on the path: a package so named runs at every start."""
    source = inspect.getsource(site)
    imported = set(re.findall(r"^\s+import (\w+customize)$", source, re.MULTILINE))
    assert imported and imported <= STARTUP_MODULES, imported
    # and what the `.pth` files of this environment import (but an editable install's own)
    for folder in site.getsitepackages():
        for pth in Path(folder).glob("*.pth"):
            text = pth.read_text(encoding="utf-8")
            names = re.findall(r"__import__\('(\w+)'\)|^import (\w+)", text, re.MULTILINE)
            found = {name for pair in names for name in pair if name} - {"os", "sys"}
            assert {n for n in found if "editable" not in n} <= STARTUP_MODULES, (pth, found)


def test_the_standard_library_of_every_python_the_package_runs_on_is_reserved() -> None:
    """This interpreter lists its own; every later Python found here (on the path, or
    installed beside this one, as pyenv and the like keep them) is asked for its list."""
    later = [f"python3.{minor}" for minor in range(sys.version_info.minor + 1, 20)]
    candidates = [path for name in later if (path := shutil.which(name))]
    candidates += map(str, Path(sys.base_prefix).parent.glob("*/bin/python3"))
    asked = set()
    for python in candidates:
        listed = subprocess.run(
            [
                python,
                "-c",
                "import sys; print(sys.version_info >= (3, 12), *sys.stdlib_module_names)",
            ],
            capture_output=True,
            text=True,
        )
        if listed.returncode != 0 or not listed.stdout.startswith("True"):
            continue  # not a later Python (a shim of none, an older one)
        names = set(listed.stdout.split()[1:])
        asked.add(python)
        missing = names - sys.stdlib_module_names - LATER_STDLIB_MODULES
        assert not missing, (python, sorted(missing))
    if not asked:
        pytest.skip("no later Python on this machine to ask for its standard library")


def test_what_pydantic_imports_is_reserved_as_a_package_name() -> None:
    """Derived from the installed pydantic's own requirements, so a new one is noticed."""
    required = {
        re.split(r"[<>=!~; \[]", requirement)[0].replace("-", "_").lower()
        for requirement in importlib.metadata.requires("pydantic") or []
        if "extra ==" not in requirement
    }
    assert required and required <= RUNTIME_DISTRIBUTIONS, required - RUNTIME_DISTRIBUTIONS


@pytest.mark.parametrize("folder", ["aux", "Con", "com1"])
def test_a_doc_folder_named_like_a_windows_device_is_an_error(tmp_path: Path, folder: str) -> None:
    doc = fields_doc("Pet", [("a", "*str*", True, "")])
    specs = write_docs(tmp_path, {f"models/{folder}/pet.md": doc})
    result = run_cli("lint", "--specs", str(specs))
    assert result.returncode == 2, result.stdout
    assert f"folder name {folder!r} is a name Windows keeps for a device" in result.stderr


@pytest.mark.parametrize("target", ["pydantic", "dataclasses"])
def test_a_class_of_another_namespace_named_like_an_errors_body_is_that_class(
    tmp_path: Path, target: str
) -> None:
    """An error `NotFound` defines its body `NotFoundData`; a field of it typed with another
    namespace's `NotFoundData` (a title, or a rename) still means that class."""
    specs = write_docs(
        tmp_path,
        {
            "models/shared/notfounddata.md": fields_doc(
                "NotFoundData", [("owner_id", "*str*", True, "")]
            ),
            "models/shared/owner.md": fields_doc("Owner", [("name", "*str*", True, "")]),
            "models/errors/notfound.md": fields_doc(
                "NotFound",
                [
                    ("message", "*str*", True, ""),
                    ("details", link_to("shared", "NotFoundData"), False, ""),
                ],
            ),
            "models/errors/gone.md": fields_doc(
                "Gone", [("owner", link_to("shared", "Owner"), False, "")]
            ),
        },
    )
    overrides = tmp_path / "overrides.toml"
    overrides.write_text('["shared.Owner"]\nrename = "GoneData"\n', encoding="utf-8")
    output = generate_with_cli(
        specs, tmp_path / "out", "zoo", "--target", target, "--overrides", str(overrides)
    )
    run_python(
        """
        from zoo.errors import Gone, NotFound
        from zoo.shared import GoneData, NotFoundData
        body = b'{"message": "m", "details": {"owner_id": "q"}}'
        error = NotFound.from_response(body, status_code=404)
        assert type(error.data.details) is NotFoundData, error.data
        assert error.data.to_dict() == {"message": "m", "details": {"owner_id": "q"}}
        error = Gone.from_response(b'{"owner": {"name": "n"}}', status_code=410)
        assert type(error.data.owner) is GoneData, error.data
        """,
        output,
    )


def link_to(namespace: str, name: str) -> str:
    return f"[Optional[{namespace}.{name}]](../../models/{namespace}/{name.lower()}.md)"
