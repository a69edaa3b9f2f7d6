"""Every committed examples/ script plays to the end with all its `expect` lines met."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from bot.cli import main
from bot.demo.runner import play

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.script"))
SOURCES = {p: p.read_text(encoding="utf-8") for p in EXAMPLES}


@pytest.mark.parametrize("script", EXAMPLES, ids=[p.stem for p in EXAMPLES])
async def test_example_script_plays(script: Path) -> None:
    source = SOURCES[script]
    out = io.StringIO()
    player = await play(source, script.parent, out, cli=main)
    text = out.getvalue()
    assert '"violations": 0' in text
    assert text.count("✓ expect") == source.count("\nexpect ")
    assert not player.api.violations
