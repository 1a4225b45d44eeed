"""`from_dict` reads a payload's keys in any of Speakeasy's spellings and `to_dict` writes each
value back under the key it came with; a payload of the API's keys costs no Python call per
object, and nothing of one payload changes how the next is read."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from tests.conftest import fields_doc, generate_with_cli, run_python, write_docs

CONTAINER = "[shared.Container](../../models/shared/container.md)"
DOCS = {
    "models/shared/library.md": fields_doc(
        "Library",
        [
            ("library_id", "*str*", True, ""),
            ("media_container", CONTAINER, False, ""),
            ("items", f"List[{CONTAINER}]", False, ""),
            ("by_name", f"Dict[str, {CONTAINER}]", False, ""),
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

# Each payload with the same payload in the fields' own keys (what it must read as).
PAYLOADS = [
    ({"library_id": "a", "items": [{"total_size": 1}], "image_url": "u"}, None),
    (
        {
            "libraryID": "a",
            "MediaContainer": {"totalSize": 2, "sectionID": 3},
            "items": [{"TotalSize": 1}, {"total_size": 2, "SectionId": 4}],
            "byName": {"x": {"totalSize": 5}},
            "imageURL": "u",
        },
        {
            "library_id": "a",
            "media_container": {"total_size": 2, "section_id": 3},
            "items": [{"total_size": 1}, {"total_size": 2, "section_id": 4}],
            "by_name": {"x": {"total_size": 5}},
            "image_url": "u",
        },
    ),
    # unknown keys, at every level: kept
    (
        {"library_id": "a", "new": [1, {"b": None}], "items": [{"total_size": 1, "more": True}]},
        None,
    ),
    # a union: pydantic chooses the variant, as for the fields' own keys
    (
        {"library_id": "a", "either": {"totalSize": 1}},
        {"library_id": "a", "either": {"total_size": 1}},
    ),
    ({"library_id": "a", "either": {"total_size": 1, "other_name": "o"}}, None),
    # the variant chosen is the one the payload of the fields' own keys gives, whatever the spelling
    (
        {"library_id": "a", "either": {"total_size": 1, "otherName": "o"}},
        {"library_id": "a", "either": {"total_size": 1, "other_name": "o"}},
    ),
    # two keys that feed one field: the field's own key wins, the other stays an unknown key
    ({"library_id": "a", "imageURL": "x", "image_url": "y", "ImageUrl": "z"}, None),
]


def generate_package(root: Path, *flags: str) -> Path:
    return generate_with_cli(write_docs(root, DOCS), root / "out", "lib", *flags)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return generate_package(tmp_path_factory.mktemp("reading"))


# Records the runtime's Python functions that run, pydantic's calls of them included.
COUNTING = """
import sys
calls = []

def profile(frame, event, argument):
    if event == "call" and "_runtime" in frame.f_code.co_filename:
        calls.append(frame.f_code.co_name)

def reading(read, payload):
    calls.clear()
    sys.setprofile(profile)
    try:
        return read(payload)
    finally:
        sys.setprofile(None)
