"""Raw items to article rows: main text, metadata, hashes and a stable id."""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
import logging
import re
from typing import Optional

import py3langid
import trafilatura

from newsbeam.schemas import ARTICLES

from . import dates, text as textlib
from .records import RawItem, Rejected
from .urls import canonical_url, domain, is_web_url


@dataclasses.dataclass(frozen=True)
class CleaningSettings:
    min_words: int = 20
    # A feed entry's own content stands in for a page that could not be fetched or
    # held no article only when it is a real article, not a one-line summary.
    min_entry_words: int = 80
    # Markup left after scripts, styles and comments are removed. Extraction time
    # grows with it (about 1.3 s per MB, much worse beyond 10 MB), so larger pages
    # are rejected rather than allowed to stall a worker.
    max_markup_chars: int = 4_000_000


# trafilatura logs an ERROR for every page it cannot parse; such a page becomes a
# reject row with the reason, so the log line would only be noise in every worker.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

_NON_CONTENT = re.compile(
    r"<(script|style|svg|noscript|template)\b.*?</\1\s*>|<!--.*?-->|\bdata:[\w/+.-]+;base64,[\w+/=]+",
    re.IGNORECASE | re.DOTALL)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)
_META_PUBLISHED = re.compile(
    r"""<meta[^>]+(?:property|name|itemprop)\s*=\s*["'](?:article:published_time|
        og:published_time|datePublished|pubdate|publishdate|publish-date|dc\.date\.issued|
        sailthru\.date|parsely-pub-date)["'][^>]*>""",
    re.IGNORECASE | re.VERBOSE)
_CONTENT_ATTR = re.compile(r"""content\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_JSONLD_PUBLISHED = re.compile(r""""datePublished"\s*:\s*"([^"]+)\"""")
_TITLE_SEPARATORS = re.compile(r"\s+[|\-–—:·•»]\s+")


def clean(item: RawItem, settings: CleaningSettings = CleaningSettings()) -> dict:
    """An articles row for the item (without country), or Rejected.

    A fetched page without an article falls back to the feed entry's own content
    when that is long enough; an entry whose page could not be fetched is rejected
    with the fetch's reason unless its own content is long enough.
    """
    fallback_words = max(settings.min_words, settings.min_entry_words)
    try:
        return _article(item, item.kind, item.body,
                        fallback_words if item.fetch_failure else settings.min_words,
                        settings)
    except Rejected as err:
        if item.entry_body:
            try:
                return _article(item, "fragment", item.entry_body, fallback_words, settings)
            except Rejected:
                raise err from None
        if item.fetch_failure:
            raise Rejected(*item.fetch_failure) from None
        raise


def _article(item: RawItem, kind: str, content: str, min_words: int,
             settings: CleaningSettings) -> dict:
    if kind == "page":
        extracted = _extract_page(content, item.url, settings)
    elif kind == "fragment":
        extracted = _Extracted(text=textlib.fragment_to_text(content))
    else:
        extracted = _Extracted(text=content)
    body = textlib.normalise(extracted.text or "")
    title = _clean_title(item.title or extracted.title, extracted.sitename)
    if not title and kind == "text":
        title, body = _headline_from_text(body)
    elif _is_headline(body.partition("\n\n")[0], (title, extracted.title)):
        body = body.partition("\n\n")[2]  # the headline repeated as the first line
    if not body:
        raise Rejected("empty_text", "no article text in the item")
    words = textlib.word_count(body)
    if words < min_words:
        raise Rejected("too_short", f"{words} words of text, fewer than {min_words}")

    url = canonical_url(extracted.url if is_web_url(extracted.url) else item.url) or item.url
    published, date_source = _publication(item, extracted, body)
    content_hash = textlib.content_hash(body)
    external_id = item.external_id
    source = item.source or extracted.sitename or domain(url) or "local"
    return ARTICLES.row(
        article_id=article_id(url, source, external_id, content_hash),
        url=url,
        external_id=external_id,
        input_ref=item.input_ref,
        source=source,
        feed_url=item.feed_url,
        title=title,
        authors=_clean_authors(item.authors or extracted.authors),
        published_at=published,
        date_source=date_source,
        ingested_at=item.ingested_at,
        language=detect_language(body) or item.language or extracted.language,
        content_source="feed_entry" if kind == "fragment" and item.feed_url else kind,
        categories=list(item.categories),
        text=body,
        word_count=words,
        content_hash=content_hash,
        story_id=content_hash,
        date=(published or item.ingested_at).date().isoformat(),
    )


def article_id(url: Optional[str], source: str, external_id: Optional[str],
               content_hash: str) -> str:
    """Same article, same id: from its web URL, else the input's id, else its text."""
    if is_web_url(url):
        return textlib.stable_id("url", url)
    if external_id:
        return textlib.stable_id("external", source, external_id)
    return textlib.stable_id("text", content_hash)


