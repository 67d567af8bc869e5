"""The cyclic garbage collector, run less often while a long job keeps what it allocates."""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator

__all__ = ["GC_YOUNG", "fewer_collections"]

# allocations between two collections of the youngest objects while clustering (CPython: 700)
GC_YOUNG = 10_000


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Run the cyclic garbage collector less often while ingesting or reclustering; as before
    afterwards.

    Clustering keeps most of what it allocates (each story's sums, member vectors and index
    postings), so at CPython's thresholds the collector walked that growing heap again and
    again and found little: about 6% of the main process's time in a long stream. Only the
    youngest generation's threshold is raised (the older ones follow it); one already higher,
    or a collector switched off, is left alone, and so is a threshold changed meanwhile.
    """
    before = gc.get_threshold()
    if before[0] >= GC_YOUNG or not gc.isenabled():
        yield
        return
    gc.set_threshold(GC_YOUNG, *before[1:])
    try:
        yield
    finally:
        if gc.get_threshold()[0] == GC_YOUNG:
            gc.set_threshold(*before)
