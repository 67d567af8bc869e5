"""Invariants on the real stories of the dev split (read from ../shared, never copied here):
every story with several outlets gets a digest whose every claim is traceable."""

from __future__ import annotations

from pathlib import Path

import pytest

from akhbar.digest import Digest, DigestArticle, build_digest, units
from akhbar.digest.labelled import labelled_stories


def dev_stories(shared: Path) -> dict[str, list[DigestArticle]]:
    """Dev articles, cleaned, grouped by gold story; gold copy sets as copy groups."""
    return labelled_stories(shared / "eval" / "dev.jsonl", shared / "eval" / "dev-gold.jsonl")


@pytest.fixture(scope="module")
def digests(shared: Path) -> list[tuple[Digest, list[DigestArticle]]]:
    """Digests of every dev story with two outlets or more."""
    out = []
    for story, articles in sorted(dev_stories(shared).items()):
        if len({a.outlet for a in articles}) >= 2:
            out.append((build_digest(story, articles), articles))
    if not out:
        pytest.skip("no multi-outlet story in the dev split")
    return out


def test_there_are_many_stories(digests: list[tuple[Digest, list[DigestArticle]]]) -> None:
    """The dev split has about a hundred multi-outlet stories: all of them are digested."""
    assert len(digests) >= 50


def test_claims_are_traceable(digests: list[tuple[Digest, list[DigestArticle]]]) -> None:
    """Every claim is non-empty; each of its outlets has a member clause with exact offsets;
    two clauses of one article never share a claim."""
    for digest, articles in digests:
        by_id = {a.id: a for a in articles}
        for claim in digest.claims:
            assert claim.text.strip()
            assert claim.support
            for outlet in claim.outlets:
                members = [s for s in claim.support if s.outlet == outlet]
                assert members, (digest.story, claim.id, outlet)
            for s in claim.support:
                article = by_id[s.article]
                assert article.outlet == s.outlet
                assert 0 <= s.start < s.end <= len(article.text)
                assert article.text[s.start : s.end] == s.text
            ids = [s.article for s in claim.support]
            assert len(ids) == len(set(ids))


def test_copy_groups_count_once(digests: list[tuple[Digest, list[DigestArticle]]]) -> None:
    """A claim's voices are its distinct copy groups (an article with no copy is its own)."""
    for digest, articles in digests:
        by_id = {a.id: a for a in articles}
        for claim in digest.claims:
            groups = {by_id[s.article].copy or s.article for s in claim.support}
            assert claim.voices == len(groups), (digest.story, claim.id)
        for outlet in digest.outlets:
            copies = {by_id[i].copy or i for i in outlet.articles}
            assert outlet.voices == len(copies)


def test_every_article_is_represented(
    digests: list[tuple[Digest, list[DigestArticle]]],
) -> None:
    """Every article is on the timeline, and every article with a sentence supports a claim."""
    for digest, articles in digests:
        on_timeline = {t.article for t in digest.timeline if t.kind == "article"}
        assert on_timeline == {a.id for a in articles}
        in_claims = {s.article for c in digest.claims for s in c.support}
        for a in articles:
            if any(u.kind != "heading" for u in units(a.text)):
                assert a.id in in_claims, (digest.story, a.id)


def test_only_items_are_single_outlet(digests: list[tuple[Digest, list[DigestArticle]]]) -> None:
    """An "only in X" claim is carried by X alone (one outlet, or one voice); an addition's
    offsets are exact."""
    for digest, articles in digests:
        by_id = {a.id: a for a in articles}
        claims = {c.id: c for c in digest.claims}
        for key, items in digest.only:
            for item in items:
                claim = claims[item.claim]
                if item.kind == "claim":
                    assert " + ".join(claim.outlets) == key
                    assert len(claim.outlets) == 1 or claim.voices == 1
                for s in item.support:
                    assert by_id[s.article].text[s.start : s.end] == s.text


def test_claim_ids_follow_the_listed_order(
    digests: list[tuple[Digest, list[DigestArticle]]],
) -> None:
    """The views list shared claims, then single-source ones, numbered on: ids (cited by
    the only and conflict sections) must be those numbers. A claim of two articles of one
    outlet had an early id and was listed among the single-source ones."""
    for digest, _ in digests:
        shared = [c.voices > 1 and len(c.outlets) > 1 for c in digest.claims]
        assert shared == sorted(shared, reverse=True), digest.story
        assert [c.id for c in digest.claims] == [f"c{n}" for n in range(1, len(shared) + 1)]
