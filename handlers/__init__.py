"""Routers, in the order they see an update."""

from __future__ import annotations

from aiogram import Router


def build_router() -> Router:
    from handlers import (
        closure,
        disposal,
        due,
        duty,
        incident,
        misc,
        onboarding,
        release,
        report_dialog,
        report_entry,
        report_review,
        review,
        stats,
        timeline,
        tracking,
    )
    from handlers.errors import router as errors

    root = Router(name="root")
    # Card and checklist presses come first: they also come from groups and from people the gate would stop.
    order = (errors, incident.router, disposal.router, duty.router, review.router, stats.router, tracking.router,
             closure.router, misc.group_router, onboarding.router, misc.commands_router,
             due.router, release.router, timeline.router, report_entry.router, report_dialog.router,
             report_review.router, misc.router)
    # Routers are module-level singletons; a fresh root per dispatcher needs them detached first.
    for r in order:
        if r.parent_router is not None:
            r._parent_router = None  # noqa: SLF001
        root.include_router(r)
    return root
