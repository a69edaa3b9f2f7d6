"""`onduty org status` and `onduty org links [--out DIR]`, and what `onduty org import` says at its end: who
can be reached, and the personal links (with a QR code each) for those who have no account linked yet."""

from __future__ import annotations

import asyncio
import logging
import re
from pathlib import Path
from typing import Any

from bot.errors import CliError
from bot.i18n import t

log = logging.getLogger(__name__)


def add_parsers(org: Any) -> None:
    org.add_parser("status", help="everyone's roles, unit and whether they can be reached; each bound chat")
    links = org.add_parser("links", help="each unlinked person's one-time personal link (and a QR code PNG per person)")
    links.add_argument("--out", type=Path, help="a folder for the QR code PNGs")


async def _org_and_people(s: Any, default_tz: str) -> tuple[Any, Any]:
    from bot.services.binding import people_states
    from bot.services.org import load_org

    return await load_org(s, default_tz), await people_states(s)


def status_text(org: Any, people: list, chats: list) -> str:
    from bot.people_render import render_people

    return render_people(people, chats, org.language, org.tz)


def status(settings: Any, with_session: Any) -> None:
    org, (people, chats) = asyncio.run(with_session(settings, lambda s: _org_and_people(s, settings.timezone)))
    if not org.name:
        raise CliError("no organisation yet: run `onduty org import FILE.yaml` first")
    print(status_text(org, people, chats))


def not_reachable_lines(org: Any, people: list) -> list[str]:
    """What `onduty org import` ends with."""
    from bot.services.binding import UNREACHED

    lang = org.language
    waiting = [p for p in people if p.state in UNREACHED]
    if not waiting:
        return [t("orgstatus.all_reachable", lang)]
    lines = [t("orgstatus.not_reachable_yet", lang)]
    for p in waiting:
        lines.append(t("orgstatus.line", lang, name=p.name,
                       state=t("reach.state.not_linked" if p.state == "not_linked" else "orgstatus.refused", lang)))
    return lines


def _username(settings: Any, cached: str | None) -> str | None:
    """The bot's username: from Telegram when a token is set (getMe), else the one `onduty run` cached."""
    if settings.bot_token:
        from bot.telegram.username import fetch_username

        try:
            return asyncio.run(fetch_username(settings.bot_token, settings.telegram_api_url)) or cached
        except Exception:  # no network, a wrong token: the cached name, or /start lines
            log.info("getMe failed; using the cached bot username", exc_info=True)
    return cached


async def _links(s: Any, default_tz: str) -> tuple[Any, list, str | None]:
    from datetime import UTC, datetime

    from bot.services.onboarding import live_links
    from bot.services.org import ORG_ID, load_org
    from models import Organization

    org = await load_org(s, default_tz)
    row = await s.get(Organization, ORG_ID)
    rows = await live_links(s, now=datetime.now(UTC), ttl_days=org.policy.onboarding.link_ttl_days)
    return org, rows, row.bot_username if row else None


def links(settings: Any, with_session: Any, out: Path | None) -> None:
    from bot.domain.vocab import ROLES

    org, rows, cached = asyncio.run(with_session(settings, lambda s: _links(s, settings.timezone)))
    if not org.name:
        raise CliError("no organisation yet: run `onduty org import FILE.yaml` first")
    lang = org.language
    if not rows:
        print(t("links.none", lang))
        return
    username = _username(settings, cached)
    if out is not None:
        try:
            out.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise CliError(f"cannot write to {out}: {e.strerror}") from e
    print(t("links.title", lang, days=org.policy.onboarding.link_ttl_days))
    if username is None:
        print(t("links.no_username", lang))
    sep = t("list.sep", lang)
    files: set[str] = set()
    for r in rows:
        link = f"https://t.me/{username}?start={r.token}" if username else f"/start {r.token}"
        roles = t("links.contact", lang) if r.kind == "contact" else sep.join(ROLES.label(x, lang) for x in r.roles)
        print(t("links.line", lang, name=r.name, roles=roles, unit=f" · {r.unit}" if r.unit else "", link=link,
                expires=r.expires_at.astimezone(org.tz).strftime("%Y-%m-%d %H:%M")))
        if out is not None:
            name, n = _file_name(r.name), 1
            while name in files:  # two people whose names make the same file name
                n += 1
                name = f"{_file_name(r.name)}_{n}"
            files.add(name)
            _qr(link, out / f"{name}.png")
    if out is not None:
        print(t("links.qr", lang, dir=out))


def _file_name(name: str) -> str:
    return re.sub(r"[\\/:*?\"<>|\s]+", "_", name).strip("._") or "person"


def _qr(link: str, path: Path) -> None:
    import qrcode

    try:
        qrcode.make(link).save(path)
    except OSError as e:
        raise CliError(f"cannot write {path}: {e.strerror}") from e
