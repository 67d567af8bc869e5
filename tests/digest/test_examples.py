"""The digests in docs/examples are what the code writes now (`make examples` rewrites them)."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from akhbar.cli import app

REPO = Path(__file__).resolve().parents[2]
EXAMPLES = REPO / "docs" / "examples"


def test_the_example_digests_are_current(seed_paths: dict[str, Path], tmp_path: Path) -> None:
    runner = CliRunner()
    db = str(tmp_path / "examples.db")
    inputs = [str(seed_paths["000"]), str(seed_paths["001"]), str(REPO / "samples")]
    assert runner.invoke(app, ["ingest", *inputs, "--db", db]).exit_code == 0
    out = tmp_path / "out"
    for fmt in ("md", "html"):
        args = ["digest", "--all", "--format", fmt, "--out", str(out), "--db", db]
        written = runner.invoke(app, args)
        assert written.exit_code == 0, written.output
    made = {p.name: p.read_text("utf-8") for p in out.iterdir()}
    kept = {p.name: p.read_text("utf-8") for p in EXAMPLES.iterdir() if p.suffix != ".json"}
    assert made.keys() == kept.keys()
    stale = sorted(name for name in made if made[name] != kept[name])
    assert stale == [], f"docs/examples is stale ({stale}): run `make examples`"
