"""Real payloads survive: the API's own JSON keys in, the same keys out, unknown keys kept."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from generator.model.target import Target
from generator.runtime.keys import KeyRouter, attribute_forms
from tests.conftest import (
    CORPORA,
    CORPUS,
    fields_doc,
    generate_with_cli,
    run_python,
    shared_missing,
    write_docs,
)

TARGETS = pytest.mark.parametrize("target", [t.value for t in Target])

# Speakeasy's attribute for these keys comes from the API's spec (a name override, or the
# name of a security scheme), not from the key: no naming rule can derive it.
NOT_DERIVED_FROM_THE_KEY = {
    ("Authorization", "api_key"),
    ("Authorization", "bearer_auth"),
    ("Authorization", "access_token"),
    ("unstructured-api-key", "api_key_auth"),
    ("X-Integration-Id", "integration_id"),
    ("$lang", "language"),
    ("input", "inputs"),
    ("bytes", "size_bytes"),
    ("schema", "schema_definition"),
    ("", "content"),
}


def truth_wire_names() -> list[tuple[str, str, str]]:
    """(corpus, wire name, attribute) of every field of every visible truth.json."""
    pairs = []
    for corpus in CORPORA:
        truth = CORPUS / corpus / "truth.json"
        if not truth.is_file():
            continue
        for cls in json.loads(truth.read_text(encoding="utf-8"))["classes"]:
            for field in cls.get("fields", []):
                if "wire_name" in field:
                    pairs.append((corpus, field["wire_name"], field["name"]))
    return pairs


def test_naming_derives_speakeasy_attributes_from_the_wire_names_of_every_corpus() -> None:
    pairs = truth_wire_names()
    if not pairs:
        shared_missing(
            f"no truth.json under {CORPUS} (the shared corpora live beside the checkout)"
        )
    # v1 truth writes const fields in upper case (DESTINATION_TYPE); the docs write them lower.
    missed = {
        (corpus, wire, attribute)
        for corpus, wire, attribute in pairs
        if attribute.lower().rstrip("_") not in {f.rstrip("_") for f in attribute_forms(wire)}
        and (wire, attribute) not in NOT_DERIVED_FROM_THE_KEY
    }
    assert not missed, sorted(missed)
    assert len(pairs) > 1800


@pytest.mark.parametrize(
    ("key", "attribute"),
    [
        ("machineIdentifier", "machine_identifier"),
        ("MediaContainer", "media_container"),
        ("fileID", "file_id"),
        ("resetCDC", "reset_cdc"),
        ("HTTPMetadata", "http_metadata"),
        ("isGHEnabled", "is_gh_enabled"),
        ("includeInGenAI", "include_in_gen_ai"),
        ("s3Details", "s3_details"),
        ("Address_Line_1", "address_line_1"),
        ("X-Request-Id", "x_request_id"),
        ("filter[topicIds]", "filter_topic_ids"),
        ("last event id", "last_event_id"),
        ("_meta", "meta"),
        ("@type", "type"),
    ],
)
def test_speakeasy_naming(key: str, attribute: str) -> None:
    assert attribute_forms(key)[0] == attribute


def test_sigils_and_keywords_give_the_other_forms_speakeasy_uses() -> None:
    assert "dollar_schema" in attribute_forms("$schema")
    assert "at_type" in attribute_forms("@type")
    assert "and_" in attribute_forms("AND")


def test_the_router_prefers_exact_keys_and_is_independent_of_payload_order() -> None:
    router = KeyRouter([("file_id", "fileId"), ("name", "name")])
    for payload in ({"fileID": 1, "FileId": 2}, {"FileId": 2, "fileID": 1}):
        fed, read_as, unknown = router.route(payload)
        # Both derive to file_id: the smaller key wins, whatever the order.
        assert fed == {"fileId": 2} and read_as == {"fileId": "FileId"}
        assert unknown == {"fileID": 1}
    fed, read_as, unknown = router.route({"file-id": 1, "file_id": 2, "fileId": 3})
    assert fed == {"fileId": 3} and read_as == {} and unknown == {"file-id": 1, "file_id": 2}
    fed, read_as, _ = router.route({"FILE-ID": 1})  # only case and separators differ
    assert fed == {"fileId": 1} and read_as == {"fileId": "FILE-ID"}


@TARGETS
def test_a_sigil_key_feeds_the_field_named_with_its_word_beside_one_named_without(
    target: str, tmp_path: Path
) -> None:
    doc = fields_doc(
        "Card",
        [
            ("schema", "*Optional[str]*", False, ""),
            ("dollar_schema", "*Optional[str]*", False, ""),
            ("type", "*Optional[str]*", False, ""),
            ("at_type", "*Optional[str]*", False, ""),
            ("version", "*Optional[str]*", False, ""),
        ],
    )
    specs = write_docs(tmp_path, {"models/shared/card.md": doc})
    output = generate_with_cli(specs, tmp_path / "out", "cards", "--target", target)
    run_python(
        """
        from cards.shared import Card
        payload = {"$schema": "d", "schema": "s", "@type": "a", "type": "t", "@version": "v"}
        card = Card.from_dict(payload)
        assert (card.dollar_schema, card.schema_, card.at_type, card.type) == ("d", "s", "a", "t")
        assert card.version == "v" and card.to_dict() == payload, card.to_dict()
        assert Card.from_dict({"$schema": "d"}).dollar_schema == "d"
        """,
        output,
    )


def test_a_loose_match_that_two_fields_share_feeds_neither() -> None:
    router = KeyRouter([("ab_c", "ab_c"), ("a_bc", "a_bc")])
    assert router.match("ABC") is None
    assert router.match("abC") is not None  # Speakeasy's naming still decides


CAMEL_DOC = fields_doc(
    "Library",
    [
        ("machine_identifier", "*str*", True, ""),
        ("media_container", "[shared.Container](../../models/shared/container.md)", False, ""),
        ("file_id", "*Optional[int]*", False, ""),
        ("reset_cdc", "*Optional[bool]*", False, ""),
        ("http_metadata", "*Optional[str]*", False, ""),
        ("meta", "*Optional[Dict[str, Any]]*", False, ""),
        ("x_request_id", "*Optional[str]*", False, ""),
        ("items", "List[[shared.Container](../../models/shared/container.md)]", False, ""),
    ],
)
CONTAINER_DOC = fields_doc(
    "Container",
    [("total_size", "*int*", True, ""), ("library_section_id", "*Optional[int]*", False, "")],
)
PAYLOAD = {
    "machineIdentifier": "m1",
    "MediaContainer": {"totalSize": 3, "librarySectionID": 7, "brandNewKey": [1, {"a": None}]},
    "fileID": 12,
    "resetCDC": True,
    "HTTPMetadata": "h",
    "_meta": {"any": "thing"},
    "X-Request-Id": "r",
    "items": [{"TotalSize": 1}, {"total_size": 2, "extra": "kept"}],
    "notDocumented": {"deep": [1, 2]},
}


def camel_tree(tmp_path: Path) -> Path:
    return write_docs(
        tmp_path,
        {"models/shared/library.md": CAMEL_DOC, "models/shared/container.md": CONTAINER_DOC},
    )


def generate(tmp_path: Path, target: str, *flags: str) -> Path:
    return generate_with_cli(
        camel_tree(tmp_path), tmp_path / "out", "plex", "--target", target, *flags
    )


@TARGETS
def test_camel_pascal_and_acronym_keys_come_in_and_go_out_unchanged(
    target: str, tmp_path: Path
) -> None:
    output = generate(tmp_path, target)
    run_python(
        f"""
        import json
        from plex.shared import Library
        payload = json.loads({json.dumps(PAYLOAD)!r})
        library = Library.from_dict(payload)
        assert library.machine_identifier == "m1" and library.file_id == 12
        assert library.reset_cdc is True and library.http_metadata == "h"
        assert library.meta == {{"any": "thing"}} and library.x_request_id == "r"
        assert library.media_container.total_size == 3
        assert library.media_container.library_section_id == 7
        assert [item.total_size for item in library.items] == [1, 2]
        assert library.to_dict() == payload, library.to_dict()
        assert Library.from_json(library.to_json()).to_dict() == payload
        if hasattr(library, "model_dump"):
            assert library.model_dump(by_alias=True, exclude_unset=True) == payload
        # The attributes keep working as input.
        by_attribute = Library.from_dict({{"machine_identifier": "m2", "file_id": 1}})
        assert by_attribute.machine_identifier == "m2" and by_attribute.file_id == 1
        assert by_attribute.to_dict() == {{"machine_identifier": "m2", "file_id": 1}}
        """,
        output,
    )


@TARGETS
def test_an_object_built_in_python_writes_the_fields_wire_keys(target: str, tmp_path: Path) -> None:
    output = generate(tmp_path, target, "--wire-names", "camel")
    run_python(
        """
        from plex.shared import Container, Library
        built = Library(machine_identifier="m", media_container=Container(total_size=1))
        assert built.to_dict() == {
            "machineIdentifier": "m",
            "mediaContainer": {"totalSize": 1},
        }, built.to_dict()
        # Equal to the object read from those keys; given wire keys (pydantic), it writes them.
        assert Library(machine_identifier="m") == Library.from_dict({"machineIdentifier": "m"})
        if hasattr(Library, "model_validate"):
            assert Library(machineIdentifier="m").to_dict() == {"machineIdentifier": "m"}
        """,
        output,
    )


@TARGETS
def test_unknown_keys_can_be_ignored(target: str, tmp_path: Path) -> None:
    output = generate(tmp_path, target, "--unknown-keys", "ignore")
    run_python(
        """
        from plex.shared import Container
        payload = {"totalSize": 1, "brandNew": 2}
        assert Container.from_dict(payload).to_dict() == {"totalSize": 1}
        """,
        output,
    )


@TARGETS
def test_unknown_keys_can_be_refused_with_an_error_that_names_the_key(
    target: str, tmp_path: Path
) -> None:
    output = generate(tmp_path, target, "--unknown-keys", "forbid")
    result = run_python(
        """
        from plex.shared import Library
        Library.from_dict({"machineIdentifier": "m", "MediaContainer": {"totalSize": 1, "brandNew": 2}})
        """,
        output,
        check=False,
    )
    assert result.returncode == 1
    assert "brandNew" in result.stderr
    run_python(
        """
        from plex.shared import Container
        assert Container.from_dict({"totalSize": 1}).to_dict() == {"totalSize": 1}
        """,
        output,
    )
