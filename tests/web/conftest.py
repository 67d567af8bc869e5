"""Web fixtures: an app over a temporary store, sample records, and a live server for a browser."""

from __future__ import annotations

import json
import os
import socket
import threading
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from akhbar.io import read
from akhbar.model import RawArticle
from akhbar.settings import Settings
from akhbar.web import create_app

with warnings.catch_warnings():  # starlette asks for httpx2; the pinned httpx works the same
    warnings.filterwarnings("ignore", message="Using `httpx` with `starlette.testclient`")
    from fastapi.testclient import TestClient

REPO = Path(__file__).resolve().parents[2]
SAMPLES = REPO / "samples"
CHROMIUM = Path("/usr/bin/chromium")


def feed_records() -> list[dict[str, Any]]:
    """The bundled JSONL sample, one dict per article."""
    lines = (SAMPLES / "feed.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def records_of(paths: list[Path]) -> list[dict[str, Any]]:
    """Files read by akhbar as POST records (the file name is the outlet when none is known)."""
    out = []
    for item in read([str(p) for p in paths], Settings.load().read):
        assert isinstance(item, RawArticle), item
        out.append(
            {"id": item.id, "outlet": item.outlet or item.source, "title": item.title,
             "published": item.published, "text": item.text}
        )  # fmt: skip
    return out


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    """A test client of an app over a fresh store (body limit 64 KiB)."""
    app = create_app(tmp_path / "web.db", Settings.load(), max_body_bytes=64 * 1024)
    with TestClient(app) as test_client:
        yield test_client


def artifacts_dir() -> Path:
    """Where screenshots go: $AKHBAR_ARTIFACTS, else build/test-artifacts/web."""
    base = os.environ.get("AKHBAR_ARTIFACTS")
    path = Path(base) / "web" if base else REPO / "build" / "test-artifacts" / "web"
    path.mkdir(parents=True, exist_ok=True)
    return path


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LiveServer:
    """The app served by uvicorn in a background thread on 127.0.0.1."""

    def __init__(self, db: Path) -> None:
        import uvicorn

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        app = create_app(db, Settings.load())
        config = uvicorn.Config(app, host="127.0.0.1", port=self.port, log_level="warning")
        self.server = uvicorn.Server(config)
        self.thread = threading.Thread(target=self.server.run, name="uvicorn", daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 30
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=30)
