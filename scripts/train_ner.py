"""Rebuild the packaged NER model (src/akhbar/data/ner) from ../shared/data, deterministically.

Steps: word clusters from SaudiNewsNet (PPMI co-occurrence + truncated SVD + k-means, numpy only;
only counts and cluster ids are shipped, never text), a gazetteer (CLDR Arabic territory and city
names via babel, plus a short hand list), NewsFANE Gold with clitics re-joined and every sentence
overlapping the ANERcorp test split removed, then a CRF (python-crfsuite) in two rounds: a first
CRF without word-identity features tags all of SaudiNewsNet, and the share of each word's tokens
it labels PER becomes a word feature of the second, shipped CRF (self-training; only the per-word
levels are shipped). The first round's tallies are cached in the cache folder by model digest.

    .venv/bin/python scripts/train_ner.py            # writes src/akhbar/data/ner
    .venv/bin/python scripts/train_ner.py --dev      # trains on 85%, scores the held-out 15%
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
import sys
import time
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pycrfsuite

from akhbar.extract.ner.corpus import (
    Sentence,
    drop_overlapping,
    read_anercorp,
    read_newsfane,
)
from akhbar.extract.ner.evaluate import format_scores, score, tag_sentences
from akhbar.extract.ner.features import TOKEN_RE, Featurizer
from akhbar.extract.ner.lexicon import Lexicon, parse_gazetteer, strip_proclitics
from akhbar.extract.ner.tagger import MODEL_FILES, EntityTagger
from akhbar.text.normalize import normalize

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared" / "data"
OUT = REPO / "src" / "akhbar" / "data" / "ner"
NEWSFANE = "newsfane-gold/NewsFANE_Gold_2014_170K.txt"
ANERCORP = "anercorp-camellab-test/ANERCorp_CamelLab_test.txt"

VOCAB = 80_000  # words that get a cluster
CONTEXTS = 1_000  # most frequent words used as left/right context features
DIMS = 120
KS = (1000, 250, 50)
SEED = 0
NEIGHBOURS = 10
_WORD = re.compile(r"[\u0621-\u064a]+|\d+")

# Places the CLDR lists miss or spell differently from the news: Saudi and Arab cities, regions.
EXTRA_LOC = """الرياض جدة مكة مكة المكرمة المدينة المنورة الدمام الخبر الظهران الطائف تبوك أبها
جازان نجران حائل بريدة القصيم الأحساء القطيف ينبع الجبيل عسير الباحة الجوف خميس مشيط
المنطقة الشرقية دبي أبوظبي أبو ظبي الشارقة عجمان الدوحة المنامة الكويت مسقط صنعاء عدن تعز
الحديدة مأرب بغداد البصرة الموصل أربيل كركوك الفلوجة الرمادي دمشق حلب حمص حماة إدلب درعا
الرقة دير الزور اللاذقية بيروت طرابلس صيدا عمان الزرقاء إربد القدس غزة رام الله الضفة الغربية
قطاع غزة الخليل نابلس القاهرة الإسكندرية الجيزة سيناء الخرطوم تونس الجزائر الرباط الدار البيضاء
طهران أنقرة إسطنبول واشنطن نيويورك موسكو لندن باريس برلين روما مدريد بكين طوكيو كابول
إسلام آباد كراتشي نيودلهي جنيف فيينا بروكسل أنكوريج كييف ألاسكا الولايات المتحدة أمريكا أميركا
بريطانيا روسيا أوكرانيا كندا الخليج الشرق الأوسط أوروبا آسيا أفريقيا إفريقيا الضاحية الجنوبية"""
EXTRA_ORG = """الأمم المتحدة مجلس الأمن حلف الناتو الناتو حلف شمال الأطلسي
الاتحاد الأوروبي
جامعة الدول العربية مجلس التعاون الخليجي منظمة التعاون الإسلامي أوبك رويترز
فرانس برس أسوشيتد برس سبوتنيك واس
وكالة الأنباء السعودية بي بي سي سي إن إن الجزيرة تاس نوفوستي حماس حزب الله فتح طالبان
القاعدة داعش الحوثيين البنك الدولي صندوق النقد الدولي الفيفا اليونسكو اليونيسف الكرملين البنتاغون"""


def _log(message: str) -> None:
    """Progress on stderr with a timestamp."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def read_unlabelled(folder: Path) -> list[list[str]]:
    """Normalised word sequences of every SaudiNewsNet article (kept in memory, never written)."""
    docs: list[list[str]] = []
    for archive in sorted(folder.glob("*.zip")):
        with zipfile.ZipFile(archive) as zf:
            for name in sorted(zf.namelist()):
                for article in json.loads(zf.read(name)):
                    content = article.get("content") or ""
                    if content:
                        docs.append(_WORD.findall(normalize(content)))
    return docs


