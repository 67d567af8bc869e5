"""Keeps copy groups and stories up to date in the store as articles arrive.

After every ingest, the articles not yet clustered are taken in time order: each is sketched
and matched against earlier articles (copies), then placed in a story and an event of that
story. Copies always share their original's story and event. The detectors' state is rebuilt
from the store when a tracker starts (sketches are stored, so nothing is recomputed): every
sketch for copies, and for stories the recent window in which they can still grow, with term
weights from the document frequencies kept at the end of the last ingest, so that they count
every article clustered, as they would had the articles come in one run.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

import orjson

from akhbar._gc import fewer_collections
from akhbar.dedup import CopyDetector, CopyLink, CopyMatch, Sketch
from akhbar.settings import Settings
from akhbar.store.sqlite import SqliteStore, StoredArticle, StoredAssignment, StoredCounts
from akhbar.stories import DocTerms, StoryClusterer, StoryDoc, story_doc
from akhbar.stories.doc import parse_time
from akhbar.stories.stream import MergedStories

__all__ = ["TrackReport", "Tracker", "recluster", "terms_from_json", "terms_to_json"]

Level = Literal["story", "event", "copy"]
Placeable = tuple[StoredArticle, bytes | None, str | None]  # article, sketch, story terms
_EPOCH = datetime(1, 1, 1, tzinfo=UTC)  # stands in for an undated article's time in sort keys
_BATCH = 256  # articles sketched together (one NumPy pass) before being placed one by one
_RESTORE_SLICE = 4096  # stored sketches read and indexed together when a tracker starts


def _real(when: datetime | None, latest: datetime) -> datetime | None:
    """A publication time as clustering takes it: none past `latest`, a date no real article
    has (made by a caller; readers refuse it), which would otherwise become the clock."""
    return when if when is not None and when <= latest else None


# the kept story counts: an ingest whose counts moved for at most 1/_CHANGE_SHARE of the terms
# keeps only those (at most _KEPT_CHANGES times in a row); a larger one keeps them all again
_CHANGE_SHARE = 8
_KEPT_CHANGES = 64


@dataclass
class TrackReport:
    """What one update did: articles clustered, copies found, stories opened."""

    clustered: int = 0
    copies: int = 0
    new_stories: int = 0
    merged: int = 0
    seconds: float = 0.0
    late: int = 0  # opened a story after the stories of their days had closed (`recluster`)

    def absorb(self, other: TrackReport) -> None:
        """Add another update's counts to this one."""
        self.clustered += other.clustered
        self.copies += other.copies
        self.new_stories += other.new_stories
        self.merged += other.merged
        self.seconds += other.seconds
        self.late += other.late
        self.story_ids |= other.story_ids

    story_ids: set[str] = field(default_factory=set)


def terms_to_json(terms: DocTerms) -> str:
    """Story terms as JSON, for the store (floats round-trip exactly; orjson, as these are
    written for every article in a worker and read back in the process that clusters)."""
    data = {f.name: getattr(terms, f.name) for f in dataclasses.fields(terms)}
    data["numbers"] = sorted(terms.numbers)
    data["entities"] = sorted(terms.entities)
    return orjson.dumps(data).decode()


def terms_from_json(text: str) -> DocTerms:
    """Story terms back from `terms_to_json` (or from the standard library's JSON)."""
    data = orjson.loads(text)
    return DocTerms(
        key=tuple(data["key"]),
        terms=tuple(data["terms"]),
        raw=tuple(data["raw"]),
        title=tuple(data["title"]),
        lead=tuple(data["lead"]),
        lead_tf=tuple(data["lead_tf"]),
        numbers=frozenset(data["numbers"]),
        entities=frozenset(data["entities"]),
    )


