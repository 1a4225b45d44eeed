"""Maintainer workflow: settings, template overrides, the IR dump and the watcher."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from generator.cli import main
from generator.config import Config, ConfigError, load_config
from generator.model.diagnostics import InvalidDocsError
from generator.model.irjson import IR_SCHEMA_VERSION, schema_json
from generator.pipeline import analyse, generate
from generator.write.safepaths import WriteError
from tests.conftest import ROOT, fields_doc, run_cli, run_python, write_docs

DOCS = {
    "models/shared/pet.md": fields_doc(
        "Pet",
        [("name", "*str*", True, "The pet's name."), ("kind", "[shared.Kind](kind.md)", True, "")],
    ),
    "models/shared/kind.md": """
        # Kind


        ## Values

        | Name | Value |
        | ---- | ----- |
        | `CAT` | cat |
    """,
}


def test_pyproject_settings_are_read_and_flags_override_them(tmp_path: Path) -> None:
    specs = write_docs(tmp_path, DOCS)
    (tmp_path / "pyproject.toml").write_text(
        '[tool.docs2models]\nspecs = "specs"\noutput = "from-config"\npackage = "configured"\n'
        'nullability = "strict"\n'
    )
    config = load_config(tmp_path / "pyproject.toml")
    assert config.specs == specs and config.package == "configured"
    assert config.output == tmp_path / "from-config"
    result = CliRunner().invoke(
        main,
        ["generate", "--config", str(tmp_path / "pyproject.toml"), "--package", "flagged"],
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "from-config" / "flagged" / "shared" / "pet.py").is_file()
    assert not (tmp_path / "from-config" / "configured").exists()


def test_unknown_config_key_is_an_error_naming_it(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.docs2models]\nspecz = "specs"\n')
    with pytest.raises(ConfigError, match="unknown key 'specz'"):
        load_config(tmp_path / "pyproject.toml")
    result = CliRunner().invoke(main, ["lint", "--config", str(tmp_path / "pyproject.toml")])
    assert result.exit_code == 2
    assert "unknown key 'specz' in [tool.docs2models]" in result.output


def test_a_user_template_overrides_one_builtin_template(tmp_path: Path) -> None:
    specs = write_docs(tmp_path, DOCS)
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "enum.py.jinja").write_text(
        '{% include "_header.jinja" %}\n\n\nclass {{ class_name }}({{ bases }}):\n'
        '    """Custom enum template."""\n\n'
        "{% for member in members %}\n    {{ member.name }} = {{ member.value | literal }}\n{% endfor %}\n"
    )
    generate(Config(specs=specs, output=tmp_path / "out", package="pets", templates=templates))
    enum_source = (tmp_path / "out" / "pets" / "shared" / "kind.py").read_text()
    model_source = (tmp_path / "out" / "pets" / "shared" / "pet.py").read_text()
    assert '"""Custom enum template."""' in enum_source
    assert "class Pet(GeneratedModel):" in model_source


def test_ir_dump_is_versioned_json_of_the_resolved_classes(tmp_path: Path) -> None:
    specs = write_docs(tmp_path, DOCS)
    document = json.loads(schema_json(analyse(Config(specs=specs)).schema))
    assert document["ir_schema_version"] == IR_SCHEMA_VERSION
    by_name = {c["name"]: c for c in document["classes"]}
    assert by_name["Kind"]["kind"] == "enum"
    assert by_name["Kind"]["members"] == [{"name": "CAT", "value": "cat"}]
    pet_fields = by_name["Pet"]["fields"]
    assert pet_fields[0] == {
        "name": "name",
        "wire_name": "name",
        "type": {"kind": "primitive", "name": "str"},
        "required": True,
        "nullable": False,
        "description": "The pet's name.",
        "deprecated": False,
        "line": 8,
    }
    assert pet_fields[1]["type"] == {"kind": "ref", "namespace": "shared", "name": "Kind"}


def test_watch_regenerates_on_change_and_survives_errors(tmp_path: Path) -> None:
    pytest.importorskip("watchfiles")
    specs = write_docs(tmp_path, DOCS)
    config = Config(specs=specs, output=tmp_path / "out", package="pets")
    messages: list[str] = []
    thread, stop = _watching(config, messages)
    try:
        pet = tmp_path / "out" / "pets" / "shared" / "pet.py"
        wait_for(lambda: pet.is_file())
        (specs / "models/shared/pet.md").write_text("# Pet\n\n\n## Fields\n\n| Field |\n")
        wait_for(lambda: any("error" in m for m in messages))
        assert pet.is_file()  # the output is left as it was
        (specs / "models/shared/pet.md").write_text(
            fields_doc("Pet", [("name", "*str*", True, ""), ("age", "*int*", False, "")])
        )
        wait_for(
            lambda: "age: Optional[int]" in pet.read_text() or "age: int | None" in pet.read_text()
        )
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()


def wait_for(condition: object, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition not reached in time")


def test_ir_command_prints_the_json_through_a_real_process(tmp_path: Path) -> None:
    specs = write_docs(tmp_path, DOCS)
    result = run_cli("ir", "--specs", str(specs))
    assert result.returncode == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["ir_schema_version"] == IR_SCHEMA_VERSION
    assert sorted(c["name"] for c in document["classes"]) == ["Kind", "Pet"]
    bad = CliRunner().invoke(main, ["ir", "--specs", str(tmp_path / "missing")])
    assert bad.exit_code == 2


def test_watch_command_regenerates_until_interrupted(tmp_path: Path) -> None:
    pytest.importorskip("watchfiles")
    specs = write_docs(tmp_path, DOCS)
    out = tmp_path / "out"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "generator",
            "watch",
            "--specs",
            str(specs),
            "--output",
            str(out),
            "--package",
            "pets",
        ],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        pet = out / "pets" / "shared" / "pet.py"
        wait_for(lambda: pet.is_file())
        (specs / "models/shared/pet.md").write_text(
            fields_doc("Pet", [("name", "*str*", True, ""), ("legs", "*int*", True, "")])
        )
        wait_for(lambda: "legs: int" in pet.read_text())
    finally:
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=20)
    assert "Traceback" not in stderr
    assert "classes;" in stderr


def test_verbose_prints_stage_timings_and_quiet_prints_nothing(tmp_path: Path) -> None:
    specs = write_docs(tmp_path, DOCS)
    args = ["generate", "--specs", str(specs), "--output", str(tmp_path / "out"), "--package", "p"]
    verbose = CliRunner().invoke(main, [*args, "--no-cache", "-v"])
    assert verbose.exit_code == 0, verbose.output
    stages = [line.split()[1] for line in verbose.output.splitlines() if line.endswith(" ms")]
    assert stages == ["inputs", "parse", "resolve", "render", "format", "write"]
    quiet = CliRunner().invoke(main, [*args, "-q"])
    assert quiet.exit_code == 0 and quiet.output == ""


def test_errors_are_coloured_on_a_terminal_unless_no_color_is_set(tmp_path: Path) -> None:
    specs = write_docs(tmp_path, {"models/shared/bad.md": "# Bad\n"})
    coloured = CliRunner().invoke(main, ["lint", "--specs", str(specs)], color=True)
    assert coloured.exit_code == 2 and "\x1b[" in coloured.output
    plain = CliRunner().invoke(
        main, ["lint", "--specs", str(specs)], color=True, env={"NO_COLOR": "1"}
    )
    assert plain.exit_code == 2 and "\x1b[" not in plain.output
    assert "models/shared/bad.md:1: error: no `## Fields`" in plain.output


def test_stage_listeners_see_every_stage_in_order(tmp_path: Path) -> None:
    from generator.timing import STAGES, listening

    specs = write_docs(tmp_path, DOCS)
    seen: list[str] = []
    with listening(seen.append):
        generate(Config(specs=specs, output=tmp_path / "out", package="p", cache=False))
    assert tuple(seen) == STAGES


UTILITY_PAGE = """# RetryConfig

