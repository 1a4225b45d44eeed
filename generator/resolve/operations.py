"""The operations of the SDK pages, resolved: the body of each success, the error of each
status. What a page loses (a class no doc describes, a status not read) is a warning: the
operation still dispatches what the docs do show."""

from __future__ import annotations

import re
from dataclasses import replace

from generator.model.diagnostics import Diagnostics
from generator.model.docs import (
    Doc,
    DocKind,
    DocLocation,
    ErrorRowDoc,
    OperationDoc,
    TypeKind,
    TypeRef,
)
from generator.model.naming import ClassName, is_identifier, referenced_class
from generator.model.schema import (
    ClassKey,
    ClassSpec,
    ErrorResponseSpec,
    FieldSpec,
    ModelSpec,
    OperationSpec,
    ParameterSpec,
)
from generator.parse.typecell import TRANSPORT_REQUESTS, TRANSPORT_TYPES
from generator.resolve.links import DocIndex, TypeResolver

ANY = TypeRef(TypeKind.PRIMITIVE, "Any")
# Fields of a v1 response class that describe the HTTP response, not its body.
RESPONSE_METADATA = frozenset({"status_code", "content_type", "headers", "raw_response"})
# `4x`, `4xx` and `4XX` are one range.
_RANGE = re.compile(r"\b([1-5])[xX]{1,2}\b")
_STATUS = re.compile(r"^(?:[1-5]\d\d|[1-5]XX|[1-5]XX-[1-5]XX|default)$")


def resolve_operations(
    operations: tuple[OperationDoc, ...],
    index: DocIndex,
    classes: list[ClassSpec],
    moved: dict[ClassKey, ClassKey],
    diagnostics: Diagnostics,
) -> tuple[OperationSpec, ...]:
    """`moved`: classes the overrides renamed, by their key in the docs."""
    known = _Classes(classes)
    # A page's types are resolved as a model's are; what fails costs the page's operation a
    # type, never the run: their problems are warnings.
    found = Diagnostics()
    resolver = _Resolver(TypeResolver(index, found, []), moved)
    specs: dict[str, OperationSpec] = {}
    for operation in sorted(operations, key=lambda o: o.location):
        problem = _name_problem([*operation.sdk_path.split("."), operation.method])
        if problem:
            diagnostics.warning(
                operation.location, f"operation {operation.name!r} is left out: {problem}"
            )
            continue
        if operation.name in specs:
            diagnostics.warning(
                operation.location,
                f"operation {operation.name!r} is already documented at "
                f"{specs[operation.name].location} (this one is left out)",
            )
            continue
        specs[operation.name] = _operation(operation, resolver, known, diagnostics)
    for lost in found.sorted():
        diagnostics.warning(lost.location, lost.message)
    _report_clashes(list(specs.values()), diagnostics)
    return tuple(sorted(specs.values(), key=lambda spec: spec.name))


class _Classes:
    """The classes, by key and by name (a row may name its class without its namespace)."""

    def __init__(self, classes: list[ClassSpec]) -> None:
        self.by_key = {spec.key: spec for spec in classes}
        self.by_name: dict[str, list[ClassSpec]] = {}
        for spec in classes:
            self.by_name.setdefault(spec.key.name, []).append(spec)
        self._by_lower_name: dict[str, list[ClassSpec]] | None = None

    def by_lower_name(self) -> dict[str, list[ClassSpec]]:
        """By name without case (made when first asked: v2 pages name request bodies so)."""
        if self._by_lower_name is None:
            self._by_lower_name = {}
            for spec in self.by_key.values():
                self._by_lower_name.setdefault(spec.key.name.lower(), []).append(spec)
        return self._by_lower_name


class _Resolver:
    """Types of an SDK page: links followed from the page, renamed classes followed."""

    def __init__(self, resolver: TypeResolver, moved: dict[ClassKey, ClassKey]) -> None:
        self.resolver = resolver
        self.moved = moved

    def type(self, node: TypeRef, page: str, location: DocLocation) -> TypeRef:
        resolved = self.resolver.resolve(node, _page_doc(page), location)
        return _retarget(resolved, self.moved) if self.moved else resolved


