"""The README's table of examples lists every committed script, in order, one row each, and ends the table."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def table() -> list[str]:
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    head = lines.index("| script | shows |")
    end = next(i for i in range(head, len(lines)) if not lines[i].startswith("|"))
    assert lines[end] == "", "the table must end with a blank line, not run into the next paragraph"
    return lines[head + 2:end]


def test_examples_table_lists_every_script_in_order():
    rows = table()
    named = [re.match(r"\| `(examples/[^`]+\.script)` \| .+ \|$", r) for r in rows]
    assert all(named), [r for r, m in zip(rows, named, strict=True) if not m]
    scripts = sorted(f"examples/{p.name}" for p in (ROOT / "examples").glob("*.script"))
    assert [m.group(1) for m in named] == scripts
