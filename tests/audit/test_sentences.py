"""The timeline in sentences (issue 19, part 3): every kind the code writes is enumerated and has a zh and an en
sentence; no rendering — chat, export, review DOCX, in zh and en — shows `=`, `{`, a chat id or a telegram id,
for real incidents played through the bot; rows of older shapes still read as sentences."""

from __future__ import annotations

import ast
import io
import re
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from bot.audit_render import render_timeline, sentences
from bot.audit_sentences import Names, Story, describe
from bot.cli import main
from bot.db import create_engine, session_factory
from bot.demo.runner import play
from bot.domain import audit_kinds as K
from bot.i18n import CATALOG, LANGS, t
from bot.services.audit import names, timeline
from bot.services.export import export_json
from bot.services.org import load_org
from bot.services.review import write_review_file
from models import AuditLog, ChatBinding, Contact, Incident, Person
from tests.conftest import ROOT

EXAMPLES = ROOT / "examples"
ID_KEYS = ("chats", "to", "chat", "tracker_telegram_id")  # payload keys that hold telegram or chat ids


def raw_bits(text: str, ids: set[int]) -> list[str]:
    """What a reader must never see: `=`, braces, an id (with or without its minus sign)."""
    found = [c for c in ("=", "{", "}") if c in text]
    for i in ids:
        for spelled in {str(i), str(abs(i))}:
            if re.search(rf"(?<!\d){re.escape(spelled)}(?!\d)", text):
                found.append(spelled)
    return found


# ---------------------------------------------------------------- the enumeration and the catalogue


def test_every_kind_has_a_label_and_a_sentence_in_both_languages() -> None:
    assert len(set(K.ALL_KINDS)) == len(K.ALL_KINDS)
    for kind in K.ALL_KINDS:
        for key in (f"audit.kind.{kind}", f"audit.s.{kind}"):
            assert key in CATALOG and all(CATALOG[key].get(lang) for lang in LANGS), key
    for action in K.REFUSAL_ACTIONS + ("other",):
        key = f"audit.refusal.action.{action.replace(':', '_')}"
        assert key in CATALOG and all(CATALOG[key].get(lang) for lang in LANGS), key
    for reason in K.REFUSAL_REASONS:
        key = f"audit.refusal.reason.{K.reason_key(reason)}"
        assert key in CATALOG and all(CATALOG[key].get(lang) for lang in LANGS), key
    for kind in K.ALL_KINDS + ("zz_unknown",):  # and each one says something with nothing in its payload
        for lang in LANGS:
            text = describe(kind, {}, lang=lang).text(lang)
            assert text and not raw_bits(text, set()) and "_" not in text, (kind, lang, text)  # no slug


def test_refusals_read_as_words() -> None:
    n = Names(people={1001: "张敏"})
    said = {(a, r): describe("refusal", {"action": a, "reason": r}, actor_telegram_id=1001, actor_name="Zhang",
                             lang="zh", names=n).text("zh")
            for a, r in (("card:take", "ack.refused"), ("step:refer_police", "disposal.leader_only"),
                         ("press:incV1:ack", "stale"), ("release.approve", "reviewed"), ("zz:new", "zz.code"))}
    assert said[("card:take", "ack.refused")] == "张敏 试图认领处置（无权限），已拒绝"
    assert said[("step:refer_police", "disposal.leader_only")] == \
        "张敏 试图登记处置步骤“涉嫌违法犯罪的，移交公安（网警）处理”（须由领导操作），已拒绝"
    assert said[("press:incV1:ack", "stale")] == "张敏 试图按事件卡片上的按钮（按钮已失效），已拒绝"
    assert said[("release.approve", "reviewed")] == "张敏 试图同意发布稿（已审核该版本，不能兼任审定人），已拒绝"
    assert said[("zz:new", "zz.code")] == "张敏 试图执行一项操作，已拒绝"  # unknown: words, no key
    en = describe("refusal", {"action": "card:take", "reason": "ack.refused"}, actor_name="Zhang Min", lang="en")
    assert en.text("en") == "Zhang Min tried to take charge of the incident (not allowed); refused"


