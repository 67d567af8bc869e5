"""Readable views of a digest: Arabic Markdown, and one standalone right-to-left HTML page.

Every piece of article text is escaped: in HTML with `html.escape`, in Markdown as HTML
entities and backslash escapes (Markdown passes raw HTML through), so a `<script>` in an
article shows as text. The HTML page has its CSS inline and loads nothing from outside.
"""

from __future__ import annotations

import html
import re
from collections.abc import Sequence

from akhbar.digest.model import Claim, Digest, OnlyItem, QuoteRow, Support

__all__ = ["outlet_colours", "render_html", "render_markdown"]

# Distinct, print-friendly colours (Okabe-Ito and Tableau families), in assignment order.
_PALETTE = (
    "#0072b2",
    "#d55e00",
    "#009e73",
    "#cc79a7",
    "#e69f00",
    "#56b4e9",
    "#8c564b",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#9467bd",
    "#2ca02c",
)
_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_KIND_AR = {"direct": "مباشر", "indirect": "غير مباشر"}
_TYPE_AR = {"PER": "شخص", "LOC": "مكان", "ORG": "منظمة", "MISC": "أخرى"}
_SOURCE_AR = {
    "agency": "وكالة",
    "platform": "منصة",
    "media": "وسائل إعلام",
    "statement": "بيان",
    "outlet": "وسيلة إعلام",
    "official": "مصدر رسمي",
}


def outlet_colours(digest: Digest) -> dict[str, str]:
    """One colour per outlet, in the digest's outlet order (the same in every view)."""
    out: dict[str, str] = {}
    for i, row in enumerate(digest.outlets):
        if i < len(_PALETTE):
            out[row.name] = _PALETTE[i]
        else:
            out[row.name] = f"hsl({(i * 137) % 360}, 55%, 40%)"
    return out


def _count_ar(n: int, one: str, two: str, few: str, many: str) -> str:
    """An Arabic count phrase: واحد، اثنان، 3-10 with the plural, more with the singular."""
    if n == 1:
        return one
    if n == 2:
        return two
    if 3 <= n <= 10:
        return f"{n} {few}"
    return f"{n} {many}"


def _shared(claim: Claim) -> bool:
    """Whether independent voices of different outlets carry the claim."""
    return claim.voices > 1 and len(claim.outlets) > 1


def _outlets_ar(n: int) -> str:
    """'n outlets' in Arabic."""
    return _count_ar(n, "مصدر واحد", "مصدران", "مصادر", "مصدرًا")


def _voices_ar(n: int) -> str:
    """'n independent voices' in Arabic."""
    return _count_ar(n, "صوت واحد", "صوتان", "أصوات", "صوتًا")


# -- Markdown -------------------------------------------------------------------------------------


def _md(text: str | None) -> str:
    """Article text made inert in Markdown: HTML entities for <, >, &, escapes for markup,
    one line."""
    if not text:
        return ""
    flat = " ".join(text.split())
    flat = flat.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _MD_SPECIAL.sub(r"\\\1", flat)


