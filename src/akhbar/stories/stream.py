"""Streaming story clustering: each article joins its best story (then event) or opens one.

Candidates come from an inverted index over the top terms of live story centroids; stories idle
for longer than the window, or running for longer than `max_span_days`, leave the index, and a
live story's events idle for two windows are no longer candidates for articles in time (only a
late one looks at them), so the cost per article stays flat as news flows.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, OrderedDict, deque
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime
from itertools import chain
from operator import mul, neg

import numpy as np
import numpy.typing as npt

from akhbar.stories.doc import StoryDoc
from akhbar.stories.params import Decision, StoryParams
from akhbar.stories.represent import SKETCH_SCALE, DocTerms, DocVector, Sketch, Vectorizer

__all__ = ["Assignment", "MergedStories", "Pending", "StoryClusterer"]

_DAY = 86400.0
_Ids = npt.NDArray[np.intp]
# all-undated stories have no clock to go stale by: they stay open for any later article; past
# this many, the least recently joined leaves once it has gone `_FLOATING_IDLE` articles
# without a new one, so that memory and the index stay bounded
_FLOATING_STORIES = 1000
_FLOATING_IDLE = 5000
# where the articles of stories gone stale were (the latest this many): a late copy of one
# reopens its original's story and event, under the same ids, as copies always land together
_RETIRED_KEPT = 100_000


@dataclass(frozen=True, slots=True)
class Assignment:
    """Where an article went; `score` is the confidence of the story decision (1.0 for copies).

    `merged` names other live stories the article also matched well enough to show they are
    one story with `story_id`: callers that keep labels merge them (`add_many` does)."""

    story_id: str
    event_id: str
    score: float
    merged: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Pending:
    """An article vectorised and scored against candidate stories, not yet placed.

    `sims` remembers the article's (full, title) dot products with the members it met, so the
    event decision does not recompute those it shares with the story decision."""

    vector: DocVector
    candidates: tuple[tuple[str, tuple[float, ...]], ...]
    forced: tuple[str, str] | None
    sims: dict[int, tuple[DocVector, float, float]] = field(
        default_factory=dict, compare=False, repr=False
    )


def _dot(a: dict[str, float], b: dict[str, float]) -> float:
    """Sparse dot product over the shared terms (the key intersection runs in C). The sum is
    `fsum`'s, correctly rounded whatever the order: a set's order follows the process's string
    hash seed, and a plain sum in it gave scores that differed in their last bits from run to
    run, so that a decision at its threshold could go either way."""
    shared = a.keys() & b.keys()
    if not shared:
        return 0.0
    return math.fsum(map(mul, map(a.__getitem__, shared), map(b.__getitem__, shared)))


def _fold(sums: dict[str, float], part: dict[str, float]) -> float:
    """Add a member's vector into running sums; returns how much |sums|^2 grew,
    |s + v|^2 - |s|^2 = 2 s.v + |v|^2, computed in the same pass."""
    if not sums:  # the first member: the sums are its vector
        sums.update(part)
        first: float = sum(map(mul, part.values(), part.values()))
        return first
    get = sums.get
    cross = own = 0.0
    for t, v in part.items():
        old = get(t, 0.0)
        sums[t] = old + v
        cross += old * v
        own += v * v
    return 2.0 * cross + own


def _root(into: dict[str, str], story_id: str) -> str:
    """The story `story_id` ended up merged into (itself when never merged)."""
    while story_id in into:
        story_id = into[story_id]
    return story_id


class MergedStories:
    """The stories a stream merged, as the one each ended up in: an article that joins one
    story and links others (`Assignment.merged`) merges them into it, unless the merged story
    would run for longer than `max_span_days` (a chain of stories, each linked to the next,
    is not one story)."""

    def __init__(self, max_span_days: float | None) -> None:
        """No merges yet; `max_span_days` as in `StoryParams` (None: no limit)."""
        self.max_span_days = max_span_days
        self.into_: dict[str, str] = {}  # story id -> the story it was merged into
        self.extent_: dict[str, tuple[float, float]] = {}  # root -> first and last time

    def root(self, story_id: str) -> str:
        """The story `story_id` ended up merged into (itself when never merged)."""
        return _root(self.into_, story_id)

    def place(self, story_id: str, when: float | None, linked: Iterable[str] = ()) -> str:
        """Count an article of `when` (seconds; None: undated) placed in `story_id` that
        links the stories `linked`; the story it is in now, merges made."""
        root = self.root(story_id)
        for other in linked:
            old = self.root(other)
            if old != root and self.within_span(old, root, when):
                self.into_[old] = root
                self.join(old, root)
        if when is not None:
            self.extend(root, when)
        return root

    def within_span(self, one: str, other: str, when: float | None) -> bool:
        """Whether stories `one` and `other`, with an article of `when`, run for no longer
        than `max_span_days` together."""
        span = self.max_span_days
        if span is None:
            return True
        times = [t for story in (one, other) for t in self.extent_.get(story, ())]
        if when is not None:
            times.append(when)
        return not times or max(times) - min(times) <= span * _DAY

    def extend(self, story: str, when: float) -> None:
        """Count an article of `when` into the first and last time of `story`."""
        first, last = self.extent_.get(story, (when, when))
        self.extent_[story] = (min(first, when), max(last, when))

    def join(self, old: str, into: str) -> None:
        """Count the times of story `old` into those of `into`, which it was merged into."""
        extent = self.extent_.pop(old, None)
        if extent is not None:
            self.extend(into, extent[0])
            self.extend(into, extent[1])


def _linear(d: Decision, x: tuple[float, ...]) -> float:
    """The decision's linear score (its logit)."""
    return d.bias + sum(w * v for w, v in zip(d.weights, x, strict=True))


