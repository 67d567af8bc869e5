"""Build a story's digest: claims with their outlets, what each voice alone adds, quotes,
entities with their spellings, cited sources, disagreeing numbers and a timeline.

Articles of one copy group are one voice: a claim they all carry counts once, and an outlet's
"only" items are judged against the other voices. Everything a digest says points back to
offsets in the cleaned texts it was built from.
"""

from __future__ import annotations

import dataclasses
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

import numpy as np
import numpy.typing as npt

from akhbar.digest.align import (
    AlignSettings,
    Token,
    Unit,
    align,
    article_units,
    content_term,
    name_skeleton,
)
from akhbar.digest.model import (
    Claim,
    Conflict,
    ConflictValue,
    DateRange,
    Digest,
    DigestArticle,
    EntityRow,
    OnlyItem,
    OutletRow,
    QuoteRow,
    SourceRow,
    Support,
    TimelineEntry,
)
from akhbar.errors import ConfigError, InputError
from akhbar.extract.dates import MONTH_NAMES
from akhbar.extract.extractor import parse_published
from akhbar.extract.link import EntityLinker
from akhbar.extract.model import DateRef, Extraction, Mention, Quote
from akhbar.extract.roles import heads_a_body
from akhbar.stories.doc import parse_time
from akhbar.text.normalize import normalize

__all__ = ["DigestSettings", "PreparedArticle", "build_digest", "prepare_article"]

_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
_NO_TIME = datetime.min.replace(tzinfo=UTC)  # stands in for an undated article in sort keys
_BREAK = re.compile(r"[.؟?!:؛;،,\"“”«»()\[\]\n–—-]")
_ANCHORED_KINDS = ("relative", "weekday")
# Words that say where something was reported, not what happened: never part of an addition
# (cited sources are shown on their own), even where no extraction marked them.
_RAW_ATTRIBUTION = """
نقلتها نقلته نقلت نقل نقلا وكالة أنباء وسائل إعلام مصادر مصدر صحيفة تصريحات تصريح مقابلة بيان
منصة حساب موقع قناة حسب بحسب وفق وفقا مراسل ذكرت ذكر أفادت أفاد أوردت أورد
"""
_ATTRIBUTION = frozenset(
    content_term(normalize(form))
    for w in _RAW_ATTRIBUTION.split()
    for form in (w, "ال" + w, "و" + w, "وال" + w, "ل" + w, "لل" + w)
) - {""}


@dataclass(frozen=True, slots=True)
class DigestSettings:
    """Thresholds of the digest beyond alignment."""

    align: AlignSettings = field(default_factory=AlignSettings)
    only_min_novel_share: float = 0.5
    only_min_novel_terms: int = 2
    addition_min_terms: int = 3
    addition_min_novel_terms: int = 2
    addition_min_novel_share: float = 0.5
    carried_min_share: float = 0.8
    quote_min_overlap: float = 0.5
    quote_unknown_speaker_overlap: float = 0.8


@dataclass(frozen=True, slots=True)
class _Story:
    """The articles with what every step shares: voices, units, term sets."""

    articles: tuple[DigestArticle, ...]
    voice: tuple[str, ...]
    units: tuple[Unit, ...]
    article_terms: tuple[frozenset[str], ...]

    def support(self, article: int, start: int, end: int) -> Support:
        """A `Support` for a stretch of one article."""
        a = self.articles[article]
        return Support(a.id, a.outlet, start, end, a.text[start:end])

    def outlets_of(self, articles: Iterable[int]) -> tuple[str, ...]:
        """Distinct outlets of some articles, in story order."""
        return tuple(dict.fromkeys(self.articles[i].outlet for i in sorted(set(articles))))


def _valid(text: str, start: int, end: int, piece: str) -> bool:
    """Whether an extracted span points at its own text (others are ignored, never trusted)."""
    return 0 <= start <= end <= len(text) and text[start:end] == piece


def _extraction(article: DigestArticle) -> Extraction:
    """The article's extraction with spans that do not match its text left out."""
    ex = article.extraction or Extraction()
    t = article.text
    return Extraction(
        entities=tuple(m for m in ex.entities if _valid(t, m.start, m.end, m.text)),
        quotes=tuple(q for q in ex.quotes if _valid(t, q.start, q.end, q.text)),
        sources=tuple(s for s in ex.sources if _valid(t, s.start, s.end, s.text)),
        dates=tuple(d for d in ex.dates if _valid(t, d.start, d.end, d.text)),
    )


@dataclass(frozen=True, slots=True)
class PreparedArticle:
    """The per-article part of a digest (clauses, terms, checked extraction), which does not
    depend on the rest of the story: keep it to redo a story's digest cheaply when the story
    gains an article (`build_digest` accepts it in place of the `DigestArticle`)."""

    article: DigestArticle
    extraction: Extraction
    units: tuple[Unit, ...]
    terms: frozenset[str]


def prepare_article(article: DigestArticle, cache: dict[str, str] | None = None) -> PreparedArticle:
    """Split an article into clauses with their matching terms; `cache` (word -> term) may be
    shared between calls to skip normalising words seen before."""
    extraction = _extraction(article)
    found = article_units(0, article.text, extraction.entities, {} if cache is None else cache)
    terms = frozenset(t for u in found for t in u.terms)
    return PreparedArticle(article, extraction, tuple(found), terms)


