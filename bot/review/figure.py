"""Drawing one matplotlib figure to PNG bytes, shared by the review's charts and the statistics chart.

Agg only, no pyplot: a Figure is made directly and rendered under the CJK font settings of fonts.py.
A chart is a function that builds its Figure (None when there is nothing to draw); `render_png` runs it
under `drawing()` and saves it. Tests build the Figure themselves under `drawing()` to read its axes.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from bot.review import fonts

DPI = 150
# rc_context swaps matplotlib's global rcParams: two charts drawn at once in two worker threads (two chats
# asking for a review, or /stats) would see each other's settings, so drawing is one at a time
_RENDER_LOCK = threading.Lock()


def new_figure(width: float = 8.0, height: float = 4.5):  # noqa: ANN201 (matplotlib is imported lazily)
    """A Figure of `width` × `height` inches and its one Axes."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI)
    return fig, fig.add_subplot()


def whole_numbers(ax, which: str = "y") -> None:  # noqa: ANN001 (a matplotlib Axes)
    """A count axis (`which`: "x" or "y"): ticks on whole numbers only (never 0.2, 0.4… when the counts are
    small). Call it once the limits are set: a view below 1 is widened to 1, else no whole tick but 0 fits."""
    from matplotlib.ticker import MaxNLocator

    axis, limits, set_limits = ((ax.xaxis, ax.get_xlim, ax.set_xlim) if which == "x"
                                else (ax.yaxis, ax.get_ylim, ax.set_ylim))
    axis.set_major_locator(MaxNLocator(integer=True))
    low, high = limits()
    if high < 1:
        set_limits(low, 1)


@contextmanager
def drawing() -> Iterator[None]:
    """The CJK font settings (and the lock) a Figure must be built and saved under."""
    import matplotlib

    with _RENDER_LOCK, matplotlib.rc_context(fonts.rc_params()):
        yield


def render_png(draw: Callable[[], object]) -> bytes | None:
    """Run draw() (which returns the Figure it drew, or None for no data) under `drawing()`; the PNG or None."""
    with drawing():
        fig = draw()
        if fig is None:
            return None
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()
