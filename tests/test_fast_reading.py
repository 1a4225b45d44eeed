"""`from_dict` (one routing pass, then pydantic's core alone) reads every payload exactly as
the wrap validators do (`model_validate`): the same objects, the same keys written back."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from tests.conftest import fields_doc, generate_with_cli, run_python, write_docs

DOCS = {
    "models/shared/library.md": fields_doc(
        "Library",
        [
            ("library_id", "*str*", True, ""),
            ("media_container", "[shared.Container](../../models/shared/container.md)", False, ""),
            ("items", "List[[shared.Container](../../models/shared/container.md)]", False, ""),
            (
                "by_name",
                "Dict[str, [shared.Container](../../models/shared/container.md)]",
                False,
                "",
            ),
            ("either", "[Optional[shared.Either]](../../models/shared/either.md)", False, ""),
            ("image_url", "*Optional[str]*", False, ""),
        ],
    ),
    "models/shared/container.md": fields_doc(
        "Container",
        [("total_size", "*int*", True, ""), ("section_id", "*Optional[int]*", False, "")],
    ),
    "models/shared/either.md": "# Either\n\n## Supported Types\n\n### `shared.Container`\n\n"
    "```python\nvalue: shared.Container = /* values here */\n```\n\n### `shared.Other`\n\n"
    "```python\nvalue: shared.Other = /* values here */\n```\n",
    "models/shared/other.md": fields_doc(
        "Other", [("total_size", "*int*", True, ""), ("other_name", "*Optional[str]*", False, "")]
    ),
    "models/shared/node.md": fields_doc(
        "Node",
        [
            ("node_name", "*str*", True, ""),
            ("child_nodes", "List[[shared.Node](../../models/shared/node.md)]", False, ""),
        ],
    ),
}

# Each payload is read both ways; the comment says which path `from_dict` takes.
PAYLOADS = [
    # wire keys only: pydantic's core alone
    {"library_id": "a", "items": [{"total_size": 1}], "image_url": "u"},
    # camelCase and acronyms, nested and in lists and maps: routed first
    {
        "libraryID": "a",
        "MediaContainer": {"totalSize": 2, "sectionID": 3},
        "items": [{"TotalSize": 1}, {"total_size": 2, "SectionId": 4}],
        "byName": {"x": {"totalSize": 5}},
        "imageURL": "u",
    },
    # unknown keys, at every level
    {"library_id": "a", "new": [1, {"b": None}], "items": [{"total_size": 1, "more": True}]},
    # a union whose variants both take the object: left to the wrap validators
    {"library_id": "a", "either": {"totalSize": 1}},
    {"library_id": "a", "either": {"total_size": 1, "otherName": "o"}},
    # a key only one variant routes, beside one no variant knows: the variant with more fields
    {"library_id": "a", "either": {"total_size": 1, "otherName": "o", "junk": 1}},
    # two keys that feed one field: the better one wins, the other is an unknown key
    {"library_id": "a", "imageURL": "x", "image_url": "y", "ImageUrl": "z"},
]
# Payloads that `from_dict` reads without the wrap validators (the others of PAYLOADS go to them).
IN_THE_CORE = [0, 1, 2, 4]


def generate_package(root: Path, *flags: str) -> Path:
    return generate_with_cli(write_docs(root, DOCS), root / "out", "lib", *flags)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_package(tmp_path_factory.mktemp("fast"))


# Counts the payloads that `from_dict` hands to the wrap validators.
COUNTING = """
import lib._fastreading as routing
handed = []
_read_each = routing._read_routing_each
routing._read_routing_each = lambda cls, data: handed.append(data) or _read_each(cls, data)
"""


def test_from_dict_reads_as_the_wrap_validators_do(package: Path) -> None:
    run_python(
        COUNTING + dedent(f"""
        import copy
        from lib.shared import Library
        for index, payload in enumerate({PAYLOADS!r}):
            original = copy.deepcopy(payload)
            handed.clear()
            fast, each = Library.from_dict(payload), Library.model_validate(payload)
            assert payload == original, "the payload was changed"
            assert bool(handed) is (index not in {IN_THE_CORE!r}), (index, handed)
            assert fast == each, (fast, each)
            assert fast.to_dict() == each.to_dict() == payload, (fast.to_dict(), payload)
            assert fast.model_extra == each.model_extra
            assert fast.model_fields_set == each.model_fields_set
            assert type(fast.either) is type(each.either)
            for _ in range(3):  # again, once the class has seen routed payloads
                assert Library.from_dict(payload).to_dict() == payload
        assert type(Library.from_dict({PAYLOADS[5]!r}).either).__name__ == "Other"
        """),
        package,
    )


def test_recursive_models_are_routed_at_every_depth(package: Path) -> None:
    run_python(
        COUNTING + dedent("""
        from lib.shared import Node
        payload = {"nodeName": "a", "childNodes": [{"NodeName": "b", "ChildNodes": [{"node-name": "c"}]}]}
        node = Node.from_dict(payload)
        assert not handed and node.child_nodes[0].child_nodes[0].node_name == "c"
        assert node == Node.model_validate(payload) and node.to_dict() == payload
        """),
        package,
    )


def test_objects_built_in_python_equal_those_read(package: Path) -> None:
    run_python(
        """
        from lib.shared import Container
        built, read = Container(total_size=1), Container.from_dict({"total_size": 1})
        assert built == read == Container.model_validate({"total_size": 1})
        # Read under another key, it writes that key back: it is another payload.
        assert Container.from_dict({"totalSize": 1}) != built
        assert Container.model_json_schema(mode="serialization")["properties"]
        """,
        package,
    )


@pytest.mark.parametrize("mode", ["ignore", "forbid"])
def test_other_unknown_key_modes_read_alike(mode: str, tmp_path: Path) -> None:
    output = generate_package(tmp_path, "--unknown-keys", mode)
    run_python(
        f"""
        from lib.shared import Library
        for payload in {PAYLOADS!r}:
            outcomes = []
            for read in (Library.from_dict, Library.model_validate):
                try:
                    value = read(payload)
                    outcomes.append((value, value.to_dict(), value.model_extra))
                except ValueError as error:
                    outcomes.append(str(error).splitlines()[1:])
            assert outcomes[0] == outcomes[1], (payload, outcomes)
        """,
        output,
    )


def test_unknown_keys_are_the_models_extra(package: Path) -> None:
    run_python(
        """
        from lib.shared import Library
        library = Library.from_dict({"library_id": "a", "new": 1, "items": [{"total_size": 1, "x": 2}]})
        assert library.model_extra == {"new": 1} and library.new == 1
        assert library.items[0].model_extra == {"x": 2}
        """,
        package,
    )


def test_invalid_payloads_raise_the_same_error_both_ways(package: Path) -> None:
    run_python(
        """
        from pydantic import ValidationError
        from lib.shared import Library
        for payload in [{"items": []}, {"libraryID": "a", "items": [{"totalSize": "x"}]}]:
            errors = []
            for read in (Library.from_dict, Library.model_validate):
                try:
                    read(payload)
                except ValidationError as error:
                    errors.append(error.errors(include_url=False))
            assert len(errors) == 2 and errors[0] == errors[1], errors
        """,
        package,
    )


def test_any_spelling_of_the_keys_reads_alike(package: Path) -> None:
    run_python(
        """
        from hypothesis import given, settings, strategies as st
        from lib.shared import Library

        def spellings(words):
            variants = [
                "_".join(words),
                words[0] + "".join(w.title() for w in words[1:]),
                "".join(w.title() for w in words),
                "-".join(w.upper() for w in words),
                words[0] + "".join(w.upper() if w in ("id", "url") else w.title() for w in words[1:]),
            ]
            return st.sampled_from(variants)

        container = st.fixed_dictionaries(
            {},
            optional={
                "total": spellings(["total", "size"]).map(lambda k: (k, 1)),
                "section": spellings(["section", "id"]).map(lambda k: (k, 2)),
                "junk": st.sampled_from(["junk", "Junk", "x-y"]).map(lambda k: (k, [None])),
            },
        ).map(lambda parts: dict(parts.values()))
        library = st.fixed_dictionaries(
            {"id": spellings(["library", "id"]).map(lambda k: (k, "a"))},
            optional={
                "media": spellings(["media", "container"]).flatmap(
                    lambda k: container.map(lambda c: (k, c))
                ),
                "items": st.lists(container, max_size=3).map(lambda items: ("items", items)),
                "image": spellings(["image", "url"]).map(lambda k: (k, "u")),
            },
        ).map(lambda parts: dict(parts.values()))

        @settings(max_examples=300, deadline=None)
        @given(library)
        def check(payload):
            outcomes = []
            for read in (Library.from_dict, Library.model_validate):
                try:
                    value = read(payload)
                    outcomes.append((value, value.to_dict()))
                except ValueError as error:
                    outcomes.append(type(error).__name__)
            assert outcomes[0] == outcomes[1], (payload, outcomes)

        check()
        """,
        package,
    )


def test_a_model_clean_before_is_routed_when_it_needs_it(package: Path) -> None:
    """The pass leaves objects of models that needed no routing last time; a payload where one
    does after all must still be read right."""
    run_python(
        """
        from lib.shared import Library
        clean = {"libraryID": "a", "items": [{"total_size": 1}], "MediaContainer": {"total_size": 2}}
        routed = {"libraryID": "b", "items": [{"totalSize": 3}], "MediaContainer": {"TotalSize": 4}}
        for payload in (clean, routed, clean, routed):
            read = Library.from_dict(payload)
            assert read == Library.model_validate(payload) and read.to_dict() == payload
        assert Library.from_dict(routed).items[0].total_size == 3
        """,
        package,
    )


# Counts the payloads `from_dict` routes in Python before validating them, and the validators
# it builds.
COUNTING_PASSES = """
import lib._fastreading as routing
passes, builds = [], []
_route, _validator = routing.route, routing._validator
routing.route = lambda *args, **kwargs: passes.append(1) or _route(*args, **kwargs)
routing._validator = lambda *args: builds.append(1) or _validator(*args)
"""


def test_keys_read_once_are_taken_directly_by_the_next_payloads(package: Path) -> None:
    """An API sends the same keys in every response of a kind: after one payload was routed,
    the next ones with its keys are read by pydantic's core alone, and written back as read."""
    run_python(
        COUNTING_PASSES + dedent("""
        from lib.shared import Library
        acronyms = {"libraryID": "a", "imageURL": "u", "items": [{"total_size": 1}]}
        wire = {"library_id": "b", "image_url": "v", "items": [{"total_size": 3}]}
        assert Library.from_dict(acronyms).to_dict() == acronyms and passes
        passes.clear()
        for _ in range(3):
            read = Library.from_dict(acronyms)
            assert read == Library.model_validate(acronyms) and read.to_dict() == acronyms
        assert not passes, "a payload with keys seen before was routed again"
        # Objects without the keys learned, or under the wire keys, read as before.
        for payload in (wire, {"libraryID": "c"}, acronyms, wire):
            read = Library.from_dict(payload)
            assert read == Library.model_validate(payload) and read.to_dict() == payload
        # Built in Python, an object still writes the wire keys.
        assert Library(library_id="d", image_url="w").to_dict() == {"library_id": "d", "image_url": "w"}
        """),
        package,
    )