def _prepare(
    items: Sequence[DigestArticle | PreparedArticle],
) -> tuple[_Story, tuple[Extraction, ...]]:
    """Validate the articles, assign voices, split into units with terms (reusing prepared
    articles as they are)."""
    seen: set[str] = set()
    cache: dict[str, str] = {}
    prepared: list[PreparedArticle] = []
    for item in items:
        p = item if isinstance(item, PreparedArticle) else prepare_article(item, cache)
        if p.article.id in seen:
            raise InputError(f"article {p.article.id}", "appears twice in the story")
        seen.add(p.article.id)
        prepared.append(p)
    all_units: list[Unit] = []
    for i, p in enumerate(prepared):
        all_units.extend(
            u if u.article == i else dataclasses.replace(u, article=i) for u in p.units
        )
    articles = tuple(p.article for p in prepared)
    voice = tuple(f"copy:{a.copy}" if a.copy else f"article:{a.id}" for a in articles)
    story = _Story(articles, voice, tuple(all_units), tuple(p.terms for p in prepared))
    return story, tuple(p.extraction for p in prepared)


def _best_member(members: Sequence[int], cosine: npt.NDArray[np.float64], story: _Story) -> int:
    """The member most similar to the others; the shortest among equals."""
    if len(members) == 1:
        return members[0]

    def score(i: int) -> tuple[float, int]:
        others = [cosine[i, j] for j in members if j != i]
        return (-round(float(np.mean(others)), 6), len(story.units[i].span.text))

    return min(members, key=score)


@dataclass(frozen=True, slots=True)
class _Group:
    """A claim before numbering: its units and what ordering needs."""

    members: tuple[int, ...]
    best: int
    voices: int
    position: float
    outlets: tuple[str, ...]
    # clauses of other articles that state the claim inside a longer clause of theirs
    # (aligned to another claim): they support it, and count its voices and outlets
    carried: tuple[int, ...] = ()

    @property
    def shared(self) -> bool:
        """Whether independent voices of different outlets carry it (listed first)."""
        return self.voices > 1 and len(self.outlets) > 1


def _groups(
    story: _Story, settings: DigestSettings
) -> tuple[list[_Group], npt.NDArray[np.float64]]:
    """Aligned claims, those several outlets share first, then by voices and earliest
    position."""
    alignment = align(story.units, settings.align)
    unit_article = np.array([u.article for u in story.units], dtype=np.intp)
    bests = [_best_member(members, alignment.cosine, story) for members in alignment.groups]
    inside = alignment.inside(bests)  # one product for every claim's best clause
    out: list[_Group] = []
    for k, (members, best) in enumerate(zip(alignment.groups, bests, strict=True)):
        position = min(
            story.units[i].span.start / max(len(story.articles[story.units[i].article].text), 1)
            for i in members
        )
        carried = _carried(
            story, inside[k], unit_article, members=members, best=best, settings=settings
        )
        everyone = (*members, *carried)
        voices = len({story.voice[story.units[i].article] for i in everyone})
        outlets = story.outlets_of(story.units[i].article for i in everyone)
        out.append(_Group(members, best, voices, position, outlets, carried))
    # the claims several outlets carry first, so that the ids (c1, c2, ...) follow the
    # lists the views show, shared then single-source: a claim of two voices of one outlet
    # (two of its articles, not copies) had an early id and was shown after the shared ones
    out.sort(key=lambda g: (not g.shared, -g.voices, g.position, g.members[0]))
    return out, alignment.cosine


def _carried(
    story: _Story,
    row: npt.NDArray[np.float64],
    unit_article: npt.NDArray[np.intp],
    *,
    members: Sequence[int],
    best: int,
    settings: DigestSettings,
) -> tuple[int, ...]:
    """The clause of each article outside the claim that holds nearly all of its best
    clause's term weight (`row`, see `Alignment.inside`) and every figure of it, the fullest one per
    article."""
    if row.size == 0:
        return ()
    hits = np.flatnonzero(row >= settings.carried_min_share)
    if hits.size == 0:
        return ()
    taken = {story.units[i].article for i in members}
    # its figures too: `تعقد 22 دورة لتدريب 2302` is not held by `تعقد 12 دورة لتدريب 280`
    figures = {t for t in story.units[best].terms if t[:1].isdigit()}
    found: dict[int, int] = {}
    for i in hits[np.argsort(-row[hits], kind="stable")].tolist():
        article = int(unit_article[i])
        if article not in taken and article not in found and figures <= story.units[i].terms:
            found[article] = i
    return tuple(sorted(found.values()))


def _claims(story: _Story, groups: Sequence[_Group]) -> tuple[Claim, ...]:
    """Claims with ids in importance order."""
    out: list[Claim] = []
    for n, g in enumerate(groups, 1):
        members = sorted((*g.members, *g.carried), key=lambda i: story.units[i].article)
        support = tuple(
            story.support(
                story.units[i].article, story.units[i].span.start, story.units[i].span.end
            )
            for i in members
        )
        out.append(
            Claim(
                id=f"c{n}",
                text=story.units[g.best].span.text,
                outlets=g.outlets,
                voices=g.voices,
                support=support,
                position=g.position,
            )
        )
    return tuple(out)


def _sourced(extraction: Extraction) -> list[tuple[int, int]]:
    """Stretches that name where the information came from: shown apart, never an addition."""
    return [(s.start, s.end) for s in extraction.sources]


