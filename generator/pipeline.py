"""The stages in order: parse -> resolve -> render -> format -> write."""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from generator.config import Config, SettingsError, missing_specs
from generator.incremental.cache import Store, open_store
from generator.incremental.stamp import (
    Inputs,
    RunStamp,
    inputs_moved,
    last_run,
    read_inputs,
    save_stamp,
)
from generator.incremental.workers import Pool, map_batches, warm_pool, worker_count
from generator.model.diagnostics import Diagnostic, Diagnostics, InvalidDocsError
from generator.model.docs import DocLocation, DocTree
from generator.model.printable import printable
from generator.model.runner import Runner
from generator.model.schema import Schema
from generator.model.target import Formatter
from generator.render.format import (
    FormatterError,
    ModulesRejected,
    find_ruff,
    format_files,
    formatter_fingerprint,
    import_black,
)
from generator.resolve.overrides import load_overrides
from generator.timing import note, stage
from generator.untrusted import cannot_read
from generator.write.files import Left, WriteResult, read_held, write_output
from generator.write.manifest import MANIFEST, manifest_text
from generator.write.preconditions import refuse_unsafe_output
from generator.write.snapshot import Snapshot, file_hashes, take_snapshot

if TYPE_CHECKING:
    from collections.abc import Callable

    from generator.model.parsed import DocSource, ParsedDoc

    Parser = Callable[[list[DocSource]], list[ParsedDoc]]

# Where parsing and formatting run is decided here alone. Work smaller than these costs more
# to send to worker processes than to do in this one: parsed docs travel back pickled, which
# takes a good part of what parsing them took; black's work per module is larger.
PARSE_POOL_MIN_BYTES = 16_000_000  # bytes of docs
FORMAT_POOL_MIN_CHARACTERS = 60_000  # characters of rendered modules

# parse (markdown-it), resolve and render (Jinja) are imported where they are used: a run
# that finds nothing changed (see `stamp.unchanged`) never loads them.


@dataclass(frozen=True)
class Analysis:
    schema: Schema
    diagnostics: list[Diagnostic]
    docs: int = 0  # model docs read


def analyse(
    config: Config,
    pool: Pool | None = None,
    preread: dict[str, bytes] | None = None,
    wrap_parser: Callable[[Parser], Parser] | None = None,
) -> Analysis:
    """Parse and resolve; raises InvalidDocsError if the docs have errors.

    `preread`: docs' bytes by relative path, as hashed for the run's inputs: not read again,
    and emptied once parsed, so that they are not held while the package is rendered.
    `wrap_parser`: given the parser, the one to use (`diff` reuses the docs both trees share).
    """
    from generator.incremental.parse_cache import cached_parser
    from generator.parse.tree import parse_sources, parse_tree
    from generator.resolve.tree import resolve

    diagnostics = Diagnostics()
    if config.specs.is_file():
        raise SettingsError(
            f"the specs directory {config.specs} is a file, not a folder (set --specs, or "
            "`specs` in [tool.docs2models])"
        )
    if not config.specs.is_dir():
        raise SettingsError(missing_specs(config.specs))
    try:
        os.scandir(config.specs).close()
    except OSError as problem:
        raise SettingsError(cannot_read(f"the specs directory {config.specs}", problem)) from None
    run = parse_runner(worker_count(config.jobs), pool)
    parser = cached_parser(_store(config), parse_sources, run)
    if wrap_parser is not None:
        parser = wrap_parser(parser)
    with stage("parse"):
        tree = parse_tree(config.specs, diagnostics, parser, preread)
        tree = _without_reserved_namespaces(tree, diagnostics)
        if preread:
            preread.clear()
    with stage("resolve"):
        overrides = load_overrides(config.overrides, diagnostics) if config.overrides else ()
        schema = resolve(tree, config.nullability, diagnostics, overrides, config.wire_names)
    if not schema.classes and not diagnostics.has_errors:
        raise SettingsError(
            f"no model docs under {config.specs} (expected *.md files with a `# ClassName` "
            "title: point --specs at the folder of Speakeasy's docs, usually docs/)"
        )
    if config.strict:
        diagnostics.make_warnings_errors()
    if diagnostics.has_errors:
        raise InvalidDocsError(diagnostics.sorted())
    return Analysis(schema, diagnostics.sorted(), len(tree.docs))


def _without_reserved_namespaces(tree: DocTree, diagnostics: Diagnostics) -> DocTree:
    """The docs whose folder may name a subpackage of the generated package."""
    from generator.render.runtime import package_names

    reserved = package_names()
    refused = {doc.location.path for doc in tree.docs if doc.namespace in reserved}
    for path in sorted(refused):
        namespace = next(doc.namespace for doc in tree.docs if doc.location.path == path)
        diagnostics.error(
            DocLocation(path, 1),
            f"folder name {namespace!r} is reserved by the generated package (rename the folder)",
        )
    if not refused:
        return tree
    return replace(tree, docs=tuple(doc for doc in tree.docs if doc.location.path not in refused))


