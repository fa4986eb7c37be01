"""What a news page says about itself: headline, authors, dates, site name, canonical URL.

Every source a page may use is read (JSON-LD, OpenGraph and other meta tags, ``<h1>``,
``<title>``, ``<time>``, the byline, the URL) and one value is chosen per field by
agreement and reliability, so that a page's mistakes in one place are outvoted by the
others.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import html as html_lib
import itertools
import json
import re
from typing import Iterable, Iterator, Optional
from urllib.parse import urlsplit

import htmldate
from lxml import etree, html as lxml_html

from .. import dates, text as textlib

# Whitespace runs other than a single space (replacing those too is slow on long texts).
_SPACE = re.compile(r"\s{2,}|[^\S ]")
_INVISIBLE = re.compile("[\u00ad\u200b-\u200d\u2060\ufeff]")  # soft hyphens, zero widths
# Any colon, where a part of a title is looked for that spells the site's domain: "Heraldo:
# ...". The part is only compared with the domain, so a headline cut at a colon is no loss.
_TITLE_PARTS_FOR_DOMAIN = re.compile(textlib.TITLE_SEPARATORS_AND_COLON.pattern + r"|:\s+")
_ARTICLE_TYPES = {"newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle",
                  "blogposting", "liveblogposting", "opinionnewsarticle", "backgroundnewsarticle",
                  "webpage", "report", "socialmediaposting"}
_PUBLISHED_META = (
    "article:published_time", "og:published_time", "datepublished", "pubdate", "publishdate",
    "publish-date", "publish_date", "dc.date.issued", "dc.date", "dcterms.created",
    "sailthru.date", "parsely-pub-date", "date", "article.published", "published_time")
_AUTHOR_META = ("author", "article:author", "dc.creator", "sailthru.author", "parsely-author",
                "byl")
_BYLINE_CLASS = re.compile(r"byline|author|writer|reporter|contributor|credit", re.IGNORECASE)
# not inside a word: "vcard author" is the article's author (hCard), "author-card" is not
_NOT_BYLINE_CLASS = re.compile(r"(?<![a-z])(?:bio|avatar|comment|related|box|card|footer|"
                               r"share)", re.IGNORECASE)
# An element holding an author's name itself, not a byline sentence.
# (Drupal's "submitted" line: "Submitted by <user name> on <date>")
_AUTHOR_CLASS = re.compile(r"(?<![a-z])(?:author|autor|auteur|submitted)(?![a-z])",
                           re.IGNORECASE)
# Where a byline's names start inside its line: after the credit words ("By", "Von:"), also
# after a kicker, a separator or a date ("Yes! | By Jane Doe | 13 April", "Ein Artikel von
# Jane Doe", "Posted on 21 September 2026 by Jane Doe"), or after a label and a colon
# ("Autor: Jane Doe", "Redaktion: Jane Doe", "Text & Fotos: Jane Doe"). Only the labelled
# forms mark a byline in a line anywhere: "by" runs through ordinary sentences too.
_CREDIT_LABEL = (r"(?:^|(?<![\w-]))(?:autor(?:in|en)?|authors?|auteur|redaktion|interview|"
                 r"texto?(?: ?(?:&|und|and|y|e) ?(?:fotos?|photos?|bilder?))?|by|von|par|"
                 r"por):\s*(?=(?-i:[A-ZÀ-Þ]))")
_CREDIT_IN_LINE = re.compile(
    r"(?:^|(?<=[|•·/–—:,.!?\d-])\s*|\b(?:artikel|beitrag|eingestellt|gepostet|geschrieben|"
    r"verfasst|veröffentlicht|posted|written|published|article|story|publié|écrit|rédigé|"
    r"publicado|escrito)\s+)(?:by|von|par|por)\s+(?=(?-i:[A-ZÀ-Þ]))|" + _CREDIT_LABEL,
    re.IGNORECASE)
_ANY_SPACE = "[ \u00a0]"
_BYLINE_LINES = etree.XPath(  # (a union of tags: twice as fast as testing each element's)
    "(//p | //span | //div | //font | //td | //address | //small)"
    "[string-length(normalize-space(.)) < 160]"
    "[re:test(normalize-space(.), "  # a no-break space too: "Par&nbsp;Jane"
    f"'{textlib.BYLINE.pattern.replace(' ', _ANY_SPACE)}|{_CREDIT_LABEL}', 'i')]",
    namespaces={"re": "http://exslt.org/regular-expressions"})
# A copyright notice is looked for in the first characters of the first footers: the text
# of footers nested in each other would otherwise be read once per footer (minutes for
# 3 MB of text in 250 of them).
_FOOTERS_READ, _FOOTER_CHARS_READ = 200, 50_000
_COPYRIGHT = re.compile(r"(?:©|\(c\)|copyright)\s*(?:\d{4}\s*[-–]?\s*(?:\d{4})?)?\s*"
                        r"((?:[A-Z][\w&'.-]*\s?){1,6})", re.IGNORECASE)
_URL_DATE = re.compile(
    r"/((?:19|20)\d{2})[/-](0?[1-9]|1[0-2])[/-](0?[1-9]|[12]\d|3[01])(?:/|[-_]|$)")


def _attribute_holders(attribute: str, test: str) -> str:
    """XPath of the elements whose attribute passes a test of it (``.``), in document
    order: reached through the attributes themselves, about twice as fast as testing every
    element of the page."""
    return f"//@{attribute}[{test}]/.."


def _class_holders(*parts: str) -> str:
    """XPath of the elements whose class contains one of the parts."""
    return _attribute_holders("class", " or ".join(f"contains(., '{part}')" for part in parts))


_LIVE_BLOG = etree.XPath(_class_holders("liveblog", "live-blog"))
_CANONICAL = etree.XPath("//link[@rel='canonical']/@href")
_HEADLINES = etree.XPath("//h1 | " + _attribute_holders("itemprop", ". = 'headline'"))


@dataclasses.dataclass
class PageMetadata:
    title: Optional[str] = None
    site_name: Optional[str] = None
    authors: list = dataclasses.field(default_factory=list)
    published_at: Optional[dt.datetime] = None  # UTC
    published_date: Optional[dt.date] = None  # the day as the page states it
    published_instant: bool = False  # whether published_at is a time stated with its zone
    published_from: Optional[str] = None  # which source gave the date: html or url
    canonical_url: Optional[str] = None
    description: Optional[str] = None
    language: Optional[str] = None
    live_blog: bool = False


def page_metadata(tree, url: Optional[str], json_ld: Iterable[str] = (),
                  latest: Optional[dt.date] = None, date_search: bool = True) -> PageMetadata:
    """The metadata of a parsed page (an lxml HTML tree, not modified) and of its JSON-LD
    blocks (taken out before scripts are removed); no publication day after ``latest``
    (by default today). Without ``date_search``, the day comes from the page's own
    metadata only, not from htmldate's search of its whole text."""
    json_ld = list(json_ld)
    objects = list(_json_ld_articles(json_ld))
    meta = _meta_tags(tree)
    site_names = _unique([meta.get("og:site_name"), *(_publisher(o) for o in objects),
                          meta.get("application-name"),
                          _site_from_domain(tree, url, meta.get("og:title"))])
    headlines = _HEADLINES(tree)  # the <h1>s and the elements marked as headline
    title = _as_shown(tree, choose_title(_title_candidates(tree, headlines, objects, meta),
                                         site_names + _kickers(headlines), _sole_h1(headlines)))
    bylines = _byline_texts(tree)  # used twice, and slow to find on some pages
    byline_texts = [text for text, _ in bylines]
    canonical_link = next(iter(_CANONICAL(tree)), None)
    published, day, instant, source = _published(tree, json_ld, objects, meta, url,
                                                 canonical_link, byline_texts, headlines,
                                                 title, latest or dt.date.today(), date_search)
    canonical = canonical_link or meta.get("og:url")
    return PageMetadata(
        title=title,
        site_name=site_names[0] if site_names else _site_from_title(tree, title)
        or _site_from_copyright(tree),
        authors=_authors(tree, objects, meta, bylines, site_names + [
            n for n in (_site_from_title(tree, title), _domain_label(url)) if n], url,
            declared=[] if _BLOG_HOST.search(url or "") else [
                meta.get("og:site_name"), *(_publisher(o) for o in objects),
                meta.get("application-name")]),
        published_at=published,
        published_date=day,
        published_instant=instant,
        published_from=source,
        canonical_url=canonical.strip() if canonical else None,
        description=meta.get("og:description") or meta.get("description"),
        language=_language(tree, meta),
        live_blog=any(_types(o) & {"liveblogposting"} for o in objects)
        or bool(_LIVE_BLOG(tree)),
    )


