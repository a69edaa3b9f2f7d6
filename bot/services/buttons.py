"""Buttons by name, for code that knows no channel.

A service that needs buttons under a message asks for them by name and ids (`markup("duty.offer", lang,
shift=12)`); the channel's layer registers how each is built (for Telegram: bot/*_callbacks.py, with their
callback-data factories). So services and schedules never import a channel's callback factories.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Builder = Callable[..., dict[str, Any]]
_BUILDERS: dict[str, Builder] = {}


def register(name: str) -> Callable[[Builder], Builder]:
    def put(fn: Builder) -> Builder:
        _BUILDERS[name] = fn
        return fn
    return put


def markup(name: str, lang: str, **ids: int) -> dict[str, Any]:
    """The buttons `name` for these ids in `lang`. KeyError when no channel registered them: a message must not
    go out silently without the buttons it is about."""
    return _BUILDERS[name](lang=lang, **ids)
