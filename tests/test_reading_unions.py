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
        # invalid for another reason than a key of another spelling: that one only where the
        # object was read as another variant of a union than it was routed for
        lines = error.errors() if hasattr(error, "errors") else [{"type": str(error)}]
        assert any("another" not in line["type"] for line in lines), (json.dumps(payload), str(error))
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
        # chooses Leaf, whose key named like its attribute has no JSON key beside it
        (
            {
                "eitherOne": {"leafSize": 1, "leaf_note": "n"},
                "SubTree": {"itemCount": 1, "item_count": 1},
            },
            "n",
        ),
        # ... or has: the field's own key wins, the other is written back as it came
        (
            {
                "eitherOne": {"leafSize": 1, "leaf_note": "n", "leafNote": "o"},
                "SubTree": {"itemCount": 1, "item_count": 1},
            },
            "o",
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
            if note is not None:
                assert type(read.either_one).__name__ == "Leaf", read
                assert read.either_one.leaf_note == note, read
            assert read.to_dict() == payload, (payload, read.to_dict())
        """),
        package,
    )


# The same payloads, one key for each field, read as the payload of the API's own keys is
# read: each key renamed to its field's JSON key (a payload of JSON keys only is read by
# pydantic alone). Both give objects of the same classes with the same fields set to the same
# values, whatever the package does with unknown keys.
SAME_AS_OWN_KEYS = RANDOM_PAYLOADS.split("changed, read = [], 0")[0] + """
import dataclasses, sys
from lib._runtime.keys import KeyRouter
WIRES = {f: (f if sys.argv[1] == "snake" else
             f.split("_")[0] + "".join(w.title() for w in f.split("_")[1:])) for f in SPELLINGS}
ROUTER = KeyRouter(WIRES.items())

def some_keys(rng, fields, depth):  # one key for each field
    found = {rng.choice(SPELLINGS[f]): value(rng, f, depth) for f in fields if rng.random() < 0.6}
    if rng.random() < 0.1:
        found["unknown"] = 1
    return found

def own_keys(value):
    if isinstance(value, dict):
        found = {}
        for key, item in value.items():
            match = ROUTER.match(key)
            found[match[1] if match else key] = own_keys(item)
        return found
    return value

def fields(value):
    if isinstance(value, list):
        return [fields(item) for item in value]
    if dataclasses.is_dataclass(value):
        names = getattr(value, "_fields_set", ())
    elif hasattr(value, "model_fields_set"):
        names = value.model_fields_set & type(value).model_fields.keys()
    else:
        return value
    return type(value).__name__, {name: fields(getattr(value, name)) for name in sorted(names)}

def outcome(payload):
    try:
        return fields(Tree.from_dict(payload))
    except ValueError as error:
        return "invalid"

differ, read = [], 0
for seed in range(1500):
    rng = random.Random(seed)
    payload = tree(rng, 0)
    if json.dumps(payload) != json.dumps(own := own_keys(payload)):
        got, expected = outcome(payload), outcome(own)
        read += expected != "invalid"
        if got != expected:
            differ.append((json.dumps(payload), got, expected))
assert read > 500, read
assert not differ, (len(differ), differ[:3])
"""


@pytest.fixture(
    scope="module",
    params=[
        (n, t, u) for n in NAMINGS for t in ("pydantic", "dataclasses") for u in ("keep", "ignore")
    ],
    ids="-".join,
)
def package_by_unknown_keys(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, str]:
    naming, target, unknown_keys = request.param
    root = tmp_path_factory.mktemp(f"{naming}-{target}-{unknown_keys}")
    flags = (*NAMINGS[naming], "--target", target, "--unknown-keys", unknown_keys)
    return generate_with_cli(write_docs(root, DOCS), root / "out", "lib", *flags), naming


def test_payloads_of_any_spelling_read_as_their_own_keys_are_read(
    package_by_unknown_keys: tuple[Path, str],
) -> None:
    package, naming = package_by_unknown_keys
    run_python(f"sys.argv = ['', {naming!r}]\n" + SAME_AS_OWN_KEYS, package)