def test_payloads_whose_keys_keep_changing_stop_rebuilding_the_validator(package: Path) -> None:
    run_python(
        COUNTING_PASSES + dedent("""
        from lib.shared import Library
        spellings = ["imageURL", "ImageUrl", "image-url", "IMAGE_URL", "imageUrl", "Image-URL"]
        for round in range(10):
            for key in spellings:
                payload = {"libraryID": "a", key: "u"}
                read = Library.from_dict(payload)
                assert read == Library.model_validate(payload) and read.to_dict() == payload
        assert 1 < len(builds) <= 1 + routing._MAX_RELEARNED + 1, len(builds)
        """),
        package,
    )


def test_threads_reading_payloads_of_changing_keys_read_each_right(package: Path) -> None:
    run_python(
        """
        import sys
        from concurrent.futures import ThreadPoolExecutor
        from lib.shared import Library
        sys.setswitchinterval(1e-6)  # switch threads as often as possible
        payloads = [
            {"libraryID": "a", "imageURL": "u", "items": [{"totalSize": 1}]},
            {"library_id": "b", "image_url": "v", "items": [{"total_size": 2, "SectionID": 3}]},
            {"LibraryId": "c", "image-url": "w", "MediaContainer": {"total-size": 4}},
        ]
        expected = [Library.model_validate(payload) for payload in payloads]

        def read(index):
            read = Library.from_dict(payloads[index % 3])
            return read == expected[index % 3] and read.to_dict() == payloads[index % 3]

        with ThreadPoolExecutor(8) as pool:
            assert all(pool.map(read, range(3000)))
        """,
        package,
    )


