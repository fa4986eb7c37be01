"""Raw items to article rows: main text, metadata, hashes and a stable id."""
from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
from typing import Optional

import lxml.etree
import py3langid
import trafilatura

from newsbeam.schemas import ARTICLES

from . import dates, metadata, text as textlib
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
    # The publication time of articles whose input, page and text give none (the
    # user's --published-on), instead of leaving the ingestion day to stand in.
    assumed_published: Optional[dt.datetime] = None


# trafilatura logs an ERROR for every page it cannot parse; such a page becomes a
# reject row with the reason, so the log line would only be noise in every worker.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

_NON_CONTENT = re.compile(
    r"<(script|style|svg|noscript|template)\b.*?</\1\s*>|<!--.*?-->|\bdata:[\w/+.-]+;base64,[\w+/=]+",
    re.IGNORECASE | re.DOTALL)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)
_JSON_LD = re.compile(
    r"""<script[^>]*type\s*=\s*["']?application/ld\+json["']?[^>]*>(.*?)</script""",
    re.IGNORECASE | re.DOTALL)
_PAYWALL = re.compile(
    r"\b(?:subscribe|sign up|log in|register)\b.{0,40}\bto (?:continue|keep) reading\b|"
    r"^(?:to )?continue reading\b|already (?:a |have an? )?(?:subscriber|account)|"
    r"\b(?:this|the rest of this) (?:article|story|content) is (?:only )?(?:available )?"
    r"(?:for|to) (?:subscribers|members)|^subscribe (?:now|today|to read)\b",
    re.IGNORECASE)
_LIST_MARK = re.compile(r"^[-•*–]\s+")  # how trafilatura writes list items
_SENTENCE_END = re.compile(r"""[.!?:;"”’)»…]$""")
_BYLINE = re.compile(r"^(?:(?:reported|written|words|story) )?(?:by|por|par|von)\s+[A-ZÀ-Þ]",
                     re.IGNORECASE)
_TIME_STAMP = re.compile(r"^(?:updated\s*)?\d{1,2}[:.h]\d{2}\s*(?:[ap]\.?m\.?)?\s*"
                         r"(?:[A-Z]{2,4}|GMT[+-]?\d*)?$|^share (?:this )?(?:update|post)\b",
                         re.IGNORECASE)
