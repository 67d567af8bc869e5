"""Copy detection over all of SaudiNewsNet: akhbar.dedup against datasketch, in one run.

Usage: python benchmarks/dedup.py [--shared PATH] [--limit N] [--threshold T] [--one-by-one]
       [--peer-hash crc32|sha1] [--repeat N] [--no-two-cores]

Articles are read and cleaned once up front (not timed) and their normalised bodies written to a
temporary file. Each side then runs in fresh subprocesses, the sides taking turns: `--repeat` times
timed (wall clock per stage, the fastest run shown, as `timeit` does: the one least disturbed by
other work on the machine; also the ratio of the two sides' times in the same round, whose median a
machine that runs slower for a while moves least; peak RSS over the process's baseline after
loading the texts, the largest shown) and once under tracemalloc (peak and retained traced bytes:
Python objects and NumPy buffers, plus akhbar's storage on memory maps, which tracemalloc does not
see). Both sides start from the same normalised text and the same 3-word shingles; datasketch
hashes each shingle with 128 permutations, reusing one set for every MinHash (its fast path), with
zlib's crc32 as its hash function (faster than its default sha1; `--peer-hash sha1` for the
default), and gets its best LSH threshold on dev; akhbar uses 128 one-permutation bins (one hash
per shingle, densified) and verifies candidates on the exact shingle sets. CPU time of the timed
stages is printed too: on a shared machine it moves less than wall time. Quality is copy-level
pairwise F1 on the dev split (`shared/eval`), LSH candidates joined by union-find for datasketch, a
`CopyDetector` with the `[copies]` settings ingest runs with (settings.toml) for akhbar.

The figures above are one core each. Then both sides are timed again on both cores, each in
the form that uses them best: akhbar's `CopyDetector.fit` sketches the next batch on a helper
thread while it matches the current one; datasketch's MinHashes are computed in a second
process one batch ahead of its LSH (a thread does not help it: its signatures hold the GIL).
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import pickle
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from _machine import describe

REPO = Path(__file__).resolve().parent.parent
_WORD = re.compile(r"[^\W_]+")
NUM_PERM = 128
SHINGLE = 3
_PEER_BATCH = 2048  # texts per job sent to datasketch's second process (as FIT_BATCH)


def _rss_mb() -> float:
    """Current resident memory of this process (Linux /proc), MB."""
    with open("/proc/self/statm", encoding="ascii") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def _reset_peak() -> None:
    """Make the kernel's peak-RSS mark start again from now (Linux `clear_refs` 5)."""
    with open("/proc/self/clear_refs", "w", encoding="ascii") as fh:
        fh.write("5")


def _peak_mb() -> float:
    """Peak resident memory since the last `_reset_peak` (VmHWM), MB."""
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1000
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1000


def _shingles(text: str) -> list[bytes]:
    """Word 3-shingles as datasketch wants them (the same words akhbar shingles)."""
    w = _WORD.findall(text)
    if not w:
        return []
    return [" ".join(w[i : i + SHINGLE]).encode("utf-8") for i in range(max(1, len(w) - 2))]


def _peer_hash(name: str) -> Any:
    """datasketch's hash function: its default (sha1, 32 bits of it) or zlib's crc32, which
    makes its signatures faster (a fair peer runs at its fastest)."""
    if name == "crc32":
        return zlib.crc32
    from datasketch.hashfunc import sha1_hash32  # type: ignore[import-untyped]

    return sha1_hash32


def _union_groups(ids: list[str], pairs: Iterable[tuple[int, int]]) -> dict[str, str]:
    parent = list(range(len(ids)))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    return {aid: ids[find(i)] for i, aid in enumerate(ids)}


def _copy_settings() -> Any:
    """The copy settings ingest runs with (settings.toml), not the dataclass defaults: the
    benchmark times what ingest would run."""
    from akhbar.settings import Settings

    return Settings.load().copies


# -- the two sides (run in a subprocess) ----------------------------------------------------


