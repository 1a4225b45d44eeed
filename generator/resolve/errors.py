"""Which model docs are raisable error classes."""

from __future__ import annotations

from generator.model.docs import Doc, DocTree
from generator.model.naming import referenced_class
from generator.model.schema import ClassKey

ERRORS_NAMESPACE = "errors"


def error_keys(tree: DocTree, model_docs: list[Doc], references: set[ClassKey]) -> set[ClassKey]:
    """FORMAT-CATALOGUE §5.2: the SDK pages' `### Errors` tables name the error classes.

    Without such tables, a model doc in an `errors` folder that no other doc references
    is an error (the referenced ones are the bodies' parts).
    """
    keys = {ClassKey(doc.namespace, doc.name) for doc in model_docs}
    if tree.error_listings:
        by_name: dict[str, list[ClassKey]] = {}
        for key in keys:
            by_name.setdefault(key.name, []).append(key)
        found: set[ClassKey] = set()
        for listing in tree.error_listings:
            exact = ClassKey(listing.namespace, referenced_class(listing.name))
            if exact in keys:
                found.add(exact)
            elif len(by_name.get(listing.name, [])) == 1:
                found.add(by_name[listing.name][0])
        return found
    return {key for key in keys if key.namespace == ERRORS_NAMESPACE and key not in references}
