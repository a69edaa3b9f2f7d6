"""The neutral button builders (bot/actions/) give the labels, the order and the callback data the Telegram
keyboards had; bot/telegram/render.py turns them into exactly the reply_markup dicts the outbox stored."""

from __future__ import annotations

from typing import Any

import pytest
from aiogram.filters.callback_data import CallbackData

from bot.actions import assess, duty, incident, release, review, tracking, unavail
from bot.channels.types import Button, Card, InputRequest, buttons_from_body, card_from_body
from bot.domain.disposal import checklist_for
from bot.i18n import LANGS, t
from bot.telegram.callbacks import (
    AssessCB,
    AssessStep,
    ChecklistCB,
    CloseAction,
    CloseCB,
    DutyAction,
    DutyCB,
    IncidentAction,
    IncidentCB,
    PatrolAction,
    PatrolCB,
    RelAction,
    RelV1,
    ReviewCB,
    TrackAction,
    TrackCB,
    UnavailAction,
    UnavailCB,
)
from bot.telegram.render import force_reply, inline_keyboard, reply_markup


def b(text: str, data: CallbackData) -> dict[str, str]:
    return {"text": text, "callback_data": data.pack()}


def kb(*rows: list[dict[str, str]]) -> dict[str, Any]:
    return {"inline_keyboard": list(rows)}


@pytest.mark.parametrize("lang", LANGS)
def test_duty_buttons(lang: str) -> None:
    assert reply_markup(duty.checkin_buttons(3, lang)) == kb([b(t("duty.btn.checkin", lang), DutyCB(action=DutyAction.CHECKIN, id=3))])
    assert reply_markup(duty.receipt_buttons(4, lang)) == kb([b(t("duty.btn.receipt", lang), DutyCB(action=DutyAction.RECEIPT, id=4))])
    assert reply_markup(duty.stop_buttons(5, lang)) == kb([b(t("duty.btn.stop", lang), DutyCB(action=DutyAction.STOP, id=5))])
    assert reply_markup(duty.offer_buttons([(6, "a"), (7, "b")], lang)) == kb(
        [b(t("duty.btn.offer", lang, span="a"), DutyCB(action=DutyAction.OFFER, id=6))],
        [b(t("duty.btn.offer", lang, span="b"), DutyCB(action=DutyAction.OFFER, id=7))])
    assert reply_markup(duty.accept_buttons(8, lang)) == kb(
        [b(t("duty.offer.btn.accept", lang), DutyCB(action=DutyAction.ACCEPT, id=8)),
         b(t("duty.offer.btn.decline", lang), DutyCB(action=DutyAction.DECLINE, id=8))])
    assert reply_markup(duty.take_buttons(9, lang)) == kb([b(t("duty.btn.take", lang), DutyCB(action=DutyAction.TAKE, id=9))])
    assert reply_markup(duty.approve_buttons(10, lang)) == kb(
        [b(t("duty.btn.approve", lang), DutyCB(action=DutyAction.APPROVE, id=10)),
         b(t("duty.btn.reject", lang), DutyCB(action=DutyAction.REJECT, id=10))])
    assert reply_markup(duty.patrol_buttons(11, lang)) == kb(
        [b(t("patrol.btn.done", lang), PatrolCB(action=PatrolAction.DONE, patrol=11))],
        [b(t("patrol.btn.report", lang), PatrolCB(action=PatrolAction.REPORT, patrol=11))])
    assert reply_markup(None, duty.handover_input(lang)) == {
        "force_reply": True, "input_field_placeholder": t("duty.handover.placeholder", lang)[:64]}


@pytest.mark.parametrize("lang", LANGS)
def test_release_tracking_unavailability_and_review_buttons(lang: str) -> None:
    assert reply_markup(release.submit_buttons(2, lang)) == kb(
        [b(t("release.btn.submit", lang), RelV1(action=RelAction.SUBMIT, draft=2))])
    assert reply_markup(release.decision_buttons(2, "review", lang)) == kb(
        [b(t("release.btn.approve", lang), RelV1(action=RelAction.APPROVE, draft=2, stage="review"))],
        [b(t("release.btn.reject", lang), RelV1(action=RelAction.REJECT, draft=2, stage="review")),
         b(t("release.btn.changes", lang), RelV1(action=RelAction.CHANGES, draft=2, stage="review"))])
    assert reply_markup(tracking.follow_buttons(3, lang)) == kb(
        [b(t("track.btn.follow", lang), TrackCB(action=TrackAction.FOLLOW, incident=3))])
    assert reply_markup(tracking.reopen_buttons(3, lang)) == kb(
        [b(t("track.btn.reopen", lang), TrackCB(action=TrackAction.REOPEN, incident=3))])
    assert reply_markup(tracking.warn_buttons(3, lang)) == kb(
        [b(t("close.btn.submit", lang), CloseCB(action=CloseAction.SUBMIT, ref=3)),
         b(t("close.btn.drop", lang), CloseCB(action=CloseAction.DROP, ref=3))])
    assert reply_markup(tracking.decide_buttons(4, lang)) == kb(
        [b(t("close.btn.confirm", lang), CloseCB(action=CloseAction.CONFIRM, ref=4)),
         b(t("close.btn.refuse", lang), CloseCB(action=CloseAction.REFUSE, ref=4))])
    assert reply_markup(unavail.delete_buttons([(5, "w1"), (6, "w2")], lang)) == kb(
        [b(t("unavail.btn.delete", lang, when="w1"), UnavailCB(action=UnavailAction.DELETE, id=5))],
        [b(t("unavail.btn.delete", lang, when="w2"), UnavailCB(action=UnavailAction.DELETE, id=6))])
    assert reply_markup(unavail.running_buttons(7, lang)) == kb(
        [b(t("unavail.btn.takeover", lang), UnavailCB(action=UnavailAction.TAKEOVER, id=7)),
         b(t("unavail.btn.keep", lang), UnavailCB(action=UnavailAction.KEEP, id=7))])
    assert review.review_button(8, lang) == Button(t("review.button", lang), ReviewCB(incident=8).pack())


