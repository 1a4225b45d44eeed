"""Generated modules reused across runs: a module whose template, context, templates and
formatter did not change is neither rendered nor formatted again.

The key of a module is a digest of its template context (all of its state, serialised
with pickle only to be hashed, never loaded: two contexts with equal keys render alike),
the template's name, the templates' names and bytes as the run read them to render, the
generator's own code (its filters) and the formatter with its version and settings.
"""

from __future__ import annotations

import contextlib
import pickle

from generator.incremental import fingerprint
from generator.incremental.cache import Store, digest
from generator.render.package import Module
from generator.render.templates import Templates

KIND = "module"


def module_keys(
    modules: list[Module], templates: Templates, setting: str, formatter: str
) -> list[str]:
    """The key of each module: its template and context, and what every module's text
    depends on besides (`setting`: the run's choice of templates and target). `templates`
    must be those the modules are rendered from: a file edited since they were read
    changes neither the keys nor the texts."""
    identity = digest(
        fingerprint.generator_fingerprint(), setting, formatter, templates_digest(templates)
    )
    return [
        digest(
            identity,
            template,
            pickle.dumps(sorted(context.items()), protocol=pickle.HIGHEST_PROTOCOL),
        )
        for _, template, context in modules
    ]


def reused(store: Store, keys: list[str]) -> dict[str, str]:
    """The texts of `keys` that the store holds (an entry that is not UTF-8 is a miss)."""
    found: dict[str, str] = {}
    for key, payload in store.get_many(KIND, keys).items():
        with contextlib.suppress(UnicodeDecodeError):
            found[key] = payload.decode("utf-8")
    return found


def remember(store: Store, texts: dict[str, str]) -> None:
    """Store finished module texts by key."""
    store.put_many(KIND, {key: text.encode("utf-8") for key, text in texts.items()})


def templates_digest(templates: Templates) -> str:
    """What every rendered text depends on besides its context: names and bytes."""
    parts: list[str | bytes] = []
    for name in sorted(templates.files):
        parts += [name, templates.files[name].data]
    return digest(*parts)