def run_akhbar(items: list[tuple[str, str]], one_by_one: bool = False) -> dict[str, Any]:
    """Sketch in batches, then match each batch (`add_batch`: every article against the ones
    before it, as in a stream) or, with `one_by_one`, call `add_sketch` per article. The
    batches are `CopyDetector.fit`'s (`FIT_BATCH`); ingest matches copies in the smaller
    batches it clusters in, where copy detection is a small share of its time."""
    from akhbar.dedup import FIT_BATCH, CopyDetector

    det = CopyDetector(_copy_settings())
    det.add("warm-up", "warm up")  # builds the code and power tables once, outside the timing
    det = CopyDetector(_copy_settings())
    det.fit([])
    sign = index = 0.0
    candidates = 0
    copies = 0
    cpu = time.process_time()
    for lo in range(0, len(items), FIT_BATCH):  # the batches `CopyDetector.fit` uses
        batch = items[lo : lo + FIT_BATCH]
        t0 = time.perf_counter()
        sketches = det.hasher_.sketch_batch([t for _, t in batch])
        t1 = time.perf_counter()
        if one_by_one:
            matches = [
                det.add_sketch(aid, sk)
                for (aid, _), sk in zip(batch, sketches.sketches(), strict=True)
            ]
        else:  # the same matches, each against the articles before it, done for the batch
            matches = det.add_batch([aid for aid, _ in batch], sketches)
        for match in matches:
            candidates += match.candidates
            copies += match.is_copy
        index += time.perf_counter() - t1
        sign += t1 - t0
    cpu = time.process_time() - cpu
    groups = len(set(det.groups().values()))
    return {"signature_s": sign, "index_s": index, "total_s": sign + index, "cpu_s": cpu,
            "candidates": candidates,
            "copies": copies, "groups": groups, "keep": det}  # fmt: skip


def run_datasketch(
    items: list[tuple[str, str]], threshold: float, peer_hash: str
) -> dict[str, Any]:
    """MinHash per article (shared permutations), then query + insert into MinHashLSH."""
    from datasketch import MinHashLSH  # type: ignore[import-untyped]

    _template()  # its permutations made once, outside the timing
    cpu = time.process_time()
    t0 = time.perf_counter()
    sigs = _minhashes([text for _, text in items], peer_hash)
    t1 = time.perf_counter()
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    candidates = 0
    for (aid, _), m in zip(items, sigs, strict=True):
        candidates += len(lsh.query(m))
        lsh.insert(aid, m)
    t2 = time.perf_counter()
    cpu = time.process_time() - cpu
    return {"signature_s": t1 - t0, "index_s": t2 - t1, "total_s": t2 - t0, "cpu_s": cpu,
            "candidates": candidates,
            "keep": (lsh, sigs), "bands": lsh.b, "rows": lsh.r}  # fmt: skip


def run_akhbar_two_cores(items: list[tuple[str, str]]) -> dict[str, Any]:
    """`CopyDetector.fit`: each batch matched while the next is sketched on a helper thread."""
    from akhbar.dedup import CopyDetector

    CopyDetector(_copy_settings()).add("warm-up", "warm up")
    det = CopyDetector(_copy_settings())
    cpu = time.process_time()
    t0 = time.perf_counter()
    groups = det.fit(items)
    wall = time.perf_counter() - t0
    return {"total_s": wall, "cpu_s": time.process_time() - cpu,
            "groups": len(set(groups.values())), "keep": det}  # fmt: skip


@functools.cache
def _template() -> Any:
    """The MinHash whose permutations every other one reuses (one per process)."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=1)


def _minhashes(texts: list[str], peer_hash: str) -> list[Any]:
    """datasketch's MinHash of each text, all sharing the template's permutations."""
    from datasketch import MinHash

    hashfunc, template = _peer_hash(peer_hash), _template()
    out = []
    for text in texts:
        m = MinHash(NUM_PERM, seed=1, hashfunc=hashfunc, permutations=template.permutations,
                    scheme=template.scheme)  # fmt: skip
        m.update_batch(_shingles(text))
        out.append(m)
    return out


def _datasketch_signatures(texts: list[str], peer_hash: str) -> Any:
    """Hash values of the texts' MinHashes, one row each (run in the second process)."""
    import numpy as np

    return np.stack([m.hashvalues for m in _minhashes(texts, peer_hash)])


