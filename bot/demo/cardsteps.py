"""Demo step `edits CHAT`: the fake Telegram's log of the edits of the incident card in CHAT (the latest one
there), beside the card's rows in the outbox — to show that a card never went back in time: no older state was
sent after a newer one, and no edit superseded in the outbox was sent.

    edits 3001     every editMessageText call on that card: taken or refused, and the lines it changed
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from bot.services.card_state import parse_edit_key
from models import IncidentCard, OutboxMessage


def _card_message(player: Any, chat: int) -> dict | None:
    cards = [m for m in player.api.chat_messages(chat) if m.get("text", "").startswith(("🔔", "📤"))]
    return cards[-1] if cards else None


def _changed(before: str, after: str) -> list[str]:
    old = set(before.splitlines())
    return [line for line in after.splitlines() if line.strip() and line not in old]


async def edits(player: Any, arg: str) -> None:
    chat = int(arg.split()[0])
    who = player.names.get(chat, str(chat))
    msg = _card_message(player, chat)
    if msg is None:
        player.say(f"\n🧾 no incident card in {who}")
        player.last_replies = ["no card"]
        return
    mid = msg["message_id"]
    calls = [c for c in player.api.calls if c.method == "editMessageText" and c.chat_id == chat
             and str(c.params.get("message_id")) == str(mid)]
    async with player.proc.sessions() as s:
        card_ids = (await s.scalars(select(IncidentCard.id).where(IncidentCard.chat_id == chat))).all()
        rows = [r for r in (await s.scalars(select(OutboxMessage).where(OutboxMessage.conv == str(chat),
                                                                         OutboxMessage.dedup_key.like("cardv:%"))
                                             .order_by(OutboxMessage.id))).all()
                if (parse_edit_key(r.dedup_key) or (0, 0))[0] in card_ids]
    version_of = {r.payload.get("text"): parse_edit_key(r.dedup_key)[1] for r in rows}  # type: ignore[index]
    superseded = {r.payload.get("text") for r in rows if r.status == "superseded"} - {
        r.payload.get("text") for r in rows if r.status == "sent"}
    lines = [f"\n🧾 the fake Telegram's log of the card {mid} in {who}:"]
    first = next((c for c in player.api.calls if c.method == "sendMessage" and c.ok and c.chat_id == chat
                  and isinstance(c.result, dict) and c.result.get("message_id") == mid), None)
    shown, taken_versions, superseded_sent = str(first.params.get("text", "")) if first else "", [], 0
    for c in calls:
        text = str(c.params.get("text", ""))
        if c.ok:
            taken_versions.append(version_of.get(text, 0))
            superseded_sent += text in superseded
            changed = _changed(shown, text)
            lines.append(f"   ✓ edit v{version_of.get(text, '?')} taken" + (f": {' / '.join(changed)}" if changed else ""))
            shown = text
        else:
            lines.append(f"   ✗ edit refused: {c.error_code} {c.description or ''}".rstrip())
    backwards = sum(1 for a, b in zip(taken_versions, taken_versions[1:], strict=False) if b < a)
    lines.append(f"   card rows in the outbox: {len(rows)} — sent {sum(r.status == 'sent' for r in rows)}, "
                 f"superseded {sum(r.status == 'superseded' for r in rows)}")
    lines.append(f"   older state sent after a newer one: {backwards or 'none'} · superseded edit sent: "
                 f"{superseded_sent or 'none'}")
    player.say("\n".join(lines))
    player.last_replies = lines
