"""Bot API spec loading, parameter decoding, validation and Telegram's rate limits.

The spec (``api.min.json``, MIT, see LICENSE) lists every method with its fields and types.
:func:`decode_params` turns raw form/query/JSON values into Python values following the field
types; :func:`validate_call` checks required/unknown fields and the documented limits.
"""

from __future__ import annotations

import html
import json
import math
import re
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

SPEC_PATH = Path(__file__).with_name("api.min.json")
PLAIN_TYPES = {"String", "Integer", "Float", "Boolean"}
FILE_TYPES = {"InputFile"}
# Deprecated fields Telegram still accepts (and aiogram still exposes) on send/edit methods.
LEGACY_FIELDS = {"reply_to_message_id", "allow_sending_without_reply", "disable_web_page_preview"}
# Fields of InlineKeyboardButton that are *not* the button's action.
BUTTON_NON_ACTION = {"text", "icon_custom_emoji_id", "style"}
TEXT_LIMIT, CAPTION_LIMIT, CALLBACK_DATA_LIMIT, CALLBACK_ANSWER_LIMIT = 4096, 1024, 64, 200


class ApiError(Exception):
    """An error response. ``violation`` marks a request that breaks the spec or a documented limit."""

    def __init__(self, status: int, description: str, *, violation: bool = False,
                 parameters: dict[str, Any] | None = None) -> None:
        super().__init__(description)
        self.status, self.description, self.violation, self.parameters = status, description, violation, parameters

    def payload(self) -> dict[str, Any]:
        body: dict[str, Any] = {"ok": False, "error_code": self.status, "description": self.description}
        if self.parameters:
            body["parameters"] = self.parameters
        return body


def bad_request(msg: str, *, violation: bool = True) -> ApiError:
    return ApiError(400, f"Bad Request: {msg}", violation=violation)


@dataclass(frozen=True)
class FieldSpec:
    name: str
    types: tuple[str, ...]
    required: bool

    @property
    def plain(self) -> bool:
        return set(self.types) <= PLAIN_TYPES

    @property
    def is_file(self) -> bool:
        return bool(set(self.types) & FILE_TYPES)


@dataclass(frozen=True)
class MethodSpec:
    name: str
    fields: dict[str, FieldSpec]
    returns: tuple[str, ...]

    @property
    def sends_message(self) -> bool:
        """Creates new messages in a chat (counted for rate limits and "taken" records)."""
        creates = {"Message", "Array of Message", "MessageId", "Array of MessageId"}
        return self.name.startswith(("send", "copy", "forward")) and bool(creates & set(self.returns))


@dataclass
class Spec:
    version: str
    methods: dict[str, MethodSpec]  # keyed by lower-case name
    types: dict[str, Any] = field(repr=False, default_factory=dict)

    def method(self, name: str) -> MethodSpec | None:
        return self.methods.get(name.lower())


@cache
def load_spec(path: str | None = None) -> Spec:
    data = json.loads(Path(path or SPEC_PATH).read_text(encoding="utf-8"))
    methods = {}
    for name, m in data["methods"].items():
        fields = {f["name"]: FieldSpec(f["name"], tuple(f["types"]), bool(f["required"]))
                  for f in m.get("fields", [])}
        methods[name.lower()] = MethodSpec(name, fields, tuple(m.get("returns", [])))
    return Spec(data.get("version", "?"), methods, data.get("types", {}))


# ----------------------------------------------------------------------------- decoding
_INT_RE = re.compile(r"^-?\d+$")


def _coerce_plain(f: FieldSpec, value: Any) -> Any:
    if not isinstance(value, str):
        return value
    if "Integer" in f.types and _INT_RE.match(value.strip()):
        return int(value)
    if "Float" in f.types:
        try:
            return float(value)
        except ValueError:
            pass
    if "Boolean" in f.types:
        low = value.strip().lower()
        if low in ("true", "1"):
            return True
        if low in ("false", "0", ""):
            return False
    if "String" in f.types:
        return value
    raise bad_request(f'field "{f.name}" must be of type {" or ".join(f.types)}')


