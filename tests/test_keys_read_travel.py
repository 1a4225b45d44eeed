"""An object read under keys other than its fields' JSON keys writes them back: so do its
pickles and copies, on both targets, and no other object ever writes them."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import run_python
from tests.test_reading import generate_package

# Keys the docs do not spell (they show `library_id`, `total_size`, ...), at every depth.
PAYLOAD = {
    "libraryID": "a",
    "MediaContainer": {"totalSize": 2, "sectionID": 3},
    "items": [{"TotalSize": 1}, {"total_size": 2, "SectionId": 4}],
    "byName": {"x": {"total-size": 5}},
    "imageURL": "u",
}
# The same payload under the keys the docs show.
OWN = {
    "library_id": "a",
    "media_container": {"total_size": 2, "section_id": 3},
    "items": [{"total_size": 1}, {"total_size": 2, "section_id": 4}],
    "by_name": {"x": {"total_size": 5}},
    "image_url": "u",
}


@pytest.fixture(scope="module", params=["pydantic", "dataclasses"])
def package(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = str(request.param)
    return generate_package(tmp_path_factory.mktemp(target), "--target", target)


def test_pickles_and_copies_write_the_keys_their_original_was_read_with(package: Path) -> None:
    run_python(
        f"""
        import copy, pickle
        from lib.shared import Library
        payload = {PAYLOAD!r}
        read = Library.from_dict(payload)
        assert read.to_dict() == payload, read.to_dict()
        copies = {{
            "pickle": lambda m: pickle.loads(pickle.dumps(m)),
            "deepcopy": copy.deepcopy,
            "copy": copy.copy,
        }}
        if hasattr(read, "model_copy"):
            copies["model_copy"] = lambda m: m.model_copy()
            copies["model_copy(deep=True)"] = lambda m: m.model_copy(deep=True)
            copies["model_copy(update=...)"] = lambda m: m.model_copy(update={{"image_url": "u"}})
        for name, make in copies.items():
            copied = make(read)
            assert copied.to_dict() == payload, (name, copied.to_dict())
            assert copied.to_json() == read.to_json(), name
            assert make(copied).to_dict() == payload, name  # a copy of a copy
            assert copied == read, name
        # An inner object copied alone keeps its own keys too.
        inner = pickle.loads(pickle.dumps(read.media_container))
        assert inner.to_dict() == payload["MediaContainer"], inner.to_dict()
        """,
        package,
    )


def test_copies_of_an_object_read_under_its_fields_keys_write_those(package: Path) -> None:
    run_python(
        """
        import copy, pickle
        from lib.shared import Container, Library
        payload = {"library_id": "a", "media_container": {"total_size": 1}}
        for original in (Library.from_dict(payload), Library(library_id="a", media_container=Container(total_size=1))):
            for copied in (pickle.loads(pickle.dumps(original)), copy.deepcopy(original), copy.copy(original)):
                assert copied.to_dict() == payload, copied.to_dict()
        """,
        package,
    )


def test_objects_whose_ids_are_reused_never_carry_keys_across(package: Path) -> None:
    """Objects read under other keys are dropped by the thousand; the objects that then take
    their addresses (read under the fields' keys, or built in Python) write their own keys."""
    run_python(
        """
        import gc
        from lib.shared import Container, Library
        other = {"libraryID": "a", "MediaContainer": {"totalSize": 1, "sectionID": 2}}
        own = {"library_id": "a", "media_container": {"total_size": 1, "section_id": 2}}
        dropped, reused = set(), 0
        for round in range(200):
            objects = [Library.from_dict(other) for _ in range(20)]
            assert all(o.to_dict() == other for o in objects)
            dropped.update(id(o) for o in objects)
            dropped.update(id(o.media_container) for o in objects)
            del objects
            if round % 50 == 0:
                gc.collect()
            fresh = [Library.from_dict(own) for _ in range(10)]
            fresh += [Library(library_id="a", media_container=Container(total_size=1, section_id=2)) for _ in range(10)]
            for o in fresh:
                reused += id(o) in dropped or id(o.media_container) in dropped
                assert o.to_dict() == own, o.to_dict()
                assert o.media_container.to_dict() == own["media_container"]
        assert reused > 100, reused  # the addresses were taken again: the case is exercised
        """,
        package,
    )


def test_the_keys_an_object_was_read_with_are_no_part_of_its_value(package: Path) -> None:
    """As the fields a payload set: the same values are equal however their keys were spelt."""
    run_python(
        f"""
        import pickle
        from lib.shared import Container, Library
        other = Library.from_dict({PAYLOAD!r})
        own = Library.from_dict({OWN!r})
        assert other == own and own == other
        assert pickle.loads(pickle.dumps(other)) == own
        built = Container(total_size=2, section_id=3)
        assert other.media_container == built and built == other.media_container
        assert Container.from_dict({{"totalSize": 2}}) != built
        assert other.media_container.to_dict() != built.to_dict()  # each writes its own keys
        """,
        package,
    )


def test_a_field_holding_what_its_type_does_not_allow_is_written_as_it_is(package: Path) -> None:
    """`model_construct` and unvalidated assignment can leave anything in a field of a model
    type: pydantic writes it as it is, with a warning, and so must `to_dict`."""
    run_python(
        """
        import warnings
        from lib.shared import Library
        if hasattr(Library, "model_construct"):
            built = Library.model_construct(library_id="a", media_container="not a container")
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                assert built.to_dict() == {"library_id": "a", "media_container": "not a container"}
                assert built == Library.model_construct(library_id="a", media_container="not a container")
        """,
        package,
    )


def test_a_field_assigned_after_reading_is_written(package: Path) -> None:
    """As pydantic counts an assignment as setting a field, so do both targets' `to_dict`."""
    run_python(
        """
        from lib.shared import Container, Library
        read = Library.from_dict({"libraryID": "a"})
        read.image_url = "u"
        read.media_container = Container(total_size=3)
        assert read.to_dict() == {
            "libraryID": "a", "image_url": "u", "media_container": {"total_size": 3}
        }, read.to_dict()
        read.image_url = None
        assert read.to_dict()["image_url"] is None
        assert '"image_url": null' in read.to_json().replace('":null', '": null')
        """,
        package,
    )
