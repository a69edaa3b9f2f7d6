"""The statistics shown: a chart (PNG, per-unit compliance), a short text table, and the CSV export."""

from __future__ import annotations

import csv
import io
from collections import Counter

from bot.domain.stats import UNASSIGNED, Row, Stats
from bot.domain.vocab import CATEGORIES, GRADES
from bot.i18n import t
from bot.review.figure import DPI, render_png, whole_numbers

RATE_COLOURS = {"clock": "#3182bd", "patrol": "#31a354", "checkin": "#fd8d3c"}
REPORT_COLOUR = "#756bb1"
TEXT_ROWS = 15  # people listed in chat; the CSV has everyone


def _pct(v: float | None) -> str:
    return "-" if v is None else f"{v:.0%}"


def _minutes(v: float | None, lang: str) -> str:
    if v is None:
        return "-"
    if v < 120:
        return t("stats.min", lang, m=round(v))
    return t("stats.hours", lang, h=f"{v / 60:.1f}")


def _unit(name: str, lang: str) -> str:
    if name == UNASSIGNED:
        return t("stats.unassigned", lang)
    return name or t("stats.no_unit", lang)


def _person(row: Row, lang: str) -> str:
    return row.name if row.name != UNASSIGNED else t("stats.unassigned", lang)


def _person_unit(row: Row, lang: str, shared: set[str]) -> str:
    """Name (unit); with the Telegram id too when another listed person has the same name."""
    if row.name == UNASSIGNED:
        return t("stats.unassigned", lang)
    if row.name in shared and row.telegram_id is not None:
        return t("stats.person.same_name", lang, name=row.name, unit=_unit(row.unit, lang), tg=row.telegram_id)
    return t("stats.person", lang, name=row.name, unit=_unit(row.unit, lang))


def shared_names(people: list[Row]) -> set[str]:
    """Names that more than one person row carries."""
    seen = Counter(p.name for p in people)
    return {name for name, n in seen.items() if n > 1}


def _vocab(vocab, slug: str, lang: str) -> str:  # noqa: ANN001
    if not slug:
        return t("stats.none", lang)
    return vocab.label(slug, lang) if slug in vocab else slug


def chart_png(stats: Stats, lang: str = "zh") -> bytes | None:
    """The per-unit chart as PNG; None when no unit has any figure."""
    return render_png(lambda: chart_figure(stats, lang))


def chart_figure(stats: Stats, lang: str = "zh"):  # noqa: ANN201 (a Figure or None; build under drawing())
    """Per unit: reports filed (a count, whole-number ticks) beside deadlines met, patrols confirmed and
    check-ins on time (%); the caption says which unit a report counts under. None when no unit has any."""
    units = [u for u in stats.units if u.reports or u.clock_rate is not None or u.patrol_rate is not None
             or u.checkin_rate is not None]
    if not units:
        return None
    from matplotlib.figure import Figure

    fig = Figure(figsize=(11.0, max(3.2, 0.9 * len(units) + 2.0)), dpi=DPI)
    counts, rates = fig.subplots(1, 2, sharey=True, gridspec_kw={"width_ratios": [1, 2]})
    ys = list(range(len(units)))[::-1]
    bars = counts.barh(ys, [u.reports for u in units], height=0.6, color=REPORT_COLOUR)
    counts.bar_label(bars, padding=2, fontsize=8)
    counts.set_xlim(0, max(1, *(u.reports for u in units)) * 1.2)
    whole_numbers(counts, "x")
    counts.set_yticks(ys, [_unit(u.name, lang) for u in units])
    counts.set_xlabel(t("stats.axis.reports", lang))
    counts.set_title(t("stats.chart.reports", lang), fontsize=10)
    counts.grid(axis="x", alpha=0.3)
    height = 0.26
    for i, key in enumerate(("clock", "patrol", "checkin")):
        vals = [getattr(u, f"{key}_rate") for u in units]
        pos = [y + (1 - i) * height for y in ys]
        bars = rates.barh(pos, [100 * (v or 0) for v in vals], height=height * 0.95, color=RATE_COLOURS[key],
                          label=t(f"stats.rate.{key}", lang))
        rates.bar_label(bars, labels=[_pct(v) for v in vals], padding=2, fontsize=7)
    rates.set_xlim(0, 112)
    rates.set_xlabel(t("stats.axis.rate", lang))
    rates.set_title(t("stats.chart.rates", lang), fontsize=10)
    rates.legend(loc="lower right", fontsize=8, framealpha=0.85)
    rates.grid(axis="x", alpha=0.3)
    fig.suptitle(t("stats.chart.title", lang, start=stats.start.isoformat(), end=stats.end.isoformat()))
    fig.supxlabel(t("stats.units.rule", lang), fontsize=8, color="#555555")
    return fig