def test_approval_stages_and_a_blocked_stage() -> None:
    story = Story()
    rows = [("graded", {"grade": "major"}, None),
            ("approval", {"version": 2, "stage": "review", "decision": "approve", "outcome": "passed"}, "刘书记"),
            ("approval_blocked", {"version": 2, "stage": "approval", "reason": "no_eligible_approver"}, None),
            ("approval", {"version": 2, "stage": "approval", "decision": "approve", "outcome": "approved"}, "赵组员")]
    said = [describe(k, p, actor_name=a, lang="zh", story=story).text("zh") for k, p, a in rows]
    assert said[1:] == ["刘书记 同意第 2 版发布稿（主要负责人审核），转入领导小组审定",
                        "第 2 版发布稿的领导小组审定无可审批人（审核人不能兼任审定人），稿件暂不能发布",
                        "赵组员 同意第 2 版发布稿（领导小组审定），稿件获批准"]
    general = Story(grade="general")
    assert describe("approval", {"version": 1, "stage": "approval", "decision": "reject", "comment": "不妥"},
                    actor_name="陈副校长", lang="en", story=general).text("en") == \
        "陈副校长 rejected version 1 of the release (the supervising leader's approval); comment: 不妥"


# ---------------------------------------------------------------- every writer writes an enumerated kind

WRITERS = {"append"}  # bot/services/audit.append; a function passing its own `kind` parameter on is followed


def _constants(tree: ast.Module) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            value = _values(node.value, out, set())
            if isinstance(value, list) and len(value) == 1:
                out[node.targets[0].id] = value[0]
        if isinstance(node, ast.ImportFrom) and node.module == "bot.domain.audit_kinds":
            out.update({a.asname or a.name: getattr(K, a.name) for a in node.names})
    return out


def _values(node: ast.expr, consts: dict[str, Any], params: set[str]) -> list[Any] | str:
    """The kinds an expression can be; "param:<name>" when it passes the enclosing function's parameter on."""
    if isinstance(node, ast.Constant):
        return [node.value]
    if isinstance(node, ast.IfExp):
        a, b = _values(node.body, consts, params), _values(node.orelse, consts, params)
        return a + b if isinstance(a, list) and isinstance(b, list) else "unknown"
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in {"K", "audit_kinds"}:
        return [getattr(K, node.attr, f"<no audit_kinds.{node.attr}>")]
    if isinstance(node, ast.Name):
        if node.id in params:
            return f"param:{node.id}"
        if node.id in consts:
            return [consts[node.id]]
    return "unknown"


def audit_writes(source: str, wrappers: dict[str, tuple[str, int]] | None = None) -> tuple[list[tuple[int, Any]],
                                                                                          list[int]]:
    """(line, kind) of every audit write in a module, and the lines whose kind cannot be told. `wrappers`: the
    writers' wrappers found so far (function → its kind parameter, positional index), shared across modules so
    that a public wrapper defined in one (bot/services/release_base.record) is seen where another calls it; a
    private one (`_record`) is its module's own."""
    tree = ast.parse(source)
    consts = _constants(tree)
    writes: list[tuple[int, Any]] = []
    unknown: list[int] = []
    shared = wrappers
    wrappers = {k: v for k, v in (shared or {}).items() if not k.startswith("_")}

    def scan(fn: ast.AST, params: list[str], name: str | None, calls: set[str]) -> None:
        for node in ast.walk(fn):
            if not isinstance(node, ast.Call):
                continue
            callee = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
            if callee not in calls:
                continue
            kind = next((k.value for k in node.keywords if k.arg == "kind"), None)
            if kind is None and callee in wrappers and len(node.args) > wrappers[callee][1]:
                kind = node.args[wrappers[callee][1]]
            if kind is None:
                continue
            vals = _values(kind, consts, set(params))
            if isinstance(vals, str) and vals.startswith("param:") and name:
                p = vals.split(":", 1)[1]
                wrappers[name] = (p, params.index(p))
            elif isinstance(vals, str):
                unknown.append(node.lineno)
            else:
                writes.extend((node.lineno, v) for v in vals)

    funcs = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    for fn in funcs:  # first the direct writers (and which of them are wrappers)
        scan(fn, [a.arg for a in fn.args.args + fn.args.kwonlyargs], fn.name, WRITERS)
    for fn in funcs:  # then the calls of those wrappers
        scan(fn, [a.arg for a in fn.args.args + fn.args.kwonlyargs], None, set(wrappers) - WRITERS)
    if shared is not None:
        shared.update({k: v for k, v in wrappers.items() if not k.startswith("_")})
    return writes, unknown


