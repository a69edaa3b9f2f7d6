"""Demo steps `review` and `stats`: the real `onduty review` / `onduty stats` code paths, summarised.

    review YQ-2026-0001 [en]       write the review DOCX (as the CLI does) into the demo's folder and print
                                   its outline: headings, tables with their row counts, images with sizes
    stats 2026-11-01 2026-11-30    what `onduty stats --from … --to … --csv` prints, and the CSV
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bot.errors import CliError


def docx_outline(path: Path) -> list[str]:
    """Headings, tables (header and number of rows) and images (pixel size, bytes) in document order."""
    from io import BytesIO

    from docx import Document
    from PIL import Image

    doc = Document(str(path))
    lines: list[str] = []
    tables = iter(doc.tables)
    rels = doc.part.related_parts
    for block in doc.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "tbl":
            tb = next(tables)
            head = " | ".join(c.text for c in tb.rows[0].cells)
            lines.append(f"    ▦ table [{head}] × {len(tb.rows) - 1} rows")
            continue
        if tag != "p":
            continue
        from docx.text.paragraph import Paragraph

        p = Paragraph(block, doc)
        if p.style.name.startswith(("Heading", "Title")):
            indent = "  " * (int(p.style.name[-1]) - 1 if p.style.name[-1].isdigit() else 0)
            lines.append(f"  {indent}{p.text}")
        for blip in block.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}blip"):
            rid = blip.get("{http://schemas.openxmlformats.org/officeDocument/2006/relationships}embed")
            blob = rels[rid].blob
            w, h = Image.open(BytesIO(blob)).size
            lines.append(f"    🖼 image {w}×{h} px, {len(blob) // 1024} KB")
    return lines


async def review(player: Any, arg: str) -> None:
    from bot.cli_review import generate

    number, *rest = arg.split()
    lang = rest[0] if rest else None
    out = player.workdir / f"{number}-review-{lang or 'zh'}.docx"
    player.say(f"\n$ onduty review {number} --out {out.name}" + (f" --lang {lang}" if lang else ""))
    try:
        path, csv, data = await generate(player.proc.sessions, number, out, lang, player.clock.now())
    except CliError as e:
        player.say(f"onduty: {e}\n(exit 2)")
        player.last_replies = [str(e)]
        return
    lines = [f"{path.name}: {path.stat().st_size // 1024} KB; {len(data.timeline)} timeline entries, "
             f"{len(data.clocks)} clocks, {len(data.posts)} post samples", *docx_outline(path)]
    if csv is not None:
        lines.append(f"  + {csv.name} ({sum(1 for _ in csv.open(encoding='utf-8-sig')) - 1} rows)")
    from docx import Document

    doc = Document(str(path))
    cells = [c.text for tb in doc.tables for row in tb.rows for c in row.cells]
    body = "\n".join([*(p.text for p in doc.paragraphs), *cells])
    text = "\n".join([*lines, body])
    leaks = raw_leaks(body, [i for i in player.names if abs(i) >= 1000])
    lines.append(f"  raw keys, ids or JSON in the document: {', '.join(leaks) if leaks else 'none'}")
    player.say("\n".join(lines))
    player.last_replies = [text, lines[-1]]  # `expect` sees the whole document text, not only the outline


def raw_leaks(text: str, ids: list[int]) -> list[str]:
    """What a reader should never see in a document: JSON or key=value, an i18n key or slug, a chat or Telegram
    id (links are left out of the check: a web address has dots of its own)."""
    import re

    body = re.sub(r"https?://\S+", "", text)
    found = [c for c in ("=", "{", "}") if c in body]
    found += sorted(set(re.findall(r"\b[a-z]+(?:[._][a-z]+)+\b", body)))[:5]
    found += [str(i) for i in ids if re.search(rf"(?<![\d-]){re.escape(str(i))}(?!\d)", body)]
    return found


async def stats(player: Any, arg: str) -> None:
    from bot.cli_stats import compute, period
    from bot.review.stats_render import csv_text, text

    start_s, end_s = (arg.split() + [""])[:2]
    player.say(f"\n$ onduty stats --from {start_s} --to {end_s} --csv stats.csv")
    try:
        start, end = period(start_s, end_s or start_s)
    except CliError as e:
        player.say(f"onduty: {e}\n(exit 2)")
        player.last_replies = [str(e)]
        return
    result, lang = await compute(player.proc.sessions, start, end, player.clock.now(), None)
    table, csv = text(result, lang), csv_text(result)
    player.say(table + "\n--- stats.csv ---\n" + csv.rstrip())
    player.last_replies = [table, csv]