class _Centroid:
    """Running sums of member vectors, with squared norms kept up to date incrementally."""

    __slots__ = ("floating", "last_time", "marks", "recent", "sq", "sums")

    def __init__(self, members_kept: int) -> None:
        """Empty centroid keeping the last `members_kept` member vectors for max-similarity."""
        self.sums: tuple[dict[str, float], dict[str, float], dict[str, float]] = ({}, {}, {})
        self.sq = [0.0, 0.0, 0.0]
        self.marks: Counter[str] = Counter()
        self.recent: deque[DocVector] = deque(maxlen=members_kept)
        self.last_time = -math.inf
        self.floating = True

    def add(self, vec: DocVector) -> None:
        """Fold one member into the sums (see `_fold`) and the kept members."""
        sq, sums = self.sq, self.sums
        sq[0] += _fold(sums[0], vec.full)
        sq[1] += _fold(sums[1], vec.title)
        self._add_third(vec)
        self.marks.update(vec.marks)
        self.recent.append(vec)
        if vec.dated:
            self.last_time = vec.time if self.floating else max(self.last_time, vec.time)
            self.floating = False

    def _third(self, vec: DocVector) -> float:
        """The third cosine (`cos_lead`): of the article's lead with the members' leads."""
        sq = self.sq[2]
        return _dot(vec.lead, self.sums[2]) / math.sqrt(sq) if sq > 0 else 0.0

    def _add_third(self, vec: DocVector) -> None:
        """Fold the member's lead into the sums."""
        self.sq[2] += _fold(self.sums[2], vec.lead)

    def features(
        self,
        vec: DocVector,
        sims: dict[int, tuple[DocVector, float, float]] | None = None,
        floor: float = -math.inf,
        third: float | None = None,
    ) -> tuple[float, ...] | None:
        """Pair features of `vec` against this cluster, in `params.FEATURES` order;
        `sims` caches vec's dot products with members across calls, `third` is the third
        cosine when the caller computed it (an event's, of sketches). None when the cosine
        (the first feature) is under `floor`: the rest, most of the cost, is then not
        computed."""
        sums, sq = self.sums, self.sq
        full, title = vec.full, vec.title
        # cover: the share of the article's (squared, unit) weight on terms the cluster has
        # used at all; unlike the cosine it is not diluted when a story spans several events
        shared_terms = full.keys() & sums[0].keys()
        d_full = cover = 0.0
        if shared_terms:
            weights = list(map(full.__getitem__, shared_terms))
            d_full = math.fsum(map(mul, weights, map(sums[0].__getitem__, shared_terms)))
            cover = math.fsum(map(mul, weights, weights))  # in a set's order: see `_dot`
        cos_full = d_full / math.sqrt(sq[0]) if sq[0] > 0 else 0.0
        if cos_full < floor:
            return None
        d_title = _dot(title, sums[1])
        cos_title = d_title / math.sqrt(sq[1]) if sq[1] > 0 else 0.0
        cos_lead = self._third(vec) if third is None else third
        recent = self.recent
        if len(recent) == 1 and recent.maxlen != 1:  # one member: the sums are its vector
            top: DocVector | None = recent[0]
            best, best_title = d_full, max(0.0, d_title)
        else:
            if sims is None:
                sims = {}
            best, best_title, top = 0.0, 0.0, None
            for member in recent:
                hit = sims.get(id(member))
                if hit is not None and hit[0] is member:
                    d, dt = hit[1], hit[2]
                else:
                    d, dt = _dot(full, member.full), _dot(title, member.title)
                    sims[id(member)] = (member, d, dt)
                if d > best or top is None:
                    best, top = d, member
                best_title = max(best_title, dt)
        marks = self.marks
        shared = len(marks.keys() & vec.marks) if vec.marks else 0
        gap = 0.0
        ent_clash = 0.0
        if top is not None:
            if vec.dated and top.dated and not self.floating:
                gap = abs(vec.time - top.time) / _DAY
            if vec.entities and top.entities and vec.entities.isdisjoint(top.entities):
                ent_clash = 1.0  # both name an actor, and not the same one
        # an outlet seldom runs two pieces on one happening within a day: a same-outlet member
        # that recent hints at a look-alike report (the next day's oil prices, another office)
        same_outlet = 0.0
        outlet, when = vec.outlet, vec.time
        if outlet is not None:
            for member in recent:
                if member.outlet == outlet and abs(member.time - when) < _DAY:
                    same_outlet = 1.0
                    break
        num_clash = 0.0
        if top is not None and vec.numbers and top.numbers and vec.numbers.isdisjoint(top.numbers):
            num_clash = 1.0  # both give figures in title or lead, and none agree
        return (
            cos_full,
            cos_title,
            cos_lead,
            best,
            best_title,
            math.log1p(shared),
            math.log1p(gap),
            ent_clash,
            same_outlet,
            num_clash,
            cover,
        )