def run_datasketch_two_cores(
    items: list[tuple[str, str]], threshold: float, peer_hash: str
) -> dict[str, Any]:
    """MinHashes computed in a second process one batch ahead, while this one queries and
    inserts the batch before into MinHashLSH (as LeanMinHash: its light form, no
    permutations). Threads would not help datasketch: its signatures hold the GIL."""
    from concurrent.futures import ProcessPoolExecutor

    from datasketch import LeanMinHash, MinHashLSH

    scheme = _template().scheme
    cpu = time.process_time()
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    candidates = 0
    batches = [items[lo : lo + _PEER_BATCH] for lo in range(0, len(items), _PEER_BATCH)]
    with ProcessPoolExecutor(1) as second:
        ahead = second.submit(_datasketch_signatures, [t for _, t in batches[0]], peer_hash)
        for k, batch in enumerate(batches):
            values = ahead.result()
            if k + 1 < len(batches):
                texts = [t for _, t in batches[k + 1]]
                ahead = second.submit(_datasketch_signatures, texts, peer_hash)
            for (aid, _), hv in zip(batch, values, strict=True):
                m = LeanMinHash(seed=1, hashvalues=hv, scheme=scheme)
                candidates += len(lsh.query(m))
                lsh.insert(aid, m)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    worker = after.ru_utime + after.ru_stime - children.ru_utime - children.ru_stime
    return {"total_s": wall, "cpu_s": time.process_time() - cpu + worker,
            "candidates": candidates, "keep": lsh}  # fmt: skip


@dataclass(frozen=True)
class How:
    """How a side runs: akhbar one article at a time, datasketch's hash, on one core or two."""

    one_by_one: bool
    peer_hash: str
    cores: int

    def args(self) -> list[str]:
        """The same, as the child process's command-line options."""
        return ["--peer-hash", self.peer_hash, "--cores", str(self.cores)] + (
            ["--one-by-one"] if self.one_by_one else []
        )


def child(side: str, data: Path, threshold: float, traced: bool, how: How) -> None:
    """Subprocess body: load texts, run one side, print its figures as JSON."""
    with data.open("rb") as fh:
        items: list[tuple[str, str]] = pickle.load(fh)
    base = _rss_mb()
    _reset_peak()
    if traced:
        tracemalloc.start()
    if how.cores == 2:
        out = (
            run_akhbar_two_cores(items)
            if side == "akhbar"
            else run_datasketch_two_cores(items, threshold, how.peer_hash)
        )
    else:
        out = (
            run_akhbar(items, how.one_by_one)
            if side == "akhbar"
            else run_datasketch(items, threshold, how.peer_hash)
        )
    if traced:
        current, peak = tracemalloc.get_traced_memory()
        # akhbar keeps its large arrays on memory maps, which tracemalloc does not see: their
        # (final, largest) size is added to both figures
        mapped = out["keep"].mapped_bytes() if side == "akhbar" else 0
        out["traced_peak_mb"] = (peak + mapped) / 1e6
        out["retained_mb"] = (current + mapped) / 1e6
    out["rss_peak_delta_mb"] = _peak_mb() - base
    out.pop("keep")
    print(json.dumps(out))


def _spawn(side: str, data: Path, threshold: float, traced: bool, how: How) -> dict[str, Any]:
    cmd = [sys.executable, __file__, "--child", side, "--data", str(data),
           "--threshold", str(threshold), *how.args()]  # fmt: skip
    if traced:
        cmd.append("--traced")
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def _measure(
    data: Path, threshold: float, repeat: int, how: How
) -> tuple[dict[str, dict[str, Any]], list[float]]:
    """Both sides' figures: the fastest of `repeat` timed runs each, with the largest peak
    RSS of them, and the traced memory of one more run; and the ratio of the two sides' run
    times in each round. The sides take turns, the first of a round alternating, so that a
    machine slower for a while slows both alike. Two-core runs are timed only (memory is
    measured on one core)."""
    sides = ("akhbar", "datasketch")
    runs: dict[str, list[dict[str, Any]]] = {side: [] for side in sides}
    for r in range(repeat):
        for side in sides if r % 2 == 0 else sides[::-1]:
            runs[side].append(_spawn(side, data, threshold, False, how))
    out: dict[str, dict[str, Any]] = {}
    for side in sides:
        best = min(runs[side], key=_run_s)
        best["rss_peak_delta_mb"] = max(r["rss_peak_delta_mb"] for r in runs[side])
        best["median_s"] = statistics.median(map(_run_s, runs[side]))
        out[side] = best
        if how.cores == 1:
            traced = _spawn(side, data, threshold, True, how)
            best["traced_peak_mb"] = traced["traced_peak_mb"]
            best["retained_mb"] = traced["retained_mb"]
    ratios = [_run_s(d) / _run_s(a) for a, d in zip(*runs.values(), strict=True)]
    return out, ratios


