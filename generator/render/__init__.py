"""Stage 4: the resolved schema -> generated module texts (unformatted)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jinja2

from generator.floors import requirements_sentence
from generator.render.context import (
    enum_context,
    exported_names,
    model_context,
    namespace_context,
    union_context,
)
from generator.render.depth import linking_classes
from generator.render.endpoints import endpoints_context, endpoints_module
from generator.render.literals import (
    dict_literal,
    docstring_literal,
    keyword_arguments,
    python_literal,
)
from generator.render.modules import Layout, plan_layout
from generator.render.runtime import runtime_modules
from generator.render.wrap import fit
from generator.schema import ClassSpec, EnumSpec, ModelSpec, Schema
from generator.target import Target

__all__ = [
    "Module",
    "builtin_templates",
    "in_black_form",
    "markers",
    "package_modules",
    "render_modules",
    "runtime_modules",
    "template_dirs",
]


def builtin_templates() -> Path:
    """Templates ship inside the wheel as `generator/templates`; a checkout keeps them at the top."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "templates", here.parent / "templates"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("the built-in templates directory is missing from the installation")


def environment(
    user_templates: Path | None = None, target: Target = Target.PYDANTIC
) -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if user_templates is not None:
        loaders.append(jinja2.FileSystemLoader(str(user_templates)))
    if target is not Target.PYDANTIC:
        # A target's own set replaces only what differs (the class body, union aliases,
        # the runtime); every other template and partial is shared.
        loaders.append(jinja2.FileSystemLoader(str(builtin_templates() / target.value)))
    loaders.append(jinja2.FileSystemLoader(str(builtin_templates())))
    env = jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        # Templates do not change during a run: no stat of their files per module.
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


def class_module(
    spec: ClassSpec, layout: Layout, target: Target, link: bool = False
) -> tuple[str, dict[str, Any]]:
    """The template and context of the module of one class; `link`: see render/depth.py."""
    if isinstance(spec, ModelSpec):
        template = "error.py.jinja" if spec.is_error else "model.py.jinja"
        return template, model_context(spec, layout, target, link)
    if isinstance(spec, EnumSpec):
        return "enum.py.jinja", enum_context(spec)
    return "union.py.jinja", union_context(spec, layout, target, link)


# Templates whose output is already black's form (`fit` splits their long lines as black
# does); only the built-in ones: a user's may be anything.
IN_BLACK_FORM = ("namespace_init.py.jinja",)


def in_black_form(schema: Schema, package: str, user_templates: Path | None) -> frozenset[str]:
    """The paths of the modules rendered from a template of IN_BLACK_FORM."""
    if user_templates is not None and (user_templates / IN_BLACK_FORM[0]).exists():
        return frozenset()
    return frozenset(f"{package}/{namespace}/__init__.py" for namespace in schema.namespaces)


# (output path, template name, template context) of one module rendered from a template.
Module = tuple[str, str, dict[str, Any]]


def package_modules(schema: Schema, package: str, target: Target = Target.PYDANTIC) -> list[Module]:
    """Every module of the package that a template renders, with its template and context:
    all of a module's state, so that two modules with equal contexts render alike."""
    layout = plan_layout(schema, package)
    modules: list[Module] = []
    exports: dict[str, dict[str, str]] = {}
    deep = linking_classes(schema.classes)
    for spec in schema.classes:
        template, context = class_module(spec, layout, target, spec.key in deep)
        modules.append((layout.path_of(spec.key), template, context))
        module = layout.module_of(spec.key)
        for name in exported_names(spec):
            exports.setdefault(spec.key.namespace, {})[name] = module
    for namespace in schema.namespaces:
        context = namespace_context(namespace, exports.get(namespace, {}))
        modules.append((f"{package}/{namespace}/__init__.py", "namespace_init.py.jinja", context))
    endpoints = endpoints_module(schema) if schema.operations else ""
    example = schema.operations[0].name if schema.operations else ""
    example_path = ""
    if endpoints:
        operations = endpoints_context(schema)
        example_path = f"{endpoints}.{operations['paths'][example]}"
        modules.append((f"{package}/{endpoints}.py", "endpoints.py.jinja", operations))
    context = {
        "package": package,
        "namespaces": list(schema.namespaces),
        "endpoints": endpoints,
        "example": example,
        "example_path": example_path,
        "requires": requirements_sentence(target),
    }
    modules.append((f"{package}/__init__.py", "package_init.py.jinja", context))
    return modules


def render_modules(
    modules: list[Module], user_templates: Path | None = None, target: Target = Target.PYDANTIC
) -> list[str]:
    """The text of each module (unformatted)."""
    if not modules:
        return []
    env = environment(user_templates, target)
    return [env.get_template(template).render(**context) for _, template, context in modules]


def markers(package: str) -> dict[str, str]:
    """Files of the package that no template renders: `py.typed` (PEP 561)."""
    return {f"{package}/py.typed": ""}


def template_dirs(user_templates: Path | None) -> list[Path]:
    """The folders a run's templates come from."""
    return [builtin_templates(), *([user_templates] if user_templates else [])]
