"""Story model parameters: the packaged ones load; ones that cannot work are refused, named."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from akhbar.errors import ConfigError
from akhbar.stories import Decision, StoryParams
from akhbar.stories.params import FEATURES


def test_packaged_parameters_round_trip() -> None:
    params = StoryParams.load()
    assert StoryParams.from_dict(params.to_dict()) == params
    assert len(params.story.weights) == len(FEATURES)


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"window_days": -1.0}, "window_days"),
        ({"max_span_days": 1.0}, "max_span_days"),
        ({"max_terms": 0}, "max_terms"),
        ({"story": Decision((1.0,) * (len(FEATURES) - 1), 0.0, 0.5)}, "weights"),
        ({"event": Decision((1.0,) * len(FEATURES), 0.0, 1.5)}, "threshold"),
    ],
)
def test_parameters_that_cannot_work_are_refused(change: dict[str, object], named: str) -> None:
    with pytest.raises(ValueError, match=named):
        dataclasses.replace(StoryParams.load(), **change)


def test_a_model_file_without_a_decision_is_a_config_error(tmp_path: Path) -> None:
    data = StoryParams.load().to_dict()
    del data["event"]
    path = tmp_path / "model.json"
    path.write_text(json.dumps(data), "utf-8")
    with pytest.raises(ConfigError, match='"event" decision'):
        StoryParams.load(path)