def _pieces(story: _Story, unit: Unit) -> list[list[Token]]:
    """The clause's tokens cut at punctuation."""
    text = story.articles[unit.article].text
    pieces: list[list[Token]] = [[]]
    previous_end: int | None = None
    for tok in unit.tokens:
        if previous_end is not None and _BREAK.search(text[previous_end : tok.start]):
            pieces.append([])
        previous_end = tok.end
        pieces[-1].append(tok)
    return [p for p in pieces if p]


def _runs(
    story: _Story, unit: Unit, covered: frozenset[str], skip: list[tuple[int, int]]
) -> list[list[Token]]:
    """Runs of content words of `unit` not in `covered` that reach the start or the end of
    their punctuation-delimited piece: a phrase one outlet adds at the edge of a shared
    wording (`..., بما يعود بالنفع على الولايات المتحدة بالدرجة الأولى`), not a reworded
    stretch in the middle of one."""
    out: list[list[Token]] = []
    for piece in _pieces(story, unit):
        flags: list[bool | None] = []  # True new, False covered, None function word
        for tok in piece:
            if not tok.term:
                flags.append(None)
                continue
            in_source = any(a <= tok.start < b for a, b in skip)
            old = tok.term in covered or tok.term in _ATTRIBUTION or in_source
            flags.append(not old)
        k = 0
        while k < len(piece):
            if flags[k] is not True:
                k += 1
                continue
            end = k
            j = k
            while j < len(piece) and flags[j] is not False:
                if flags[j]:
                    end = j
                j += 1
            at_start = all(f is None for f in flags[:k])
            at_end = all(f is None for f in flags[end + 1 :])
            if at_start or at_end:
                out.append(piece[k : end + 1])
            k = j
    return out


def _reference(story: _Story, outlets: Iterable[str]) -> frozenset[str]:
    """Every term the articles of the other outlets use: what is new against them is new."""
    own = set(outlets)
    out: set[str] = set()
    for i, a in enumerate(story.articles):
        if a.outlet not in own:
            out |= story.article_terms[i]
    return frozenset(out)


def _voice_reference(story: _Story, voice: str) -> frozenset[str]:
    """Every term the articles of the other voices use."""
    out: set[str] = set()
    for i, v in enumerate(story.voice):
        if v != voice:
            out |= story.article_terms[i]
    return frozenset(out)


def _novel_enough(
    terms: Sequence[str], reference: frozenset[str], least: int, share: float
) -> bool:
    """Whether enough of `terms` (entity keys aside) are absent from `reference`."""
    plain = [t for t in terms if not t.startswith("@")]
    novel = sum(1 for t in plain if t not in reference)
    return novel >= least and novel >= share * len(plain)


def _content_words(story: _Story) -> list[list[Token]]:
    """Each article's content words (tokens with a term), in text order."""
    words: list[list[Token]] = [[] for _ in story.articles]
    for u in story.units:  # (an article's clauses come together, in order)
        words[u.article].extend(t for t in u.tokens if t.term)
    return words


def _addition_support(
    story: _Story,
    articles: Sequence[int],
    unit: Unit,
    run: list[Token],
    words_of: Sequence[Sequence[Token]],
) -> tuple[Support, ...]:
    """Offsets of an added stretch in its article and wherever its voice's other articles
    (its copies) give the same words, in whichever of their clauses (a copy's clause may sit
    in another claim): the outlets shown are those that print it. `words_of`: each
    article's content words, in order."""
    out = [story.support(unit.article, run[0].start, run[-1].end)]
    wanted = [t.term for t in run if t.term]
    for article in articles:
        if article == unit.article:
            continue
        words = words_of[article]
        terms = [t.term for t in words]
        for k in range(len(terms) - len(wanted) + 1):
            if terms[k : k + len(wanted)] == wanted:
                end = words[k + len(wanted) - 1].end
                out.append(story.support(article, words[k].start, end))
                break
    return tuple(out)


