"""The clusterer's parameters: a few weights and thresholds, packaged as stories_model.json."""

from __future__ import annotations

import dataclasses
import json
import math
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from akhbar.errors import ConfigError

__all__ = ["FEATURES", "Decision", "StoryParams"]

FEATURES = (
    "cos_full",
    "cos_title",
    "cos_lead",
    "max_member",
    "max_title",
    "log_shared_marks",
    "log_gap_days",
    "ent_clash",
    "same_outlet_day",
    "number_clash",
    "cover",
)


@dataclass(frozen=True, slots=True)
class Decision:
    """A logistic join/open decision: join when sigmoid(bias + weights . features) >= threshold."""

    weights: tuple[float, ...]
    bias: float
    threshold: float

    def logit_threshold(self) -> float:
        """The threshold on the linear score, so deciding needs no exp()."""
        t = min(max(self.threshold, 1e-9), 1 - 1e-9)
        return math.log(t / (1 - t))


@dataclass(frozen=True, slots=True)
class StoryParams:
    """Representation, retrieval and decision parameters of `StoryClusterer`.

    `merge_margin`: an article that also matches another candidate story with a story score
    (logit) at least this far above the join threshold merges that story into its own (None:
    never). `max_span_days`: a story takes no article published this long after its first
    (None: no limit): a story is an event with its developments over a few days, and in a
    dense stream a topic (a club's matches, the oil price) otherwise chains day after day."""

    story: Decision
    event: Decision
    title_weight: float = 3.0
    lead_weight: float = 2.0
    body_weight: float = 1.0
    max_terms: int = 40
    rare_share: float = 0.005
    marks_after: int = 0
    min_cos: float = 0.0
    body_chars: int = 2500
    query_terms: int = 12
    index_terms: int = 15
    max_candidates: int = 5
    members_kept: int = 8
    window_days: float = 3.0
    merge_margin: float | None = None
    max_span_days: float | None = None

    def __post_init__(self) -> None:
        """Parameters that cannot work fail here, naming themselves, not at a first decision."""
        for name in ("story", "event"):
            d: Decision = getattr(self, name)
            if len(d.weights) != len(FEATURES):
                raise ValueError(
                    f"the {name} decision has {len(d.weights)} weights, one per feature is "
                    f"{len(FEATURES)} ({', '.join(FEATURES)})"
                )
            if not 0.0 < d.threshold < 1.0:
                raise ValueError(f"the {name} threshold is a probability, not {d.threshold}")
        for name in ("max_terms", "body_chars", "query_terms", "index_terms", "max_candidates",
                     "members_kept"):  # fmt: skip
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, not {getattr(self, name)}")
        if not self.window_days > 0:
            raise ValueError(f"window_days must be above 0, not {self.window_days}")
        if self.max_span_days is not None and not self.max_span_days >= self.window_days:
            raise ValueError(
                f"max_span_days must be at least window_days ({self.window_days}), "
                f"not {self.max_span_days}"
            )

    @classmethod
    def load(cls, path: Path | None = None) -> StoryParams:
        """The packaged parameters, or those of the JSON file at `path`."""
        try:
            if path is None:
                text = resources.files("akhbar").joinpath("data/stories_model.json").read_text()
            else:
                text = path.read_text("utf-8")
            return cls.from_dict(json.loads(text))
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise ConfigError(f"cannot load story model parameters: {exc}") from exc

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> StoryParams:
        """Build from the JSON layout written by `to_dict`, rejecting unknown keys and values
        of the wrong type, each named (a string or a fraction where a count goes would
        otherwise fail only at the first article clustered)."""
        if not isinstance(data, dict):
            raise ConfigError(f"story model parameters are a JSON object, not {json.dumps(data)}")
        fields = {f.name: f for f in dataclasses.fields(cls)}
        unknown = set(data) - set(fields) - {"_comment", "figures"}
        if unknown:
            raise ConfigError(f"unknown story parameter(s): {sorted(unknown)}")
        values: dict[str, Any] = {}
        for key in ("story", "event"):
            if key not in data:
                raise ConfigError(f'story model parameters lack the "{key}" decision')
            values[key] = _decision(key, data[key])
        for name, value in data.items():
            if name in fields and name not in values:
                values[name] = _typed(name, str(fields[name].type), value)
        try:
            return cls(**values)
        except ValueError as exc:
            raise ConfigError(f"story model parameters: {exc}") from exc

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready dict."""
        out = dataclasses.asdict(self)
        for key in ("story", "event"):
            out[key]["weights"] = list(out[key]["weights"])
        return out


def _number(name: str, value: Any) -> float:
    """A JSON number (not a boolean, a string or null) as a float."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ConfigError(f"story parameter {name} is a number, not {json.dumps(value)}")
    return float(value)


def _typed(name: str, annotation: str, value: Any) -> Any:
    """A top-level parameter checked against its field's type (as written in the class)."""
    if value is None and "None" in annotation:
        return None
    if annotation == "int":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ConfigError(f"story parameter {name} is a whole number, not {json.dumps(value)}")
        return value
    return _number(name, value)


def _decision(key: str, data: Any) -> Decision:
    """A decision's weights, bias and threshold, each checked."""
    if not isinstance(data, dict):
        raise ConfigError(f'the "{key}" decision is a JSON object, not {json.dumps(data)}')
    parts = ("weights", "bias", "threshold")
    unknown = set(data) - set(parts)
    missing = [p for p in parts if p not in data]
    if unknown or missing:
        raise ConfigError(
            f'the "{key}" decision has the keys {", ".join(parts)}'
            + (f"; unknown: {sorted(unknown)}" if unknown else "")
            + (f"; missing: {missing}" if missing else "")
        )
    weights = data["weights"]
    if not isinstance(weights, list):
        raise ConfigError(f'the "{key}" weights are a list of numbers, not {json.dumps(weights)}')
    return Decision(
        tuple(_number(f"{key}.weights[{i}]", w) for i, w in enumerate(weights)),
        _number(f"{key}.bias", data["bias"]),
        _number(f"{key}.threshold", data["threshold"]),
    )
