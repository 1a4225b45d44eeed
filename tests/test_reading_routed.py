"""Payloads whose keys are spelled another way are read as the same payload in the API's own
keys is: valid ones are read (whichever variant of a union their keys were routed for), and
invalid ones refused with the outer model's error, located in its fields' JSON keys."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from tests.conftest import fields_doc, generate_with_cli, run_python, write_docs

PET = "[Optional[shared.Pet]](../../models/shared/pet.md)"


def union_doc(name: str, *variants: str) -> str:
    return f"# {name}\n\n## Supported Types\n\n" + "\n".join(
        f"### `{v}`\n\n```python\nvalue: {v} = /* values here */\n```\n" for v in variants
    )


OWNER = "[Optional[shared.Owner]](../../models/shared/owner.md)"
DOCS = {
    "models/shared/holder.md": fields_doc(
        "Holder",
        [
            ("holder_id", "*Optional[str]*", False, ""),
            ("pet", PET, False, ""),
            ("owners", "List[[shared.Owner](../../models/shared/owner.md)]", False, ""),
            (
                "cat_or_cats",
                "[Optional[shared.CatOrCats]](../../models/shared/catorcats.md)",
                False,
                "",
            ),
            (
                "cat_or_map",
                "[Optional[shared.CatOrMap]](../../models/shared/catormap.md)",
                False,
                "",
            ),
            ("pet_or_num", "*Optional[Union[shared.Pet, int]]*", False, ""),
            (
                "num_or_badges",
                "[Optional[shared.NumOrBadges]](../../models/shared/numorbadges.md)",
                False,
                "",
            ),
            # a model titled as another one
            (
                "other_owner",
                "[Optional[operations.Owner]](../../models/operations/owner.md)",
                False,
                "",
            ),
            (
                "either_owner",
                "[Optional[shared.EitherOwner]](../../models/shared/eitherowner.md)",
                False,
                "",
            ),
        ],
    ),
    "models/shared/eitherowner.md": union_doc("EitherOwner", "shared.Owner", "operations.Owner"),
    "models/shared/catorcats.md": union_doc("CatOrCats", "shared.Cat", "List[shared.Cat]"),
    "models/shared/catormap.md": union_doc("CatOrMap", "shared.Cat", "Dict[str, shared.Cat]"),
    "models/shared/numorbadges.md": union_doc("NumOrBadges", "int", "List[shared.Badge]"),
    "models/shared/badge.md": fields_doc("Badge", [("badge_name", "*str*", True, "")]),
    "models/operations/owner.md": fields_doc(
        "Owner", [("nick_name", "*Optional[str]*", False, "")]
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
    # no union anywhere below it
    "models/shared/crate.md": fields_doc(
        "Crate",
        [
            ("crate_size", "*int*", True, ""),
            ("crate_note", "*Optional[str]*", False, ""),
            ("sub_crate", "[Optional[shared.Crate]](../../models/shared/crate.md)", False, ""),
            ("crate_list", "List[[shared.Crate](../../models/shared/crate.md)]", False, ""),
        ],
    ),
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


def test_union_aliases_of_lists_maps_and_unions_and_models_titled_alike(package: Path) -> None:
    """A union alias names its variants by name, also inside `list[...]` and in another union;
    and `check_extra_key` is told a model's title, which two models may share."""
    run_python(
        dedent("""
        import json
        from pydantic import ValidationError
        from lib._runtime.settings import UNKNOWN_KEYS
        from lib.shared import Holder

        def fields(value):
            if isinstance(value, list):
                return [fields(item) for item in value]
            if isinstance(value, dict):
                return {key: fields(item) for key, item in value.items()}
            if not hasattr(value, "model_fields_set"):
                return value
            return type(value).__name__, value.model_dump(by_alias=False, exclude_unset=True)

        def outcome(payload):
            try:
                return fields(Holder.from_dict(payload))
            except ValidationError as error:
                return [(line["type"], line["loc"]) for line in error.errors()]

        for own, spelled in [
            ({"catOrCats": [{"petName": "a"}]}, {"catOrCats": [{"PetName": "a"}]}),
            ({"catOrCats": {"petName": "a"}}, {"catOrCats": {"PetName": "a"}}),
            ({"catOrMap": {"k": {"petName": "a"}}}, {"catOrMap": {"k": {"PetName": "a"}}}),
            ({"petOrNum": {"petName": "a"}}, {"petOrNum": {"PetName": "a"}}),
            ({"otherOwner": {"nickName": "n"}}, {"otherOwner": {"NickName": "n"}}),
        ]:
            assert outcome(spelled) == outcome(own), (spelled, outcome(spelled), outcome(own))
            assert type(outcome(own)) is tuple, outcome(own)
        # an object in a list of a union alias's variant: its unknown keys as anywhere
        if UNKNOWN_KEYS != "forbid":
            read = Holder.from_dict({"catOrCats": [{"petName": "a", "junk": 1}]}).cat_or_cats[0]
            assert read.model_extra == ({"junk": 1} if UNKNOWN_KEYS == "keep" else {}), read
            read = Holder.from_dict({"numOrBadges": [{"badgeName": "a", "junk": 1}]})
            extra = {"junk": 1} if UNKNOWN_KEYS == "keep" else {}
            assert read.num_or_badges[0].model_extra == extra, read
        # fullName spells no key of this Owner, whichever modules are loaded
        payload = {"otherOwner": {"nickName": "n", "fullName": "f"}}
        read = outcome(payload)
        if UNKNOWN_KEYS == "forbid":
            assert read == [("extra_forbidden", ("otherOwner", "fullName"))], read
        else:
            extra = {"fullName": "f"} if UNKNOWN_KEYS == "keep" else {}
            assert Holder.from_dict(payload).other_owner.model_extra == extra
        """),
        package,
    )


