"""`onduty demo`: play a script against the real bot and a local fake Telegram; print the transcript."""

from __future__ import annotations

import asyncio
import json
import struct
import sys
import tempfile
import zlib
from collections.abc import Callable
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path

from bot.clock import VirtualClock
from bot.db import create_engine, session_factory
from bot.demo import telegramsteps
from bot.demo.harness import BotProcess, local_settings
from bot.demo.script import ScriptError, Step, parse_duration, parse_script
from bot.demo.transcript import (
    render_call,
    render_event,
    render_refusal,
    render_user,
)
from bot.errors import CliError
from bot.fakeapi import FakeBotAPI

DEFAULT_START = datetime.fromisoformat("2026-11-24T10:00:00+08:00")


class ExpectationFailed(AssertionError):
    pass


# Steps played by bot/demo/telegramsteps.py (private chats, blocking, groups, migration, the CLI, links).
Cli = Callable[[list[str]], int]  # bot.cli.main

TELEGRAM_STEPS = ("strict", "group-limits", "unopened", "block", "unblock", "menu", "group", "group-reply", "add-bot", "remove-bot",
                  "admin", "migrate", "cli", "open-link", "forum", "delete-topic")


def tiny_png(seed: int) -> bytes:
    """A valid 1x1 PNG whose colour depends on `seed`, so each demo photo has its own hash."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    raw = b"\x00" + bytes([seed % 256, (seed * 7) % 256, (seed * 13) % 256])
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


class DemoPlayer:
    def __init__(self, script_dir: Path, out=sys.stdout, cli: Cli | None = None):  # noqa: ANN001
        self.script_dir = script_dir
        self.cli = cli  # `onduty`'s main, for `cli` steps: given by the caller, so the demo does not import the CLI
        self.out = out
        self.workdir = Path(tempfile.mkdtemp(prefix="onduty-demo-"))
        self.clock = VirtualClock(DEFAULT_START)
        self.api = FakeBotAPI()
        self.proc: BotProcess | None = None
        self.names: dict[int, str] = {}
        self.langs: dict[int, str] = {}
        self.user: int | None = None
        self.seen = 0
        self.last_replies: list[str] = []
        self.files = 0
        self.tz = DEFAULT_START.tzinfo
        self.last_cli: str | None = None  # output of the latest `cli` step (`open-link` reads links from it)

    def say(self, text: str) -> None:
        print(text, file=self.out, flush=True)

    async def __aenter__(self) -> DemoPlayer:
        url = await self.api.start()
        self.settings = local_settings(self.workdir, url)
        self.proc = BotProcess(self.settings, self.clock)
        await self.proc.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        if self.proc:
            await self.proc.stop()
        await self.api.stop()

    def _flush_calls(self) -> None:
        self.last_replies = []
        calls = self.api.calls[self.seen:]
        self.seen = len(self.api.calls)
        for c in calls:
            if not c.ok and not c.fault and (refusal := self._refusal(c)):
                self.last_replies.append(refusal)
                self.say(refusal)
                continue
            if not c.ok and c.method in ("sendMessage", "editMessageText", "createForumTopic", "closeForumTopic"):
                who = self.names.get(c.chat_id, str(c.chat_id))
                line = f"🤖 ✗ {c.method} → {who} refused by Telegram: {c.error_code} {c.description}"
                self.say(line)
                continue
            line = render_call(c.method, c.params, self.names)
            if line:
                self.last_replies.append(line)
                self.say(line)

    def _refusal(self, c) -> str | None:  # noqa: ANN001
        chat = c.chat_id if c.chat_id is not None else (c.params.get("scope") or {}).get("chat_id")  # setMyCommands
        who = self._chat_name(chat) if isinstance(chat, int) else str(chat)
        new = self.api.migrated_to(c.chat_id)
        return render_refusal(c.method, c.description, c.params, who, str(new) if new is not None else None)

    async def _push(self, update_id: int) -> None:
        await self.api.wait_confirmed(update_id, timeout=30)

    async def _push_event(self, update_id: int) -> None:
        """An update the bot may not have asked for (my_chat_member): Telegram then does not deliver it."""
        try:
            await self.api.wait_confirmed(update_id, timeout=30)
        except RuntimeError:
            if update_id not in self.api.dropped_updates:
                raise
            self.say(render_event("dropped"))

    def _name(self, user: int) -> str:
        return f"{self.names.get(user, 'user')} ({user})"

    def _chat_name(self, chat: int) -> str:
        if chat > 0:
            return self._name(chat)
        return f"{self.names[chat]} ({chat})" if chat in self.names else f"group {chat}"

    async def step(self, st: Step) -> None:
        if st.verb in ("say", "user", "group", "group-reply"):
            self.user = st.user
        if st.verb == "user":
            return
        if st.verb in TELEGRAM_STEPS:
            await getattr(telegramsteps, st.verb.replace("-", "_"))(self, st)
            if st.verb in ("strict", "group-limits", "unopened", "admin", "menu", "cli"):
                return
        user = self.user
        if st.verb in ("say", "photo", "video", "voice", "document", "forward", "press", "reply", "forge"):
            if user is None:
                raise ScriptError(f"line {st.line}: no user yet — start with `as USER_ID: ...`")
            self.say("")
            self.say(render_user(st.verb, self._name(user), st.arg))
        lang = self.langs.get(user or 0, "zh-hans")
        first = self.names.get(user or 0, "User")
        if st.verb == "say":
            await self._push(self.api.user_message(user, st.arg, language_code=lang, first_name=first))
        elif st.verb == "open-invite":
            token = self._last_invite(user)
            newcomer = int(st.arg)
            self.user = newcomer
            self.names.setdefault(newcomer, f"新人{newcomer}")
            self.say("")
            self.say(render_user("say", self._name(newcomer), f"/start {token}"))
            await self._push(self.api.user_message(newcomer, f"/start {token}", language_code="zh-hans",
                                                   first_name=f"新人{newcomer}"))
        elif st.verb == "reply":
            last = self.api.last_message(user)
            await self._push(self.api.user_message(user, st.arg, reply_to_message=last, language_code=lang,
                                                   first_name=first))
        elif st.verb in ("photo", "document"):
            self.files += 1
            kind = st.verb
            name = st.arg if kind == "document" else None
            f = self.api.add_file(tiny_png(self.files) if kind == "photo" else f"evidence {st.arg}".encode(),
                                  kind=kind, file_name=name)
            kw = {"photo": f} if kind == "photo" else {"document": f}
            await self._push(self.api.user_message(user, None, caption=st.arg if kind == "photo" else None,
                                                   language_code=lang, first_name=first, **kw))
        elif st.verb in ("video", "voice"):
            self.files += 1
            f = self.api.add_file(f"{st.verb} {self.files} {st.arg}".encode(), kind=st.verb,
                                  mime_type="video/mp4" if st.verb == "video" else "audio/ogg")
            await self._push(self.api.user_message(user, None, caption=st.arg or None, media={st.verb: f},
                                                   language_code=lang, first_name=first))
        elif st.verb == "forward":
            origin, _, text = st.arg.partition(":")
            fo = {"type": "hidden_user", "sender_user_name": origin.strip(), "date": int(self.clock.now().timestamp())}
            await self._push(self.api.user_message(user, text.strip(), forward_origin=fo, language_code=lang,
                                                   first_name=first))
        elif st.verb == "press":
            label, _, chat = (part.strip() for part in st.arg.partition("@"))
            msg = self._last_keyboard(int(chat) if chat else user, label)
            await self._push(self.api.press(user, msg, label, language_code=lang,
                                            **({"chat_id": int(chat)} if chat else {})))
        elif st.verb == "forge":
            await self._push(self._forge(user, st.arg, lang))
        elif st.verb == "expect":
            blob = "\n".join(self.last_replies)
            if st.arg not in blob:
                raise ExpectationFailed(f"line {st.line}: expected the bot to say {st.arg!r}")
            self.say(f"   ✓ expect {st.arg}")
            return
        elif st.verb == "advance":
            await self._advance(parse_duration(st.arg), st.arg)
            return
        elif st.verb == "clock":
            self.clock.set(datetime.fromisoformat(st.arg))
            self.say(f"⏱ clock set to {st.arg}")
            return
        elif st.verb == "lang":
            uid, _, code = st.arg.partition(" ")
            self.langs[int(uid)] = code.strip() or "en"
            return
        elif st.verb == "org":
            await self._import_org(st.arg)
            return
        elif st.verb == "restart":
            self.say("\n🔄 restart: the bot process is stopped and a new one started on the same database")
            await self.proc.stop()
            await self.proc.start()
            return
        elif st.verb == "export":
            await self._export()
            return
        elif st.verb in ("due", "fault", "outbox", "audit", "tamper"):
            await getattr(self, f"_{st.verb}")(st.arg)
            return
        elif st.verb in ("review", "stats"):
            from bot.demo import reviewsteps

            await getattr(reviewsteps, st.verb)(self, st.arg)
            return
        elif st.verb == "edits":
            from bot.demo import cardsteps

            await cardsteps.edits(self, st.arg)
            return
        elif st.verb in ("health", "metrics"):
            from bot.demo import opssteps

            await getattr(opssteps, st.verb)(self, st.arg)
            return
        await self.proc.tick()
        self._flush_calls()

    async def _advance(self, delta, label: str) -> None:  # noqa: ANN001
        """Move the virtual clock in steps of at most a minute, letting the timers fire on the way."""
        self.say(f"\n⏩ advance {label}")
        heard: list[str] = []
        end = self.clock.now() + delta
        step = min(delta, timedelta(minutes=1 if delta <= timedelta(days=3) else 10))
        while self.clock.now() < end:
            self.clock.set(min(end, self.clock.now() + step, await self._outbox_retry_at() or end))
            if await self.proc.tick():
                self.say(f"   🕒 {self.clock.now().astimezone(self.tz):%Y-%m-%d %H:%M}")
                self._flush_calls()
                heard += self.last_replies
        # Rows a retry_after window still holds (Telegram's windows run in real time, the fake counts them) are
        # due seconds after the end: let them out, so that an advance leaves nothing that was due waiting.
        for _ in range(20):
            due = await self._outbox_retry_at()
            if due is None or due - self.clock.now() > timedelta(seconds=10):
                break
            await asyncio.sleep(0.5)
            self.clock.set(due)
            if await self.proc.tick():
                self._flush_calls()
                heard += self.last_replies
        self.last_replies = heard  # `expect` after an advance looks at everything said during it
        self.say(f"   → {self.clock.now().astimezone(self.tz):%Y-%m-%d %H:%M}")

    async def _outbox_retry_at(self):  # noqa: ANN202
        """When the outbox's next waiting row is due, if later than now: the sender wakes then (a retry after
        Telegram's retry_after, a back-off), not at the next whole step."""
        from bot.services.outbox import next_due

        async with self.proc.sessions() as s:
            due = await next_due(s)
        return due if due is not None and due > self.clock.now() else None

    def _last_invite(self, user: int) -> str:
        import re

        for msg in reversed(self.api.chat_messages(user)):
            m = re.search(r"\?start=([\w-]+)", msg.get("text") or "")
            if m:
                return m.group(1)
        raise ScriptError(f"no invite link in the chat with {user}")

    def _forge(self, user: int, arg: str, lang: str | None) -> int:
        """`forge LABEL of TEXT [@ CHAT]`: the press a tampered client sends — Telegram attaches the card it was
        pressed on (as its server stores it) while the data is whatever the client chose."""
        from bot.fakeapi.updates import callback_update, inline_buttons

        rest, _, chat = (part.strip() for part in arg.rpartition("@")) if "@" in arg else (arg, "", "")
        label, _, text = (part.strip() for part in rest.partition(" of "))
        source = None
        for cid in list(self.api._history):  # noqa: SLF001 - every chat the fake knows
            for msg in self.api.chat_messages(cid):
                if text in (msg.get("text") or "") and any(label in b.get("text", "") for b in inline_buttons(msg)):
                    if source is None or msg["date"] >= source["date"]:
                        source = msg
        if source is None:
            raise ScriptError(f"no message containing {text!r} with a button {label!r}")
        data = next(b["callback_data"] for b in inline_buttons(source) if label in b.get("text", ""))
        where = int(chat) if chat else user
        target = next((m for m in reversed(self.api.chat_messages(where)) if inline_buttons(m)), None)
        if target is None:
            raise ScriptError(f"no card with buttons in chat {where}")
        return self.api.push_update(callback_update(user, target, data, language_code=lang,
                                                    first_name=self.names.get(user, "User")))

    def _last_keyboard(self, user: int, label: str) -> dict:
        for msg in reversed(self.api.chat_messages(user)):
            rows = (msg.get("reply_markup") or {}).get("inline_keyboard") or []
            if any(label in b.get("text", "") for row in rows for b in row):
                return msg
        raise ScriptError(f"no button containing {label!r} in the chat with {user}")

    async def _import_org(self, arg: str) -> None:
        from bot.domain.orgfile import parse_org_file
        from bot.services.org_import import import_org

        if arg == "example":
            text = resources.files("bot.demo").joinpath("org.example.yaml").read_text(encoding="utf-8")
        else:
            text = (self.script_dir / arg).read_text(encoding="utf-8")
        org = parse_org_file(text)
        async with self.proc.sessions() as s, s.begin():
            counts = await import_org(s, org, now=self.clock.now())
        for key, chat in org.chats.items():
            self.names[chat] = {"office": "舆情办公室群 office", "upper_office": "上级舆情办 upper office"}.get(key, key)
        for c in org.contacts:
            if c.telegram_id:
                self.names[c.telegram_id] = c.name
        for p in org.people:
            self.names[p.telegram_id] = p.name
            if p.language:
                self.langs[p.telegram_id] = p.language
        self.say(f"🏢 org imported: {org.organization.name} — "
                 + ", ".join(f"{v} {k}" for k, v in counts.items()))

    async def _due(self, arg: str) -> None:
        from bot.services.calendar import due_answer
        from bot.services.org import load_org

        clock, start, *rest = arg.split()
        async with self.proc.sessions() as s:
            org = await load_org(s, self.settings.timezone)
        try:
            answer = due_answer(org, clock, start, rest[0] if rest else "major")
            self.say(f"\n$ onduty due {arg}\n{answer.due}" + "".join(f"\n  ({n})" for n in answer.notes))
            self.last_replies = [answer.due, *answer.notes]
        except ValueError as e:
            self.say(f"\n$ onduty due {arg}\nonduty: {e}")
            self.last_replies = [str(e)]

    async def _fault(self, arg: str) -> None:
        spec, _, chat = (part.strip() for part in arg.partition("@"))
        method, kind, *rest = spec.split()
        times = int(rest[0]) if rest else 1
        extra: dict = {"retry_after": 2} if kind == "429" else {}
        if chat:
            extra["chat_id"] = int(chat)
        self.api.inject(method, kind, times=times, **extra)
        where = f" to {self.names.get(int(chat), chat)}" if chat else ""
        self.say(f"\n⚡ the fake Telegram will answer the next {times} {method} call(s){where} with {kind}")

    async def _outbox(self, _arg: str) -> None:
        from bot.services.outbox import format_outbox_report, outbox_report

        async with self.proc.sessions() as s:
            text = format_outbox_report(await outbox_report(s))
        self.say("\n$ onduty outbox\n" + text)
        self.last_replies = [text]

    async def _audit(self, _arg: str) -> None:
        from bot.audit_cli import verify_command

        code, line = await verify_command(self.proc.sessions)
        self.say(f"\n$ onduty audit verify\n{line}\n(exit {code})")
        self.last_replies = [line, f"exit {code}"]

    async def _tamper(self, arg: str) -> None:
        from sqlalchemy import select, update

        from models import AuditLog, Incident

        number, seq = arg.split()
        async with self.proc.sessions() as s, s.begin():
            inc_id = await s.scalar(select(Incident.id).where(Incident.number == number))
            await s.execute(update(AuditLog).where(AuditLog.incident_id == inc_id, AuditLog.seq == int(seq))
                            .values(actor_name="someone else"))
        self.say(f"\n🛠 tampered: timeline row {seq} of {number} edited directly in the database")

    async def _export(self) -> None:
        from bot.services.export import export_json

        engine = create_engine(self.settings.database_url)
        try:
            async with session_factory(engine)() as s:
                data = await export_json(s, now=self.clock.now())
        finally:
            await engine.dispose()
        self.say("\n📦 onduty export --format json (abridged):")
        for inc in data["incidents"]:
            rep = inc["reports"][0] if inc["reports"] else {}
            self.say(f"  {inc['number']} · {inc['grade']} · {inc['status']} · source={rep.get('source')} · "
                     f"fields={len(rep.get('fields', {}))} · evidence={len(inc['evidence'])} · "
                     f"clocks={','.join(c['name'] + ':' + c['status'] for c in inc['clocks'])}")
        self.exported = data


async def play(script_text: str, script_dir: Path, out=sys.stdout,  # noqa: ANN001
               cli: Cli | None = None) -> DemoPlayer:
    steps = parse_script(script_text)
    async with DemoPlayer(script_dir, out, cli) as player:
        for st in steps:
            await player.step(st)
        player.say("\n" + json.dumps({"violations": len(player.api.violations)}))
        if player.api.violations:
            raise ExpectationFailed(f"Bot API violations: {player.api.violations[:3]}")
    return player


def run_demo(script: Path | None, cli: Cli) -> int:
    if script is None:
        text = resources.files("bot.demo").joinpath("default.script").read_text(encoding="utf-8")
        base = Path.cwd()
    else:
        try:
            text = script.read_text(encoding="utf-8")
        except OSError as e:
            raise CliError(f"cannot read {script}: {e.strerror}") from e
        base = script.parent
    try:
        asyncio.run(play(text, base, cli=cli))
    except ScriptError as e:
        raise CliError(str(e)) from e
    except ExpectationFailed as e:
        print(f"onduty demo: FAILED {e}", file=sys.stderr)
        return 1
    return 0
