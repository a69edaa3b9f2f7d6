"""The org file (docs/names.md): schema and validation, independent of the database."""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from bot.domain.policy import Policy
from bot.domain.unavailability import UnavailError, Window, parse_file_window
from bot.domain.vocab import CONTACT_KINDS, ROLES
from bot.domain.workcal import WorkHours, known_zone


class OrgFileError(ValueError):
    """The file does not parse or does not validate; message is one line for the CLI."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class OrganizationIn(_Strict):
    name: str = Field(min_length=1, max_length=200)
    timezone: str = "Asia/Shanghai"
    work_hours: str = "08:30-17:30"
    language: str = "zh"

    @field_validator("timezone")
    @classmethod
    def _zone(cls, v: str) -> str:
        return known_zone(v)

    @field_validator("work_hours")
    @classmethod
    def _hours(cls, v: str) -> str:
        WorkHours.parse(v)
        return v

    @field_validator("language")
    @classmethod
    def _lang(cls, v: str) -> str:
        if v not in ("zh", "en"):
            raise ValueError("language must be zh or en")
        return v


class UnitIn(_Strict):
    """A unit: `- 教务处` or `{name: 教务处, aliases: [教务], head: 张主任}` — aliases are other names a report may
    use for it (bot.domain.name_match); head names the person (under people:) who answers for it."""

    name: str = Field(min_length=1, max_length=200)
    aliases: list[str] = Field(default_factory=list)
    head: str | None = Field(default=None, min_length=1, max_length=200)

    @field_validator("aliases")
    @classmethod
    def _aliases(cls, v: list[str]) -> list[str]:
        out = []
        for a in v:
            a = str(a).strip()
            if not a or len(a) > 200:
                raise ValueError("an alias must be 1 to 200 characters")
            if a not in out:
                out.append(a)
        return out


class UnavailableIn(_Strict):
    """A window the person cannot stand duty: `{from: "2026-11-25 08:00", to: "2026-11-25 20:00", reason: …}`;
    a date alone is the whole day. Checked against the organisation's zone in parse_org_file."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    from_: Any = Field(alias="from")
    to: Any
    reason: str = Field(default="", max_length=200)


class PersonIn(_Strict):
    telegram_id: int | None = Field(default=None, gt=0)  # None: linked later by a personal link
    name: str = Field(min_length=1, max_length=200)
    phone: str | None = Field(default=None, max_length=32)
    roles: list[str] = Field(default_factory=lambda: ["monitor"])
    unit: str | None = None
    language: str | None = None
    unavailable: list[UnavailableIn] = Field(default_factory=list)

    @field_validator("roles")
    @classmethod
    def _roles(cls, v: list[str]) -> list[str]:
        out = []
        for r in v:
            slug = ROLES.parse(r)
            if slug is None:
                raise ValueError(f"unknown role {r!r}; valid: {', '.join(ROLES.slugs)}")
            out.append(slug)
        return sorted(set(out), key=ROLES.slugs.index)


class ContactIn(_Strict):
    name: str = Field(min_length=1, max_length=200)
    kind: str
    telegram_id: int | None = Field(default=None, gt=0)  # None: linked later by a personal link

    @field_validator("kind")
    @classmethod
    def _kind(cls, v: str) -> str:
        if v not in CONTACT_KINDS:
            raise ValueError(f"kind must be one of {', '.join(CONTACT_KINDS)}")
        return v


class OrgFile(_Strict):
    organization: OrganizationIn
    units: list[UnitIn] = Field(default_factory=list)
    people: list[PersonIn] = Field(default_factory=list)
    chats: dict[str, int] = Field(default_factory=dict)
    contacts: list[ContactIn] = Field(default_factory=list)
    policy: dict[str, Any] = Field(default_factory=dict)

    @field_validator("units", mode="before")
    @classmethod
    def _unit_strings(cls, v: Any) -> Any:
        return [{"name": u} if isinstance(u, str) else u for u in (v or [])]

    @field_validator("chats")
    @classmethod
    def _chats(cls, v: dict[str, int]) -> dict[str, int]:
        unknown = set(v) - {"office", "upper_office"}
        if unknown:
            raise ValueError(f"unknown chat keys {sorted(unknown)}; valid: office, upper_office")
        return v

    @field_validator("policy")
    @classmethod
    def _policy(cls, v: dict[str, Any]) -> dict[str, Any]:
        v = _plain(v)  # YAML reads 2026-01-01 as a date; the policy is stored as JSON
        Policy.from_mapping(v)  # raises ValueError naming the bad key
        return v


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _plain(x) for k, x in value.items()}
    if isinstance(value, list):
        return [_plain(x) for x in value]
    return value.isoformat() if isinstance(value, date) else value


def parse_org_file(text: str) -> OrgFile:
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise OrgFileError(f"not valid YAML: {str(e).splitlines()[0]}") from e
    if not isinstance(raw, dict):
        raise OrgFileError("the org file must be a mapping with an `organization:` section")
    try:
        org = OrgFile.model_validate(raw)
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        loc = first["loc"]
        if len(loc) > 2 and loc[0] == "people" and isinstance(loc[1], int):  # name the person, not an index
            who = (raw.get("people") or [])[loc[1]]
            if isinstance(who, dict) and who.get("name"):
                where = f"people: {who['name']}: " + ".".join(str(p) for p in loc[2:])
        raise OrgFileError(f"{where}: {first['msg']}") from e
    units = {u.name for u in org.units}
    if len(units) != len(org.units):
        twice = sorted({u.name for u in org.units if [x.name for x in org.units].count(u.name) > 1})
        raise OrgFileError(f"units: {twice[0]} appears twice")
    people = [p.name for p in org.people]
    for u in org.units:
        if u.head is not None and u.head not in people:
            raise OrgFileError(f"units: {u.name} names head {u.head!r}, who is not under people:")
        if u.head is not None and people.count(u.head) > 1:
            raise OrgFileError(f"units: {u.name} names head {u.head!r}, and {people.count(u.head)} people under "
                               "people: have that name; give them distinct names")
    for p in org.people:
        if p.unit and p.unit not in units:
            raise OrgFileError(f"people: {p.name} names unit {p.unit!r}, which is not under units:")
    ids = [p.telegram_id for p in org.people if p.telegram_id is not None]
    if len(ids) != len(set(ids)):
        raise OrgFileError("people: a telegram_id appears twice")
    names = [p.name for p in org.people if p.telegram_id is None]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:  # without a telegram_id the name is what finds the person again on the next import
        raise OrgFileError(f"people: {twice[0]} appears twice without a telegram_id; give each a telegram_id "
                           "or a distinct name")
    for p in org.people:
        windows(org, p)  # raises naming the person
    return org


def windows(org: OrgFile, person: PersonIn) -> list[Window]:
    """The person's `unavailable:` windows in the organisation's zone; OrgFileError naming the person."""
    tz = ZoneInfo(org.organization.timezone)
    out = []
    for i, u in enumerate(person.unavailable):
        try:
            w = parse_file_window(u.from_, u.to, tz=tz)
        except UnavailError as e:
            raise OrgFileError(f"people: {person.name}: unavailable[{i}]: {e.text('en')}") from e
        out.append(Window(w.start, w.end, u.reason.strip()))
    return out