# ---- titles -------------------------------------------------------------------------

def _title_candidates(tree, headlines: list, objects, meta) -> list[tuple[str, str]]:
    """(source, text) in order of reliability."""
    found = []
    for source, value in (
            ("json-ld", next((o.get("headline") for o in objects
                              if isinstance(o.get("headline"), str)), None)),
            ("og", meta.get("og:title")),
            ("twitter", meta.get("twitter:title")),
            ("title", _text(tree.find(".//title")))):
        if value and _clean(value):
            found.append((source, _clean(value)))
    h1 = _h1(headlines)
    if h1 is not None:
        found.insert(0, ("h1", _without_kicker(h1, [text for _, text in found])))
    return found


def choose_title(candidates: list[tuple[str, str]], site_names: Iterable[str],
                 sole_h1: bool = False) -> Optional[str]:
    """The headline most candidates agree on, without site names, sections or labels; the
    visible <h1> where the others agree with it, and where it is the page's only headline
    (``sole_h1``) of a few words: the metadata's is then often one written for search or
    sharing, not the one readers see."""
    names = {_key(n) for n in site_names if n}
    stripped = [(source, _strip_site(text, names)) for source, text in candidates
                if source != "h1" or not _site_banner(text, names, candidates)]
    stripped = [(s, t) for s, t in stripped if t and _key(t) not in names]
    if not stripped:
        return None
    visible = _visible_headline(stripped)
    if visible:
        return visible
    h1 = next((text for source, text in stripped if source == "h1"), None)
    if h1 and sole_h1 and len(h1.split()) >= _SOLE_H1_WORDS:
        return h1

    def support(text: str) -> int:
        key = _key(text)
        return sum(1 for _, other in stripped
                   if _key(other) == key or (len(key) > 20 and key in _key(other)))

    best = max(stripped, key=lambda c: (support(c[1]), -stripped.index(c)))
    return best[1]


def _site_banner(h1: str, names: set, candidates: list[tuple[str, str]]) -> bool:
    """Whether an <h1> is the site's name and its tagline ("Island Post, news of the isles"),
    shown on every page: it opens with the site's name, and the metadata give a title, not
    it."""
    key = _key(h1)
    titles = [_key(text) for source, text in candidates if source != "h1"]
    return bool(titles) and any(key.startswith(name + " ") for name in names) and not any(
        key in title for title in titles)


_HEADINGS_OF_LENGTH = etree.XPath(  # (lengths compared at C speed, texts read of few)
    "(//h1 | //h2 | //h3)[string-length(normalize-space(.)) >= $shortest]"
    "[string-length(normalize-space(.)) <= $longest]")


# Dashes and quotes as typed on a keyboard.
_PLAIN_MARKS = str.maketrans({**dict.fromkeys("‐‑‒–—―", "-"),
                              **dict.fromkeys("“”„‟«»″", '"'), **dict.fromkeys("‘’‚‛‹›′", "'")})


def _as_shown(tree, title: Optional[str]) -> Optional[str]:
    """The title as a heading of the page spells it, where one differs from it in its dashes
    or quotes only: metadata often have "-" and '"' where the page shows "–" and "„“"."""
    if not title:
        return title
    plain = title.translate(_PLAIN_MARKS)
    for heading in _HEADINGS_OF_LENGTH(tree, shortest=len(title), longest=len(title) + 3):
        text = _text(heading)
        if text != title and text.translate(_PLAIN_MARKS) == plain:
            return text
    return title


# The most words a kicker (a topic label above the headline, inside its <h1>) has, and the
# most an <h1> adds to a shortened headline in the metadata.
_KICKER_WORDS = 3


def _visible_headline(stripped: list[tuple[str, str]]) -> Optional[str]:
    """The page's <h1> when the metadata agree with it: the same words (the <h1> spells
    them as the page shows them), or all in it with a few more (the metadata's is a
    shortened headline), or the whole of one end of a metadata title whose other parts
    name the site or a tagline; not an <h1> holding a site name after a separator. When the
    <h1> is a metadata headline after a few words, those are a kicker and the metadata's
    headline is the headline."""
    h1 = next((text for source, text in stripped if source == "h1"), None)
    if h1 is None:
        return None
    h1_words, h1_parts = _words(h1), len(textlib.TITLE_SEPARATORS.split(h1))
    if any(source != "h1" and _words(text) == h1_words for source, text in stripped):
        return h1  # metadata giving it whole: a shorter one elsewhere leaves its kicker out
    for source, text in stripped:
        parts = textlib.TITLE_SEPARATORS_AND_COLON.split(text)
        if source != "h1" and len(parts) > 1 and _key(h1) in (_key(parts[0]), _key(parts[-1])):
            return h1  # the metadata's title is the headline and the site's name
        words = _words(text)
        if source == "h1" or not words:
            continue
        extra = len(h1_words) - len(words)
        if 0 < extra <= _KICKER_WORDS and sorted(h1_words[extra:]) == sorted(words):
            return text
        if h1_parts <= len(textlib.TITLE_SEPARATORS.split(text)) and (
                words == h1_words or len(words) >= 3 and 0 <= extra <= _KICKER_WORDS
                and set(words) <= set(h1_words)):
            return h1
    return None


def _strip_site(title: str, site_names: set) -> str:
    """"Headline | Site | Tagline", "Headline : Site" and "Site - Headline" lose the site
    name, and what stands on its far side; the separators of what is kept stay as written.
    After the site, of a trail of sections only the headline stays (_trail_end)."""
    spans = _title_spans(title, textlib.TITLE_SEPARATORS)
    site = next((i for i, (a, b) in enumerate(spans) if _key(title[a:b]) in site_names), None)
    if site is None and " : " in title:  # a spaced colon only before a site's name
        with_colon = _title_spans(title, textlib.TITLE_SEPARATORS_AND_COLON)
        site = next((i for i, (a, b) in enumerate(with_colon) if i and
                     _key(title[a:b]) in site_names), None)
        spans = with_colon if site is not None else spans
    if site is None and "|" in title:
        site = _unnamed_site(title, spans)
    if site is None:
        ideographic = _IDEOGRAPHIC_SITE.search(title)
        return title[:ideographic.start()] if ideographic else title
    if len(spans) == 1:
        return title
    kept = [span for span in (spans[site + 1:] if site == 0 else spans[:site])
            if _key(title[span[0]:span[1]]) not in site_names]
    if site == 0 and len(kept) > 1:
        kept = _trail_end(title, spans[site], kept)
    return title[kept[0][0]:kept[-1][1]].strip() if kept else ""


def _trail_end(title: str, site: tuple[int, int], kept: list[tuple[int, int]]
               ) -> list[tuple[int, int]]:
    """The headline among the parts after a site's name at a title's start, where one mark
    parts them all (a trail of sections): the last after "»" ("Site » Blog » Headline"),
    else the one part of more words than the others, each short and capitalised as a
    section's name is ("Site - Section - Headline", "Site - Headline - Section - Page", not
    "Site - Headline - talks fail"); all of them if unclear."""
    between = {title[a_end:b_start].strip() for (_, a_end), (b_start, _) in zip(kept, kept[1:])}
    if between == {"»"}:
        return kept[-1:]
    if between != {title[site[1]:kept[0][0]].strip()}:
        return kept
    words = [len(title[a:b].split()) for a, b in kept]
    longest = max(words)
    if words.count(longest) == 1 and all(
            n <= _SITE_NAME_WORDS and not title[a:a + 1].islower()
            for (a, _), n in zip(kept, words) if n < longest):
        return [kept[words.index(longest)]]
    return kept


