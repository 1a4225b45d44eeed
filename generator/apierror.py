"""The base of a generated package's errors, the same for both targets.

Every package carries a copy of this module as `_apierror.py`; its runtime's `ApiError`
derives from `ApiErrorBase`.
"""

from __future__ import annotations

from typing import Any, ClassVar, Protocol, Self


class Body(Protocol):
    """What an error's body model offers (the package's `GeneratedModel` does)."""

    def to_json(self) -> str: ...

    @classmethod
    def from_json(cls, text: str | bytes) -> Any: ...


class ApiErrorBase(Exception):
    """Base of every generated error: `except ApiError` catches any of them.

    `data` is the parsed body, `raw_response` the transport response (never serialised
    or pickled) and `str(error)` the JSON body.
    """

    data_model: ClassVar[type[Body]]
    data: Any

    def __init__(self, data: Body, raw_response: Any = None, body: str | None = None) -> None:
        if body is None:
            body = data.to_json()
        super().__init__(body)
        self.data = data
        self.raw_response = raw_response
        self.body = body

    @classmethod
    def from_response(cls, body: str | bytes, raw_response: Any = None) -> Self:
        """Parse a response body (JSON text) into this error."""
        text = body.decode("utf-8") if isinstance(body, bytes) else body
        return cls(cls.data_model.from_json(text), raw_response, text)

    def __str__(self) -> str:
        return self.body

    def __repr__(self) -> str:
        return f"{type(self).__name__}(data={self.data!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.data, None, self.body))
