"""`make bench`: docs2models against datamodel-code-generator, side by side, in one run.

Not a test (nothing here asserts a time). Every figure is the median of several runs of a
real command; the runs of the commands being compared are interleaved, so a busy machine
slows them alike and the ratios stay meaningful. Needs the `bench` extra
(`pip install -e '.[bench]'`) and the shared corpora beside the checkout. Writes the table
to bench/results.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import renamed_copies
from memory import TreeMemory
from report import write_report
from validation import measure, prepare

ROOT = Path(__file__).resolve().parent.parent
# The shared corpora beside the checkout; `--corpora` names another directory.
CORPORA = {"dir": ROOT.parent / "shared" / "corpus"}
PYTHON = sys.executable
BIN = Path(PYTHON).parent
GIB = 1024**3


@dataclass
class Sample:
    seconds: float
    peak_bytes: int = 0


@dataclass
class Series:
    samples: list[Sample] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(s.seconds for s in self.samples)

    @property
    def peak(self) -> int:
        return max(s.peak_bytes for s in self.samples)


def run(
    command: list[str], watch_memory: bool = False, env: dict[str, str] | None = None
) -> Sample:
    """Wall time of one command (and the peak summed RSS of its process tree)."""
    environment = {**os.environ, **(env or {})}
    start = time.perf_counter()
    process = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=environment
    )
    memory = TreeMemory(process.pid) if watch_memory else None
    _, errors = process.communicate()
    seconds = time.perf_counter() - start
    if process.returncode not in (0, 1):  # 1: `--check` found differences
        raise SystemExit(f"failed ({process.returncode}): {' '.join(command)}\n{errors.decode()}")
    return Sample(seconds, memory.stop() if memory else 0)


def docs2models(specs: Path, output: Path, *flags: str) -> list[str]:
    command = [PYTHON, "-m", "generator", "generate", "--specs", str(specs)]
    return [*command, "--output", str(output), "--package", "kombo", *flags]


def dmcg(spec: Path, output: Path, *formatters: str) -> list[str]:
    executable = BIN / "datamodel-codegen"
    if not executable.exists():
        raise SystemExit("datamodel-code-generator is missing: pip install -e '.[bench]'")
    return [
        str(executable),
        *("--input", str(spec), "--input-file-type", "openapi"),
        *("--output-model-type", "pydantic_v2.BaseModel", "--output", str(output)),
        *("--formatters", *formatters),
    ]


Step = tuple[str, Callable[[], Sample]]


def interleave(steps: list[Step], repeats: int) -> dict[str, Series]:
    """Run every step once per round, `repeats` rounds; the series of each step by name."""
    series: dict[str, Series] = {name: Series() for name, _ in steps}
    for round_number in range(repeats):
        for name, step in steps:
            series[name].samples.append(step())
        print(f"  round {round_number + 1}/{repeats} done", file=sys.stderr)
    return series


def _remove(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


SETTLE_SECONDS = 10


def settle() -> None:
    """Write back what earlier steps left in memory, then wait out the disk's after-effects."""
    if hasattr(os, "sync"):
        os.sync()
    time.sleep(SETTLE_SECONDS)


def kombo_steps(work: Path, formatter: str, dmcg_formatters: tuple[str, ...]) -> list[Step]:
    """Cold, one doc changed, `--check` and no-op runs with `formatter`, and dmcg's run."""
    specs = work / "kombo-docs"
    out, cache = work / f"out-{formatter}", work / "cache"
    flags = ("--formatter", formatter, "--cache-dir", str(cache))
    changed_doc = specs / "models" / "shared" / "employments.md"
    original = changed_doc.read_text(encoding="utf-8")
    edits = {"count": 0, "cold": 0}

    def cold() -> Sample:
        # A new, empty OUTPUT each time: deleting the last one (disk work) is not timed.
        edits["cold"] += 1
        cold_out = work / f"cold-{formatter}-{edits['cold']}"
        return run(docs2models(specs, cold_out, "--formatter", formatter, "--no-cache"))

    def empty_cache() -> Sample:
        # The first run of a user: an empty cache, filled as the run goes, and an empty OUTPUT.
        edits["cold"] += 1
        fresh = work / f"fresh-{formatter}-{edits['cold']}"
        return run(
            docs2models(specs, fresh / "out", "--formatter", formatter, "--cache-dir", str(fresh))
        )

    def changed() -> Sample:
        # A new description every time: the changed module is rendered and formatted anew.
        edits["count"] += 1
        text = original.replace("Pay currency", f"Pay currency ({formatter} edit {edits['count']})")
        changed_doc.write_text(text, encoding="utf-8")
        return run(docs2models(specs, out, *flags))

    def reference() -> Sample:
        return run(
            dmcg(CORPORA["dir"] / "kombo-v1" / "openapi.yaml", work / "dmcg.py", *dmcg_formatters)
        )

    def warm(*extra: str) -> Callable[[], Sample]:
        return lambda: run(docs2models(specs, out, *flags, *extra))

    run(docs2models(specs, out, *flags))  # fills the cache and OUTPUT for the warm runs
    # In this order the no-op and `--check` runs come after the racy window of the last
    # write (see generator/write/snapshot.py), as they do when a person runs them.
    return [
        (f"one doc changed {formatter}", changed),
        (f"no-op right after a run {formatter}", warm()),
        (f"cold {formatter}", cold),
        (f"empty cache {formatter}", empty_cache),
        (f"dmcg {'+'.join(dmcg_formatters)}", reference),
        (f"no-op {formatter}", warm()),
        (f"check {formatter}", warm("--check")),
        (f"check --no-cache {formatter}", warm("--check", "--no-cache")),
    ]