Allows customizing the retry configuration.

## Fields

| Name                      | Type                                | Description                             | Example   |
| ------------------------- | ----------------------------------- | --------------------------------------- | --------- |
| `strategy`                | `*str*`                             | The retry strategy to use.              | `backoff` |
| `backoff`                 | [BackoffStrategy](#backoffstrategy) | Configuration for the backoff strategy. |           |

## BackoffStrategy

The backoff strategy.

### Fields

| Name               | Type      | Description                           | Example |
| ------------------ | --------- | ------------------------------------- | ------- |
| `initial_interval` | `*int*`   | The initial interval in milliseconds. | `500`   |
| `exponent`         | `*float*` | The exponent to use for the backoff.  | `1.5`   |
"""


def test_sdk_utility_pages_define_every_model_on_the_page(tmp_path: Path) -> None:
    specs = write_docs(tmp_path, {"models/utils/retryconfig.md": UTILITY_PAGE, **DOCS})
    schema = analyse(Config(specs=specs)).schema
    document = json.loads(schema_json(schema))
    by_name = {c["name"]: c for c in document["classes"]}
    retry, backoff = by_name["RetryConfig"], by_name["BackoffStrategy"]
    assert [f["name"] for f in retry["fields"]] == ["strategy", "backoff"]
    assert retry["fields"][1]["type"] == {
        "kind": "ref",
        "namespace": "utils",
        "name": "BackoffStrategy",
    }
    assert all(f["required"] for f in retry["fields"] + backoff["fields"])
    assert backoff["description"] == "The backoff strategy." and backoff["line"] == 12
    generate(Config(specs=specs, output=tmp_path / "out", package="sdk"))
    run_python(
        """
        from sdk.utils import RetryConfig
        config = RetryConfig.from_dict(
            {"strategy": "backoff", "backoff": {"initial_interval": 500, "exponent": 1.5}}
        )
        assert config.backoff.initial_interval == 500
        """,
        tmp_path / "out",
    )


def _watching(config: Config, messages: list[str]) -> tuple[threading.Thread, threading.Event]:
    from generator.incremental.watch import watch

    stop = threading.Event()

    def run(c: Config) -> bool:
        try:
            generate(c)
        except (InvalidDocsError, WriteError) as exc:
            messages.append(str(exc))
            return False
        messages.append("generated")
        return True

    thread = threading.Thread(target=watch, args=(config, run, messages.append, stop))
    thread.start()
    return thread, stop


def test_watch_sees_overrides_saved_by_rename_and_a_recreated_specs_folder(
    tmp_path: Path,
) -> None:
    pytest.importorskip("watchfiles")
    specs = write_docs(tmp_path, DOCS)
    overrides = tmp_path / "settings" / "overrides.toml"
    overrides.parent.mkdir()
    overrides.write_text('["shared.Pet.name"]\nwire_name = "petName"\n', encoding="utf-8")
    config = Config(specs=specs, output=tmp_path / "out", package="pets", overrides=overrides)
    messages: list[str] = []
    thread, stop = _watching(config, messages)
    pet = tmp_path / "out" / "pets" / "shared" / "pet.py"
    try:
        wait_for(lambda: pet.is_file() and "petName" in pet.read_text())
        saved = overrides.with_suffix(".tmp")  # as editors save: a new file, renamed over
        saved.write_text('["shared.Pet.name"]\nwire_name = "PetName"\n', encoding="utf-8")
        saved.replace(overrides)
        wait_for(lambda: '"PetName"' in pet.read_text())
        shutil.rmtree(specs)
        time.sleep(0.5)
        write_docs(
            tmp_path,
            {**DOCS, "models/shared/cat.md": fields_doc("Cat", [("name", "*str*", True, "")])},
        )
        wait_for(lambda: (tmp_path / "out" / "pets" / "shared" / "cat.py").is_file())
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()


def test_watch_survives_a_run_that_cannot_write(tmp_path: Path) -> None:
    pytest.importorskip("watchfiles")
    specs = write_docs(tmp_path, DOCS)
    out = tmp_path / "out"
    (out / "pets" / "shared").mkdir(parents=True)
    mine = out / "pets" / "shared" / "pet.py"
    mine.write_text("# my own\n", encoding="utf-8")
    config = Config(specs=specs, output=out, package="pets")
    messages: list[str] = []
    thread, stop = _watching(config, messages)
    try:
        wait_for(lambda: any("was not written by docs2models" in m for m in messages))
        mine.unlink()
        (specs / "models/shared/pet.md").write_text(
            fields_doc("Pet", [("name", "*str*", True, ""), ("legs", "*int*", True, "")])
        )
        wait_for(lambda: mine.is_file() and "legs: int" in mine.read_text())
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()


def test_a_test_without_the_shared_inputs_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """CI always has `../shared` beside the checkout: a run that lost it must not pass."""
    from tests.conftest import shared_missing

    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true"):
        shared_missing("corpus x not found")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="corpus x not found"):
        shared_missing("corpus x not found")


def _watch_process(
    tmp_path: Path, *flags: str, hook: str = "", errors: Path | None = None
) -> tuple[subprocess.Popen[str], Path]:
    """`docs2models watch` in a process (after `hook`, Python run first in it), and the
    file its stderr goes to (`errors`, or `watch.err` beside the specs)."""
    arguments = ["watch", "--specs", str(tmp_path / "specs"), "--output", str(tmp_path / "out")]
    arguments += ["--package", "pets", *flags]
    code = f"{hook}\nimport sys\nsys.argv = ['docs2models', *sys.argv[1:]]\n"
    code += "from generator.cli import run\nrun()\n"
    errors = errors or tmp_path / "watch.err"
    with errors.open("w") as stream:
        process = subprocess.Popen(
            [sys.executable, "-c", code, *arguments],
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=stream,
            text=True,
        )
    return process, errors


def _runs(errors: Path) -> int:
    return errors.read_text().count(" classes; ")


def _stop_watch(process: subprocess.Popen[str]) -> None:
    if process.poll() is None:
        process.kill()
        process.wait(timeout=20)


@pytest.mark.parametrize("layout", ["overrides beside OUTPUT", "cache among the docs"])
def test_watch_runs_again_only_when_an_input_changes(tmp_path: Path, layout: str) -> None:
    pytest.importorskip("watchfiles")
    specs = write_docs(tmp_path, DOCS)
    overrides = tmp_path / "overrides.toml"  # beside OUTPUT
    overrides.write_text('["shared.Pet.name"]\nwire_name = "petName"\n', encoding="utf-8")
    cache = tmp_path / "cache" if layout.startswith("overrides") else specs / ".cache"
    flags = ["--overrides", str(overrides), "--cache-dir", str(cache)]
    process, errors = _watch_process(tmp_path, *flags)
    pet = tmp_path / "out" / "pets" / "shared" / "pet.py"
    try:
        wait_for(lambda: _runs(errors) == 1)
        time.sleep(3)  # what the run wrote, in OUTPUT and the cache, starts no other
        assert _runs(errors) == 1, errors.read_text()
        overrides.write_text('["shared.Pet.name"]\nwire_name = "PetName"\n', encoding="utf-8")
        wait_for(lambda: '"PetName"' in pet.read_text())
        (specs / "models/shared/pet.md").write_text(
            fields_doc("Pet", [("name", "*str*", True, ""), ("legs", "*int*", True, "")])
        )
        wait_for(lambda: "legs: int" in pet.read_text())
        time.sleep(2)
        assert _runs(errors) == 3, errors.read_text()
    finally:
        _stop_watch(process)


@pytest.mark.parametrize("log_in", ["specs", "templates"])
def test_watch_ignores_its_own_log_and_files_that_are_no_doc(tmp_path: Path, log_in: str) -> None:
    """The watch's own output, written to a file in a watched folder, starts no run (else
    every run would start the next); in the specs folder, only docs (`.md`) are inputs."""
    pytest.importorskip("watchfiles")
    specs = write_docs(tmp_path, DOCS)
    templates = tmp_path / "templates"
    templates.mkdir()
    log = (specs if log_in == "specs" else templates) / "watch.log"
    process, errors = _watch_process(tmp_path, "--templates", str(templates), errors=log)
    pet = tmp_path / "out" / "pets" / "shared" / "pet.py"
    try:
        wait_for(lambda: _runs(errors) == 1)
        time.sleep(3)
        assert _runs(errors) == 1, errors.read_text()
        (specs / "notes.txt").write_text("not a doc", encoding="utf-8")
        (specs / "models" / "README.txt").write_text("nor this", encoding="utf-8")
        time.sleep(2)
        assert _runs(errors) == 1, errors.read_text()
        (specs / "models/shared/pet.md").write_text(
            fields_doc("Pet", [("name", "*str*", True, ""), ("legs", "*int*", True, "")])
        )
        wait_for(lambda: "legs: int" in pet.read_text())
        time.sleep(2)
        assert _runs(errors) == 2, errors.read_text()
    finally:
        _stop_watch(process)


# Makes black fail as no module would make it fail (its InvalidInput raised past the
# formatter) while the marker file exists.
FAILING_BLACK = """
import black, pathlib, sys
import generator.render.format
marker = pathlib.Path(sys.argv.pop(1))
formatted = generator.render.format.black_each
def black_each(texts):
    if marker.exists():
        raise black.InvalidInput("Cannot parse: 1:4: as no module makes it")
    return formatted(texts)
