"""Keeps copy groups and stories up to date in the store as articles arrive.

After every ingest, the articles not yet clustered are taken in time order: each is sketched
and matched against earlier articles (copies), then placed in a story and an event of that
story. Copies always share their original's story and event. The detectors' state is rebuilt
from the store when a tracker starts (sketches are stored, so nothing is recomputed), limited
to the recent window in which stories can still grow.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from akhbar.dedup import CopyDetector, Sketch
from akhbar.settings import Settings
from akhbar.store.sqlite import SqliteStore, StoredArticle, StoredAssignment
from akhbar.stories import StoryClusterer, story_doc
from akhbar.stories.doc import parse_time

__all__ = ["TrackReport", "Tracker"]


@dataclass
class TrackReport:
    """What one update did: articles clustered, copies found, stories opened."""

    clustered: int = 0
    copies: int = 0
    new_stories: int = 0
    merged_copy_groups: int = 0
    story_ids: set[str] = field(default_factory=set)


class Tracker:
    """Copy detection and story clustering over a store, resumable across runs."""

    def __init__(self, store: SqliteStore, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        self.copies_ = CopyDetector(settings.copies)
        self.stories_ = StoryClusterer()
        self._story_of: dict[str, str] = {}  # clusterer story id -> stored story id
        self._event_of: dict[str, str] = {}  # clusterer event id -> stored event id
        self._internal_story: dict[str, str] = {}  # stored story id -> clusterer story id
        self._internal_event: dict[str, str] = {}
        self._copy_group: dict[str, str] = {}  # article id -> stored copy group
        self._restored = False

    # -- state ----------------------------------------------------------------------------

    def _restore(self) -> None:
        """Replay the recent clustered articles so that new ones can join their stories."""
        self._restored = True
        stored = self.store.assignments()
        if not stored:
            return
        days = self.settings.tracking.restore_days
        dated = [parse_time(s.published) for s in stored if s.published]
        newest = max((d for d in dated if d is not None), default=None)
        horizon = None if newest is None else newest - timedelta(days=days)
        sketches = dict(self.store.sketches(s.article_id for s in stored))
        for s in stored:
            when = parse_time(s.published)
            recent = horizon is None or when is None or when >= horizon
            self._copy_group[s.article_id] = s.copy
            if not recent:
                continue
            sketch = sketches.get(s.article_id)
            if sketch is not None:
                self.copies_.add_sketch(s.article_id, Sketch.from_bytes(sketch))
            article = self.store.get(s.article_id)
            doc = story_doc(article.raw, article.clean)
            pending = self.stories_.prepare(doc)
            internal = self.stories_.commit(
                pending,
                self._internal_story.get(s.story),
                self._internal_event.get(s.event),
            )
            self._remember(internal.story_id, internal.event_id, s.story, s.event)

    def _remember(self, internal_story: str, internal_event: str, story: str, event: str) -> None:
        self._story_of[internal_story] = story
        self._event_of[internal_event] = event
        self._internal_story[story] = internal_story
        self._internal_event[event] = internal_event

    # -- updates --------------------------------------------------------------------------

    def update(self) -> TrackReport:
        """Cluster every stored article that is not clustered yet, oldest first."""
        if not self._restored:
            self._restore()
        report = TrackReport()
        with self.store.transaction():
            for article_id in self.store.unclustered_ids():
                self._place(self.store.get(article_id), report)
        return report

    def _place(self, article: StoredArticle, report: TrackReport) -> None:
        raw, view = article.raw, article.clean
        match = self.copies_.add(raw.id, view.normalized_text)
        self.store.save_sketch(raw.id, self.copies_.sketch(raw.id).to_bytes())
        copy_of = match.copies[0].article_id if match.copies else None
        copy_group = self._join_copy_groups(raw.id, [c.article_id for c in match.copies], report)
        doc = story_doc(raw, view, copy_of=copy_of)
        placed = self.stories_.add(doc)
        story = self._story_of.get(placed.story_id)
        if story is None:
            story = f"story-{raw.id}"
            report.new_stories += 1
        event = self._event_of.get(placed.event_id) or f"event-{raw.id}"
        self._remember(placed.story_id, placed.event_id, story, event)
        self.store.save_assignment(
            StoredAssignment(
                article_id=raw.id,
                story=story,
                event=event,
                copy=copy_group,
                copy_of=copy_of,
                copy_score=match.copies[0].jaccard if match.copies else None,
                story_score=placed.score,
            )
        )
        report.clustered += 1
        report.copies += bool(match.copies)
        report.story_ids.add(story)

    def _join_copy_groups(self, article_id: str, linked: list[str], report: TrackReport) -> str:
        """The copy group of a new article; groups it bridges are merged into the oldest."""
        groups = sorted({self._copy_group[a] for a in linked if a in self._copy_group})
        if not groups:
            group = f"copy-{article_id}"
        else:
            group = groups[0]
            for other in groups[1:]:
                self.store.rename_copy_group(other, group)
                for a, g in list(self._copy_group.items()):
                    if g == other:
                        self._copy_group[a] = group
                report.merged_copy_groups += 1
        self._copy_group[article_id] = group
        return group
