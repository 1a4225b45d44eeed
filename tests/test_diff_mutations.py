"""`docs2models diff` on edits of known meaning to each real tree, independent of the history
pairs: a copy of the tree gets a seeded, deterministic set of edits made on its Markdown
structure (`tests/doc_edits.py`), and the diff must report exactly the changes they make, by
kind, class and field, member, variant or operation: every one, and nothing else.

The edits (`tests/mutation_*.py`) are chosen from what the unedited tree means (its IR,
`docs2models ir`). Edits with an effect beyond the doc they touch that is a change of its own
have it computed from the tree:

- a field made optional or required: its nullability follows (an optional field is always
  nullable; a required one only when its cell says `Nullable`, or for a collection or a
  `[date](...)` link, when the tree's nullability evidence says so);
- a doc deleted, or its title renamed, where model fields name it: each field's type changes
  (to `Any`, or to the new name);
- a union that fields spell out (`[Union[str, bool]](union.md)`, v1 docs) edited with the
  cells that spell it: a type change of each of those fields, none of the union's; and in such
  trees a union doc that no type names is no class at all;
- an error class's last listing removed (its row, or its operation's section): the class is a
  model now (`kind-changed`).

Edits whose effect elsewhere would only come from the edited docs disagreeing with the rest
of the tree are not made:

- a field dropped, or a doc deleted, whose JSON key an example shows: examples are matched to
  the model with a field for each of their keys, and keys shown are evidence of the API's JSON
  key convention (a handful of them decide it for some trees), so every field's key could move;
- an operation's section removed where it shows JSON bodies, for the same reason;
- a class that an SDK page links to edited (a response class decides the operation's body);
- a one-value `Literal` field made required: it is a constant the package fills in.
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CORPORA, corpus_docs, run_cli
from tests.mutation_classes import (
    add_doc,
    delete_doc,
    enum_member,
    enum_to_union,
    move_doc,
    rename_class,
    spelled_out_variant,
    union_variant,
)
from tests.mutation_fields import (
    add_field,
    change_type,
    deprecate,
    drop_field,
    flip_collection,
    flip_required,
    reorder_and_unlink,
    retarget_field,
    retype_date,
    rewrite_docs,
    wrap_nullable,
)
from tests.mutation_operations import (
    add_error,
    add_operation,
    add_status,
    change_response,
    remove_error,
    remove_operation,
)
from tests.mutation_tree import Identity, Mutator

pytestmark = pytest.mark.slow

# Kinds that break code, or never do, whatever the class's use (docs/diff.md, "Breaking").
ALWAYS_BREAKING = {"class-removed", "field-removed", "member-removed", "variant-removed"}
NEVER_BREAKING = {"class-added", "member-added", "variant-added", "operation-added"}
# Each edit says what it did, or None where the tree has nothing it could edit.
EDITS: list[Callable[[Mutator], str | None]] = [
    drop_field,
    drop_field,
    add_field,
    add_field,
    change_type,
    change_type,
    retype_date,
    flip_required,
    flip_required,
    flip_collection,
    lambda t: wrap_nullable(t, optional=False),
    lambda t: wrap_nullable(t, optional=True),
    retarget_field,
    rewrite_docs,
    deprecate,
    reorder_and_unlink,
    lambda t: enum_member(t, remove=True),
    lambda t: enum_member(t, remove=False),
    enum_to_union,
    lambda t: union_variant(t, remove=True),
    lambda t: union_variant(t, remove=False),
    lambda t: spelled_out_variant(t, remove=True),
    lambda t: spelled_out_variant(t, remove=False),
    lambda t: delete_doc(t, referenced=False),
    lambda t: delete_doc(t, referenced=True),
    add_doc,
    move_doc,
    rename_class,
    remove_error,
    add_error,
    add_status,
    lambda t: change_response(t, remove=True),
    lambda t: change_response(t, remove=False),
    remove_operation,
    add_operation,
]
# Every tree has edits of most kinds; unions, SDK error tables and spelled-out unions vary.
MIN_EDITS = 25


def identity(change: dict[str, Any]) -> Identity:
    subject = change.get("field") or change.get("member") or change.get("variant") or ""
    return (change["kind"], change.get("class", ""), subject, change.get("operation", ""))


@pytest.mark.parametrize("corpus", CORPORA)
def test_diff_reports_exactly_the_edits(corpus: str, tmp_path: Path) -> None:
    original = corpus_docs(corpus)
    result = run_cli("ir", "--specs", str(original))
    assert result.returncode == 0, result.stderr
    # Another folder name than the original's: docs at a tree's top take it as namespace.
    copy = tmp_path / "edited"
    shutil.copytree(original, copy)
    mutator = Mutator(copy, json.loads(result.stdout), random.Random(f"{corpus} mutations"))
    made = [said for edit in EDITS if (said := edit(mutator))]
    assert len(made) >= MIN_EDITS, made

    result = run_cli("diff", str(original), str(copy), "--format", "json")
    assert result.returncode == 0, result.stderr
    changes = json.loads(result.stdout)["changes"]
    found = {identity(change) for change in changes}
    missed = {change: why for change, why in mutator.expected.items() if change not in found}
    extra = sorted(found - mutator.expected.keys())
    assert not missed and not extra, f"edits: {made}\nmissed: {missed}\nextra: {extra}"
    for change in changes:
        if change["kind"] in ALWAYS_BREAKING | NEVER_BREAKING:
            assert change["breaking"] is (change["kind"] in ALWAYS_BREAKING), change