def decode_params(spec: MethodSpec, raw: dict[str, Any], uploads: dict[str, Any]) -> dict[str, Any]:
    """Decode raw request values. ``uploads`` maps multipart part names to uploaded file objects;
    ``attach://name`` values of file fields are replaced by the upload object."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        f = spec.fields.get(key)
        if f is None:
            out[key] = value  # unknown: left to validate_call
        elif f.is_file and isinstance(value, str) and value.startswith("attach://"):
            name = value[len("attach://"):]
            if name not in uploads:
                raise bad_request(f'file "{name}" referenced by "{key}" was not uploaded')
            out[key] = uploads[name]
        elif f.plain or (f.is_file and isinstance(value, str)):
            out[key] = _coerce_plain(f, value) if f.plain else value
        elif isinstance(value, str):
            try:
                out[key] = json.loads(value)
            except ValueError:
                raise bad_request(f"can't parse {key} JSON object") from None
        else:
            out[key] = value
    for name, up in uploads.items():  # a file part named after a field (curl -F photo=@x.jpg)
        f = spec.fields.get(name)
        if f is not None and f.is_file and name not in out:
            out[name] = up
    return out


# ----------------------------------------------------------------------------- HTML entities
_TAG_RE = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s>]+))?)*)\s*>")
_ATTR_RE = re.compile(r"([a-zA-Z-]+)(?:\s*=\s*(?:\"([^\"]*)\"|'([^']*)'|([^\s>]+)))?")
_ENTITY_RE = re.compile(r"&(lt|gt|amp|quot|#\d+|#x[0-9a-fA-F]+);")
_SIMPLE_TAGS = {"b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
                "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
                "tg-spoiler": "spoiler", "code": "code", "pre": "pre", "blockquote": "blockquote",
                "a": "text_link", "span": "spoiler", "tg-emoji": "custom_emoji"}


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def parse_html(text: str) -> tuple[str, list[dict[str, Any]]]:
    """Parse Telegram's HTML subset into plain text + MessageEntity dicts (UTF-16 offsets).
    Raises ValueError with Telegram-like wording on malformed markup."""
    out: list[str] = []
    pos16 = 0
    stack: list[tuple[str, dict[str, Any]]] = []
    entities: list[dict[str, Any]] = []
    i = 0
    while i < len(text):
        lt = text.find("<", i)
        chunk = text[i:] if lt < 0 else text[i:lt]
        plain = _ENTITY_RE.sub(lambda m: html.unescape(m.group(0)), chunk)
        out.append(plain)
        pos16 += utf16_len(plain)
        if lt < 0:
            break
        m = _TAG_RE.match(text, lt)
        offset = len(text[:lt].encode())
        if not m:
            raise ValueError(f"can't parse entities: Unexpected '<' at byte offset {offset}")
        closing, tag, attrs_s = m.group(1), m.group(2).lower(), m.group(3)
        if tag not in _SIMPLE_TAGS:
            kind = "end" if closing else "start"
            raise ValueError(f'can\'t parse entities: Unsupported {kind} tag "{tag}" at byte offset {offset}')
        if closing:
            if not stack or stack[-1][0] != tag:
                raise ValueError(f'can\'t parse entities: Unmatched end tag at byte offset {offset}, '
                                 f'expected "</{stack[-1][0] if stack else ""}>", found "</{tag}>"')
            _, ent = stack.pop()
            ent["length"] = pos16 - ent["offset"]
            if ent["length"] > 0:
                entities.append(ent)
        else:
            attrs = {a.group(1).lower(): next((g for g in a.groups()[1:] if g is not None), "")
                     for a in _ATTR_RE.finditer(attrs_s)}
            ent = {"type": _SIMPLE_TAGS[tag], "offset": pos16}
            if tag == "a":
                if "href" not in attrs:
                    raise ValueError(f"can't parse entities: Tag \"a\" must have href at byte offset {offset}")
                ent["url"] = html.unescape(attrs["href"])
            elif tag == "span" and attrs.get("class") != "tg-spoiler":
                raise ValueError(f'can\'t parse entities: Tag "span" must have class "tg-spoiler" at byte offset {offset}')
            elif tag == "blockquote" and "expandable" in attrs:
                ent["type"] = "expandable_blockquote"
            elif tag == "tg-emoji":
                ent["custom_emoji_id"] = attrs.get("emoji-id", "")
            elif tag == "code" and stack and stack[-1][0] == "pre" and attrs.get("class", "").startswith("language-"):
                stack[-1][1]["language"] = attrs["class"][len("language-"):]
            stack.append((tag, ent))
        i = m.end()
    if stack:
        raise ValueError(f'can\'t parse entities: Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def render_text(text: str, parse_mode: str | None, entities: Any) -> tuple[str, list[dict[str, Any]] | None]:
    """What Telegram stores for a text/caption: plain text + entities. Only HTML is parsed;
    Markdown modes keep the text as sent (lenient)."""
    if parse_mode and parse_mode.upper() == "HTML":
        try:
            plain, ents = parse_html(text)
        except ValueError as e:
            raise bad_request(str(e)) from None
        return plain, ents or None
    return text, entities if isinstance(entities, list) and entities else None


# ----------------------------------------------------------------------------- validation
def _check_markup(markup: Any) -> None:
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    if "inline_keyboard" in markup:
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise bad_request("field \"inline_keyboard\" of the InlineKeyboardMarkup should be an Array of Arrays")
        for row in rows:
            for btn in row:
                if not isinstance(btn, dict) or not btn.get("text"):
                    raise bad_request("can't parse inline keyboard button: Text must be non-empty")
                actions = [k for k in btn if k not in BUTTON_NON_ACTION]
                if not actions:
                    raise bad_request("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
                if len(actions) > 1:
                    raise bad_request(f"can't parse inline keyboard button: exactly one of the optional fields "
                                      f"must be used, got {sorted(actions)}")
                if "callback_data" in btn:
                    n = len(str(btn["callback_data"]).encode())
                    if not 1 <= n <= CALLBACK_DATA_LIMIT:
                        raise bad_request(f"BUTTON_DATA_INVALID (callback_data is {n} bytes, allowed 1-64)")
    elif "keyboard" in markup:
        rows = markup["keyboard"]
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise bad_request("field \"keyboard\" of the ReplyKeyboardMarkup should be an Array of Arrays")


def validate_call(spec: MethodSpec, params: dict[str, Any]) -> None:
    """Raise :class:`ApiError` (violation) if the decoded call breaks the spec or a documented limit."""
    for key in params:
        if key not in spec.fields and not (key in LEGACY_FIELDS and (
                "reply_parameters" in spec.fields or "link_preview_options" in spec.fields)):
            raise bad_request(f'unknown field "{key}" for method {spec.name}')
    for f in spec.fields.values():
        if f.required and (params.get(f.name) is None or params.get(f.name) == ""):
            raise bad_request("message text is empty" if f.name == "text" else f"{f.name} is empty")
    if spec.name in ("sendMessage", "editMessageText") and "text" in params:
        plain, _ = render_text(str(params["text"]), params.get("parse_mode"), params.get("entities"))
        if not plain.strip():
            raise bad_request("message text is empty")
        if len(plain) > TEXT_LIMIT:
            raise bad_request(f"message is too long ({len(plain)} characters, limit {TEXT_LIMIT})")
    if isinstance(params.get("caption"), str):
        plain, _ = render_text(params["caption"], params.get("parse_mode"), params.get("caption_entities"))
        if len(plain) > CAPTION_LIMIT:
            raise bad_request(f"message caption is too long ({len(plain)} characters, limit {CAPTION_LIMIT})")
    if spec.name == "answerCallbackQuery" and len(str(params.get("text") or "")) > CALLBACK_ANSWER_LIMIT:
        raise bad_request(f"MESSAGE_TOO_LONG (callback answer text is over {CALLBACK_ANSWER_LIMIT} characters)")
    if "reply_markup" in params:
        _check_markup(params["reply_markup"])
    if spec.name == "sendMediaGroup":
        media = params.get("media")
        if not isinstance(media, list) or not 2 <= len(media) <= 10:
            raise bad_request("media group must include 2-10 items")
        for item in media:
            if isinstance(item, dict) and len(str(item.get("caption") or "")) > CAPTION_LIMIT:
                raise bad_request("message caption is too long")


# ----------------------------------------------------------------------------- rate limits
@dataclass
class RateLimits:
    """Telegram's (documented, approximate) broadcasting limits."""

    global_per_second: int = 30
    private_per_second: float = 1.0
    private_burst: int = 3
    group_per_minute: int = 20


