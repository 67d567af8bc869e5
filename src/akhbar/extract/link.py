"""Variant linking: one canonical entity per real-world name, across articles and outlets.

Foreign names reach Arabic in many spellings (`غوتيريش` / `جوتيريش`, `ميركل` / `ميركيل`,
`تشرشل` / `شرشل`). `name_key` folds a name token to a phonetic key: letters normalised
(alef forms, ى/ي, ة/ه, hamza seats, diacritics), `ال` dropped, sound classes merged (ج غ ق ك
for G, ت ط, د ض, س ص ث, ز ذ ظ, ح ه, تش ش), doubled letters single, and the long vowels ا و ي
dropped inside the word. Two tokens are compatible when they are equal, or when both look
foreign (common Arabic given names never vary: `محمد` is not `محمود`, `جمال` is not `كمال`),
their keys are equal and their spellings stay similar (difflib ratio).

Merges favour precision: two people's names merge only when every token pairs up (same
first name, same family name, optional middle names and an optional trailing `آل X`), so
`محمد بن سلمان` and `محمد بن نايف` stay apart while `محمد بن زايد` is `محمد بن زايد آل نهيان`;
a bare family name joins a full name only inside the same article or story, and only when that
context holds one such person. Places and organisations go through a packaged
alias table (`data/aliases.tsv`: `أمريكا` = `الولايات المتحدة`; capitals standing for their
government, `واشنطن` = the US, only with `metonymy=True`).
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import re
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import resources

from akhbar.errors import ConfigError
from akhbar.extract.model import EntityType, Mention
from akhbar.text.normalize import normalize

__all__ = [
    "AliasTable",
    "EntityLinker",
    "LinkedEntity",
    "load_aliases",
    "name_key",
    "name_tokens",
    "names_match",
    "tokens_compatible",
]

_SOUND_CLASSES = str.maketrans(
    {
        "ج": "ك",
        "غ": "ك",
        "ق": "ك",
        "گ": "ك",
        "ط": "ت",
        "ض": "د",
        "ص": "س",
        "ث": "س",
        "ذ": "ز",
        "ظ": "ز",
        "ح": "ه",
        "ڤ": "ف",
        "پ": "ب",
        "ء": "",
        "ع": "",
    }
)


def _normalized_set(words: str) -> frozenset[str]:
    """The normalised forms of space-separated words."""
    return frozenset(normalize(w) for w in words.split())


_LONG_VOWELS = re.compile(r"(?<=.)[اوي]")
_DOUBLED = re.compile(r"(.)\1+")
_NON_LETTER = re.compile(r"[^\w]+")
# Title and honorific words that are not part of a name.
_TITLES = _normalized_set(
    "الرئيس الرئيسة الوزير الوزيرة السفير الدكتور الدكتورة د المهندس الشيخ الشيخة "
    "الأستاذ الأستاذة معالي سمو فضيلة السيد السيدة الأمير الأميرة الملك اللواء العميد "
    "العقيد المقدم الرائد النقيب الفريق المشير الجنرال السناتور السير المستشار "
    "المستشارة مستر مسيو الحاج"
)
# Name particles: they join tokens of one name and carry no identity of their own.
_PARTICLES = frozenset(normalize(w) for w in ("بن", "ابن", "بنت", "آل", "ال", "دي", "فون", "فان"))
# Common Arabic given names and name words: spelled one way, so a near-spelling is another name.
_NATIVE = _normalized_set(
    "محمد محمود أحمد حامد حمد حمدي حمود حميد أمين أمينة علي عالي عادل عدنان عبد عبدالله "
    "عبدالرحمن عبدالعزيز عبدالمجيد جمال كمال قاسم جاسم خالد خليل خلف سعد سعود سعيد "
    "سعيدة صالح صلاح فيصل فهد فهيد فيصل نايف نواف نوف ناصر نصر منصور منصورة سلمان سليمان "
    "سلطان سالم سليم مسلم تركي بندر ماجد مجيد مجدي راشد رشيد رشدي طلال هلال بلال جلال "
    "حسن حسين حسان محسن إبراهيم إسماعيل يوسف يونس يحيى زكريا موسى عيسى عمر عمرو عمار "
    "عامر معمر زياد زايد مزيد يزيد وليد خالدة فاطمة عائشة خديجة مريم نورة نورا هند "
    "سارة ليلى هدى منى مها ريم غادة مازن ماهر مهند هاني هانئ رامي سامي سامر ثامر تامر "
    "كريم كرم أكرم مكرم حاتم هاشم هشام قيس أنس أنور نور نادر نادية وائل نائل غازي قاضي"
)
_MIN_VARIANT_LETTERS = 4  # shorter tokens must match exactly, but for a consonant's spelling
_MIN_RATIO = 0.6


@functools.lru_cache(maxsize=65536)
def name_tokens(name: str) -> tuple[str, ...]:
    """Normalised tokens of a name, without titles and with `عبد ال...` joined."""
    text = normalize(name)
    text = re.sub(r"\b(عبد|ابو|أبو) ", r"\1", text)
    tokens = [t for t in _NON_LETTER.sub(" ", text).split() if t]
    while tokens and _is_title(tokens[0]):
        tokens = tokens[1:]
    # `للأسد` is `ل` + `الأسد` (the article's alef dropped), a clitic the tagger left on the
    # name's first word: the name is `الأسد` (inside a name, `للغذاء` is its own word)
    if tokens and tokens[0].startswith("لل") and len(tokens[0]) > 4:
        tokens[0] = "ال" + tokens[0][2:]
    return tuple(tokens)


def _is_title(token: str) -> bool:
    """Whether a normalised token is a title, also with a clitic (`للشيخ`, `والرئيس`,
    `لشيخ` as a tagger cut `للشيخ`)."""
    if token in _TITLES:
        return True
    if token.startswith("لل") and "ال" + token[2:] in _TITLES:
        return True
    return token[:1] in "ولبف" and (token[1:] in _TITLES or "ال" + token[1:] in _TITLES)


@functools.lru_cache(maxsize=65536)
def name_key(token: str) -> str:
    """Phonetic key of one normalised name token (see the module docstring).

    A leading `ال` is the article in Arabic names (`الجبير`) but a syllable of some foreign
    ones (`إلتون`, `أليكسيس`); `name_key` drops it, `tokens_compatible` also tries it kept.
    """
    t = normalize(token)
    if t.startswith("ال") and len(t) > 4:
        t = t[2:]
    return _sound_key(t)


def _sound_key(t: str) -> str:
    """Sound classes merged, doubled letters single, inner long vowels dropped."""
    t = t.replace("تش", "ش").translate(_SOUND_CLASSES)
    t = _DOUBLED.sub(r"\1", t)
    return _LONG_VOWELS.sub("", t)


def _bare(token: str) -> str:
    """A token without its article `ال` (for comparing `الجبير` with `جبير`)."""
    return token[2:] if token.startswith("ال") and len(token) > 4 else token


def tokens_compatible(a: str, b: str) -> bool:
    """Whether two normalised name tokens can be spellings of one name."""
    if a == b or _bare(a) == _bare(b):
        return True
    if a in _NATIVE or b in _NATIVE:
        return False
    if min(len(a), len(b)) < _MIN_VARIANT_LETTERS:
        # a short foreign name spelled with another letter for one sound (`غال` / `جال`):
        # the same length and letters but for the sound classes; a long vowel more or less
        # makes another name (`شرف` / `شريف`, `بدر` / `بدير`)
        return len(a) == len(b) == 3 and a.translate(_SOUND_CLASSES) == b.translate(_SOUND_CLASSES)
    if name_key(a) == name_key(b):
        return difflib.SequenceMatcher(None, _bare(a), _bare(b)).ratio() >= _MIN_RATIO
    if _sound_key(a) == _sound_key(b):  # `إلتون` / `إيلتون`: the `ال` was no article
        return difflib.SequenceMatcher(None, a, b).ratio() >= _MIN_RATIO
    return False


def _core(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Tokens that carry identity (particles dropped)."""
    return tuple(t for t in tokens if t not in _PARTICLES)