def test_the_scan_sees_a_kind_that_is_not_enumerated() -> None:
    probe = ('async def f(s):\n    await audit.append(s, incident_id=1, kind="zz_new", now=0)\n'
             'async def g(s, kind):\n    await audit.append(s, incident_id=None, kind=kind, now=0)\n'
             'async def h(s):\n    await g(s, "zz_wrapped")\n    await g(s, kind=K.CLOSED)\n'
             'async def i(s, x):\n    await audit.append(s, kind=x.kind, now=0)\n')
    writes, unknown = audit_writes(probe)
    assert sorted(v for _, v in writes) == ["closed", "zz_new", "zz_wrapped"] and unknown == [9]


def test_code_writes_only_enumerated_kinds() -> None:
    seen: set[str] = set()
    bad: list[str] = []
    paths = sorted(p for d in ("bot", "handlers", "schedules") for p in (ROOT / d).rglob("*.py"))
    wrappers: dict[str, tuple[str, int]] = {}
    for path in paths:  # first every module's wrappers of the writers
        audit_writes(path.read_text(encoding="utf-8"), wrappers)
    for path in paths:
        writes, unknown = audit_writes(path.read_text(encoding="utf-8"), wrappers)
        rel = path.relative_to(ROOT)
        bad += [f"{rel}:{line}: kind {v!r} is not in bot/domain/audit_kinds.KINDS" for line, v in writes
                if v not in K.KINDS]
        bad += [f"{rel}:{line}: cannot tell which kind this writes" for line in unknown]
        seen |= {v for _, v in writes}
    assert not bad, "\n".join(bad)
    # the scan found the writers (a change of how audits are written must change the scan too)
    assert seen >= {"report_filed", "graded", "notified", "refusal", "approval", "closed", "followup_added",
                    "person_unreachable", "chat_unreachable", "checklist_step"}, seen


# ---------------------------------------------------------------- real incidents, every rendering

FLOWS = {  # an example script, the kinds its incidents' timelines must hold, sentences they must say
    "04-escalation": ({"notified", "escalated", "refusal", "acknowledged", "checklist_step"},
                      ["张敏 试图确认收到（无权限），已拒绝", "通知 舆情办公室群、陈副校长、刘书记、赵组员、孙处长、上级办公室群",
                       "刘书记 确认收到并负责处置", "王晓 完成处置步骤“澄清事实”",
                       "王晓 试图登记处置步骤“涉嫌违法犯罪的，移交公安（网警）处理”（须由领导操作），已拒绝",
                       "刘书记 完成处置步骤“涉嫌违法犯罪的，移交公安（网警）处理”，已转交市公安局网安支队"]),
    "05-release": ({"draft_version", "approval", "publication", "refusal"},
                   ["刘书记 同意第 2 版发布稿（主要负责人审核），转入领导小组审定",
                    "赵组员 同意第 2 版发布稿（领导小组审定），稿件获批准",
                    "张敏 试图同意发布稿（无审批权限），已拒绝", "王晓 在官方微博发布第 2 版发布稿：https://weibo.com/school/1"]),
    "07-tracking-and-closure": ({"tracker_assigned", "tracker_reminded", "followup_added", "regraded",
                                 "closure_proposed", "closed", "reopened"},
                                ["跟踪报告更新数据后，级别由一般上调为重大（微博转发 180 ≥ 100）",
                                 "王晓 指定李强为动态跟踪专人", "提醒李强报送跟踪情况"]),
    "13-trustworthy-record": ({"approval", "approval_blocked", "clock_stopped"},
                              ["第 1 版发布稿的领导小组审定无可审批人（审核人不能兼任审定人），稿件暂不能发布"]),
}