class RateLimiter:
    """Sliding windows for the global and group limits, a token bucket for private chats.
    :meth:`check` returns ``retry_after`` seconds when over the limit (nothing is recorded),
    else records the message and returns None."""

    def __init__(self, limits: RateLimits | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self.limits, self.clock = limits or RateLimits(), clock
        self._global: deque[float] = deque()
        self._groups: dict[Any, deque[float]] = {}
        self._buckets: dict[Any, tuple[float, float]] = {}  # chat -> (tokens, at)

    @staticmethod
    def _window(q: deque[float], now: float, span: float, cap: int) -> float | None:
        while q and q[0] <= now - span:
            q.popleft()
        return (q[0] + span - now) if len(q) >= cap else None

    def check(self, chat_id: Any) -> int | None:
        now, lim = self.clock(), self.limits
        waits = [self._window(self._global, now, 1.0, lim.global_per_second)]
        private = isinstance(chat_id, int) and chat_id > 0
        if private:
            tokens, at = self._buckets.get(chat_id, (float(lim.private_burst), now))
            tokens = min(float(lim.private_burst), tokens + (now - at) * lim.private_per_second)
            waits.append(None if tokens >= 1 else (1 - tokens) / lim.private_per_second)
        elif chat_id is not None:
            group = self._groups.setdefault(chat_id, deque())
            waits.append(self._window(group, now, 60.0, lim.group_per_minute))
        wait = max((w for w in waits if w is not None), default=None)
        if wait is not None:
            return max(1, math.ceil(wait))
        self._global.append(now)
        if private:
            self._buckets[chat_id] = (tokens - 1, now)
        elif chat_id is not None:
            self._groups[chat_id].append(now)
        return None