# Chinese, Japanese and Korean titles part a site's name with a mark written without spaces
# ("Headline-Site", "Headline_Site"; a dash "——" runs through headlines): a short last part
# after one, beside a longer headline, is the site's name.
_IDEOGRAPHS = "\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uff00-\uffef"
_IDEOGRAPHIC_SITE = re.compile(
    rf"(?<=[{_IDEOGRAPHS}]{{8}})[-_|](?=[{_IDEOGRAPHS}])[{_IDEOGRAPHS}\w.]{{1,8}}$")


def _title_spans(title: str, separators: re.Pattern) -> list[tuple[int, int]]:
    """(start, end) of each part of a title between its separators."""
    spans, start = [], 0
    for separator in separators.finditer(title):
        spans.append((start, separator.start()))
        start = separator.end()
    return spans + [(start, len(title))]


# The most words of a title part that may be a site's name or a section.
_SITE_NAME_WORDS = 5


def _unnamed_site(title: str, spans: list[tuple[int, int]]) -> Optional[int]:
    """Where a site whose name is not known stands in "Headline | Site": "|" parts a
    title whose last (or first) part is short beside a longer one; None if unclear."""
    words = [len(title[a:b].split()) for a, b in spans]
    for index in (len(spans) - 1, 0):
        rest = words[:index] + words[index + 1:]
        if title[spans[index][0] - 3:spans[index][0]].strip() == "|" or \
                title[spans[index][1]:spans[index][1] + 3].strip() == "|":
            if words[index] <= _SITE_NAME_WORDS and max(rest) > words[index]:
                return index
    return None


# The fewest words of a page's only <h1> that make it the headline against the metadata (a
# shorter one is often a section's or the site's name).
_SOLE_H1_WORDS = 4


def _sole_h1(headlines: list) -> bool:
    """Whether the page's headline (_h1) is its one <h1> text (of two words or more),
    however often shown; in an <article>, its article's one, beside those of widgets
    outside any (a newsletter's, a menu's)."""
    chosen = _h1(headlines)
    if chosen is None or chosen.tag != "h1":
        return False
    h1s = [node for node in _named_headlines(headlines) if node.tag == "h1"]
    if _in_article(chosen):
        h1s = [node for node in h1s if _in_article(node)]
    return len({_key(_text(node)) for node in h1s}) == 1


def _in_article(node) -> bool:
    return any(holder.tag == "article" for holder in node.iterancestors())


def _h1(headlines: list):
    """The first <h1> (of two words or more) in an <article>, else in <main>, else the
    first element marked as headline, else the first <h1>."""
    def rank(node) -> int:
        holders = {holder.tag for holder in node.iterancestors()} if node.tag == "h1" else ()
        return 0 if "article" in holders else 1 if "main" in holders else \
            2 if node.get("itemprop") == "headline" else 3
    named = list(enumerate(_named_headlines(headlines)))
    return min(named, key=lambda item: (rank(item[1]), item[0]))[1] if named else None


_LOGO = etree.XPath(  # an <h1> whose text is one link to the site's home page
    "self::h1[count(.//a) = 1 and normalize-space(.) = normalize-space(.//a)]"
    "//a[@href = '/' or re:test(@href, '^(https?:)?//[^/]+/?$')]",
    namespaces={"re": "http://exslt.org/regular-expressions"})


# The classes of an element shown to screen readers only ("Navigation und Service").
_UNSEEN_CLASS = re.compile(r"aural|sr-only|screen-reader|visually-hidden|navskip|skip-link",
                           re.IGNORECASE)


# The classes of a heading that is a kicker above the headline ("<h1 class='strapline'>").
_KICKER_CLASS = re.compile(r"(?<![\w-])(?:kicker|overline|strapline|dachzeile|roofline|"
                           r"eyebrow)(?![\w-])", re.IGNORECASE)


def _named_headlines(headlines: list) -> list:
    """The headline elements of two words or more, but a site's logo ("<h1><a href='/'>
    Island Post</a></h1>"), a heading for screen readers only and a kicker's."""
    return [node for node in headlines
            if len((_text(node) or "").split()) >= 2 and not _LOGO(node)
            and node.get("aria-hidden") != "true"
            and not _UNSEEN_CLASS.search(node.get("class", ""))
            and not _KICKER_CLASS.search(node.get("class", ""))]


def _kickers(headlines: list) -> list[str]:
    """The texts of headings marked as kickers: like a site's name, no part of a title's
    headline ("Headline - Kicker")."""
    return [_text(node) for node in headlines if _KICKER_CLASS.search(node.get("class", ""))]


# Elements a kicker stands in at the start of a headline (not emphasis or a link: "<b>Editor's
# Letter:</b> ..." is read as part of the headline).
_KICKER_TAGS = {"span", "div", "p", "small"}


def _without_kicker(node, others: list[str]) -> str:
    """The text of a headline element without a kicker standing in an element of its own
    at its start ("<h1><span>Rest hours</span> Ferry crews stop work</h1>"), where another
    source gives the rest as a headline: whole, or after a colon or a separator (with the
    kicker before it, "Rest hours: Ferry crews stop work"), not run on from the first
    words ("Ferry strike crews stop work": words set apart for style)."""
    text = _text(node)
    inner = node  # through wrappers ("<h1><a><span>Kicker</span> Headline</a></h1>")
    while len(inner) == 1 and not (inner.text or "").strip() \
            and not (inner[0].tail or "").strip():
        inner = inner[0]
    if not len(inner) or (inner.text or "").strip() or inner[0].tag not in _KICKER_TAGS:
        return text
    kicker = inner[0].text_content()
    rest = _clean(inner.text_content()[len(inner.text or "") + len(kicker):]).lstrip(
        " :|–—-")  # "<span>Kicker</span><span>: </span>Headline"
    words = " ".join(_words(rest)) + " "
    if not _words(kicker) or len(words.split()) < 2 or not any(
            (" ".join(_words(other[start.end():])) + " ").startswith(words)
            for other in others for start in _HEADLINE_START.finditer(other)):
        return text
    return rest


# Where a headline starts in a title: at its start, after a colon or a spaced separator.
_HEADLINE_START = re.compile(r"^|:\s*|\s[-–—|•·»]\s")


def _site_from_domain(tree, url: Optional[str], shared: Optional[str] = None
                      ) -> Optional[str]:
    """The part of "<title>" that spells the site's domain: "El Heraldo del Valle -
    ..." on heraldodelvalle.example; not the title given for sharing (``shared``, the
    og:title), a headline naming the site ("Blog: Heraldo's new look")."""
    host = urlsplit(url or "").hostname or ""
    label = re.sub(r"^(?:www|m|amp)\.", "", host).split(".")[0].replace("-", "")
    full = _text(tree.find(".//title"))
    if len(label) < 3 or not full:
        return None
    parts = _TITLE_PARTS_FOR_DOMAIN.split(full)
    matching = []
    for part in parts if len(parts) > 1 else ():  # a title of one part is no site name
        squashed = re.sub(r"[^a-z0-9]", "", _key(part).replace(" ", ""))
        if squashed and (label in squashed or squashed in label) and len(part.split()) <= 6 \
                and _key(part) != _key(shared or ""):
            matching.append(part.strip())
    # the part closest to the domain: a headline may name the site too
    return min(matching, key=len) if matching else None


def _site_from_title(tree, title: Optional[str]) -> Optional[str]:
    full = _clean(_text(tree.find(".//title")) or "")
    if not full or not title:
        return None
    parts = [p.strip() for p in textlib.TITLE_SEPARATORS.split(full)]
    rest = [p for p in parts if _key(p) != _key(title) and _key(p) not in _key(title)]
    return rest[-1] if len(parts) > 1 and rest and len(rest[-1].split()) <= 6 else None


