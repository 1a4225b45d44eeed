"""Operations from the SDK pages: `parse_response` and the typed helpers of `endpoints` turn
an HTTP response into its documented body, or raise its documented error."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import fields_doc, generate_with_cli, run_cli, run_python, write_docs

PET = "[models.Pet](../../models/pet.md)"
ERRORS_HEADER = "| Error Type | Status Code | Content Type |\n| --- | --- | --- |"


def operation(
    name: str, response: str, errors: list[str], snippet: str = "", body: str = ""
) -> str:
    """An operation's section of an SDK page."""
    parts = [f"## {name}", "", "## Overview", "", "A heading inside the description.", ""]
    if snippet:
        parts += ["### Example Usage", "", snippet, "```python", body or "res = s.x()", "```", ""]
    parts += [
        "### Parameters",
        "",
        "| Parameter | Type | Required | Description |",
        "| --- | --- | --- | --- |",
        "| `id` | *int* | :heavy_check_mark: | The pet's ID. |",
        "",
    ]
    if response:
        parts += ["### Response", "", f"**{response}**", ""]
    if errors:
        parts += ["### Errors", "", ERRORS_HEADER, *errors, ""]
    return "\n".join(parts)


PAGE = "\n".join(
    [
        "# Pets",
        "(*pets.store*)",
        "",
        "## Overview",
        "",
        "### Available Operations",
        "",
        "* [get_pet](#get_pet) - Get a pet",
        "* [list_pets](#list_pets) - List pets",
        "* [get_pet_wrapped](#get_pet_wrapped) - Get a pet, v1",
        "* [list_pets_paged](#list_pets_paged) - List pets, a page at a time",
        "* [export_pets](#export_pets) - Export pets as text",
        "* [~~delete_pet~~](#delete_pet) - Delete a pet :warning: **Deprecated**",
        "",
        operation(
            "get_pet",
            PET,
            [
                "| errors.NotFound | 404 | application/json |",
                "| errors.ClientError | 4XX | application/json |",
                "| errors.Fallback | default | application/json |",
                "| errors.SDKError | 5XX | \\*/\\* |",
            ],
            '<!-- UsageSnippet language="python" operationID="getPet" method="get" '
            'path="/pets/{id}" -->',
        ),
        operation(
            "list_pets",
            f"List[{PET}]",
            ["| errors.ClientError | 400, 422 | application/json |"],
            '<!-- UsageSnippet language="python" operationID="listPets" method="get" '
            'path="/pets" -->',
        ),
        operation(
            "get_pet_wrapped",
            "[operations.GetPetResponse](../../models/operations/getpetresponse.md)",
            ["| errors.SDKError | 4x-5xx | */* |"],
        ),
        operation(
            "list_pets_paged",
            "[models.ListPetsPagedResponse](../../models/listpetspagedresponse.md)",
            [],
            '<!-- UsageSnippet language="python" operationID="listPetsPaged" method="get" '
            'path="/pets/paged" -->',
            "res = s.pets.list_pets_paged()\nwhile res is not None:\n    res = res.next()",
        ),
        operation("export_pets", "str", []),
        "## ~~delete_pet~~",
        "",
        "### Errors",
        "",
        ERRORS_HEADER,
        "| errors.NotFound | 404 | application/json |",
        "",
    ]
)

DOCS = {
    "models/pet.md": fields_doc(
        "Pet", [("pet_id", "*int*", True, ""), ("name", "*str*", False, "")]
    ),
    "models/petpage.md": fields_doc(
        "PetPage", [("items", "List[[models.Pet](../models/pet.md)]", True, "")]
    ),
    "models/listpetspagedresponse.md": fields_doc(
        "ListPetsPagedResponse",
        [("result", "[models.PetPage](../models/petpage.md)", True, "")],
    ),
    "models/operations/getpetresponse.md": fields_doc(
        "GetPetResponse",
        [
            ("content_type", "*str*", True, ""),
            ("status_code", "*int*", True, ""),
            ("raw_response", "[requests.Response](https://requests.readthedocs.io)", True, ""),
            ("pet", "[Optional[models.Pet]](../pet.md)", False, ""),
        ],
    ),
    "errors/notfound.md": fields_doc("NotFound", [("message", "*str*", True, "")]),
    "errors/clienterror.md": fields_doc(
        "ClientError", [("message", "*str*", True, ""), ("code", "*Optional[int]*", False, "")]
    ),
    "errors/fallback.md": fields_doc("Fallback", [("detail", "*str*", True, "")]),
    "sdks/pets/README.md": PAGE,
}