generator.render.format.black_each = black_each
"""


def test_watch_reports_a_run_that_fails_unexpectedly_and_keeps_watching(tmp_path: Path) -> None:
    pytest.importorskip("watchfiles")
    specs = write_docs(tmp_path, DOCS)
    marker = tmp_path / "black-fails"
    marker.touch()
    process, errors = _watch_process(
        tmp_path,
        "--jobs",
        "1",
        "--no-cache",
        hook=FAILING_BLACK.replace("sys.argv.pop(1)", repr(str(marker))),
    )
    pet = tmp_path / "out" / "pets" / "shared" / "pet.py"
    try:
        wait_for(lambda: "waiting for changes" in errors.read_text())
        assert (
            "docs2models: error: the run failed (InvalidInput: Cannot parse" in errors.read_text()
        )
        assert "Traceback" not in errors.read_text()
        assert process.poll() is None, errors.read_text()
        marker.unlink()
        (specs / "models/shared/pet.md").write_text(
            fields_doc("Pet", [("name", "*str*", True, ""), ("legs", "*int*", True, "")])
        )
        wait_for(lambda: pet.is_file() and "legs: int" in pet.read_text())
    finally:
        _stop_watch(process)


@pytest.mark.parametrize(("number", "code"), [(signal.SIGTERM, 143), (signal.SIGINT, 130)])
def test_watch_stopped_exits_with_the_signals_code(tmp_path: Path, number: int, code: int) -> None:
    pytest.importorskip("watchfiles")
    write_docs(tmp_path, DOCS)
    process, errors = _watch_process(tmp_path, "--no-cache")
    try:
        wait_for(lambda: _runs(errors) == 1)
        time.sleep(0.5)  # waiting for changes
        process.send_signal(number)
        assert process.wait(timeout=20) == code, errors.read_text()
        assert f"docs2models: stopped by {signal.Signals(number).name}" in errors.read_text()
        assert "Traceback" not in errors.read_text()
        assert "KeyboardInterrupt" not in errors.read_text()
    finally:
        _stop_watch(process)


@pytest.mark.parametrize("save", ["in place", "by rename"])
def test_watch_runs_again_when_an_overrides_file_inside_output_changes(
    tmp_path: Path, save: str
) -> None:
    pytest.importorskip("watchfiles")
    write_docs(tmp_path, DOCS)
    overrides = tmp_path / "out" / "overrides.toml"
    overrides.parent.mkdir()
    overrides.write_text('["shared.Pet.name"]\nwire_name = "petName"\n', encoding="utf-8")
    process, errors = _watch_process(tmp_path, "--overrides", str(overrides), "--no-cache")
    pet = tmp_path / "out" / "pets" / "shared" / "pet.py"
    try:
        wait_for(lambda: _runs(errors) == 1)
        assert '"petName"' in pet.read_text()
        edited = overrides.with_suffix(".new") if save == "by rename" else overrides
        edited.write_text('["shared.Pet.name"]\nwire_name = "PetName"\n', encoding="utf-8")
        edited.replace(overrides)
        wait_for(lambda: '"PetName"' in pet.read_text())
        time.sleep(2)  # what that run wrote in OUTPUT starts no other
        assert _runs(errors) == 2, errors.read_text()
    finally:
        _stop_watch(process)


def test_watch_reads_the_settings_again_when_the_settings_file_changes(tmp_path: Path) -> None:
    pytest.importorskip("watchfiles")
    write_docs(tmp_path, DOCS)
    settings = tmp_path / "out" / "docs2models.toml"  # inside OUTPUT, which is no obstacle
    settings.parent.mkdir()
    table = '[tool.docs2models]\nspecs = "../specs"\noutput = "."\npackage = "{}"\n'
    settings.write_text(table.format("pets"), encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, "-m", "generator", "watch", "--config", str(settings)],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=(tmp_path / "watch.err").open("w"),
        text=True,
    )
    errors = tmp_path / "watch.err"
    try:
        wait_for(lambda: (tmp_path / "out" / "pets" / "shared" / "pet.py").is_file())
        settings.write_text(table.format("pets") + "jobs = -1\n", encoding="utf-8")
        said = run_cli("generate", "--config", str(settings), "--no-cache").stderr.splitlines()
        assert said and said[0].startswith(f"{settings}: error: "), said
        wait_for(lambda: "waiting for changes" in errors.read_text())
        assert errors.read_text().splitlines()[-2:] == [*said, "docs2models: waiting for changes"]
        settings.write_text(table.format("animals"), encoding="utf-8")
        wait_for(lambda: (tmp_path / "out" / "animals" / "shared" / "pet.py").is_file())
    finally:
        _stop_watch(process)


def _failing_run(tmp_path: Path, failure: str) -> list[str]:
    """Inputs whose run fails as `failure` says (its flags), beside a doc with a warning."""
    bad = {"doc": {"models/shared/bad.md": "# Bad\n"}}.get(failure, {})
    unknown = fields_doc("Toy", [("name", "*strr*", True, "")])
    write_docs(tmp_path, {**DOCS, "models/shared/toy.md": unknown, **bad})
    if failure == "template":
        templates = tmp_path / "templates"
        templates.mkdir()
        (templates / "model.py.jinja").write_text("{{ nothing_here }}\n", encoding="utf-8")
        return ["--templates", str(templates)]
    if failure == "overrides":
        overrides = tmp_path / "overrides.toml"
        overrides.write_text('["shared.Nothing.name"]\nwire_name = "x"\n', encoding="utf-8")
        return ["--overrides", str(overrides)]
    if failure == "foreign file":
        (tmp_path / "out" / "pets" / "shared").mkdir(parents=True)
        (tmp_path / "out" / "pets" / "shared" / "pet.py").write_text("# mine\n")
    return []


@pytest.mark.parametrize("failure", ["doc", "template", "overrides", "foreign file", "none"])
def test_a_run_under_watch_prints_what_generate_prints(tmp_path: Path, failure: str) -> None:
    pytest.importorskip("watchfiles")
    flags = [*_failing_run(tmp_path, failure), "--no-cache"]
    output = ["--output", str(tmp_path / ("out" if failure != "none" else "generated"))]
    generated = run_cli(
        "generate", "--specs", str(tmp_path / "specs"), *output, "--package", "pets", *flags
    )
    assert generated.returncode == (0 if failure == "none" else 2), generated.stderr
    expected = generated.stderr.splitlines()
    if failure != "none":
        expected.append("docs2models: waiting for changes")
    process, errors = _watch_process(tmp_path, *flags)
    try:
        wait_for(lambda: expected[-1] in errors.read_text())
        wait_for(lambda: errors.read_text().splitlines() == expected, timeout=2)
    except AssertionError:
        assert errors.read_text().splitlines() == expected
    finally:
        _stop_watch(process)