def build(
    config: Config, cold: bool = False, preread: dict[str, bytes] | None = None
) -> tuple[Analysis, dict[str, str]]:
    """Every generated file's text, in memory; nothing is written.

    `cold`: most modules will need formatting, so black's processes start at once and get
    ready while the docs are parsed and rendered.
    """
    if config.formatter is Formatter.RUFF:
        find_ruff()  # fail before the slow stages when ruff is missing
    jobs = worker_count(config.jobs)
    if config.jobs > jobs:
        note(f"docs2models: --jobs {config.jobs}: {jobs} processes, one per CPU this run may use")
    # A cold run formats every module: every worker imports black at once. Any other run
    # that gets here formats a few modules, usually: one worker imports black on a spare CPU
    # while this process parses, rather than this process importing it afterwards.
    workers = (jobs if cold else 1) if config.formatter is Formatter.BLACK and jobs > 1 else 0
    with warm_pool(workers, import_black) as pool:
        # Imported after the workers start: they need black sooner than this needs Jinja.
        from generator.render.depth import linking_classes
        from generator.render.distribution import distribution_files
        from generator.render.runtime import runtime_modules

        refuse_unsafe_output(config)
        analysis = analyse(config, pool if cold else None, preread)
        modules = _modules(config, analysis.schema, format_runner(jobs, pool))
    runtime = runtime_modules(
        config.package,
        config.target,
        config.unknown_keys,
        operations=bool(analysis.schema.operations),
        linking=bool(linking_classes(analysis.schema.classes)),
    )
    distribution = distribution_files(config)
    return analysis, dict(sorted({**modules, **runtime, **distribution}.items()))


def _modules(config: Config, schema: Schema, run: Runner) -> dict[str, str]:
    """The package's templated modules, rendered and formatted (`run` says where black
    runs); with a cache, a module whose key it holds is neither rendered nor formatted."""
    from generator.incremental import module_cache
    from generator.render.package import (
        in_black_form,
        markers,
        package_modules,
        read_templates,
        render_modules,
    )

    store = _store(config)
    with stage("render"):
        modules = package_modules(schema, config.package, config.target)
        # Read once: the keys and the texts come from the same bytes.
        templates = read_templates(config.templates, config.target)
        keys = [""] * len(modules)  # without a cache, nothing is found
        found: dict[str, str] = {}
        if store is not None:
            keys = module_cache.module_keys(
                modules,
                templates,
                repr((config.templates, config.target)),
                formatter_fingerprint(config.formatter),
            )
            found = module_cache.reused(store, keys)
        todo = [
            (module, key) for module, key in zip(modules, keys, strict=True) if key not in found
        ]
        rendered = render_modules([module for module, _ in todo], templates)
    with stage("format"):
        ready = in_black_form(schema, config.package, templates)
        texts = {module[0]: text for (module, _), text in zip(todo, rendered, strict=True)}
        try:
            formatted = format_files(texts, config.formatter, run, ready)
        except ModulesRejected as rejected:
            raise _explained(rejected, config, schema) from None
    if store is not None and todo:
        module_cache.remember(store, {key: formatted[module[0]] for module, key in todo})
    files = markers(config.package)
    for (path, _, _), key in zip(modules, keys, strict=True):
        files[path] = found[key] if key in found else formatted[path]
    return files


def _explained(rejected: ModulesRejected, config: Config, schema: Schema) -> FormatterError:
    """Modules the formatter rejected, each named with the doc it comes from."""
    from generator.render.package import module_docs

    if config.templates is not None:
        hint = f"check the templates in {config.templates}, which may render invalid Python"
    else:
        hint = "docs2models wrote invalid Python: please report it with this doc"
    docs = {path: str(location) for path, location in module_docs(schema, config.package).items()}
    return rejected.explained(docs, hint)


def parse_runner(jobs: int, pool: Pool | None) -> Runner:
    """Docs are parsed in worker processes (those of `pool`, if started) when they are many."""

    def run(function: Any, items: Any, sizes: Any) -> Any:
        started = pool if sum(sizes) >= PARSE_POOL_MIN_BYTES else None
        threshold = PARSE_POOL_MIN_BYTES
        return map_batches(function, items, sizes, jobs, threshold, started, "parsing")

    return run


def format_runner(jobs: int, pool: Pool | None) -> Runner:
    """Modules are formatted in `pool` (processes that imported black), whatever their
    number, growing it to `jobs` workers when they are many; without one, in a pool of
    `jobs` started for them when they are many."""

    def run(function: Any, items: Any, sizes: Any) -> Any:
        threshold = FORMAT_POOL_MIN_CHARACTERS
        return map_batches(function, items, sizes, jobs, threshold, pool, "formatting")

    return run