def mypy_errors(user: Path, output: Path) -> list[str]:
    """`mypy --strict` of a user's module that imports the package in OUTPUT: its errors."""
    found = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", str(user)],
        capture_output=True,
        text=True,
        cwd=output,
        env={"MYPYPATH": str(output), "PATH": "/usr/bin:/bin"},
        timeout=600,
    )
    return [line for line in found.stdout.splitlines() if ": error:" in line]


@pytest.fixture(scope="module", params=["pydantic", "dataclasses"])
def package(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp(f"operations-{request.param}")
    return generate_with_cli(write_docs(root, DOCS), root / "out", "lib", "--target", request.param)


def test_success_statuses_give_the_documented_body(package: Path) -> None:
    run_python(
        """
        import json
        from lib import parse_response
        from lib.models import Pet, PetPage
        pet = parse_response("pets.store.get_pet", 200, '{"petId": 1, "name": "Rex"}')
        assert type(pet) is Pet and pet.pet_id == 1 and pet.to_dict() == {"petId": 1, "name": "Rex"}
        # Any 2XX, bytes or an already decoded body alike.
        assert parse_response("pets.store.get_pet", 201, b'{"pet_id": 2}').pet_id == 2
        assert parse_response("pets.store.get_pet", 200, {"pet_id": 3}).pet_id == 3
        pets = parse_response("pets.store.list_pets", 200, '[{"pet_id": 1}, {"pet_id": 2}]')
        assert [type(p) for p in pets] == [Pet, Pet]
        # The SDK's wrappers of a response: v1's response class, v2's paginated `result`.
        assert type(parse_response("pets.store.get_pet_wrapped", 200, '{"pet_id": 4}')) is Pet
        page = parse_response("pets.store.list_pets_paged", 200, '{"items": [{"pet_id": 5}]}')
        assert type(page) is PetPage and page.items[0].pet_id == 5
        assert parse_response("pets.store.delete_pet", 204, "") is None
        """,
        package,
    )


def test_statuses_raise_the_error_of_the_closest_match(package: Path) -> None:
    """An exact code beats a range, a range beats `default`; what no row covers raises the
    package's ApiError with the status and the body."""
    run_python(
        """
        from lib import ApiError, parse_response
        from lib.errors import ClientError, Fallback, NotFound

        def raised(operation, status, body='{"message": "m", "detail": "d"}', **kwargs):
            try:
                parse_response(operation, status, body, **kwargs)
            except ApiError as error:
                return error
            raise AssertionError(f"{operation} {status} raised nothing")

        assert type(raised("pets.store.get_pet", 404)) is NotFound
        assert type(raised("pets.store.get_pet", 400)) is ClientError
        assert type(raised("pets.store.get_pet", 409)) is ClientError
        assert type(raised("pets.store.get_pet", 302)) is Fallback  # default
        # 5XX is Speakeasy's default error (no doc): the package's ApiError.
        server = raised("pets.store.get_pet", 503, "upstream down", content_type="text/plain")
        assert type(server) is ApiError and server.status_code == 503
        assert server.body == "upstream down" and server.data == "upstream down"
        # A comma list of codes; a status no row covers.
        assert type(raised("pets.store.list_pets", 422)) is ClientError
        teapot = raised("pets.store.list_pets", 418, '{"why": "teapot"}')
        assert type(teapot) is ApiError and teapot.status_code == 418
        assert teapot.data == {"why": "teapot"} and str(teapot) == '{"why": "teapot"}'
        # The raw response is kept; the status too.
        error = raised("pets.store.get_pet", 404, raw_response="the response")
        assert error.raw_response == "the response" and error.status_code == 404
        assert error.data.message == "m"
        # A body its error class cannot read is the package's ApiError, not a lost status.
        wrong = raised("pets.store.get_pet", 404, '{"nothing": 1}')
        assert type(wrong) is ApiError and wrong.status_code == 404
        assert isinstance(wrong.__cause__, ValueError)
        """,
        package,
    )


def test_bodies_as_any_bytes_like_object_are_read_as_their_bytes(package: Path) -> None:
    """A transport may hand over a body as bytes, a bytearray or a memoryview."""
    run_python(
        """
        from lib import ApiError, parse_response
        from lib.errors import NotFound
        from lib.models import Pet
        for kind in (bytes, bytearray, memoryview):
            body = kind(b'{"pet_id": 2}')
            assert parse_response("pets.store.get_pet", 200, body).pet_id == 2, kind
            try:
                parse_response("pets.store.get_pet", 404, kind(b'{"message": "m"}'))
            except NotFound as error:
                assert error.data.message == "m" and error.body == '{"message": "m"}', kind
            try:
                parse_response("pets.store.list_pets", 418, kind(b'{"why": 1}'))
            except ApiError as error:
                assert type(error) is ApiError and error.data == {"why": 1}, kind
            error = NotFound.from_response(kind(b'{"message": "x"}'), status_code=404)
            assert error.data.message == "x" and error.body == '{"message": "x"}', kind
            assert Pet.from_json(kind(b'{"pet_id": 5}')).pet_id == 5, kind
            error = ApiError.from_response(kind(b'{"why": 2}'), status_code=500)
            assert error.data == {"why": 2} and error.status_code == 500, kind
        """,
        package,
    )


def test_bodies_that_are_not_utf8_are_refused_as_from_json_refuses_them(package: Path) -> None:
    """JSON text is UTF-8: an error's `from_response` raises for other bytes what its body
    model's `from_json` raises (pydantic's `ValidationError`), never a `UnicodeDecodeError`
    of its own, and `parse_response` raises `ApiError` with the body's text."""
    run_python(
        """
        from lib import ApiError, parse_response
        from lib.errors import NotFound
        for body in (b'\\xff{"message": "x"}', b'{"message": "\\xe9"}',
                     '{"message": "x"}'.encode("utf-16")):
            raised = []
            for read in (NotFound.data_model.from_json, NotFound.from_response):
                try:
                    read(body)
                except ValueError as error:
                    raised.append(type(error))
            assert len(raised) == 2 and raised[0] is raised[1], (body, raised)
            for status in (200, 404, 418):
                try:
                    parse_response("pets.store.get_pet", status, body)
                except ApiError as error:
                    assert type(error) is ApiError and error.status_code == status, repr(error)
                else:
                    raise AssertionError(f"{status}: {body!r} was read")
        """,
        package,
    )


def test_content_that_is_not_json_is_given_as_it_came(package: Path) -> None:
    run_python(
        """
        from lib import ApiError, endpoints, parse_response
        assert parse_response("pets.store.export_pets", 200, "a,b", "text/csv") == "a,b"
        assert parse_response("pets.store.export_pets", 200, b"a,b", "text/plain") == "a,b"
        html = "<html>proxy</html>"
        assert parse_response("pets.store.get_pet", 200, html, "text/html") == html
        # The typed helper returns the documented type or raises.
        try:
            endpoints.Pets.Store.get_pet.parse(200, html, "text/html")
        except ApiError as error:
            assert error.status_code == 200 and error.body == html
        else:
            raise AssertionError("a typed helper returned text for a model")
        assert endpoints.Pets.Store.export_pets.parse(200, "a,b", "text/csv") == "a,b"
        """,
        package,
    )


def test_bodies_nested_too_deeply_raise_api_error(package: Path) -> None:
    """A body of thousands of nested arrays, whatever its status, raises the package's
    ApiError, never a RecursionError; one nested within the bound is read."""
    run_python(
        """
        import json
        from lib import ApiError, endpoints, parse_response
        from lib.errors import NotFound
        deep = "[" * 3000 + "]" * 3000
        cases = [
            ("pets.store.get_pet", status, body)
            for status in (200, 404, 418, 503)
            for body in (deep, deep.encode(), '{"message": "m", "pet_id": 1, "x": ' + deep + "}")
        ]
        cases.append(("pets.store.list_pets", 200, deep))
        cases.append(("pets.store.export_pets", 200, deep))  # documented as text: as it came
        for operation, status, body in cases:
            try:
                result = parse_response(operation, status, body)
            except ApiError as error:
                assert type(error) is ApiError and error.status_code == status, repr(error)
                assert error.body == (body.decode() if isinstance(body, bytes) else body)
                assert error.data == error.body and repr(error)
            else:
                assert operation == "pets.store.export_pets" and result == body, operation
        for status in (200, 404):
            try:
                endpoints.Pets.Store.get_pet.parse(status, deep)
            except ApiError as error:
                assert type(error) is ApiError and isinstance(error.__cause__, ValueError)
            else:
                raise AssertionError(f"{status}: a body nested too deeply was read")
        within = "[" * 98 + "]" * 98  # an object, and 98 arrays in it
        pet = parse_response("pets.store.get_pet", 200, '{"pet_id": 1, "x": ' + within + "}")
        assert pet.pet_id == 1 and pet.to_dict()["x"] == json.loads(within)
        error = NotFound.from_response('{"message": "m", "x": ' + within + "}")
        assert error.message == "m"
        """,
        package,
    )


def test_a_status_as_text_and_no_content_type_read_as_the_transport_gives_them(
    package: Path,
) -> None:
    """`"200"` is the status 200; a content type of None (no header: what
    `response.headers.get("content-type")` gives) is unknown, and the body read as JSON;
    another status (digits padded, signed or not ASCII, a bool) or a content type that is not
    text is a TypeError that says what is expected."""
    run_python(
        """
        from lib import ApiError, endpoints, parse_response
        from lib.errors import NotFound
        from lib.models import Pet
        body = '{"pet_id": 1, "message": "m"}'
        for status, content_type in (("200", None), ("201", "application/json"), (200, None)):
            assert type(parse_response("getPet", status, body, content_type)) is Pet
            assert endpoints.Pets.Store.get_pet.parse(status, body, content_type).pet_id == 1
        for status in ("404", 404):
            try:
                parse_response("getPet", status, body, None)
            except NotFound as error:
                assert error.status_code == 404 and error.message == "m"
        assert parse_response("pets.store.export_pets", 200, '"a"', None) == "a"
        assert parse_response("pets.store.export_pets", 200, "a,b", None) == "a,b"
        wrong = ("OK", "", None, 200.0, b"200", " 201 ", "200 ", "0200", "+200", "\u0662\u0660\u0660")
        for status in (*wrong, True):
            for parse in (
                lambda: parse_response("getPet", status, body),
                lambda: endpoints.Pets.Store.get_pet.parse(status, body),
            ):
                try:
                    parse()
                except TypeError as error:
                    assert "status_code" in str(error) and repr(status) in str(error), error
                else:
                    raise AssertionError(f"{status!r} was taken for a status")
        for content_type in (5, b"application/json", ["application/json"]):
            try:
                parse_response("getPet", 200, body, content_type)
            except TypeError as error:
                assert "content_type" in str(error) and repr(content_type) in str(error), error
            else:
                raise AssertionError(f"{content_type!r} was taken for a content type")
        """,
        package,
    )


def test_operations_are_found_by_name_or_operation_id(package: Path) -> None:
    run_python(
        """
        from lib import parse_response
        from lib.endpoints import OPERATIONS, Pets
        assert parse_response("getPet", 200, '{"pet_id": 1}').pet_id == 1
        assert OPERATIONS["listPets"] is OPERATIONS["pets.store.list_pets"] is Pets.Store.list_pets
        assert (Pets.Store.get_pet.method, Pets.Store.get_pet.path) == ("GET", "/pets/{id}")
        assert Pets.Store.get_pet.operation_id == "getPet"
        assert Pets.Store.get_pet.summary == "Get a pet"
        try:
            parse_response("pets.store.nothing", 200, "{}")
        except KeyError as error:
            assert "pets.store.nothing" in str(error)
        else:
            raise AssertionError("an unknown operation was found")
        """,
        package,
    )


def test_typed_helpers_give_mypy_the_body_type(package: Path, tmp_path: Path) -> None:
    user = tmp_path / "user.py"
    user.write_text(
        "from lib import endpoints\n"
        "from lib.models import Pet\n"
        "pet: Pet = endpoints.Pets.Store.get_pet.parse(200, '{}')\n"
        "pets: list[Pet] = endpoints.Pets.Store.list_pets.parse(200, '[]')\n"
        "text: str = endpoints.Pets.Store.export_pets.parse(200, 'a', 'text/csv')\n"
        "wrong: int = endpoints.Pets.Store.get_pet.parse(200, '{}')\n",
        encoding="utf-8",
    )
    errors = mypy_errors(user, package)
    assert len(errors) == 1 and "user.py:6:" in errors[0], errors


def test_ir_and_report_show_the_operations(tmp_path: Path) -> None:
    specs = write_docs(tmp_path, DOCS)
    ir = run_cli("ir", "--specs", str(specs))
    assert ir.returncode == 0, ir.stderr
    operations = {o["name"]: o for o in json.loads(ir.stdout)["operations"]}
    assert sorted(operations) == [
        "pets.store.delete_pet",
        "pets.store.export_pets",
        "pets.store.get_pet",
        "pets.store.get_pet_wrapped",
        "pets.store.list_pets",
        "pets.store.list_pets_paged",
    ]
    get_pet = operations["pets.store.get_pet"]
    assert get_pet["operation_id"] == "getPet" and get_pet["http_method"] == "GET"
    assert get_pet["response"] == {"kind": "ref", "namespace": "models", "name": "Pet"}
    assert [(e["statuses"], e["error"]) for e in get_pet["errors"]] == [
        (["404"], "errors.NotFound"),
        (["4XX"], "errors.ClientError"),
        (["default"], "errors.Fallback"),
        (["5XX"], None),
    ]
    assert get_pet["parameters"][0]["name"] == "id"
    wrapped = operations["pets.store.get_pet_wrapped"]
    assert wrapped["errors"][0]["statuses"] == ["4XX-5XX"]
    report = run_cli("report", "--specs", str(specs))
    assert "operations: 6 (5 with a response body" in report.stdout, report.stdout
    # The tree shows no JSON key: the wire names are set, so that no warning is about them.
    lint = run_cli("lint", "--specs", str(specs), "--wire-names", "snake")
    assert lint.returncode == 0 and "6 operations, 0 warning(s)" in lint.stdout, lint.stdout


def test_what_a_page_loses_is_a_warning(tmp_path: Path) -> None:
    """A row naming a class no doc describes, or a status that is none, costs a warning (an
    error with --strict); the operation still dispatches the rest."""
    page = PAGE.replace(
        "| errors.NotFound | 404 | application/json |\n| errors.ClientError",
        "| errors.Gone | 410 | application/json |\n| errors.NotFound | 4O4 | application/json |"
        "\n| errors.ClientError",
        1,
    )
    specs = write_docs(tmp_path, {**DOCS, "sdks/pets/README.md": page})
    lint = run_cli("lint", "--specs", str(specs))
    assert lint.returncode == 0, lint.stderr
    line = page.splitlines().index("| errors.Gone | 410 | application/json |") + 1
    assert (
        f"sdks/pets/README.md:{line}: warning: errors.Gone is not documented: 410 of "
        "pets.store.get_pet raise the package's ApiError"
    ) in lint.stdout
    assert f"sdks/pets/README.md:{line + 1}: warning: status '4O4'" in lint.stdout
    strict = run_cli("lint", "--strict", "--specs", str(specs))
    assert strict.returncode == 2
    output = generate_with_cli(specs, tmp_path / "out", "lib")
    run_python(
        """
        from lib import ApiError, parse_response
        from lib.errors import ClientError
        for status, expected in ((410, ApiError), (404, ClientError)):
            try:
                parse_response("pets.store.get_pet", status, '{"message": "m"}')
            except ApiError as error:
                assert type(error) is expected, (status, error)
            else:
                raise AssertionError(f"{status} raised nothing")
        """,
        output,
    )


@pytest.mark.parametrize("name", ["import", "get-pet-kind", "2fa_check", "_private"])
def test_an_operation_no_python_name_can_call_is_left_out_with_a_warning(
    tmp_path: Path, name: str
) -> None:
    listed = "* [export_pets](#export_pets) - Export pets as text"
    page = PAGE.replace(listed, f"{listed}\n* [{name}](#{name}) - Odd", 1)
    page += "\n\n" + operation(name, "str", [])
    specs = write_docs(tmp_path, {**DOCS, "sdks/pets/README.md": page})
    lint = run_cli("lint", "--specs", str(specs))
    assert lint.returncode == 0, lint.stderr
    line = page.splitlines().index(f"## {name}") + 1
    assert f"sdks/pets/README.md:{line}: warning: operation 'pets.store.{name}' is left out" in (
        lint.stdout
    ), lint.stdout
    assert run_cli("lint", "--strict", "--specs", str(specs)).returncode == 2


def test_a_tree_without_operations_gets_no_endpoints(tmp_path: Path) -> None:
    specs = write_docs(tmp_path, {"models/pet.md": DOCS["models/pet.md"]})
    output = generate_with_cli(specs, tmp_path / "out", "lib")
    assert not (output / "lib" / "endpoints.py").exists()
    assert not (output / "lib" / "_operations.py").exists()
    assert "parse_response" not in (output / "lib" / "__init__.py").read_text(encoding="utf-8")


def page(sdk_path: str, sections: list[str]) -> str:
    """An SDK page listing the operations of its `## name` sections."""
    names = [section.split("\n", 1)[0][3:] for section in sections]
    listed = [f"* [{name}](#{name}) - {name.replace('_', ' ')}" for name in names]
    return "\n".join(
        ["# Page", f"(*{sdk_path}*)", "", "### Available Operations", "", *listed, "", *sections]
    )


MEDIA = {
    "models/table.md": fields_doc(
        "Table", [("headers", "List[*str*]", True, ""), ("result", "List[List[*str*]]", True, "")]
    ),
    "sdks/media/README.md": page(
        "media",
        [
            operation("download", "httpx.Response", []),
            operation(
                "stream",
                "Union[eventstreaming.EventStream[models.Pet], "
                "eventstreaming.EventStreamAsync[models.Pet]]",
                [],
            ),
            operation("anything", "[Any]", []),
            operation("signed_url", "str", []),
            operation("table", "[models.Table](../../models/table.md)", []),
            operation(
                "with_default",
                PET,
                [
                    "| errors.ClientError | default | application/json |",
                    "| errors.SDKDefaultError | 4XX, 5XX | \\*/\\* |",
                ],
            ),
        ],
    ),
}


@pytest.fixture(scope="module")
def media(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("media")
    return generate_with_cli(write_docs(root, {**DOCS, **MEDIA}), root / "out", "lib")


def test_bodies_that_are_not_models_come_as_the_docs_show_them(media: Path) -> None:
    run_python(
        """
        from lib import endpoints, parse_response
        from lib.models import Table
        media = endpoints.Media
        # A download or a stream: the body as it came, whatever its content type.
        assert media.download.parse(200, b"\\x00\\x01", "application/octet-stream") == b"\\x00\\x01"
        assert media.stream.parse(200, "data: {}\\n\\n", "text/event-stream") == "data: {}\\n\\n"
        # Any JSON value, decoded; text, a JSON string decoded.
        assert media.anything.parse(200, b'{"a": [1]}') == {"a": [1]}
        assert media.signed_url.parse(200, b'"https://x"') == "https://x"
        assert media.signed_url.parse(200, "plain text", "text/plain") == "plain text"
        # A model of the API with `headers` and `result` fields is the body itself.
        table = parse_response("media.table", 200, '{"headers": ["a"], "result": [["1"]]}')
        assert type(table) is Table and table.result == [["1"]]
        """,
        media,
    )


def test_a_documented_error_beats_the_sdks_default_error(media: Path) -> None:
    """`default` with a class and JSON comes before Speakeasy's `4XX, 5XX` `*/*` error."""
    run_python(
        """
        from lib import ApiError, parse_response
        from lib.errors import ClientError
        for status in (400, 404, 500, 302):
            try:
                parse_response("media.with_default", status, '{"message": "m"}')
            except ApiError as error:
                assert type(error) is ClientError, (status, error)
            else:
                raise AssertionError(f"{status} raised nothing")
        try:
            parse_response("media.with_default", 502, "<html>", "text/html")
        except ApiError as error:
            assert type(error) is ApiError and error.status_code == 502
        """,
        media,
    )


def test_a_success_body_unlike_its_docs_raises_api_error(media: Path) -> None:
    run_python(
        """
        from lib import ApiError, endpoints
        for body in ('{"name": 1}', "", b"\\xff\\xfe", "[1, 2]"):
            try:
                endpoints.Pets.Store.get_pet.parse(200, body)
            except ApiError as error:
                assert type(error) is ApiError and error.status_code == 200, error
                assert isinstance(error.__cause__, ValueError)
            else:
                raise AssertionError(f"{body!r} was read as a Pet")
        """,
        media,
    )


ODD = {
    "sdks/odd/README.md": page(
        "Operation", [operation(name, PET, []) for name in ("Operation", "Final", "List")]
    ),
    "sdks/a/README.md": page("a", [operation(name, PET, []) for name in ("b", "b_", "x")]),
    "sdks/ab/README.md": page("a.b", [operation("c", PET, [])]),
}


def test_helpers_named_like_what_the_module_binds_take_other_names(tmp_path: Path) -> None:
    specs = write_docs(tmp_path, {**DOCS, **ODD})
    lint = run_cli("lint", "--specs", str(specs))
    assert "operation 'a.b' has the name of an SDK path beside it" in lint.stdout, lint.stdout
    output = generate_with_cli(specs, tmp_path / "out", "lib")
    run_python(
        """
        from lib import parse_response
        from lib.endpoints import OPERATIONS, A, Operation2
        from lib.models import Pet
        names = ["Operation.Operation", "Operation.Final", "Operation.List", "a.b", "a.b_", "a.x"]
        helpers = [Operation2.Operation_, Operation2.Final_, Operation2.List, A.b, A.b_, A.x]
        for name, helper in zip(names, helpers):
            assert OPERATIONS[name] is helper and helper.name == name
            assert type(parse_response(name, 200, '{"pet_id": 1}')) is Pet
        assert A.B.c.name == "a.b.c"
        """,
        output,
    )
    user = tmp_path / "user.py"
    user.write_text(
        "from lib.endpoints import A, Operation2\n"
        "from lib.models import Pet\n"
        "pet: Pet = Operation2.Final_.parse(200, '{}')\n"
        "other: Pet = A.B.c.parse(200, '{}')\n",
        encoding="utf-8",
    )
    assert mypy_errors(user, output) == []


def test_a_page_without_an_sdk_path_names_it_from_its_title_or_folder(tmp_path: Path) -> None:
    listed = "### Available Operations\n\n* [list](#list) - List\n\n"
    section = operation("list", PET, [])
    specs = write_docs(
        tmp_path,
        {
            **DOCS,
            "sdks/traces/README.md": f"# Beta.Observability.Traces\n\n{listed}{section}",
            "sdks/things/README.md": f"# Things SDK\n\n{listed}{section}",
        },
    )
    ir = run_cli("ir", "--specs", str(specs))
    names = {o["name"] for o in json.loads(ir.stdout)["operations"]}
    assert {"beta.observability.traces.list", "things.list"} <= names, names
