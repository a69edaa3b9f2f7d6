"""The incident card: one message per recipient, edited in place as the incident changes. The office's card
carries the disposal checklist too (one message per incident in the office group, whose limit is 20 a
minute): its steps are buttons of the card, ticked as they are recorded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Any

from bot.actions.incident import digest_buttons, incident_buttons
from bot.channels.types import Buttons
from bot.domain import report as rf
from bot.domain.disposal import checklist_for, render_checklist
from bot.domain.grading import GradeResult, render_rules
from bot.i18n import t
from bot.render import fmt_time
from bot.textsplit import LIMIT

UPWARD_FIELDS = ("discovered", "time", "place", "unit", "process", "result", "sentiment", "platform", "link", "reposts",
                 "comments", "views", "media", "cross_region", "category")


@dataclass(frozen=True)
class CardView:
    number: str
    grade: GradeResult | None
    values: dict[str, Any]  # the first report's fields, parsed
    status: str
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    in_charge: str | None
    upper_acked_at: datetime | None
    escalation_step: int
    reports: int
    tracker: str | None = None
    followups: int = 0
    closed_at: datetime | None = None
    closed_by: str | None = None
    category: str | None = None
    done_steps: frozenset[str] = frozenset()
    incident_id: int = 0
    reporter: str | None = None
    reporter_unit: str | None = None
    next_due: tuple[str, datetime] | None = None  # the running clock due first: (name, due at)
    updated_at: datetime | None = None  # when the latest follow-up's counts shown were observed
    unit: str | None = None  # the org unit involved (涉及单位 matched, chosen or set): its handlers get a card
    negative: bool = False  # bot/domain/disposal.is_negative of the incident as it stands (card_view sets it)

    @property
    def checklist(self) -> list:
        return checklist_for(self.category, self.grade.grade if self.grade else None, self.negative)


def card_text(v: CardView, *, audience: str, lang: str, tz: tzinfo) -> str:
    title = "card.upward_title" if audience == "upper_office" else "card.title"
    lines = [t(title, lang, number=v.number)]
    if v.grade is not None:
        lines.append(render_rules(v.grade, lang))
    if v.reporter:
        lines.append(t("card.reporter_unit" if v.reporter_unit else "card.reporter", lang, name=v.reporter,
                       unit=v.reporter_unit or ""))
    if v.unit and audience != "upper_office":  # the upper office reads the unit involved as reported
        lines.append(t("card.unit", lang, unit=v.unit))
    lines.append("")
    shown = {k: v.values[k] for k in UPWARD_FIELDS if k in v.values}
    lines += rf.summary_lines(shown, lang, tz)
    if v.updated_at:
        lines.append(t("card.updated", lang, at=fmt_time(v.updated_at, tz)))
    lines.append("")
    if v.acknowledged_at:
        lines.append(t("card.acknowledged", lang, name=v.acknowledged_by or "?", at=fmt_time(v.acknowledged_at, tz)))
    else:
        lines.append(t("card.waiting", lang))
    if v.in_charge:
        lines.append(t("card.in_charge", lang, name=v.in_charge))
    if v.upper_acked_at:
        lines.append(t("card.upper_acked", lang, at=fmt_time(v.upper_acked_at, tz)))
    if v.reports > 1:
        lines.append(t("card.reports", lang, count=v.reports))
    if v.tracker:
        lines.append(t("card.tracker", lang, name=v.tracker))
    if v.followups:
        lines.append(t("card.followups", lang, count=v.followups))
    if v.next_due is not None:  # an absolute time: a countdown would need an edit a minute
        lines.append(t("card.next_due", lang, name=t(f"clock.name.{v.next_due[0]}", lang),
                       at=fmt_time(v.next_due[1], tz)))
    if v.status == "closed":
        lines.append(t("card.closed", lang, name=v.closed_by or "?",
                       at=fmt_time(v.closed_at, tz) if v.closed_at else "-"))
    if audience == "office" and v.checklist:
        lines += ["", render_checklist(v.category, v.grade.grade if v.grade else None, v.negative, lang, v.done_steps)]
    text = "\n".join(lines)
    return text if len(text) <= LIMIT else text[: LIMIT - 1] + "…"


def card_markup(incident_id: int, *, audience: str, lang: str, acknowledged: bool,
                upper_acked: bool, closed: bool = False, view: CardView | None = None,
                handler_take: bool = False) -> Buttons:
    """The card's buttons (bot/actions/incident.py); the office's card (given the `view`) has a button per
    checklist step under the card's own."""
    return incident_buttons(incident_id, audience=audience, lang=lang, acknowledged=acknowledged,
                            upper_acked=upper_acked, closed=closed, steps=view.checklist if view is not None else (),
                            done=view.done_steps if view is not None else frozenset(), handler_take=handler_take)


def digest_text(entries: list, lang: str) -> str:
    """A group's digest of incidents whose cards waited (bot/services/card_digest.DigestEntry)."""
    from bot.domain.vocab import GRADES

    lines = [t("digest.header", lang, count=len(entries))]
    for e in entries:
        grade = GRADES.label(e.grade, lang) if e.grade else t("digest.ungraded", lang)
        lines.append(t("digest.line", lang, number=e.number, grade=grade, where=e.where or "-"))
    text = "\n".join(lines)
    return text if len(text) <= LIMIT else text[: LIMIT - 1] + "…"


def digest_markup(entries: list, lang: str) -> Buttons:
    """A button per incident, two to a row: its full card, posted in the chat on a press."""
    return digest_buttons([(e.incident_id, e.number) for e in entries], lang)
