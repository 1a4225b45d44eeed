"""What the fields of a model hold: their annotations, resolved where the model's module
binds their names, and the models they may hold at any depth."""

from __future__ import annotations

import sys
import types
import typing
from typing import Annotated, Any

from pydantic import BaseModel
from typing_extensions import TypeAliasType

_FIELD_TYPES: dict[tuple[type, str], Any] = {}


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
                if inner.__name__ not in reached:
                    reached.add(inner.__name__)
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
    if isinstance(annotation, typing.ForwardRef):  # a variant of a union alias
        namespace = vars(sys.modules[annotation.__forward_module__ or module])
        annotation = namespace.get(annotation.__forward_arg__)
    if isinstance(annotation, TypeAliasType):
        return _models_in(annotation.__value__, str(annotation.__module__), seen)
    if isinstance(annotation, type):
        body = getattr(annotation, "data_model", annotation)  # an error: its body
        return {body} if isinstance(body, type) and issubclass(body, BaseModel) else set()
    return {m for arg in typing.get_args(annotation) for m in _models_in(arg, module, seen)}