class Tracker:
    """Copy detection and story clustering over a store, resumable across runs."""

    def __init__(self, store: SqliteStore, settings: Settings) -> None:
        self.store = store
        self.settings = settings
        c = settings.copies
        store.check_copy_basis(
            f"num_perm = {c.num_perm}, shingle_size = {c.shingle_size}, seed = {c.seed}, "
            f"lead_size = {c.lead_size}"
        )
        self._start()

    def _start(self) -> None:
        """Empty state, restored from the store when first needed: when the tracker is made,
        and again when the store's clusters were rebuilt under it (`recluster` by another
        process, say a CLI command while `akhbar serve` runs)."""
        self._generation = self.store.clusters_generation()
        self._placements = self.store.placements_version()
        self.copies_ = CopyDetector(self.settings.copies)
        self.stories_ = StoryClusterer()
        self._story_of: dict[str, str] = {}  # clusterer story id -> stored story id
        self._event_of: dict[str, str] = {}  # clusterer event id -> stored event id
        self._internal_story: dict[str, str] = {}  # stored story id -> clusterer story id
        self._internal_event: dict[str, str] = {}
        # clusterer story/event id -> the stored name it was given first: what its articles
        # are stored as placed in, as merges rename the stored clusters but not the clusterer's
        self._story_label: dict[str, str] = {}
        self._event_label: dict[str, str] = {}
        self._where: dict[str, tuple[str, str, str]] = {}  # article -> story, event, copy
        self._published: dict[str, datetime | None] = {}  # article -> its publication
        self._renamed: dict[str, str] = {}  # merged cluster id -> the id it was merged into
        # the first and last publication of each stored story's articles, merges joining
        # them: stories are not merged into one longer than the clusterer's span
        self._spans = MergedStories(self.stories_.params_.max_span_days)
        self._restored = False
        # articles stored again with new text, not placed since (as the store says at each
        # batch): copies of their old text must not go on naming them once they leave the group
        self._changed: set[str] = set()
        self._counts_marked = False  # the store knows its kept counts miss articles placed
        # the version of the kept counts this tracker's counts were last kept as or read from
        self._counts_version: int | None = None
        # fresh cluster names of the batch being placed that no stored article uses (asked
        # for the whole batch at once); emptied when an article placed again frees names
        self._unused: set[tuple[Level, str]] = set()
        # the batch's placements not written yet: written together (see
        # `SqliteStore.save_assignments`), and before anything that reads clusters (a merge
        # renames them here, see `_rename`)
        self._placed: list[StoredAssignment] = []
        self._renames: list[tuple[Level, str, str]] = []  # merges not written yet, in order

    # -- state ----------------------------------------------------------------------------

    def _restore(self) -> None:
        """Replay the recent clustered articles so that new ones can join their stories."""
        self._restored = True
        stored = self.store.assignments()
        if not stored:
            return
        counted = self._load_counts()  # else the replay alone is counted
        for s in stored:
            self._where[s.article_id] = (s.story, s.event, s.copy)
        # a date far in the future (stored before readers refused them) must not set the clock
        latest = self._latest()
        # Replayed as they were clustered: undated first, then those dated far in the future
        # (see `unclustered_ids`), then by instant (not by the text of the date: 09:00+03:00
        # is before 08:00+00:00); ties keep the order they were placed in (`assignments`).
        given = ((parse_time(s.published), s) for s in stored)
        timed = sorted(  # (time as clustered, date as stored, assignment)
            ((_real(when, latest), when, s) for when, s in given),
            key=lambda t: (t[0] is not None, t[0] or _EPOCH, t[1] is not None, t[1] or _EPOCH),
        )
        self._published.update((s.article_id, real) for real, _, s in timed)
        for real, _, s in timed:
            if real is not None:
                self._spans.extend(s.story, real.timestamp())
        newest = max((real for real, _, _ in timed if real is not None), default=None)
        days = self.settings.tracking.restore_days
        horizon = None if newest is None else newest - timedelta(days=days)
        # every sketch: a copy may come weeks after its original, or an archive be added
        # after newer news, and one run would match them all; in the order they were placed,
        # as the running detector met them (which copy group joins which depends on it: see
        # `CopyDetector._one_part_of`), not by publication time (an archive placed later)
        self._restore_copies(self.store.placed_ids())
        replay = [s for real, _, s in timed if horizon is None or real is None or real >= horizon]
        terms = dict(self.store.story_terms(s.article_id for s in replay))
        vectorizer = self.stories_.vectorizer_
        docs = []
        for s in replay:
            article = self.store.get(s.article_id)
            doc, ahead = self._doc(article, terms.get(s.article_id), self._published[s.article_id])
            docs.append((doc, ahead or vectorizer.doc_terms(doc)))
        if counted:  # counted to the end: back to the window's start, to count it again
            try:
                vectorizer.unlearn([ahead for _, ahead in docs])
            except ValueError:  # the kept counts do not hold these articles: count anew
                vectorizer.set_document_frequencies([], [], 0)
                counted = False
        # as the running tracker clustered them: by the names they were placed in (stories it
        # merged by name stay apart in the clusterer, as they were), older rows by their names
        stories: dict[str, str] = {}
        events: dict[str, str] = {}
        began = self._began(timed)
        for s, (doc, ahead) in zip(replay, docs, strict=True):
            story, event = s.placed_story or s.story, s.placed_event or s.event
            pending = self.stories_.prepare(doc, ahead)
            internal = self.stories_.commit(pending, stories.get(story), events.get(event))
            if story not in stories and story in began:
                self.stories_.backdate(internal.story_id, began[story])
            self._story_label[internal.story_id] = story
            self._event_label[internal.event_id] = event
            stories[story], events[event] = internal.story_id, internal.event_id
            self._remember(internal.story_id, internal.event_id, s.story, s.event)
        if counted:  # the replay counted its articles again: the counts are as kept
            vectorizer.mark_kept()

    def _began(
        self, timed: Sequence[tuple[datetime | None, datetime | None, StoredAssignment]]
    ) -> dict[str, datetime]:
        """When each placed story began in the clusterer, replayed or not: its first article,
        or, when it went longer idle than the window or past its span and was reopened by a
        copy of one of its articles, the first article since (as the running stream had it)."""
        p = self.stories_.params_
        window = timedelta(days=p.window_days)
        span = None if p.max_span_days is None else timedelta(days=p.max_span_days)
        began: dict[str, datetime] = {}
        last: dict[str, datetime] = {}
        for real, _, s in timed:
            if real is None:
                continue
            story = s.placed_story or s.story
            start = began.get(story)
            if (
                start is None
                or real - last[story] > window
                or (span is not None and real - start > span)
            ):
                began[story] = real
            last[story] = real
        return began

    def _restore_copies(self, article_ids: list[str]) -> None:
        """Give the copy detector the stored sketches of these articles, in this order (read a
        slice at a time, so that the blobs of a large store are never all held at once)."""
        for start in range(0, len(article_ids), _RESTORE_SLICE):
            ids = article_ids[start : start + _RESTORE_SLICE]
            sketches = dict(self.store.sketches(ids))
            self.copies_.add_sketches(
                [(i, Sketch.from_bytes(sketches[i])) for i in ids if i in sketches]
            )

    def _basis(self) -> str:
        """What kept document frequencies were counted under: the vectoriser's term
        parameters (other ones count other terms)."""
        return orjson.dumps({"terms": self.stories_.vectorizer_.terms_key}).decode()

    def _load_counts(self) -> bool:
        """Start from the document frequencies kept at the end of the last ingest, unless
        articles were placed after them (a run that stopped before keeping its counts) or
        they were counted under other term parameters: the replay then counts anew."""
        kept = self.store.story_counts()
        if kept is None or kept.basis != self._basis():
            return False
        self.stories_.vectorizer_.set_document_frequencies(kept.terms, kept.dfs, kept.documents)
        self._counts_version = self.store.story_counts_version()
        return True

    def _keep_counts(self) -> None:
        """Keep the document frequencies, so that a tracker started again starts from them:
        what changed since they were last kept, when that is a small part of them (an
        ingest of a few articles), else all of them again."""
        if self.store.clusters_generation() != self._generation:
            self._start()  # rebuilt under it since its last batch: these counts are of before
            return
        vectorizer = self.stories_.vectorizer_
        changes = vectorizer.changes_since_kept()
        if (
            changes is not None
            and self._counts_version == self.store.story_counts_version()
            and len(changes[0]) * _CHANGE_SHARE <= len(vectorizer.vocab_)
            and self.store.story_count_changes() < _KEPT_CHANGES
        ):
            terms, moved, documents = changes
            change = StoredCounts(self._basis(), documents, terms, moved)
            self._counts_version = self.store.add_story_count_change(change)
        else:  # (also when another tracker kept its counts since: these replace them)
            terms, dfs = vectorizer.document_frequencies()
            counts = StoredCounts(self._basis(), vectorizer.n_docs_, terms, dfs)
            self._counts_version = self.store.save_story_counts(counts)
        vectorizer.mark_kept()
        self._counts_marked = False

    def _remember(self, internal_story: str, internal_event: str, story: str, event: str) -> None:
        self._story_of[internal_story] = story
        self._event_of[internal_event] = event
        self._internal_story[story] = internal_story
        self._internal_event[event] = internal_event

    # -- updates --------------------------------------------------------------------------

    def forget(self, article_id: str) -> None:
        """An article was stored again with new text: its old text is no copy candidate any
        more, and its old copies are let go when it is placed (see `_place`), also when its
        old version was placed since it was stored."""
        self.copies_.forget(article_id)
        self.store.mark_changed(article_id)

    def update(self) -> TrackReport:
        """Cluster every stored article that is not clustered yet, oldest first."""
        report = TrackReport()
        start = time.perf_counter()
        with self.store.transaction():  # (which articles are left: read inside it, too)
            ids = self.store.unclustered_ids(latest=self._latest().timestamp())
            for first in range(0, len(ids), _BATCH):
                batch = [self.store.get(i) for i in ids[first : first + _BATCH]]
                sketches = dict(self.store.sketches(a.raw.id for a in batch))
                terms = dict(self.store.story_terms(a.raw.id for a in batch))
                self._place_batch(
                    [(a, sketches.get(a.raw.id), terms.get(a.raw.id)) for a in batch], report
                )
            if self._restored:  # what this tracker learned (an ingest ends with an update)
                self._keep_counts()
        report.seconds = time.perf_counter() - start
        return report

    def place(self, items: Sequence[Placeable]) -> TrackReport:
        """Cluster stored articles now, in the order given (a feed already in time order).

        Each item is an article with its sketch and story terms when computed ahead (else
        None): nothing is read back from the store.
        """
        report = TrackReport()
        start = time.perf_counter()
        with self.store.transaction():
            self._place_batch(items, report)
        report.seconds = time.perf_counter() - start
        return report

    def _place_batch(self, items: Sequence[Placeable], report: TrackReport) -> None:
        if (
            self.store.clusters_generation() != self._generation
            or self.store.placements_version() != self._placements
        ):
            # the stories it remembers are gone (a recluster), or another connection placed
            # articles since this tracker last wrote: start again from the store
            self._start()
        if not self._restored:
            self._restore()
        if items and not self._counts_marked:  # written with the placements: the kept counts
            self.store.mark_story_counts_stale()  # are used again only once kept anew
            self._counts_marked = True
        self._changed = self.store.changed_originals()
        if len({a.raw.id for a, _, _ in items}) < len(items):  # one id twice: the last wins
            items = list({a.raw.id: (a, sk, t) for a, sk, t in items}.values())
        sketches: list[Sketch] = []
        missing = [a for a, sketch, _ in items if sketch is None]
        made = iter(self.copies_.sketch_texts([a.clean.normalized_text for a in missing]))
        for article, sketch, _ in items:
            if sketch is None:
                new = next(made)
                self.store.save_sketch(article.raw.id, new.to_bytes())
                sketches.append(new)
            else:
                sketches.append(Sketch.from_bytes(sketch))
        # copy matching needs no story state: match the whole batch at once; an article seen
        # before (updated in place) keeps no copy link rather than matching itself
        known = self.copies_.slot_of_ if len(self.copies_) else {}
        unseen = [
            (a.raw.id, sk)
            for (a, _, _), sk in zip(items, sketches, strict=True)
            if a.raw.id not in known
        ]
        found = {m.article_id: m for m in self.copies_.add_sketches(unseen)}
        self._unused = self._unused_names([a.raw.id for a, _, _ in items])
        # the loop below seldom needs the store (merges are written after it): the articles
        # just stored are indexed for search meanwhile
        self.store.index_in_background()
        try:
            for article, _, terms in items:
                aid = article.raw.id
                current = self._where_now(aid)
                match = found.get(aid) or CopyMatch(aid, current[2] if current else aid)
                self._place(article, match, terms, report)
            self._write_placed()
            if items:
                self._placements = self.store.next_placements_version()
        finally:
            self._unused = set()
            self._placed = []
            self._renames = []

    def _write_placed(self) -> None:
        """Write the merges and placements made so far: the store is to be asked about its
        clusters."""
        renames, self._renames = self._renames, []
        for level, old, new in renames:
            self.store.rename_cluster(level, old, new)
        if self._placed:
            self.store.save_assignments(self._placed)
            self._placed = []

    def _unused_names(self, article_ids: Sequence[str]) -> set[tuple[Level, str]]:
        """The first names `_fresh` would give these articles' clusters that no stored article
        uses: one query per level for a batch instead of one per article placed. A name can
        only come into use by being given (and then leaves the set) or by an article placed
        again (which frees names too, and empties the set: the store is then asked)."""
        unused: set[tuple[Level, str]] = set()
        levels: tuple[Level, ...] = ("story", "event", "copy")
        for level in levels:
            names = [f"{level}-{a}" for a in article_ids if a not in self._where]
            used = self.store.clusters_used(level, names)
            unused.update((level, n) for n in names if n not in used)
        return unused

    def _resolve(self, cluster: str) -> str:
        """The current id of a cluster that may have been merged into another (with path
        compression, so merges cost nothing per article)."""
        root = cluster
        while root in self._renamed:
            root = self._renamed[root]
        while cluster != root:
            following = self._renamed[cluster]
            self._renamed[cluster] = root
            cluster = following
        return root

    def _fresh(self, levels: Sequence[Level], article_id: str) -> list[str]:
        """New cluster ids named after their first article, never ones already in use (an
        updated article opens new clusters; its old ones keep their other members). The
        usual case, no name taken, costs one query for all the levels."""
        names = [f"{level}-{article_id}" for level in levels]
        unused = self._unused
        wanted = list(zip(levels, names, strict=True))
        asked = [pair for pair in wanted if pair not in unused]
        if asked:
            self._write_placed()
        answers = iter(self.store.clusters_in_use(asked) if asked else [])
        taken = [pair not in unused and next(answers) for pair in wanted]
        for i, level in enumerate(levels):
            n = 1
            while taken[i] or self._known(level, names[i]):
                n += 1
                names[i] = f"{level}-{article_id}~{n}"
                self._write_placed()
                taken[i] = self.store.cluster_in_use(level, names[i])
        unused.difference_update(zip(levels, names, strict=True))  # given: in use from now on
        return names

    def _known(self, level: Level, name: str) -> bool:
        """Whether this tracker still means something by the name, though no stored article
        may carry it now: merged away, or the live story or event of an updated article's
        old version (its clusterer state remains, and later articles can still join it)."""
        if name in self._renamed:
            return True
        if level == "story":
            return name in self._internal_story
        return level == "event" and name in self._internal_event

    def _where_now(self, article_id: str) -> tuple[str, str, str] | None:
        where = self._where.get(article_id)
        if where is None:
            return None
        story, event, copy = where
        return self._resolve(story), self._resolve(event), self._resolve(copy)

    def _merge(self, linked: list[str], report: TrackReport) -> tuple[str, str, str] | None:
        """The (story, event, copy group) of the best link, after merging the others into it."""
        found = (self._where_now(a) for a in linked)
        targets = list(dict.fromkeys(t for t in found if t is not None))
        if not targets:
            return None
        story, event, copy = targets[0]
        for other in targets[1:]:
            renames: list[tuple[Level, str, str]] = [
                ("story", self._resolve(other[0]), story),
                ("event", self._resolve(other[1]), event),
                ("copy", self._resolve(other[2]), copy),
            ]
            for level, old, new in renames:
                if old != new:
                    self._rename(level, old, new)
            report.merged += 1
        return story, event, copy

    def _merge_stories(
        self, story: str, linked: Sequence[str], when: datetime | None, report: TrackReport
    ) -> None:
        """Merge the stored stories of the clusterer's `linked` stories into `story`, which an
        article of `when` joins (their events keep their ids: events still nest in one story),
        unless the merged story would run for longer than a story may (`max_span_days`): a
        chain of stories, each linked to the next, is not one story."""
        at = None if when is None else when.timestamp()
        for internal in linked:
            known = self._story_of.get(internal)
            if known is None:
                continue
            old = self._resolve(known)
            if old != story and self._spans.within_span(old, story, at):
                self._rename("story", old, story)
                report.merged += 1

    def _rename(self, level: Level, old: str, new: str) -> None:
        """Merge cluster `old` into `new`: in the placements not written yet (writing them
        first, so that the store's rename reached them, cost a batch of statements per merge:
        about 0.02 ms per article in a stream), and in the store with them (`_write_placed`:
        the renames in order, then the placements)."""
        self._renames.append((level, old, new))
        self._renamed[old] = new
        if level == "story":
            self._spans.join(old, new)
        changes: dict[str, Any] = {level: new}  # the one column the store's rename sets
        self._placed = [
            dataclasses.replace(a, **changes) if getattr(a, level) == old else a
            for a in self._placed
        ]

    def _earlier_copied(self, when: datetime | None, match: CopyMatch) -> CopyLink | None:
        """The best link to a matched article not published after this one (at `when`); None
        when all were (an updated article's own later copies were stored before its new
        text: it is their original, not their copy)."""
        for link in match.copies:
            then = self._published.get(link.article_id)
            if when is None or then is None or then <= when:
                return link
        return None

    def _doc(
        self,
        article: StoredArticle,
        terms: str | None,
        when: datetime | None,
        copy_of: str | None = None,
    ) -> tuple[StoryDoc, DocTerms | None]:
        """The clusterer's input, published at `when` (see `_real`); with terms computed
        ahead, the text itself is not needed."""
        raw = article.raw
        doc: StoryDoc | None = None
        ahead: DocTerms | None = None
        if terms is not None:
            ahead = terms_from_json(terms)
            if ahead.key == self.stories_.vectorizer_.terms_key:
                doc = StoryDoc(raw.id, when, "", (), raw.outlet, copy_of)
            else:
                ahead = None
        if doc is None:
            doc = story_doc(raw, article.clean, copy_of=copy_of)
            if doc.published != when:
                doc = dataclasses.replace(doc, published=when)
        return doc, ahead

    def _latest(self) -> datetime:
        """The latest publication time taken as real now (see `ReadSettings.max_future_days`)."""
        return datetime.now(UTC) + timedelta(days=self.settings.read.max_future_days)

    def _place(
        self, article: StoredArticle, match: CopyMatch, terms: str | None, report: TrackReport
    ) -> None:
        raw = article.raw
        if raw.id in self._where:  # placed again: its old clusters may lose their last member
            self._unused.clear()
        when = self._published[raw.id] = _real(parse_time(raw.published), self._latest())
        original = self._earlier_copied(when, match)
        copy_of = original.article_id if original is not None else None
        # a copy joins its original's copy group, story and event: copies always land together;
        # an article copying several groups shows they are one text: their clusters merge
        target = self._merge([c.article_id for c in match.copies], report)
        doc, ahead = self._doc(article, terms, when, copy_of)
        late = self.stories_.late(doc.published)  # (a copy joins its original, however late)
        pending = self.stories_.prepare(doc, ahead)
        if target is not None:
            # the original's own cluster when it is still live: after stories merged, the
            # stored ids map to one of the merged clusters only, and its event may be elsewhere
            inside = pending.forced or (
                self._internal_story.get(target[0]),
                self._internal_event.get(target[1]),
            )
            placed = self.stories_.commit(pending, *inside)
            story, event, copy_group = target
        else:
            story_id, score = self.stories_.choose_story(pending)
            event_id = None if story_id is None else self.stories_.choose_event(pending, story_id)
            linked = self.stories_.linked_stories(pending, story_id)
            placed = self.stories_.commit(pending, story_id, event_id, score)
            known_story = self._story_of.get(placed.story_id)
            known_event = self._event_of.get(placed.event_id)
            levels: list[Level] = ["copy"]
            if known_story is None:
                levels.append("story")
            if known_event is None:
                levels.append("event")
            fresh = dict(zip(levels, self._fresh(levels, raw.id), strict=True))
            copy_group = fresh["copy"]
            story = self._resolve(known_story) if known_story else fresh["story"]
            event = self._resolve(known_event) if known_event else fresh["event"]
            report.new_stories += known_story is None
            report.late += late and known_story is None  # opened a story that closes at once
            self._merge_stories(story, linked, when, report)
        self._remember(placed.story_id, placed.event_id, story, event)
        self._where[raw.id] = (story, event, copy_group)
        if when is not None:
            self._spans.extend(story, when.timestamp())
        placed_story = self._story_label.setdefault(placed.story_id, story)
        placed_event = self._event_label.setdefault(placed.event_id, event)
        if raw.id in self._changed:  # its old copies no longer copy it, unless still grouped
            self._changed.discard(raw.id)
            self._write_placed()
            self.store.drop_copy_links(raw.id, copy_group, copy_of)
        self._placed.append(
            StoredAssignment(
                article_id=raw.id,
                story=story,
                event=event,
                copy=copy_group,
                copy_of=copy_of,
                copy_score=original.jaccard if original is not None else None,
                story_score=placed.score,
                placed_story=placed_story,
                placed_event=placed_event,
            )
        )
        report.clustered += 1
        report.copies += copy_of is not None
        report.story_ids.add(story)


def recluster(store: SqliteStore, settings: Settings) -> TrackReport:
    """Cluster every stored article again, from scratch, in publication order: what one run
    over the whole store gives. For a store whose articles came out of time order (an archive
    added after newer news), whose stories a stream could not rebuild as they were."""
    # all or nothing: a failure leaves the stories as they were
    with fewer_collections(), store.transaction():
        store.clear_clusters()
        return Tracker(store, settings).update()
