"""Rendered modules reused across runs: a module whose context did not change is not rendered.

The key of a module is a digest of its template context (all of its state, serialised
with pickle only to be hashed, never loaded: two contexts with equal keys render alike),
the template's name, the templates' files and the generator's own code (its filters).
With no cache, this is plain rendering.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2

from generator.cache import Store, cached_map, digest
from generator.snapshot import generator_fingerprint, hash_files, tree_files

KIND = "render"
# (template name, context) of one module.
Job = tuple[str, dict[str, Any]]


class Renderer:
    """Renders templates of an environment made on first use, through `store` when given."""

    def __init__(
        self,
        store: Store | None,
        make_environment: Callable[[], jinja2.Environment],
        template_dirs: list[Path],
        setting: str,
    ) -> None:
        self.store = store
        self._make_environment = make_environment
        self._environment: jinja2.Environment | None = None
        self._identity = ""
        if store is not None:
            trees = [
                hash_files([d / f for f in tree_files(d, follow_links=True)], d)
                for d in template_dirs
            ]
            self._identity = digest(generator_fingerprint(), setting, *trees)

    def _environment_ready(self) -> jinja2.Environment:
        if self._environment is None:
            self._environment = self._make_environment()
        return self._environment

    def render(self, template: str, context: dict[str, Any]) -> str:
        return self.render_all([(template, context)])[0]

    def render_all(self, work: list[Job]) -> list[str]:
        """The text of each module; those the store holds are not rendered again."""
        keys = [self._key(template, context) for template, context in work]
        return cached_map(
            self.store,
            KIND,
            work,
            keys if self.store is not None else None,
            self._render,
            str.encode,
            lambda data: data.decode("utf-8"),
        )

    def _render(self, work: list[Job]) -> list[str]:
        environment = self._environment_ready()
        return [environment.get_template(name).render(**context) for name, context in work]

    def _key(self, template: str, context: dict[str, Any]) -> str:
        if self.store is None:
            return ""
        state = pickle.dumps(sorted(context.items()), protocol=pickle.HIGHEST_PROTOCOL)
        return digest(self._identity, template, state)
