"""The setup guides (docs/部署指南.md and its English twin docs/setup-guide.md) show real commands with their
real output; this test runs them and compares. The docs also stand alone: no link leaves the repository.

The guides' convention (each guide repeats it in an HTML comment at its top):

* A ```console block is run. Its lines starting with `$ ` are commands; the lines after one, up to the next
  `$ ` or the end of the block, are the output it must print (stdout and stderr together). A line holding only
  `…` matches any number of lines, none included. The exit status is not compared (the output is).
* Every other block (```sh, ```text, ```yaml, ```ini …) is shown, never run: BotFather, systemctl, git clone,
  pip install and the chat go there.
* `<!-- file: NAME -->` on the line before a block: the block's text is written to NAME in the working folder
  when the reading reaches it (the org file, .env).
* `<!-- output: lead fills in -->` on the line before a ```console block: its output is not written yet. Its
  commands still run (later blocks may need what they did), their output is not compared, and the test ends
  skipped, naming those blocks, once everything else has matched. A command that does not exist fails the
  test — unless its block carries that mark.

Each guide runs in a fresh temporary folder (it stands for /opt/onduty), with DATABASE_URL pointing to a
SQLite file in it, TELEGRAM_API_URL pointing to a local fake Bot API (bot/fakeapi): nothing leaves the
machine; and LC_COLLATE=C, so that `ls` sorts the same everywhere. Before comparing, both the expected and the
actual output are normalised:

* the temporary folder's path → `/opt/onduty`;
* a personal link's bot name and token → `t.me/<bot>?start=<token>`;
* dates and times (`2026-12-03`, `2026-12-03 09:30`, ISO 8601 with seconds, fractions and offset) → `<time>`;
  a backup's stamp `20261203-093000` → `<stamp>`;
* `(28 tables, 331776 bytes)` → `(<n> tables, <n> bytes)`;
* runs of spaces → one space; trailing spaces and blank lines at the end are dropped.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUIDES = ["docs/部署指南.md", "docs/setup-guide.md"]
LEAD_MARK = "<!-- output: lead fills in -->"
FILE_MARK = re.compile(r"^<!-- file: (\S+) -->$")
ANY = "…"
BIN = Path(sys.executable).parent


@dataclass
class Command:
    line: int  # 1-based line of the `$ ` in the guide
    text: str
    expected: list[str] = field(default_factory=list)


@dataclass
class Block:
    line: int
    lang: str
    body: list[str]
    mark: str = ""  # the marker comment on the line before the fence, if any

    def commands(self) -> list[Command]:
        out: list[Command] = []
        for i, text in enumerate(self.body):
            if text.startswith("$ "):
                out.append(Command(self.line + 1 + i, text[2:]))
            elif out:
                out[-1].expected.append(text)
        return out


def blocks(path: Path) -> list[Block]:
    lines = path.read_text(encoding="utf-8").splitlines()
    found, i = [], 0
    while i < len(lines):
        m = re.match(r"^```(\S*)\s*$", lines[i])
        if not m:
            i += 1
            continue
        start = i
        end = next(j for j in range(i + 1, len(lines)) if lines[j].rstrip() == "```")
        prev = next((lines[j].strip() for j in range(start - 1, -1, -1) if lines[j].strip()), "")
        mark = prev if prev.startswith("<!--") else ""
        found.append(Block(start + 1, m.group(1), lines[start + 1:end], mark))
        i = end + 1
    return found


_TIME = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?(?:Z|[+-]\d{2}:?\d{2})?")


def normalise(text: str, folder: str = "") -> list[str]:
    if folder:
        text = text.replace(folder, "/opt/onduty")
    text = re.sub(r"t\.me/[A-Za-z0-9_]+\?start=[A-Za-z0-9_-]+", "t.me/<bot>?start=<token>", text)
    text = re.sub(r"\b\d{8}-\d{6}\b", "<stamp>", text)
    text = _TIME.sub("<time>", text)
    text = re.sub(r"\(\d+ tables, \d+ bytes\)", "(<n> tables, <n> bytes)", text)
    out = [re.sub(r" {2,}", " ", line).rstrip() for line in text.splitlines()]
    while out and not out[-1]:
        out.pop()
    return out


def matches(expected: list[str], actual: list[str]) -> bool:
    """`…` alone on a line matches any run of lines (none included); every other line must be equal."""
    memo: dict[tuple[int, int], bool] = {}

    def go(i: int, j: int) -> bool:
        if (i, j) not in memo:
            if i == len(expected):
                memo[i, j] = j == len(actual)
            elif expected[i] == ANY:
                memo[i, j] = go(i + 1, j) or (j < len(actual) and go(i, j + 1))
            else:
                memo[i, j] = j < len(actual) and expected[i] == actual[j] and go(i + 1, j + 1)
        return memo[i, j]

    return go(0, 0)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def fake_telegram():
    """A local fake Bot API for the commands that ask Telegram something (the bot's name for a link)."""
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "bot.fakeapi", "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                break
        time.sleep(0.1)
    else:
        proc.kill()
        pytest.fail("the fake Bot API did not start")
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(timeout=10)


def run(command: str, folder: Path, api: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("WEBHOOK_", "ONDUTY_"))}
    env.pop("BOT_TOKEN", None)  # the guide's .env gives it
    env.update(PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}", DATABASE_URL="sqlite+aiosqlite:///./data/onduty.db",
               TELEGRAM_API_URL=api, LOG_LEVEL="WARNING", LC_COLLATE="C", PYTHONUTF8="1")
    done = subprocess.run(["bash", "-c", command], cwd=folder, env=env, capture_output=True, text=True,
                          timeout=180, check=False)
    return done.stdout + done.stderr