def _only(
    story: _Story,
    groups: Sequence[_Group],
    claims: Sequence[Claim],
    extractions: Sequence[Extraction],
    settings: DigestSettings,
) -> tuple[tuple[str, tuple[OnlyItem, ...]], ...]:
    """Per outlet (outlets joined by " + " for a copy reprinted by several): the claims only
    it carries, and what one voice adds inside a claim others carry too. Only what is new
    against the other outlets' articles counts, so a restatement is not news; a story
    from a single outlet has nothing to compare and gets nothing here."""
    if len({a.outlet for a in story.articles}) < 2 or len(set(story.voice)) < 2:
        return ()
    found: dict[str, list[OnlyItem]] = defaultdict(list)
    voiced: dict[str, list[int]] = defaultdict(list)  # a voice's articles
    for k, v in enumerate(story.voice):
        voiced[v].append(k)
    words_of: list[list[Token]] = []  # each article's content words, once a copy needs them
    references: dict[tuple[str, ...], frozenset[str]] = {}
    voice_references: dict[str, frozenset[str]] = {}
    for g, claim in zip(groups, claims, strict=True):
        by_voice: dict[str, list[int]] = defaultdict(list)
        for i in g.members:
            by_voice[story.voice[story.units[i].article]].append(i)
        if len(claim.outlets) == 1 or g.voices == 1:
            if claim.outlets not in references:
                references[claim.outlets] = _reference(story, claim.outlets)
            reference = references[claim.outlets]
            best = story.units[g.best]
            # what it says, not where it came from: `وفقا لوكالة رويترز.` says nothing new
            sourced = _sourced(extractions[best.article])
            terms = sorted(
                {
                    t.term
                    for t in best.tokens
                    if t.term
                    and t.term not in _ATTRIBUTION
                    and not any(a <= t.start < b for a, b in sourced)
                }
            )
            if reference and _novel_enough(
                terms, reference, settings.only_min_novel_terms, settings.only_min_novel_share
            ):
                found[" + ".join(claim.outlets)].append(
                    OnlyItem("claim", claim.id, claim.text, claim.outlets, claim.support)
                )
            continue
        for voice, members in by_voice.items():
            unit = story.units[min(members, key=lambda i: story.units[i].article)]
            covered: set[str] = set()
            for i in (*g.members, *g.carried):
                if story.voice[story.units[i].article] != voice:
                    covered |= story.units[i].terms
            if voice not in voice_references:
                voice_references[voice] = _voice_reference(story, voice)
            reference = voice_references[voice]
            skip = _sourced(extractions[unit.article])
            for run in _runs(story, unit, frozenset(covered), skip):
                terms = [t.term for t in run if t.term]
                if len(terms) >= settings.addition_min_terms and _novel_enough(
                    terms,
                    reference,
                    settings.addition_min_novel_terms,
                    settings.addition_min_novel_share,
                ):
                    if not words_of and len(voiced[voice]) > 1:
                        words_of = _content_words(story)
                    support = _addition_support(story, voiced[voice], unit, run, words_of)
                    outlets = tuple(dict.fromkeys(s.outlet for s in support))
                    found[" + ".join(outlets)].append(
                        OnlyItem("addition", claim.id, support[0].text, outlets, support)
                    )
    return tuple((k, tuple(v)) for k, v in sorted(found.items()))


# -- entities ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _EntityGroup:
    """Mentions of one entity across the story, and the row that shows them."""

    skeletons: frozenset[str]
    row: EntityRow


def _skeleton_groups(
    mentions: Sequence[tuple[int, Mention]],
) -> list[list[tuple[int, Mention]]]:
    """Mentions grouped by type and transliteration skeleton of their key; a one-word name
    joins the one longer name it ends (غوتيريش -> أنطونيو غوتيريش)."""
    by_key: dict[tuple[str, str], list[tuple[int, Mention]]] = defaultdict(list)
    for i, m in mentions:
        skeleton = name_skeleton(m.key or m.text)
        if skeleton:
            by_key[(m.type, skeleton)].append((i, m))
    for type_, skeleton in list(by_key):
        if " " in skeleton or type_ != "PER":
            continue
        longer = [k for k in by_key if k[0] == type_ and k[1].split()[-1] == skeleton]
        longer = [k for k in longer if " " in k[1]]
        if len(longer) == 1:
            by_key[longer[0]].extend(by_key.pop((type_, skeleton)))
    return list(by_key.values())


def _linked_groups(
    story: _Story, extractions: Sequence[Extraction], story_id: str
) -> list[list[tuple[int, Mention]]]:
    """Mentions grouped by the project's variant linker (`akhbar.extract.link`: phonetic
    name keys, aliases such as أمريكا = الولايات المتحدة); mentions it leaves unlinked, or
    every mention where its alias table cannot be loaded, are grouped by skeleton."""
    everything = [(i, m) for i, ex in enumerate(extractions) for m in ex.entities]
    try:
        linker = EntityLinker()
        for i, ex in enumerate(extractions):
            linker.add_all(ex.entities, story.articles[i].id, story_id)
        ids = [linker.entity_id(story.articles[i].id, m) for i, m in everything]
    except ConfigError:
        return _skeleton_groups(everything)
    by_id: dict[str, list[tuple[int, Mention]]] = defaultdict(list)
    unlinked: list[tuple[int, Mention]] = []
    for (i, m), entity in zip(everything, ids, strict=True):
        if entity is None:
            unlinked.append((i, m))
        else:
            by_id[entity].append((i, m))
    return _across_types(list(by_id.values()) + _skeleton_groups(unlinked))


def _across_types(groups: list[list[tuple[int, Mention]]]) -> list[list[tuple[int, Mention]]]:
    """Groups the linker kept apart only by type joined: one name written the same way is
    one entity that the tagger typed two ways (`جازان` a place here, a body there); two
    groups of one type stay apart, as the linker decided."""
    first: dict[str, int] = {}  # a spelling's key -> the group that holds it first
    into = list(range(len(groups)))

    def root(k: int) -> int:
        while into[k] != k:
            k = into[k]
        return k

    types = [{m.type for _, m in g} for g in groups]
    for k, group in enumerate(groups):
        for _, m in group:
            key = normalize(m.key or m.text)
            other = first.setdefault(key, k)
            a, b = root(other), root(k)
            if a != b and types[a].isdisjoint(types[b]):
                into[b] = a
                types[a] |= types[b]
    joined: dict[int, list[tuple[int, Mention]]] = defaultdict(list)
    for k, group in enumerate(groups):
        joined[root(k)].extend(group)
    return list(joined.values())


