"""Payloads whose keys are spelled another way are read as the same payload in the API's own
keys is: valid ones are read (whichever variant of a union their keys were routed for), and
invalid ones refused with the outer model's error, located in its fields' JSON keys."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from tests.conftest import fields_doc, generate_with_cli, run_python, write_docs

PET = "[Optional[shared.Pet]](../../models/shared/pet.md)"
OWNER = "[Optional[shared.Owner]](../../models/shared/owner.md)"
DOCS = {
    "models/shared/holder.md": fields_doc(
        "Holder",
        [
            ("holder_id", "*Optional[str]*", False, ""),
            ("pet", PET, False, ""),
            ("owners", "List[[shared.Owner](../../models/shared/owner.md)]", False, ""),
        ],
    ),
    "models/shared/pet.md": "# Pet\n\n## Supported Types\n\n### `shared.Cat`\n\n"
    "```python\nvalue: shared.Cat = /* values here */\n```\n\n### `shared.Bird`\n\n"
    "```python\nvalue: shared.Bird = /* values here */\n```\n",
    "models/shared/cat.md": fields_doc(
        "Cat", [("pet_name", "*str*", True, ""), ("owner_info", OWNER, False, "")]
    ),
    "models/shared/bird.md": fields_doc(
        "Bird",
        [
            ("pet_name", "*Optional[str]*", False, ""),
            ("wing_cm", "*Optional[int]*", False, ""),
            ("friend_pet", PET, False, ""),
        ],
    ),
    "models/shared/owner.md": fields_doc("Owner", [("full_name", "*str*", True, "")]),
}


@pytest.fixture(scope="module", params=["keep", "ignore", "forbid"])
def package(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp(request.param)
    flags = ("--wire-names", "camel", "--unknown-keys", request.param)
    return generate_with_cli(write_docs(root, DOCS), root / "out", "lib", *flags)


@pytest.mark.parametrize("package", ["keep", "ignore"], indirect=True)
def test_valid_payloads_are_read_as_in_their_own_keys(package: Path) -> None:
    run_python(
        dedent("""
        import json
        from lib._runtime.settings import UNKNOWN_KEYS
        from lib.shared import Bird, Cat, Holder

        def read(payload):
            read = Holder.from_dict(payload)
            assert read == Holder.from_json(json.dumps(payload)), payload
            if UNKNOWN_KEYS == "keep":
                assert read.to_dict() == payload, (read.to_dict(), payload)
            return read

        # routed for Bird (wingCm), read as Cat: Bird does not take "bad"
        pet = read({"pet": {"PetName": "x", "wingCm": "bad"}}).pet
        assert type(pet) is Cat and pet.pet_name == "x", pet
        pet = read({"pet": {"PetName": "c", "FriendPet": []}}).pet
        assert type(pet) is Cat and pet.pet_name == "c", pet
        pet = read({"pet": {"PetName": "c", "OwnerInfo": {"FullName": 1}}}).pet
        assert type(pet) is Bird and pet.pet_name == "c", pet
        # a key elsewhere that loses to its field's own changes nothing here
        payload = {"holderId": "1", "pet": {"petName": "a", "wing_cm": 3, "junk": 1}}
        expected = read(payload)
        assert type(expected.pet) is Bird and expected.pet.wing_cm == 3, expected
        holder = read({**payload, "HOLDER_ID": "2"})
        assert holder.pet == expected.pet and holder.holder_id == "1", holder
        extra = {"HOLDER_ID": "2"} if UNKNOWN_KEYS == "keep" else {}
        assert holder.model_extra == extra, holder.model_extra
        """),
        package,
    )


def test_invalid_payloads_are_refused_with_the_outer_models_error(package: Path) -> None:
    run_python(
        dedent("""
        import json
        from pydantic import ValidationError
        from lib._runtime.settings import UNKNOWN_KEYS
        from lib.shared import Holder

        def refused(payload):
            for read in (Holder.from_dict, Holder.from_json):
                try:
                    read(payload if read is Holder.from_dict else json.dumps(payload))
                except ValidationError as error:
                    assert error.title == "Holder", error
                    lines = error.errors()
                else:
                    raise AssertionError(payload)
            return [(line["type"], line["loc"]) for line in lines]

        lines = refused({"owners": [{"FullName": 5}], "holderId": "1"})
        assert lines == [("string_type", ("owners", 0, "fullName"))], lines
        if UNKNOWN_KEYS == "forbid":
            lines = refused({"holderId": "1", "HOLDER_ID": "2"})
            assert lines == [("extra_forbidden", ("HOLDER_ID",))], lines
            lines = refused({"owners": [{"fullName": "a", "FullName": "b"}]})
            assert lines == [("extra_forbidden", ("owners", 0, "FullName"))], lines
        """),
        package,
    )
