"""What the fields of a model hold: their annotations, resolved where the model's module
binds their names, and the models they may hold at any depth."""

from __future__ import annotations

import sys
import types
import typing
from typing import Annotated, Any, Union

from pydantic import BaseModel
from typing_extensions import TypeAliasType

_FIELD_TYPES: dict[tuple[type, str], Any] = {}


def title_of(model: type[BaseModel]) -> str:
    """The title pydantic tells a model's validators by: its name, or, where two classes of
    a package share one, `namespace.Name`, as generated."""
    return model.model_config.get("title") or model.__name__


def field_type(model: type[BaseModel], attribute: str) -> Any:
    """A field's annotation, its names resolved where the model's module binds them."""
    if (found := _FIELD_TYPES.get((model, attribute))) is None:
        info = model.model_fields[attribute]
        hint = Annotated[info.annotation, *info.metadata] if info.metadata else info.annotation
        holder = types.SimpleNamespace(__annotations__={attribute: hint})
        namespace = vars(sys.modules[model.__module__])
        found = typing.get_type_hints(holder, namespace, include_extras=True)[attribute]
        found = _FIELD_TYPES.setdefault((model, attribute), found)
    return found


_REACHED_TITLES: dict[type, dict[str, frozenset[str]]] = {}


def reached_titles(model: type[BaseModel]) -> dict[str, frozenset[str]]:
    """{attribute: the titles of the models its value may hold, at any depth} of the fields
    that may hold objects."""
    if (found := _REACHED_TITLES.get(model)) is None:
        found = {}
        for attribute, models in _fields_models(model).items():
            reached: set[str] = set()
            while models:
                inner = models.pop()
                if title_of(inner) not in reached:
                    reached.add(title_of(inner))
                    models.update(*_fields_models(inner).values())
            found[attribute] = frozenset(reached)
        found = _REACHED_TITLES.setdefault(model, found)
    return found


def _fields_models(model: type[BaseModel]) -> dict[str, set[type[BaseModel]]]:
    """{attribute: the models its annotation names} of the fields that name one."""
    named = {
        a: _models_in(field_type(model, a), model.__module__, set()) for a in model.model_fields
    }
    return {attribute: models for attribute, models in named.items() if models}


def _models_in(annotation: Any, module: str, seen: set[int]) -> set[type[BaseModel]]:
    """The models an annotation names (through lists, maps, unions and union aliases)."""
    if id(annotation) in seen:  # a union alias that names itself
        return set()
    seen.add(id(annotation))
    if isinstance(annotation, str | typing.ForwardRef):  # a variant of a union alias
        annotation, module = named(annotation, module)
    if isinstance(annotation, TypeAliasType):
        return _models_in(annotation.__value__, str(annotation.__module__), seen)
    if isinstance(annotation, type):
        body = getattr(annotation, "data_model", annotation)  # an error: its body
        return {body} if isinstance(body, type) and issubclass(body, BaseModel) else set()
    return {m for arg in typing.get_args(annotation) for m in _models_in(arg, module, seen)}


_UNION_TITLES: dict[Any, frozenset[str]] = {}


def union_titles(target: Any) -> frozenset[str]:
    """The titles of the models that may lie in a variant of a union (of two types or more)
    anywhere in `target`, a model or any type of a field."""
    if (found := _UNION_TITLES.get(target)) is None:
        module = getattr(target, "__module__", "")
        is_model = isinstance(target, type) and issubclass(target, BaseModel)
        reached = _reachable({target} if is_model else _models_in(target, module, set()))
        variants = set() if is_model else _variant_models(target, module, set())
        for model in reached:
            for attribute in model.model_fields:
                annotation = field_type(model, attribute)
                variants |= _variant_models(annotation, model.__module__, set())
        titles = frozenset(title_of(model) for model in _reachable(variants))
        found = _UNION_TITLES.setdefault(target, titles)
    return found


def _reachable(models: set[type[BaseModel]]) -> set[type[BaseModel]]:
    """`models` and the models their fields may hold, at any depth."""
    found: set[type[BaseModel]] = set()
    pending = list(models)
    while pending:
        if (model := pending.pop()) not in found:
            found.add(model)
            pending.extend(m for named in _fields_models(model).values() for m in named)
    return found


def _variant_models(annotation: Any, module: str, seen: set[int]) -> set[type[BaseModel]]:
    """The models an annotation names in a union of two types or more (not `X | None`)."""
    if id(annotation) in seen:
        return set()
    seen.add(id(annotation))
    if isinstance(annotation, str | typing.ForwardRef):
        return _variant_models(*named(annotation, module), seen)
    if isinstance(annotation, TypeAliasType):
        return _variant_models(annotation.__value__, str(annotation.__module__), seen)
    args = typing.get_args(annotation)
    choices = sum(arg is not type(None) for arg in args)
    if typing.get_origin(annotation) in (Union, types.UnionType) and choices > 1:
        return _models_in(annotation, module, set())
    return {m for arg in args for m in _variant_models(arg, module, seen)}


def named(name: str | typing.ForwardRef, module: str) -> tuple[Any, str]:
    """What a name in a union alias (`"Cat"`, also in `list["Cat"]`) binds, where its module
    binds it (None: not bound yet), and that module."""
    if isinstance(name, typing.ForwardRef):
        module = name.__forward_module__ or module
        name = name.__forward_arg__
    return vars(sys.modules[module]).get(name), module
