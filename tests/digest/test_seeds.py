"""EXPECTED.md section 8 on the seeds: shared claims, what each outlet alone says, quotes,
entities, cited sources, dates. Claims are found by their content words, never by offsets."""

from __future__ import annotations

import json

import pytest

from akhbar.digest import Claim, Digest, DigestArticle, build_digest, render_html, render_markdown
from akhbar.text.normalize import normalize
from tests.digest.conftest import OUTLETS

BOTH = (OUTLETS["000"], OUTLETS["001"])

SHARED = {
    "contacts continue and never stopped": ("الاتصالات", "متواصلة", "لم تتوقف قط"),
    "without progress normalisation is hard": ("احراز تقدم", "تصور تطبيع"),
    "Russia proposed resuming direct flights": ("مقترحات", "لاستئناف الرحلات الجوية"),
    "the decision is Washington's": ("القرار الان بيد امريكا",),
    "Moscow ready to reformat the negotiations": ("مستعد", "صياغة صيغة المفاوضات"),
    "prospects in trade, technology, resources, Arctic, space": (
        "افاقا واسعة",
        "التجارة",
        "التكنولوجيا المتقدمة",
        "الموارد الطبيعية",
        "القطب الشمالي",
        "الفضاء",
    ),
}
ONLY_000 = {
    "Darchiev-Coulter dialogue led to agreements": ("دارتشيف", "كولتر", "اتفاقيات"),
    "Ukraine settlement on the Anchorage understandings": ("تسويه", "اوكرانيا", "انكوريج"),
    "Zelensky: energy infrastructure a legitimate target": ("بنيه الطاقه", "مشروعه"),
}
ONLY_001 = {
    "diplomats' working conditions are inadequate": ("ظروف عمل دبلوماسيينا", "لا ترقي"),
    "Britain and Canada impose restrictions": ("بريطانيا وكندا", "قيود"),
    "London's confrontation policy": ("سياسه لندن", "المواجهه"),
    "confrontation a pillar of state ideology": ("ركيزه", "ايديولوجيه الدوله"),
}


def _has(text: str, words: tuple[str, ...]) -> bool:
    """Whether every phrase of `words` occurs in `text`, compared in normalised form."""
    norm = normalize(text)
    return all(normalize(w) in norm for w in words)


def claims_with(digest: Digest, words: tuple[str, ...]) -> list[Claim]:
    """Claims one of whose supporting clauses holds all the phrases."""
    return [c for c in digest.claims if any(_has(s.text, words) for s in c.support)]


@pytest.mark.parametrize("name", sorted(SHARED))
def test_shared_claims_carry_both_outlets(seed_digest: Digest, name: str) -> None:
    """Every claim both seeds report is one claim supported by both outlets."""
    found = claims_with(seed_digest, SHARED[name])
    assert found, f"no claim for: {name}"
    assert any(c.outlets == BOTH and c.voices == 2 for c in found), [c.outlets for c in found]


@pytest.mark.parametrize(
    ("outlet", "name"), [("000", n) for n in ONLY_000] + [("001", n) for n in ONLY_001]
)
def test_single_outlet_claims_listed_as_only(seed_digest: Digest, outlet: str, name: str) -> None:
    """What one seed alone says is a one-outlet claim listed under that outlet only."""
    words = (ONLY_000 | ONLY_001)[name]
    found = claims_with(seed_digest, words)
    assert found, f"no claim for: {name}"
    assert all(c.outlets == (OUTLETS[outlet],) for c in found)
    only = dict(seed_digest.only)
    listed = [i for i in only.get(OUTLETS[outlet], ()) if i.kind == "claim" and _has(i.text, words)]
    assert listed, f"{name} not listed as only in {outlet}"
    other = OUTLETS["001" if outlet == "000" else "000"]
    assert not [i for i in only.get(other, ()) if _has(i.text, words)]


def test_flights_benefit_the_us_first_is_an_addition_of_001(seed_digest: Digest) -> None:
    """001 adds 'the US first of all' inside the shared claim on resuming flights: the addition
    is exactly that stretch, and 000 adds nothing there."""
    only = dict(seed_digest.only)
    additions = [i for i in only.get(OUTLETS["001"], ()) if i.kind == "addition"]
    first = [i for i in additions if _has(i.text, ("بالدرجة الاولى",))]
    assert len(first) == 1, [i.text for i in additions]
    item = first[0]
    assert normalize(item.text) == normalize("الولايات المتحدة بالدرجة الأولى")
    claim = next(c for c in seed_digest.claims if c.id == item.claim)
    assert claim.outlets == BOTH
    assert _has(claim.text, ("استئناف الرحلات الجوية المباشرة", "دفعة قوية"))
    assert not [i for i in only.get(OUTLETS["000"], ()) if i.kind == "addition"]


def test_additions_are_few_and_short(seed_digest: Digest) -> None:
    """Additions stay precise: none repeats a whole claim, none runs past one clause."""
    for _, items in seed_digest.only:
        for item in items:
            if item.kind == "addition":
                assert len(item.text.split()) <= 12, item.text


def test_abu_dhabi_prisoner_exchange_is_absent(
    seed_digest: Digest, seed_articles: dict[str, DigestArticle]
) -> None:
    """The inserted headline of another article never reaches any output of the digest."""
    outputs = [
        json.dumps(seed_digest.to_dict(), ensure_ascii=False),
        render_markdown(seed_digest),
        render_html(seed_digest),
    ]
    for out in outputs:
        norm = normalize(out)
        assert normalize("أبوظبي") not in norm
        assert normalize("تبادل أسرى") not in norm
        assert normalize("القاهرة الإخبارية") not in norm


