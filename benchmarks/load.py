"""Load check of the HTTP API: p50/p99 latency under 20 concurrent clients on 127.0.0.1.

Usage: python benchmarks/load.py [--articles PATH] [--db PATH] [--concurrency 20]
       [--reads N] [--hold-out N] [--entities N]

Builds (or reuses, with --db) a store from SaudiNewsNet (../shared/data/saudinewsnet, or
--articles: any input akhbar reads), holding the last input file's last --hold-out articles
back; starts `akhbar.web.serve` with uvicorn in a subprocess; then measures
  - GET /api/stories/{id}: first read of distinct stories among the newest 500 right after the
    server starts on a store with no digests yet (small stories' digests built on demand,
    larger ones answered 202 while built in the background; the server prepares every story's
    digest in the background, newest first), then repeated reads once every story is prepared
    (digests kept in the store), and the first reads again after a restart of the server (at
    the end: the prepared store, less the stories the posts changed), and once more after
    another restart, with those prepared again,
  - GET /api/entities/{id} and GET /api/stories?entity={id}: the --entities most named
    entities (the costliest: the most stories and quotes), and
  - POST /api/articles: the held-out articles, one per request (new articles, clustered live).
Target: p99 < 100 ms for reads on a store of 30k articles.

Each client is one keep-alive HTTP/1.1 connection driven by a few lines of asyncio (not httpx,
whose ~2 ms of CPU per request made the client, not the server, the bottleneck of 20 clients
on two cores). Every line gives the server's and the client's CPU time per request: latencies
are queueing on top of these, and the machine's load (printed last) is shared by both.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import httpx

from akhbar.io import expand, read
from akhbar.model import RawArticle
from akhbar.pipeline import Ingestor
from akhbar.settings import Settings
from akhbar.store import SqliteStore

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("AKHBAR_SHARED", REPO.parent / "shared"))


def free_port() -> int:
    """A TCP port free on 127.0.0.1 now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def record(a: RawArticle) -> dict[str, Any]:
    """An article as a POST record (JSONL fields)."""
    return {
        "id": f"load-{a.id}",
        "url": a.url,
        "outlet": a.outlet or a.source,
        "published": a.published,
        "title": a.title,
        "text": a.text,
    }


def build_store(db: Path, source: Path, hold_out: int) -> list[dict[str, Any]]:
    """Ingest every input but the last `hold_out` articles of the last file; return those."""
    settings = Settings.load()
    units = sorted(u for u in expand([str(source)]) if isinstance(u, str))
    if not units:
        sys.exit(f"no input found under {source}")
    last = [a for a in read([units[-1]], settings.read) if isinstance(a, RawArticle)]
    held, kept_last = last[-hold_out:], last[:-hold_out]
    if db.exists():
        print(f"store          : reusing {db}")
        return [record(a) for a in held]
    t0 = time.perf_counter()
    with SqliteStore(db, settings.store) as store:
        ingestor = Ingestor(store, settings)
        report = ingestor.ingest_inputs(units[:-1], settings.read)
        report_last = ingestor.ingest(kept_last)
        n = len(store)
    print(
        f"store          : {n} articles ({report.new + report_last.new} new, "
        f"{len(report.skipped)} skipped) built in {time.perf_counter() - t0:.0f} s at {db}"
    )
    return [record(a) for a in held]


def start_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    """`akhbar.web.serve` in a subprocess; returns once it answers."""
    code = (
        "import sys; from pathlib import Path; from akhbar.web import serve; "
        "serve(Path(sys.argv[1]), '127.0.0.1', int(sys.argv[2]))"
    )
    proc = subprocess.Popen([sys.executable, "-c", code, str(db), str(port)])
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"server exited with code {proc.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/stories?limit=1", timeout=2).is_success:
                return proc
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    proc.terminate()
    sys.exit("server did not answer within 120 s")


Job = tuple[str, str, bytes | None]  # method, target (path and query), JSON body
Result = tuple[list[float], float, Counter[int], float]


def get(path: str, **params: Any) -> Job:
    """A GET of `path` (quoted) with query parameters."""
    return "GET", quote(path) + (f"?{urlencode(params)}" if params else ""), None


def post(path: str, body: Any) -> Job:
    """A POST of `body` as JSON."""
    return "POST", quote(path), json.dumps(body, ensure_ascii=False).encode("utf-8")


