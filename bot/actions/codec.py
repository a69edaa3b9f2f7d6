"""Packing and parsing action strings, as aiogram's `CallbackData.pack()` did for the buttons already sent:
the prefix, then each field in order, joined by ":" (an enum as its value, an int as its decimal, "" for an
empty default); at most 64 bytes (Telegram's callback_data limit, the smallest of the channels).

Parsing refuses (None) anything that is not exactly such a string: a wrong prefix or field count, an enum
value not in the enum, an id outside 1 … 2**31-1 (a primary key the database can hold, like `DbId`), an
over-long string. The data is never trusted beyond that: the server re-checks every press.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields
from enum import Enum
from typing import Any, ClassVar, Self, get_type_hints

from bot.domain.bounds import INT4_MAX

SEP = ":"
MAX_BYTES = 64

Convert = Callable[[str], Any]  # a field's text → its value; ValueError when it is not one


def encode(name: str, value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, (int, str)):
        return str(value)
    raise ValueError(f"action field {name}={value!r} ({type(value).__name__}) cannot be packed")


def pack(prefix: str, *values: tuple[str, Any]) -> str:
    """`prefix:v1:v2…` from (field name, value) pairs; ValueError when a value holds the separator or the
    result is over 64 bytes (as aiogram refused them)."""
    parts = [prefix]
    for name, value in values:
        text = encode(name, value)
        if SEP in text:
            raise ValueError(f"separator {SEP!r} in action field {name}={text!r}")
        parts.append(text)
    data = SEP.join(parts)
    if len(data.encode()) > MAX_BYTES:
        raise ValueError(f"action {data!r} is over {MAX_BYTES} bytes")
    return data


def db_id(text: str) -> int:
    """An id as a primary key the database can hold; ASCII digits only, as `str(int)` writes them."""
    if not (text.isascii() and text.isdigit()) or len(text) > 10 or (len(text) > 1 and text[0] == "0"):
        raise ValueError(text)
    value = int(text)
    if not 1 <= value <= INT4_MAX:
        raise ValueError(text)
    return value


def _converter(kind: Any) -> Convert:
    if kind is int:
        return db_id
    if isinstance(kind, type) and issubclass(kind, Enum):
        return kind
    if kind is str:
        return str
    raise TypeError(f"action fields are ids (int), enums or str, not {kind!r}")


class Action:
    """Base of the frozen dataclasses that name an action kind: `class IncidentAct(Action, prefix="incV1")`.
    Its fields, in order, are the packed fields; an `int` field is an id (1 … 2**31-1)."""

    prefix: ClassVar[str]
    _fields: ClassVar[tuple[tuple[str, Convert], ...] | None]

    def __init_subclass__(cls, *, prefix: str, **kw: Any) -> None:
        super().__init_subclass__(**kw)
        if SEP in prefix:
            raise ValueError(f"separator {SEP!r} in action prefix {prefix!r}")
        cls.prefix, cls._fields = prefix, None

    @classmethod
    def _spec(cls) -> tuple[tuple[str, Convert], ...]:
        if cls._fields is None:  # once per kind: the annotations are strings until resolved
            hints = get_type_hints(cls)
            cls._fields = tuple((f.name, _converter(hints[f.name])) for f in fields(cls))  # type: ignore[arg-type]
        return cls._fields

    def pack(self) -> str:
        values = []
        for name, convert in self._spec():
            value = getattr(self, name)
            if convert is db_id and (isinstance(value, bool) or not isinstance(value, int)
                                     or not 1 <= value <= INT4_MAX):
                raise ValueError(f"action id {name}={value!r} is not 1 … {INT4_MAX}")
            if isinstance(convert, type) and not isinstance(value, convert):
                value = convert(value)  # a plain string for an enum field: ValueError when not one of it
            values.append((name, value))
        return pack(self.prefix, *values)

    @classmethod
    def parse(cls, data: str | None) -> Self | None:
        """The action `data` names, or None when it is not exactly one of this kind."""
        if not isinstance(data, str) or len(data.encode()) > MAX_BYTES:
            return None
        prefix, *parts = data.split(SEP)
        spec = cls._spec()
        if prefix != cls.prefix or len(parts) != len(spec):
            return None
        try:
            return cls(**{name: convert(text) for (name, convert), text in zip(spec, parts, strict=True)})
        except ValueError:
            return None