def _md_code(text: str) -> str:
    """An id as a Markdown code span, shown as it is: inside one, backslash escapes show
    (`story\\_1`) and entities are not read, so the span is fenced with more backticks than
    any run in the id instead (ids are never in a table, where a `|` would cut the row)."""
    flat = " ".join(text.split())
    longest = max((len(run) for run in re.findall(r"`+", flat)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if flat.startswith("`") or flat.endswith("`") else ""
    return f"{fence}{pad}{flat}{pad}{fence}"


def _md_support(support: Sequence[Support]) -> str:
    """Where a line comes from: article ids with offsets."""
    return "، ".join(f"{_md_code(s.article)} [{s.start}–{s.end}]" for s in support)


def _md_claim(n: int, claim: Claim) -> list[str]:
    """One numbered claim with its outlets and offsets."""
    outlets = "، ".join(_md(o) for o in claim.outlets)
    return [
        f"{n}. {_md(claim.text)}",
        f"   - **{_outlets_ar(len(claim.outlets))}، {_voices_ar(claim.voices)}:** {outlets}",
        f"   - المواضع: {_md_support(claim.support)}",
    ]


def _md_only(items: Sequence[OnlyItem]) -> list[str]:
    """The lines of one 'only in X' section."""
    out: list[str] = []
    for item in items:
        if item.kind == "addition":
            out.append(f"- يضيف داخل الخبر {item.claim}: «{_md(item.text)}»")
        else:
            out.append(f"- {_md(item.text)} ({item.claim})")
    return out


def _md_quote(q: QuoteRow) -> str:
    """One row of the quotes table."""
    return (
        f"| {_md(q.speaker) or 'غير معروف'} | {_md(q.text)} | {_KIND_AR.get(q.kind, q.kind)} "
        f"| {'، '.join(_md(o) for o in q.outlets)} |"
    )


def render_markdown(digest: Digest) -> str:
    """The digest as Arabic Markdown: claims by support, then what each outlet alone says."""
    lines: list[str] = [f"# {_md(digest.headline) or _md(digest.story)}", ""]
    d = digest.dates
    when = d.first if d.first == d.last else f"{d.first or '؟'} – {d.last or '؟'}"
    lines.append(f"- **القصة:** {_md_code(digest.story)}")
    if d.first or d.last:
        lines.append(f"- **التاريخ:** {when}")
    outlets = "، ".join(
        f"{_md(o.name)} ({len(o.articles)} مقال، {_voices_ar(o.voices)})" for o in digest.outlets
    )
    lines += [f"- **المصادر:** {outlets}", ""]
    shared = [c for c in digest.claims if _shared(c)]
    single = [c for c in digest.claims if not _shared(c)]
    if shared:
        lines += ["## ما تتفق عليه المصادر", ""]
        for n, claim in enumerate(shared, 1):
            lines += _md_claim(n, claim)
        lines.append("")
    if single:
        lines += ["## ما ورد في مصدر واحد أو نسخ من نص واحد", ""]
        for n, claim in enumerate(single, len(shared) + 1):
            lines += _md_claim(n, claim)
        lines.append("")
    for name, items in digest.only:
        lines += [f"## انفرد به: {_md(name)}", "", *_md_only(items), ""]
    if digest.quotes:
        lines += ["## الاقتباسات", "", "| المتحدث | الاقتباس | النوع | المصادر |"]
        lines.append("|---|---|---|---|")
        lines += [_md_quote(q) for q in digest.quotes]
        lines.append("")
    if digest.entities:
        lines += ["## الأسماء وصيغها", "", "| الاسم | النوع | الصفة | الصيغ | المصادر |"]
        lines.append("|---|---|---|---|---|")
        for e in digest.entities:
            variants = "، ".join(_md(v) for v in e.variants)
            outlets = "، ".join(_md(o) for o in e.outlets)
            lines.append(
                f"| {_md(e.name)} | {_TYPE_AR.get(e.type, e.type)} | {_md(e.role)} "
                f"| {variants} | {outlets} |"
            )
        lines.append("")
    if digest.cited_sources:
        lines += ["## المصادر التي تستشهد بها المنافذ", ""]
        for outlet, rows in digest.cited_sources:
            cited = "، ".join(f"{_md(r.name)} ({_SOURCE_AR.get(r.kind, r.kind)})" for r in rows)
            lines.append(f"- {_md(outlet)}: عبر {cited}")
        lines.append("")
    if digest.conflicts:
        lines += ["## أرقام متعارضة", ""]
        for c in digest.conflicts:
            values = " مقابل ".join(
                f"{_md(v.value)} ({'، '.join(_md(o) for o in v.outlets)})" for v in c.values
            )
            lines.append(f"- {c.claim}، «{_md(c.about)}»: {values}")
        lines.append("")
    if digest.timeline:
        lines += ["## التسلسل الزمني", ""]
        for t in digest.timeline:
            what = _md(t.text) if t.kind == "event" else _md(t.title) or _md_code(t.article)
            lines.append(f"- {t.date or 'غير مؤرخ'} — {_md(t.outlet)} — {what}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# -- HTML -----------------------------------------------------------------------------------------

_CSS = """
:root { --ink: #1d1d1f; --muted: #5f6368; --line: #e3e3e8; --paper: #fdfdfb; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--paper); color: var(--ink);
  font-family: "Noto Naskh Arabic", "Amiri", "Geeza Pro", "Segoe UI", Tahoma, sans-serif;
  font-size: 1.125rem; line-height: 1.9; }
main { max-width: 56rem; margin: 0 auto; padding: 2rem 1.25rem 4rem; }
h1 { font-size: 1.9rem; line-height: 1.5; margin: 0 0 .5rem; }
h2 { font-size: 1.35rem; margin: 2.2rem 0 .8rem; padding-bottom: .3rem;
  border-bottom: 2px solid var(--line); }
.meta { color: var(--muted); margin: 0 0 1rem; }
.chip { display: inline-block; padding: 0 .6rem; margin: .1rem .15rem; border-radius: 1rem;
  color: #fff; font-size: .85rem; line-height: 1.7; white-space: nowrap; }
ol.claims { padding-inline-start: 1.6rem; }
ol.claims li { margin: 0 0 1rem; padding: .5rem .8rem; border-inline-start: 5px solid #ccc;
  background: #fff; border-radius: .35rem; }
li.v1 { border-inline-start-color: #d0d0d6; }
li.v2 { border-inline-start-color: #7fb77e; }
li.v3 { border-inline-start-color: #2e8b57; }
.badge { font-size: .8rem; color: var(--muted); margin-inline-start: .4rem; }
details { font-size: .85rem; color: var(--muted); }
details p { margin: .2rem 0; }
.only { margin: 0 0 1.2rem; padding: .4rem .9rem; border-inline-start: 5px solid;
  border-radius: .35rem; background: #fff; }
.only h3 { margin: .2rem 0 .4rem; font-size: 1.1rem; }
.addition { background: #fff3c4; padding: 0 .2rem; border-radius: .2rem; }
table { width: 100%; border-collapse: collapse; font-size: 1rem; background: #fff; }
th, td { text-align: start; vertical-align: top; padding: .45rem .6rem;
  border-bottom: 1px solid var(--line); }
th { background: #f3f3f6; }
.conflict { background: #fde8e8; border-radius: .35rem; padding: .4rem .8rem; margin: .4rem 0; }
ul.timeline { list-style: none; padding: 0; border-inline-start: 3px solid var(--line); }
ul.timeline li { padding: .2rem 1rem; margin: 0 0 .5rem; }
.date { font-variant-numeric: tabular-nums; color: var(--muted); margin-inline-end: .5rem; }
code { direction: ltr; unicode-bidi: embed; font-size: .8rem; }
""".strip()


def _e(text: str | None) -> str:
    """Escaped text (article text is data, never markup)."""
    return html.escape(text or "", quote=True)


def _chip(outlet: str, colours: dict[str, str]) -> str:
    """An outlet's coloured label."""
    colour = colours.get(outlet, "#555")
    return f'<span class="chip" style="background:{colour}">{_e(outlet)}</span>'


def _chips(outlets: Sequence[str], colours: dict[str, str]) -> str:
    """Labels of several outlets."""
    return "".join(_chip(o, colours) for o in outlets)


def _html_support(support: Sequence[Support]) -> str:
    """A folded list of where each outlet says it, with offsets."""
    rows = "".join(
        f"<p>{_e(s.outlet)} <code>{_e(s.article)} [{s.start}–{s.end}]</code>: {_e(s.text)}</p>"
        for s in support
    )
    return f"<details><summary>المواضع في المقالات</summary>{rows}</details>"


def _html_claims(claims: Sequence[Claim], colours: dict[str, str], start: int) -> str:
    """A numbered list of claims marked by how many outlets carry them."""
    items: list[str] = []
    for claim in claims:
        level = min(len(claim.outlets), 3)
        items.append(
            f'<li class="v{level}" id="{_e(claim.id)}">{_e(claim.text)} '
            f"{_chips(claim.outlets, colours)}"
            f'<span class="badge">{_outlets_ar(len(claim.outlets))}، '
            f"{_voices_ar(claim.voices)}</span>{_html_support(claim.support)}</li>"
        )
    return f'<ol class="claims" start="{start}">{"".join(items)}</ol>'


def _html_only(digest: Digest, colours: dict[str, str]) -> str:
    """The 'only in X' sections."""
    parts: list[str] = []
    for name, items in digest.only:
        colour = colours.get(name, colours.get(items[0].outlets[0], "#555") if items else "#555")
        lines: list[str] = []
        for item in items:
            if item.kind == "addition":
                lines.append(
                    f'<li>يضيف داخل <a href="#{_e(item.claim)}">{_e(item.claim)}</a>: '
                    f'<span class="addition">{_e(item.text)}</span></li>'
                )
            else:
                lines.append(
                    f'<li>{_e(item.text)} (<a href="#{_e(item.claim)}">{_e(item.claim)}</a>)</li>'
                )
        parts.append(
            f'<section class="only" style="border-color:{colour}">'
            f"<h3>انفرد به: {_chips(items[0].outlets if items else [name], colours)}</h3>"
            f"<ul>{''.join(lines)}</ul></section>"
        )
    return "".join(parts)


def _html_tables(digest: Digest, colours: dict[str, str]) -> str:
    """Quotes, entities, cited sources and conflicts."""
    out: list[str] = []
    if digest.quotes:
        rows = "".join(
            f"<tr><td>{_e(q.speaker) or 'غير معروف'}</td><td>{_e(q.text)}</td>"
            f"<td>{_e(_KIND_AR.get(q.kind, q.kind))}</td><td>{_chips(q.outlets, colours)}</td></tr>"
            for q in digest.quotes
        )
        out.append(
            "<h2>الاقتباسات</h2><table><thead><tr><th>المتحدث</th><th>الاقتباس</th>"
            f"<th>النوع</th><th>المصادر</th></tr></thead><tbody>{rows}</tbody></table>"
        )
    if digest.entities:
        rows = "".join(
            f"<tr><td>{_e(e.name)}</td><td>{_e(_TYPE_AR.get(e.type, e.type))}</td>"
            f"<td>{_e(e.role)}</td><td>{_e('، '.join(e.variants))}</td>"
            f"<td>{_chips(e.outlets, colours)}</td></tr>"
            for e in digest.entities
        )
        out.append(
            "<h2>الأسماء وصيغها</h2><table><thead><tr><th>الاسم</th><th>النوع</th>"
            "<th>الصفة</th><th>الصيغ</th><th>المصادر</th></tr></thead>"
            f"<tbody>{rows}</tbody></table>"
        )
    if digest.cited_sources:
        rows = "".join(
            f"<li>{_chip(outlet, colours)} عبر "
            + "، ".join(f"{_e(r.name)} ({_e(_SOURCE_AR.get(r.kind, r.kind))})" for r in found)
            + "</li>"
            for outlet, found in digest.cited_sources
        )
        out.append(f"<h2>المصادر التي تستشهد بها المنافذ</h2><ul>{rows}</ul>")
    if digest.conflicts:
        rows = "".join(
            f'<div class="conflict"><a href="#{_e(c.claim)}">{_e(c.claim)}</a> «{_e(c.about)}»: '
            + " مقابل ".join(f"<b>{_e(v.value)}</b> {_chips(v.outlets, colours)}" for v in c.values)
            + "</div>"
            for c in digest.conflicts
        )
        out.append(f"<h2>أرقام متعارضة</h2>{rows}")
    return "".join(out)


def _html_timeline(digest: Digest, colours: dict[str, str]) -> str:
    """Articles and events in time order."""
    if not digest.timeline:
        return ""
    rows = "".join(
        f'<li><span class="date">{_e(t.date) or "غير مؤرخ"}</span>{_chip(t.outlet, colours)} '
        + (_e(t.text) if t.kind == "event" else _e(t.title) or f"<code>{_e(t.article)}</code>")
        + "</li>"
        for t in digest.timeline
    )
    return f'<h2>التسلسل الزمني</h2><ul class="timeline">{rows}</ul>'


def render_html(digest: Digest) -> str:
    """The digest as one standalone right-to-left HTML page (inline CSS, no external assets)."""
    colours = outlet_colours(digest)
    d = digest.dates
    when = d.first if d.first == d.last else f"{d.first or '؟'} – {d.last or '؟'}"
    outlets = " ".join(
        f"{_chip(o.name, colours)}<small>{len(o.articles)} مقال، {_voices_ar(o.voices)}</small>"
        for o in digest.outlets
    )
    shared = [c for c in digest.claims if _shared(c)]
    single = [c for c in digest.claims if not _shared(c)]
    body = [
        f"<h1>{_e(digest.headline or digest.story)}</h1>",
        f'<p class="meta">القصة <code>{_e(digest.story)}</code>'
        + (f" · {_e(when)}" if d.first or d.last else "")
        + "</p>",
        f'<p class="meta">{outlets}</p>',
    ]
    if shared:
        body += ["<h2>ما تتفق عليه المصادر</h2>", _html_claims(shared, colours, 1)]
    if single:
        body += [
            "<h2>ما ورد في مصدر واحد أو نسخ من نص واحد</h2>",
            _html_claims(single, colours, len(shared) + 1),
        ]
    if digest.only:
        body += ["<h2>ما انفرد به كل مصدر</h2>", _html_only(digest, colours)]
    body += [_html_tables(digest, colours), _html_timeline(digest, colours)]
    return (
        '<!DOCTYPE html>\n<html lang="ar" dir="rtl">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(digest.headline or digest.story)}</title>\n<style>\n{_CSS}\n</style>\n"
        f"</head>\n<body>\n<main>\n{''.join(body)}\n</main>\n</body>\n</html>\n"
    )
