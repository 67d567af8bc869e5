"""One typed settings object, passed explicitly; defaults are packaged in data/settings.toml."""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from akhbar.dedup.copies import CopySettings
from akhbar.errors import ConfigError

__all__ = [
    "CleanSettings",
    "CopySettings",
    "ExtractSettings",
    "ReadSettings",
    "Settings",
    "StoreSettings",
    "TrackingSettings",
]


@dataclass(frozen=True, slots=True)
class ReadSettings:
    """How inputs are read."""

    max_file_bytes: int = 2 * 1024**3
    max_record_chars: int = 2_000_000
    detect_language: bool = True
    language_min_chars: int = 20
    max_future_days: float = 2.0


@dataclass(frozen=True, slots=True)
class CleanSettings:
    """Thresholds of the cleaning rules."""

    headline_max_words: int = 16
    headline_min_words: int = 2
    heading_link_min_overlap: float = 0.34
    on_topic_min_overlap: float = 0.5
    glued_heading_max_words: int = 12
    boilerplate_min_articles: int = 5
    boilerplate_min_share: float = 0.2
    boilerplate_max_words: int = 30
    extra_boilerplate: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class StoreSettings:
    """How the SQLite store is written."""

    batch_size: int = 2000
    busy_timeout_ms: int = 10_000


@dataclass(frozen=True, slots=True)
class TrackingSettings:
    """How copy groups and stories are kept up to date during ingest."""

    enabled: bool = True
    restore_days: float = 7.0


@dataclass(frozen=True, slots=True)
class ExtractSettings:
    """Whether entities, quotes, cited sources and dates are extracted during ingest."""

    enabled: bool = True


def _check_type(section: str, key: str, value: Any, default: Any) -> None:
    """A setting's value has its default's type (a whole number may stand for a float)."""
    if isinstance(default, bool):
        ok = isinstance(value, bool)
    elif isinstance(default, int):
        ok = isinstance(value, int) and not isinstance(value, bool)
    elif isinstance(default, float):
        ok = isinstance(value, int | float) and not isinstance(value, bool)
    elif isinstance(default, tuple):
        ok = isinstance(value, tuple) and all(isinstance(v, str) for v in value)
    else:
        ok = isinstance(value, type(default))
    if not ok:
        wanted = "a list of strings" if isinstance(default, tuple) else type(default).__name__
        raise ConfigError(f"[{section}] {key} must be {wanted}, not {value!r}")


_SECTIONS: dict[str, type] = {
    "read": ReadSettings,
    "clean": CleanSettings,
    "store": StoreSettings,
    "copies": CopySettings,
    "tracking": TrackingSettings,
    "extract": ExtractSettings,
}


@dataclass(frozen=True, slots=True)
class Settings:
    """All of akhbar's settings; `Settings.load()` reads the packaged defaults."""

    read: ReadSettings = field(default_factory=ReadSettings)
    clean: CleanSettings = field(default_factory=CleanSettings)
    store: StoreSettings = field(default_factory=StoreSettings)
    copies: CopySettings = field(default_factory=CopySettings)
    tracking: TrackingSettings = field(default_factory=TrackingSettings)
    extract: ExtractSettings = field(default_factory=ExtractSettings)

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        """Packaged defaults, overridden by the TOML file at `path` when given."""
        text = resources.files("akhbar").joinpath("data/settings.toml").read_text("utf-8")
        data = tomllib.loads(text)
        if path is not None:
            try:
                override = tomllib.loads(path.read_text("utf-8"))
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise ConfigError(f"{path}: cannot read settings: {exc}") from exc
            for section, values in override.items():
                if not isinstance(values, dict):
                    raise ConfigError(
                        f"{path}: {section} = {values!r} is not a section: write [{section}] "
                        "and its settings below it"
                    )
                data.setdefault(section, {}).update(values)
            try:
                return cls.from_dict(data)
            except ConfigError as exc:  # the file the user wrote, named
                raise ConfigError(f"{path}: {exc}") from exc
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Settings:
        """Build settings from nested dicts, rejecting unknown sections and keys."""
        parts: dict[str, Any] = {}
        for f in dataclasses.fields(cls):
            section_type = _SECTIONS[f.name]
            values = dict(data.get(f.name, {}))
            known = {g.name for g in dataclasses.fields(section_type)}
            unknown = set(values) - known
            if unknown:
                raise ConfigError(
                    f"unknown setting(s) in [{f.name}]: {', '.join(sorted(unknown))}; "
                    f"known: {', '.join(sorted(known))}"
                )
            defaults = section_type()
            for key, value in values.items():
                if isinstance(value, list):
                    values[key] = tuple(value)
                _check_type(f.name, key, values[key], getattr(defaults, key))
            try:
                parts[f.name] = section_type(**values)
            except ValueError as exc:
                raise ConfigError(f"[{f.name}]: {exc}") from exc
        unknown_sections = set(data) - set(parts)
        if unknown_sections:
            raise ConfigError(f"unknown settings section(s): {', '.join(sorted(unknown_sections))}")
        return cls(**parts)
