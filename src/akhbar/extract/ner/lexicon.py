"""What the tagger knows about words: corpus counts, word clusters, gazetteers, trigger words.

Arabic has no capitals, so a name is recognised from its context and from what it resembles:
the cluster a word falls in (learnt from unlabelled news) generalises to names never seen in the
labelled data; trigger words (titles, speech verbs, organisation heads) mark where names start.
"""

from __future__ import annotations

import gzip
from dataclasses import dataclass, field

from akhbar.errors import ConfigError
from akhbar.text.normalize import normalize

__all__ = ["Lexicon", "StrippedWord", "parse_gazetteer", "parse_words", "strip_proclitics"]


def norm_set(words: str) -> frozenset[str]:
    """Normalised forms of a whitespace-separated word list."""
    return frozenset(normalize(w) for w in words.split())


# Titles and roles that precede a person's name.
PER_TRIGGERS = norm_set(
    """الرئيس رئيس الرئيسة رئيسة وزير الوزير وزيرة الوزيرة السفير سفير المتحدث متحدث الناطق
    اللواء العميد العقيد الفريق المشير الجنرال النقيب الرائد الأمير أمير الأميرة الشيخ الشيخة
    الملك الملكة ولي السلطان الإمام الامام الشيخ المستشار النائب نائب الدكتور د الدكتورة
    الأستاذ الاستاذ المهندس السيد السيدة المدرب اللاعب لاعب مدرب الفنان الفنانة الكاتب
    الكاتبة الشاعر الروائي المخرج الممثل الممثلة المطرب المطربة الزعيم زعيم القائد قائد
    المبعوث مبعوث المندوب مندوب الأمين أمين المدير مدير المديرة مديرة المحافظ محافظ العاهل
    البابا الكاردينال المطران الحاخام القس الرئيسان الوزيران البروفيسور المفوض القاضي
    المرشح مرشح المرشحة النجم المستشارة رئيسا الخليفة الحاكم المفتي السناتور عضو العضو
    الجنرال المقدم المعلق الصحفي الصحافي المراسل الوكيل وكيل المساعد مساعد نجل ابن شقيق
    شقيقة زوجة زوج الأب البطل البطلة المتسابق العالم الباحث المؤرخ الناشط الناشطة المغني
    المغنية المخرجة الشاعرة جلالة سمو فخامة معالي سعادة صاحب خادم المرحوم الراحل الراحلة"""
)
# Verbs of saying and acting whose subject, right after them, is often a person.
SPEECH_VERBS = norm_set(
    """قال قالت أكد أكدت أوضح أوضحت أضاف أضافت أشار أشارت صرح صرحت أعلن أعلنت ذكر ذكرت
    تابع تابعت أكمل أكملت اعتبر اعتبرت رأى رأت شدد شددت لفت لفتت نفى نفت كشف كشفت دعا دعت
    طالب طالبت أعرب أعربت بحث بحثت التقى التقت استقبل استقبلت زار زارت هنأ وصف وصفت
    قائلا يقول تقول وقال وقالت"""
)
# Head nouns that open an organisation's name.
ORG_TRIGGERS = norm_set(
    """وكالة وزارة شركة مؤسسة منظمة هيئة مجلس جامعة حزب حركة جمعية اتحاد الاتحاد بنك البنك
    مصرف المصرف صندوق الصندوق نادي النادي فريق منتخب المنتخب جبهة الجبهة جماعة الجماعة لجنة
    اللجنة مركز المركز معهد المعهد كلية الكلية محكمة المحكمة قناة القناة صحيفة الصحيفة مجلة
    إذاعة تلفزيون مجموعة المجموعة رابطة الرابطة نقابة النقابة مكتب المكتب إدارة الإدارة
    برلمان البرلمان الحكومة حكومة الجيش جيش الشرطة شرطة قوات القوات مديرية المديرية دائرة
    الأمم الجامعة الوكالة الوزارة الشركة المؤسسة المنظمة الهيئة المجلس الحزب الحركة الجمعية
    مستشفى المستشفى بورصة البورصة سوق مطار المطار غرفة الغرفة"""
)
# Words that introduce a place.
LOC_TRIGGERS = norm_set(
    """مدينة المدينة العاصمة عاصمة محافظة المحافظة ولاية الولاية منطقة المنطقة إقليم الإقليم
    قرية القرية بلدة البلدة مقاطعة المقاطعة جزيرة جزر حي شارع بلاد دولة جمهورية مملكة
    المملكة إمارة الإمارة نهر بحر البحر خليج الخليج جبل جبال ميناء مخيم ضاحية"""
)
# Particles inside Arabic personal names.
NAME_PARTICLES = norm_set("بن ابن بنت أبو أبي أبا أم عبد عبدال آل ال ولد ابنة")
# Prepositions that often precede a place.
LOC_PREPS = norm_set("في من إلى الى عن نحو داخل خارج شمال جنوب شرق غرب وسط قرب عبر")

