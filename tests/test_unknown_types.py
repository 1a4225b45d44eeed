"""Types the docs name and the generator does not know: a warning, never an aborted tree; and
the SDK's transport objects of every era, wherever the docs use them."""

from __future__ import annotations

import ast
import inspect
import itertools
from pathlib import Path

import pytest

from tests.conftest import fields_doc, generate_with_cli, run_cli, run_python, write_docs

REQUESTS_DOCS = "https://requests.readthedocs.io/en/latest/api/#requests.Response"
RAW_RESPONSE = (
    "raw_response",
    f"[requests_http.Response]({REQUESTS_DOCS})",
    True,
    "Raw HTTP response; suitable for custom response parsing",
)
ERRORS_HEADER = "| Error Type | Status Code | Content Type |\n| --- | --- | --- |"


def v1_operation(name: str, response: str, errors: list[str]) -> str:
    return "\n".join(
        [f"## {name}", "", "### Response", "", f"**{response}**", ""]
        + (["### Errors", "", ERRORS_HEADER, *errors, ""] if errors else [])
    )


# An SDK of the era whose code imports requests as `requests_http`: the v1 response classes
# hold the transport response beside the body, a download is typed as the response itself.
V1_TREE = {
    "models/shared/pet.md": fields_doc(
        "Pet", [("pet_id", "*int*", True, ""), ("name", "*Optional[str]*", False, "")]
    ),
    "models/operations/getpetresponse.md": fields_doc(
        "GetPetResponse",
        [
            ("content_type", "*str*", True, "HTTP response content type for this operation"),
            ("status_code", "*int*", True, "HTTP response status code for this operation"),
            RAW_RESPONSE,
            ("pet", "[Optional[shared.Pet]](../../models/shared/pet.md)", False, "OK"),
        ],
    ),
    "models/operations/getpetphotoresponse.md": fields_doc(
        "GetPetPhotoResponse",
        [
            ("content_type", "*str*", True, ""),
            ("status_code", "*int*", True, ""),
            RAW_RESPONSE,
            ("photo", "*Optional[requests_http.Response]*", False, "The photo, as it came."),
        ],
    ),
    "models/errors/notfound.md": fields_doc(
        "NotFound", [("message", "*str*", True, ""), RAW_RESPONSE]
    ),
    "sdks/pets/README.md": "\n".join(
        [
            "# Pets",
            "(*pets*)",
            "",
            "### Available Operations",
            "",
            "* [get_pet](#get_pet) - Get a pet",
            "* [get_pet_photo](#get_pet_photo) - Download a pet's photo",
            "",
            v1_operation(
                "get_pet",
                "[operations.GetPetResponse](../../models/operations/getpetresponse.md)",
                ["| errors.NotFound | 404 | application/json |"],
            ),
            v1_operation(
                "get_pet_photo",
                "[operations.GetPetPhotoResponse](../../models/operations/getpetphotoresponse.md)",
                [],
            ),
        ]
    ),
}


