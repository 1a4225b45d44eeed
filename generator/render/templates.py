"""The templates of a run, read once: the bytes a run hashes for its cache keys are the
bytes it renders from, whatever happens to the files meanwhile."""

from __future__ import annotations

import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import jinja2
from jinja2.loaders import split_template_path

from generator.config import SettingsError
from generator.model.target import Target
from generator.render.literals import (
    dict_literal,
    docstring_literal,
    keyword_arguments,
    python_literal,
)
from generator.render.template_files import read_reachable
from generator.render.wrap import fit
from generator.untrusted import InputError, list_tree, read_input


def builtin_templates() -> Path:
    """Templates ship inside the wheel as `generator/templates`; a checkout keeps them at the top."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "templates", here.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the built-in templates directory is missing from the installation")


@dataclass(frozen=True)
class TemplateFile:
    path: str  # where it was read, for Jinja's messages
    data: bytes


@dataclass(frozen=True)
class Templates:
    """Every template a run may use, by the name Jinja looks it up under, each the file of
    the first folder that has one of that name. Plain data: a worker process that renders
    gets the very bytes this process hashed."""

    files: dict[str, TemplateFile]
    own: frozenset[str]  # the names the user's folder provides


def read_templates(user_templates: Path | None, target: Target) -> Templates:
    """The run's templates: the user's folder overrides single built-in templates; a
    target's own set replaces only what differs (the class body, union aliases, the
    runtime), every other template and partial is shared. Of the user's folder only the
    files the run can reach are read: those named as a built-in template is, and those
    they include or import; anything else there (a link to a big folder) is never read."""
    folders = [builtin_templates()]
    if target is not Target.PYDANTIC:
        folders.insert(0, builtin_templates() / target.value)
    builtin: dict[str, TemplateFile] = {}
    for folder in folders:
        for name, file in _read_folder(folder).items():
            builtin.setdefault(name, file)
    if user_templates is None:
        return Templates(builtin, frozenset())
    own = _read_reachable(user_templates, builtin)
    return Templates({**builtin, **own}, frozenset(own))


def _read_reachable(folder: Path, builtin: dict[str, TemplateFile]) -> dict[str, TemplateFile]:
    """The user's templates a run may render; TemplateFailure for one that cannot be read."""
    found, problems = read_reachable(folder, {name: file.data for name, file in builtin.items()})
    if problems:
        raise TemplateFailure(problems)
    return {name: TemplateFile(path, data) for name, (path, data) in found.items()}


def _read_folder(folder: Path) -> dict[str, TemplateFile]:
    """Every file under a built-in `folder` (through links, as Jinja would reach them);
    TemplateFailure for one that cannot be read, or is no regular file."""
    found: dict[str, TemplateFile] = {}
    listing = list_tree(folder, follow_links=True)
    problems = [f"{folder / relative}: error: {why}" for relative, why in listing.unreadable]
    for relative in listing.files:
        path = str(folder / relative)
        try:
            found[relative] = TemplateFile(path, read_input(path, "the template"))
        except InputError as problem:
            problems.append(problem.at(path))
    if problems:
        raise TemplateFailure(problems)
    return found


class TemplateFailure(SettingsError):
    """Templates that cannot be rendered; `problems`: `path:line: error: why`, each once."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{len(problems)} template problem(s); nothing was written")
        self.problems = problems


def template_problem(problem: Exception, templates: Templates) -> str:
    """`path:line: error: why` of a template that failed to render: the line is that of
    the deepest template frame (Jinja puts the templates' lines in tracebacks)."""
    where = ""
    paths = {file.path for file in templates.files.values()}
    if isinstance(problem, jinja2.TemplateSyntaxError) and problem.filename:
        where = f"{problem.filename}:{problem.lineno}"
    for frame in traceback.extract_tb(problem.__traceback__):
        if frame.filename in paths:
            where = f"{frame.filename}:{frame.lineno}"
    message = getattr(problem, "message", None) or str(problem) or type(problem).__name__
    if isinstance(problem, jinja2.TemplateNotFound):
        message = f"no template named {problem.name!r} in the templates or the built-in ones"
    return f"{where or 'docs2models'}: error: {message}"


class _ReadOnceLoader(jinja2.BaseLoader):
    """Jinja's view of `Templates`: nothing is read from disk again."""

    def __init__(self, templates: Templates) -> None:
        self.templates = templates

    def get_source(
        self, environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        # The names a file system loader accepts, spelled as they were read ("a/./b" is "a/b").
        found = self.templates.files.get("/".join(split_template_path(template)))
        if found is None:
            raise jinja2.TemplateNotFound(template)
        try:
            source = found.data.decode("utf-8")
        except UnicodeDecodeError as problem:
            message = f"not UTF-8 text ({problem.reason} at byte {problem.start})"
            raise jinja2.TemplateSyntaxError(message, 1, template, found.path) from None
        return source, found.path, lambda: True

    def list_templates(self) -> list[str]:
        return sorted(self.templates.files)


def environment(templates: Templates | None = None) -> jinja2.Environment:
    """A Jinja environment over `templates` (the built-in pydantic set if None)."""
    if templates is None:
        templates = read_templates(None, Target.PYDANTIC)
    env = jinja2.Environment(
        loader=_ReadOnceLoader(templates),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    # Doc text enters Python source only through these repr-based filters.
    env.filters["literal"] = python_literal
    env.filters["docstring"] = docstring_literal
    env.filters["keywords"] = keyword_arguments
    env.filters["dict"] = dict_literal
    # Long statements split as black would split them (see render/wrap.py).
    env.filters["fit"] = fit
    return env
