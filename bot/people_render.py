"""Text of `/people` and `onduty org status`: everyone with roles, unit and whether they can be reached, and
each bound group."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.domain.vocab import ROLES
from bot.i18n import t
from bot.services.binding import STATE_ICONS, ChatState, PersonState


def _state(state: str, since, lang: str, tz: ZoneInfo) -> str:  # noqa: ANN001
    if state == "not_linked":
        return t("reach.state.not_linked", lang)
    when = since.astimezone(tz).strftime("%Y-%m-%d %H:%M") if since else "—"
    return t(f"reach.state.{state}", lang, since=when)


def render_people(people: list[PersonState], chats: list[ChatState], lang: str, tz: ZoneInfo) -> str:
    sep = t("list.sep", lang)
    lines = [t("people.title", lang, n=len(people))]
    counts = {"reachable": 0, "unknown": 0, "unreachable": 0}
    for p in people:
        counts["unreachable" if p.state == "not_linked" else p.state] += 1
        lines.append(t("people.line", lang, icon=STATE_ICONS[p.state], name=p.name,
                       roles=sep.join(ROLES.label(r, lang) for r in p.roles),
                       unit=t("people.unit", lang, unit=p.unit) if p.unit else "",
                       state=_state(p.state, p.since, lang, tz)))
    lines.append(t("people.summary", lang, **counts))
    if chats:
        lines.append(t("people.chats", lang))
        for c in chats:
            lines.append(t("people.chat_line", lang, icon=STATE_ICONS.get(c.state, "⚪"), key=t(f"chat.key.{c.key}", lang),
                           title=c.title or "—", state=_state(c.state, c.since, lang, tz)))
    else:
        lines.append(t("people.no_chats", lang))
    return "\n".join(lines)
