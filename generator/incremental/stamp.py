"""The no-op fast path: recognise a run whose inputs and outputs did not change.

After a successful run the cache records, for its OUTPUT directory, one digest of every
input (the docs' bytes, templates, settings, the generator's own code and the versions of
the tools it calls) and the hash of every file it left in OUTPUT. A later run with the
same input digest whose OUTPUT files still have those hashes would write nothing, so it
stops there, before markdown-it, Jinja or black are imported. Stat snapshots (see
`snapshot`) spare re-reading files that provably did not change. This module must import
nothing heavy itself.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

import generator
from generator.config import Config
from generator.incremental import fingerprint
from generator.incremental.cache import Store, digest, open_store
from generator.model.target import Formatter
from generator.render.format import black_version, find_ruff
from generator.render.template_files import user_templates_read
from generator.untrusted import Listing, list_tree, load_json
from generator.write.snapshot import (
    Snapshot,
    files_match,
    hash_files,
    paths_snapshot,
    read_regular,
    specs_digest,
    take_snapshot,
    tree_files,
)

KIND = "runs"
UNREADABLE = "unreadable"
# Settings that change how fast a run is, never what it writes.
PERFORMANCE_SETTINGS = frozenset({"jobs", "cache_dir", "cache"})


@dataclass(frozen=True)
class Inputs:
    """The digest of a run's inputs, and how the docs looked when they were read for it."""

    digest: str
    specs_digest: str
    specs_snapshot: Snapshot | None
    # The docs' bytes as hashed here (when they were read), for the parser: not stored.
    docs: dict[str, bytes] = field(default_factory=dict, compare=False, repr=False)
    # The other files read (templates, overrides) when they were hashed: not stored.
    others_snapshot: Snapshot | None = field(default=None, compare=False, repr=False)
    # Where the links under specs led and which folders could not be listed: not stored.
    layout: str = field(default="", compare=False, repr=False)


@dataclass(frozen=True)
class RunStamp:
    """What a successful run produced: enough to report it again without redoing it."""

    inputs: Inputs
    files: dict[str, str]  # relative path in OUTPUT -> sha256 of its bytes
    classes: int
    messages: list[str] = field(default_factory=list)  # warnings the run printed
    outputs_snapshot: Snapshot | None = None

    def to_json(self) -> bytes:
        data = {
            "inputs": self.inputs.digest,
            "specs_digest": self.inputs.specs_digest,
            "specs_snapshot": _snapshot_json(self.inputs.specs_snapshot),
            "files": self.files,
            "classes": self.classes,
            "messages": self.messages,
            "outputs_snapshot": _snapshot_json(self.outputs_snapshot),
        }
        return json.dumps(data, sort_keys=True).encode("utf-8")

    @staticmethod
    def from_json(payload: bytes) -> RunStamp | None:
        try:
            data = load_json(payload, "the stamp")
            inputs = Inputs(
                str(data["inputs"]),
                str(data["specs_digest"]),
                _snapshot_from(data["specs_snapshot"]),
            )
            files = {str(k): str(v) for k, v in data["files"].items()}
            return RunStamp(
                inputs,
                files,
                int(data["classes"]),
                [str(m) for m in data["messages"]],
                # Taken of each file of `files`, in their sorted order.
                _snapshot_from(data["outputs_snapshot"], tuple(sorted(files))),
            )
        except Exception:  # a damaged or planted stamp is no stamp
            return None


def _snapshot_json(snapshot: Snapshot | None) -> list[object] | None:
    if snapshot is None:
        return None
    stats = None if snapshot.stats is None else list(snapshot.stats)
    return [snapshot.digest, snapshot.taken_at, snapshot.newest, stats]


def _snapshot_from(data: object, names: tuple[str, ...] = ()) -> Snapshot | None:
    """A stored snapshot; `names`: its files, in order, where it was taken of each file."""
    if not isinstance(data, list):
        return None
    digest_text, taken_at, newest, stats = data
    # Compared for equality only: numbers of another type never match a file's.
    numbers = None
    if isinstance(stats, list) and len(stats) == 4 * len(names):
        numbers = tuple(stats)
    return Snapshot(str(digest_text), int(taken_at), int(newest), names=names, stats=numbers)


