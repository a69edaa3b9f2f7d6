"""How far Telegram reaches below the handlers (issue 21's measure, printed at the start and at the end).

Prints, from the import graph (grimp, the library under import-linter) with no ignore list:
- the service, schedules and outbox modules that import aiogram or a Telegram-only module (the callback-data
  factories, keyboards, cards, the Telegram package), directly or through other modules;
- the lines below the handlers that address a person by a Telegram id (`telegram_id`).

    python bench/telegram_reach.py
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
BELOW = ("bot.services", "schedules", "bot.delivery.outbox")
TELEGRAM_ONLY = ("aiogram", "bot.callbacks", "bot.duty_callbacks", "bot.release_callbacks",
                 "bot.review_callbacks", "bot.tracking_callbacks", "bot.unavail_callbacks", "bot.keyboards",
                 "bot.cards", "bot.telegram")


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
    graph = grimp.build_graph("bot", "handlers", "models", "schedules", include_external_packages=True)
    reach = reaching(graph)
    print(f"modules below the handlers that reach Telegram: {len(reach)}")
    for mod, chain in reach:
        print(f"  {mod}: {' -> '.join(chain)}")
    lines = telegram_id_lines()
    print(f"lines in services and schedules that address a Telegram id: {len(lines)}")
    for line in lines:
        print(f"  {line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