class _Event(_Centroid):
    """An event: a centroid whose third cosine (`cos_lead`) is over the term sets of its
    members, summed as sketches (see `Sketch`), not over first paragraphs: a first paragraph
    is a one-line lead in some outlets and the whole article in others, while reports of one
    happening share its details all through.

    Members' sketches are summed when an article is first compared with the event: most
    events are never compared with anything (their story gets no other article)."""

    __slots__ = ("dims", "pending", "sketch_of", "sketch_sq", "sketch_sum")

    def __init__(self, members_kept: int, sketch_of: Callable[[_Ids], Sketch], dims: int) -> None:
        """An empty event; `sketch_of` makes a member's sketch (of `dims` bins) from its term
        ids."""
        super().__init__(members_kept)
        self.sketch_of = sketch_of
        self.dims = dims
        # the members not summed yet: their sketches, or their term ids to make them from
        self.pending: list[Sketch | _Ids] = []
        self.sketch_sum: npt.NDArray[np.float64] | None = None
        self.sketch_sq = 0  # |sketch_sum|^2, a whole number kept exactly

    def _third(self, vec: DocVector) -> float:
        """An event's third cosine needs the article's sketch: see `sketch_cosine`."""
        raise TypeError("an event compares sketches: pass features(third=sketch_cosine(...))")

    def add(self, vec: DocVector, sketch: Sketch | None = None) -> None:
        """Fold one member in; its sketch (`sketch`, else made from its term ids when
        needed) is summed when the event is next compared."""
        super().add(vec)
        self.pending.append(vec.ids if sketch is None else sketch)

    def _add_third(self, vec: DocVector) -> None:
        """Nothing: an event sums sketches (see `add`), not leads."""

    def sketch_cosine(self, sketch: Sketch) -> float:
        """The cosine of an article's sketch with the sum of the members'."""
        if self.pending:
            self._sum_pending()
        if not self.sketch_sq or self.sketch_sum is None or not sketch.bins.size:
            return 0.0
        dot = float(self.sketch_sum[sketch.bins] @ sketch.values)
        return dot / (SKETCH_SCALE * math.sqrt(self.sketch_sq))

    def _sum_pending(self) -> None:
        """Fold the members' sketches in: |s + v|^2 = |s|^2 + 2 s.v + |v|^2, in whole
        numbers."""
        for member in self.pending:
            sk = member if isinstance(member, Sketch) else self.sketch_of(member)
            if self.sketch_sum is None:
                self.sketch_sum = np.zeros(self.dims, dtype=np.float64)
            v = np.bincount(sk.bins, weights=sk.values, minlength=len(self.sketch_sum))
            self.sketch_sq += int(2.0 * float(self.sketch_sum @ v) + float(v @ v))
            self.sketch_sum += v
        self.pending.clear()