def generate(
    config: Config, inputs: Inputs | None = None, last: RunStamp | None = None
) -> tuple[Analysis, WriteResult]:
    """Build and write OUTPUT; `inputs` and `last` (the stamp of the last run into OUTPUT):
    as `stamp.unchanged` found them just before, else looked up here (`watch`)."""
    if inputs is None:
        last = _last_run(config)
        inputs = _inputs(config)
    cold = last is None
    analysis, files = build(config, cold, inputs.docs if inputs else None)
    left = Left(last.files, last.outputs_snapshot) if last is not None else None
    with stage("write"):
        result = write_output(config.output, files, snapshot=inputs is not None, left=left)
    _remember(config, inputs, analysis, result.hashes, result.snapshot)
    return analysis, result


def check_output(config: Config, inputs: Inputs | None = None) -> tuple[Analysis, list[str]]:
    """`build` and `diff_output`; an OUTPUT found up to date is remembered like a run."""
    cold = inputs is None and _last_run(config) is None
    inputs = inputs or _inputs(config)
    analysis, files = build(config, cold, inputs.docs if inputs else None)
    # Taken before the files are read: an edit while they are read makes it vouch for nothing.
    outputs = take_snapshot(config.output, [*files, MANIFEST], each=True)
    chunks = diff_output(config, files)
    if not chunks:
        written = {**files, MANIFEST: manifest_text(files)}
        _remember(config, inputs, analysis, file_hashes(written), outputs)
    return analysis, chunks


def _store(config: Config) -> Store | None:
    return open_store(config.cache, config.cache_dir)


def _last_run(config: Config) -> RunStamp | None:
    """The stamp of the last run into OUTPUT, if there is a cache and it holds one this
    version reads: without one, a run expects to format every module."""
    store = _store(config)
    return None if store is None else last_run(store, config)


def _inputs(config: Config) -> Inputs | None:
    # Hashed before anything is read, so a doc edited during the run is seen as changed.
    if _store(config) is None:
        return None
    inputs = read_inputs(config)
    # A run without a usable stamp parses everything, on large trees in workers forked
    # later: the docs' bytes held across the fork would count in every worker's memory.
    inputs.docs.clear()
    return inputs


def _remember(
    config: Config,
    inputs: Inputs | None,
    analysis: Analysis,
    hashes: dict[str, str],
    outputs: Snapshot | None,
) -> None:
    """Stamp the run for the no-op path, unless an input moved while it ran; `hashes`:
    the sha256 of every file OUTPUT holds for it."""
    store = _store(config)
    if store is None or inputs is None or inputs_moved(config, inputs):
        return
    messages = [str(diagnostic) for diagnostic in analysis.diagnostics]
    save_stamp(store, config, inputs, hashes, len(analysis.schema.classes), messages, outputs)


def diff_output(config: Config, files: dict[str, str]) -> list[str]:
    """Unified diffs between OUTPUT and the files a generate would write; OUTPUT is read as
    a generate reads it (a link or a named pipe there is an error, see `read_held`). A file
    with other names (a hard link) is said to differ, its content not shown: it may be a
    file's outside OUTPUT; so is a file larger than any a run writes, never read."""
    chunks: list[str] = []
    expected = dict(files)
    expected[MANIFEST] = manifest_text(files)
    held = read_held(config.output, expected)
    withheld = held.other_names
    for relative, text in sorted(expected.items()):
        # A name the manifest lists may hold a newline: each label stays one line.
        name = printable(relative)
        if relative in held.too_large:
            chunks.append(_too_large(f"a/{name}", f"b/{name}", held.too_large[relative]))
            continue
        data = held.files[relative]
        if relative in withheld:  # a run replaces it, whatever it holds
            chunks.append(_not_shown(f"a/{name}", f"b/{name}"))
            continue
        if data == text.encode("utf-8"):  # bytes: a copy with other line endings differs
            continue
        current = None if data is None else data.decode("utf-8", errors="replace")
        before = [] if current is None else current.splitlines(keepends=True)
        label = f"a/{name}" if current is not None else "/dev/null"
        after = text.splitlines(keepends=True)
        chunks.extend(_shown(difflib.unified_diff(before, after, label, f"b/{name}")))
    for relative, data in held.removing.items():
        label = f"a/{printable(relative)}"
        if relative in withheld:
            chunks.append(_not_shown(label, "/dev/null"))
            continue
        old = data.decode("utf-8", errors="replace")
        chunks.extend(
            _shown(difflib.unified_diff(old.splitlines(keepends=True), [], label, "/dev/null"))
        )
    return chunks


def _shown(lines: Iterable[str]) -> list[str]:
    """Diff lines as printed, each ending in one newline: what a file in OUTPUT holds that is
    not printable (a terminal escape, a carriage return, a line separator, a bidirectional
    override) escaped, so that it can neither drive the terminal nor hide or forge a line."""
    return [printable(line.rstrip("\n")) + "\n" for line in lines]


def _not_shown(old: str, new: str) -> str:
    return f"Files {old} and {new} differ ({old[2:]} has other names, hard links: not shown)\n"


def _too_large(old: str, new: str, size: int) -> str:
    return (
        f"Files {old} and {new} differ ({old} is {size} bytes, larger than any file "
        "docs2models writes: not shown)\n"
    )