"""


def test_any_spelling_reads_as_the_fields_own_keys_and_comes_back_as_it_came(
    package: Path,
) -> None:
    run_python(
        dedent(f"""
        import copy
        from lib.shared import Library, Other
        for payload, own in {PAYLOADS!r}:
            original = copy.deepcopy(payload)
            read = Library.from_dict(payload)
            assert payload == original, "the payload was changed"
            assert read.to_dict() == payload, (read.to_dict(), payload)
            assert read.model_dump(by_alias=True, exclude_unset=True) == payload
            if own is not None:
                expected = Library.model_validate(own)
                assert read.model_dump(by_alias=False) == expected.model_dump(by_alias=False)
                assert read.model_fields_set == expected.model_fields_set
        assert type(Library.from_dict({PAYLOADS[4][0]!r}).either) is Other
        assert Library.from_dict({PAYLOADS[5][0]!r}).either.other_name == "o"
        """),
        package,
    )


def test_a_payload_of_the_fields_keys_costs_no_python_call(package: Path) -> None:
    run_python(
        COUNTING + dedent("""
        from lib.shared import Library
        own = {"library_id": "a", "items": [{"total_size": 1}], "by_name": {"x": {"total_size": 2}}}
        reading(Library.from_dict, own)
        assert sorted(calls) == ["from_dict", "read", "validators"], calls
        reading(Library.from_dict, {"library_id": "a", "items": [{"total_size": 1, "new": 2}]})
        assert calls.count("check_extra_key") == 1, calls
        reading(Library.from_dict, {"library_id": "a", "items": [{"total_size": 1, "sectionID": 2}]})
        assert "_read_routed" in calls, calls  # a union may hold a Container: routed
        # what was read before changes nothing
        reading(Library.from_dict, own)
        assert sorted(calls) == ["from_dict", "read", "validators"], calls
        """),
        package,
    )


def test_recursive_models_are_read_at_every_depth(package: Path) -> None:
    run_python(
        """
        from lib.shared import Node
        payload = {"nodeName": "a", "childNodes": [{"NodeName": "b", "ChildNodes": [{"node-name": "c"}]}]}
        node = Node.from_dict(payload)
        assert node.child_nodes[0].child_nodes[0].node_name == "c"
        assert node.to_dict() == payload
        assert Node.from_json(node.to_json()).to_dict() == payload
        """,
        package,
    )


def test_a_required_field_under_another_key_is_read(package: Path) -> None:
    """Its object fails pydantic's validation: `read` routes that object's keys first."""
    run_python(
        COUNTING + dedent("""
        from lib.shared import Library
        payload = {"LibraryId": "a", "items": [{"TotalSize": 1, "sectionID": 2}, {"total_size": 3}]}
        library = reading(Library.from_dict, payload)
        assert "_read_routed" in calls
        assert library.library_id == "a" and library.items[0].total_size == 1
        assert library.items[0].section_id == 2 and library.to_dict() == payload
        """),
        package,
    )


def test_objects_built_in_python_write_the_fields_keys(package: Path) -> None:
    run_python(
        """
        import copy
        from lib.shared import Container
        built, read = Container(total_size=1), Container.from_dict({"total_size": 1})
        assert built == read == Container.model_validate({"total_size": 1})
        # Read under another key, it writes that key back, also once copied.
        other = Container.from_dict({"totalSize": 1})
        assert other.to_dict() == {"totalSize": 1} and built.to_dict() == {"total_size": 1}
        assert copy.copy(other).to_dict() == copy.deepcopy(other).to_dict() == {"totalSize": 1}
        assert other.model_copy().to_dict() == {"totalSize": 1}
        assert Container.model_json_schema(mode="serialization")["properties"]
        """,
        package,
    )


def test_model_validate_refuses_a_key_it_would_not_read_into_its_field(package: Path) -> None:
    run_python(
        """
        from pydantic import ValidationError
        from lib.shared import Container
        assert Container.model_validate({"total_size": 1, "x": 2}).model_extra == {"x": 2}
        try:
            Container.model_validate({"totalSize": 1})
        except ValidationError as error:
            assert "read the payload with from_dict" in str(error), error
        else:
            raise AssertionError("a key of another spelling was kept as an unknown key")
        """,
        package,
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


def test_unknown_keys_can_be_ignored_or_refused(tmp_path: Path) -> None:
    ignoring = generate_package(tmp_path / "ignore", "--unknown-keys", "ignore")
    run_python(
        """
        from lib.shared import Library
        payload = {"libraryID": "a", "new": 1, "items": [{"totalSize": 1, "x": 2}], "imageURL": "u", "image_url": "v"}
        library = Library.from_dict(payload)
        assert library.model_extra == {} and library.items[0].model_extra == {}
        assert library.image_url == "v"
        assert library.to_dict() == {"libraryID": "a", "items": [{"totalSize": 1}], "image_url": "v"}
        """,
        ignoring,
    )
    refusing = generate_package(tmp_path / "forbid", "--unknown-keys", "forbid")
    run_python(
        """
        from pydantic import ValidationError
        from lib.shared import Library
        assert Library.from_dict({"libraryID": "a", "items": [{"totalSize": 1}]}).library_id == "a"
        for read in (Library.from_dict, Library.model_validate):
            try:
                read({"library_id": "a", "items": [{"total_size": 1, "x": 2}]})
            except ValidationError as error:
                assert error.errors()[0]["type"] == "extra_forbidden", error
                assert error.errors()[0]["loc"] == ("items", 0, "x"), error
            else:
                raise AssertionError("an unknown key was read")
        """,
        refusing,
    )


def test_invalid_payloads_raise_pydantics_error(package: Path) -> None:
    run_python(
        """
        from pydantic import ValidationError
        from lib.shared import Library
        for payload in [{"items": []}, {"libraryID": "a", "items": [{"totalSize": "x"}]}]:
            try:
                Library.from_dict(payload)
            except ValidationError as error:
                assert error.errors()[0]["type"] in ("missing", "int_parsing"), error
            else:
                raise AssertionError(f"{payload} was read")
        """,
        package,
    )


def test_any_spelling_of_the_keys_reads_alike(package: Path) -> None:
    run_python(
        """
        from hypothesis import given, settings, strategies as st
        from lib.shared import Library

        def spellings(words):
            own = "_".join(words)
            variants = [
                own,
                words[0] + "".join(w.title() for w in words[1:]),
                "".join(w.title() for w in words),
                "-".join(w.upper() for w in words),
                words[0] + "".join(w.upper() if w in ("id", "url") else w.title() for w in words[1:]),
            ]
            return st.sampled_from(variants).map(lambda key: (key, own))

        def pair(words, value):
            return spellings(words).map(lambda keys: ((keys[0], value), (keys[1], value)))

        container = st.fixed_dictionaries(
            {"total": pair(["total", "size"], 1)},
            optional={
                "section": pair(["section", "id"], 2),
                "junk": st.sampled_from(["junk", "Junk", "x-y"]).map(lambda k: ((k, [None]), (k, [None]))),
            },
        ).map(lambda parts: tuple(dict(side) for side in zip(*parts.values())))
        library = st.fixed_dictionaries(
            {"id": pair(["library", "id"], "a")},
            optional={
                "media": spellings(["media", "container"]).flatmap(
                    lambda keys: container.map(lambda c: ((keys[0], c[0]), (keys[1], c[1])))
                ),
                "items": st.lists(container, max_size=3).map(
                    lambda items: (("items", [i[0] for i in items]), ("items", [i[1] for i in items]))
                ),
                "image": pair(["image", "url"], "u"),
            },
        ).map(lambda parts: tuple(dict(side) for side in zip(*parts.values())))

        @settings(max_examples=300, deadline=None)
        @given(library)
        def check(payloads):
            payload, own = payloads
            read = Library.from_dict(payload)
            assert read.to_dict() == payload, (payload, read.to_dict())
            expected = Library.from_dict(own).model_dump(by_alias=False)
            assert read.model_dump(by_alias=False) == expected, payload

        check()
        """,
        package,
    )


def test_keys_read_before_leave_no_trace_in_the_next_payload(package: Path, tmp_path: Path) -> None:
    """The same payload of other spellings read twice changes nothing of how the next is
    read: a field's own key beside another spelling of it, and another spelling alone, come
    back as they came, on both targets."""
    dataclasses = generate_package(tmp_path, "--target", "dataclasses")
    for output in (package, dataclasses):
        run_python(
            """
            from lib.shared import Library
            before = {"library_id": "a", "ImageUrl": "n", "items": [{"total_size": 1, "SECTION_ID": 1}]}
            for _ in range(2):
                Library.from_dict(before)
            payload = {
                "library_id": "a",
                "items": [{"total_size": 1, "section_id": 0, "SECTION_ID": 7}, {"total_size": 2, "SectionId": 3}],
            }
            library = Library.from_dict(payload)
            assert library.to_dict() == payload, library.to_dict()
            assert [item.section_id for item in library.items] == [0, 3]
            """,
            output,
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
        expected = [Library.from_dict(payload).model_dump(by_alias=False) for payload in payloads]

        def read(index):
            read = Library.from_dict(payloads[index % 3])
            same = read.model_dump(by_alias=False) == expected[index % 3]
            return same and read.to_dict() == payloads[index % 3]

        with ThreadPoolExecutor(8) as pool:
            assert all(pool.map(read, range(3000)))
        """,
        package,
    )