def _kmeans(
    x: npt.NDArray[np.float32], k: int, iters: int, seed: int
) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    """Spherical k-means (cosine) with a fixed seed: labels and unit centroids."""
    rng = np.random.default_rng(seed)
    centres = x[rng.choice(len(x), k, replace=False)].copy()
    labels = np.zeros(len(x), dtype=np.int64)
    for _ in range(iters):
        labels = (x @ centres.T).argmax(1)
        sums = np.zeros_like(centres)
        np.add.at(sums, labels, x)
        norms = np.linalg.norm(sums, axis=1, keepdims=True)
        filled = norms[:, 0] > 0
        centres[filled] = sums[filled] / norms[filled]
    return labels, centres


def build_embeddings(folder: Path) -> tuple[list[str], list[int], npt.NDArray[np.float32]]:
    """Vocabulary, counts and unit-length PPMI-SVD vectors of the most frequent news words."""
    docs = read_unlabelled(folder)
    counts: Counter[str] = Counter()
    for doc in docs:
        counts.update(doc)
    vocab = [w for w, _ in counts.most_common(VOCAB)]
    index = {w: i for i, w in enumerate(vocab)}
    _log(f"unlabelled: {len(docs)} articles, {sum(counts.values())} words, {len(counts)} types")
    seqs = [np.array([index.get(w, -1) for w in d], dtype=np.int64) for d in docs]
    del docs
    width = 4 * CONTEXTS
    x = np.zeros((len(vocab), width), dtype=np.float32)
    for slot, off in enumerate((-1, 1, -2, 2)):
        targets: list[npt.NDArray[np.int64]] = []
        contexts: list[npt.NDArray[np.int64]] = []
        for s in seqs:
            if len(s) <= abs(off):
                continue
            targets.append(s[-off:] if off < 0 else s[:-off])
            contexts.append(s[:off] if off < 0 else s[off:])
        t = np.concatenate(targets)
        c = np.concatenate(contexts)
        keep = (t >= 0) & (c >= 0) & (c < CONTEXTS)
        pairs = np.bincount(t[keep] * CONTEXTS + c[keep], minlength=len(vocab) * CONTEXTS)
        x[:, slot * CONTEXTS : (slot + 1) * CONTEXTS] = pairs.reshape(len(vocab), CONTEXTS)
    rows = x.sum(1, keepdims=True) + 1e-9
    cols = x.sum(0, keepdims=True) ** 0.75
    cols = cols / cols.sum()
    x /= rows
    x /= cols + 1e-12
    np.log(x + 1e-12, out=x)
    np.maximum(x, 0, out=x)
    rng = np.random.default_rng(SEED)
    y = x @ rng.standard_normal((width, DIMS + 30)).astype(np.float32)
    for _ in range(2):
        y, _r = np.linalg.qr(x @ (x.T @ y))
    q, _r = np.linalg.qr(y)
    ub, sv, _vt = np.linalg.svd(q.T @ x, full_matrices=False)
    emb = ((q @ ub)[:, :DIMS] * np.sqrt(sv[:DIMS])).astype(np.float32)
    emb /= np.linalg.norm(emb, axis=1, keepdims=True) + 1e-9
    return vocab, [counts[w] for w in vocab], emb


def cluster_words(emb: npt.NDArray[np.float32]) -> npt.NDArray[np.int64]:
    """Three nested cluster levels per word: k-means, then k-means of the centroids, twice."""
    fine, centres = _kmeans(emb, KS[0], 15, SEED)
    mid_of_centre, mids = _kmeans(centres, KS[1], 30, SEED + 1)
    coarse_of_mid, _c = _kmeans(mids, KS[2], 30, SEED + 2)
    mid = mid_of_centre[fine]
    return np.stack([fine, mid, coarse_of_mid[mid]], axis=1)


