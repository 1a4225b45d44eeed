"""Objects of a union read from keys of any spelling: every value reaches its field or comes
back under its own key, whichever variant pydantic chooses, in camelCase and snake_case APIs
alike and on both targets."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from tests.conftest import fields_doc, generate_with_cli, run_python, write_docs

TREE = "[Optional[shared.Tree]](../../models/shared/tree.md)"
DOCS = {
    "models/shared/tree.md": fields_doc(
        "Tree",
        [
            ("item_count", "*Optional[int]*", False, ""),
            ("sub_tree", TREE, False, ""),
            (
                "either_one",
                "[Optional[shared.LeafOrTree]](../../models/shared/leafortree.md)",
                False,
                "",
            ),
        ],
    ),
    "models/shared/leaf.md": fields_doc(
        "Leaf", [("leaf_size", "*int*", True, ""), ("leaf_note", "*Optional[str]*", False, "")]
    ),
    "models/shared/leafortree.md": "# LeafOrTree\n\n## Supported Types\n\n### `shared.Leaf`\n\n"
    "```python\nvalue: shared.Leaf = /* values here */\n```\n\n### `shared.Tree`\n\n"
    "```python\nvalue: shared.Tree = /* values here */\n```\n",
}
NAMINGS = {"camel": ("--wire-names", "camel"), "snake": ()}


@pytest.fixture(
    scope="module",
    params=[(n, t) for n in NAMINGS for t in ("pydantic", "dataclasses")],
    ids="-".join,
)
def package(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    naming, target = request.param
    root = tmp_path_factory.mktemp(f"{naming}-{target}")
    flags = (*NAMINGS[naming], "--target", target)
    output = generate_with_cli(write_docs(root, DOCS), root / "out", "lib", *flags)
    return output


def naming_of(package: Path) -> str:
    return package.parent.name.split("-")[0]


# Payloads of Tree in random spellings of each key (one or two keys for a field, unknown keys,
# objects that mix the keys of both variants, invalid values), read and written back.
RANDOM_PAYLOADS = """
import json, random
from lib.shared import Tree

SPELLINGS = {
    "item_count": ["itemCount", "item_count", "ItemCount", "ITEM_COUNT", "itemcount"],
    "sub_tree": ["subTree", "sub_tree", "SubTree", "sub-tree"],
    "either_one": ["eitherOne", "either_one", "EitherOne"],
    "leaf_size": ["leafSize", "leaf_size", "LeafSize"],
    "leaf_note": ["leafNote", "leaf_note", "LeafNote", "leafnote"],
}

def some_keys(rng, fields, depth):
    found = {}
    for field in fields:
        if rng.random() < 0.4:
            continue
        for key in rng.sample(SPELLINGS[field], k=1 if rng.random() < 0.7 else 2):
            found[key] = value(rng, field, depth)
    if rng.random() < 0.1:
        found["unknown"] = 1
    return found

def value(rng, field, depth):
    if field in ("item_count", "leaf_size"):
        return rng.choice([None, "x"]) if rng.random() < 0.05 else rng.randint(0, 9)
    if field == "leaf_note":
        return rng.choice(["a", "b", None])
    if depth > 3:
        return None
    if field == "sub_tree":
        return tree(rng, depth + 1)
    chosen = rng.random()
    if chosen < 0.2:
        return {**leaf(rng), **tree(rng, depth + 1)}
    return leaf(rng) if chosen < 0.6 else tree(rng, depth + 1)

def tree(rng, depth):
    return some_keys(rng, ["item_count", "sub_tree", "either_one"], depth)

def leaf(rng):
    found = some_keys(rng, ["leaf_note"], 9)
    found[rng.choice(SPELLINGS["leaf_size"])] = rng.randint(0, 9)
    return found

changed, read = [], 0
for seed in range(1500):
    payload = tree(random.Random(seed), 0)
    try:
        written = Tree.from_dict(payload).to_dict()
    except ValueError as error:  # pydantic's ValidationError, or the dataclasses target's
        assert "another_spelling" not in str(error) and "another spelling" not in str(error), (
            json.dumps(payload), str(error))
        continue
    read += 1
    if written != payload:
        changed.append((json.dumps(payload), json.dumps(written)))