def test_quotes_attributed_to_gusarov_and_zelensky(seed_digest: Digest) -> None:
    """The quotes table names Gusarov (one name for both spellings) and Zelensky."""
    by_words = {
        ("سياسه لندن",): "جوساروف",
        ("ظروف عمل",): "جوساروف",
        ("زملاءنا الامريكيين",): "جوساروف",
        ("نستهدف الاسلحه",): "زيلينسكي",
    }
    for words, speaker in by_words.items():
        rows = [q for q in seed_digest.quotes if _has(q.text, words)]
        assert len(rows) == 1, words
        assert rows[0].speaker is not None
        assert normalize(speaker) in normalize(rows[0].speaker).replace("غ", "ج")
    zelensky = next(q for q in seed_digest.quotes if _has(q.text, ("نستهدف",)))
    assert zelensky.kind == "direct"
    assert zelensky.outlets == (OUTLETS["000"],)
    gusarov = {q.speaker for q in seed_digest.quotes if q.speaker and "زيلينسكي" not in q.speaker}
    assert len(gusarov) == 1, gusarov


def test_quote_in_both_outlets_is_one_row(seed_digest: Digest) -> None:
    """The reported quote on the flight proposals, in both seeds, is one row with both outlets."""
    rows = [q for q in seed_digest.quotes if _has(q.text, ("مقترحاتها لاستئناف الرحلات",))]
    assert len(rows) == 1
    assert rows[0].outlets == BOTH
    assert rows[0].kind == "indirect"
    assert len(rows[0].support) == 2


def test_gusarov_is_one_entity_with_both_spellings(seed_digest: Digest) -> None:
    """جوساروف and غوساروف are one person, with his role."""
    rows = [
        e for e in seed_digest.entities if any("جوساروف" in v or "غوساروف" in v for v in e.variants)
    ]
    assert len(rows) == 1
    row = rows[0]
    assert any("جوساروف" in v for v in row.variants)
    assert any("غوساروف" in v for v in row.variants)
    assert row.type == "PER"
    assert row.role is not None
    assert normalize("شمال الأطلسي") in normalize(row.role)
    assert row.outlets == BOTH


def test_cited_sources_per_outlet(seed_digest: Digest) -> None:
    """000 cites Sputnik, 001 an interview with Russian media."""
    cited = dict(seed_digest.cited_sources)
    assert [r.name for r in cited[OUTLETS["000"]]] == ["سبوتنيك"]
    assert cited[OUTLETS["000"]][0].kind == "agency"
    assert [r.kind for r in cited[OUTLETS["001"]]] == ["media"]


def test_dates_and_timeline(seed_digest: Digest, seed_articles: dict[str, DigestArticle]) -> None:
    """The story's date is 2026-02-09 although 000 gives none; the 2025 dialogue does not
    stretch the range; both articles are on the timeline."""
    assert seed_digest.dates.first == seed_digest.dates.last == "2026-02-09"
    assert "2025" in seed_digest.dates.mentioned
    ids = {t.article for t in seed_digest.timeline if t.kind == "article"}
    assert ids == {a.id for a in seed_articles.values()}
    assert seed_digest.headline in {a.title for a in seed_articles.values()}


def test_support_offsets_point_at_the_text(
    seed_digest: Digest, seed_articles: dict[str, DigestArticle]
) -> None:
    """Every supporting offset of every claim, only item and quote is exact."""
    texts = {a.id: a.text for a in seed_articles.values()}
    supports = [s for c in seed_digest.claims for s in c.support]
    supports += [s for _, items in seed_digest.only for i in items for s in i.support]
    supports += [s for q in seed_digest.quotes for s in q.support]
    for s in supports:
        assert texts[s.article][s.start : s.end] == s.text


def test_without_extraction_the_claims_hold(seed_plain: dict[str, DigestArticle]) -> None:
    """Alignment needs no extractor: shared and single-outlet claims come out the same."""
    digest = build_digest("seed-story", [seed_plain["000"], seed_plain["001"]])
    for words in SHARED.values():
        assert any(c.outlets == BOTH for c in claims_with(digest, words)), words
    only = dict(digest.only)
    for outlet, table in (("000", ONLY_000), ("001", ONLY_001)):
        for words in table.values():
            assert any(_has(i.text, words) for i in only[OUTLETS[outlet]]), words
    additions = [i.text for _, items in digest.only for i in items if i.kind == "addition"]
    assert [normalize(t) for t in additions] == [normalize("الولايات المتحدة بالدرجة الأولى")]
    assert digest.quotes == ()
    assert digest.entities == ()


def test_json_shape(seed_digest: Digest) -> None:
    """The documented top-level fields and claim fields are there, and it is valid JSON."""
    data = json.loads(json.dumps(seed_digest.to_dict(), ensure_ascii=False))
    for key in (
        "story",
        "headline",
        "dates",
        "outlets",
        "claims",
        "only",
        "quotes",
        "entities",
        "cited_sources",
        "conflicts",
        "timeline",
    ):
        assert key in data
    for claim in data["claims"]:
        assert {"text", "outlets", "support"} <= set(claim)
        for s in claim["support"]:
            assert {"article", "outlet", "start", "end"} <= set(s)
    assert set(data["only"]) == set(BOTH)


def test_restatements_are_not_only(seed_digest: Digest) -> None:
    """001 says twice that Moscow is ready to reformat the negotiations and that the decision
    is Washington's; its second wording, which 000 also says, is not "only in 001"."""
    only = dict(seed_digest.only)
    for words in (("لمسنا رغبة", "صياغة صيغة المفاوضات"), ("قدمنا مقترحاتنا", "القرار")):
        assert claims_with(seed_digest, words)
        assert not [i for i in only.get(OUTLETS["001"], ()) if _has(i.text, words)], words
