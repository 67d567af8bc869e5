"""Settings: a wrong value is a one-line ConfigError naming it, before any work starts."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from akhbar.dedup import CopySettings
from akhbar.errors import ConfigError
from akhbar.settings import Settings


@pytest.mark.parametrize(
    ("section", "values", "names"),
    [
        ("copies", {"bands": 100}, "bands"),
        ("copies", {"num_perm": 0}, "num_perm"),
        ("copies", {"min_jaccard": 2}, "min_jaccard"),
        ("copies", {"min_jaccard": "x"}, "min_jaccard"),
        ("read", {"detect_language": 1}, "detect_language"),
        ("store", {"batch_size": 1.5}, "batch_size"),
        ("clean", {"extra_boilerplate": [1]}, "extra_boilerplate"),
    ],
)
def test_a_wrong_value_is_refused_naming_its_setting(
    section: str, values: dict[str, object], names: str
) -> None:
    with pytest.raises(ConfigError, match=rf"\[{section}\].*{names}"):
        Settings.from_dict({section: values})


def test_a_whole_number_stands_for_a_fraction() -> None:
    assert Settings.from_dict({"read": {"max_future_days": 3}}).read.max_future_days == 3


def test_copy_settings_check_their_ranges_in_the_api_too() -> None:
    with pytest.raises(ValueError, match="bands"):
        CopySettings(num_perm=16, bands=32, rows=2)
    with pytest.raises(ValueError, match="min_containment"):
        CopySettings(min_containment=-0.1)
    # refused before any text is sketched, not deep inside the LSH index or NumPy's generator
    with pytest.raises(ValueError, match="bands must be at most 255"):
        CopySettings(num_perm=512, bands=256, rows=2)
    with pytest.raises(ValueError, match="seed must be 0 or more"):
        CopySettings(seed=-1)
    assert CopySettings().bands * CopySettings().rows <= CopySettings().num_perm


def test_cli_names_the_wrong_setting_in_one_line(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("[copies]\nbands = 100\n", encoding="utf-8")
    text = tmp_path / "a.txt"
    text.write_text("قالت الوزارة إن العمل مستمر.", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "akhbar.cli", "ingest", str(text), "--db", str(tmp_path / "a.db"),
         "--config", str(config)],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.returncode == 2
    assert f"{config}: [copies]" in result.stderr  # the file and the setting named
    assert len(result.stderr.strip().splitlines()) == 1  # no traceback


@pytest.mark.parametrize(
    ("content", "said"),
    [
        ("[copies]\nmin_jaccard = 'x'\n", "[copies] min_jaccard must be float"),
        ("copies = 5\n", "copies = 5 is not a section: write [copies]"),
    ],
)
def test_a_settings_file_with_a_wrong_value_is_named(
    tmp_path: Path, content: str, said: str
) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        Settings.load(config)
    assert str(caught.value).startswith(f"{config}: ")
    assert said in str(caught.value)