def name_classes(
    sentences: list[Sentence],
    vocab: list[str],
    emb: npt.NDArray[np.float32],
    counts: dict[str, int],
) -> list[str]:
    """A coarse PER/LOC/ORG likelihood code per word, from its nearest labelled neighbours.

    The types that the most similar training words (cosine of the distributional vectors) mostly
    have; a training word never counts as its own neighbour, so the CRF learns how far to trust
    the code on words it has never seen.
    """
    index = {w: i for i, w in enumerate(vocab)}
    tallies: dict[int, Counter[str]] = {}
    for sentence in sentences:
        for token, tag in zip(sentence.tokens, sentence.tags, strict=True):
            base = strip_proclitics(normalize(token), counts).base
            i = index.get(base)
            if i is not None:
                tallies.setdefault(i, Counter())[tag[2:] if tag != "O" else "O"] += 1
    classes = ["O", "PER", "LOC", "ORG", "MISC"]
    rows = np.array(sorted(tallies), dtype=np.int64)
    labels = np.array([classes.index(tallies[i].most_common(1)[0][0]) for i in rows])
    onehot = np.eye(len(classes), dtype=np.float32)[labels]
    labelled = emb[rows]
    position = np.full(len(vocab), -1, dtype=np.int64)
    position[rows] = np.arange(len(rows))
    codes: list[str] = []
    for first in range(0, len(vocab), 4000):
        block = np.arange(first, min(first + 4000, len(vocab)))
        sims = emb[block] @ labelled.T
        own = position[block]
        mine = own >= 0
        sims[np.nonzero(mine)[0], own[mine]] = -np.inf  # leave the word itself out
        top = np.argpartition(-sims, NEIGHBOURS, axis=1)[:, :NEIGHBOURS]
        weights = np.maximum(np.take_along_axis(sims, top, 1), 0)[:, :, None]
        probs = (weights * onehot[top]).sum(1) / (weights.sum(1) + 1e-9)
        codes += ["".join(str(min(int(v * 4), 3)) for v in p[1:4]) for p in probs.tolist()]
    return codes


def word_table(
    vocab: list[str],
    counts: list[int],
    clusters: npt.NDArray[np.int64],
    codes: list[str],
    auto: dict[str, str],
) -> str:
    """The shipped word table: word, count, three cluster ids, name-class and self-tag codes.

    Words outside the clustered vocabulary that have a self-tag code follow with count 0 and
    empty cluster fields.
    """
    rows = [
        f"{w}\t{counts[i]}\t{clusters[i, 0]}\t{clusters[i, 1]}\t{clusters[i, 2]}\t{codes[i]}"
        f"\t{auto.get(w, '')}\n"
        for i, w in enumerate(vocab)
    ]
    known = set(vocab)
    rows += [f"{w}\t0\t\t\t\t\t{code}\n" for w, code in sorted(auto.items()) if w not in known]
    return "".join(rows)


# Share of a word's tokens labelled with a type -> level 0..3 of the self-tag code.
AUTO_LEVELS = (0.05, 0.25, 0.6)
AUTO_MIN = 2  # tokens a word needs in the unlabelled news to get a self-tag code
_AUTO_TYPES = ("PER", "LOC", "ORG")
# Types whose self-tag level is shipped: with LOC and ORG levels too, held-out NewsFANE micro F1
# fell (0.739, against 0.750 with the PER level alone and 0.745 without any).
AUTO_USED = ("PER",)
_SENTENCE_END = frozenset(".!?؟؛")


def _unlabelled_sentences(folder: Path) -> Iterator[list[str]]:
    """Raw token sequences of SaudiNewsNet, cut as the tagger cuts text (streamed, not kept)."""
    for archive in sorted(folder.glob("*.zip")):
        with zipfile.ZipFile(archive) as zf:
            for name in sorted(zf.namelist()):
                for article in json.loads(zf.read(name)):
                    for line in (article.get("content") or "").split("\n"):
                        current: list[str] = []
                        for token in TOKEN_RE.findall(line):
                            current.append(token)
                            if token in _SENTENCE_END or len(current) >= 120:
                                yield current
                                current = []
                        if current:
                            yield current


def self_tag(folder: Path, lexicon: Lexicon, model_path: Path, cache: Path) -> dict[str, str]:
    """Self-tag codes (see `_self_tally`); the tallies are cached by the model's digest."""
    digest = hashlib.sha256(model_path.read_bytes()).hexdigest()[:16]
    path = cache / f"selftag-{digest}.json.gz"
    if path.exists():
        tallies = json.loads(gzip.decompress(path.read_bytes()))
    else:
        tallies = _self_tally(folder, lexicon, model_path)
        path.write_bytes(gzip.compress(json.dumps(tallies, sort_keys=True).encode(), mtime=0))
    out: dict[str, str] = {}
    for word, (total, *typed) in sorted(tallies.items()):
        if total < AUTO_MIN:
            continue
        out[word] = "".join(
            str(sum(n / total >= level for level in AUTO_LEVELS))
            for n, kind in zip(typed, _AUTO_TYPES, strict=True)
            if kind in AUTO_USED
        )
    return out