class Connection:
    """One keep-alive HTTP/1.1 connection, requests one at a time (Content-Length bodies)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def request(self, job: Job) -> int:
        """Send one request, read the whole response; its HTTP status."""
        if self.streams is None:
            self.streams = await asyncio.open_connection("127.0.0.1", self.port, limit=2**24)
        reader, writer = self.streams
        method, target, body = job
        head = f"{method} {target} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        writer.write(head.encode("ascii") + b"\r\n" + (body or b""))
        status = int((await reader.readline()).split()[1])
        length, close = 0, False
        while (line := await reader.readline()) not in (b"\r\n", b""):
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value)
            elif name.lower() == "connection":
                close = value.strip().lower() == "close"
        await reader.readexactly(length)
        if close:
            await self.close()
        return status

    async def close(self) -> None:
        if self.streams is not None:
            self.streams[1].close()
            self.streams = None


async def run(jobs: Sequence[Job], port: int, concurrency: int) -> Result:
    """Run the jobs with `concurrency` clients, one connection each; latencies (ms), wall time
    (s), statuses and the client's CPU time (s)."""
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    queue = list(reversed(jobs))

    async def worker() -> None:
        connection = Connection(port)
        try:
            while queue:
                job = queue.pop()
                t0 = time.perf_counter()
                status = await asyncio.wait_for(connection.request(job), 300)
                latencies.append((time.perf_counter() - t0) * 1000)
                statuses[status] += 1
        finally:
            await connection.close()

    c0, t0 = time.process_time(), time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return latencies, time.perf_counter() - t0, statuses, time.process_time() - c0


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far (Linux /proc; 0 elsewhere)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pct(values: list[float], q: float) -> float:
    """The q-quantile (0..1) of the values, nearest rank."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q * len(ordered)) - 1))]


def report(name: str, result: Result, server_cpu: float = 0.0) -> None:
    """Print one line of figures: latencies, throughput, the server's and the client's CPU time
    per request (what the latencies would be made of on an otherwise idle machine), statuses."""
    lat, wall, statuses, client_cpu = result
    print(
        f"{name:<34}: n={len(lat):5d}  p50 {pct(lat, 0.5):7.1f} ms  p99 {pct(lat, 0.99):7.1f} ms"
        f"  max {max(lat):7.1f} ms  mean {statistics.fmean(lat):6.1f} ms"
        f"  {len(lat) / wall:6.1f} req/s  server CPU {server_cpu / len(lat) * 1000:5.1f} ms/req"
        f"  client CPU {client_cpu / len(lat) * 1000:4.1f} ms/req"
        f"  HTTP {dict(sorted(statuses.items()))}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=Path, default=SHARED / "data" / "saudinewsnet")
    parser.add_argument(
        "--db", type=Path, default=None, help="store to build, or reuse (served from a copy)"
    )
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--stories", type=int, default=500, help="distinct stories to read")
    parser.add_argument("--reads", type=int, default=4000, help="repeated story reads")
    parser.add_argument("--hold-out", type=int, default=300, help="articles to POST")
    parser.add_argument(
        "--entities", type=int, default=100, help="most named entities to read (and filter by)"
    )
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    if not args.articles.exists():
        print(f"no articles at {args.articles} (give --articles PATH)", file=sys.stderr)
        return 2
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "load.db"
        posts = build_store(db, args.articles, args.hold_out)
        served = Path(tmp) / "served.db"  # the posts go to a copy: --db stays reusable
        with sqlite3.connect(db) as source, sqlite3.connect(served) as target:
            source.backup(target)
        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_server(served, port)
        try:
            listed = httpx.get(f"{base}/api/stories", params={"limit": 500}, timeout=120)
            ids = [s["id"] for s in listed.json()["items"]]
            offset = 500
            while len(ids) < args.stories and listed.json()["next_offset"] is not None:
                listed = httpx.get(
                    f"{base}/api/stories", params={"limit": 500, "offset": offset}, timeout=120
                )
                ids += [s["id"] for s in listed.json()["items"]]
                offset += 500
            ids = rng.sample(ids, min(args.stories, len(ids)))
            print(f"server         : {base}, {args.concurrency} concurrent clients")

            def prepared() -> dict[str, Any]:
                """Wait until the server has no digest left to build; its health then."""
                while (health := httpx.get(f"{base}/api/health", timeout=120).json())["warming"]:
                    time.sleep(1)
                return dict(health)

            def restarted() -> subprocess.Popen[bytes]:
                server.terminate()
                server.wait(timeout=30)
                return start_server(served, port)

            def phase(name: str, jobs: Sequence[Job]) -> None:
                if not jobs:
                    print(f"{name:<34}: nothing to send")
                    return
                c0 = cpu_s(server.pid)
                result = asyncio.run(run(jobs, port, args.concurrency))
                report(name, result, cpu_s(server.pid) - c0)

            phase("GET /api/stories/{id} first read", [get(f"/api/stories/{s}") for s in ids])
            t0 = time.perf_counter()
            health = prepared()
            print(
                f"{'every story prepared':<34}: after {time.perf_counter() - t0:.0f} s more, "
                f"{health['digests']} stories kept"
            )
            repeated = [get(f"/api/stories/{rng.choice(ids)}") for _ in range(args.reads)]
            phase("GET /api/stories/{id} repeated", repeated)
            top = httpx.get(f"{base}/api/entities", params={"limit": args.entities}, timeout=120)
            entities = [e["id"] for e in top.json()["items"]]
            if entities:
                phase(
                    "GET /api/entities/{id} (most named)",
                    [get(f"/api/entities/{e}", limit=20) for e in entities],
                )
                phase(
                    "GET /api/stories?entity={id}",
                    [get("/api/stories", entity=e, limit=20) for e in entities],
                )
            t0 = time.perf_counter()
            warm = httpx.post(f"{base}/api/articles", json=posts[0], timeout=300)
            ms = (time.perf_counter() - t0) * 1000
            print(f"{'POST first (clusterer restore)':<34}: {ms:.0f} ms -> {warm.status_code}")
            phase(
                "POST /api/articles (1 per request)", [post("/api/articles", p) for p in posts[1:]]
            )
            phase("GET /api/stories?limit=20", [get("/api/stories", limit=20)] * 200)
            server = restarted()
            phase("GET /api/stories/{id} after restart", [get(f"/api/stories/{s}") for s in ids])
            prepared()  # the stories the posts changed, built again
            server = restarted()
            phase(
                "GET /api/stories/{id} restart, prepared",
                [get(f"/api/stories/{s}") for s in ids],
            )
            print(f"machine load   : {os.getloadavg()[0]:.1f} (1-min mean), {os.cpu_count()} CPUs")
        finally:
            server.terminate()
            server.wait(timeout=30)
    return 0


if __name__ == "__main__":
    sys.exit(main())