def _entities(
    story: _Story, extractions: Sequence[Extraction], story_id: str
) -> list[_EntityGroup]:
    """One group per entity, most cited first: the commonest of the longest spellings names
    it, every spelling is a variant."""
    out: list[_EntityGroup] = []
    for mentions in _linked_groups(story, extractions, story_id):
        spellings = Counter(m.text for _, m in mentions)
        longest = max(len(s.split()) for s in spellings)
        name = max(
            (s for s in spellings if len(s.split()) == longest),
            key=lambda s: (spellings[s], -len(s)),
        )
        types = Counter(m.type for _, m in mentions)
        roles = Counter(m.role for _, m in mentions if m.role)
        row = EntityRow(
            name=name,
            type=types.most_common(1)[0][0],
            role=roles.most_common(1)[0][0] if roles else None,
            variants=tuple(s for s, _ in spellings.most_common()),
            outlets=story.outlets_of(i for i, _ in mentions),
            mentions=len(mentions),
        )
        skeletons = {name_skeleton(m.key or m.text) for _, m in mentions}
        skeletons |= {k.split()[-1] for k in skeletons if k}
        out.append(_EntityGroup(frozenset(k for k in skeletons if k), row))
    out.sort(key=lambda g: (-len(g.row.outlets), -g.row.mentions, g.row.name))
    return out


# -- quotes --------------------------------------------------------------------------------------


def _speaker_names(groups: Sequence[_EntityGroup]) -> dict[str, str]:
    """Skeleton of each spelling of a person's name, and of its last word, -> the entity's
    name (the most cited person wins a shared last name)."""
    names: dict[str, str] = {}
    for g in groups:
        if g.row.type == "PER":
            for skeleton in sorted(g.skeletons):
                names.setdefault(skeleton, g.row.name)
    return names


def _speaker_of(quote: Quote, names: dict[str, str]) -> str | None:
    """The entity name of a quote's speaker, so that spellings of one person meet; a phrase
    that opens with a body or a relative (`مكتب رئيس الوزراء فلان`) is not the person its
    last word names."""
    if not quote.speaker:
        return None
    skeleton = name_skeleton(quote.speaker)
    words = quote.speaker.split()
    last = skeleton.split()[-1] if skeleton and not heads_a_body(words[0]) else ""
    return names.get(skeleton) or names.get(last) or quote.speaker


def _quote_terms(text: str) -> frozenset[str]:
    """Matching terms of a quote's text."""
    return frozenset(filter(None, (content_term(w) for w in normalize(text).split())))


@dataclass(frozen=True, slots=True)
class _QuoteGroup:
    """One row of the quotes table being built."""

    speaker: str | None
    members: tuple[tuple[int, Quote], ...]
    terms: frozenset[str]


def _same_quote(
    group: _QuoteGroup,
    speaker: str | None,
    terms: frozenset[str],
    settings: DigestSettings,
    known: frozenset[str] = frozenset(),
) -> bool:
    """Whether a quote is the group's: same speaker and mostly the same words, or nearly the
    same words whoever the speaker (`وزير الخارجية السعودي` in one outlet is `عادل الجبير` in
    the copies of nine others; a short formula needs the same speaker); never two quotes
    whose figures differ (a spokesman's notices of two incidents share most of their words,
    not their times and counts). Two people the story names (`known`) are never one speaker:
    outlets that give the same words to two of them disagree, and a row would hide it."""
    for figures in (_digits, _figure_words):  # figures in digits, then in words, each apart
        mine, theirs = figures(terms), figures(group.terms)
        if mine and theirs and not (mine <= theirs or theirs <= mine):
            return False
    small = min(len(terms), len(group.terms)) or 1
    overlap = len(terms & group.terms) / small
    if group.speaker == speaker:
        return overlap >= settings.quote_min_overlap
    if group.speaker in known and speaker in known:
        return False
    if group.speaker is None or speaker is None or small >= _QUOTE_SAME_WORDS:
        return overlap >= settings.quote_unknown_speaker_overlap
    return False


# a quote of this many terms or more, nearly the same words as another's, is the same quote
# whoever each outlet names as its speaker
_QUOTE_SAME_WORDS = 6
# words that say when or how many (weekdays, hours, counts written out), as quote terms
_RAW_FIGURES = """
السبت الأحد الاثنين الثلاثاء الأربعاء الخميس الجمعة الأولى الثانية الثالثة الرابعة الخامسة
السادسة السابعة الثامنة التاسعة العاشرة عشرة واحد اثنان اثنين ثلاثة أربعة خمسة ستة سبعة
ثمانية تسعة عشرين ثلاثين أربعين خمسين مئة مائة ألف
"""
_FIGURE_TERMS = frozenset(content_term(normalize(w)) for w in _RAW_FIGURES.split())


def _digits(terms: frozenset[str]) -> frozenset[str]:
    """The numbers of a quote's terms."""
    return frozenset(t for t in terms if t[:1].isdigit())


def _figure_words(terms: frozenset[str]) -> frozenset[str]:
    """The words of a quote's terms that write a day or a count (one outlet writes `خمسة`
    where another writes `5`: each kind is set against its own kind only)."""
    return terms & _FIGURE_TERMS