def synthetic(
    work: Path, copies: int, repeats: int, cold_rounds: int
) -> tuple[int, dict[str, Series]]:
    """Cold and no-op runs over `copies` renamed copies of kombo-v1.

    Each cold run comes right after a cold kombo-v1 run, so that the growth ratio divides
    times taken under the same load, as the other ratios do. Before each pair the disk is
    let settle: for seconds after a large delete, creating files here can cost ten times
    as much, which would slow the kombo-v1 run most and flatter the ratio.
    """
    specs = work / "synthetic-docs"
    count = renamed_copies(CORPORA["dir"] / "kombo-v1" / "docs", specs, copies)
    print(f"synthetic corpus: {count} docs", file=sys.stderr)
    cold_out, out, cache = work / "synthetic-cold", work / "synthetic-out", work / "cache-50k"
    names = ("kombo-v1 cold", "cold", "filling the cache", "first no-op (re-reads)", "no-op")
    series = {name: Series() for name in names}
    kombo = CORPORA["dir"] / "kombo-v1" / "docs"
    for round_number in range(cold_rounds):
        kombo_out = work / f"synthetic-kombo-{round_number}"
        settle()
        series["kombo-v1 cold"].samples.append(run(docs2models(kombo, kombo_out, "--no-cache")))
        cold = run(docs2models(specs, cold_out, "--no-cache"), watch_memory=True)
        series["cold"].samples.append(cold)
        _remove(cold_out)
        _remove(kombo_out)
        print(f"  cold round {round_number + 1}/{cold_rounds} done", file=sys.stderr)
    filling = run(docs2models(specs, out, "--cache-dir", str(cache)), watch_memory=True)
    series["filling the cache"].samples.append(filling)
    for index in range(repeats + 1):
        sample = run(docs2models(specs, out, "--cache-dir", str(cache)), watch_memory=True)
        series["no-op" if index else "first no-op (re-reads)"].samples.append(sample)
    _remove(specs)
    return count, series


def import_times(work: Path, repeats: int) -> dict[str, Series]:
    """Importing one class and a whole namespace of airbyte-v1, lazily and eagerly."""
    out = work / "airbyte"
    specs = CORPORA["dir"] / "airbyte-v1" / "docs"
    command = [PYTHON, "-m", "generator", "generate", "--specs", str(specs), "--output", str(out)]
    run([*command, "--package", "airbyte", "--cache-dir", str(work / "cache")])
    everything = "import airbyte.models as ns\nfor n in ns.__all__: getattr(ns, n)\n"
    probes = {
        "python + pydantic (baseline)": "import pydantic",
        "one class, lazy": "from airbyte.models import ConnectionResponse",
        "one class, eager": everything + "ns.ConnectionResponse",
        "namespace, lazy": "import airbyte.models",
        "namespace, eager": everything,
    }

    def probe(code: str) -> Callable[[], Sample]:
        return lambda: run([PYTHON, "-c", code], env={"PYTHONPATH": str(out)})

    steps: list[Step] = [(name, probe(code)) for name, code in probes.items()]
    return interleave(steps, repeats)


# Each corpus's payload bodies are read this many times per round (`repeats` rounds).
VALIDATION_ITERATIONS = 20
VALIDATION_CORPORA = ("egain-v2", "kombo-v1")


def validation_times(work: Path, repeats: int) -> dict[str, dict[str, float]]:
    """Reading each corpus's real payloads: `from_dict` against the cost floor, side by side."""
    results = {}
    for name in VALIDATION_CORPORA:
        corpus = CORPORA["dir"] / name
        out, routed, static = prepare(corpus, work)
        results[name] = measure(
            out, corpus / "payloads.json", routed, static, repeats, VALIDATION_ITERATIONS
        )
    return results