def test_an_invalid_value_under_another_key_is_located_at_its_field(package: Path) -> None:
    run_python(
        """
        from pydantic import ValidationError
        from lib.shared import Library
        for payload in ({"library_id": "a", "imageURL": [1, {}]}, {"LibraryId": "a", "items": [{"totalSize": "x"}]}):
            try:
                Library.from_dict(payload)
            except ValidationError as error:
                assert error.errors()[0]["loc"][0] in ("image_url", "items"), error
            else:
                raise AssertionError(payload)
        """,
        package,
    )


EDGES = {
    "models/a/address.md": fields_doc("Address", [("city", "*str*", True, "")]),
    "models/b/address.md": fields_doc("Address", [("street_name", "*str*", True, "")]),
    "models/shared/box.md": fields_doc(
        "Box",
        [
            ("is_active", "*Optional[bool]*", False, ""),
            ("image_url", "*Optional[str]*", False, ""),
            ("label", "*str*", True, ""),
        ],
    ),
    "models/shared/m.md": fields_doc("M", [("total_size", "*int*", True, "")]),
    "models/shared/n.md": fields_doc("N", [("total_size", "*int*", True, "")]),
    "models/shared/either.md": "# Either\n\n## Supported Types\n\n### `shared.M`\n\n"
    "```python\nvalue: shared.M = /* values here */\n```\n\n### `shared.N`\n\n"
    "```python\nvalue: shared.N = /* values here */\n```\n",
    "models/shared/holder.md": fields_doc(
        "Holder", [("u", "[shared.Either](../../models/shared/either.md)", True, "")]
    ),
}
EDGE_OVERRIDES = """
["shared.Box.is_active"]
wire_name = "isActive"
["shared.Box.image_url"]
wire_name = "imageUrl"
["shared.N.total_size"]
wire_name = "totalSize"
"""