def _self_tally(folder: Path, lexicon: Lexicon, model_path: Path) -> dict[str, list[int]]:
    """How a first-round CRF labels each word across the unlabelled news: a code per word.

    The first-round model has no word-identity features (only context, clusters and affixes),
    so the code says how name-like a word's contexts are, as much for a word never seen in the
    labelled data as for one seen there. Each of PER/LOC/ORG gets a level from the share of
    the word's tokens labelled with it.
    """
    crf = pycrfsuite.Tagger()
    crf.open(str(model_path))
    featurizer = Featurizer(lexicon)
    column = {f"{p}-{kind}": i + 1 for i, kind in enumerate(_AUTO_TYPES) for p in "BI"}
    tallies: dict[str, list[int]] = {}
    for sentence in _unlabelled_sentences(folder):
        infos, feats = featurizer.sequence(sentence)
        for info, label in zip(infos, crf.tag(feats), strict=True):
            base = info.stripped.base
            if not base or not base[0].isalpha():
                continue
            tally = tallies.get(base)
            if tally is None:
                tally = tallies[base] = [0, 0, 0, 0]
            tally[0] += 1
            if label in column:
                tally[column[label]] += 1
    return tallies


def build_gazetteer() -> str:
    """LOC names from CLDR (babel, offline) and the hand lists; ORG names from the hand list."""
    from babel import Locale  # noqa: PLC0415 - only the training script needs babel

    ar = Locale("ar")
    names: dict[str, str] = {}
    for code, name in sorted(ar.territories.items()):
        if code not in ("001", "ZZ"):
            names.setdefault(name.split("،")[0].split("(")[0].strip(), "LOC")
    for zone in sorted(ar.time_zones):
        city = ar.time_zones[zone].get("city")
        if city:
            names.setdefault(city.split("،")[0].split("(")[0].strip(), "LOC")
    for kind, block in (("LOC", EXTRA_LOC), ("ORG", EXTRA_ORG)):
        for name in _hand_names(block):
            names[name] = kind
    return "".join(f"{kind}\t{name}\n" for name, kind in sorted(names.items()) if name)


def _hand_names(block: str) -> list[str]:
    """Split a hand list into names: multi-word names are listed whole, longest first."""
    words = block.split()
    out: list[str] = []
    i = 0
    phrases = sorted({*_PHRASES}, key=len, reverse=True)
    while i < len(words):
        for phrase in phrases:
            parts = phrase.split()
            if words[i : i + len(parts)] == parts:
                out.append(phrase)
                i += len(parts)
                break
        else:
            out.append(words[i])
            i += 1
    return out


_PHRASES = (
    "مكة المكرمة",
    "المدينة المنورة",
    "خميس مشيط",
    "المنطقة الشرقية",
    "أبو ظبي",
    "دير الزور",
    "رام الله",
    "الضفة الغربية",
    "قطاع غزة",
    "الدار البيضاء",
    "إسلام آباد",
    "الولايات المتحدة",
    "الشرق الأوسط",
    "الضاحية الجنوبية",
    "الأمم المتحدة",
    "مجلس الأمن",
    "حلف الناتو",
    "حلف شمال الأطلسي",
    "الاتحاد الأوروبي",
    "جامعة الدول العربية",
    "مجلس التعاون الخليجي",
    "منظمة التعاون الإسلامي",
    "فرانس برس",
    "أسوشيتد برس",
    "وكالة الأنباء السعودية",
    "بي بي سي",
    "سي إن إن",
    "الجزيرة",
    "حزب الله",
    "البنك الدولي",
    "صندوق النقد الدولي",
)


