"""Routers, in the order they see an update."""

from __future__ import annotations

from aiogram import Router


def build_router() -> Router:
    from bot.telegram.press_guard import PressGuard
    from handlers import (
        assess,
        closure,
        disposal,
        due,
        duty,
        duty_offers,
        groups,
        incident,
        interviews,
        linking,
        misc,
        onboarding,
        release,
        report_dialog,
        report_entry,
        report_review,
        review,
        room,
        stale,
        stats,
        task_prompt,
        tasks,
        timeline,
        tracking,
        units,
        working_group,
    )
    from handlers.errors import router as errors

    root = Router(name="root")
    # The group gate sees every message first: in a group it answers or swallows what is not for the routers
    # below (plain chatter, personal commands, commands someone may not use there) and lets the rest through;
    # it also takes the private `/start report` the groups' button sends, before any other /start TOKEN.
    # Next, the personal link and group binding (/start TOKEN, my_chat_member, /bind, /unbind, /people, a group
    # upgraded), before onboarding's /start TOKEN (invites).
    # Card and checklist presses come first after those: they also come from groups and from people the
    # onboarding gate would stop. groups.tail, last, swallows any group message nobody took.
    order = (errors, groups.router, linking.router,
             incident.router, assess.router, units.router, disposal.router, duty_offers.router, duty.router,
             review.router, stats.router, tracking.router, tasks.router, interviews.router, working_group.router,
             room.router,
             closure.router, onboarding.router, misc.commands_router,
             due.router, release.router, timeline.router, report_entry.router, report_dialog.router,
             report_review.router, assess.reason_router, task_prompt.router, working_group.prompt_router, misc.router, groups.tail, stale.router)
    # A press is bound to its card (bot/telegram/press_guard.py): checked once, before every callback router;
    # what no router takes is answered by stale, last.
    root.callback_query.outer_middleware(PressGuard())
    # Routers are module-level singletons; a fresh root per dispatcher needs them detached first.
    for r in order:
        if r.parent_router is not None:
            r._parent_router = None  # noqa: SLF001
        root.include_router(r)
    return root