def _counter_line(counter, vocab, lang: str) -> str:  # noqa: ANN001
    return t("list.sep", lang).join(f"{_vocab(vocab, k, lang)} {n}"
                                    for k, n in sorted(counter.items(), key=lambda kv: -kv[1]))


def _row_line(name: str, r: Row, lang: str) -> str:
    return t("stats.row", lang, name=name, reports=r.reports, median=_minutes(r.median_minutes, lang),
             met=r.clocks_met, missed=r.clocks_missed, pdone=r.patrols_done, ptotal=r.patrols, prate=_pct(r.patrol_rate),
             cdone=r.checkins_done, ctotal=r.checkins, crate=_pct(r.checkin_rate)) + (
        t("stats.row_tasks", lang, on_time=r.tasks_on_time, late=r.tasks_late)
        if r.tasks_on_time or r.tasks_late else "")  # only where there are tasks: older figures read as before


def text(stats: Stats, lang: str = "zh") -> str:
    """The chat message: totals, then per unit, then the first people."""
    head = t("stats.head", lang, start=stats.start.isoformat(), end=stats.end.isoformat())
    if stats.empty:
        return head + "\n" + t("stats.empty", lang)
    lines = [head, t("stats.incidents", lang, n=stats.incidents,
                     grades=_counter_line(stats.by_grade, GRADES, lang) or "-",
                     categories=_counter_line(stats.by_category, CATEGORIES, lang) or "-"),
             *([t("stats.outside", lang, **stats.outside)] if any(stats.outside.values()) else []),
             "", t("stats.legend", lang), "", t("stats.h.units", lang), t("stats.units.rule", lang)]
    lines += [_row_line(_unit(u.name, lang), u, lang) for u in stats.units]
    lines += ["", t("stats.h.people", lang)]
    people = [p for p in stats.people if not p.empty]
    shared = shared_names(people)
    lines += [_row_line(_person_unit(p, lang, shared), p, lang) for p in people[:TEXT_ROWS]]
    if len(people) > TEXT_ROWS:
        lines.append(t("stats.more", lang, n=len(people) - TEXT_ROWS))
    lines += ["", _row_line(t("stats.total", lang), stats.total, lang)]
    return "\n".join(lines)


CSV_COLUMNS = ("level", "unit", "person", "reports", "median_minutes_to_report", "clocks_met", "clocks_missed",
               "patrols_confirmed", "patrols", "checkins_on_time", "checkins", "telegram_id", "tasks_on_time",
               "tasks_late")


def csv_text(stats: Stats) -> str:
    """One row per unit and per person (level = unit | person | total); slugs and numbers, no labels."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)

    def row(level: str, unit: str, person: str, r: Row) -> list:
        med = r.median_minutes
        # the Telegram id tells apart two people of the same name (person rows only)
        tg = "" if level != "person" or r.telegram_id is None else r.telegram_id
        return [level, unit, person, r.reports, "" if med is None else f"{med:.1f}", r.clocks_met, r.clocks_missed,
                r.patrols_done, r.patrols, r.checkins_done, r.checkins, tg, r.tasks_on_time, r.tasks_late]

    def plain(name: str) -> str:
        return "(unassigned)" if name == UNASSIGNED else name

    for u in stats.units:
        w.writerow(row("unit", plain(u.name), "", u))
    for p in stats.people:
        w.writerow(row("person", plain(p.unit), plain(p.name), p))
    w.writerow(row("total", "", "", stats.total))
    for slug, n in sorted(stats.by_grade.items()):
        w.writerow(["grade", "", slug, n] + [""] * (len(CSV_COLUMNS) - 4))
    for slug, n in sorted(stats.by_category.items()):
        w.writerow(["category", "", slug, n] + [""] * (len(CSV_COLUMNS) - 4))
    for key, n in stats.outside.items() if any(stats.outside.values()) else ():  # older periods read as before
        w.writerow(["outside", "", key, n] + [""] * (len(CSV_COLUMNS) - 4))
    return buf.getvalue()
