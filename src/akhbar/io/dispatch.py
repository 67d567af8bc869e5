"""Route one input to the reader for its kind, turning every failure into a Skipped record."""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterator

from akhbar.errors import ConfigError, InputError
from akhbar.io.archive import read_gzip, read_zip
from akhbar.io.blob import Blob, Context, TooLargeError, read_limited
from akhbar.io.encoding import BINARY_REASON, decode_bytes
from akhbar.io.sniff import HEAD_BYTES, sniff
from akhbar.model import RawArticle, Skipped

__all__ = ["describe_os_error", "read_blob"]

# Feeds are parsed whole by feedparser; real feeds are far smaller than this.
_FEED_MAX_BYTES = 64 * 1024**2
# A text or HTML file is one article: UTF-8 needs at most 4 bytes a character, plus markup.
_HTML_MARKUP_FACTOR = 8


def describe_os_error(exc: OSError) -> str:
    """The OS's own words for why a path cannot be read (e.g. 'Permission denied')."""
    return exc.strerror or str(exc) or type(exc).__name__


def _whole_limit(ctx: Context, factor: int) -> int:
    """How many bytes a single-article input may have before it is refused."""
    return min(ctx.settings.max_file_bytes, ctx.settings.max_record_chars * factor)


def _read_kind(blob: Blob, head: bytes, ctx: Context) -> Iterator[RawArticle | Skipped]:
    """Read the blob with the reader its content calls for."""
    kind = sniff(blob.name, head)
    origin = blob.origin
    if kind == "empty":
        yield Skipped(origin, "empty file")
    elif kind == "binary":
        yield Skipped(origin, BINARY_REASON)
    elif kind == "gzip":
        yield from read_gzip(blob, ctx, read_blob)
    elif kind == "zip":
        yield from read_zip(blob, ctx, read_blob)
    elif kind == "jsonl":
        from akhbar.io.jsonl import read_jsonl  # noqa: PLC0415 - keeps imports per reader

        yield from read_jsonl(blob, head, ctx)
    elif kind == "json":
        from akhbar.io.jsonl import read_json_array  # noqa: PLC0415

        yield from read_json_array(blob, head, ctx)
    elif kind == "feed":
        from akhbar.io.feed import feed_articles  # noqa: PLC0415

        yield from feed_articles(read_limited(blob, _FEED_MAX_BYTES), blob, ctx)
    elif kind == "html":
        from akhbar.io.html import html_article  # noqa: PLC0415

        data = read_limited(blob, _whole_limit(ctx, 4 * _HTML_MARKUP_FACTOR))
        yield html_article(data, blob, ctx)
    else:
        from akhbar.io.text import text_article  # noqa: PLC0415

        data = read_limited(blob, _whole_limit(ctx, 4))
        yield text_article(decode_bytes(data, str(origin)), blob, ctx)


def read_blob(blob: Blob, ctx: Context) -> Iterator[RawArticle | Skipped]:
    """All articles of one input; whatever goes wrong becomes a Skipped naming the input."""
    origin = blob.origin
    limit = ctx.settings.max_file_bytes
    if blob.size is not None and blob.size > limit:
        yield Skipped(origin, f"file too large ({blob.size} bytes > max_file_bytes {limit})")
        return
    count = 0
    try:
        with blob.open() as stream:
            head = stream.read(HEAD_BYTES)
            if not head:
                stream.read(1)  # an input that ends early (a cut .gz) says so here, not "empty"
        for item in _read_kind(blob, head, ctx):
            count += 1
            yield item
    except InputError as exc:
        yield Skipped(origin, exc.reason)
    except ConfigError as exc:
        yield Skipped(origin, str(exc))
    except TooLargeError as exc:
        yield Skipped(origin, str(exc))
    except (OSError, EOFError, zlib.error, zipfile.BadZipFile) as exc:
        reason = describe_os_error(exc) if isinstance(exc, OSError) else str(exc) or "truncated"
        where = f" after {count} record(s)" if count else ""
        yield Skipped(origin, f"cannot read{where}: {reason}")
    except (UnicodeError, ValueError, RuntimeError, NotImplementedError) as exc:
        # what a parser or a zip member raises on input it cannot handle (text that will not
        # decode, an encrypted member, a compression method zipfile lacks): this input is
        # skipped, named, and the inputs after it (the next members of a zip) are read
        where = f" after {count} record(s)" if count else ""
        yield Skipped(origin, f"cannot read{where}: {str(exc)[:300] or type(exc).__name__}")
