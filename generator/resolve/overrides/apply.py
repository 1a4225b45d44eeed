"""Applying the overrides file's settings to the classes of the docs (in the resolve stage)."""

from __future__ import annotations

import difflib
from dataclasses import replace

from generator.model.diagnostics import Diagnostics
from generator.model.docs import TypeKind, TypeRef
from generator.model.naming import InvalidName, referenced_class, renamed_class
from generator.model.schema import ClassKey, ClassSpec, EnumSpec, FieldSpec, ModelSpec
from generator.resolve.overrides.defaults import default_problem, typed_default
from generator.resolve.overrides.load import ClassOverride, FieldOverride, Override


def apply_overrides(
    classes: list[ClassSpec], overrides: tuple[Override, ...], diagnostics: Diagnostics
) -> list[ClassSpec]:
    by_key = {spec.key: spec for spec in classes}
    documented = dict(by_key)
    renames: dict[ClassKey, str] = {}
    for override in overrides:
        key = ClassKey(override.namespace, referenced_class(override.cls))
        spec = by_key.get(key)
        if spec is None:
            close = difflib.get_close_matches(str(key), [str(k) for k in by_key], n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            diagnostics.error(override.location, f"no class {key} in the docs{hint}")
            continue
        if isinstance(override, FieldOverride):
            updated = _field_override(spec, documented[key], override, diagnostics)
        else:
            updated = _class_override(spec, override, diagnostics)
            if override.rename is not None:
                renames[key] = override.rename
        by_key[key] = updated
    _shared_keys(overrides, by_key, diagnostics)
    # Checked once every class setting is applied: `open = true` widens what a default of
    # the enum may be, wherever in the file it is set.
    for override in overrides:
        if isinstance(override, FieldOverride) and override.has_default:
            _check_default(override, documented, by_key, diagnostics)
    result = list(by_key.values())
    if renames:
        result = _rename(result, renames, overrides, diagnostics)
    return sorted(result, key=lambda spec: spec.key)


def _class_override(
    spec: ClassSpec, override: ClassOverride, diagnostics: Diagnostics
) -> ClassSpec:
    if override.error is not None:
        if not isinstance(spec, ModelSpec):
            diagnostics.error(
                override.location, f"{spec.key} is not a model; only models can be errors"
            )
        else:
            spec = replace(spec, is_error=override.error)
    if override.open is not None:
        if not isinstance(spec, EnumSpec):
            diagnostics.error(
                override.location, f"{spec.key} is not an enum; `open` applies to enums"
            )
        else:
            spec = replace(spec, is_open=override.open)
    return spec


def _field_override(
    spec: ClassSpec, documented: ClassSpec, override: FieldOverride, diagnostics: Diagnostics
) -> ClassSpec:
    """The field the override names as the docs name it (another override may have given
    another field its key)."""
    if not isinstance(spec, ModelSpec) or not isinstance(documented, ModelSpec):
        diagnostics.error(override.location, f"{spec.key} is not a model and has no fields")
        return spec
    fields = list(spec.fields)
    index = next(
        (
            i
            for i, f in enumerate(documented.fields)
            if override.field in (f.wire_name, f.attribute)
        ),
        None,
    )
    if index is None:
        names = [f.attribute for f in fields]
        close = difflib.get_close_matches(override.field, names, n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else f" (fields: {', '.join(names)})"
        diagnostics.error(override.location, f"{spec.key} has no field {override.field!r}{hint}")
        return spec
    fields[index] = _apply_to_field(fields[index], override)
    return replace(spec, fields=tuple(fields))


def _shared_keys(
    overrides: tuple[Override, ...], by_key: dict[ClassKey, ClassSpec], diagnostics: Diagnostics
) -> None:
    """An error at each `wire_name` that gives a field a key another field of its class has
    once every override is applied (two may swap their keys)."""
    for override in overrides:
        if not isinstance(override, FieldOverride) or override.wire_name is None:
            continue
        spec = by_key.get(ClassKey(override.namespace, referenced_class(override.cls)))
        if not isinstance(spec, ModelSpec):
            continue
        holders = [f.attribute for f in spec.fields if f.wire_name == override.wire_name]
        if len(holders) > 1:
            diagnostics.error(
                override.location,
                f"wire_name {override.wire_name!r} is the JSON key of "
                f"{' and '.join(f'{spec.key}.{a}' for a in holders)} (two fields cannot share "
                "a key)",
            )


def _check_default(
    override: FieldOverride,
    documented: dict[ClassKey, ClassSpec],
    by_key: dict[ClassKey, ClassSpec],
    diagnostics: Diagnostics,
) -> None:
    """The default against the field's type, the field found as the docs name it (the
    override may have given it another JSON key); a valid one is made of its exact type."""
    key = ClassKey(override.namespace, referenced_class(override.cls))
    before, spec = documented.get(key), by_key.get(key)
    if not isinstance(before, ModelSpec) or not isinstance(spec, ModelSpec):
        return  # said where the override was applied
    named = (f.attribute for f in before.fields if override.field in (f.wire_name, f.attribute))
    attribute = next(named, None)
    field = next((f for f in spec.fields if f.attribute == attribute), None)
    if field is None:
        return
    problem = default_problem(key, field, override.default, by_key)
    if problem is not None:
        diagnostics.error(override.default_location or override.location, problem)
        return
    typed = typed_default(field, override.default, by_key)
    fields = tuple(typed if f is field else f for f in spec.fields)
    by_key[key] = replace(spec, fields=fields)


def _apply_to_field(field: FieldSpec, override: FieldOverride) -> FieldSpec:
    if override.wire_name is not None:
        field = replace(field, wire_name=override.wire_name)
    if override.nullable is not None:
        field = replace(field, nullable=override.nullable)
    if override.required is not None:
        required = override.required
        field = replace(
            field, required=required, has_default=not required, default=None, default_member=""
        )
        if not required:
            field = replace(field, nullable=True)
    if override.has_default:
        field = replace(
            field, required=False, has_default=True, default=override.default, default_member=""
        )
    return field


def _rename(
    classes: list[ClassSpec],
    renames: dict[ClassKey, str],
    overrides: tuple[Override, ...],
    diagnostics: Diagnostics,
) -> list[ClassSpec]:
    taken = {spec.key for spec in classes if spec.key not in renames}
    where = {
        ClassKey(o.namespace, referenced_class(o.cls)): o.location
        for o in overrides
        if isinstance(o, ClassOverride) and o.rename is not None
    }
    valid: dict[ClassKey, ClassKey] = {}
    for old, new_name in sorted(renames.items()):
        try:
            new = ClassKey(old.namespace, renamed_class(new_name))
        except InvalidName as problem:
            diagnostics.error(where[old], f"rename {new_name!r} {problem}")
            continue
        if new in taken:
            diagnostics.error(where[old], f"rename of {old} to {new.name!r} clashes with {new}")
        else:
            taken.add(new)
            valid[old] = new

    def retarget(node: TypeRef) -> TypeRef:
        if node.kind is TypeKind.REF:
            new = valid.get(ClassKey(node.namespace, referenced_class(node.name)))
            return replace(node, name=new.name) if new else node
        if not node.args:
            return node
        return replace(node, args=tuple(retarget(arg) for arg in node.args))

    renamed: list[ClassSpec] = []
    for spec in classes:
        key = valid.get(spec.key, spec.key)
        if isinstance(spec, ModelSpec):
            fields = tuple(replace(f, type=retarget(f.type)) for f in spec.fields)
            renamed.append(replace(spec, key=key, fields=fields))
        elif isinstance(spec, EnumSpec):
            renamed.append(replace(spec, key=key))
        else:
            renamed.append(
                replace(spec, key=key, variants=tuple(retarget(v) for v in spec.variants))
            )
    return renamed