def _site_from_copyright(tree) -> Optional[str]:
    for node in tree.xpath("//footer | //*[contains(@class, 'footer')] | //*[contains(@class, "
                           "'copyright')]")[:_FOOTERS_READ]:
        match = _COPYRIGHT.search(_clean("".join(_leading_text(node, _FOOTER_CHARS_READ))))
        if match:
            name = match.group(1).strip(" .,")
            name = re.sub(r"^(?:editorial|ediciones|media|group)\s+", "", name,
                          flags=re.IGNORECASE)
            name = re.split(r"\s+(?:S\.A|Ltd|LLC|Inc|GmbH|All|Todos|Tous)\b", name)[0].strip()
            if 1 <= len(name.split()) <= 5:
                return name
    return None


def _leading_text(node, chars: int) -> Iterator[str]:
    """The node's text (as text_content has it) up to about chars characters."""
    for chunk in node.itertext():
        yield chunk[:chars]
        chars -= len(chunk)
        if chars <= 0:
            return


# ---- authors ------------------------------------------------------------------------

_ROLE = re.compile(
    r"\b(?:staff|writer|reporter|correspondent|editor|contributor|columnist|journalist|"
    r"bureau|chief|senior|associate|special|producer|photographer|analyst|"
    r"redacci[oó]n|r[ée]daction|corresponsal|periodista|author|autor|autorin|auteur|"
    r"kolumnist(?:in)?|redakteur(?:in)?|korrespondent(?:in)?|ph\.?d|m\.?d|msc|mba|dipl)\b",
    re.IGNORECASE)
_AGENCY = re.compile(
    r"\b(?:wire|news|press|agency|agence|service|reuters|afp|ap|associated|bloomberg|"
    r"times|post|herald|daily|dispatch|journal|tribune|network|media|desk|online|"
    r"programs?|programmes?|foundations?|institute|institut|department|ministry|council|"
    r"committee|association|university|universität|verein|verband|stiftung|magazines?|"
    r"magazin|zeitung|blogs?|shop|store|club|group|gruppe|gmbh|ag|today|noticias|diario|"
    r"jornal|policy|\w*nachrichten|\w*institut)\b",
    re.IGNORECASE)
_NAME_WORD = re.compile(r"^(?:[A-ZÀ-Þ][\w'’.-]*|de|da|del|della|di|du|van|von|der|den|le|la|"
                        r"al|el|bin|ibn|y|dos|das|do|e)$")


def _authors(tree, objects, meta, bylines: list[tuple[str, bool]], site_names: list[str],
             url: Optional[str], declared: list[Optional[str]]) -> list[str]:
    """The authors the page's structured data names (JSON-LD, else meta tags; the meta
    tags where only they name someone a byline names too, and not against a byline
    naming a person), with the co-authors of a byline
    that names one of them (structured data sometimes names only the first); without
    structured data, the first byline that names someone, else the first links to an
    author's page. Bylines elsewhere on the page credit other articles, photos or
    comments. Author lists name people: the site's own name is no author, nor a newsroom.
    Where the page credits no one else, a person or pseudonym the site is named after
    is ("zahlenzauberin.wordpress.com" by "zahlenzauberin", a JSON-LD Person), not the
    name the site declares for itself (og:site_name, publisher) nor a newsroom's
    ("Redaktion", "Staff"). Failing all these: the person a personal site is named
    after (_site_owner), the post's author answering in its comments
    (_answering_author), a forum thread's first poster (_thread_starter)."""
    sites = {_squashed(name) for name in site_names}
    found = [name for name in _named_authors(tree, objects, meta, bylines, sites)
             if not NEWSROOM.search(name)]
    if found or not sites:
        return found
    persons = {_squashed(name) for o in objects for name in _typed_persons(o.get("author"))}
    publishers = {_squashed(name) for name in declared if name}
    return [name for name in _named_authors(tree, objects, meta, bylines, set()) or
            _marked_author(objects, bylines)
            if not NEWSROOM.search(name) and (
                _squashed(name) in persons or _squashed(name) not in publishers)] or \
        _site_owner(site_names, url, persons | {
            _squashed(name) for name in _person_names([o.get("author") for o in objects]) +
            [meta[k] for k in _AUTHOR_META if meta.get(k)]}) or \
        _answering_author(tree) or _thread_starter(tree)


# WordPress marks the comments of the post's own author "bypostauthor"; the name is in the
# comment's author element (its "fn" where the theme has one).
_POST_AUTHOR_COMMENTS = etree.XPath(_class_holders("bypostauthor"))
_COMMENT_AUTHORS = (etree.XPath(".//*[contains(concat(' ', @class, ' '), ' fn ')]"),
                    etree.XPath(".//*[contains(@class, 'comment-author')]"))


def _answering_author(tree) -> list[str]:
    """The name on the post author's own comment under it."""
    for comment in _POST_AUTHOR_COMMENTS(tree)[:1]:
        for holders in (find(comment) for find in _COMMENT_AUTHORS):
            if holders:
                return clean_authors([_spaced_text(holders[0])], structured=True)
    return []


# A forum's posts (XenForo's markup) carry their author's name; the first is the thread's.
_FORUM_POST_AUTHORS = etree.XPath("//article[@data-author]/@data-author")


def _thread_starter(tree) -> list[str]:
    return clean_authors(_FORUM_POST_AUTHORS(tree)[:1], structured=True)


# The shortest owner's name a site's address is taken to spell (not "anna", "news").
_OWNER_LETTERS = 6
_INITIALLED = re.compile(r"(?:[A-ZÀ-Þ]\.\s?)+[A-ZÀ-Þ][\w'’-]+")  # "C.Doe", "J. R. Doe"
_HONORIFIC = re.compile(r"(?i)(?:dr|prof|mag|dipl|mr|mrs|ms)\.?")


def _site_owner(site_names: list[str], url: Optional[str], named: set) -> list[str]:
    """The person a personal site is named after, as its address spells the name, where
    the page marks it as a person's: a title ("Dr. Jane Roe" on janeroe.example), initials
    ("J.Roewer" on jroe.blog.example), a possessive ("Jane Roe's Notes" on
    jane-roe.example) or the page's author markup naming it (``named``, squashed). Not
    a site whose name merely looks like one ("Twin Cities" on twincities.example,
    "Harbour Deutschland" on harbour.example), nor a copyright notice's holder: a firm's
    name as often as a person's."""
    host = (_domain_label(url) or "").split(".")[0]
    label = re.sub(r"\W|_", "", host.casefold())
    if len(label) < _OWNER_LETTERS:
        return []
    for site in site_names:
        words = _clean(site).split()
        for start, end in itertools.combinations(range(len(words) + 1), 2):
            owner = re.sub(r"['’]s?$", "", " ".join(words[start:end]))
            squashed = _squashed(owner)
            if len(squashed) < _OWNER_LETTERS or not (
                    label.startswith(squashed) or squashed.startswith(label)):
                continue
            if _INITIALLED.fullmatch(owner) or _is_person_name(owner) and (
                    start and _HONORIFIC.fullmatch(words[start - 1])
                    or end < len(words) and re.search(r"['’]s?$", words[end - 1])
                    or squashed in named) and not NEWSROOM.search(owner):
                return [owner]
    return []


# A blog on a host's subdomain declares its owner's name as its own.
_BLOG_HOST = re.compile(r"^https?://[^/]+\.(?:wordpress\.com|blogspot\.[a-z.]+|tumblr\.com|"
                        r"substack\.com)(?:/|$)")
# Words of a newsroom's or organisation's name, not a person's.
NEWSROOM = re.compile(r"(?i)\b(?:redaktion|redacci[oó]n|redazione|r[ée]daction|staff|team|"
                      r"webteam|newsroom|desk|reports?|news|presse?|media|verlag|online|"
                      r"agency|agentur)\b")