UNION_FIRST = {
    "models/shared/holder.md": fields_doc(
        "Holder",
        [
            ("box", "[Optional[shared.Box]](../../models/shared/box.md)", False, ""),
            ("pick", "[Optional[shared.Pick]](../../models/shared/pick.md)", False, ""),
        ],
    ),
    "models/shared/box.md": fields_doc("Box", [("total_size", "*int*", True, "")]),
    "models/shared/other.md": fields_doc("Other", [("total_size", "*int*", True, "")]),
    "models/shared/pick.md": "# Pick\n\n## Supported Types\n\n### `shared.Other`\n\n"
    "```python\nvalue: shared.Other = /* values here */\n```\n\n### `shared.Box`\n\n"
    "```python\nvalue: shared.Box = /* values here */\n```\n",
}


def test_a_union_variant_learns_no_keys(tmp_path: Path) -> None:
    """Keys a model learned where it stands alone must not make it win a union it is a
    variant of, where the wrap validators choose another variant."""
    output = generate_with_cli(write_docs(tmp_path, UNION_FIRST), tmp_path / "out", "lib")
    run_python(
        """
        from lib.shared import Holder
        learn = {"box": {"totalSize": 2}}
        for _ in range(3):
            assert Holder.from_dict(learn).to_dict() == learn
        payload = {"pick": {"totalSize": 1}}
        fast, each = Holder.from_dict(payload), Holder.model_validate(payload)
        assert type(fast.pick) is type(each.pick), (fast, each)
        assert fast == each and fast.to_dict() == payload
        """,
        output,
    )