def read_inputs(config: Config, earlier: Inputs | None = None) -> Inputs:
    """Digest the inputs; the docs are re-read only if `earlier` cannot vouch for them."""
    others = paths_snapshot(_other_inputs(config))  # taken before anything is read
    listing = list_tree(config.specs)
    relatives = listing.files
    layout = _specs_layout(config.specs, listing)
    snapshot = take_snapshot(config.specs, relatives)
    if (
        snapshot is not None
        and earlier is not None
        and snapshot.vouches_for(earlier.specs_snapshot)
    ):
        docs = earlier.specs_digest
        read: dict[str, bytes] = {}
    else:
        read = {}
        docs = specs_digest(config.specs, relatives, read)
    return Inputs(_inputs_digest(config, docs, layout), docs, snapshot, read, others, layout)


def _specs_layout(specs: Path, listing: Listing) -> str:
    """What a run learns of the specs besides the docs' bytes: where each link leads (one
    that leaves the specs is an error) and which folders cannot be listed (an error too)."""
    parts: list[str | bytes] = []
    for relative in listing.links:
        parts += [os.fsencode(relative), os.fsencode(os.path.realpath(specs / relative))]
    for relative, why in listing.unreadable:
        parts += [os.fsencode(relative), why]
    return digest(*parts)


def inputs_moved(config: Config, inputs: Inputs) -> bool:
    """Whether any input may differ from what `inputs` hashed: a run that read it later
    may then have used other bytes (even if they were put back since), and its output
    must not be stamped with `inputs`."""
    listing = list_tree(config.specs)
    if _specs_layout(config.specs, listing) != inputs.layout:
        return True
    now = (take_snapshot(config.specs, listing.files), paths_snapshot(_other_inputs(config)))
    then = (inputs.specs_snapshot, inputs.others_snapshot)
    for current, earlier in zip(now, then, strict=True):
        if current is None or earlier is None or current.digest != earlier.digest:
            return True
    if any(earlier is not None and earlier.racy() for earlier in then):
        # Changed so shortly before the run that a change during it may have kept the
        # files' times: their bytes tell.
        return read_inputs(config).digest != inputs.digest
    return False


def _other_inputs(config: Config) -> list[str]:
    """The files a run reads besides the docs: templates and overrides."""
    package_dir = Path(generator.__file__).resolve().parent
    directories = [package_dir / "templates", package_dir.parent / "templates"]
    found = [
        os.path.join(directory, relative)
        for directory in directories
        if directory.is_dir()
        for relative in tree_files(directory, follow_links=True)
    ]
    if config.templates is not None:
        # The folder itself too: its times tell of an override added or removed.
        read = user_templates_read(config.templates, directories)
        found += [os.fspath(config.templates), *(path for path, data in read if data is not None)]
    if config.overrides is not None and config.overrides.is_file():
        found.append(os.fspath(config.overrides))
    return found


def _inputs_digest(config: Config, docs: str, layout: str) -> str:
    """One hash of everything a run reads; any change to any of it changes the hash.
    `docs`: the digest of the docs' bytes, `layout`: of where the specs' links lead."""
    package_dir = Path(generator.__file__).resolve().parent
    parts = [
        fingerprint.generator_fingerprint(),
        _formatter_version(config.formatter),
        *(_tree_digest(d) for d in (package_dir / "templates", package_dir.parent / "templates")),
    ]
    for setting in fields(config):
        if setting.name not in PERFORMANCE_SETTINGS:
            value = getattr(config, setting.name)
            parts.append(_setting_digest(setting.name, value, f"{docs} {layout}"))
    return digest(*parts)