def detect_language(body: str) -> Optional[str]:
    """ISO 639-1 code of the text; None for texts too short to tell."""
    sample = body[:2000]
    if textlib.word_count(sample) < 5:
        return None
    return py3langid.classify(sample)[0]


@dataclasses.dataclass
class _Extracted:
    text: str
    title: Optional[str] = None
    authors: list = dataclasses.field(default_factory=list)
    published_at: Optional[dt.datetime] = None
    language: Optional[str] = None
    sitename: Optional[str] = None
    url: Optional[str] = None


def _extract_page(html: str, url: Optional[str], settings: CleaningSettings) -> _Extracted:
    markup = _XML_DECLARATION.sub("", _NON_CONTENT.sub(" ", html))
    if len(markup) > settings.max_markup_chars:
        raise Rejected("too_large", f"{len(markup):,} characters of markup after removing "
                       f"scripts and styles; the limit is {settings.max_markup_chars:,}")
    document = trafilatura.bare_extraction(
        markup, url=url if is_web_url(url) else None, with_metadata=True,
        include_comments=False, include_tables=True, include_images=False,
        favor_precision=True, deduplicate=False)
    if document is None or not (document.text or "").strip():
        if "<" not in html[:4096]:
            raise Rejected("not_html", "the file holds no HTML markup")
        raise Rejected("empty_text", "no article text found in the page")
    published = _meta_published(html) or dates.parse_datetime(document.date)
    return _Extracted(
        # trafilatura writes one paragraph per line
        text="\n\n".join(document.text.split("\n")),
        title=document.title,
        authors=[a for a in (document.author or "").split(";") if a.strip()],
        published_at=published,
        language=document.language,
        sitename=document.sitename,
        url=document.url,
    )


def _meta_published(html: str) -> Optional[dt.datetime]:
    """The full publication timestamp from meta tags or JSON-LD, when the page has one."""
    head = html[:300_000]
    for tag in _META_PUBLISHED.finditer(head):
        content = _CONTENT_ATTR.search(tag.group())
        value = dates.parse_datetime(content.group(1)) if content else None
        if value:
            return value
    for match in _JSONLD_PUBLISHED.finditer(head):
        value = dates.parse_datetime(json.loads(f'"{match.group(1)}"'))
        if value:
            return value
    return None


def _publication(item: RawItem, extracted: _Extracted,
                 body: str) -> tuple[Optional[dt.datetime], str]:
    candidates = (
        (item.published_at, item.date_source or "input"),
        (extracted.published_at, "html"),
        (dates.dateline_date(body, item.ingested_at), "text"),
        (item.captured_at, "captured"),
    )
    for value, source in candidates:
        value = dates.plausible_publication(value, item.ingested_at)
        if value:
            return value, source
    return None, "ingested"


def _clean_title(title: Optional[str], sitename: Optional[str]) -> Optional[str]:
    """The headline without a ' | Site Name' suffix or prefix."""
    if not title:
        return None
    title = " ".join(title.split())
    if sitename:
        parts = _TITLE_SEPARATORS.split(title)
        site = sitename.casefold()
        if len(parts) > 1 and parts[-1].casefold() == site:
            title = title[: title.rfind(parts[-1])].rstrip(" |-–—:·•»")
        elif len(parts) > 1 and parts[0].casefold() == site:
            title = title[len(parts[0]):].lstrip(" |-–—:·•»")
    return title or None


def _is_headline(line: str, titles) -> bool:
    """Whether a text's first line is its headline: a title, or a title's part before
    a site-name separator ("Mombasa dockers strike | The Courier")."""
    line = " ".join(line.split()).casefold()
    return bool(line) and any(
        line == " ".join(t.split()).casefold() or
        line == " ".join(_TITLE_SEPARATORS.split(t)[0].split()).casefold()
        for t in titles if t)


def _headline_from_text(body: str) -> tuple[Optional[str], str]:
    """A plain text's first paragraph is its headline when it reads like one."""
    first, _, rest = body.partition("\n\n")
    if rest and len(first.split()) <= 25 and not first.rstrip().endswith((".", ":", '"', "”")):
        return first.strip(), rest
    return None, body


def _clean_authors(names: list) -> list[str]:
    out: list[str] = []
    for name in names:
        name = re.sub(r"^\s*by\s+", "", str(name), flags=re.IGNORECASE).strip(" ,;")
        if name and name not in out:
            out.append(name)
    return out
