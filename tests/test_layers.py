"""The architecture contracts of pyproject.toml ([tool.importlinter], run by `lint-imports`): the layers point
down only, nothing below the handlers knows a channel (aiogram, bot/telegram/), the domain is pure, no two
modules of a layer import each other in a cycle — with no exception list. And, over the whole import graph,
no cycle anywhere and nothing below the handlers that reaches Telegram (bench/telegram_reach.py's measure)."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

from tests.conftest import ROOT

PACKAGES = ("bot", "handlers", "models", "schedules")
LINT = Path(sys.executable).with_name("lint-imports")  # the venv's own executable
CONTRACTS = 4


def lint(cwd: Path) -> tuple[int, str]:
    if not LINT.exists():
        pytest.fail(f"{LINT} not found: install the dev extra (pip install -e '.[dev]')")
    r = subprocess.run([str(LINT), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=180)
    return r.returncode, r.stdout + r.stderr


def copy_tree(dst: Path) -> Path:
    """The four root packages (sources only) and pyproject.toml, for lint-imports to run on a variant."""
    for pkg in PACKAGES:
        shutil.copytree(ROOT / pkg, dst / pkg, ignore=shutil.ignore_patterns("__pycache__", "*.json", "*.yaml",
                                                                            "*.mako", "*.ini", "LICENSE"))
    shutil.copy(ROOT / "pyproject.toml", dst / "pyproject.toml")
    return dst


def test_the_architecture_contracts_hold_with_no_exceptions() -> None:
    code, out = lint(ROOT)
    assert code == 0, f"lint-imports failed (see [tool.importlinter] in pyproject.toml):\n{out}"
    assert f"{CONTRACTS} kept, 0 broken" in out, out
    assert "ignore_imports" not in (ROOT / "pyproject.toml").read_text(encoding="utf-8")


def test_deliberate_violations_break_every_contract(tmp_path: Path) -> None:
    tree = copy_tree(tmp_path)
    probes = {
        "bot/services/zz_direct.py": "import aiogram\n",                              # a service knows Telegram
        "schedules/zz_adapter.py": "from bot.telegram import render\n",               # a timer renders for Telegram
        "bot/delivery/zz_sender.py": "from bot.telegram.channel import TelegramChannel\n",  # the sender picks it
        "bot/domain/zz_db.py": "import sqlalchemy\n",                                 # the domain touches the database
        "bot/domain/zz_up.py": "from bot.services import outbox\n",                   # ... or reaches up
        "bot/services/zz_a.py": "from bot.services import zz_b\n",                    # a cycle
        "bot/services/zz_b.py": "from bot.services import zz_a\n",
        "bot/services/zz_clean.py": "from bot.i18n import t\nfrom bot.services import duty, notify\n",
    }
    for path, source in probes.items():
        (tree / path).write_text(source, encoding="utf-8")
    code, out = lint(tree)
    assert code == 1, out
    for chain in ("bot.services.zz_direct -> aiogram", "schedules.zz_adapter -> bot.telegram",
                  "bot.delivery.zz_sender -> bot.telegram.channel", "bot.domain.zz_db -> sqlalchemy",
                  "bot.domain.zz_up -> bot.services.outbox", "No cycles are allowed in bot.services"):
        assert chain in out, (chain, out)
    assert "zz_clean" not in out, out  # a new service that keeps off every channel is fine
    assert f"0 kept, {CONTRACTS} broken" in out, out


def test_no_import_cycle_anywhere() -> None:
    """Strongly connected components of the whole graph (imports inside functions count): none."""
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)  # a stale cache would hide a new cycle
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan, iterative enough for this graph's depth
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.find_modules_directly_imported_by(v):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    sys.setrecursionlimit(max(sys.getrecursionlimit(), 10_000))
    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    assert cycles == [], cycles


def _reach_module():  # noqa: ANN202
    spec = importlib.util.spec_from_file_location("telegram_reach", ROOT / "bench" / "telegram_reach.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_nothing_below_the_handlers_reaches_telegram() -> None:
    reach = _reach_module()
    graph = grimp.build_graph(*PACKAGES, include_external_packages=True, cache_dir=None)
    assert reach.reaching(graph) == []