def _subsequence(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Whether `short` pairs up in order with tokens of `long`, keeping its first and last."""
    if not short or len(short) > len(long):
        return False
    if not (tokens_compatible(short[0], long[0]) and tokens_compatible(short[-1], long[-1])):
        return False
    i = 1
    for token in short[1:-1]:
        while i < len(long) - 1 and not tokens_compatible(token, long[i]):
            i += 1
        if i >= len(long) - 1:
            return False
        i += 1
    return True


def _core_keeping_family(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """`_core`, with the `آل` of a trailing family kept (`محمد زايد آل نهيان`), so that
    `names_match` can still leave the family out."""
    core = _core(tokens)
    if len(tokens) > 3 and tokens[-2] == _AL and len(core) > 2:
        return (*core[:-1], _AL, core[-1])
    return core


def core_tokens(name: str) -> tuple[str, ...]:
    """The normalised tokens of a name that carry identity (titles and particles dropped)."""
    return _core(name_tokens(name))


def names_match(a: str, b: str) -> bool:
    """Whether two full names (two tokens or more) are one person's, with no context.

    Every token must pair up: equal length and pairwise compatible, or the shorter one (at least
    first and family name) a subsequence of the longer (`عادل الجبير` in `عادل بن أحمد الجبير`).
    A bare family name never matches here: that needs a shared article or story.
    """
    na, nb = name_tokens(a), name_tokens(b)
    ta, tb = _core(na), _core(nb)
    if len(ta) < 2 or len(tb) < 2:
        return len(ta) == len(tb) == 1 and tokens_compatible(ta[0], tb[0]) and ta == tb
    if _chain_prefix(na, nb) or _chain_prefix(nb, na):
        return True  # `سلطان بن سلمان` in `سلطان بن سلمان بن عبدالعزيز`
    if _fathers_differ(na, nb):
        return False  # `محمد بن عبدالعزيز` is not `محمد بن نايف بن عبدالعزيز`
    if _tokens_match(ta, tb):
        return True
    # a family's `آل X` may be left out (`محمد بن زايد` is `محمد بن زايد آل نهيان`); where
    # both names give one, the families must agree (`آل نهيان` is not `آل خليفة`)
    fa, fb = _without_family(na), _without_family(nb)
    if (fa == na) == (fb == nb):
        return False
    return _tokens_match(_core(fa), _core(fb))


def _tokens_match(ta: tuple[str, ...], tb: tuple[str, ...]) -> bool:
    """Whether two names' identity tokens pair up, all of them or the shorter name's."""
    if len(ta) < 2 or len(tb) < 2:
        return False
    if len(ta) == len(tb):
        return all(tokens_compatible(x, y) for x, y in zip(ta, tb, strict=True))
    short, long = (ta, tb) if len(ta) < len(tb) else (tb, ta)
    return _subsequence(short, long)


def _without_family(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """A name without its trailing `آل X` (the family), when two tokens or more come before."""
    if len(tokens) > 3 and tokens[-2] == _AL:
        return tokens[:-2]
    return tokens


_AL = normalize("آل")
_SON = frozenset(normalize(w) for w in ("بن", "ابن", "بنت"))


def _chain_prefix(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """Whether `long` is `short` with more forebears (`بن ...`) after it."""
    n = len(short)
    if len(_core(short)) < 2 or len(long) <= n + 1 or long[n] not in _SON:
        return False
    return all(tokens_compatible(x, y) for x, y in zip(short, long[:n], strict=True))


def _fathers_differ(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Whether both names give a father (`X بن Y`) and the fathers differ."""
    if len(a) < 3 or len(b) < 3 or a[1] not in _SON or b[1] not in _SON:
        return False
    return not tokens_compatible(a[2], b[2])


@dataclass(frozen=True, slots=True)
class AliasTable:
    """Place and organisation aliases: normalised variant -> (id, type, canonical name)."""

    names: dict[str, tuple[str, EntityType, str]]
    metonyms: dict[str, tuple[str, EntityType, str]]

    def lookup(self, name: str, metonymy: bool) -> tuple[str, EntityType, str] | None:
        """The alias entry a name belongs to, if any."""
        key = _alias_key(name)
        found = self.names.get(key)
        if found is None and metonymy:
            found = self.metonyms.get(key)
        return found


def _alias_key(name: str) -> str:
    """Normalised alias key: tokens without a leading `ال`, joined by spaces."""
    return " ".join(_bare(t) for t in _NON_LETTER.sub(" ", normalize(name)).split())


@functools.lru_cache(maxsize=1)
def load_aliases() -> AliasTable:
    """Read the packaged `data/aliases.tsv` once."""
    raw = resources.files("akhbar").joinpath("data/aliases.tsv").read_text(encoding="utf-8")
    names: dict[str, tuple[str, EntityType, str]] = {}
    metonyms: dict[str, tuple[str, EntityType, str]] = {}
    for number, line in enumerate(raw.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < 4 or fields[1] not in ("PER", "LOC", "ORG", "MISC"):
            raise ConfigError(f"data/aliases.tsv line {number}: expected id, type, name, variants")
        entry: tuple[str, EntityType, str] = (fields[0], fields[1], fields[2])  # type: ignore[assignment]
        for variant in [fields[2], *fields[3].split("|")]:
            if variant.strip():
                names.setdefault(_alias_key(variant), entry)
        if len(fields) > 4:
            for variant in fields[4].split("|"):
                if variant.strip():
                    metonyms.setdefault(_alias_key(variant), entry)
    return AliasTable(names, metonyms)


@dataclass(frozen=True, slots=True)
class LinkedEntity:
    """One real-world entity with every spelling it was written in."""

    id: str
    type: EntityType
    name: str
    variants: tuple[str, ...]
    roles: tuple[str, ...]
    mentions: int
    articles: tuple[str, ...]


@dataclass(slots=True)
class _Occurrence:
    """One added mention and where it was found."""

    mention: Mention
    article: str
    story: str | None


@dataclass(slots=True)
class _Cluster:
    """Mentions linked so far, with the full names among them (for complete-link checks)."""

    members: list[int] = field(default_factory=list)
    full_names: set[str] = field(default_factory=set)


class EntityLinker:
    """Collects mentions from many articles and links their spellings into entities."""

    def __init__(self, aliases: AliasTable | None = None, *, metonymy: bool = True) -> None:
        self._aliases = aliases if aliases is not None else load_aliases()
        self._metonymy = metonymy
        self._occurrences: list[_Occurrence] = []
        self._assignment: dict[tuple[str, int, int], str] = {}
        self._cache: tuple[LinkedEntity, ...] | None = None

    def add(self, mention: Mention, article_id: str, story: str | None = None) -> None:
        """Record one mention of an article (and its story, when known)."""
        self._occurrences.append(_Occurrence(mention, article_id, story))
        self._cache = None

    def add_all(
        self, mentions: Iterable[Mention], article_id: str, story: str | None = None
    ) -> None:
        """Record every mention of one article."""
        for mention in mentions:
            self.add(mention, article_id, story)

    def entities(self) -> tuple[LinkedEntity, ...]:
        """The linked entities, most mentioned first."""
        if self._cache is None:
            self._cache = self._link()
        return self._cache

    def entity_id(self, article_id: str, mention: Mention) -> str | None:
        """The id of the entity a recorded mention was linked to."""
        self.entities()
        return self._assignment.get((article_id, mention.start, mention.end))

    # -- linking -----------------------------------------------------------------------------

    def _link(self) -> tuple[LinkedEntity, ...]:
        """Cluster every recorded mention."""
        groups: dict[tuple[str, str], list[int]] = defaultdict(list)
        bare: list[int] = []
        for i, occ in enumerate(self._occurrences):
            m = occ.mention
            alias = self._aliases.lookup(m.text, self._metonymy) if m.type != "PER" else None
            if alias is None and m.type != "PER":
                alias = self._aliases.lookup(m.key, self._metonymy)
            if alias is not None:
                groups[("alias", alias[0])].append(i)
                continue
            tokens = _core_keeping_family(name_tokens(m.text))
            if not tokens:
                continue
            if m.type == "PER" and len(tokens) == 1:
                bare.append(i)
                continue
            groups[(m.type, " ".join(tokens))].append(i)
        clusters = self._merge_full_names(groups)
        self._attach_bare(bare, clusters)
        return self._build(clusters)

    def _merge_full_names(self, groups: dict[tuple[str, str], list[int]]) -> list[_Cluster]:
        """Union spelling groups of one type whose names match, complete-link."""
        keys = list(groups)
        raw = {k: " ".join(name_tokens(self._occurrences[groups[k][0]].mention.text)) for k in keys}
        clusters = [_Cluster(list(groups[k]), {raw[k]} if k[0] != "alias" else set()) for k in keys]
        by_block: dict[tuple[str, str], list[int]] = defaultdict(list)
        for ci, (kind, name) in enumerate(keys):
            if kind == "alias":
                continue
            tokens = name.split()
            by_block[(kind, name_key(tokens[-1]))].append(ci)
            if _without_family(tuple(tokens)) != tuple(tokens):  # also met without `آل X`
                by_block[(kind, name_key(tokens[-3]))].append(ci)
            full = raw[(kind, name)].split()
            for i in range(2, len(full) - 1):  # also met without its forebears (`بن X ...`)
                if full[i] in _SON and full[i - 1] not in _SON:
                    by_block[(kind, name_key(full[i - 1]))].append(ci)
        parent = list(range(len(clusters)))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for block in by_block.values():
            for pos, ci in enumerate(block):
                for cj in block[pos + 1 :]:
                    ri, rj = find(ci), find(cj)
                    if ri == rj:
                        continue
                    a, b = clusters[ri], clusters[rj]
                    if all(names_match(x, y) for x in a.full_names for y in b.full_names):
                        parent[rj] = ri
                        a.members.extend(b.members)
                        a.full_names |= b.full_names
                        b.members, b.full_names = [], set()
        return [clusters[i] for i in range(len(clusters)) if find(i) == i and clusters[i].members]

    def _attach_bare(self, bare: list[int], clusters: list[_Cluster]) -> None:
        """Join each bare family name to the one full-name person of its article or story."""
        context_index: dict[tuple[str, str], set[int]] = defaultdict(set)
        for ci, cluster in enumerate(clusters):
            for i in cluster.members:
                occ = self._occurrences[i]
                if occ.mention.type != "PER":
                    continue
                context_index[("article", occ.article)].add(ci)
                if occ.story is not None:
                    context_index[("story", occ.story)].add(ci)
        leftovers: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i in bare:
            occ = self._occurrences[i]
            token = _core(name_tokens(occ.mention.text))[0]
            target = self._bare_target(token, occ, clusters, context_index)
            if target is not None:
                clusters[target].members.append(i)
                continue
            context = occ.story if occ.story is not None else occ.article
            leftovers[(context, _bare(token))].append(i)
        for members in leftovers.values():
            clusters.append(_Cluster(members, set()))

    def _bare_target(
        self,
        token: str,
        occ: _Occurrence,
        clusters: list[_Cluster],
        context_index: dict[tuple[str, str], set[int]],
    ) -> int | None:
        """The single cluster of the context whose family name (or given name) this token is."""
        scopes = [("article", occ.article)]
        if occ.story is not None:
            scopes.append(("story", occ.story))
        for scope in scopes:
            found = [
                ci
                for ci in context_index.get(scope, ())
                if any(
                    tokens_compatible(token, name.split()[-1])
                    and name.split()[-2] not in _SON  # `... بن عبدالعزيز`: a forebear, no family
                    for name in clusters[ci].full_names
                )
            ]
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                return self._by_role(occ, clusters, found)
        return None

    def _by_role(self, occ: _Occurrence, clusters: list[_Cluster], found: list[int]) -> int | None:
        """Among several candidates, the one sharing role words with the mention, if unique."""
        if not occ.mention.role:
            return None
        words = set(normalize(occ.mention.role).split())
        sharing = [
            ci
            for ci in found
            if any(
                words & set(normalize(self._occurrences[i].mention.role or "").split())
                for i in clusters[ci].members
            )
        ]
        return sharing[0] if len(sharing) == 1 else None

    def _build(self, clusters: list[_Cluster]) -> tuple[LinkedEntity, ...]:
        """Entities from clusters: canonical spelling, variants, roles, counts, stable ids."""
        out: list[LinkedEntity] = []
        used: dict[str, int] = {}
        self._assignment = {}
        for cluster in clusters:
            occs = [self._occurrences[i] for i in cluster.members]
            spellings = Counter(o.mention.text for o in occs)
            types = Counter(o.mention.type for o in occs)
            alias = None
            for o in occs:
                if o.mention.type != "PER":
                    alias = self._aliases.lookup(o.mention.text, self._metonymy) or alias
            full = [s for s in spellings if len(_core(name_tokens(s))) >= 2] or list(spellings)
            name = alias[2] if alias else max(full, key=lambda s: (spellings[s], len(s), s))
            kind: EntityType = alias[1] if alias else types.most_common(1)[0][0]
            digest = hashlib.blake2b(f"{kind}:{normalize(name)}".encode(), digest_size=6)
            entity_id = f"{kind.lower()}-{digest.hexdigest()}"
            if entity_id in used:  # two people of one name kept apart: ids stay distinct
                used[entity_id] += 1
                entity_id = f"{entity_id}-{used[entity_id]}"
            else:
                used[entity_id] = 1
            role_spellings: dict[str, Counter[str]] = defaultdict(Counter)
            for o in occs:
                if o.mention.role:
                    role_spellings[normalize(o.mention.role)][o.mention.role] += 1
            roles = Counter(
                {c.most_common(1)[0][0]: sum(c.values()) for c in role_spellings.values()}
            )
            entity = LinkedEntity(
                id=entity_id,
                type=kind,
                name=name,
                variants=tuple(sorted(spellings, key=lambda s: (-spellings[s], s))),
                roles=tuple(r for r, _ in roles.most_common()),
                mentions=len(occs),
                articles=tuple(sorted({o.article for o in occs})),
            )
            out.append(entity)
            for o in occs:
                self._assignment[(o.article, o.mention.start, o.mention.end)] = entity_id
        out.sort(key=lambda e: (-e.mentions, e.name))
        return tuple(out)