# Proclitic sequences (normalised), longest first; "لل" is ل + ال with the alef elided.
_PROCLITICS = ("وبال", "وكال", "فبال", "وال", "فال", "بال", "كال", "لل", "ول", "وب", "فب",
               "فل", "وك", "فك", "و", "ف", "ب", "ل", "ك")  # fmt: skip


@dataclass(frozen=True, slots=True)
class StrippedWord:
    """A normalised word split into its proclitics and the word they attach to.

    ``base`` is the word as it would stand alone: for ``لل`` the elided ``ال`` is restored.
    ``offset`` counts the letters to skip in the written word (0 for ``لل``: the span keeps it).
    """

    prefix: str
    base: str
    offset: int


def strip_proclitics(word: str, counts: dict[str, int]) -> StrippedWord:
    """Split attached proclitics off `word` where corpus counts say the rest is the real word."""
    own = counts.get(word, 0)
    for prefix in _PROCLITICS:
        if not word.startswith(prefix) or len(word) - len(prefix) < 2:
            continue
        rest = word[len(prefix) :]
        if prefix == "لل":
            clitic, base, offset = "ل", "ال" + rest, 0
        elif prefix.endswith("ال") and len(prefix) > 2:
            clitic, base, offset = prefix[:-2], "ال" + rest, len(prefix) - 2
        else:
            clitic, base, offset = prefix, rest, len(prefix)
        known = counts.get(base, 0)
        if known and known >= 2 * own:
            return StrippedWord(clitic, base, offset)
        if not own and not known and prefix == "و" and len(rest) >= 4:
            return StrippedWord("و", rest, 1)
    return StrippedWord("", word, 0)


def parse_words(
    text: str,
) -> tuple[dict[str, int], dict[str, tuple[str, str, str, str]], dict[str, str]]:
    """Parse the word table: word, count, three cluster ids, name-class code, self-tag code.

    Tab-separated; rows of words outside the clustered vocabulary have count 0, empty cluster
    fields and only the self-tag code (how the first-round tagger labelled the word in
    unlabelled news); an empty self-tag code means none.
    """
    counts: dict[str, int] = {}
    clusters: dict[str, tuple[str, str, str, str]] = {}
    auto: dict[str, str] = {}
    for line in text.splitlines():
        parts = line.split("\t")
        if len(parts) == 6:  # a table written before self-tag codes
            parts.append("")
        if len(parts) != 7 or not parts[1].isdigit():
            raise ConfigError(f"NER word table: malformed line {line[:60]!r}; retrain the model")
        word, count, fine, mid, coarse, code, tagged = parts
        if fine:
            counts[word] = int(count)
            clusters[word] = (fine, mid, coarse, code)
        if tagged:
            auto[word] = tagged
    return counts, clusters, auto


def parse_gazetteer(text: str) -> dict[tuple[str, ...], str]:
    """Parse the gazetteer (``TYPE<TAB>name``) into normalised word tuples -> type."""
    out: dict[tuple[str, ...], str] = {}
    for line in text.splitlines():
        kind, _, name = line.partition("\t")
        words = tuple(normalize(name).split())
        if kind and words:
            out.setdefault(words, kind)
    return out


@dataclass(frozen=True, slots=True)
class Lexicon:
    """Word counts and clusters from unlabelled news, plus gazetteer names by type."""

    counts: dict[str, int] = field(default_factory=dict)
    clusters: dict[str, tuple[str, str, str, str]] = field(default_factory=dict)
    gazetteer: dict[tuple[str, ...], str] = field(default_factory=dict)
    auto: dict[str, str] = field(default_factory=dict)  # word -> self-tag code

    @classmethod
    def from_texts(cls, words_gz: bytes, gazetteer: str) -> Lexicon:
        """Build from the packaged files (gzipped word table, gazetteer text)."""
        try:
            words = gzip.decompress(words_gz).decode("utf-8")
        except (OSError, EOFError, UnicodeDecodeError) as exc:
            raise ConfigError(f"NER word table is corrupt ({exc}); retrain the model") from exc
        counts, clusters, auto = parse_words(words)
        return cls(counts, clusters, parse_gazetteer(gazetteer), auto)
