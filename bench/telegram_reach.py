"""How far Telegram reaches below the handlers (issue 21's measure, printed at the start and at the end).

Prints, from the import graph (grimp, the library under import-linter) with no ignore list:
- the service, schedules and outbox modules that import aiogram, the Telegram package (bot/telegram/: the
  adapter, callback data, keyboards) or the handlers, directly or through other modules (when issue 21 began,
  the callback-data factories were bot/*callbacks.py and bot/cards.py packed them: 32 modules);
- the notification call sites below the handlers that address a Telegram id: a message queued for
  `chat_id=…telegram_id`, or a recipients map keyed by `….telegram_id` (then every other line that still names
  `telegram_id` there, e.g. who pressed a button, for information).

    python bench/telegram_reach.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
BELOW = ("bot.services", "schedules", "bot.delivery.outbox")
TELEGRAM_ONLY = ("aiogram", "bot.telegram", "handlers")


def reaching(graph: grimp.ImportGraph) -> list[tuple[str, list[str]]]:
    targets = {m for m in graph.modules if m.startswith(TELEGRAM_ONLY)}
    out = []
    for mod in sorted(graph.modules):
        if not mod.startswith(BELOW) or mod in targets:
            continue
        for target in sorted(targets):
            chain = graph.find_shortest_chain(importer=mod, imported=target)
            if chain:
                out.append((mod, list(chain)))
                break
    return out


NOTIFY = re.compile(r"chat_id\s*=\s*[\w.\[\]]*telegram_id|[\w.]*telegram_id\s*:\s*[\w.]*(lang|language)"
                    r"|\b(chats|recipients|targets)\b.*telegram_id")


def telegram_id_lines() -> list[str]:
    hits = []
    for folder in ("bot/services", "schedules"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
                if re.search(r"\btelegram_id\b", line):
                    hits.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    return hits


def main() -> int:
    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph("bot", "handlers", "models", "schedules", include_external_packages=True,
                              cache_dir=None)  # never a stale cache
    reach = reaching(graph)
    print(f"modules below the handlers that reach Telegram: {len(reach)}")
    for mod, chain in reach:
        print(f"  {mod}: {' -> '.join(chain)}")
    lines = telegram_id_lines()
    notify = [line for line in lines if NOTIFY.search(line)]
    print(f"notification call sites in services and schedules that address a Telegram id: {len(notify)}")
    for line in notify:
        print(f"  {line}")
    print(f"other lines there that name telegram_id: {len(lines) - len(notify)}")
    for line in lines:
        if line not in notify:
            print(f"  {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