def _quotes(
    story: _Story,
    extractions: Sequence[Extraction],
    entities: Sequence[_EntityGroup],
    settings: DigestSettings,
) -> tuple[QuoteRow, ...]:
    """The quotes table: the same quote in several articles (same speaker, mostly the same
    words) is one row; a row takes its speaker from any article that names one."""
    names = _speaker_names(entities)
    known = frozenset(names.values())
    groups: list[_QuoteGroup] = []
    for i, ex in enumerate(extractions):
        for q in ex.quotes:
            speaker = _speaker_of(q, names)
            terms = _quote_terms(q.text)
            for k, group in enumerate(groups):
                if all(j != i for j, _ in group.members) and _same_quote(
                    group, speaker, terms, settings, known
                ):
                    named = group.speaker if group.speaker in known else None
                    groups[k] = _QuoteGroup(
                        named
                        or (speaker if speaker in known else None)
                        or group.speaker
                        or speaker,
                        (*group.members, (i, q)),
                        group.terms,
                    )  # a row's speaker: an entity's name where some article gives one
                    break
            else:
                groups.append(_QuoteGroup(speaker, ((i, q),), terms))
    out: list[QuoteRow] = []
    for group in groups:
        members = group.members
        out.append(
            QuoteRow(
                speaker=group.speaker,
                text=members[0][1].text,
                kind="direct" if any(q.kind == "direct" for _, q in members) else "indirect",
                outlets=story.outlets_of(i for i, _ in members),
                support=tuple(story.support(i, q.start, q.end) for i, q in members),
            )
        )
    return tuple(out)


# -- sources, conflicts, dates, timeline, headline ------------------------------------------------


def _cited_sources(
    story: _Story, extractions: Sequence[Extraction]
) -> tuple[tuple[str, tuple[SourceRow, ...]], ...]:
    """Per outlet, the sources its articles cite (one row per name and kind)."""
    rows: dict[str, dict[tuple[str, str], tuple[str, list[str]]]] = defaultdict(dict)
    names: dict[tuple[str, str], str] = {}
    for i, ex in enumerate(extractions):
        article = story.articles[i]
        for s in ex.sources:
            key = (normalize(s.name), s.kind)
            _, ids = rows[article.outlet].setdefault(key, (s.text, []))
            names.setdefault(key, s.name)
            if article.id not in ids:
                ids.append(article.id)
    return tuple(
        (
            outlet,
            tuple(
                SourceRow(names[key], key[1], text, tuple(ids))
                for key, (text, ids) in found.items()
            ),
        )
        for outlet, found in rows.items()
    )


@dataclass(frozen=True, slots=True)
class _Number:
    """A number of a clause: its token, its value (`%` dropped), the content words around."""

    token: Token
    value: str
    before: str
    after: str


_NUMBER_GLUE = ":/\u200e\u200f\u061c"
_CLOCK = re.compile(r"(?:ال)?ساع[ةه]\s*$")  # "the hour" before a number that may be a time
# a year reference names its year: `عام 1999`, `العام 2014`, `سنة 1436`; the extractor's year
# rule also takes `منذ 2000` (of `منذ 2000 عام`, a count of years), which stays a number
_YEAR_WORD = re.compile(r"(?:^|\s)(?:[وب]?ال|ل)?(?:عام|سنة|سنه)\s")


_MONTH_TERMS = frozenset(
    content_term(normalize(word))
    for name in (*MONTH_NAMES, "الأول", "الثاني", "الآخر", "الأولى", "الثانية", "الآخرة")
    for word in name.split()
)


def _numbers(story: _Story, unit: Unit, dated: Sequence[tuple[int, int]] = ()) -> list[_Number]:
    """Numbers of a clause with the content words just before and after them. Parts of
    times, dates and numbers written with direction marks (`06:47`, `20/10/1436`, `28.\u200f52`)
    are left out: their pieces are not quantities; so are numbers inside the article's date
    references (`dated`: `عام 1999` is a year, not a count to set against `16 عاما`) and
    clock times written without a colon (`الساعة 0633`). A word that comes before (or after)
    two numbers of the clause says nothing about either, so it is dropped."""
    text = story.articles[unit.article].text
    toks = [t for t in unit.tokens if t.term]
    found: list[_Number] = []
    for k, t in enumerate(toks):
        if not t.term[0].isdigit():
            continue
        around = text[max(t.start - 2, 0) : t.start] + text[t.end : t.end + 2]
        if any(ch in _NUMBER_GLUE for ch in around):
            continue
        if any(start < t.end and t.start < end for start, end in dated):
            continue
        digits = t.term.rstrip("%")
        if (
            digits.isdigit()
            and len(digits) <= 4
            and int(digits) <= 2400
            and _CLOCK.search(text, max(t.start - 12, 0), t.start)
        ):
            continue  # الساعة 0633: a time (الساعة 5000 متر: a count per hour)
        before = next((x.term for x in reversed(toks[:k]) if not x.term[0].isdigit()), "")
        after = next((x.term for x in toks[k + 1 :] if not x.term[0].isdigit()), "")
        # a month's name says when, not what (`عقود ديسمبر كانون الأول 1088.10`)
        before = "" if before in _MONTH_TERMS else before
        after = "" if after in _MONTH_TERMS else after
        found.append(_Number(t, t.term.rstrip("%"), before, after))
    befores = Counter(n.before for n in found)
    afters = Counter(n.after for n in found)
    return [
        _Number(
            n.token,
            n.value,
            n.before if befores[n.before] == 1 else "",
            n.after if afters[n.after] == 1 else "",
        )
        for n in found
    ]


def _names_a_date(ref: DateRef) -> bool:
    """Whether a date reference surely names a date, so that its numbers are no counts: a
    full date, or a year after its word (`عام 1999`; not `منذ 2000` of `منذ 2000 عام`)."""
    return ref.kind != "year" or bool(_YEAR_WORD.search(f" {ref.text}"))


