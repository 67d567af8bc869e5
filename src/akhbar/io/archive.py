"""Archives (.gz, .zip): each member is read like a file, and its origin names the member."""

from __future__ import annotations

import gzip
import io
import struct
import zipfile
from collections.abc import Callable, Iterator
from functools import partial
from typing import IO, TYPE_CHECKING

from akhbar.io.blob import Blob, Context, is_folder_doc, not_an_article, read_limited
from akhbar.model import Origin, RawArticle, Skipped

if TYPE_CHECKING:
    from _typeshed import WriteableBuffer

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


class _UpToTruncation(io.RawIOBase):
    """A gzip stream's bytes up to where a truncated file ends, then its error.

    A buffered read that met the end of a truncated file dropped the bytes it had gathered
    before it: a small file lost all its records, a larger one those of its last block. Here
    the bytes before the end come first, as an ordinary end of file, and the error (which
    names the truncation) at the next read.
    """

    def __init__(self, compressed: IO[bytes]) -> None:
        """Decompress `compressed`, which this object now owns."""
        super().__init__()
        self._gzip = _OwningGzipFile(compressed)
        self._error: EOFError | None = None

    def readable(self) -> bool:
        """Always: a decompressed stream is read."""
        return True

    def seekable(self) -> bool:
        """As the gzip stream is (by decompressing again): a zip inside is read by seeking."""
        return self._gzip.seekable()

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        """Seek in the decompressed bytes."""
        self._error = None
        return self._gzip.seek(offset, whence)

    def tell(self) -> int:
        """Where in the decompressed bytes the next read starts."""
        return self._gzip.tell()

    def readinto(self, buffer: WriteableBuffer) -> int:
        """Fill `buffer` with what one read decompresses; 0 at the end, or where a truncated
        file ends (the next read raises its error)."""
        if self._error is not None:
            error, self._error = self._error, None
            raise error
        view = memoryview(buffer).cast("B")
        try:
            data = self._gzip.read1(len(view))
        except EOFError as exc:
            self._error = exc
            return 0
        except gzip.BadGzipFile as exc:
            # bytes after a whole member that do not open another (padding, a transfer's
            # leftovers) end the data, as gzip(1) reads it: the members before are whole
            if self._gzip.tell() > 0 and str(exc).startswith("Not a gzipped file"):
                return 0
            raise
        view[: len(data)] = data
        return len(data)

    def close(self) -> None:
        """Close the decompressor and the compressed stream."""
        try:
            self._gzip.close()
        finally:
            super().close()


def _open_gzip(blob: Blob) -> IO[bytes]:
    """Decompress the blob as a stream (buffered, up to where a truncated file ends)."""
    return io.BufferedReader(_UpToTruncation(blob.open()))


def read_gzip(blob: Blob, ctx: Context, dispatch: Dispatch) -> Iterator[RawArticle | Skipped]:
    """Stream a gzip-compressed input, dispatched by what it holds."""
    name = _member_name(blob)
    member = name if blob.member is None else f"{blob.member}!{name}"
    yield from dispatch(
        Blob(path=blob.path, member=member, name=name, open=partial(_open_gzip, blob)), ctx
    )


def _hidden(name: str) -> bool:
    """Hidden files and macOS resource forks in a zip are not inputs, nor a folder's own
    README or LICENSE (left out of a zipped folder as out of the folder itself)."""
    parts = [part for part in name.split("/") if part]
    return any(part.startswith(".") or part == "__MACOSX" for part in parts) or (
        bool(parts) and is_folder_doc(parts[-1])
    )


_CENTRAL = b"PK\x01\x02"
_LOCAL = b"PK\x03\x04"
_END = b"PK\x05\x06"
_UTF8_NAME = 0x800  # general purpose flag: the name is UTF-8


def _names_not_utf8(data: bytearray) -> set[bytes]:
    """Clear the UTF-8 flag of members whose names are flagged UTF-8 but are not (in the
    central directory and the members' own headers), so that zipfile reads them (it refuses
    the whole archive); their raw names, to show them as best as can be. A zip64 or damaged
    archive is left as it is (nothing cleared)."""
    end = data.rfind(_END)
    if end < 0 or end + 22 > len(data):
        return set()
    count, size, offset = struct.unpack_from("<HII", data, end + 10)
    base = end - size - offset  # bytes in front of the archive (a self-extractor's stub)
    pos, cleared = end - size, set()
    for _ in range(count):
        if pos < 0 or data[pos : pos + 4] != _CENTRAL:
            break
        flags = struct.unpack_from("<H", data, pos + 8)[0]
        n, extra, comment = struct.unpack_from("<HHH", data, pos + 28)
        local = struct.unpack_from("<I", data, pos + 42)[0] + base
        name = bytes(data[pos + 46 : pos + 46 + n])
        if flags & _UTF8_NAME:
            try:
                name.decode("utf-8")
            except UnicodeDecodeError:
                struct.pack_into("<H", data, pos + 8, flags & ~_UTF8_NAME)
                if local >= 0 and data[local : local + 4] == _LOCAL:
                    own = struct.unpack_from("<H", data, local + 6)[0]
                    struct.pack_into("<H", data, local + 6, own & ~_UTF8_NAME)
                cleared.add(name)
        pos += 46 + n + extra + comment
    return cleared


def _utf8_names(archive: zipfile.ZipFile) -> zipfile.ZipFile:
    """Member names stored in UTF-8 without the flag that says so (as macOS's and Linux's
    `zip` write them), read as UTF-8: zipfile reads them as code page 437, and an Arabic name
    was shown and stored as mojibake (`╪º┘ä╪«╪¿╪▒.txt`)."""
    for info in archive.infolist():
        if info.flag_bits & _UTF8_NAME or info.filename.isascii():
            continue
        try:
            info.filename = info.orig_filename.encode("cp437").decode("utf-8")
        except UnicodeError:
            continue  # another code page: kept as zipfile read it
    return archive


def _open_zip(blob: Blob, raw: IO[bytes], ctx: Context) -> zipfile.ZipFile:
    """The archive; one whose member names are flagged UTF-8 but are not is read again with
    those names as they are (shown with U+FFFD for the bytes that are not UTF-8), so that one
    misnamed member does not cost the others."""
    try:
        return _utf8_names(zipfile.ZipFile(raw))
    except UnicodeDecodeError:
        data = bytearray(read_limited(blob, ctx.settings.max_file_bytes))
        bad = _names_not_utf8(data)
        if not bad:
            raise
    archive = zipfile.ZipFile(io.BytesIO(data))
    for info in archive.infolist():
        if not info.flag_bits & _UTF8_NAME:
            name = info.orig_filename.encode("cp437")  # as zipfile decoded an unflagged name
            if name in bad:
                info.filename = name.decode("utf-8", "replace")
    return archive


def read_zip(blob: Blob, ctx: Context, dispatch: Dispatch) -> Iterator[RawArticle | Skipped]:
    """Stream each member of a zip file, in name order, dispatched like files."""
    with blob.open() as raw, _open_zip(blob, raw, ctx) as archive:
        infos = sorted(
            (i for i in archive.infolist() if not i.is_dir() and not _hidden(i.filename)),
            key=lambda i: i.filename,
        )
        if not infos:
            yield Skipped(blob.origin, "zip archive holds no files")
            return
        for info in infos:
            member = info.filename if blob.member is None else f"{blob.member}!{info.filename}"
            why = not_an_article(info.filename)
            if why is not None:
                yield Skipped(Origin(blob.path, member), why)
                continue
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
