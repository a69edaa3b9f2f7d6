"""Where the office group reads about one incident: its room's forum topic while it has one (bot/services/room.py),
else the office group itself. Below notify and room, so every service that tells the office about an incident can
route it (notify.office_chats(…, incident_id=…)) without importing the room's machinery."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.channels.types import Address
from bot.services import addresses
from models import IncidentRoom

OPENING, OPEN, REFUSED, GONE, CLOSED = "opening", "open", "refused", "gone", "closed"
LIVE = (OPENING, OPEN)  # the room's topic exists or is being opened: the office's messages go there


def room_address(room: IncidentRoom) -> Address:
    """The room's thread: its id once open, the stand-in "-N" of the topic row N while opening, else the group."""
    if room.status == OPEN and room.thread is not None:
        return Address(room.channel, room.conv, room.thread)
    if room.status == OPENING and room.outbox_id is not None:
        return Address(room.channel, room.conv, f"-{room.outbox_id}")  # resolved when the topic row is sent
    return Address(room.channel, room.conv)


async def office_address(s: AsyncSession, incident_id: int | None) -> Address | None:
    """The office group's address for this incident (None when no office group is bound)."""
    office = await addresses.group(s, "office")
    if office is None or incident_id is None:
        return office
    room = await s.scalar(select(IncidentRoom).where(IncidentRoom.incident_id == incident_id))
    if room is None or room.status not in LIVE or (room.channel, room.conv) != (office.channel, office.conv):
        return office  # no room, or a room in a group that is no longer the office's
    return room_address(room)
