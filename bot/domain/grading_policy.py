"""The grading thresholds (org file `policy: grading:`): the seed's numbers as defaults, checked when read."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, ClassVar

from bot.domain.vocab import MEDIA_LEVELS, PLATFORMS


def _threshold(name: str, v: Any, *, optional: bool) -> int | None:
    if v is None and optional:
        return None
    if isinstance(v, bool) or not isinstance(v, int) or v <= 0:
        raise ValueError(f"policy.grading.{name} must be a positive whole number{' or null' if optional else ''}, "
                         f"got {v!r}")
    return v


def _platform_thresholds(name: str, v: Any) -> dict[str, int]:
    if v is None:
        return {}
    if not isinstance(v, Mapping):
        raise ValueError(f"policy.grading.{name} must be a mapping platform: number")
    out: dict[str, int] = {}
    for key, n in v.items():
        slug = PLATFORMS.parse(str(key))
        if slug is None:
            raise ValueError(f"policy.grading.{name}: unknown platform {key!r}; valid: {', '.join(PLATFORMS.slugs)}")
        out[slug] = _threshold(f"{name}.{slug}", n, optional=False)  # type: ignore[assignment]
    return out


def _media_levels(name: str, v: Any) -> tuple[str, ...]:
    if v is None:
        return ()
    if isinstance(v, str) or not isinstance(v, Iterable):
        raise ValueError(f"policy.grading.{name} must be a list of media levels")
    out = []
    for item in v:
        slug = MEDIA_LEVELS.parse(str(item))
        if slug is None:
            raise ValueError(f"policy.grading.{name}: unknown media level {item!r}; "
                             f"valid: {', '.join(MEDIA_LEVELS.slugs)}")
        out.append(slug)
    return tuple(sorted(set(out), key=MEDIA_LEVELS.slugs.index))


@dataclass(frozen=True)
class GradingPolicy:
    """Thresholds for `compute_grade`; org file `policy: grading:` (docs/policy.md)."""

    name: ClassVar[str] = "grading"

    weibo_repost_threshold: int | None = 100
    repost_thresholds: dict[str, int] = field(default_factory=dict)      # other platforms: none by default
    comment_thresholds: dict[str, int] = field(default_factory=dict)
    view_thresholds: dict[str, int] = field(default_factory=dict)
    major_media_levels: tuple[str, ...] = ("central", "provincial", "city")
    cross_region_is_major: bool = True
    large_image_impact_is_major: bool = True
    especially_major_repost_threshold: int | None = None                   # Weibo; off by default
    especially_major_repost_thresholds: dict[str, int] = field(default_factory=dict)
    especially_major_media_levels: tuple[str, ...] = ()

    _THRESHOLDS: ClassVar[tuple[str, ...]] = ("weibo_repost_threshold", "especially_major_repost_threshold")
    _PER_PLATFORM: ClassVar[tuple[str, ...]] = ("repost_thresholds", "comment_thresholds", "view_thresholds",
                                               "especially_major_repost_thresholds")
    _LEVELS: ClassVar[tuple[str, ...]] = ("major_media_levels", "especially_major_media_levels")
    _FLAGS: ClassVar[tuple[str, ...]] = ("cross_region_is_major", "large_image_impact_is_major")

    @classmethod
    def keys(cls) -> tuple[str, ...]:
        return cls._THRESHOLDS + cls._PER_PLATFORM + cls._LEVELS + cls._FLAGS

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> GradingPolicy:
        """Defaults overridden by `data`; unknown keys and bad values raise ValueError."""
        data = dict(data or {})
        unknown = set(data) - set(cls.keys())
        if unknown:
            raise ValueError(f"policy.grading: unknown key(s) {sorted(unknown)}; known: {sorted(cls.keys())}")
        kw: dict[str, Any] = {}
        for k, v in data.items():
            if k in cls._THRESHOLDS:
                kw[k] = _threshold(k, v, optional=True)
            elif k in cls._PER_PLATFORM:
                kw[k] = _platform_thresholds(k, v)
            elif k in cls._LEVELS:
                kw[k] = _media_levels(k, v)
            else:
                if not isinstance(v, bool):
                    raise ValueError(f"policy.grading.{k} must be true or false, got {v!r}")
                kw[k] = v
        for k in ("repost_thresholds", "especially_major_repost_thresholds"):
            if "weibo" in kw.get(k, {}):
                single = "weibo_repost_threshold" if k == "repost_thresholds" else "especially_major_repost_threshold"
                raise ValueError(f"policy.grading.{k}: set Weibo with {single}")
        return cls(**kw)

    def to_mapping(self) -> dict[str, Any]:
        """Plain YAML-safe data (lists, dicts) — what `org export` shows."""
        out: dict[str, Any] = {}
        for k in self.keys():
            v = getattr(self, k)
            out[k] = list(v) if isinstance(v, tuple) else (dict(v) if isinstance(v, dict) else v)
        return out

    def repost_threshold(self, platform: str, *, especially: bool = False) -> int | None:
        if especially:
            if platform == "weibo":
                return self.especially_major_repost_threshold
            return self.especially_major_repost_thresholds.get(platform)
        if platform == "weibo":
            return self.weibo_repost_threshold
        return self.repost_thresholds.get(platform)
