"""The import-linter contracts of pyproject.toml ([tool.importlinter]): nothing below the handlers knows
Telegram, the domain is pure — and the list of today's exceptions is a ratchet (it may shrink, not grow)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGES = ("bot", "handlers", "models", "schedules")
LINT = Path(sys.executable).with_name("lint-imports")  # the venv's own executable
STALE = '    "bot.services.duty -> bot.telegram.keyboards",\n'  # an import nobody makes


def lint(cwd: Path) -> tuple[int, str]:
    if not LINT.exists():
        pytest.fail(f"{LINT} not found: install the dev extra (pip install -e '.[dev]')")
    r = subprocess.run([str(LINT), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=120)
    return r.returncode, r.stdout + r.stderr


def copy_tree(dst: Path) -> Path:
    """The four root packages (sources only) and pyproject.toml, for lint-imports to run on a variant."""
    for pkg in PACKAGES:
        shutil.copytree(ROOT / pkg, dst / pkg, ignore=shutil.ignore_patterns("__pycache__", "*.json", "*.yaml",
                                                                            "*.mako", "*.ini", "LICENSE"))
    shutil.copy(ROOT / "pyproject.toml", dst / "pyproject.toml")
    return dst


def test_the_layer_contracts_hold() -> None:
    code, out = lint(ROOT)
    assert code == 0, f"lint-imports failed (see [tool.importlinter] in pyproject.toml):\n{out}"
    assert "2 kept, 0 broken" in out, out


def test_a_new_module_that_knows_telegram_breaks_the_ratchet(tmp_path: Path) -> None:
    tree = copy_tree(tmp_path)
    probes = {
        "bot/services/zz_direct.py": "import aiogram\n",
        "bot/services/zz_callback.py": "from bot.telegram.callbacks import DutyCB\n",
        "schedules/zz_render.py": "from bot.telegram import render\n",  # indirect: the adapter renders with aiogram
        "bot/domain/zz_db.py": "import sqlalchemy\n",
        "bot/services/zz_clean.py": "from bot.i18n import t\nfrom bot.services import duty, notify\n",
    }
    for path, source in probes.items():
        (tree / path).write_text(source, encoding="utf-8")
    code, out = lint(tree)
    assert code == 1, out
    for chain in ("bot.services.zz_direct -> aiogram", "bot.services.zz_callback -> bot.telegram.callbacks",
                  "schedules.zz_render -> bot.telegram.render", "bot.domain.zz_db -> sqlalchemy"):
        assert chain in out, out
    assert "zz_clean" not in out, out  # a new service that keeps off Telegram is fine
    assert "0 kept, 2 broken" in out, out


def test_a_new_module_off_telegram_passes(tmp_path: Path) -> None:
    tree = copy_tree(tmp_path)
    (tree / "bot/services/zz_clean.py").write_text("from bot.i18n import t\nfrom bot.services import duty\n")
    code, out = lint(tree)
    assert code == 0, out


def test_a_stale_ignore_line_fails(tmp_path: Path) -> None:
    tree = copy_tree(tmp_path)
    config = (tree / "pyproject.toml").read_text(encoding="utf-8")
    anchor = "ignore_imports = [\n"
    assert config.count(anchor) == 1
    (tree / "pyproject.toml").write_text(config.replace(anchor, anchor + STALE), encoding="utf-8")
    code, out = lint(tree)
    assert code != 0, out
    assert "No matches for ignored import bot.services.duty -> bot.telegram.keyboards" in out, out
