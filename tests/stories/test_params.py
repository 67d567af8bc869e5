"""Story model parameters: the packaged ones load; ones that cannot work are refused, named."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

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


def _story_bias(data: dict[str, Any], value: object) -> None:
    data["story"]["bias"] = value


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda d: d.update(max_terms=2.5), "max_terms is a whole number, not 2.5"),
        (lambda d: d.update(members_kept=True), "members_kept is a whole number"),
        (lambda d: d.update(window_days="3"), 'window_days is a number, not "3"'),
        (lambda d: d.update(merge_margin=None), None),
        (lambda d: _story_bias(d, None), "story.bias is a number, not null"),
        (lambda d: d["event"].update(threshold="0.5"), "event.threshold is a number"),
        (lambda d: d["story"]["weights"].__setitem__(2, "x"), r"story.weights\[2\]"),
        (lambda d: d["story"].update(extra=1), r"unknown: \['extra'\]"),
        (lambda d: d["event"].pop("bias"), r"missing: \['bias'\]"),
        (lambda d: d.update(story=[1, 2]), '"story" decision is a JSON object'),
    ],
)
def test_a_model_file_with_a_value_of_the_wrong_type_is_refused_naming_it(
    tmp_path: Path, change: Callable[[dict[str, Any]], object], named: str | None
) -> None:
    """Checked on loading: a string bias, a fraction of a count, failed only at the first
    article clustered, with an error naming nothing."""
    data = StoryParams.load().to_dict()
    change(data)
    path = tmp_path / "model.json"
    path.write_text(json.dumps(data), "utf-8")
    if named is None:  # a parameter that may be null
        assert StoryParams.load(path).merge_margin is None
        return
    with pytest.raises(ConfigError, match=named):
        StoryParams.load(path)


@pytest.mark.parametrize("text", ["[]", '"story"', "null", "5"])
def test_a_model_file_that_is_not_an_object_is_a_config_error(tmp_path: Path, text: str) -> None:
    path = tmp_path / "model.json"
    path.write_text(text, "utf-8")
    with pytest.raises(ConfigError, match="are a JSON object"):
        StoryParams.load(path)