def _disagreements(
    story: _Story, members: Sequence[int], dated: Sequence[Sequence[tuple[int, int]]]
) -> list[tuple[int, str, tuple[int, _Number], tuple[int, _Number]]]:
    """Pairs of different numbers of two voices' clauses about the same word: (0 when the
    word before matches, 1 when the word after does; the word; the two numbers); `dated`:
    each article's date reference spans."""
    numbers = {i: _numbers(story, story.units[i], dated[story.units[i].article]) for i in members}
    values_of = {i: {n.value for n in found} for i, found in numbers.items()}
    out: list[tuple[int, str, tuple[int, _Number], tuple[int, _Number]]] = []
    for a in members:
        for b in members:
            va = story.voice[story.units[a].article]
            vb = story.voice[story.units[b].article]
            if a >= b or va == vb:
                continue
            for na in numbers[a]:
                for nb in numbers[b]:
                    if na.value in values_of[b] or nb.value in values_of[a]:
                        continue
                    if na.token.term.endswith("%") != nb.token.term.endswith("%"):
                        continue  # a share is no count or price
                    if na.before and na.before == nb.before:
                        out.append((0, na.before, (a, na), (b, nb)))
                    elif na.after and na.after == nb.after:
                        out.append((1, na.after, (a, na), (b, nb)))
    return out


def _root(
    parent: dict[tuple[str, str], tuple[str, str]], value: tuple[str, str]
) -> tuple[str, str]:
    """Union-find root of `value` (a value never seen is its own root)."""
    while parent.setdefault(value, value) != value:
        value = parent[value]
    return value


def _conflicts(
    story: _Story,
    groups: Sequence[_Group],
    claims: Sequence[Claim],
    extractions: Sequence[Extraction],
) -> tuple[Conflict, ...]:
    """Numbers that disagree between voices of one claim about the same thing (the same
    word just before or after them), where neither clause also gives the other value.
    Values linked by disagreements form one conflict."""
    dated = [[(d.start, d.end) for d in ex.dates if _names_a_date(d)] for ex in extractions]
    out: list[Conflict] = []
    for g, claim in zip(groups, claims, strict=True):
        if g.voices < 2:
            continue
        links = _disagreements(story, g.members, dated)
        if not links:
            continue
        # values join by disagreements about one word: a price and a change, each set
        # against its own, are two conflicts
        parent: dict[tuple[str, str], tuple[str, str]] = {}
        for _, word, (_, na), (_, nb) in links:
            parent[_root(parent, (word, na.value))] = _root(parent, (word, nb.value))
        components: dict[
            tuple[str, str], list[tuple[int, str, tuple[int, _Number], tuple[int, _Number]]]
        ] = defaultdict(list)
        for link in links:
            components[_root(parent, (link[1], link[2][1].value))].append(link)
        for found in components.values():
            _, about, (unit, _), _ = min(found, key=lambda k: (k[0], k[2][1].token.start))
            by_value: dict[str, list[tuple[int, Token]]] = defaultdict(list)
            for _, _, x, y in found:
                for i, n in (x, y):
                    if (i, n.token) not in by_value[n.value]:
                        by_value[n.value].append((i, n.token))
            values = tuple(
                ConflictValue(
                    value,
                    story.outlets_of(story.units[i].article for i, _ in hits),
                    tuple(story.support(story.units[i].article, t.start, t.end) for i, t in hits),
                )
                for value, hits in sorted(by_value.items(), key=lambda kv: kv[1][0][1].start)
            )
            out.append(Conflict(claim.id, _word_near(story, unit, about), values))
    return tuple(out)


def _word_near(story: _Story, unit: int, term: str) -> str:
    """The word of a clause whose term is `term`, as written."""
    u = story.units[unit]
    text = story.articles[u.article].text
    for t in u.tokens:
        if t.term == term:
            return text[t.start : t.end]
    return term


def _dates(story: _Story, extractions: Sequence[Extraction]) -> DateRange:
    """First and last day from publication dates and day-precise references to the
    reporting day (today, Monday); other dated mentions are listed, not counted."""
    published = sorted(
        {a.published[:10] for a in story.articles if a.published and _DAY.match(a.published)}
    )
    anchored: set[str] = set()
    mentioned: set[str] = set()
    for a, ex in zip(story.articles, extractions, strict=True):
        for d in ex.dates:
            if not d.value:
                continue
            if _reporting_day(a, d):
                anchored.add(d.value[:10])
            else:  # `الأربعاء المقبل`, `الأسبوع الماضي`: a day the story names, not reports on
                mentioned.add(d.value)
    days = sorted(set(published) | anchored)
    return DateRange(
        days[0] if days else None,
        days[-1] if days else None,
        tuple(published),
        tuple(sorted(mentioned | anchored)),
    )


def _reporting_day(article: DigestArticle, ref: DateRef) -> bool:
    """Whether a date reference names the day the article reports on: today or yesterday
    as the article says it (`اليوم`, `أمس الجمعة`, a bare weekday), within a day of its
    publication (a feed's clock is often a day off); not a day before or ahead."""
    if ref.kind not in _ANCHORED_KINDS or not ref.value or not _DAY.match(ref.value):
        return False
    if _AHEAD_WORDS.search(normalize(ref.text)):
        return False  # `غدا`, `الثلاثاء المقبل`: a day ahead is never the one reported on
    published = parse_published(article.published)
    if published is None:
        return True  # no publication day to hold it against: the text's own word
    return abs((date.fromisoformat(ref.value[:10]) - published).days) <= 1