def _setting_digest(name: str, value: object, docs: str) -> str:
    """A setting's value; for a path, also what the file or directory holds."""
    if not isinstance(value, Path):
        return f"{name}={getattr(value, 'value', value)!r}"
    path = value.resolve()
    if name == "output":  # what OUTPUT holds is checked against the stamp's file hashes
        return f"{name}={path}"
    if name == "specs":
        return f"{name}={path} {docs}"
    if name == "templates":
        package_dir = Path(generator.__file__).resolve().parent
        builtin = [package_dir / "templates", package_dir.parent / "templates"]
        read = user_templates_read(value, builtin)
        return f"{name}={path} " + digest(
            *(f"{where} {UNREADABLE if data is None else digest(data)}" for where, data in read)
        )
    if path.is_file():
        data = read_regular(os.fspath(path))
        # Unreadable is no content: never the digest of an empty file, which a run reads.
        return f"{name}={path} {UNREADABLE if data is None else digest(data)}"
    return f"{name}={path} {_tree_digest(path)}"


def _formatter_version(formatter: Formatter) -> str:
    if formatter is Formatter.BLACK:
        return black_version()
    if formatter is Formatter.RUFF:
        executable = Path(find_ruff())
        status = executable.stat()
        return f"{executable} {status.st_size} {status.st_mtime_ns}"
    return ""


def _tree_digest(root: Path) -> str:
    if not root.is_dir():
        return f"{root} absent"
    listing = list_tree(root, follow_links=True)
    files = hash_files([root / relative for relative in listing.files], root)
    unreadable = [os.fsencode(f"{relative}: {why}") for relative, why in listing.unreadable]
    return digest(files, *unreadable)


def _stamp_key(config: Config) -> str:
    return digest("run", str(config.output.resolve()))


@dataclass(frozen=True)
class Check:
    """What the no-op check found."""

    last: RunStamp | None = None  # the last run into OUTPUT, if one was recorded
    inputs: Inputs | None = None  # as read for the check, for the run that follows
    unchanged: bool = False  # nothing it read changed, and OUTPUT is as it left it


def last_run(store: Store, config: Config) -> RunStamp | None:
    """The stamp of the last run into OUTPUT, if the store holds one this version reads."""
    payload = store.get(KIND, _stamp_key(config))
    return RunStamp.from_json(payload) if payload is not None else None


def unchanged(config: Config) -> Check:
    """The last run into OUTPUT if nothing it read changed and OUTPUT is as it left it,
    and the inputs as read for that check (for the run that follows, if any)."""
    store = open_store(config.cache, config.cache_dir)
    return Check() if store is None else unchanged_run(store, config)


def unchanged_run(store: Store, config: Config) -> Check:
    """The last run's stamp, and whether it had these inputs and OUTPUT still holds what
    it wrote."""
    stamp = last_run(store, config)
    if stamp is None:
        return Check()
    inputs = read_inputs(config, stamp.inputs)
    if inputs.digest != stamp.inputs.digest:
        return Check(stamp, inputs)
    outputs = take_snapshot(config.output, list(stamp.files), each=True)
    if outputs is None:
        return Check(stamp, inputs)
    outputs_vouched = outputs.vouches_for(stamp.outputs_snapshot)
    if not outputs_vouched:
        # Those the last run wrote, at least, are read.
        vouched = outputs.vouched(stamp.outputs_snapshot)
        if not files_match(config.output, stamp.files, vouched):
            return Check(stamp, inputs)
    specs = inputs.specs_snapshot
    if not outputs_vouched or specs is None or not specs.vouches_for(stamp.inputs.specs_snapshot):
        # Files were read and found equal: new snapshots spare the next run reading them.
        fresh = replace(stamp, inputs=inputs, outputs_snapshot=outputs)
        store.put(KIND, _stamp_key(config), fresh.to_json())
    return Check(stamp, inputs, unchanged=True)


def save_stamp(
    store: Store,
    config: Config,
    inputs: Inputs,
    hashes: dict[str, str],
    classes: int,
    messages: list[str],
    outputs: Snapshot | None,
) -> None:
    """Record a successful run whose OUTPUT now holds exactly the files of `hashes` (their
    sha256 by path), of which `outputs` is the snapshot taken when they were written."""
    stamp = RunStamp(inputs, hashes, classes, messages, outputs)
    store.put(KIND, _stamp_key(config), stamp.to_json())