assert read > 1300, read
assert not changed, (len(changed), changed[:3])
"""


def test_random_payloads_of_any_spelling_come_back_as_they_came(package: Path) -> None:
    run_python(RANDOM_PAYLOADS, package)


# {naming: [(payload, the note of the Leaf it holds as `either_one`, or None: no Leaf)]}
CASES = {
    "camel": [
        # Another object fails (two keys for one field): the payload is routed, and the union
        # still chooses as for the object alone: Leaf's key named like its attribute makes it
        # fail, Tree takes the object as it is
        (
            {
                "eitherOne": {"leafSize": 1, "leaf_note": "n"},
                "SubTree": {"itemCount": 1, "item_count": 1},
            },
            None,
        ),
        # ... or has the field's own key beside it: the same
        (
            {
                "eitherOne": {"leafSize": 1, "leaf_note": "n", "leafNote": "o"},
                "SubTree": {"itemCount": 1, "item_count": 1},
            },
            None,
        ),
        # An object routed for one variant and read as another's unknown key, whose own
        # attribute-named key must not be read as an error of another spelling
        (
            {
                "itemCount": 4,
                "itemcount": 0,
                "either_one": {
                    "leaf_size": 1,
                    "eitherOne": {"SubTree": {"EitherOne": {"sub_tree": None}}},
                },
            },
            None,
        ),
    ],
    "snake": [
        # keys of both variants, the Tree's inner object invalid: a Leaf with an unknown key
        ({"either_one": {"leafSize": 1, "subTree": {"itemCount": "x"}}}, None),
    ],
}


def test_a_variant_chosen_after_routing_keeps_its_values_and_keys(package: Path) -> None:
    run_python(
        dedent(f"""
        from lib.shared import Tree
        for payload, note in {CASES[naming_of(package)]!r}:
            read = Tree.from_dict(payload)
            alone = {{k: v for k, v in payload.items() if k in ("eitherOne", "either_one")}}
            assert type(read.either_one) is type(Tree.from_dict(alone).either_one), read
            if note is not None:
                assert type(read.either_one).__name__ == "Leaf", read
                assert read.either_one.leaf_note == note, read
            assert read.to_dict() == payload, (payload, read.to_dict())
        """),
        package,
    )


OWNER = "[Optional[shared.Owner]](../../models/shared/owner.md)"
PET = "[Optional[shared.Pet]](../../models/shared/pet.md)"
PET_DOCS = {
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
# {naming: [(payload, the class of its pet, or None)]}: valid payloads, read whatever the
# variant routing tried first
PET_CASES = {
    "camel": [
        # routed for Bird (two keys), which fails: read as Cat, routed for it
        ({"pet": {"PetName": "x", "wingCm": "bad"}}, "Cat"),
        # values of other spellings inside values of other spellings: Bird, as model_validate
        # reads the fields' own keys (Cat would take the object, friend_pet an unknown key)
        (
            {
                "pet": {
                    "pet_name": "b",
                    "friend_pet": {"pet_name": "b", "friend_pet": {"PetName": "z"}},
                }
            },
            "Bird",
        ),
        ({"pet": {"PetName": "c", "FriendPet": []}}, "Cat"),
        # a key that lost to its field's own elsewhere changes nothing here
        ({"holderId": "a", "HOLDER_ID": "b", "pet": {"petName": "c", "OWNER_INFO": {}}}, "Bird"),
        ({"holderId": "a", "pet": {"petName": "c", "OWNER_INFO": {}}}, "Bird"),
    ],
    "snake": [
        ({"pet": {"PetName": "x", "wing_cm": "bad"}}, "Cat"),
        ({"pet": {"PetName": "c", "FriendPet": []}}, "Cat"),
        ({"holder_id": "a", "HOLDER_ID": "b", "pet": {"pet_name": "c", "OwnerInfo": {}}}, "Bird"),
        ({"holder_id": "a", "pet": {"pet_name": "c", "OwnerInfo": {}}}, "Bird"),
    ],
}


@pytest.fixture(
    scope="module",
    params=[(n, t) for n in NAMINGS for t in ("pydantic", "dataclasses")],
    ids="-".join,
)
def pets(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    naming, target = request.param
    root = tmp_path_factory.mktemp(f"{naming}-{target}")
    flags = (*NAMINGS[naming], "--target", target)
    return generate_with_cli(write_docs(root, PET_DOCS), root / "out", "lib", *flags)


def test_valid_payloads_read_whichever_variant_routing_tried_first(pets: Path) -> None:
    run_python(
        dedent(f"""
        from lib.shared import Holder
        for payload, pet in {PET_CASES[naming_of(pets)]!r}:
            read = Holder.from_dict(payload)
            assert type(read.pet).__name__ == pet, (payload, read)
            assert read.to_dict() == payload, (payload, read.to_dict())
        """),
        pets,
    )


def test_a_key_that_lost_where_unknown_keys_are_refused_is_located_in_the_payload(
    tmp_path: Path,
) -> None:
    flags = (*NAMINGS["camel"], "--unknown-keys", "forbid")
    output = generate_with_cli(write_docs(tmp_path, PET_DOCS), tmp_path / "out", "lib", *flags)
    run_python(
        """
        from pydantic import ValidationError
        from lib.shared import Holder
        try:
            Holder.from_dict({"owners": [{"fullName": "x"}, {"fullName": "x", "FULL_NAME": "y"}]})
        except ValidationError as error:
            assert error.title == "Holder", error
            assert [(e["type"], e["loc"]) for e in error.errors()] == [
                ("extra_forbidden", ("owners", 1, "FULL_NAME"))
            ], error.errors()
        else:
            raise AssertionError("a key that lost is an unknown key, refused")
        assert Holder.from_dict({"owners": [{"FullName": "x"}]}).owners[0].full_name == "x"
        """,
        output,
    )