def docx_text(path: Path) -> str:
    doc = Document(str(path))
    cells = [c.text for tb in doc.tables for row in tb.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


def appendix_rows(path: Path, lang: str) -> list[list[str]]:
    doc = Document(str(path))
    head = [t("review.col.time", lang), t("review.col.kind", lang), t("review.col.event", lang)]
    tables = [tb for tb in doc.tables if [c.text for c in tb.rows[0].cells] == head]
    assert len(tables) == 1
    return [[c.text for c in row.cells] for row in tables[0].rows[1:]]


async def _ids(s) -> set[int]:  # noqa: ANN001
    ids = set((await s.scalars(select(Person.telegram_id))).all())
    ids |= {i for i in (await s.scalars(select(Contact.telegram_id))).all() if i is not None}
    ids |= set((await s.scalars(select(ChatBinding.chat_id))).all())
    for row in (await s.scalars(select(AuditLog))).all():
        ids |= {row.actor_telegram_id} if row.actor_telegram_id else set()
        for key in ID_KEYS:
            v = (row.payload or {}).get(key)
            ids |= {x for x in (v if isinstance(v, list) else [v]) if isinstance(x, int) and abs(x) >= 100}
    return ids


@pytest.mark.parametrize("flow", sorted(FLOWS))
async def test_no_rendering_shows_ids_or_keys(flow: str, tmp_path: Path) -> None:
    script = EXAMPLES / f"{flow}.script"
    player = await play(script.read_text(encoding="utf-8"), script.parent, io.StringIO(), cli=main)
    kinds, expected = FLOWS[flow]
    engine = create_engine(player.settings.database_url)
    try:
        async with session_factory(engine)() as s:
            ids = await _ids(s)
            org = await load_org(s)
            lookup = await names(s)
            exported = await export_json(s, now=player.clock.now())
            incidents = (await s.scalars(select(Incident).order_by(Incident.id))).all()
            chains = {inc.number: await timeline(s, inc.id) for inc in incidents}
            chains[None] = await timeline(s, None)
            docs = {(inc.number, lang): await write_review_file(s, inc.number, tmp_path / f"{inc.number}-{lang}.docx",
                                                                 org=org, lang=lang, now=player.clock.now())
                    for inc in incidents for lang in LANGS}
    finally:
        await engine.dispose()
    assert ids and {r.kind for rows in chains.values() for r in rows} >= kinds
    assert {r.kind for rows in chains.values() for r in rows} <= set(K.KINDS)
    chat: dict[str, str] = {}
    for lang in LANGS:
        chat[lang] = "\n".join(page for number, rows in chains.items()
                               for page in render_timeline(rows, lang, org.tz, number=number, names=lookup))
        assert not raw_bits(chat[lang], ids), (lang, raw_bits(chat[lang], ids))
    for sentence in expected:
        assert sentence in chat["zh"], sentence
    # the export: the structured fields stay, a sentence in each language beside them
    for inc in exported["incidents"]:
        rows = chains[inc["number"]]
        assert [e["hash"] for e in inc["timeline"]] == [r.hash for r in rows]
        assert all("payload" in e and "kind" in e for e in inc["timeline"])
        for lang in LANGS:
            said = [e["sentence"][lang] for e in inc["timeline"]]
            assert said == [x.text(lang) for x in sentences(rows, lang, lookup)]
            assert not raw_bits("\n".join(said), ids)
    # the review DOCX: the whole document, and its appendix a sentence per timeline row
    for (number, lang), path in docs.items():
        assert not raw_bits(docx_text(path), ids), (number, lang, raw_bits(docx_text(path), ids))
        appendix = appendix_rows(path, lang)
        assert [r[2] for r in appendix] == [x.text(lang) for x in sentences(chains[number], lang, lookup)]


# ---------------------------------------------------------------- rows of older (or unexpected) shapes

OLD_ROWS = [  # payloads earlier versions wrote, and shapes nobody should write but a database may hold
    ("graded", {"grade": "major", "rules": ["views>=100000"], "i": 3, "due": "2026-11-24T02:00:00.000000+00:00"}),
    ("notified", {"to": [1002, 1003], "i": 1}),
    ("notified", {"chats": [-1009002, 424242, None]}),
    ("refusal", {"reason": "forged", "data": "ack:1:xyz"}),
    ("refusal", {"action": "card:take", "reason": {"code": 1}}),
    ("approval", {"version": {"odd": 1}, "decision": ["approve"]}),
    ("acknowledged", {"by": "upper_office", "chat": -1009999}),
    ("closed", {"clocks_stopped": "publish", "duty_stopped": "1"}),
    ("tracker_assigned", {"tracker": 424242, "previous": "3001"}),
    ("person_unreachable", {"who": 424242, "why": "gone"}),
    ("chat_bound", {"key": "zz", "title": None, "replaced": 424242}),
    ("clock_stopped", {"clock": "zz", "status": None, "reason": ["x"]}),
    ("mystery_kind", {"version": 3, "text": "回应口径", "lines": "a\nb"}),
    ("delivered", {"chat": 424242}),
]
OLD_IDS = {1002, 1003, -1009002, 424242, -1009999, 3001}


@pytest.mark.parametrize(("kind", "payload"), OLD_ROWS, ids=[f"{k}-{i}" for i, (k, _) in enumerate(OLD_ROWS)])
def test_old_rows_read_as_sentences(kind: str, payload: dict[str, Any]) -> None:
    for lang in LANGS:
        text = describe(kind, payload, actor_telegram_id=424242, lang=lang).text(lang)
        assert text and not raw_bits(text, OLD_IDS), (lang, text)
    assert describe("notified", {"to": [1002, 1003]}, lang="zh").text("zh") == "通知 2 位未登记人员"
    assert describe("graded", OLD_ROWS[0][1], lang="zh").text("zh") == "定级为重大"


WORDS = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="={}0123456789",
                                       exclude_categories=("Cs", "Cc")), max_size=12)