# The most words of an author the page's author markup names as a whole.
_MARKED_AUTHOR_WORDS = 6


def _marked_author(objects, bylines: list[tuple[str, bool]]) -> list[str]:
    """The first author the page's author markup names whole (JSON-LD's persons, an
    element marked as author) where the name checks find no person's name in it: a
    pseudonym ("Der Tiefseetaucher"), which _authors then keeps unless a newsroom's or
    the site's. Not a meta tag's: often the web designer's."""
    values = [*(name for o in objects for name in _person_names(o.get("author"))),
              *(_credited(text) for text, holds_name in bylines if holds_name)]
    for value in values:
        name = _trimmed(textlib.AUTHOR_CREDIT.sub("", _NAME_LABEL.sub("", _clean(value))))
        if any(c.isalpha() for c in name) and len(name.split()) <= _MARKED_AUTHOR_WORDS \
                and ":" not in name \
                and not any(c.isdigit() or c in "{}" for c in name) \
                and not name.casefold().startswith("www.") \
                and not (_NO_AUTHOR.match(name) or _CALENDAR_WORD.match(name)
                         or _CREDIT_WORD.match(name) or _ROLE.search(name)
                         or _AGENCY.search(name)):
            return [_name_case(name)]
    return []


def _typed_persons(value) -> list[str]:
    """The names of a JSON-LD author typed as a Person."""
    if isinstance(value, dict):
        return [value["name"]] if isinstance(value.get("name"), str) and \
            "person" in _types(value) else []
    if isinstance(value, list):
        return [n for v in value for n in _typed_persons(v)]
    return []


def _named_authors(tree, objects, meta, bylines: list[tuple[str, bool]], sites: set
                   ) -> list[str]:
    """_authors, leaving out the names of ``sites`` (squashed)."""
    lines = [names for names in (
        clean_authors([_credited(text)], structured=holds_name, sites=sites)
        or clean_authors([text], structured=holds_name, sites=sites)
        for text, holds_name in bylines) if names]
    json_ld = clean_authors([_as_written(tree, name) for o in objects
                             for name in _person_names(o.get("author"))],
                            structured=True, sites=sites)
    tags = clean_authors([meta[k] for k in _AUTHOR_META if meta.get(k) and "://" not in meta[k]],
                         structured=True, sites=sites)
    sources = [names for names in (json_ld, tags) if names]
    # a meta tag is often the site's, a company's or an editor's name, not the visible byline's
    bylined_person = any(" " in name for names in lines for name in names)
    structured = next((names for names in sources if _bylined(names, lines)), None) or \
        json_ld or (tags if not bylined_person else [])
    if not structured and not lines:
        lines = [names for names in (
            clean_authors([_text(link)], structured=True, sites=sites)
            for link in tree.xpath(_AUTHOR_PAGE_LINKS)[:2]) if names]
    if not structured:  # a name rather than initials ("JL") before it
        return next((names for names in lines if any(len(name) > _INITIALS for name in names)),
                    lines[0] if lines else [])
    known = {name.casefold() for name in structured}
    line = _bylined(structured, lines)
    return structured + [n for n in line if n.casefold() not in known] if line else structured


_INITIALS = 3  # the most letters of a one-word name that stands for initials
# A user name made of a person's names ("jane.doe", "jane_doe"), not a site's address.
_USER_NAME = re.compile(r"(?!www\.)[^\W\d_A-Z]{2,}(?:[._][^\W\d_A-Z]{2,})+")
_DOMAIN_END = re.compile(r"\.(?:com|net|org|info|de|at|ch|pl|es|it|fr|uk|eu|cat)$")


def _as_written(tree, name: str) -> str:
    """A user name made of a person's names as the page writes the name ("jane.doe":
    "Jane P. Doe" in a caption or a signature), else those names ("Jane Doe")."""
    if not _USER_NAME.fullmatch(name) or _DOMAIN_END.search(name):
        return name
    parts = re.split(r"[._]", name)
    written = re.search(r"\b" + r"(?:\s+[A-ZÀ-Þ]\.)*\s+".join(map(re.escape, parts)) + r"\b",
                        " ".join(tree.xpath("//body//text()")), re.IGNORECASE)
    return written.group(0) if written else " ".join(part.capitalize() for part in parts)


def _bylined(names: list[str], lines: list[list[str]]) -> Optional[list[str]]:
    """The first byline's names that name one of these."""
    known = {name.casefold() for name in names}
    return next((line for line in lines if known & {name.casefold() for name in line}), None)


def _credited(byline: str) -> str:
    """What follows a byline's credit words or label, where its names start ("Yes! | By
    Jane Doe | 13 April": "Jane Doe | 13 April")."""
    found = _CREDIT_IN_LINE.search(byline)
    return byline[found.end():] if found else byline


# Labels before a name ("Veröffentlicht von", "Author", glued as in "AuthorJane Doe") and
# links and handles after it ("Jane Doe Twitter", "Jane Doe @janedoe") that a byline's
# text runs into the name.
_NAME_LABEL = re.compile(
    r"^(?:(?:posted|published|written|submitted|veröffentlicht|geschrieben|eingestellt|"
    r"gepostet|gespeichert|eingereicht|verfasst|artikel|ein beitrag|"
    r"publié|écrit|publicado|escrito|pubblicato|scritto)\s+(?:by|von|par|por|da)\s+|"
    r"(?:author|autor|autorin|auteur|autore)(?:\s*:\s*|\s+|(?=[A-Z])))", re.IGNORECASE)
_NAME_TRAILER = re.compile(
    r"\s+(?:@\w+|twitter|facebook|instagram|linkedin|e-?mail|shares?|last|latest|bio|more|"
    r"follow|folgen|seguir|suivre|segui|view|all|posts?)\b.*$", re.IGNORECASE)
# A name as structured data may give it: a pseudonym or a handle of one word.
_HANDLE = re.compile(r"^[^\W\d_][^\W_]*(?:['’-][^\W_]+)*$")
_CREDIT_WORD = re.compile(r"^(?:by|von|por|par|de|di|da)$", re.IGNORECASE)
_NO_AUTHOR = re.compile(r"^(?:no author|admin|administrator|anonymous|guest|none|null|"
                        r"follow|folgen|seguir|suivre|segui)$",
                        re.IGNORECASE)
# The days of the week and the months (English, German, French, Spanish, Italian,
# Portuguese): a date's words, which a byline's line runs into, are no pseudonym.
_CALENDAR_WORD = re.compile(
    r"^(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|montag|dienstag|mittwoch|"
    r"donnerstag|freitag|samstag|sonnabend|sonntag|lundi|mardi|mercredi|jeudi|vendredi|"
    r"samedi|dimanche|lunes|martes|miércoles|jueves|viernes|sábado|domingo|lunedì|martedì|"
    r"mercoledì|giovedì|venerdì|sabato|domenica|segunda|terça|quarta|quinta|sexta|"
    r"january|february|march|april|may|june|july|august|september|october|november|"
    r"december|januar|februar|märz|mai|juni|juli|oktober|dezember|janvier|février|mars|"
    r"avril|juin|juillet|août|septembre|octobre|novembre|décembre|enero|febrero|marzo|"
    r"abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre|gennaio|"
    r"febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre)$", re.IGNORECASE)