@pytest.mark.parametrize("unknown_keys", ["keep", "forbid"])
def test_reading_ends_and_the_fields_own_key_wins_on_the_hard_cases(
    unknown_keys: str, tmp_path: Path
) -> None:
    specs = write_docs(tmp_path, EDGES)
    overrides = tmp_path / "overrides.toml"
    overrides.write_text(EDGE_OVERRIDES, encoding="utf-8")
    output = generate_with_cli(
        specs,
        tmp_path / "out",
        "lib",
        "--overrides",
        str(overrides),
        "--unknown-keys",
        unknown_keys,
    )
    run_python(
        f"""
        import signal
        from pydantic import ValidationError
        from lib.a import Address
        from lib.shared import Box, Holder
        signal.alarm(60)  # a read that never ends fails here
        failing = [
            (Address.from_dict, {{"city": 1, "streetName": "s"}}),  # another class's key
            (Holder.from_dict, {{"u": {{"totalSize": "x"}}}}),  # variants that spell it apart
            (Holder.from_dict, {{"u": {{"total_size": "x"}}}}),
            (Box.from_json, "{{not json"),
        ]
        for read, payload in failing:
            try:
                read(payload)
            except ValidationError:
                pass
            else:
                raise AssertionError(payload)
        # The field's own key beats another spelling, even where its value is the default's.
        payload = {{"isActive": False, "is_active": True, "Label": "l"}}
        if {unknown_keys!r} == "keep":
            box = Box.from_dict(payload)
            assert box.is_active is False and box.label == "l" and box.to_dict() == payload
            box = Box.from_dict({{"imageUrl": None, "image_url": "x", "label": "l"}})
            assert box.image_url is None and box.model_extra == {{"image_url": "x"}}
        else:  # a key that lost is an unknown key: refused
            for payload in (payload, {{"image_url": "a", "imageUrl": "b", "label": "l"}}):
                try:
                    Box.from_dict(payload)
                except ValidationError as error:
                    assert "extra_forbidden" in str(error), error
                else:
                    raise AssertionError(payload)
        """,
        output,
    )


def test_json_text_deeper_than_the_bound_with_a_value_to_move_is_too_deep(package: Path) -> None:
    """pydantic reads JSON text up to 200 levels deep itself; where a value of another key
    spelling fails deeper than the runtime's bound, the error says so, never locates the value's
    problem as if the value were the whole payload."""
    run_python(
        """
        import json
        from pydantic import ValidationError
        from lib.shared import Node

        def chain(levels):  # a value of another key spelling, invalid, at the bottom
            node = {"node_name": "n", "ChildNodes": [{"node_name": 1}]}
            for _ in range(levels):
                node = {"node_name": "n", "child_nodes": [node]}
            return node

        for levels, depth, problem in ((20, 43, "string_type"), (60, 0, "too_deep")):
            for read, payload in ((Node.from_dict, chain(levels)), (Node.from_json, json.dumps(chain(levels)))):
                try:
                    read(payload)
                except ValidationError as error:
                    [line] = error.errors()
                    assert (line["type"], len(line["loc"])) == (problem, depth), (read, line)
                else:
                    raise AssertionError("an invalid payload was read")
        """,
        package,
    )