def _run_s(run: dict[str, Any]) -> float:
    """A run's timed seconds: all stages."""
    return float(run["total_s"])


# -- quality on dev --------------------------------------------------------------------------


def dev_scores(shared: Path, peer_hash: str) -> tuple[Any, list[tuple[float, Any]]]:
    """akhbar's default scores, and datasketch's over a threshold grid, on the dev split."""
    from datasketch import MinHashLSH

    from akhbar.dedup import CopyDetector
    from akhbar.evaluate import load_gold, score_clustering

    items = _load([shared / "eval" / "dev.jsonl"])
    gold = load_gold(shared / "eval" / "dev-gold.jsonl")["copy"]
    ours = score_clustering(gold, CopyDetector(_copy_settings()).fit(items))
    sigs = _minhashes([text for _, text in items], peer_hash)
    ids = [aid for aid, _ in items]
    theirs = []
    for threshold in (0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7):
        lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
        pairs: list[tuple[int, int]] = []
        for i, m in enumerate(sigs):
            pairs.extend((int(j), i) for j in lsh.query(m))
            lsh.insert(str(i), m)
        theirs.append((threshold, score_clustering(gold, _union_groups(ids, pairs))))
    return ours, theirs


def _load(inputs: list[Path], limit: int | None = None) -> list[tuple[str, str]]:
    from akhbar.io import read
    from akhbar.model import RawArticle
    from akhbar.settings import Settings
    from akhbar.text.clean import clean

    settings = Settings.load()
    out: list[tuple[str, str]] = []
    seen: set[str] = set()
    for raw in read(inputs, settings.read):
        if isinstance(raw, RawArticle) and raw.id not in seen:
            seen.add(raw.id)
            out.append((raw.id, clean(raw, settings.clean).normalized_text))
            if limit is not None and len(out) >= limit:
                break
    return out


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"at least 1, not {value}")
    return value


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--shared", type=Path, default=Path(os.environ.get("AKHBAR_SHARED", REPO.parent / "shared"))
    )
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--threshold", type=float, default=None, help="datasketch LSH threshold")
    parser.add_argument("--child", choices=["akhbar", "datasketch"], help=argparse.SUPPRESS)
    parser.add_argument("--data", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument(
        "--one-by-one", action="store_true", help="akhbar: add_sketch per article, not per batch"
    )
    parser.add_argument(
        "--peer-hash",
        choices=["crc32", "sha1"],
        default="crc32",
        help="datasketch's hash function (crc32: its fastest; sha1: its default)",
    )
    parser.add_argument("--cores", type=int, choices=[1, 2], help=argparse.SUPPRESS)
    parser.add_argument(
        "--two-cores",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also time both sides on two cores (akhbar's fit; datasketch signing in a second "
        "process)",
    )
    parser.add_argument(
        "--repeat",
        type=_positive,
        default=3,
        help="timed runs of each side (at least 1); the fastest is shown",
    )
    args = parser.parse_args()
    if args.child:
        child(args.child, args.data, args.threshold, args.traced,
              How(args.one_by_one, args.peer_hash, args.cores))  # fmt: skip
        return 0

    zips = sorted((args.shared / "data" / "saudinewsnet").glob("*.zip"))
    if not zips:
        print(f"SaudiNewsNet not found under {args.shared}", file=sys.stderr)
        return 2
    ours, theirs = dev_scores(args.shared, args.peer_hash)
    best_t, best = max(theirs, key=lambda ts: ts[1].pair_f1)
    threshold = args.threshold if args.threshold is not None else best_t
    t0 = time.perf_counter()
    items = _load(list(zips), args.limit)
    print(f"machine        : {describe()}")
    print(f"read + clean   : {len(items)} articles in {time.perf_counter() - t0:.1f} s (untimed)")
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "texts.pkl"
        with data.open("wb") as fh:
            pickle.dump(items, fh)
        how = How(args.one_by_one, args.peer_hash, cores=1)
        res, ratios = _measure(data, threshold, args.repeat, how)
        both = (
            _measure(data, threshold, args.repeat, replace(how, cores=2))
            if args.two_cores
            else None
        )
    n = len(items)
    print(f"datasketch LSH : threshold {threshold} (best on dev), hash {args.peer_hash}, "
          f"b={res['datasketch']['bands']} r={res['datasketch']['rows']}")  # fmt: skip
    print(f"timing         : the fastest of {args.repeat} runs of each side, each in a fresh "
          "process, the sides taking turns; memory: the largest of them")  # fmt: skip
    head = f"{'':28}{'akhbar':>12}{'datasketch':>12}{'ratio':>8}"
    print(head)
    print("-" * len(head))

    def row(label: str, a: float, d: float, fmt: str = "{:,.0f}", ratio: bool = True) -> None:
        r = f"{a / d:7.1f}x" if ratio and d else ""
        print(f"{label:28}{fmt.format(a):>12}{fmt.format(d):>12}{r:>8}")

    a, d = res["akhbar"], res["datasketch"]
    row("signature (articles/s)", n / a["signature_s"], n / d["signature_s"])
    row("index+query(+verify) (a/s)", n / a["index_s"], n / d["index_s"])
    total_a, total_d = a["signature_s"] + a["index_s"], d["signature_s"] + d["index_s"]
    row("all stages (articles/s)", n / total_a, n / total_d)
    row("all stages, median run (a/s)", n / a["median_s"], n / d["median_s"])
    paired = statistics.median(ratios)
    print(
        f"{'all stages, same round':28}{'':>24}{paired:7.1f}x   (median of "
        + ", ".join(f"{x:.1f}x" for x in ratios)
        + ")"
    )
    row("wall time (s)", total_a, total_d, "{:.1f}")
    row("all stages, CPU time (a/s)", n / a["cpu_s"], n / d["cpu_s"])
    row("peak RSS over base (MB)", a["rss_peak_delta_mb"], d["rss_peak_delta_mb"], "{:.1f}")
    row("traced peak (MB)", a["traced_peak_mb"], d["traced_peak_mb"], "{:.1f}")
    row("retained after (MB)", a["retained_mb"], d["retained_mb"], "{:.1f}")
    row("candidate pairs", a["candidates"], d["candidates"])
    row("dev copy pair F1", ours.pair_f1, best.pair_f1, "{:.3f}", ratio=False)
    row("dev copy pair P", ours.pair_p, best.pair_p, "{:.3f}", ratio=False)
    row("dev copy pair R", ours.pair_r, best.pair_r, "{:.3f}", ratio=False)
    row("dev copy BCubed F1", ours.b3_f1, best.b3_f1, "{:.3f}", ratio=False)
    print("datasketch dev F1 by threshold: "
          + ", ".join(f"{t}: {s.pair_f1:.3f}" for t, s in theirs))  # fmt: skip
    print(f"akhbar copies  : {a['copies']} articles copy an earlier one, {a['groups']} groups")
    if both is not None:
        two, two_ratios = both
        a2, d2 = two["akhbar"], two["datasketch"]
        if a2["groups"] != a["groups"] or d2["candidates"] != d["candidates"]:
            print("two cores: results differ from one core", file=sys.stderr)
            return 1
        print("\nboth cores     : akhbar's CopyDetector.fit (the next batch sketched on a helper "
              "thread); datasketch's signatures in a second process, one batch ahead of its LSH "
              "(threads do not help it: its signatures hold the GIL); the same groups and "
              "candidates as above")  # fmt: skip
        print(head)
        print("-" * len(head))
        row("all stages (articles/s)", n / a2["total_s"], n / d2["total_s"])
        row("all stages, median run (a/s)", n / a2["median_s"], n / d2["median_s"])
        print(
            f"{'all stages, same round':28}{'':>24}{statistics.median(two_ratios):7.1f}x   "
            "(median of " + ", ".join(f"{x:.1f}x" for x in two_ratios) + ")"
        )
        row("cores busy (CPU / wall)", a2["cpu_s"] / a2["total_s"],
            d2["cpu_s"] / d2["total_s"], "{:.2f}", ratio=False)  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