def clean_authors(values: Iterable[str], structured: bool = False,
                  sites: Iterable[str] = ()) -> list[str]:
    """Person names from byline strings: no "By", roles, agencies, dates or "Staff".
    ``structured``: the values name authors (JSON-LD, meta tags), so a one-word name is
    a pseudonym, not a stray word of a byline. ``sites``: the site's names (squashed),
    which are not authors."""
    out: list[str] = []
    sites = set(sites)
    for value in values:
        value = _NAME_LABEL.sub("", _clean(str(value)))  # before "posted" ends the name
        if _squashed(value) in sites:
            continue
        value = re.split(r"\b(?:photographs?|photos?|pictures?|images?|video|illustrations?)"
                         r"\s+by\b|\b(?:updated|published|posted|veröffentlicht|"
                         r"aktualisiert|publié|mis à jour|publicado|actualizado)\b|"
                         r"\d{1,2}:\d{2}|"
                         r"\b\d{4}\b|\b\d{1,2}[./]\d{1,2}[./]|\(", value,
                         flags=re.IGNORECASE)[0]
        names = [_once(_trimmed(_NAME_TRAILER.sub("", _NAME_LABEL.sub("", _LABELLED_NAME.sub(
            "", _FOR_OR_IN.sub("", _trimmed(textlib.AUTHOR_CREDIT.sub("", _trimmed(part)))))))))
            for part in re.split(r"\s*(?:,|;|\||/|&|\b(?i:and|und)\b|\by\b|\bet\b|\be\b)\s*",
                                 value)]
        persons = [name for name in names if _is_person_name(name)]
        # a pseudonym is a value of its own or beside names, not the last word of an
        # organisation's ("Ministry of Roads and Harbours")
        handles = [name for name in names if structured and _is_handle(name)] \
            if persons or len(names) == 1 else []
        for name in names:
            if (name in persons or name in handles) and _squashed(name) not in sites:
                name = _name_case(name)
                if name.casefold() not in (n.casefold() for n in out):
                    out.append(name)
    return out


def _once(name: str) -> str:
    """A name its element's text gives twice ("Ana Lima Ana Lima") once."""
    words = name.split()
    half = len(words) // 2
    return " ".join(words[:half]) if half and words[:half] == words[half:] else name


# What follows a name in a byline: the paper it writes for, the section it files in, the
# day it was posted ("Jane Doe for the Harbour Post", "Jane Doe in Politics", "Jane Doe on
# 24 July", "Jane Doe am 24. Juli").
_FOR_OR_IN = re.compile(r"\s+(?:for|para|pour|in|(?:on|am|le|el|il)(?=\s+\d))\s+.*$",
                        re.IGNORECASE)
# A label's word before "von" and a name of two words or more ("Pressemitteilung von Jane
# Doe"), not a name's own "von" ("Otto von Bismarck", "Ursula von der Leyen").
_LABELLED_NAME = re.compile(r"^[A-ZÄÖÜ]\w+\s+vo[nm]\s+(?=[A-ZÀ-Þ][\w'’.-]*\s+[A-ZÀ-Þ])")


def _trimmed(name: str) -> str:
    """A name without the punctuation and quotes around it; the full stop of a final
    initial stays ("Nicolas Gutierrez C.")."""
    name = name.strip(" :-–—'\"’“”«»")
    while name.endswith(".") and not _FINAL_INITIAL.search(name) or name.startswith("."):
        name = name.strip(".").strip(" :-–—'\"’“”«»")
    return name


_FINAL_INITIAL = re.compile(r"(?:^|\s)[A-ZÀ-Þ]\.$")


def _squashed(name: str) -> str:
    """A name as a domain spells it: "Die Furche", "diefurche.at" -> "diefurche"."""
    name = re.sub(r"^(?:https?://)?(?:www\.)?", "", name.casefold())
    name = re.sub(r"\.(?:com|net|org|info|news|co|[a-z]{2})(?:\.[a-z]{2})?/?$", "", name)
    return re.sub(r"\W|_", "", name)


def _domain_label(url: Optional[str]) -> Optional[str]:
    host = urlsplit(url or "").hostname or ""
    return re.sub(r"^(?:www|m|amp)\.", "", host) or None


def _is_handle(name: str) -> bool:
    """A pseudonym or initials ("mh"): one word, more than a letter, not a credit word
    or a role."""
    return bool(_HANDLE.match(name)) and len(name) >= 2 and not _NO_AUTHOR.match(name) \
        and not _CALENDAR_WORD.match(name) \
        and not (_ROLE.search(name) or _AGENCY.search(name) or _CREDIT_WORD.match(name))


def _is_person_name(name: str) -> bool:
    words = name.split()
    if not 2 <= len(words) <= 5 or any(c.isdigit() for c in name) or words[0] == "The":
        return False
    if _ROLE.search(name) or _AGENCY.search(name):
        return False
    return all(_NAME_WORD.match(w) for w in words) and words[0][:1].isupper() \
        and words[-1][:1].isupper()  # "Artikel von" is no name


def _name_case(name: str) -> str:
    """"LUCÍA HERNÁNDEZ" -> "Lucía Hernández"; mixed case and initials ("JL") are kept as
    written."""
    if name.upper() != name or len(name) <= _INITIALS:
        return name
    return " ".join(w if w.lower() in ("de", "da", "del", "van", "von", "al", "el", "bin")
                    else w.capitalize() for w in name.split())


def _person_names(value) -> list[str]:
    """The names of a JSON-LD author value: a name, an object (also written as a string
    of JSON), a list of them; not a reference to one by its address."""
    if isinstance(value, str):
        if value.lstrip().startswith("{"):
            try:
                return _person_names(json.loads(value))
            except ValueError:
                return []
        return [] if "://" in value else [value]
    if isinstance(value, dict):
        return [value["name"]] if isinstance(value.get("name"), str) and \
            "organization" not in _types(value) else []
    if isinstance(value, list):
        return [n for v in value for n in _person_names(v)]
    return []


# Links to an author's page on the site (not in a menu of all authors): their text is
# the author's name; the last resort, after bylines.
_AUTHOR_PAGE_LINKS = "//a[{}][not(ancestor::nav or ancestor::*[{}])]".format(
    " or ".join(f"contains(@href, '/{folder}/')" for folder in (
        "author", "authors", "autor", "autoren", "auteur", "staff")),
    " or ".join(f"contains(@{attribute}, '{part}')" for attribute in ("class", "id")
                for part in ("menu", "nav")))


_BYLINE_HOLDERS = etree.XPath("({})[not(ancestor::form)]".format(" | ".join((
    "//byline",  # (an element of its own in some publishing systems)
    _attribute_holders("rel", ". = 'author'"), _attribute_holders("itemprop", ". = 'author'"),
    _attribute_holders("id", "contains(., 'author')"),
    _class_holders("by", "author", "autor", "contributor", "meta", "submitted")))))
_BYLINES_READ = 4


def _byline_texts(tree) -> list[tuple[str, bool]]:
    """Short texts that name the authors, each with whether its element holds a name
    (marked rel=author, itemprop=author or with the class or id "author", so that a
    one-word name in it is a pseudonym): elements marked as author or byline (not in a form: a
    comment form's "author" field), and lines starting "By ..." (also "Por", "Par",
    "Von") in sites with no such markup."""
    texts = []
    nodes = [node for node in _BYLINE_HOLDERS(tree)
             if not _NOT_BYLINE_CLASS.search(node.get("class", "") + " " + node.get("id", ""))
             and node.tag not in ("html", "body", "article", "main")]
    short = _texts_shorter_than(nodes, 200)
    for node in nodes:
        text = short.get(node)
        if not text:
            continue
        holds_name = node.get("rel") == "author" or node.get("itemprop") == "author" or \
            bool(_AUTHOR_CLASS.search(node.get("class", "") + " " + node.get("id", "")))
        if holds_name or _BYLINE_CLASS.search(node.get("class", "")) or \
                _CREDIT_IN_LINE.search(text):
            texts.append((text, holds_name))
    if len(texts) < _BYLINES_READ:  # (the lines are slow to find)
        texts += [(_spaced_text(node), False) for node in _BYLINE_LINES(tree)]
    return texts[:_BYLINES_READ]


# ---- dates --------------------------------------------------------------------------

