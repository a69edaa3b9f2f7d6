"""What a press carries in, and what comes out of it, for any channel."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.channels.types import Address, Card, MessageRef
from bot.i18n import t
from bot.services.dto import PersonDTO

NOTICE_MAX = 200  # Telegram's answerCallbackQuery text limit, the smallest of the channels


@dataclass(frozen=True)
class Press:
    """A button pressed: its action string, the person (None: no account) and where the card was."""

    action: str
    actor: PersonDTO | None
    actor_ref: str          # the presser on their channel: "telegram:<user id>"
    actor_name: str         # as the channel names them, for the timeline
    where: Address          # the conversation the pressed message is in
    ref: MessageRef | None  # the pressed message, when the channel tells it
    lang: str

    @property
    def actor_id(self) -> int:
        """The presser's numeric id on their channel, as the timeline stores an actor (0 when not a number)."""
        tail = self.actor_ref.rpartition(":")[2]
        return int(tail) if tail.lstrip("-").isdigit() else 0

    @property
    def chat_id(self) -> int:
        """The conversation as the services take it today (Telegram's chat id, a number)."""
        return int(self.where.conv)

    @property
    def message_id(self) -> int | None:
        return int(self.ref.ref) if self.ref is not None and self.ref.ref.isdigit() else None


@dataclass(frozen=True)
class Outcome:
    """What a press came to. `notice`: the short text shown to the presser (already translated, ≤ 200 chars;
    "" for none), as an alert when `alert`. Then, on the pressed message, `edit` (its new content) or
    `clear_buttons`; then `reply`, a new message in the same conversation. `then` names a dialog step the
    channel opens after it (ask a reason, send the review document …) with what it needs in `info`; the
    server-side checks for it are done."""

    notice: str
    alert: bool = False
    edit: Card | None = None
    clear_buttons: bool = False
    reply: Card | None = None
    then: str | None = None
    info: dict[str, Any] = field(default_factory=dict)
    ok: bool = True


def stale(lang: str) -> Outcome:
    """An action of a known family that does not parse: nothing changes (a catch-all's answer)."""
    return Outcome(t("press.stale", lang), ok=False)
