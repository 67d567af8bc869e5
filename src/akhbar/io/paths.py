"""Turn what the user names (files, folders, URLs) into inputs to read."""

from __future__ import annotations

import io
import os
import re
import urllib.error
import urllib.request
from collections.abc import Iterator
from functools import partial
from pathlib import Path
from typing import IO
from urllib.parse import unquote, urlsplit

from akhbar.io.blob import Blob, Context, display_name, is_folder_doc, not_an_article
from akhbar.io.dispatch import describe_os_error, read_blob
from akhbar.model import Origin, RawArticle, Skipped

__all__ = ["URL_TIMEOUT_S", "is_url", "read_input"]

URL_TIMEOUT_S = 30
_USER_AGENT = "akhbar/0.1 (+https://pypi.org/project/akhbar/)"


def is_url(value: str) -> bool:
    """True for an http(s) URL, which is fetched rather than opened."""
    return value.lower().startswith(("http://", "https://"))


def _open_file(path: Path) -> IO[bytes]:
    """Open a file for binary reading (buffered, streamed)."""
    return path.open("rb")


def _walk(folder: Path, seen: set[tuple[int, int]] | None = None) -> Iterator[Path | Skipped]:
    """Files under a folder, recursively, in sorted order.

    Hidden files and a folder's own documentation (README, LICENSE, NOTICE) are not articles:
    they are left out of folder walks (named on the command line, they are read like any file).
    A folder is walked once: a link back to one already walked (a loop, or a second way into
    it) is recorded as skipped instead of read again and again.
    """
    seen = set() if seen is None else seen
    try:
        stat = folder.stat()
        entries = sorted(folder.iterdir(), key=lambda p: p.name)
    except OSError as exc:
        reason = f"cannot list folder: {describe_os_error(exc)}"
        yield Skipped(Origin(display_name(str(folder))), reason)
        return
    seen.add((stat.st_dev, stat.st_ino))
    for entry in entries:
        if entry.name.startswith(".") or is_folder_doc(entry.name):
            continue
        if not entry.is_dir():
            why = not_an_article(entry.name)
            yield entry if why is None else Skipped(Origin(display_name(str(entry))), why)
            continue
        try:
            inner = entry.stat()
        except OSError as exc:
            reason = f"cannot list folder: {describe_os_error(exc)}"
            yield Skipped(Origin(display_name(str(entry))), reason)
            continue
        if (inner.st_dev, inner.st_ino) in seen:
            reason = (
                f"a link to a folder already read ({display_name(str(entry.resolve()))}): "
                "not read again"
            )
            yield Skipped(Origin(display_name(str(entry))), reason)
            continue
        yield from _walk(entry, seen)


def _walk_named(folder: Path) -> Iterator[Path | Skipped]:
    """`_walk` of a folder named as an input: one with nothing to read (empty, or holding only
    hidden files and its README) is recorded as skipped, not passed over in silence."""
    empty = True
    for entry in _walk(folder):
        empty = False
        yield entry
    if empty:
        reason = (
            "empty folder: no files to read (hidden files and README, LICENSE and the like "
            "are left out)"
        )
        yield Skipped(Origin(display_name(str(folder))), reason)


def _read_path(path: Path, ctx: Context) -> Iterator[RawArticle | Skipped]:
    """Read one file, refusing missing, unreadable and special paths with the OS's reason."""
    shown = display_name(str(path))
    try:
        stat = path.stat()
    except OSError as exc:
        yield Skipped(Origin(shown), f"cannot read: {describe_os_error(exc)}")
        return
    if not path.is_file():
        yield Skipped(Origin(shown), "not a regular file")
        return
    blob = Blob(
        path=shown,
        member=None,
        name=display_name(path.name),
        open=partial(_open_file, path),
        size=stat.st_size,
    )
    yield from read_blob(blob, ctx)


def _read_url(url: str, ctx: Context) -> Iterator[RawArticle | Skipped]:
    """Fetch a URL (30 s timeout) and read the body like a file: a feed or an HTML page."""
    origin = Origin(url)
    limit = ctx.settings.max_file_bytes
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=URL_TIMEOUT_S) as response:
            body: bytes = response.read(limit + 1)
    except urllib.error.HTTPError as exc:
        yield Skipped(origin, f"cannot fetch: HTTP {exc.code} {exc.reason}")
        return
    except urllib.error.URLError as exc:
        yield Skipped(origin, f"cannot fetch: {exc.reason}")
        return
    except (OSError, ValueError) as exc:
        yield Skipped(origin, f"cannot fetch: {exc}")
        return
    if len(body) > limit:
        yield Skipped(origin, f"response too large (more than max_file_bytes {limit})")
        return
    name = unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1]) or urlsplit(url).netloc
    blob = Blob(path=url, member=None, name=name, open=partial(io.BytesIO, body), size=len(body))
    yield from read_blob(blob, ctx)


_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")  # RFC 3986


def _refused(item: str | os.PathLike[str]) -> Skipped | None:
    """The record that skips a name that is no input: an empty one (which `Path` would take
    for the current folder) or a URL of a scheme not fetched (ftp://, s3://, which would
    be read as a path that does not exist); None for anything else."""
    name = os.fspath(item)
    if not name.strip():
        reason = "an empty name is not an input (an unset shell variable?): name a file, "
        return Skipped(Origin('""'), reason + "folder or URL")
    if not isinstance(item, str) or is_url(item) or "://" not in item or Path(item).exists():
        return None
    scheme = urlsplit(item).scheme
    if not _SCHEME.fullmatch(scheme):
        return None
    reason = f"{scheme}:// URLs are not fetched (only http and https): download the file first"
    return Skipped(Origin(display_name(name)), reason)


def read_input(item: str | os.PathLike[str], ctx: Context) -> Iterator[RawArticle | Skipped]:
    """Everything one named input holds: a URL, a folder (recursively) or a file."""
    if (refused := _refused(item)) is not None:
        yield refused
        return
    if isinstance(item, str) and is_url(item):
        yield from _read_url(item, ctx)
        return
    path = Path(item)
    if path.is_dir():
        for entry in _walk_named(path):
            if isinstance(entry, Skipped):
                yield entry
            else:
                yield from _read_path(entry, ctx)
    else:
        yield from _read_path(path, ctx)


def expand_input(item: str | os.PathLike[str]) -> Iterator[str | Skipped]:
    """The files (and URLs) one named input stands for: a folder is walked, recursively."""
    if (refused := _refused(item)) is not None:
        yield refused
        return
    if isinstance(item, str) and is_url(item):
        yield item
        return
    path = Path(item)
    if path.is_dir():
        for entry in _walk_named(path):
            yield entry if isinstance(entry, Skipped) else str(entry)
    else:
        yield str(path)