@pytest.mark.parametrize("guide", GUIDES)
def test_every_command_of_the_guide_prints_what_the_guide_shows(guide, tmp_path, fake_telegram):
    path = ROOT / guide
    assert path.exists(), f"{guide} is missing"
    folder = tmp_path / "onduty"
    folder.mkdir()
    pending = []
    ran = 0
    for block in blocks(path):
        if m := FILE_MARK.match(block.mark):
            target = folder / m.group(1)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text("\n".join(block.body) + "\n", encoding="utf-8")
        if block.lang != "console":
            continue
        lead = block.mark == LEAD_MARK
        commands = block.commands()
        assert commands, f"{guide}:{block.line}: a console block without a `$ ` command"
        for cmd in commands:
            actual = run(cmd.text, folder, fake_telegram)
            ran += 1
            if lead:
                continue
            assert "invalid choice:" not in actual, (
                f"{guide}:{cmd.line}: `{cmd.text}` does not exist in this build; mark its block "
                f"{LEAD_MARK} until it does\n{actual}")
            got = normalise(actual, str(folder))
            want = normalise("\n".join(cmd.expected))
            assert matches(want, got), (
                f"{guide}:{cmd.line}: `{cmd.text}` printed something else.\n--- the guide shows (normalised):\n"
                + "\n".join(want) + "\n--- it printed (normalised):\n" + "\n".join(got))
        if lead:
            pending.append(f"{guide}:{block.line} ({', '.join(c.text for c in commands)})")
    assert ran, f"{guide} has no console block to run"
    if pending:
        pytest.skip("every other block matches; output still to fill in: " + "; ".join(pending))


def test_the_twins_run_the_same_commands():
    def commands(guide: str) -> list[str]:
        return [c.text for b in blocks(ROOT / guide) if b.lang == "console" for c in b.commands()]

    assert commands(GUIDES[0]) == commands(GUIDES[1])


def test_the_twins_write_the_same_files():
    def files(guide: str) -> dict[str, list[str]]:
        out = {}
        for b in blocks(ROOT / guide):
            if m := FILE_MARK.match(b.mark):
                out[m.group(1)] = [re.sub(r"\s*#.*$", "", line) for line in b.body]  # comments may be translated
        return out

    assert files(GUIDES[0]) == files(GUIDES[1])


def _docs() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


@pytest.mark.parametrize("doc", _docs(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_the_docs_stand_alone(doc):
    """No doc points outside the repository, and every relative link reaches a file that exists."""
    text = doc.read_text(encoding="utf-8")
    assert "../shared" not in text and "/work/" not in text
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if re.match(r"^[a-z]+:", target):
            continue
        file = (doc.parent / target.split("#")[0]).resolve()
        assert file.is_relative_to(ROOT), f"{doc.name}: {target} leaves the repository"
        assert file.exists(), f"{doc.name}: {target} does not exist"


def test_matching_rules():
    assert matches(["a", ANY, "d"], ["a", "b", "c", "d"])
    assert matches(["a", ANY], ["a"])
    assert not matches(["a", "b"], ["a", "b", "c"])
    assert normalise("backup written: /tmp/x/data/backups/onduty-20261203-075608.db (28 tables, 331776 bytes)",
                     "/tmp/x") == ["backup written: /opt/onduty/data/backups/onduty-<stamp>.db (<n> tables, <n> bytes)"]
    assert normalise("https://t.me/onduty_test_bot?start=pAbC_9  since 2026-12-03 09:30") == [
        "https://t.me/<bot>?start=<token> since <time>"]