def _published(tree, json_ld: list[str], objects, meta, url, canonical_link: Optional[str],
               bylines: list[str], headlines: list, title: Optional[str], latest: dt.date,
               date_search: bool = True
               ) -> tuple[Optional[dt.datetime], Optional[dt.date], bool, Optional[str]]:
    """(the instant in UTC, the day as the page states it, whether the instant is a time
    stated with its zone, "html" or "url").

    The day is htmldate's (looking for the original publication date): on real pages it
    beats any single source, JSON-LD included, whose times are often in UTC when the page
    shows the local day. A time the page states with its own zone wins over a day that
    is its conversion (_zoned_day). The instant
    is the page's own time of that day, else its midnight UTC. Without a day from htmldate,
    the page's own sources in order of reliability. htmldate gives the 1st of a month
    for a month or a year without a day: such a day counts only if the page states it.
    A day the page's text labels as published ("Erschienen am 26.01.2026"), when it labels
    no other, wins over all; then a day the page shows with its headline (a date line
    just below it) wins over
    htmldate's, which may be a comment's, a related story's or an update's; shown further
    away, where the page's metadata name it too."""
    stated = _stated_times(tree, objects, meta, (url, canonical_link), bylines)
    shown, distance = _day_by_headline(headlines, title)
    labelled = _labelled_day(tree)
    if labelled and labelled <= latest and labelled.year >= 1990:
        day = labelled
    elif shown and shown <= latest and shown.year >= 1990 and (
            distance <= _CHARS_SHOWN_WITH_HEADLINE
            or any(value.date() == shown for value, source in stated
                   if source in ("json-ld", "meta"))):
        day = shown
    else:  # htmldate's search (the slowest) only where the page shows no day it prefers
        day = _htmldate_day(tree, json_ld, url, latest) if date_search else None
        if day and day.day == 1 and not any(value.date() == day for value, _ in stated) \
                and not dates.day_written_in(tree.text_content(), day):
            day = None  # the 1st stands for a month or year alone (an image's folder, "© 2026")
    if day is None:
        found = next(((value, source) for value, source in stated
                      if value.date() <= latest), None)
        if found is None:
            return None, None, False, None
        value, source = found
        return (dates.to_utc(value), value.date(), value.tzinfo is not None,
                "url" if source == "url" else "html")
    day = _zoned_day(stated, day, latest)
    sources = [source for value, source in stated if value.date() == day]
    timed = next((value for value, _ in stated if value.date() == day), None)
    published = dates.to_utc(timed) if timed else dt.datetime(
        day.year, day.month, day.day, tzinfo=dt.timezone.utc)
    return (published, day, timed is not None and timed.tzinfo is not None,
            "url" if sources == ["url"] * len(sources) and sources else "html")


# How far from the headline (in characters of text) a day written near it is looked for:
# after it (a byline, a date line, a closing "Created on") and before it (a kicker line);
# within _CHARS_SHOWN_WITH_HEADLINE it is the story's day, further only where the page's
# metadata name that day too. A date line is at most _DATE_LINE_CHARS long.
_CHARS_AFTER_HEADLINE, _CHARS_BEFORE_HEADLINE = 1500, 150
_CHARS_SHOWN_WITH_HEADLINE = 300
_DATE_LINE_CHARS = 60


def _day_by_headline(headlines: list, title: Optional[str]
                     ) -> tuple[Optional[dt.date], int]:
    """(the day written nearest the page's headline, how many characters from it), as
    readers see the date of a story: the first after it, else the last before it; in a
    short text of its own (a date line, a byline), not in a sentence (a standfirst or a
    caption telling of another day)."""
    node = _headline_node(headlines, title)
    if node is None:
        return None, 0
    for texts, chars in ((_texts_after(node), _CHARS_AFTER_HEADLINE),
                         (_texts_before(node), _CHARS_BEFORE_HEADLINE)):
        near = [text.strip() for text in _text_until(texts, chars)]
        near = [text for text in near if text]
        distance = 0
        for index, text in enumerate(near):
            if len(text) <= _DATE_LINE_CHARS:
                day = dates.first_day_written(text, near[index - 1] if index else "")
                if day:
                    return day, distance
            distance += len(text)
    return None, 0


# A day the page's text labels as the publication's: "Erschienen am 26. Jan 2026",
# "Published on 26 January 2026", "Publié le 26 janvier 2026".
_PUBLISHED_LABEL = re.compile(
    r"\b(?:erschienen|veröffentlicht|published|publié|publicado|pubblicato|publicat)"
    r"(?:\s+(?:am|on|le|el|em|il))?\s*:?\s+(?=\d|[^\W\d])", re.IGNORECASE)


# Parts of those words, looked for in the page's text at C speed (most pages have none),
# then in its texts by XPath's own substring test.
_PUBLISHED_LABEL_PARTS = ("rschienen", "eröffentlicht", "ublish", "ublié", "ublicad",
                          "ubblicat", "ublicat")
_PUBLISHED_LABEL_WORD = re.compile("|".join(_PUBLISHED_LABEL_PARTS))
_PUBLISHED_LABEL_TEXTS = "//body//text()[{}]".format(" or ".join(
    f"contains(., '{part}')" for part in _PUBLISHED_LABEL_PARTS))
_LABELLED_DAY_CHARS = 30  # "26. Januar 2026" or "Monday, September 30, 2026"


def _labelled_day(tree) -> Optional[dt.date]:
    """The one day the page's text labels as published ("Erschienen am 26.01.2026")."""
    if not _PUBLISHED_LABEL_WORD.search(tree.text_content()):
        return None
    days = set()
    for found in tree.xpath(_PUBLISHED_LABEL_TEXTS):  # the texts holding a label, and on
        holder = found.getparent()
        text = _clean(" ".join(_text_until(itertools.chain(
            [found] if found.is_tail else _texts_in(holder), _texts_after(holder)),
            len(found) + _LABELLED_DAY_CHARS)))
        days |= {dates.first_day_written(text[label.end():label.end() + _LABELLED_DAY_CHARS])
                 for label in _PUBLISHED_LABEL.finditer(text)}
    days.discard(None)
    return days.pop() if len(days) == 1 else None  # several: a list of stories


def _headline_node(headlines: list, title: Optional[str]):
    if not title:
        return None
    key = _key(title)
    for node in headlines:
        text = _key(node.text_content())
        if text and (text == key or key in text or len(text) > 20 and text in key):
            return node
    # else the page's first <h1> that is a headline (not a logo's)
    return next((node for node in headlines if node.tag == "h1"
                 and len(node.text_content().split()) >= 2), None)


def _text_until(texts: Iterable[str], chars: int) -> Iterator[str]:
    for text in texts:
        yield text
        chars -= len(text)
        if chars <= 0:
            return


def _texts_after(node) -> Iterator[str]:
    """The texts after an element's own, in document order."""
    while node is not None:
        if node.tail:
            yield node.tail
        for sibling in node.itersiblings():
            yield from _texts_in(sibling)
            if sibling.tail:
                yield sibling.tail
        node = node.getparent()


def _texts_before(node) -> Iterator[str]:
    """The texts before an element, nearest first."""
    while node is not None:
        for sibling in node.itersiblings(preceding=True):
            if sibling.tail:
                yield sibling.tail
            yield from reversed(list(sibling.itertext()))  # (C speed: may be long)
        node = node.getparent()
        if node is not None and node.text:
            yield node.text


_UPDATE_MARK = re.compile(r"modif|updat", re.IGNORECASE)


def _texts_in(element) -> Iterator[str]:
    """The texts inside an element (as itertext), without those of elements marked as an
    update's time ("dateModified", class "updated")."""
    if _UPDATE_MARK.search(f"{element.get('class')} {element.get('itemprop')}"):
        return
    if element.text:
        yield element.text
    for child in element:
        if isinstance(child.tag, str):
            yield from _texts_in(child)
        if child.tail:
            yield child.tail


def _zoned_day(stated: list[tuple[dt.datetime, str]], day: dt.date, latest: dt.date
               ) -> dt.date:
    """The day of a time the page states in its own zone (not UTC) when the day found is
    one off from it: the JSON-LD's first publication time, or another time (meta tags,
    <time>) when no time on the day found is another instant. The day found is then that
    time's conversion (a UTC stamp, a day read without its zone)."""
    first_json_ld = next((value for value, source in stated if source == "json-ld"), None)
    zoned = next((value for value, source in stated
                  if source in ("json-ld", "meta", "time") and dates.states_own_offset(value)),
                 None)
    if zoned is None or abs((zoned.date() - day).days) != 1 or zoned.date() > latest:
        return day
    if zoned is not first_json_ld and any(
            value.date() == day and value.tzinfo is not None and value != zoned
            for value, _ in stated):
        return day  # another moment on the day found: a second date, not a conversion
    return zoned.date()