@pytest.fixture(scope="module", params=["pydantic", "dataclasses"])
def v1_package(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp(f"requests-http-{request.param}")
    specs = write_docs(root, V1_TREE)
    return generate_with_cli(specs, root / "out", "pets", "--target", request.param)


def test_requests_http_transport_objects_generate_and_dispatch(v1_package: Path) -> None:
    run_python(
        """
        from pets import ApiError, parse_response
        from pets.errors import NotFound
        from pets.operations import GetPetResponse
        from pets.shared import Pet

        # The v1 response class is seen through: its body field is the success's body.
        pet = parse_response("pets.get_pet", 200, '{"pet_id": 1, "name": "Rex"}')
        assert type(pet) is Pet and pet.pet_id == 1
        # A body typed as the transport's response is a download: given as it came.
        photo = parse_response("pets.get_pet_photo", 200, b"\\x89PNG", "image/png")
        assert photo == b"\\x89PNG"
        # The error's transport response is its raw_response, not a body field.
        try:
            parse_response("pets.get_pet", 404, '{"message": "gone"}', raw_response="raw")
        except NotFound as error:
            assert error.data.message == "gone" and error.raw_response == "raw"
        else:
            raise AssertionError("404 raised nothing")
        # The transport response is the SDK's object, carried as is, never validated.
        raw = object()
        assert GetPetResponse(content_type="a", status_code=200, raw_response=raw).raw_response is raw
        assert issubclass(NotFound, ApiError)
        """,
        v1_package,
    )


def test_transport_objects_of_every_era_are_no_warning(tmp_path: Path) -> None:
    specs = write_docs(tmp_path, V1_TREE)
    lint = run_cli("lint", "--specs", str(specs), "--wire-names", "snake")
    assert lint.returncode == 0 and "warning" not in lint.stderr, lint.stderr
    assert lint.stdout.rstrip().endswith("0 warning(s)"), lint.stdout


# One-word fields: every convention writes the same keys, so the docs lose nothing else.
UNKNOWN = {
    "models/shared/pet.md": fields_doc(
        "Pet",
        [
            ("name", "*str*", True, "The pet's name."),
            ("tag", "*Optional[foo.Bar]*", False, "A tag."),
            ("chip", "[foo.Chip](https://foo.example/chip)", False, ""),
        ],
    )
}


def warnings_of(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if ": warning: " in line]


def test_an_unknown_type_is_one_warning_and_any_json_value(tmp_path: Path) -> None:
    specs = write_docs(tmp_path, UNKNOWN)
    result = run_cli(
        "generate", "--specs", str(specs), "--output", str(tmp_path / "out"), "--package", "pets"
    )
    assert result.returncode == 0, result.stderr
    assert warnings_of(result.stderr) == [
        "models/shared/pet.md:9: warning: unknown type 'foo.Bar': it is read as any JSON value",
        "models/shared/pet.md:10: warning: unknown type 'foo.Chip': it is read as any JSON value",
    ], result.stderr
    run_python(
        """
        from pets.shared import Pet
        payload = {"name": "Rex", "tag": {"any": ["JSON", 1, None]}, "chip": 7}
        pet = Pet.from_dict(payload)
        assert pet.tag == {"any": ["JSON", 1, None]} and pet.chip == 7
        assert pet.to_dict() == payload
        assert Pet(name="Rex", tag=[1, "two"]).tag == [1, "two"]
        """,
        tmp_path / "out",
    )
    source = (tmp_path / "out" / "pets" / "shared" / "pet.py").read_text(encoding="utf-8")
    docstrings = field_docstrings(source)
    assert docstrings["tag"] == (
        "A tag.\n\nThe docs name its type `foo.Bar`, which docs2models does not know."
    )
    assert "`foo.Chip`" in docstrings["chip"]


def field_docstrings(source: str) -> dict[str, str]:
    """The docstring after each annotated attribute of the module's one class."""
    body = next(n for n in ast.parse(source).body if isinstance(n, ast.ClassDef)).body
    found: dict[str, str] = {}
    for field, after in itertools.pairwise(body):
        if (
            isinstance(field, ast.AnnAssign)
            and isinstance(field.target, ast.Name)
            and isinstance(after, ast.Expr)
            and isinstance(after.value, ast.Constant)
        ):
            found[field.target.id] = inspect.cleandoc(after.value.value)
    return found


def test_strict_makes_an_unknown_type_an_error_and_leaves_output(tmp_path: Path) -> None:
    out = tmp_path / "out"
    specs = write_docs(tmp_path / "good", {"models/shared/pet.md": UNKNOWN["models/shared/pet.md"]})
    generate_with_cli(specs, out, "pets")
    before = {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
    (specs / "models/shared/pet.md").write_text(
        fields_doc("Pet", [("name", "*str*", True, ""), ("kind", "*foo.Kind*", True, "")]),
        encoding="utf-8",
    )
    args = ("--specs", str(specs), "--output", str(out), "--package", "pets", "--strict")
    result = run_cli("generate", *args)
    assert result.returncode == 2, result.stderr
    assert "models/shared/pet.md:9: error: unknown type 'foo.Kind'" in result.stderr
    assert {p: p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()} == before