def test_a_union_of_two_models_titled_alike_reads_as_in_its_own_keys(package: Path) -> None:
    """pydantic tells `check_extra_key` a model's title only: models of one name in two
    namespaces are titled apart, so that an object routed for one is never read as the
    other with its keys unread (a value under an attribute's name, a field set to None)."""
    run_python(
        dedent("""
        from pydantic import ValidationError
        from lib._runtime.settings import UNKNOWN_KEYS
        from lib.shared import Holder
        from lib.operations import Owner as Other
        from lib.shared import Owner

        def fields(instance):
            names = instance.model_fields_set & type(instance).model_fields.keys()
            return {name: getattr(instance, name) for name in names}

        assert Owner.model_config.get("title") != Other.model_config.get("title")
        def outcome(payload):
            try:
                read = Holder.from_dict(payload).either_owner
            except ValidationError:
                return "invalid"
            return type(read).__module__, fields(read)

        for spelled, own in [
            ({"eitherOwner": {"full_name": 1, "nick_name": 1}}, {"eitherOwner": {"fullName": 1, "nickName": 1}}),
            (
                {"eitherOwner": {"FullName": "f", "nick_name": "n"}},
                {"eitherOwner": {"fullName": "f", "nickName": "n"}},
            ),
            ({"eitherOwner": {"nick_name": "n"}}, {"eitherOwner": {"nickName": "n"}}),
        ]:
            assert outcome(spelled) == outcome(own), (spelled, outcome(spelled), outcome(own))
            if UNKNOWN_KEYS == "keep" and outcome(own) != "invalid":
                assert Holder.from_dict(spelled).to_dict() == spelled, spelled
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


# A model with no union anywhere below it: values under keys of another spelling are moved to
# their fields after pydantic's validation, which must give what routing the keys first gives.
SAME_AS_OWN_KEYS = """
import json, random
from lib._runtime import reading
from lib._runtime.settings import UNKNOWN_KEYS
from lib.shared import Crate

moved, moving = [], reading._moved
reading._moved = lambda *args: moved.append(moving(*args)) or moved[-1]

SPELLINGS = {
    "crate_size": ["crateSize", "crate_size", "CrateSize", "CRATE_SIZE", "cratesize"],
    "crate_note": ["crateNote", "crate_note", "CrateNote", "crate-note"],
    "sub_crate": ["subCrate", "sub_crate", "SubCrate"],
    "crate_list": ["crateList", "crate_list", "CrateList"],
}
FIELD_OF = {key: field for field, keys in SPELLINGS.items() for key in keys}

def crate(rng, depth, movable):
    # `movable`: the required field under its own key, no key named like an attribute: what
    # pydantic's validation takes, for the values of the other keys to be moved after it
    found = {}
    for field, keys in SPELLINGS.items():
        if rng.random() < (0.05 if field == "crate_size" else 0.4):
            continue
        if movable:
            keys = keys[:1] if field == "crate_size" else [k for k in keys if k != field]
        for key in rng.sample(keys, k=2 if rng.random() < 0.1 and len(keys) > 1 else 1):
            found[key] = value(rng, field, depth, movable)
    if rng.random() < 0.1:
        found["unknown"] = {"SubCrate": 1}
    return found

def value(rng, field, depth, movable):
    if field == "crate_size":
        return "x" if rng.random() < 0.03 else rng.randint(0, 9)
    if field == "crate_note":
        return rng.choice(["a", None])
    if depth > 3:
        return None if field == "sub_crate" else []
    if field == "sub_crate":
        return crate(rng, depth + 1, movable)
    return [crate(rng, depth + 1, movable) for _ in range(rng.randint(0, 2))]

def twin(found):
    # the payload in the fields' own keys; None where an object has two keys for one field
    own = {}
    for key, item in found.items():
        field = FIELD_OF.get(key)
        if field is None:
            own[key] = item
            continue
        if SPELLINGS[field][0] in own:
            return None
        if field == "sub_crate" and item is not None:
            item = twin(item)
        elif field == "crate_list":
            item = [twin(each) for each in item]
            item = None if None in item else item
        if item is None and field in ("sub_crate", "crate_list") and found[key] is not None:
            return None
        own[SPELLINGS[field][0]] = item
    return own

def outcome(payload):
    try:
        return Crate.from_dict(payload).model_dump(by_alias=False)
    except ValueError:
        return "invalid"

read = compared = 0
for seed in range(1500):
    payload = crate(random.Random(seed), 0, movable=seed % 2 == 0)
    got = outcome(payload)
    read += got != "invalid"
    if got != "invalid" and UNKNOWN_KEYS == "keep":
        assert Crate.from_dict(payload).to_dict() == payload, json.dumps(payload)
    if (own := twin(payload)) is not None:
        compared += 1
        assert got == outcome(own), (json.dumps(payload), got, outcome(own))
assert read > 300 and compared > 500 and moved.count(True) > 150, (read, compared, moved.count(True))
"""


def test_values_moved_after_validation_read_as_in_their_own_keys(package: Path) -> None:
    """A payload of a model with no union below it: `from_dict` moves the values of keys of
    another spelling after pydantic's validation (no second validation), as routing would."""
    run_python(SAME_AS_OWN_KEYS, package)