class _Story(_Centroid):
    """A story: its centroid, its events, its articles and the terms it is indexed under."""

    __slots__ = ("articles", "closed", "events", "first_time", "id", "indexed", "order", "serial")

    def __init__(self, story_id: str, members_kept: int, serial: int = 0) -> None:
        """An empty story; `serial` orders stories by when they were opened in this run."""
        super().__init__(members_kept)
        self.id = story_id
        self.serial = serial
        self.first_time = math.inf  # its earliest dated member's time
        self.events: dict[str, _Event] = {}  # open to candidates
        self.closed: dict[str, _Event] = {}  # idle for two windows (see `_close_events`)
        self.indexed: tuple[str, ...] = ()
        self.articles: list[str] = []
        self.order: dict[str, int] = {}  # term -> when it entered the sums (ties go by it)

    def add(self, vec: DocVector) -> None:
        """Fold one member in, and number the terms it brings (in the order the sums got
        them), so that ranking a few terms never walks the whole vocabulary."""
        super().add(vec)
        if vec.dated and vec.time < self.first_time:
            self.first_time = vec.time
        order = self.order
        for t in vec.full:
            if t not in order:
                order[t] = len(order)


class StoryClusterer:
    """Online story and event clustering of time-ordered articles (see module docstring)."""

    def __init__(self, params: StoryParams | None = None) -> None:
        """Store the parameters (the packaged ones when None); state fills as articles come."""
        self.params = params
        p = self.params_ = params if params is not None else StoryParams.load()
        self.vectorizer_ = Vectorizer(
            title_weight=p.title_weight,
            lead_weight=p.lead_weight,
            body_weight=p.body_weight,
            max_terms=p.max_terms,
            rare_share=p.rare_share,
            marks_after=p.marks_after,
            body_chars=p.body_chars,
        )
        self.stories_: dict[str, _Story] = {}
        self.index_: dict[str, set[str]] = {}
        self.where_: dict[str, tuple[str, str]] = {}
        self.retired_: OrderedDict[str, tuple[str, str]] = OrderedDict()
        self.now_ = -math.inf
        self.n_seen_ = 0
        self.n_stories_ = 0
        self._opened = 0  # stories opened (or reopened) in this run: their serial numbers
        self.n_events_ = 0
        self._expiry: list[tuple[float, str]] = []
        # all-undated stories, least recently joined first, with the article count then
        self._floating: OrderedDict[str, int] = OrderedDict()
        # the last article compared with events, and its sketch
        self._sketched: tuple[DocVector, Sketch] | None = None
        self._story_cut = p.story.logit_threshold()
        self._event_cut = p.event.logit_threshold()
        margin = p.merge_margin
        self._merge_cut = math.inf if margin is None else self._story_cut + margin

    # -- public API -------------------------------------------------------------------------
    def add(self, doc: StoryDoc, terms: DocTerms | None = None) -> Assignment:
        """Place one article (articles should come in time order) and say where it went;
        `terms`, when given, are `doc_terms(doc, params)` computed ahead (see `prepare`)."""
        pending = self.prepare(doc, terms)
        story_id, score = self.choose_story(pending)
        event_id = None if story_id is None else self.choose_event(pending, story_id)
        linked = self.linked_stories(pending, story_id)
        placed = self.commit(pending, story_id, event_id, score)
        return replace(placed, merged=linked) if linked else placed

    def add_many(self, docs: Iterable[StoryDoc]) -> dict[str, Assignment]:
        """`add` each article in the order given; stories merged along the way (see
        `MergedStories`) report one id (the one the merging article joined), events keeping
        theirs."""
        merged = MergedStories(self.params_.max_span_days)
        placed: dict[str, Assignment] = {}
        for doc in docs:
            if doc.id in placed:  # one assignment per id: the first would be lost
                raise ValueError(f"article id {doc.id!r} comes twice; each article once")
            a = placed[doc.id] = self.add(doc)
            when = None if doc.published is None else doc.published.timestamp()
            merged.place(a.story_id, when, a.merged)
        if not merged.into_:
            return placed
        return {k: replace(a, story_id=merged.root(a.story_id)) for k, a in placed.items()}

    @property
    def live_stories(self) -> int:
        """Stories still open for joining (in the index)."""
        return len(self.stories_)

    @property
    def index_size(self) -> int:
        """Postings in the inverted index: bounded by live stories x index_terms."""
        return sum(len(s) for s in self.index_.values())

    # -- the steps of `add`, public so that training can replay gold decisions ----------------
    def prepare(
        self, doc: StoryDoc, terms: DocTerms | None = None, *, every: bool = False
    ) -> Pending:
        """Vectorise `doc`, retire stale stories, and score the candidate stories.

        `terms` may carry `doc_terms(doc, params)` computed ahead (in a worker process, say):
        the stateless part of vectorising is then skipped, with the same result. Candidates
        under the similarity floor (`min_cos`), which can be neither joined nor merged, are
        left out (about half of them, at the cost of one dot product each) unless `every`
        (training sees every candidate the index gave)."""
        when = self._time(doc.published)
        self._expire()
        vec = self.vectorizer_.transform(doc, when, terms=terms)
        if doc.published is None:
            vec = replace(vec, dated=False)
        self.n_seen_ += 1
        forced = None
        if doc.copy_of is not None:
            forced = self.where_.get(doc.copy_of) or self.retired_.get(doc.copy_of)
        if forced is not None:
            return Pending(vec, (), forced)
        p = self.params_
        full = vec.full
        index = self.index_
        hits: dict[str, float] = {}
        for term in sorted(full, key=full.__getitem__, reverse=True)[: p.query_terms]:
            postings = index.get(term)
            if postings:
                weight = full[term]
                if hits:  # add to the stories already hit, then take in the new ones
                    for sid in postings.intersection(hits):
                        hits[sid] += weight
                    hits.update(dict.fromkeys(postings.difference(hits), weight))
                else:
                    hits = dict.fromkeys(postings, weight)
        if not hits:
            return Pending(vec, (), None)
        ranked = self._ranked(hits, p.max_candidates)
        cut = when - p.window_days * _DAY
        begun = -math.inf if p.max_span_days is None else when - p.max_span_days * _DAY
        stories = self.stories_
        sims: dict[int, tuple[DocVector, float, float]] = {}
        floor = -math.inf if every else p.min_cos
        cands = []
        for sid in ranked:
            story = stories[sid]
            if (story.last_time >= cut or story.floating) and story.first_time >= begun:
                x = story.features(vec, sims, floor)
                if x is not None:
                    cands.append((sid, x))
        return Pending(vec, tuple(cands), None, sims)

    def choose_story(self, pending: Pending) -> tuple[str | None, float]:
        """The best candidate story if it clears the threshold (else None), and the confidence."""
        if pending.forced is not None:
            return pending.forced[0], 1.0
        best_id, best = None, -math.inf
        floor = self.params_.min_cos
        for sid, x in pending.candidates:
            if x[0] < floor:  # too little in common: shared rare words alone do not make a story
                continue
            z = _linear(self.params_.story, x)
            if z > best:
                best_id, best = sid, z
        if best_id is None:
            return None, 1.0
        prob = 1.0 / (1.0 + math.exp(-best))
        return (best_id, prob) if best >= self._story_cut else (None, 1.0 - prob)

    def linked_stories(self, pending: Pending, story_id: str | None) -> tuple[str, ...]:
        """Candidate stories besides the chosen one that the article matches by the
        merge margin: stories the stream opened apart that this article shows are one."""
        if story_id is None or pending.forced is not None or len(pending.candidates) < 2:
            return ()
        p = self.params_
        cut, floor = self._merge_cut, p.min_cos
        return tuple(
            sid
            for sid, x in pending.candidates
            if sid != story_id and x[0] >= floor and _linear(p.story, x) >= cut
        )

    def event_candidates(
        self, pending: Pending, story_id: str
    ) -> list[tuple[str, tuple[float, ...]]]:
        """Features of the article against each live event of a story: an event idle for
        longer than the window is over, as a story would be (and a long-running story's
        events would otherwise make each article cost more as the story grows)."""
        story = self.stories_[story_id]
        vec, sims = pending.vector, pending.sims
        window = self.params_.window_days * _DAY
        cut = vec.time - window
        events: Iterable[tuple[str, _Event]] = story.events.items()
        if cut < self.now_ - 2 * window:  # late by more than the window: closed ones too
            events = chain(events, story.closed.items())
        sketch = self.vectorizer_.sketch(vec.ids)
        self._sketched = (vec, sketch)  # for the event it joins, if it is placed next
        found = [
            (eid, ev.features(vec, sims, third=ev.sketch_cosine(sketch)))
            for eid, ev in events
            if ev.last_time >= cut or ev.floating
        ]
        return [(eid, x) for eid, x in found if x is not None]

    def choose_event(self, pending: Pending, story_id: str) -> str | None:
        """The best event of the story if it clears the event threshold, else None (open one)."""
        if pending.forced is not None and pending.forced[0] == story_id:
            return pending.forced[1]
        best_id, best = None, -math.inf
        for eid, x in self.event_candidates(pending, story_id):
            z = _linear(self.params_.event, x)
            if z > best:
                best_id, best = eid, z
        return best_id if best >= self._event_cut else None

    def commit(
        self, pending: Pending, story_id: str | None, event_id: str | None, score: float = 1.0
    ) -> Assignment:
        """Put the article into the story and event (None opens a new one) and update the index."""
        p = self.params_
        vec = pending.vector
        # a late copy reopens its original's story and event, gone stale, under their ids
        forced = pending.forced
        reopen = forced if forced is not None and forced == (story_id, event_id) else None
        if story_id is None or story_id not in self.stories_:
            if reopen is None:
                self.n_stories_ += 1
                story_id, event_id = f"s{self.n_stories_}", None
            else:
                story_id = reopen[0]
            self._opened += 1
            self.stories_[story_id] = _Story(story_id, p.members_kept, self._opened)
        story = self.stories_[story_id]
        if event_id is not None and event_id in story.closed:
            # a copy (or a replay) joins an event closed to candidates: open again, whole
            story.events[event_id] = story.closed.pop(event_id)
        elif event_id is None or event_id not in story.events:
            if reopen is None:
                self.n_events_ += 1
                event_id = f"{story_id}.e{self.n_events_}"
            else:
                event_id = reopen[1]
            story.events[event_id] = _Event(
                p.members_kept, self.vectorizer_.sketch, self.vectorizer_.sketch_dims
            )
        story.add(vec)
        sketched, self._sketched = self._sketched, None
        story.events[event_id].add(vec, sketched[1] if sketched and sketched[0] is vec else None)
        self._close_events(story)
        story.articles.append(vec.id)
        self.where_[vec.id] = (story_id, event_id)
        self._reindex(story, vec)
        if story.floating:
            self._float(story_id)
        else:
            self._floating.pop(story_id, None)  # it has a clock (now, or had one)
            heapq.heappush(self._expiry, (self._stale_from(story), story_id))
        return Assignment(story_id, event_id, score)

    def backdate(self, story_id: str, published: datetime) -> None:
        """Let a live story count as begun at `published` when that is before its earliest
        member: a restored stream replays only recent days of a story that began before them
        (`max_span_days` counts from its true start, as in the run that is resumed)."""
        story = self.stories_.get(story_id)
        when = published.timestamp()
        if story is None or when >= story.first_time:
            return
        story.first_time = when
        if not story.floating:
            heapq.heappush(self._expiry, (self._stale_from(story), story_id))

    def late(self, published: datetime | None) -> bool:
        """Whether an article of this time comes after the stories of its days may have left
        the index (it is older than the clock less the window): it can still join a story
        open near its time, but a story it opens is retired by the next article. An archive
        added after newer news is late."""
        if published is None:
            return False
        return published.timestamp() < self.now_ - self.params_.window_days * _DAY

    # -- internals --------------------------------------------------------------------------
    def _ranked(self, hits: dict[str, float], k: int) -> list[str]:
        """The `k` stories with the most query weight; among equal weights at the cut (often:
        stories hit by one same term) the earliest begun, then the first opened, as a
        restarted stream, whose stories have other ids, ranks them too. Only a tie at the
        cut is sorted, so the other hits (80 on average) never are."""
        top = heapq.nsmallest(k + 1, zip(map(neg, hits.values()), hits, strict=True))
        if len(top) <= k or top[k][0] != top[k - 1][0]:
            return [sid for _, sid in top[:k]]
        edge = -top[k - 1][0]
        ahead = [sid for w, sid in top if -w > edge]
        stories = self.stories_
        tied = sorted(
            (sid for sid, w in hits.items() if w == edge),
            key=lambda sid: (stories[sid].first_time, stories[sid].serial),
        )
        return ahead + tied[: k - len(ahead)]

    def _time(self, published: datetime | None) -> float:
        """Seconds since the epoch; an unknown date takes the latest time seen."""
        if published is None:
            return self.now_ if self.now_ > -math.inf else 0.0
        when = published.timestamp()
        self.now_ = max(self.now_, when)
        return when

    def _reindex(self, story: _Story, vec: DocVector) -> None:
        """Index the story under the current top terms of its centroid, `vec` just added.

        Sums only grow, and only at `vec`'s terms: the new top terms are among the old ones
        and those, so only they are ranked, ties going to the term the sums got first (as
        ranking all the sums, in their order, would): a story's vocabulary grows as it runs,
        and walking it at each new member made a long story cost more per article."""
        sums = story.sums[0]
        k = self.params_.index_terms
        if len(sums) > 2 * (k + len(vec.full)):
            near = set(story.indexed)
            near.update(vec.full)
            order = story.order
            ranked = sorted(near, key=lambda t: (-sums[t], order[t]))
        else:  # sorted(reverse=True) is stable: ties keep first-seen order
            ranked = sorted(sums, key=sums.__getitem__, reverse=True)
        top = tuple(ranked[:k])
        old = set(story.indexed)
        new = set(top)
        for t in old - new:
            postings = self.index_.get(t)
            if postings is not None:
                postings.discard(story.id)
                if not postings:
                    del self.index_[t]
        for t in new - old:
            self.index_.setdefault(t, set()).add(story.id)
        story.indexed = top

    def _close_events(self, story: _Story) -> None:
        """Close the story's events idle for two windows before the clock to the articles in
        time: only an article late by more than the window (see `late`) could still choose
        one, and it looks at them too. They are kept aside, whole, for such an article or a
        copy of one of their articles. A story that runs for months then costs each article
        in time its recent events, not every event it ever had."""
        gone = self.now_ - 2 * self.params_.window_days * _DAY
        events = story.events
        idle = [e for e, ev in events.items() if ev.last_time < gone and not ev.floating]
        for event_id in idle:
            story.closed[event_id] = events.pop(event_id)

    def _float(self, story_id: str) -> None:
        """Keep an all-undated story open: it was just joined, so it leaves last.

        An undated article may belong to any time: its story waits for the dated articles
        of its event however many others come between (an undated file listed before a
        whole corpus still meets its dated twin at the end)."""
        self._floating[story_id] = self.n_seen_
        self._floating.move_to_end(story_id)
        self._sink_floating()

    def _sink_floating(self) -> None:
        """Past the cap, close the least recently joined all-undated stories idle long enough."""
        floating = self._floating
        idle = self.n_seen_ - _FLOATING_IDLE
        while len(floating) > _FLOATING_STORIES:
            story_id, joined = next(iter(floating.items()))
            if joined >= idle:
                return
            del floating[story_id]
            story = self.stories_.get(story_id)
            if story is not None and story.floating:
                self._drop(story)

    def _stale_from(self, story: _Story) -> float:
        """The time after which, a window later, the story leaves: its last article's, or
        when it has run for `max_span_days` less the window, whichever comes first."""
        span = self.params_.max_span_days
        if span is None:
            return story.last_time
        return min(story.last_time, story.first_time + (span - self.params_.window_days) * _DAY)

    def _expire(self) -> None:
        """Drop stories idle for longer than the window, or run for longer than the span,
        from the index and the live set (all-undated stories have no clock: see `_float`)."""
        cut = self.now_ - self.params_.window_days * _DAY
        heap = self._expiry
        while heap and heap[0][0] < cut:
            stale, sid = heapq.heappop(heap)
            story = self.stories_.get(sid)
            if story is None or self._stale_from(story) != stale:
                continue  # a newer entry for this story is in the heap (or it is gone)
            self._drop(story)
        self._sink_floating()

    def _drop(self, story: _Story) -> None:
        """Remove a story from the index and the live set."""
        for t in story.indexed:
            postings = self.index_.get(t)
            if postings is not None:
                postings.discard(story.id)
                if not postings:
                    del self.index_[t]
        where, retired = self.where_, self.retired_
        for aid in story.articles:
            placed = where.get(aid)
            if placed is not None and placed[0] == story.id:  # not if placed again elsewhere
                del where[aid]
                retired[aid] = placed
                retired.move_to_end(aid)
        while len(retired) > _RETIRED_KEPT:
            retired.popitem(last=False)
        del self.stories_[story.id]
