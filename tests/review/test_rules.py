"""Who may ask for a review or the statistics (the services' rule, not the handlers'), the review button's
data, and module hygiene of the review and statistics code."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from bot.services.dto import PersonDTO
from bot.services.review import may_review
from bot.services.stats import may_see_stats
from bot.telegram.callbacks import ReviewCB

ROOT = Path(__file__).resolve().parents[2]
MODULES = [*sorted((ROOT / "bot" / "review").glob("*.py")),
           *(ROOT / p for p in ("bot/telegram/callbacks.py", "bot/services/review.py", "bot/services/stats.py",
                                "bot/domain/stats.py", "handlers/review.py", "handlers/stats.py",
                                "bot/cli_review.py", "bot/cli_stats.py"))]


def person(*roles: str) -> PersonDTO:
    return PersonDTO(id=1, telegram_id=1001, name="张敏", roles=roles, unit=None, language=None)


@pytest.mark.parametrize(("roles", "review", "stats"), [
    (("office",), True, True),
    (("main_leader",), True, True),
    (("supervising_leader",), True, True),
    (("admin",), False, True),
    (("monitor",), False, False),
    ((), False, False),
])
def test_who_may_review_and_see_stats(roles, review, stats):
    assert may_review(person(*roles)) is review
    assert may_see_stats(person(*roles)) is stats


def test_nobody_unregistered():
    assert not may_review(None) and not may_see_stats(None)


def test_review_button_names_only_the_incident():
    assert set(ReviewCB.model_fields) == {"incident"}
    assert ReviewCB(incident=5).pack() == "rvV1:5"
    assert ReviewCB.unpack("rvV1:5").incident == 5


def test_no_private_names_imported_across_modules():
    offenders = []
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in ("bot", "handlers", "models"):
                offenders += [f"{path.relative_to(ROOT)}: {a.name}" for a in node.names if a.name.startswith("_")]
    assert not offenders, offenders


def test_review_service_reads_incident_columns_plainly():
    # a getattr with a default would hide a renamed column: the review would silently lose its tracker or closure
    tree = ast.parse((ROOT / "bot/services/review.py").read_text(encoding="utf-8"))
    guarded = [ast.unparse(n) for n in ast.walk(tree)
               if isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "getattr"]
    assert not guarded, guarded