def diff_times(repeats: int) -> dict[str, tuple[int, Series]]:
    """`docs2models diff OLD NEW` over each shared history pair: (docs in NEW, times)."""
    history = CORPORA["dir"].parent / "history"
    pairs = sorted(path for path in history.iterdir() if (path / "new" / "docs").is_dir())
    counts = {pair.name: sum(1 for _ in (pair / "new" / "docs").rglob("*.md")) for pair in pairs}

    def differ(pair: Path) -> Callable[[], Sample]:
        old, new = (str(pair / side / "docs") for side in ("old", "new"))
        command = [PYTHON, "-m", "generator", "diff", old, new, "--format", "json"]
        return lambda: run(command)

    series = interleave([(pair.name, differ(pair)) for pair in pairs], repeats)
    return {name: (counts[name], found) for name, found in series.items()}


def tool_versions() -> str:
    def version(*command: str) -> str:
        found = subprocess.run(command, capture_output=True, text=True, check=False)
        text = (found.stdout or found.stderr).strip().splitlines()
        return text[0].split()[-1] if found.returncode == 0 and text else "?"

    return ", ".join(
        [
            f"Python {platform.python_version()}",
            "black " + version(PYTHON, "-c", "import black; print(black.__version__)"),
            "ruff " + version(str(BIN / "ruff"), "--version"),
            "datamodel-code-generator " + version(str(BIN / "datamodel-codegen"), "--version"),
            f"{os.cpu_count()} CPUs",
        ]
    )


def load() -> str:
    """The 1-minute load average: other work on the machine takes CPUs from the runs."""
    return f"{os.getloadavg()[0]:.2f}" if hasattr(os, "getloadavg") else "?"


def compile_generator() -> None:
    """The generator's modules compiled to bytecode, as pip compiles a package it installs.

    datamodel-code-generator, installed by pip, starts from bytecode. An editable checkout
    gets its bytecode when Python first imports it, except where PYTHONDONTWRITEBYTECODE is
    set (some machines and containers set it): every run would then compile every module of
    the generator again, about 70 ms here, and measure that instead of the generator.
    """
    import compileall

    if not compileall.compile_dir(ROOT / "generator", quiet=1):
        raise SystemExit("could not compile generator/ to bytecode")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=7, help="runs per figure (median)")
    parser.add_argument(
        "--copies", type=int, default=43, help="kombo-v1 copies (43: > 50 000 docs)"
    )
    parser.add_argument("--skip-synthetic", action="store_true", help="leave out the large corpus")
    parser.add_argument(
        "--large-rounds", type=int, default=3, help="cold runs of the large corpus (median)"
    )
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results.md")
    parser.add_argument("--corpora", type=Path, default=CORPORA["dir"], help="shared corpora")
    parser.add_argument(
        "--workdir",
        type=Path,
        default=None,
        help="where the runs write (default: the system's temporary directory); "
        "file creation costs differ a lot between file systems",
    )
    arguments = parser.parse_args()
    CORPORA["dir"] = arguments.corpora
    compile_generator()
    load_before = load()
    with tempfile.TemporaryDirectory(
        prefix="docs2models-bench-", dir=arguments.workdir
    ) as directory:
        work = Path(directory)
        shutil.copytree(CORPORA["dir"] / "kombo-v1" / "docs", work / "kombo-docs")
        print("kombo-v1, black and ruff, with datamodel-code-generator", file=sys.stderr)
        steps = kombo_steps(work, "black", ("black", "isort")) + kombo_steps(
            work, "ruff", ("ruff-check", "ruff-format")
        )
        kombo = interleave(steps, arguments.repeats)
        print("import times (airbyte-v1)", file=sys.stderr)
        imports = import_times(work, arguments.repeats * 2)
        print("reading real payloads (egain-v2, kombo-v1)", file=sys.stderr)
        validation = validation_times(work, arguments.repeats)
        print("diffing the history pairs", file=sys.stderr)
        diffs = diff_times(arguments.repeats)
        large = None
        if not arguments.skip_synthetic:
            large = synthetic(
                work, arguments.copies, max(3, arguments.repeats // 2), arguments.large_rounds
            )
    place = arguments.workdir or Path(tempfile.gettempdir())
    context = (
        f"{tool_versions()}; runs write under {place}; "
        f"load average {load_before} at the start, {load()} at the end"
    )
    text = write_report(kombo, imports, large, validation, diffs, context)
    arguments.output.write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
