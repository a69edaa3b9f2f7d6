"""The `onduty` command as a user runs it: a real subprocess, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "bot" / "demo" / "org.example.yaml"


def onduty(*args: str, tmp: Path, env: dict | None = None) -> subprocess.CompletedProcess:
    e = {k: v for k, v in os.environ.items() if k not in ("BOT_TOKEN", "DATABASE_URL")}
    e.update({"DATABASE_URL": f"sqlite+aiosqlite:///{tmp / 'cli.db'}", "LOG_LEVEL": "WARNING"})
    e.update(env or {})
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], cwd=tmp, env=e, capture_output=True,
                          text=True, timeout=120)


def test_org_import_is_idempotent_and_round_trips(tmp_path: Path) -> None:
    first = onduty("org", "import", str(EXAMPLE), tmp=tmp_path)
    assert first.returncode == 0, first.stderr
    assert "8 people" in first.stdout
    assert onduty("org", "import", str(EXAMPLE), tmp=tmp_path).returncode == 0
    exported = onduty("org", "export", tmp=tmp_path)
    assert exported.returncode == 0
    data = yaml.safe_load(exported.stdout)
    source = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    assert data["organization"] == source["organization"]
    assert [p["telegram_id"] for p in data["people"]] == [p["telegram_id"] for p in source["people"]]
    assert data["policy"]["invites"]["ttl_hours"] == 72 and data["policy"]["clocks"]["publish_hours"] == 24
    again = tmp_path / "again.yaml"
    again.write_text(exported.stdout, encoding="utf-8")
    assert onduty("org", "import", str(again), tmp=tmp_path).returncode == 0
    assert yaml.safe_load(onduty("org", "export", tmp=tmp_path).stdout) == data


def test_bad_org_files_exit_2_with_one_line(tmp_path: Path) -> None:
    cases = {
        "notyaml.yaml": "organization: [unclosed",
        "role.yaml": "organization: {name: X}\npeople: [{telegram_id: 1, name: A, roles: [wizard]}]",
        "policy.yaml": "organization: {name: X}\npolicy: {clocks: {publish_hourz: 3}}",
        "hours.yaml": "organization: {name: X, work_hours: '8 to 5'}",
        "unit.yaml": "organization: {name: X}\npeople: [{telegram_id: 1, name: A, unit: Nowhere}]",
    }
    for name, text in cases.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
        r = onduty("org", "import", name, tmp=tmp_path)
        assert r.returncode == 2, (name, r.stderr)
        assert len(r.stderr.strip().splitlines()) == 1 and "Traceback" not in r.stderr, r.stderr
    assert onduty("org", "import", "missing.yaml", tmp=tmp_path).returncode == 2


def test_run_without_or_with_malformed_token_exits_2(tmp_path: Path) -> None:
    for token in ("", "not-a-token"):
        r = onduty("run", tmp=tmp_path, env={"BOT_TOKEN": token})
        assert r.returncode == 2 and "BOT_TOKEN" in r.stderr and "Traceback" not in r.stderr, r.stderr
    r = onduty("run", "--webhook", tmp=tmp_path, env={"BOT_TOKEN": "123456:ABCDEFGHIJ", "WEBHOOK_SECRET": ""})
    assert r.returncode == 2 and "WEBHOOK_SECRET" in r.stderr


def test_due_prints_iso_with_offset_and_rejects_bad_clock(tmp_path: Path) -> None:
    r = onduty("due", "formal_reply", "2026-09-30T10:00+08:00", tmp=tmp_path)
    assert r.returncode == 0 and r.stdout.strip() == "2026-10-13T17:30:00+08:00", r.stderr
    r = onduty("due", "nonsense", "2026-09-30T10:00+08:00", tmp=tmp_path)
    assert r.returncode == 2 and "formal_reply" in r.stderr


def test_export_json_is_empty_lists_before_reports(tmp_path: Path) -> None:
    onduty("org", "import", str(EXAMPLE), tmp=tmp_path)
    r = onduty("export", "--format", "json", tmp=tmp_path)
    assert r.returncode == 0
    assert json.loads(r.stdout)["incidents"] == []
    assert onduty("export", "--format", "json", "--incident", "YQ-2026-9999", tmp=tmp_path).returncode == 2


def test_demo_plays_the_default_script(tmp_path: Path) -> None:
    r = onduty("demo", tmp=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "YQ-2026-0001" in r.stdout and "YQ-2026-0002" in r.stdout and '"violations": 0' in r.stdout
    assert "👆" in r.stdout and "[✅ 确认提交]" in r.stdout


def test_demo_script_failures_are_reported(tmp_path: Path) -> None:
    (tmp_path / "bad.script").write_text("frobnicate now\n", encoding="utf-8")
    r = onduty("demo", "--script", "bad.script", tmp=tmp_path)
    assert r.returncode == 2 and "unknown step" in r.stderr
    (tmp_path / "fail.script").write_text("org example\nas 1001: /help\nexpect 不会出现的话\n", encoding="utf-8")
    r = onduty("demo", "--script", "fail.script", tmp=tmp_path)
    assert r.returncode == 1 and "expected the bot to say" in r.stderr


def test_calendar_override_in_the_past_is_warned_about(tmp_path: Path) -> None:
    (tmp_path / "org.yaml").write_text(
        "organization: {name: X}\npolicy: {calendar: {holidays: ['2020-01-02', '2099-01-02']}}\n", encoding="utf-8")
    r = onduty("org", "import", "org.yaml", tmp=tmp_path)
    assert r.returncode == 0 and "2020-01-02" in r.stderr and "2099-01-02" not in r.stderr
