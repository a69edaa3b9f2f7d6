"""A CJK font for the charts and the word cloud.

Search order:
1. the file named by the environment variable ONDUTY_CJK_FONT;
2. Noto Sans SC from the PyPI package `pylopdf-fonts-zh-cn` (SIL Open Font License 1.1; a project
   dependency, so every machine that installs onduty has it);
3. fonts installed by the system (Debian's fonts-noto-cjk, WenQuanYi, Droid Sans Fallback).

`setup_matplotlib()` registers the font with matplotlib's font_manager and returns the rc settings
the chart functions use; no global rcParams are changed.
"""

from __future__ import annotations

import logging
import os
from functools import cache
from pathlib import Path

log = logging.getLogger(__name__)

ENV_VAR = "ONDUTY_CJK_FONT"
SYSTEM_FONTS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJKsc-Regular.otf",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/google-noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)
FALLBACK_FAMILY = "DejaVu Sans"


def _packaged() -> Path | None:
    try:
        import pylopdf_fonts_zh_cn
    except ImportError:
        return None
    path = Path(pylopdf_fonts_zh_cn.sans_path())
    return path if path.is_file() else None


@cache
def cjk_font_path() -> Path | None:
    """The first CJK font file found, or None (then Chinese text cannot be drawn in charts)."""
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        if Path(env).is_file():
            return Path(env)
        log.warning("%s=%s is not a file; looking for a CJK font elsewhere", ENV_VAR, env)
    found = _packaged()
    if found:
        return found
    for candidate in SYSTEM_FONTS:
        if Path(candidate).is_file():
            return Path(candidate)
    log.warning("no CJK font found: install pylopdf-fonts-zh-cn or fonts-noto-cjk, or set %s", ENV_VAR)
    return None


@cache
def matplotlib_family() -> str | None:
    """Register the CJK font with matplotlib; its family name, or None without a CJK font."""
    path = cjk_font_path()
    if path is None:
        return None
    from matplotlib import font_manager

    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()


def rc_params() -> dict[str, object]:
    """rc settings for matplotlib.rc_context: the CJK font first, DejaVu Sans for anything it lacks."""
    family = matplotlib_family()
    families = [family, FALLBACK_FAMILY] if family else [FALLBACK_FAMILY]
    return {
        "font.family": "sans-serif",
        "font.sans-serif": families,
        "axes.unicode_minus": False,
        "svg.fonttype": "none",
    }