def _htmldate_day(tree, json_ld: list[str], url: Optional[str],
                  latest: dt.date) -> Optional[dt.date]:
    """htmldate's publication day of the page. Its JSON-LD blocks, removed from the tree
    with the scripts, are put back in its head for the search and taken out again."""
    head = tree.find("head")
    holder = head if head is not None else tree
    added = []
    for block in json_ld:
        script = lxml_html.Element("script", type="application/ld+json")
        script.text = block
        holder.append(script)
        added.append(script)
    try:
        found = htmldate.find_date(tree, url=url, extensive_search=True, original_date=True,
                                   max_date=latest.isoformat())
    except Exception:  # htmldate fails on some malformed pages: no day from it
        found = None
    finally:
        for script in added:
            holder.remove(script)
    try:
        return dt.date.fromisoformat(found) if found else None
    except ValueError:
        return None


def _stated_times(tree, objects, meta, addresses: tuple, bylines: list[str]
                  ) -> list[tuple[dt.datetime, str]]:
    """(time as stated, source) of every publication time the page gives, most reliable
    first: JSON-LD, meta tags, <time> marked as published, the page's addresses (its URL
    and canonical link), a written date."""
    found = []
    for source, values in (
            ("json-ld", [o.get("datePublished") for o in objects]),
            ("meta", [meta.get(k) for k in _PUBLISHED_META]),
            ("time", _published_times(tree)),
            ("url", [_url_date(address) for address in addresses]),
            ("byline", [dates.written_date(t) for t in bylines
                        + _dateline_texts(tree)])):
        for value in values:
            parsed = dates.parse_stated(value) if value else None
            if parsed and parsed.year >= 1990:
                found.append((parsed, source))
    return found


_PUBLISHED_TIMES = etree.XPath(
    "//time[@datetime] | " + _attribute_holders("itemprop", ". = 'datePublished'"))


def _published_times(tree) -> list[str]:
    found = []
    for node in _PUBLISHED_TIMES(tree):
        marks = " ".join([node.get("class", ""), node.get("itemprop", ""),
                          node.getparent().get("class", "") if node.getparent() is not None
                          else ""]).lower()
        if "modif" in marks or "updat" in marks or node.xpath("ancestor::*[contains(@class, "
                                                             "'comment')]"):
            continue
        value = node.get("datetime") or node.get("content")
        if value:
            found.append((0 if "publish" in marks or "pubdate" in marks else 1, value))
    return [v for _, v in sorted(found, key=lambda f: f[0])]


_DATELINE_HOLDERS = etree.XPath(_class_holders("date", "time", "meta", "posted"))


def _dateline_texts(tree) -> list[str]:
    nodes = _DATELINE_HOLDERS(tree)
    short = _texts_shorter_than(nodes, 120)
    return [short[node] for node in nodes if short.get(node)][:4]


def _url_date(url: Optional[str]) -> Optional[dt.datetime]:
    match = _URL_DATE.search(url or "")
    if not match:
        return None
    try:
        return dt.datetime(int(match.group(1)), int(match.group(2)), int(match.group(3)))
    except ValueError:
        return None


# ---- helpers ------------------------------------------------------------------------

def _json_ld_articles(blocks: Iterable[str]) -> Iterator[dict]:
    """The article objects of the JSON-LD blocks, with an author or publisher given as a
    reference to another object of the page ({"@id": ...}, as a "@graph" has them) replaced
    by that object."""
    nodes = []
    for block in blocks:
        try:
            nodes += _walk(json.loads(block))
        except ValueError:
            continue
    named = {node["@id"]: node for node in nodes
             if isinstance(node.get("@id"), str) and len(node) > 1}
    for node in nodes:
        if _types(node) & _ARTICLE_TYPES:
            yield {**node, **{key: _referenced(node[key], named)
                              for key in ("author", "publisher") if key in node}}


def _referenced(value, named: dict):
    """The object a reference names (references in a list each), else the value."""
    if isinstance(value, list):
        return [_referenced(item, named) for item in value]
    if isinstance(value, dict) and "name" not in value and \
            isinstance(value.get("@id"), str):
        return named.get(value["@id"], value)
    return value


def _walk(data):
    if isinstance(data, list):
        for item in data:
            yield from _walk(item)
    elif isinstance(data, dict):
        yield data
        for key in ("@graph", "mainEntity", "mainEntityOfPage"):
            if isinstance(data.get(key), (list, dict)):
                yield from _walk(data[key])


def _types(item: dict) -> set:
    value = item.get("@type", [])
    values = value if isinstance(value, list) else [value]
    return {str(v).lower() for v in values}


def _publisher(item: dict) -> Optional[str]:
    """The publisher's name, a site's; not a person's (a blog's author publishing it)."""
    publisher = item.get("publisher")
    if isinstance(publisher, list):
        publisher = publisher[0] if publisher else None
    return publisher.get("name") if isinstance(publisher, dict) and \
        "person" not in _types(publisher) else None


def _meta_tags(tree) -> dict:
    found: dict = {}
    for node in tree.xpath("//meta[@content]"):
        name = (node.get("property") or node.get("name") or node.get("itemprop") or "")
        if name:
            found.setdefault(name.strip().lower(), node.get("content").strip())
    return found


def _language(tree, meta) -> Optional[str]:
    value = tree.get("lang") or meta.get("og:locale") or meta.get("language")
    if not value:
        return None
    code = re.split(r"[-_]", value.strip().lower())[0]
    return code if re.fullmatch(r"[a-z]{2}", code) else None


def _text(node) -> Optional[str]:
    return None if node is None else _clean(node.text_content())


def _spaced_text(node) -> str:
    """Its elements' texts apart, as a line of page information shows them: "Jane Doe",
    "in", "Politics", not "Jane Doein Politics"."""
    return _clean(" ".join(node.itertext()))


def _texts_shorter_than(nodes: list, limit: int) -> dict:
    """node -> its _spaced_text, for the nodes (in document order) whose text is shorter than
    limit characters. A node holding a longer one is longer itself, so the deepest are
    read first and the ancestors of a long one are not read: a page wrapping 3 MB of text
    in 250 nested "meta" elements would otherwise be read 250 times (minutes)."""
    texts, too_long = {}, set()  # too_long: the long nodes read and their ancestors
    for node in reversed(nodes):  # descendants before their ancestors
        if node in too_long:
            continue
        text = _spaced_text(node)
        if len(text) < limit:
            texts[node] = text
            continue
        for holder in itertools.chain([node], node.iterancestors()):
            if holder in too_long:
                break
            too_long.add(holder)
    return texts


def _clean(text: str) -> str:
    """Spaces collapsed, soft hyphens and zero-width characters removed, and character
    references decoded (structured data often holds "&#8211;" encoded twice)."""
    if "&" in text:
        text = html_lib.unescape(text)
    return _SPACE.sub(" ", _INVISIBLE.sub("", text)).strip()


def _key(text: str) -> str:
    return _SPACE.sub(" ", re.sub(r"[^\w\s]", "", text.casefold())).strip()


def _words(text: str) -> list[str]:
    """The words of a text as compared (dashes and quotes of any kind left out)."""
    return _key(re.sub(r"[-‐‑‒–—―]", " ", text)).split()


def _unique(values) -> list[str]:
    out = []
    for value in values:
        if value and _clean(value) and _key(value) not in (_key(v) for v in out):
            out.append(_clean(value))
    return out


def parse(html: str):
    """An lxml tree of a page (as cleaning passes it to trafilatura)."""
    return lxml_html.document_fromstring(html)
