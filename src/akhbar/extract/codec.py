"""A compact JSON form of an :class:`Extraction`, for the store and for ``--json`` output."""

from __future__ import annotations

import json
from typing import Any, cast

from akhbar.errors import StoreError
from akhbar.extract.model import CitedSource, DateRef, Extraction, Mention, Quote

__all__ = ["extraction_from_json", "extraction_to_dict", "extraction_to_json"]


def _mention(m: Mention) -> dict[str, Any]:
    return {
        "start": m.start,
        "end": m.end,
        "text": m.text,
        "type": m.type,
        "key": m.key,
        "role": m.role,
    }


def _quote(q: Quote) -> dict[str, Any]:
    return {
        "start": q.start,
        "end": q.end,
        "text": q.text,
        "kind": q.kind,
        "cue": q.cue,
        "speaker": q.speaker,
        "speaker_start": q.speaker_start,
        "speaker_end": q.speaker_end,
    }


def _source(s: CitedSource) -> dict[str, Any]:
    return {"start": s.start, "end": s.end, "text": s.text, "kind": s.kind, "name": s.name}


def _date(d: DateRef) -> dict[str, Any]:
    return {"start": d.start, "end": d.end, "text": d.text, "kind": d.kind, "value": d.value}


def extraction_to_dict(x: Extraction) -> dict[str, list[dict[str, Any]]]:
    """Plain dicts with stable field names (the same names as the dataclass fields)."""
    return {
        "entities": [_mention(m) for m in x.entities],
        "quotes": [_quote(q) for q in x.quotes],
        "cited_sources": [_source(s) for s in x.sources],
        "dates": [_date(d) for d in x.dates],
    }


def extraction_to_json(x: Extraction) -> str:
    """Serialise for storage; :func:`extraction_from_json` reverses it exactly."""
    return json.dumps(extraction_to_dict(x), ensure_ascii=False, separators=(",", ":"))


def extraction_from_json(data: str) -> Extraction:
    """Rebuild a stored extraction; a damaged row raises :class:`StoreError` saying so."""
    try:
        obj = cast(dict[str, list[dict[str, Any]]], json.loads(data))
        return Extraction(
            entities=tuple(Mention(**m) for m in obj["entities"]),
            quotes=tuple(Quote(**q) for q in obj["quotes"]),
            sources=tuple(CitedSource(**s) for s in obj["cited_sources"]),
            dates=tuple(DateRef(**d) for d in obj["dates"]),
        )
    except (ValueError, KeyError, TypeError) as exc:
        raise StoreError(
            f"stored extraction cannot be read ({exc}); re-run `akhbar ingest` to extract again"
        ) from exc