_CREDIT = re.compile(r"(?:\b(?:photo|photograph|picture|image|foto|credit)s?(?: by)?\s*[:/]\s*"
                     r"\S|\((?:AP|AFP|Reuters)? ?Photo\b|\.\s+(?:[A-Z][\w.'’-]+\s){1,3}for\s+"
                     r"[A-Z][^.]{0,40}$)", re.IGNORECASE)
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
    published, date_source = _publication(item, extracted, body, settings)
    content_hash = textlib.content_hash(body)
    external_id = item.external_id
    source = item.source or extracted.sitename or domain(url) or "local"
    identifier = article_id(url, source, external_id, content_hash)
    return ARTICLES.row(
        article_id=identifier,
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
        story_id=identifier,  # its own story until GroupStories finds copies
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
    date_source: str = "html"  # "url" when the page's only date is in its address


def _extract_page(html: str, url: Optional[str], settings: CleaningSettings) -> _Extracted:
    json_ld = _JSON_LD.findall(html[:2_000_000])
    markup = _XML_DECLARATION.sub("", _NON_CONTENT.sub(" ", html))
    if len(markup) > settings.max_markup_chars:
        raise Rejected("too_large", f"{len(markup):,} characters of markup after removing "
                       f"scripts and styles; the limit is {settings.max_markup_chars:,}")
    if "<" not in markup[:4096]:
        raise Rejected("not_html", "the file holds no HTML markup")
    try:
        tree = metadata.parse(markup)
    except (lxml.etree.ParserError, ValueError) as err:
        raise Rejected("not_html", f"unreadable HTML: {err}") from None
    meta = metadata.page_metadata(tree, url, json_ld)
    _unwrap_layout_tables(tree)
    if meta.live_blog:  # each update is an <article>: one page of many short posts
        for update in tree.iter("article"):
            update.tag = "div"
    document = trafilatura.bare_extraction(
        tree, url=url if is_web_url(url) else None, with_metadata=False,
        include_comments=False, include_tables=True, include_images=False,
        # a live blog is a series of short updates a precise extractor takes for clutter
        favor_precision=not meta.live_blog, favor_recall=meta.live_blog, deduplicate=False)
    if document is None or not (document.text or "").strip():
        raise Rejected("empty_text", "no article text found in the page")
    return _Extracted(
        text=_article_paragraphs(document.text.split("\n"), meta),  # one paragraph a line
        title=meta.title,
        authors=meta.authors,
        published_at=meta.published_at,
        language=meta.language,
        sitename=meta.site_name,
        url=meta.canonical_url,
        date_source="url" if meta.published_from == "url" else "html",
    )


def _unwrap_layout_tables(tree) -> None:
    """Tables used for page layout (a cell holding paragraphs, tables or a long text)
    become plain blocks, so that the article in a cell reads as paragraphs."""
    for table in list(tree.iter("table")):
        rows = [row for row in table.iterchildren() if row.tag == "tr"] + [
            row for section in table.iterchildren() if section.tag in ("tbody", "thead", "tfoot")
            for row in section.iterchildren() if row.tag == "tr"]
        cells = [cell for row in rows for cell in row.iterchildren() if cell.tag in ("td", "th")]
        if any(cell.find(".//p") is not None or cell.find(".//table") is not None
               or cell.find(".//br") is not None or len(cell.text_content()) > 400
               for cell in cells):
            for element in [table, *rows, *cells, *(s for s in table.iterchildren()
                                                    if s.tag in ("tbody", "thead", "tfoot"))]:
                element.tag = "div"


def _rejoin_wrapped(lines: list[str]) -> list[str]:
    """Hard-wrapped legacy pages come out a line at a time: a line that does not end a
    sentence, followed by one starting in lower case, continues the same paragraph."""
    joined: list[str] = []
    for line in lines:
        if joined and not _SENTENCE_END.search(joined[-1]) and (
                line[:1].islower() or line[:1].isdigit()):
            joined[-1] = f"{joined[-1]} {line}"
        else:
            joined.append(line)
    return joined


def _article_paragraphs(lines: list[str], meta: metadata.PageMetadata) -> str:
    """The article's paragraphs without what extractors let through: a kicker and the
    headline above the text, the standfirst, paywall prompts and what follows them,
    live-blog time stamps, photo credits, and pull quotes repeating the text."""
    paragraphs = _rejoin_wrapped([_LIST_MARK.sub("", " ".join(line.split()))
                                  for line in lines if line.strip()])
    for index, paragraph in enumerate(paragraphs[:4]):
        if meta.title and _is_headline(paragraph, (meta.title,)):
            paragraphs = paragraphs[index + 1:]
            break
    if len(paragraphs) > 1 and meta.description and \
            _is_headline(paragraphs[0], (meta.description,)):
        paragraphs = paragraphs[1:]
    while paragraphs and _BYLINE.match(paragraphs[0]) and len(paragraphs[0].split()) < 30:
        paragraphs = paragraphs[1:]
    for index, paragraph in enumerate(paragraphs):
        if _PAYWALL.search(paragraph):
            paragraphs = paragraphs[:index]
            break
    kept = []
    for paragraph in paragraphs:
        if _TIME_STAMP.match(paragraph) or _CREDIT.search(paragraph) and \
                len(paragraph.split()) < 40:
            continue
        if len(paragraph.split()) < 40 and any(paragraph != other and paragraph in other
                                               for other in paragraphs):
            continue  # a pull quote or summary box repeating the text
        if paragraph not in kept:
            kept.append(paragraph)
    return "\n\n".join(kept)


def _publication(item: RawItem, extracted: _Extracted, body: str,
                 settings: CleaningSettings) -> tuple[Optional[dt.datetime], str]:
    candidates = (
        (item.published_at, item.date_source or "input"),
        (extracted.published_at, extracted.date_source),
        (dates.dateline_date(body, item.ingested_at), "text"),
        (item.captured_at, "captured"),
        (settings.assumed_published, "assumed"),
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