def _named_day(article: DigestArticle, ref: DateRef) -> bool:
    """Whether a relative reference names a day away from the reporting one (`غدا`,
    `الأربعاء المقبل`): a timeline event, where `الأسبوع الماضي` names no day."""
    return (
        ref.kind in _ANCHORED_KINDS
        and bool(ref.value and _DAY.match(ref.value))
        and not _reporting_day(article, ref)
        and not _SPAN_WORDS.search(normalize(ref.text))
    )


_SPAN_WORDS = re.compile(r"الاسبوع|الشهر|العام|السنه")
_AHEAD_WORDS = re.compile(r"غد|المقبل|القادم")


def _timeline(story: _Story, extractions: Sequence[Extraction]) -> tuple[TimelineEntry, ...]:
    """Articles by publication time (undated ones last, in story order), then dated events
    their texts report, by date."""
    entries: list[tuple[tuple[bool, datetime], int, TimelineEntry]] = []
    for i, a in enumerate(story.articles):
        when = parse_time(a.published)  # by instant: 09:00+03:00 is before 08:00+00:00
        entries.append(
            (
                (when is None, when or _NO_TIME),
                i,
                TimelineEntry("article", a.published, a.id, a.outlet, a.title),
            )
        )
    events: list[tuple[str, int, TimelineEntry]] = []
    for i, ex in enumerate(extractions):
        a = story.articles[i]
        reported = (a.published or "")[:10]  # the reporting day, as the outlet wrote it
        for d in ex.dates:
            if not (d.value and _DAY.match(d.value)):
                continue
            if d.kind in _ANCHORED_KINDS and not _named_day(a, d):
                continue
            # an event is a dated clause of the story: not the article's own dateline (the
            # reporting day, or its Hijri twin, in a line that is no clause of the story)
            sentence = _sentence_around(story, i, d.start)
            if sentence is None or d.value[:10] == reported:
                continue
            events.append(
                (d.value, i, TimelineEntry("event", d.value, a.id, a.outlet, a.title, sentence))
            )
    entries.sort(key=lambda e: (e[0], e[1]))
    events.sort(key=lambda e: (e[0], e[1]))
    return tuple(e for _, _, e in entries + events)


def _sentence_around(story: _Story, article: int, pos: int) -> str | None:
    """The clause of an article that holds position `pos`."""
    for u in story.units:
        if u.article == article and u.span.start <= pos < u.span.end:
            return u.span.text
    return None


_HEADLINE_WORDS = 9  # a headline's terms counted at least this many (short ones not favoured)


def _headline(story: _Story) -> str | None:
    """The title closest to the story: its words, one by one, in most outlets' titles (their
    texts break ties). A syndicated story is one voice, which said nothing about which title
    fits: counted by voices, the agency's own 25 words won."""
    titled: dict[str, set[str]] = defaultdict(set)
    texts: dict[str, set[str]] = defaultdict(set)
    for i, a in enumerate(story.articles):
        if a.title:
            titled[a.outlet] |= _quote_terms(a.title)
        texts[a.outlet] |= story.article_terms[i]
    support: Counter[str] = Counter()
    for words in titled.values():
        support.update(words)
    for words in texts.values():  # a tie-break: a tenth of a title's weight
        support.update(dict.fromkeys(words, 0.1))
    best: tuple[float, int] | None = None
    headline: str | None = None
    for i, a in enumerate(story.articles):
        if not a.title:
            continue
        terms = _quote_terms(a.title)
        if not terms:
            continue
        # the words most outlets' titles use, per word, past a few: a long title that holds
        # every shared word and many others (an agency's 25 words) is no better headline
        score = sum(support[t] for t in terms) / max(len(terms), _HEADLINE_WORDS)
        key = (-score, i)
        if best is None or key < best:
            best, headline = key, a.title
    return headline


def _outlets(story: _Story) -> tuple[OutletRow, ...]:
    """Outlets in story order with their articles and distinct voices."""
    rows: dict[str, tuple[list[str], set[str]]] = {}
    for i, a in enumerate(story.articles):
        ids, voices = rows.setdefault(a.outlet, ([], set()))
        ids.append(a.id)
        voices.add(story.voice[i])
    return tuple(OutletRow(name, tuple(ids), len(v)) for name, (ids, v) in rows.items())


def build_digest(
    story_id: str,
    articles: Sequence[DigestArticle | PreparedArticle],
    settings: DigestSettings | None = None,
) -> Digest:
    """The digest of one story from its articles' cleaned texts (and extractions, if any);
    an article given as a `PreparedArticle` skips its per-article work."""
    if not articles:
        raise InputError(f"story {story_id}", "has no articles to digest")
    settings = settings or DigestSettings()
    story, extractions = _prepare(articles)
    groups, _ = _groups(story, settings)
    claims = _claims(story, groups)
    entities = _entities(story, extractions, story_id)
    headline = _headline(story)
    if headline is None and claims:
        headline = claims[0].text
    return Digest(
        story=story_id,
        headline=headline,
        dates=_dates(story, extractions),
        outlets=_outlets(story),
        claims=claims,
        only=_only(story, groups, claims, extractions, settings),
        quotes=_quotes(story, extractions, entities, settings),
        entities=tuple(g.row for g in entities),
        cited_sources=_cited_sources(story, extractions),
        conflicts=_conflicts(story, groups, claims, extractions),
        timeline=_timeline(story, extractions),
    )