def _page_doc(page: str) -> Doc:
    """A stand-in doc for an SDK page: what links and bare names are resolved from."""
    return Doc(page, "", ClassName(""), DocKind.MODEL, "", False, DocLocation(page, 1))


def _retarget(node: TypeRef, moved: dict[ClassKey, ClassKey]) -> TypeRef:
    if node.kind is TypeKind.REF:
        new = moved.get(ClassKey(node.namespace, referenced_class(node.name)))
        return replace(node, namespace=new.namespace, name=new.name) if new else node
    if not node.args:
        return node
    return replace(node, args=tuple(_retarget(arg, moved) for arg in node.args))


def _name_problem(parts: list[str]) -> str:
    """Why the parts of an operation's name cannot name its helper, or ''."""
    for part in parts:
        if not is_identifier(part) or part.startswith("_"):
            return f"{part!r} is not a usable Python name (ASCII, not starting with '_')"
    return ""


def _operation(
    operation: OperationDoc, resolver: _Resolver, known: _Classes, diagnostics: Diagnostics
) -> OperationSpec:
    page = operation.location.path
    parameters = tuple(
        ParameterSpec(
            row.name,
            resolver.type(row.type, page, row.location) if row.type is not None else ANY,
            row.required,
            row.description,
        )
        for row in operation.parameters
    )
    response = None
    if operation.response is not None and operation.response_location is not None:
        response = resolver.type(operation.response, page, operation.response_location)
    elif operation.response_text:
        response = ANY  # a type the page shows but the parser does not read
    errors = []
    for row in operation.errors:
        error = _error_response(row, operation, known, diagnostics)
        if error is not None:
            errors.append(error)
    return OperationSpec(
        group=tuple(operation.sdk_path.split(".")),
        method=operation.method,
        summary=operation.summary,
        location=operation.location,
        operation_id=operation.operation_id,
        http_method=operation.http_method,
        http_path=operation.http_path,
        parameters=parameters,
        body=_body(response, operation.paginated, known.by_key),
        errors=tuple(errors),
        request_body=_request_body(parameters, operation.operation_id, known),
        request_examples=operation.request_examples,
    )


def _model(node: TypeRef | None, by_key: dict[ClassKey, ClassSpec]) -> ModelSpec | None:
    if node is None:
        return None
    node = node.unwrapped()
    if node.kind is not TypeKind.REF:
        return None
    spec = by_key.get(ClassKey(node.namespace, referenced_class(node.name)))
    return spec if isinstance(spec, ModelSpec) else None


def _body(
    response: TypeRef | None, paginated: bool, by_key: dict[ClassKey, ClassSpec]
) -> TypeRef | None:
    """The type of a success's JSON body: the response class, or what its fields hold where
    it is the SDK's wrapper of the HTTP response (v1: the transport response and a field per
    body; v2 with `http_meta`; v2 with response headers or paginated: `result`)."""
    if response is None:
        return None
    model = _model(response, by_key)
    if model is None:
        return response.unwrapped()
    fields: dict[str, FieldSpec] = {f.attribute: f for f in model.fields if not f.excluded}
    if "result" in fields and (
        paginated or (fields.keys() == {"headers", "result"} and _is_headers(fields["headers"]))
    ):
        return fields["result"].type
    if not any(is_transport(f) or f.excluded for f in model.fields):
        return response.unwrapped()
    bodies = [
        f
        for f in model.fields
        if not f.excluded and f.attribute not in RESPONSE_METADATA and not _is_request(f)
    ]
    # A response of several bodies, one per content type: JSON is the one that is not text,
    # and a body typed as the transport's response (a download) is the last resort.
    data = [f for f in bodies if not is_transport(f)]
    structured = [f for f in data if f.type.kind is not TypeKind.PRIMITIVE]
    chosen = structured or data or bodies
    return chosen[0].type if chosen else None


def _is_headers(spec: FieldSpec) -> bool:
    """v2's response headers: `Dict[str, List[str]]`."""
    node = spec.type.unwrapped()
    if node.kind is not TypeKind.DICT:
        return False
    values = node.args[1].unwrapped()
    return values.kind is TypeKind.LIST and values.args[0].unwrapped().name == "str"