@pytest.mark.parametrize("lang", LANGS)
def test_incident_card_buttons(lang: str) -> None:
    ack, take = (b(t("card.btn.ack", lang), IncidentCB(action=IncidentAction.ACK, incident=9)),
                 b(t("card.btn.take", lang), IncidentCB(action=IncidentAction.TAKE, incident=9)))
    assessing = [b(t("card.btn.assess", lang), AssessCB(incident=9, step=AssessStep.START)),  # 研判 (issue 22)
                 b(t("card.btn.task", lang), IncidentCB(action=IncidentAction.TASK, incident=9))]  # 交办 (issue 22)
    card = {"audience": "person", "lang": lang, "acknowledged": False, "upper_acked": False}
    assert reply_markup(incident.incident_buttons(9, **card)) == kb([ack, take], assessing)
    assert reply_markup(incident.incident_buttons(9, **{**card, "acknowledged": True})) == kb([take], assessing)
    steps = checklist_for("hype", "major", True)
    assert steps
    office = incident.incident_buttons(9, **{**card, "audience": "office"}, steps=steps, done={steps[0].code})
    assert reply_markup(office) == kb([ack, take], assessing, *[
        [b(("☑ " if i == 0 else "☐ ") + s.label(lang), ChecklistCB(incident=9, step=s.code))]
        for i, s in enumerate(steps)])
    assert incident.checklist_buttons(9, steps, {steps[0].code}, lang) == office[2:]
    upper = {**card, "audience": "upper_office"}
    assert reply_markup(incident.incident_buttons(9, **upper)) == kb(
        [b(t("card.btn.upper_ack", lang), IncidentCB(action=IncidentAction.UPPER, incident=9))])
    assert incident.incident_buttons(9, **{**upper, "upper_acked": True}) == []
    assert incident.incident_buttons(9, **{**upper, "closed": True}) == []
    assert reply_markup(incident.incident_buttons(9, **{**card, "closed": True})) == kb(
        [b(t("review.button", lang), ReviewCB(incident=9))])
    show = [b(t("card.btn.show", lang, number=f"YQ-{i}"), IncidentCB(action=IncidentAction.SHOW, incident=i))
            for i in (1, 2, 3)]
    assert reply_markup(incident.digest_buttons([(i, f"YQ-{i}") for i in (1, 2, 3)], lang)) == kb(show[:2], show[2:])


@pytest.mark.parametrize("lang", LANGS)
def test_assessment_flow_buttons_pack_as_aiogram_parses_them(lang: str) -> None:
    hype, full = ("恶意传播/炒作", "全面处置") if lang == "zh" else ("hype", "full disposal")
    nature = reply_markup(assess.nature_buttons(9, 0, lang))["inline_keyboard"]
    assert nature[1] == [b(hype, AssessCB(incident=9, step=AssessStep.NATURE, base="0", cat="hype"))]
    assert nature[-2] == [b(t("assess.btn.keep", lang), AssessCB(incident=9, step=AssessStep.NATURE, base="0",
                                                               cat=assess.KEEP))]
    assert nature[-1] == [b(t("assess.btn.cancel", lang), AssessCB(incident=9, step=AssessStep.CANCEL))]
    effect = reply_markup(assess.effect_buttons(9, "0", "hype", lang))["inline_keyboard"]
    assert effect[0][0] == b(t("assess.btn.large", lang),
                             AssessCB(incident=9, step=AssessStep.EFFECT, base="0", cat="hype", large="1"))
    decision = reply_markup(assess.decision_buttons(9, "0", "hype", "1", lang))["inline_keyboard"]
    assert decision[0][2] == b(full, AssessCB(incident=9, step=AssessStep.DECISION, base="0", cat="hype", large="1",
                                              decision="full"))
    for row in (*nature, *effect, *decision):
        for button in row:
            assert assess.AssessAct.parse(button["callback_data"]) is not None


def test_render() -> None:
    rows = [[Button("A", "incV1:ack:1"), Button("B", "incV1:take:1")]]
    assert reply_markup(rows) == kb([{"text": "A", "callback_data": "incV1:ack:1"},
                                     {"text": "B", "callback_data": "incV1:take:1"}])
    assert reply_markup([]) is None and reply_markup(None) is None and reply_markup(None, None) is None
    long = InputRequest("占位" * 40)
    assert reply_markup(None, long) == {"force_reply": True, "input_field_placeholder": long.placeholder[:64]}
    body = Card("x", rows, input=InputRequest("p")).body()
    assert buttons_from_body(body["buttons"]) == rows
    back = card_from_body(body)
    assert reply_markup(back.buttons) == reply_markup(rows)
    assert reply_markup(None, back.input) == {"force_reply": True, "input_field_placeholder": "p"}
    assert inline_keyboard([]) is None
    assert inline_keyboard(rows).model_dump(exclude_none=True) == reply_markup(rows)
    assert force_reply("p").model_dump(exclude_none=True) == {"force_reply": True, "input_field_placeholder": "p"}
