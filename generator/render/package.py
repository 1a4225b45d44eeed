"""The resolved schema -> the generated package's module texts (unformatted)."""

from __future__ import annotations

from typing import Any

from generator.model.docs import DocLocation
from generator.model.floors import requirements_sentence
from generator.model.schema import ClassSpec, EnumSpec, ModelSpec, Schema
from generator.model.target import Target
from generator.render.context import (
    enum_context,
    exported_names,
    model_context,
    namespace_context,
    union_context,
)
from generator.render.depth import linking_classes
from generator.render.endpoints import endpoints_context, endpoints_module
from generator.render.modules import Layout, plan_layout
from generator.render.runtime import runtime_modules
from generator.render.templates import (
    TemplateFailure,
    Templates,
    builtin_templates,
    environment,
    read_templates,
    template_problem,
)

__all__ = [
    "Module",
    "Templates",
    "builtin_templates",
    "in_black_form",
    "markers",
    "module_docs",
    "package_modules",
    "read_templates",
    "render_modules",
    "runtime_modules",
]


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


def in_black_form(schema: Schema, package: str, templates: Templates) -> frozenset[str]:
    """The paths of the modules rendered from a built-in template of IN_BLACK_FORM."""
    if IN_BLACK_FORM[0] in templates.own:
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


def render_modules(modules: list[Module], templates: Templates) -> list[str]:
    """The text of each module (unformatted), from the templates as they were read."""
    if not modules:
        return []
    env = environment(templates)
    texts: list[str] = []
    problems: dict[str, str] = {}  # each once, with the first module that met it
    for path, template, context in modules:
        try:
            texts.append(env.get_template(template).render(**context))
        except Exception as problem:  # a user's template may fail in any way: say where
            problems.setdefault(template_problem(problem, templates), path)
    if problems:
        raise TemplateFailure([f"{line} (rendering {path})" for line, path in problems.items()])
    return texts


def module_docs(schema: Schema, package: str) -> dict[str, DocLocation]:
    """The doc of each class's module, by module path."""
    layout = plan_layout(schema, package)
    return {layout.path_of(spec.key): spec.location for spec in schema.classes}


def markers(package: str) -> dict[str, str]:
    """Files of the package that no template renders: `py.typed` (PEP 561)."""
    return {f"{package}/py.typed": ""}
