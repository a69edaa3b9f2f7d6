"""Fixing evidence (固定证据): keep Telegram's file id, download the file and keep its content hash."""

from __future__ import annotations

import asyncio
import hashlib
import io
import logging
from datetime import datetime
from pathlib import Path
from typing import Any

from aiogram import Bot
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


async def capture(message: Message, bot: Bot, *, evidence_dir: str, now: datetime) -> dict[str, Any] | None:
    """An evidence item for a photo, document or forwarded post; None for anything else."""
    item: dict[str, Any] = {"captured_at": now.isoformat(), "captured_by": message.from_user.id}
    media = None
    if message.photo:
        media = message.photo[-1]
        item.update(kind="photo", mime_type="image/jpeg")
    elif message.document:
        media = message.document
        item.update(kind="document", mime_type=media.mime_type, file_name=media.file_name)
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
