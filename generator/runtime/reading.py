"""How a pydantic package reads a payload's keys (the API's JSON keys, the attributes, or any
key Speakeasy's naming turns into an attribute: `keys.KeyRouter`), and writes them back.

Models keep the keys that are not their fields' JSON keys as their extra, where pydantic calls
`spellings.check_extra_key` for each: a payload of JSON keys costs no Python call. `read` then
moves the values of the keys the check noted to their fields; where the validation fails,
`routing.read_routed` routes the payload's keys and validates again. An object read under other
keys remembers them, for `to_dict`. Nothing of one payload changes how the next is read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NoReturn

from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import PydanticCustomError

from .errors import MAX_DEPTH, TOO_DEEP, json_value, within_depth
from .field_types import field_type
from .routing import read_routed
from .spellings import Reading, drop_ignored, keys_to_move, objects_read, remember_keys, router_of

_VALIDATORS: dict[Any, tuple[Callable[..., Any], Callable[..., Any]]] = {}


def read(target: Any, data: Any, json_text: bool = False, level: int = 0) -> Any:
    """`data` (a JSON value, or with `json_text` JSON text) as `target`: a model class, or any
    type of a field; `level`: how many reads hold this one (a value moved to a field is read
    again, and its moved values in turn: a read per level of the payload, within the bound)."""
    if level > MAX_DEPTH:
        _too_deep(target)
    from_python, from_json = _validators(target)
    context = Reading()
    try:
        value = (from_json if json_text else from_python)(data, by_name=False, context=context)
        if context:
            _move_extra_keys(value, set(context), level)
        return value
    except ValidationError as invalid:  # pydantic locates each problem once keys are routed
        if level:
            raise  # the outermost read routes the whole payload
        try:
            payload = json_value(data) if json_text else data
        except ValueError as unread:  # not JSON (pydantic said so), or nested too deeply
            if str(unread) != TOO_DEEP or invalid.errors()[0]["type"] == "json_invalid":
                raise invalid from None
            _too_deep(target)
        try:
            within_depth(payload)  # routed with Python calls: within the bound
        except ValueError:
            _too_deep(target)
        return read_routed(from_python, payload)


def _too_deep(target: Any) -> NoReturn:
    line = {"type": PydanticCustomError("too_deep", TOO_DEEP), "loc": (), "input": None}
    title = getattr(target, "__name__", str(target))
    raise ValidationError.from_exception_data(title, [line]) from None  # type: ignore[list-item]


def _validators(target: Any) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """The functions that validate a JSON value and JSON text as `target`."""
    if (found := _VALIDATORS.get(target)) is None:
        if isinstance(target, type) and issubclass(target, BaseModel):
            found = target.model_validate, target.model_validate_json
        else:
            adapter = TypeAdapter(target)
            found = adapter.validate_python, adapter.validate_json
        found = _VALIDATORS.setdefault(target, found)
    return found


def _move_extra_keys(value: Any, titles: set[str], level: int) -> None:
    """In every object of a model titled `titles`: the values of keys that spell a field's key
    another way moved from the extra to their fields (read at `level` + 1), and ignored keys
    dropped."""
    for instance, _ in objects_read(value, titles=titles):
        if type(instance).__name__ in titles and instance.model_extra:
            _move_keys_of(instance, level + 1)


def _move_keys_of(instance: BaseModel, level: int) -> None:
    """Read without routing: the values of keys that feed a field another way moved to their
    fields (read at `level`), and ignored keys dropped (where unknown keys are refused, every
    such key made the validation fail: routed)."""
    model, extra = type(instance), instance.model_extra or {}
    router = router_of(model)
    best = keys_to_move(instance, None)
    for wire, (_, key) in best.items():
        attribute, value = router.attributes[wire], extra.pop(key)
        annotation = field_type(model, attribute)
        setattr(instance, attribute, read(annotation, value, level=level))  # keys as these
    drop_ignored(instance)
    if best:
        remember_keys(instance, {wire: key for wire, (_, key) in best.items()})