def split_dev(sentences: list[Sentence]) -> tuple[list[Sentence], list[Sentence]]:
    """Hold out every seventh block of 40 consecutive sentences (whole stretches of articles)."""
    train: list[Sentence] = []
    dev: list[Sentence] = []
    for i, sentence in enumerate(sentences):
        (dev if (i // 40) % 7 == 3 else train).append(sentence)
    return train, dev


_IDENTITY = ("w=", "b=", "core=")


def train_crf(
    sentences: list[Sentence],
    lexicon: Lexicon,
    model_path: Path,
    *,
    c1: float,
    c2: float,
    iters: int,
    identity: bool = True,
) -> None:
    """Train the CRF on the sentences' features and write it to `model_path`.

    Without `identity`, the word's own spelling (its ``w=``, ``b=``, ``core=`` features) is
    left out: the model must judge every word by its context, clusters and affixes.
    """
    featurizer = Featurizer(lexicon)
    trainer = pycrfsuite.Trainer(verbose=False)
    for sentence in sentences:
        _, feats = featurizer.sequence(list(sentence.tokens))
        if not identity:
            feats = [[f for f in row if not f.startswith(_IDENTITY)] for row in feats]
        trainer.append(feats, list(sentence.tags))
    trainer.set_params(
        {
            "c1": c1,
            "c2": c2,
            "max_iterations": iters,
            "feature.possible_transitions": True,
            "feature.minfreq": 1,
        }
    )
    trainer.train(str(model_path))


def main() -> None:
    """Build the lexicon, de-overlap the training data, train and report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=SHARED, help="the ../shared/data folder")
    parser.add_argument("--out", type=Path, default=OUT, help="model directory to write")
    parser.add_argument("--dev", action="store_true", help="score a held-out 15%% instead")
    parser.add_argument("--sweep", action="store_true", help="with --dev: score O penalties")
    parser.add_argument("--c1", type=float, default=0.05)
    parser.add_argument("--c2", type=float, default=0.01)
    parser.add_argument("--iters", type=int, default=150)
    parser.add_argument("--cache", type=Path, default=REPO / "build" / "ner", help="cache folder")
    args = parser.parse_args()

    args.cache.mkdir(parents=True, exist_ok=True)
    emb_path = args.cache / f"embeddings-{VOCAB}.npz"
    if not emb_path.exists():
        _log("building word vectors from SaudiNewsNet (a few minutes)")
        vocab, freqs, emb = build_embeddings(args.shared / "saudinewsnet")
        np.savez(emb_path, vocab=np.array(vocab), freqs=np.array(freqs), emb=emb)
    saved = np.load(emb_path)
    vocab = [str(w) for w in saved["vocab"]]
    freqs = [int(c) for c in saved["freqs"]]
    emb = saved["emb"]
    counts = dict(zip(vocab, freqs, strict=True))
    clusters = cluster_words(emb)
    gazetteer = build_gazetteer()

    train_all = read_newsfane(args.shared / NEWSFANE)
    test = read_anercorp(args.shared / ANERCORP)
    train, removed = drop_overlapping(train_all, test)
    print(
        f"de-overlap: removed {removed} of {len(train_all)} NewsFANE sentences overlapping the "
        f"ANERcorp test split; {len(train)} kept"
    )
    if args.dev:
        train, dev = split_dev(train)
    codes = name_classes(train, vocab, emb, counts)
    table = word_table(vocab, freqs, clusters, codes, {})
    lexicon = Lexicon.from_texts(gzip.compress(table.encode("utf-8"), mtime=0), gazetteer)
    _log(f"lexicon: {len(lexicon.counts)} words, {len(parse_gazetteer(gazetteer))} gazetteer names")
    model_dir = args.cache / f"dev-model-{args.c1}-{args.c2}" if args.dev else args.out
    model_dir.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    first = args.cache / ("first-round-dev.crfsuite" if args.dev else "first-round.crfsuite")
    train_crf(train, lexicon, first, c1=args.c1, c2=args.c2, iters=args.iters, identity=False)
    _log(f"first-round CRF (no word identity) in {time.perf_counter() - started:.0f} s")
    auto = self_tag(args.shared / "saudinewsnet", lexicon, first, args.cache)
    _log(f"self-tagged SaudiNewsNet: {len(auto)} words coded")
    table = word_table(vocab, freqs, clusters, codes, auto)
    words_gz = gzip.compress(table.encode("utf-8"), mtime=0)
    lexicon = Lexicon.from_texts(words_gz, gazetteer)
    started = time.perf_counter()
    train_crf(train, lexicon, model_dir / MODEL_FILES[0], c1=args.c1, c2=args.c2, iters=args.iters)
    _log(f"CRF trained on {len(train)} sentences in {time.perf_counter() - started:.0f} s")
    (model_dir / MODEL_FILES[1]).write_bytes(words_gz)
    (model_dir / MODEL_FILES[2]).write_text(gazetteer, encoding="utf-8")
    gold = dev if args.dev else test
    name = "held-out NewsFANE (dev)" if args.dev else "ANERcorp test"
    if args.dev and args.sweep:
        for penalty in (0.0, 0.5, 1.0, 1.5, 2.0, 2.5, 3.0):
            scores = score(gold, tag_sentences(EntityTagger.load(model_dir, penalty), gold, 10))
            print(f"dev, O penalty {penalty}: micro F1 {scores.micro.f1:.3f}")
    tagger = EntityTagger.load(model_dir)
    for block in (1, 10):
        print(f"{name}, {block} sentence(s) per tagged text:")
        print(format_scores(score(gold, tag_sentences(tagger, gold, block))))


if __name__ == "__main__":
    main()
