"""Rendered modules reused across runs: a module whose context did not change is not rendered.

The key of a module is the pickle of its template context (all of its state, so two
contexts with equal keys render alike), the template's name, the templates' files and
the generator's own code (its filters). A context that cannot be pickled is rendered
every time. With no cache, this is plain rendering.
"""

from __future__ import annotations

import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2

from generator.cache import Store, digest
from generator.packs import Pack, open_pack
from generator.snapshot import generator_fingerprint, hash_files, tree_files

KIND = "render"


class Renderer:
    """Renders templates of an environment made on first use, through `store` when given."""

    def __init__(
        self,
        store: Store | None,
        make_environment: Callable[[], jinja2.Environment],
        template_dirs: list[Path],
        setting: str,
        scope: str | None = None,
    ) -> None:
        self.store = store
        self.pack: Pack[str] | None = open_pack(store, KIND, scope)
        self._make_environment = make_environment
        self._environment: jinja2.Environment | None = None
        self._identity = ""
        if store is not None:
            trees = [hash_files([d / f for f in tree_files(d)], d) for d in template_dirs]
            self._identity = digest(generator_fingerprint(), setting, *trees)

    def prepare(self, templates: tuple[str, ...]) -> None:
        """Make the environment and compile `templates` now rather than on first use."""
        environment = self._environment_ready()
        for name in templates:
            environment.get_template(name)

    def _environment_ready(self) -> jinja2.Environment:
        if self._environment is None:
            self._environment = self._make_environment()
        return self._environment

    def render(self, template: str, context: dict[str, Any]) -> str:
        key = self._key(template, context)
        if key is not None and self.pack is not None:
            packed = self.pack.get(key)
            if packed is not None:
                return packed
        if key is not None and self.store is not None:
            cached = self.store.get(KIND, key)
            if cached is not None:
                try:
                    text = cached.decode("utf-8")
                except UnicodeDecodeError:
                    pass
                else:
                    if self.pack is not None:
                        self.pack.add(key, text)
                    return text
        text = self._environment_ready().get_template(template).render(**context)
        if key is not None and self.store is not None:
            self.store.put(KIND, key, text.encode("utf-8"))
            if self.pack is not None:
                self.pack.add(key, text)
        return text

    def finish(self) -> None:
        """Keep this run's modules as the pack for the next run into the same scope."""
        if self.pack is not None:
            self.pack.save()

    def _key(self, template: str, context: dict[str, Any]) -> str | None:
        if self.store is None:
            return None
        try:
            state = pickle.dumps(sorted(context.items()), protocol=pickle.HIGHEST_PROTOCOL)
        except Exception:  # an unpicklable context is simply not cached
            return None
        return digest(self._identity, template, state)
