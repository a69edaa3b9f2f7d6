"""Routers, in the order they see an update."""

from __future__ import annotations

from aiogram import Router


def build_router() -> Router:
    from handlers import (
        disposal,
        due,
        incident,
        misc,
        onboarding,
        report_dialog,
        report_entry,
        report_review,
        timeline,
    )
    from handlers.errors import router as errors

    root = Router(name="root")
    # Routers are module-level singletons; a fresh root per dispatcher needs them detached first.
    for r in (errors, incident.router, disposal.router, misc.group_router, onboarding.router, misc.commands_router, due.router, timeline.router, report_entry.router,
              report_dialog.router, report_review.router, misc.router):
        if r.parent_router is not None:
            r._parent_router = None  # noqa: SLF001
        root.include_router(r)
    return root
