"""Fixing evidence (固定证据): keep Telegram's file id, download the file and keep its content hash."""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from aiogram import Bot, F
from aiogram.exceptions import TelegramAPIError
from aiogram.types import Message

from bot.domain import report as rf

log = logging.getLogger(__name__)
MAX_DOWNLOAD = 20 * 1024 * 1024  # the Bot API serves files up to 20 MB


def forward_origin(message: Message) -> str | None:
    o = message.forward_origin
    if o is None:
        return None
    for attr in ("chat", "sender_chat"):
        chat = getattr(o, attr, None)
        if chat is not None:
            return chat.title or chat.username or str(chat.id)
    user = getattr(o, "sender_user", None)
    if user is not None:
        return user.full_name
    return getattr(o, "sender_user_name", None) or o.type


def _keep(folder: Path, digest: str, data: bytes) -> None:
    """Content-addressed copy of the evidence file: the hash names it, so it cannot silently change."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / digest
    if not target.exists():
        target.write_bytes(data)


# The kinds of file kept as evidence, in the order a message is looked at: an animation carries a `document`
# too (for old clients), so it comes first; a short video or a voice message from the scene counts as much as
# a photo.
FILE_KINDS = ("photo", "animation", "video", "video_note", "voice", "audio", "document")
_DEFAULT_MIME = {"photo": "image/jpeg", "video_note": "video/mp4"}
# what the report routers take as evidence (a forwarded post too, with or without a file)
EVIDENCE = F.photo | F.animation | F.video | F.video_note | F.voice | F.audio | F.document | F.forward_origin


async def capture(message: Message, bot: Bot, *, evidence_dir: str, now: datetime) -> dict[str, Any] | None:
    """An evidence item for a file (FILE_KINDS) or a forwarded post; None for anything else."""
    item: dict[str, Any] = {"captured_at": now.isoformat(), "captured_by": message.from_user.id}
    kind = next((k for k in FILE_KINDS if getattr(message, k, None)), None)
    media = None
    if kind is not None:
        media = message.photo[-1] if kind == "photo" else getattr(message, kind)
        item.update(kind=kind, mime_type=getattr(media, "mime_type", None) or _DEFAULT_MIME.get(kind))
        if getattr(media, "file_name", None):
            item["file_name"] = media.file_name
    elif message.forward_origin is not None:
        text = message.text or message.caption or ""
        item.update(kind="forward", text=text[:4000], origin=forward_origin(message), url=rf.extract_link(text))
        return item
    else:
        return None
    item.update(file_id=media.file_id, file_unique_id=media.file_unique_id, size=media.file_size,
                text=message.caption, origin=forward_origin(message))
    if (media.file_size or 0) <= MAX_DOWNLOAD:
        try:
            buf = io.BytesIO()
            await bot.download(media.file_id, destination=buf)
            data = buf.getvalue()
            digest = hashlib.sha256(data).hexdigest()
            item.update(sha256=digest, size=len(data))
            await asyncio.to_thread(_keep, Path(evidence_dir), digest, data)
        except (TelegramAPIError, OSError, TimeoutError) as e:
            log.warning("evidence download failed: %s", e)
            item["download_error"] = type(e).__name__
    return item
