"""`akhbar serve` entry point and the install hint when the web extra is missing."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from akhbar.errors import ConfigError
from akhbar.settings import Settings
from akhbar.web import create_app, serve


def test_serve_runs_uvicorn_with_the_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import uvicorn

    calls: list[dict[str, Any]] = []

    def fake_run(app: object, **kwargs: Any) -> None:
        calls.append({"app": app, **kwargs})

    monkeypatch.setattr(uvicorn, "run", fake_run)
    serve(tmp_path / "served.db", "127.0.0.1", 8123, Settings.load())
    [call] = calls
    assert (call["host"], call["port"]) == ("127.0.0.1", 8123)
    assert type(call["app"]).__name__ == "FastAPI"
    assert (tmp_path / "served.db").exists()


def test_missing_extra_names_the_install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = importlib.import_module

    def without_fastapi(name: str, package: str | None = None) -> ModuleType:
        if name == "fastapi":
            raise ImportError("No module named 'fastapi'")
        return real(name, package)

    monkeypatch.setattr(importlib, "import_module", without_fastapi)
    with pytest.raises(ConfigError, match=r"akhbar\[web\]"):
        create_app(tmp_path / "x.db", Settings.load())