def is_transport(spec: FieldSpec) -> bool:
    """A field that holds the SDK's transport object (`httpx.Response`, ...), not JSON."""
    node = spec.type.unwrapped()
    return node.kind is TypeKind.EXTERNAL and node.name in TRANSPORT_TYPES


def _is_request(spec: FieldSpec) -> bool:
    node = spec.type.unwrapped()
    return node.kind is TypeKind.EXTERNAL and node.name in TRANSPORT_REQUESTS


def _request_body(
    parameters: tuple[ParameterSpec, ...], operation_id: str, known: _Classes
) -> TypeRef | None:
    """The class of the request's JSON body: the `request_body` parameter, a `request` that
    is the body, or the `request_body` field of a `request` that groups the parameters; v2
    pages show the body's fields as parameters of their own, and its class is named after
    the operationID (`<operationID>RequestBody`)."""
    for parameter in parameters:
        if _is_body_name(parameter.name):
            return parameter.type.unwrapped()
    for parameter in parameters:
        if parameter.name != "request":
            continue
        model = _model(parameter.type, known.by_key)
        if model is None:
            return None
        if model.key.name.endswith("RequestBody"):
            return parameter.type.unwrapped()
        fields = [f for f in model.fields if _is_body_name(f.attribute)]
        return fields[0].type if len(fields) == 1 else None
    if operation_id:
        named = known.by_lower_name().get(f"{operation_id}RequestBody".lower(), [])
        if len(named) == 1 and isinstance(named[0], ModelSpec):
            return TypeRef(TypeKind.REF, named[0].key.name, named[0].key.namespace)
    return None


def _is_body_name(name: str) -> bool:
    return name == "request_body" or name.endswith("_request_body")


def normal_status(text: str) -> str | None:
    """`400`, `4XX`, `4XX-5XX` or `default`, as an errors table writes it in any case."""
    text = text.strip()
    if text.lower() == "default":
        return "default"
    status = _RANGE.sub(lambda found: f"{found.group(1)}XX", text).upper()
    return status if _STATUS.match(status) else None


def _error_response(
    row: ErrorRowDoc, operation: OperationDoc, known: _Classes, diagnostics: Diagnostics
) -> ErrorResponseSpec | None:
    statuses = []
    for text in row.statuses:
        status = normal_status(text)
        if status is None:
            diagnostics.warning(
                row.location,
                f"status {text!r} of {operation.name} is not a status code, a range such as "
                "4XX or 4XX-5XX, or default: it is left out",
            )
        else:
            statuses.append(status)
    if not statuses:
        return None
    key = _error_class(row, known)
    if key is None and row.content_type != "*/*":
        # Speakeasy's own default error (`SDKError`, for `*/*`) has no doc: that one is the
        # package's `ApiError` without a word.
        diagnostics.warning(
            row.location,
            f"{row.namespace}.{row.name} is not documented: {', '.join(statuses)} of "
            f"{operation.name} raise the package's ApiError",
        )
    return ErrorResponseSpec(tuple(statuses), key, row.content_type, row.location)


def _error_class(row: ErrorRowDoc, classes: _Classes) -> ClassKey | None:
    spec = classes.by_key.get(ClassKey(row.namespace, referenced_class(row.name)))
    if spec is None:
        named = classes.by_name.get(row.name, [])
        spec = named[0] if len(named) == 1 else None
    if isinstance(spec, ModelSpec) and spec.is_error:
        return spec.key
    return None


def _report_clashes(specs: list[OperationSpec], diagnostics: Diagnostics) -> None:
    """An SDK path that is also an operation's name (`a.b` beside `a.b.c`) cannot be both."""
    groups = {spec.group[:size] for spec in specs for size in range(1, len(spec.group) + 1)}
    for spec in specs:
        if (*spec.group, spec.method) in groups:
            diagnostics.warning(
                spec.location,
                f"operation {spec.name!r} has the name of an SDK path beside it: its typed "
                "helper takes that name with a trailing '_'",
            )
