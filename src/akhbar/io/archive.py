"""Archives (.gz, .zip): each member is read like a file, and its origin names the member."""

from __future__ import annotations

import gzip
import zipfile
from collections.abc import Callable, Iterator
from functools import partial
from typing import IO

from akhbar.io.blob import Blob, Context
from akhbar.model import RawArticle, Skipped

__all__ = ["Dispatch", "read_gzip", "read_zip"]

Dispatch = Callable[[Blob, Context], Iterator[RawArticle | Skipped]]


def _member_name(blob: Blob) -> str:
    """The name of a .gz file's content: its own name without the .gz suffix."""
    name = blob.name
    for suffix in (".gz", ".gzip", ".tgz"):
        if name.lower().endswith(suffix):
            return name[: -len(suffix)] + (".tar" if suffix == ".tgz" else "")
    return name


class _OwningGzipFile(gzip.GzipFile):
    """A GzipFile that also closes the stream it decompresses (GzipFile leaves it open)."""

    def __init__(self, raw: IO[bytes]) -> None:
        """Decompress `raw`, which this object now owns."""
        super().__init__(fileobj=raw, mode="rb")
        self._raw = raw

    def close(self) -> None:
        """Close the decompressor, then the compressed stream."""
        try:
            super().close()
        finally:
            self._raw.close()


def _open_gzip(blob: Blob) -> IO[bytes]:
    """Decompress the blob as a stream."""
    stream: IO[bytes] = _OwningGzipFile(blob.open())  # type: ignore[assignment]
    return stream


def read_gzip(blob: Blob, ctx: Context, dispatch: Dispatch) -> Iterator[RawArticle | Skipped]:
    """Stream a gzip-compressed input, dispatched by what it holds."""
    name = _member_name(blob)
    member = name if blob.member is None else f"{blob.member}!{name}"
    yield from dispatch(
        Blob(path=blob.path, member=member, name=name, open=partial(_open_gzip, blob)), ctx
    )


def _hidden(name: str) -> bool:
    """Hidden files and macOS resource forks in a zip are not inputs."""
    return any(part.startswith(".") or part == "__MACOSX" for part in name.split("/") if part)


def read_zip(blob: Blob, ctx: Context, dispatch: Dispatch) -> Iterator[RawArticle | Skipped]:
    """Stream each member of a zip file, in name order, dispatched like files."""
    with blob.open() as raw, zipfile.ZipFile(raw) as archive:
        infos = sorted(
            (i for i in archive.infolist() if not i.is_dir() and not _hidden(i.filename)),
            key=lambda i: i.filename,
        )
        if not infos:
            yield Skipped(blob.origin, "zip archive holds no files")
            return
        for info in infos:
            member = info.filename if blob.member is None else f"{blob.member}!{info.filename}"
            opener: Callable[[], IO[bytes]] = partial(archive.open, info)
            yield from dispatch(
                Blob(
                    path=blob.path,
                    member=member,
                    name=info.filename.rsplit("/", 1)[-1],
                    open=opener,
                    size=info.file_size,
                ),
                ctx,
            )
