"""The one exception hierarchy of akhbar.

    AkhbarError
    ├── ConfigError          bad settings or a missing optional extra
    ├── InputError           an input file, URL or record cannot be read
    │   ├── UnsupportedInputError   a file whose kind akhbar does not read
    │   └── RecordError             one record of a file is malformed
    └── StoreError           the database cannot be opened, migrated or written
        └── NotFoundError        no article (or other object) has the id asked for

Every message names what went wrong (the file, line or record) and what to do about it.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = [
    "AkhbarError",
    "ConfigError",
    "InputError",
    "NotFoundError",
    "RecordError",
    "StoreError",
    "UnsupportedInputError",
    "import_extra",
    "missing_extra",
]


class AkhbarError(Exception):
    """Base class: catch this to handle any akhbar failure."""


class ConfigError(AkhbarError):
    """Settings are invalid or an optional dependency is not installed."""


class InputError(AkhbarError):
    """An input cannot be read; `origin` names the file or URL (and line or record)."""

    def __init__(self, origin: str, reason: str) -> None:
        super().__init__(f"{origin}: {reason}")
        self.origin = origin
        self.reason = reason


class UnsupportedInputError(InputError):
    """The input is of a kind akhbar does not read (binary, unknown format)."""


class RecordError(InputError):
    """One record inside an otherwise readable input is malformed."""


class StoreError(AkhbarError):
    """The database cannot be opened, migrated or written."""


def import_extra(module: str, extra: str) -> ModuleType:
    """Import an optional dependency when first needed; ConfigError with the install hint."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise missing_extra(module, extra) from exc


def missing_extra(module: str, extra: str) -> ConfigError:
    """Build the error for an optional dependency that is not installed, with the install hint."""
    return ConfigError(
        f"this feature needs the optional dependency {module!r}; "
        f"install it with: pip install 'akhbar[{extra}]'"
    )


class NotFoundError(StoreError, KeyError):
    """No object with the requested id exists in the store."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else "not found"
