"""Drawing one matplotlib figure to PNG bytes, shared by the review's charts and the statistics chart.

Agg only, no pyplot: a Figure is made directly and rendered under the CJK font settings of fonts.py.
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable

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


def render_png(draw: Callable[[], object]) -> bytes:
    """Run draw() (which returns the Figure it drew) with the CJK font settings; the PNG."""
    import matplotlib

    with _RENDER_LOCK, matplotlib.rc_context(fonts.rc_params()):
        fig = draw()
        fig.tight_layout()
        buf = io.BytesIO()
        fig.savefig(buf, format="png", dpi=DPI)
    return buf.getvalue()
