"""JSON keys and the fields they feed: Speakeasy's Python naming of a key (its docs show the
attribute it derives, never the key), and a router of a payload's keys to fields."""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable, Mapping
from typing import Any

# Where Speakeasy starts a new word: `fileID` -> file_ID, `HTTPMetadata` -> HTTP_Metadata.
_ACRONYM_THEN_WORD = re.compile(r"([A-Z]+)([A-Z][a-z])")
_LOWER_THEN_UPPER = re.compile(r"([a-z0-9])([A-Z])")
_SEPARATORS = re.compile(r"[^0-9A-Za-z]+")
# Leading characters of a key that name no word: `_meta`, `$schema`, `@type`.
_SIGILS = "_$@"
_SIGIL_WORDS = {"$": "dollar", "@": "at"}
# How many keys a router remembers the match of: bounded, so that payloads of ever new keys
# cannot grow it without end.
REMEMBERED_MATCHES = 4096
# Ranks of a key's match to a field: a smaller rank wins when two keys feed one field.
WIRE, ATTRIBUTE, DERIVED, LOOSE = range(4)


def attribute_of(key: str) -> str:
    """The snake_case attribute Speakeasy derives from a JSON key.

    camelCase, PascalCase and acronyms split into words (`resetCDC` -> `reset_cdc`,
    `HTTPMetadata` -> `http_metadata`, `s3Details` -> `s3_details`), every other character is
    a separator (`X-Request-Id` -> `x_request_id`) and leading `_`, `$` and `@` are dropped
    (`_meta` -> `meta`).
    """
    text = _SEPARATORS.sub("_", key.lstrip(_SIGILS))
    text = _ACRONYM_THEN_WORD.sub(r"\1_\2", text)
    text = _LOWER_THEN_UPPER.sub(r"\1_\2", text)
    return "_".join(part for part in text.lower().split("_") if part)


def attribute_forms(key: str) -> tuple[str, ...]:
    """Every attribute Speakeasy may give a key: the derived one, then with the word its
    sigil stands for (`$schema` -> `dollar_schema`) or a trailing `_` (`AND` -> `and_`)."""
    derived = attribute_of(key)
    forms = [derived]
    sigil = key[:1]
    if sigil in _SIGIL_WORDS and derived:
        forms.append(f"{_SIGIL_WORDS[sigil]}_{derived}")
    if keyword.iskeyword(derived):
        forms.append(derived + "_")
    return tuple(forms)


def loose_form(name: str) -> str:
    """A name without case or separators: `File-ID`, `fileId` and `file_id` all give `fileid`."""
    return "".join(char for char in name.lower() if char.isalnum())


class KeyRouter:
    """Which field each key of a payload feeds, for one class built from (attribute, wire key)
    pairs: the field's wire key or attribute; else a key Speakeasy's naming turns into the
    attribute; else one equal to a single field's attribute once case and separators are
    ignored. Of two keys of one payload for one field, the better match wins, then the smaller
    key (whatever the payload's order); the other stays an unknown key."""

    def __init__(self, fields: Iterable[tuple[str, str]]) -> None:
        pairs = list(fields)
        self.wires = frozenset(wire for _, wire in pairs)
        self.attributes = {wire: attribute for attribute, wire in pairs}
        self.wire_of = {attribute: wire for attribute, wire in pairs}
        # A field's own attribute wins over another's without its trailing `_` (`from`, `from_`).
        self._derived = {attribute.rstrip("_"): wire for attribute, wire in pairs}
        self._derived.update(self.wire_of)
        loose: dict[str, str | None] = {}
        for attribute, wire in pairs:
            for form in (loose_form(attribute), loose_form(wire)):
                loose[form] = wire if loose.get(form, wire) == wire else None
        self._loose = {form: wire for form, wire in loose.items() if wire is not None}
        self._matches: dict[str, tuple[int, str] | None] = {}

    def match(self, key: str) -> tuple[int, str] | None:
        """(rank, wire key of the field) for the field `key` feeds, or None."""
        if not isinstance(key, str):
            return None  # a Python mapping may have other keys: none feeds a field
        if key in self.wires:
            return WIRE, key
        if key in self.wire_of:
            return ATTRIBUTE, self.wire_of[key]
        if key in self._matches:
            return self._matches[key]
        found: tuple[int, str] | None = None
        # the most particular form first: `$schema` feeds `dollar_schema` beside `schema`
        for form in reversed(attribute_forms(key)):
            if form in self._derived:
                found = DERIVED, self._derived[form]
                break
        else:
            wire = self._loose.get(loose_form(key))
            if wire is not None:
                found = LOOSE, wire
        if len(self._matches) < REMEMBERED_MATCHES:
            self._matches[key] = found
        return found

    def route(
        self, data: Mapping[str, Any]
    ) -> tuple[dict[str, Any], dict[str, str], dict[str, Any]]:
        """(the values that feed fields, by wire key; {wire key: key read} where they differ;
        the keys that feed no field, with their values). Of two keys that feed one field, the
        better match wins, then the smaller key."""
        best: dict[str, tuple[int, str]] = {}  # {wire key: (rank, key)}
        for key in data:
            if (found := self.match(key)) and (found[0], key) < best.get(found[1], (LOOSE + 1, "")):
                best[found[1]] = (found[0], key)
        feeds = {key: wire for wire, (_, key) in best.items()}
        fed = {feeds[key]: value for key, value in data.items() if key in feeds}
        unknown = {key: value for key, value in data.items() if key not in feeds}
        return fed, {wire: key for key, wire in feeds.items() if key != wire}, unknown