IDS = st.sampled_from(sorted(OLD_IDS))
SCALARS = st.none() | st.booleans() | st.integers(0, 99) | WORDS | st.sampled_from(
    ["major", "general", "take", "upper_office", "office", "review", "approval", "approve", "passed", "met",
     "first_response", "weibo", "negative", "card:take", "ack.refused", "press:relV1:x", "step:zz", "blocked"])
JSON = st.recursive(SCALARS, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(WORDS, inner, max_size=3),
                    max_leaves=6)
KEYS = sorted({"grade", "previous", "reason", "rules", "audiences", "by", "action", "first", "step", "roles",
               "code", "contact", "forwarded", "audience", "event", "version", "stage", "decision", "comment",
               "approvals", "needed", "outcome", "eligible", "outlet", "channel", "link", "clock", "status", "working_days",
               "due", "lead", "from", "reposts", "comments", "sentiment", "share", "platforms", "regions", "text",
               "evidence", "warnings", "approver", "clocks_stopped", "duty_stopped", "why", "released", "as", "key",
               "title", "replaced"})
ID_PLACES = ("chats", "to", "chat", "tracker", "tracker_telegram_id", "who", "previous")  # where ids are written
PAYLOADS = st.builds(lambda a, b: {**a, **b}, st.dictionaries(st.sampled_from(KEYS), JSON, max_size=8),
                     st.dictionaries(st.sampled_from(ID_PLACES), JSON | IDS | st.lists(IDS | st.none(), max_size=4),
                                     max_size=3))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(K.ALL_KINDS + ("zz_unknown",)), payload=PAYLOADS, actor=st.none() | IDS)
def test_any_payload_reads_as_a_sentence(kind: str, payload: dict[str, Any], actor: int | None) -> None:
    lookup = Names(people={3001: "陈副校长"}, groups={-1009002: "office"})
    for lang in LANGS:
        text = describe(kind, payload, actor_telegram_id=actor, lang=lang, names=lookup).text(lang)
        assert text and not raw_bits(text, OLD_IDS - {3001, -1009002}), (lang, text)


def test_publications_read_their_outlet_and_whether_first() -> None:
    """An outlet's slug (0023 on) reads as its label; a name as typed; a later outlet says so; rows before 0017
    ("channel") and before 0023 (no "first") read as they did."""
    say = lambda p, lang="zh": describe("publication", p, lang=lang).text(lang)  # noqa: E731
    assert say({"version": 1, "outlet": "weibo", "link": "https://w.cn/1", "first": True}) == \
        "在官方微博发布第 1 版发布稿：https://w.cn/1"
    assert say({"version": 1, "outlet": "website", "link": "https://s.cn/1", "first": False}) == \
        "又在官网发布第 1 版发布稿：https://s.cn/1（发布时限以首次发布为准）"
    assert say({"version": 1, "outlet": "press_release", "link": None, "first": False}, "en") == \
        "Also published version 1 of the release on press release (the publishing clock counts the first)"
    assert say({"version": 2, "channel": "学校官方微博", "link": "https://w.cn/2"}) == "在学校官方微博发布第 2 版发布稿：https://w.cn/2"
