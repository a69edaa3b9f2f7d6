"""`onduty export --format json`: incidents with everything recorded about them, for audit and tests. Each
timeline entry keeps its structured fields (as hashed) and carries its sentence in zh and en beside them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from bot.services.assessment import list_assessments
from bot.services.audit import names, timeline_json
from bot.services.clocks import list_clocks
from bot.services.closure import closure_json
from bot.services.interviews import breaches_json, interviews_json
from bot.services.org import export_org, unit_names
from bot.services.releases import approvals_json, releases_json
from bot.services.tasks import export_rows as tasks_json
from bot.services.tracking import followups_json
from models import Evidence, Incident, Person, Report


def _iso(dt) -> str | None:  # noqa: ANN001
    return dt.isoformat() if dt else None


async def export_json(s: AsyncSession, *, number: str | None = None, now: datetime | None = None) -> dict[str, Any]:
    now = now or datetime.now(UTC)
    org = await export_org(s)
    q = select(Incident).order_by(Incident.year, Incident.seq)
    if number:
        q = q.where(Incident.number == number)
    incidents = (await s.scalars(q)).all()
    people = {p.id: p for p in (await s.scalars(select(Person))).all()}
    units = await unit_names(s)
    lookup = await names(s)  # once: each timeline entry gets a sentence with names beside its fields
    out = []
    for inc in incidents:
        reports = (await s.scalars(select(Report).where(Report.incident_id == inc.id).order_by(Report.id))).all()
        evidence = (await s.scalars(select(Evidence).where(Evidence.incident_id == inc.id).order_by(Evidence.id))).all()
        out.append({
            "number": inc.number,
            "grade": inc.grade,
            "grade_rules": list(inc.grade_rules or []),
            "status": inc.status,
            "category": inc.category,
            "discovered_at": _iso(inc.discovered_at),
            "created_at": _iso(inc.created_at),
            "unit": units.get(inc.unit_id) if inc.unit_id else None,  # the org unit involved (涉及单位)
            "in_charge": people[inc.in_charge_id].name if inc.in_charge_id in people else None,
            "reports": [{
                "id": r.id, "source": r.source, "created_at": _iso(r.created_at),
                "reporter": {"telegram_id": people[r.reporter_id].telegram_id, "name": people[r.reporter_id].name},
                "fields": r.fields,
            } for r in reports],
            "evidence": [{
                "report_id": e.report_id, "followup_id": e.followup_id, "kind": e.kind, "file_id": e.file_id, "file_unique_id": e.file_unique_id,
                "sha256": e.sha256, "size": e.size, "mime_type": e.mime_type, "file_name": e.file_name,
                "text": e.text, "origin": e.origin, "url": e.url, "captured_at": _iso(e.captured_at),
                "captured_by": e.captured_by,
            } for e in evidence],
            "clocks": [c.to_json() for c in await list_clocks(s, inc.id, now)],
            "approvals": await approvals_json(s, inc.id), "releases": await releases_json(s, inc.id), "duty": {},
            "followups": await followups_json(s, inc.id), "closure": await closure_json(s, inc),
            "assessments": [a.to_json() for a in await list_assessments(s, inc.id)],
            "tasks": await tasks_json(s, inc.id),
            "interviews": await interviews_json(s, inc.id), "breaches": await breaches_json(s, inc.id),
            "timeline": await timeline_json(s, inc.id, lookup=lookup),
        })
    return {"organization": org.get("organization", {}), "incidents": out}
