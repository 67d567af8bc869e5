"""One input to read: a named stream of bytes (a file, an archive member or a fetched URL)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import IO

from akhbar.model import Origin
from akhbar.settings import ReadSettings

__all__ = ["Blob", "Context", "TooLargeError", "read_limited"]


@dataclass(frozen=True, slots=True)
class Blob:
    """A byte stream with the names messages need; `open` can be called more than once."""

    path: str
    member: str | None
    name: str
    open: Callable[[], IO[bytes]]
    size: int | None = None

    @property
    def origin(self) -> Origin:
        """Where this input is, for Skipped records and warnings."""
        return Origin(self.path, self.member)


@dataclass(frozen=True, slots=True)
class Context:
    """What every reader needs besides the input: the settings and the `--outlet` override."""

    settings: ReadSettings
    outlet: str | None = None


class TooLargeError(ValueError):
    """An input read whole turned out bigger than the limit for reading it whole."""


def read_limited(blob: Blob, limit: int) -> bytes:
    """Read the whole input, refusing (TooLargeError) to hold more than `limit` bytes."""
    with blob.open() as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise TooLargeError(f"too large to read whole (more than {limit} bytes)")
    return data
