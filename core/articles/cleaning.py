"""Raw items to article rows: main text, metadata, hashes and a stable id."""
from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import itertools
import logging
import re
from typing import Optional

import lxml.etree
import py3langid
import trafilatura

from newsbeam.schemas import ARTICLES

from .. import dates, text as textlib
from ..records import RawItem, Rejected
from ..urls import canonical_url, domain, is_web_url
from . import metadata, standfirst


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
    # Extraction time grows faster than the page's elements (30,000 paragraphs: 5 s), and
    # with the square of the inline elements in one block, which the extractor strips
    # into runs of text (8,000 spans or links in one paragraph: 7 s). Real pages stay far
    # below: at most 10,077 elements, and 319 inline elements in a block, in 722 pages.
    max_page_elements: int = 25_000
    max_block_inline_elements: int = 2_000
    # htmldate's search for a publication date reads a page's whole text when its markup
    # names none (3 s for 3.9 MB); larger pages than this are dated by their own metadata
    # only. The 680 real pages of the evaluation set have at most 438,000 characters.
    max_date_search_chars: int = 1_000_000
    # Longer cleaned texts are rejected: NER and event coding take about 5 s per 100,000
    # characters (16,000 words; the longest features run to 15,000).
    max_text_chars: int = 100_000
    # The publication time of articles whose input, page and text give none (the
    # user's --published-on), instead of leaving the ingestion day to stand in.
    assumed_published: Optional[dt.datetime] = None


# trafilatura logs an ERROR for every page it cannot parse; such a page becomes a
# reject row with the reason, so the log line would only be noise in every worker.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)

# Where scripts, styles, SVG, noscript and template elements and comments start (each
# ends at the first closing of its kind), and base64 data URIs; looked for in the page
# lowered, each opening by str.find (a regex of them all reads the page at a third of
# the speed).
_NON_CONTENT_OPENING = {
    opening: re.compile(rf"{opening}\b" if opening[1:].isalpha() else re.escape(opening))
    for opening in ("<script", "<style", "<svg", "<noscript", "<template", "<!--")}
_NON_CONTENT_OPENING["data:"] = re.compile(r"(?<!\w)data:[\w/+.-]+;base64,[\w+/=]+")
# A noscript element holding this many paragraphs is the article written for readers
# without scripts, not a notice ("JavaScript is disabled") or a tracking pixel: its content stays.
_NOSCRIPT_PARAGRAPHS = 3
_NON_CONTENT_END = {
    opening: re.compile(rf"</{opening[1:]}\s*>" if opening[1:].isalpha() else "-->")
    for opening in _NON_CONTENT_OPENING if opening != "data:"}
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>", re.IGNORECASE)
# Control characters XML has no place for: the extractor, working on the page as XML,
# finds no text at all in a page holding one.
_NOT_XML_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_SCRIPT_START, _SCRIPT_END = re.compile("<script", re.IGNORECASE), re.compile("</script", re.I)
_JSON_LD_TYPE = re.compile(r"""type\s*=\s*["']?application/ld\+json""", re.IGNORECASE)
_PAYWALL = re.compile(
    r"\b(?:subscribe|sign up|log in|register)\b.{0,40}\bto (?:continue|keep) reading\b|"
    r"^(?:to )?continue reading\b|already (?:a |have an? )?(?:subscriber|account)|"
    r"\b(?:this|the rest of this) (?:article|story|content) is (?:only )?(?:available )?"
    r"(?:for|to) (?:subscribers|members)|^subscribe (?:now|today|to read)\b",
    re.IGNORECASE)
_LIST_MARK = re.compile(r"^[-•*–]\s+")  # how trafilatura writes list items
_SENTENCE_END = re.compile(r"""[.!?:;"”’)»…]$""")
_TIME_STAMP = re.compile(r"^(?:updated\s*)?\d{1,2}[:.h]\d{2}\s*(?:[ap]\.?m\.?)?\s*"
                         r"(?:[A-Z]{2,4}|GMT[+-]?\d*)?$|^share (?:this )?(?:update|post)\b",
                         re.IGNORECASE)
# A photo credit: "Photo: ...", "Titelbild: ...", "Image illustrative : ...", "(AP Photo",
# ". Name for Agency", a caption ending in "© Agency".
_CREDIT = re.compile(r"(?:\b(?:photo|photograph|picture|image|foto|bild|titelbild|credit)s?"
                     r"(?: by| illustrative)?\s*[:/]\s*"
                     r"\S|\((?:AP|AFP|Reuters)? ?Photo\b|\.\s+(?:[A-Z][\w.'’-]+\s){1,3}for\s+"
                     r"[A-Z][^.]{0,40}$|\s©\s*[^\s.][^.]{0,40}$)", re.IGNORECASE)
# What a page says about itself or its comments: "Keine Kommentare", "Sie sind aktuell nicht
# eingeloggt.", "Aktualisiert am 17.01.2021.", "Last modified: 03-10-2004".
_PAGE_LABEL = re.compile(
    r"^(?:keine|no|\d+) (?:kommentare|comments|comentarios|commentaires)\b|"
    r"^(?:sie sind|you are) (?:aktuell |currently )?(?:nicht|not) (?:eingeloggt|angemeldet|"
    r"logged in)\b|^(?:aktualisiert|zuletzt aktualisiert|last (?:modified|updated)|"
    r"actualizado|mis à jour)(?: am| on| el| le)?:?\s*[\d./ -]+$", re.IGNORECASE)
# A paragraph that is only a label: the heading of a story's end matter ("Quellenangaben:",
# "Sources", "Ansprechpartnerin zum Thema:"), a button of a player or a picture ("Escucha
# esta nota aquí", "Listen to this article", "Bild anzeigen"), the reporter's initials and
# agency signing off ("aja/PAP", "(grh)"), or a site's bare address ("EXAMPLE.COM").
_LABEL_ALONE = re.compile(
    r"(?:(?:quellen(?:angaben)?|sources?|fuentes|références|fonti|zusatzinformationen|"
    r"additional information|ansprechpartner(?:in)?(?: zum thema)?|(?:presse)?kontakt|"
    r"(?:press |media )?contacts?|contacto)\s*:?|"
    r"(?:escucha(?:r)? (?:esta|la) (?:nota|noticia)|listen to (?:this|the) (?:article|story)|"
    r"(?:artikel|beitrag) (?:anhören|vorlesen)|écouter (?:cet|l')article|"
    r"(?:bild|bilder|foto) anzeigen|(?:show|view) (?:image|photo)s?)(?: (?:aquí|here|hier))?|"
    r"\(?[a-z]{2,4}(?:/[a-z]{2,6})+\)?|\([a-z]{2,4}\)|"
    r"(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+){0,2}\.[a-z]{2,4}/?)", re.IGNORECASE)
# A link to another story in the text, or the heading of a list of them: "Read more: ...",
# "VEA TAMBIÉN: ...", "Lesen Sie auch", "Related stories", "Weitere Artikel zum Thema",
# "Lesen Sie auch die folgenden Beiträge:", "Dowiedz się więcej: ...", "Seguir leyendo:",
# "Lue myös:".
_TEASER = re.compile(
    r"^(?:(?:read|see|also read|read also) (?:more|also)|related(?: stories| articles| news)?|"
    r"more on this|lesen sie (?:auch|mehr)|mehr zum thema|auch interessant|"
    r"weitere (?:artikel|themen|beiträge|nachrichten|meldungen|informationen)(?: zum thema)?|"
    r"kommentierte artikel|vorschau auf den nächsten artikel|"
    r"(?:vea|lea|lee|mira|ver) tambi[ée]n|notas relacionadas|noticias relacionadas|"
    r"(?:lire|voir) aussi|à lire aussi|leggi anche|leia (?:também|mais)|"
    r"dowiedz się (?:więcej|też)|czytaj (?:też|także|więcej)|seguir leyendo|"
    r"lue (?:myös|lisää|seuraavaksi|aiheesta lisää))\b"
    r"(?:[^.!?:]{0,40}:)?\s*(?::|$)",  # the heading's own words ending in a colon
    re.IGNORECASE)
# A line pointing the reader to a link, in a short paragraph of its own: "Hier geht es zur
# neuen Satzung", "... weiter zu ...", "Weitere Infos unter www.example.de.", "Alles über
# Wanderschuhe findest Du hier.", "Click here to ...". Not "Das Papier finden Sie hier:"
# before the text it announces.
_LINK_PROMPT = re.compile(
    r"^(?:hier geht(?:'s| es) zu[mr]?|(?:\.\.\.\s*)?weiter zu[mr]?|(?:weitere|mehr) infos? "
    r"(?:unter|auf|gibt es)|click here|more (?:info|information) (?:at|here))\b|"
    r"\b(?:findest du|finden sie) (?:hier|unter)\b[^.!?:]{0,40}[.!]?$", re.IGNORECASE)
_LINK_PROMPT_WORDS = 12
# A prompt to sign up or follow, in a short paragraph of its own: "Sign up to our daily
# newsletter", "PC Weekly Newsletter", "Follow us: ...", "Hazte miembro", "... or subscribe
# here to our newsletter.", "... Free Sign Up", "Submit your letter to the editor ...",
# "¡Mira nuestro canal de YouTube!". Not "when they sign up for an account" in a story.
_PROMPT = re.compile(
    r"\bnewsletters?(?: ?sign ?up\b|$)|\bsign ?up$|"
    r"^(?:sign up|subscribe|suscr[ií]bete|hazte (?:miembro|socio)|follow us)\b|"
    r"\bsign up (?:to|for) (?:our|the)\b|"
    r"\b(?:subscribe|suscr[ií]b\w*|abonnier\w*|abonnez-vous|inscrivez-vous)\b.{0,40}"
    r"\bnewsletter|"
    r"\bfollow (?:us|[A-Z][\w ]{0,30} on (?:twitter|facebook|instagram))\b|"
    r"^(?:submit|send us) (?:your|a) (?:letter|tip|story|news tip|photos?)\b|"
    r"\b(?:our|nuestro|unseren) (?:canal de youtube|youtube[- ]?(?:channel|kanal))\b",
    re.IGNORECASE)
_PROMPT_WORDS = 30
# An advertising label or disclosure, or a copyright notice, in a short paragraph of its
# own: "Anzeige, enthält Affiliate Links", "*Werbung. Dieser Beitrag ...", "ANZEIGE - ...",
# "... We may receive compensation ...", "© 2022, Site. This article is the property ...".
# Not "Anzeige gegen Unbekannt" (a police report).
_ADVERTISING = re.compile(
    r"^\W*(?:anzeige|werbung|advertisement|advertorial|publicidad|publicité|sponsored|"
    r"gesponsert)\s*(?:[-–:|.,]|$)|\baffiliate[- ]links?\b|"
    r"\bwe may (?:receive|earn) (?:compensation|a commission)\b|"
    r"^(?:©|copyright\s*(?:©|\d{4}))", re.IGNORECASE)
# Elements inside a block of text, which the extractor strips or keeps as text.
_INLINE_TAGS = frozenset(
    "a abbr b bdi bdo big cite code data del dfn em font i ins kbd label mark nobr q s samp "
    "small span strike strong sub sup time tt u var".split())
# A precise extraction shorter than this (in characters) is compared with the balanced
# setting's, which is taken when it is more than this many times longer: on the real pages,
# a third of its text or less is an article the precise setting cut, while a balanced text
# a little longer mostly adds teasers and labels.
_SHORT_PRECISE_CHARS = 1_500
_BALANCED_RATIO = 3
# Shorter paragraphs may be pull quotes or photo credits; longer ones are text.
_SHORT_PARAGRAPH_WORDS = 40
# More words above the headline are a paragraph of text, not a kicker, date or label.
_KICKER_WORDS = 15
# The paragraphs at the top of a text where bylines stand: before or after a standfirst.
_BYLINE_PARAGRAPHS = 3
# Characters the pull-quote comparisons of one page may read (about 0.3 s; real pages
# read at most a few million), and what one comparison costs beyond them (Python's own
# work, about 200 ns), in characters.
_COMPARISON_BUDGET = 300_000_000
_COMPARISON_OVERHEAD = 200


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
        extracted = _extract_page(content, item.url, item.ingested_at, settings)
    elif kind == "fragment":
        extracted = _Extracted(text=textlib.fragment_to_text(content))
    else:
        extracted = _Extracted(text=content if item.title else _headline_line_apart(content))
    body = _normalised(extracted.text or "", settings.max_text_chars)
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
    published, published_date, date_source = _publication(item, extracted, body, settings)
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
        published_date=published_date,
        date_source=date_source,
        ingested_at=item.ingested_at,
        language=detect_language(body) or item.language or extracted.language,
        content_source="feed_entry" if kind == "fragment" and item.feed_url else kind,
        categories=list(item.categories),
        text=body,
        word_count=words,
        content_hash=content_hash,
        story_id=identifier,  # its own story until GroupStories finds copies
        # the partition is the UTC day (the users' contract); published_date keeps the
        # publisher's own day beside it
        date=dates.to_utc(published or item.ingested_at).date().isoformat(),
    )


def _normalised(text: str, max_chars: int) -> str:
    """The normalised text, or Rejected(too_long) as soon as it is longer than max_chars,
    without normalising the rest (a 50 MB text is rejected in a second, not minutes)."""
    paragraphs, length = [], -2
    for paragraph in textlib.paragraphs(text):
        paragraphs.append(paragraph)
        length += len(paragraph) + 2  # and the blank line before it
        if length > max_chars:
            raise Rejected("too_long", f"the text is longer than {max_chars:,} characters, "
                           f"the limit ({len(text):,} characters before normalisation); "
                           "--max-text-chars raises the limit")
    return "\n\n".join(paragraphs)


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
    published_date: Optional[dt.date] = None  # the day as the page states it
    published_instant: bool = False  # published_at is a time the page states with its zone
    language: Optional[str] = None
    sitename: Optional[str] = None
    url: Optional[str] = None
    date_source: str = "html"  # "url" when the page's only date is in its address


def _extract_page(html: str, url: Optional[str], ingested_at: dt.datetime,
                  settings: CleaningSettings) -> _Extracted:
    json_ld = _json_ld_blocks(html[:2_000_000])
    markup = _NOT_XML_CHARACTERS.sub("", _XML_DECLARATION.sub("", _without_non_content(html)))
    if len(markup) > settings.max_markup_chars:
        raise Rejected("too_large", f"{len(markup):,} characters of markup after removing "
                       f"scripts and styles; the limit is {settings.max_markup_chars:,}")
    if "<" not in markup[:4096]:
        raise Rejected("not_html", "the file holds no HTML markup")
    try:
        tree = metadata.parse(markup)
    except (lxml.etree.ParserError, ValueError) as err:
        raise Rejected("not_html", f"unreadable HTML: {err}") from None
    _check_structure(tree, settings)
    meta = metadata.page_metadata(tree, url, json_ld, dates.latest_day(ingested_at),
                                  date_search=len(markup) <= settings.max_date_search_chars)
    _unwrap_layout_tables(tree)
    _empty_head(tree)
    _rename_spacing_classes(tree)
    if meta.live_blog:  # each update is an <article>: one page of many short posts
        for update in tree.iter("article"):
            update.tag = "div"
    # a live blog is a series of short updates a precise extractor takes for clutter
    document = _main_text(tree, url, "precision" if not meta.live_blog else "recall")
    if not meta.live_blog and len(document) < _SHORT_PRECISE_CHARS and \
            _prose_chars(tree) > _BALANCED_RATIO * len(document):
        # the precise extractor may have dropped most of a short article, or a layout it
        # does not know: the balanced setting's text when it is several times longer (it
        # works on a copy of the tree; not run where the page has too little prose for it)
        balanced = _main_text(tree, url, "balanced")
        if len(balanced) > _BALANCED_RATIO * len(document):
            document = balanced
    if not meta.live_blog and textlib.word_count(document) < settings.min_words:
        # a short article or an unusual layout both drop whole: the recall setting
        document = _main_text(tree, url, "recall") or document
    if not document.strip():
        raise Rejected("empty_text", "no article text found in the page")
    lines = standfirst.with_standfirst(tree, document.split("\n"), meta.description)
    return _Extracted(
        text=_article_paragraphs(lines, meta, _linked_blocks(tree)),  # one paragraph a line
        title=meta.title,
        authors=meta.authors,
        published_at=meta.published_at,
        published_date=meta.published_date,
        published_instant=meta.published_instant,
        language=meta.language,
        sitename=meta.site_name,
        url=meta.canonical_url,
        date_source="url" if meta.published_from == "url" else "html",
    )


def _empty_head(tree) -> None:
    """The head's elements out of the tree once its metadata are read: the extractor takes
    the text from the body, and each of its searches of the whole tree is then shorter
    (about 0.5 ms a page; the same texts on the real pages)."""
    head = tree.find("head")
    if head is not None:
        for child in list(head):
            head.remove(child)


# A class naming a bottom margin or padding, CSS spacing set on the text's own blocks
# ("mdl-richtext--space-bottom", "margin-bottom", "padding-bottom"), which the precise extractor
# reads as a page's bottom bar and drops with the text in it.
_SPACING_BOTTOM = re.compile(r"\b(margin|padding|space|spacing|gap|pad|mb|pb)[-_]+bottom(?=\s|$)",
                             re.IGNORECASE)
_NAMING_BOTTOM = lxml.etree.XPath("//*[contains(@class, 'bottom')]")


def _rename_spacing_classes(tree) -> None:
    """Classes of bottom spacing renamed, so that the extractor keeps the text they hold."""
    for element in _NAMING_BOTTOM(tree):
        element.set("class", _SPACING_BOTTOM.sub(r"\1-below", element.get("class")))


# Text in paragraphs, table cells, list items (not their links) and preformatted blocks.
_PROSE_TEXTS = lxml.etree.XPath(
    "//p//text() | //td//text() | //li//text()[not(ancestor::a)] | //pre//text()")


def _prose_chars(tree) -> int:
    """The characters of the page's prose, where an article's text stands (not its menus
    and lists of links)."""
    return sum(len(text.strip()) for text in _PROSE_TEXTS(tree))


def _main_text(tree, url: Optional[str], focus: str) -> str:
    """trafilatura's main text of a parsed page, one paragraph a line ("" for none), with
    the extractor's "precision", "balanced" (its default) or "recall" setting."""
    document = trafilatura.bare_extraction(
        tree, url=url if is_web_url(url) else None, with_metadata=False,
        include_comments=False, include_tables=True, include_images=False,
        favor_precision=focus == "precision", favor_recall=focus == "recall",
        deduplicate=False)
    return (document.text or "") if document is not None else ""


def _json_ld_blocks(html: str) -> list[str]:
    """The content of each <script type="application/ld+json">. Searched for tag by tag:
    one regex from an opening to the next closing would rescan the rest of the page for
    every opening never closed (a minute for 4,000 of them)."""
    blocks, position = [], 0
    while opening := _SCRIPT_START.search(html, position):
        tag_end = html.find(">", opening.end())
        if tag_end < 0:
            break
        if not _JSON_LD_TYPE.search(html, opening.end(), tag_end):
            position = tag_end  # an opening inside this tag ends with it: nor is it one
            continue
        closing = _SCRIPT_END.search(html, tag_end + 1)
        if closing is None:
            break
        blocks.append(html[tag_end + 1:closing.start()])
        position = closing.end()
    return blocks


def _without_non_content(html: str) -> str:
    """The page with each script, style, SVG, noscript and template element, comment and
    base64 data URI replaced by a space (of a noscript holding paragraphs, its tag alone).
    One regex (an opening, then the first closing) would scan to the end of the page for
    every opening never closed, hours for a page of unclosed <script>s: here a missing
    closing is looked for once per kind."""
    # one character for one ("İ" alone lowers to two), so positions are the page's
    lowered = html.replace("\u0130", "i").lower()
    next_at = {opening: lowered.find(opening) for opening in _NON_CONTENT_OPENING}
    parts, copied = [], 0
    while next_at := {opening: at for opening, at in next_at.items() if at >= 0}:
        opening = min(next_at, key=next_at.__getitem__)
        start = next_at[opening]
        match = _NON_CONTENT_OPENING[opening].match(lowered, start)
        if match is None:  # "<scripts", a word ending in "data:"
            next_at[opening] = lowered.find(opening, start + 1)
            continue
        end = match.end()
        if opening in _NON_CONTENT_END:
            closing = _NON_CONTENT_END[opening].search(lowered, end)
            if closing is None:  # unclosed: this kind's openings are left as they are
                del next_at[opening]
                continue
            if opening == "<noscript" and sum(lowered.count(tag, end, closing.start()) for tag
                                              in ("<p>", "<p ")) >= _NOSCRIPT_PARAGRAPHS:
                # the text itself, for readers without scripts (a page that writes its
                # article with a script): only the opening tag goes
                end = lowered.find(">", end) + 1 or end
            else:
                end = closing.end()
        parts += [html[copied:start], " "]
        copied = end
        for other, at in next_at.items():  # (none is -1 here: those are gone)
            if at < end:
                next_at[other] = lowered.find(other, end)
    parts.append(html[copied:])
    return "".join(parts)


def _check_structure(tree, settings: CleaningSettings) -> None:
    """Rejected(too_large) for a page with more elements, or more inline elements in one
    block, than the extractor handles in a few seconds."""
    elements = sum(1 for _ in itertools.islice(tree.iter(), settings.max_page_elements + 1))
    if elements > settings.max_page_elements:
        raise Rejected("too_large", f"more than {settings.max_page_elements:,} HTML elements "
                       "after removing scripts and styles, the limit")
    if sum(1 for _ in tree.iter(*_INLINE_TAGS)) <= settings.max_block_inline_elements:
        return  # no block can hold more than the page does (most pages: fast to count)
    block_of, inline_in = {}, collections.Counter()  # element -> the block it is part of
    for element in tree.iter():
        parent = element.getparent()
        if element.tag in _INLINE_TAGS and parent is not None:
            block_of[element] = block_of[parent]
            inline_in[block_of[element]] += 1
        else:
            block_of[element] = element
    most = max(inline_in.values(), default=0)
    if most > settings.max_block_inline_elements:
        raise Rejected("too_large", f"{most:,} inline elements (links, spans, ...) in one "
                       f"block; the limit is {settings.max_block_inline_elements:,}")


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
    joined: list[list[str]] = []  # each paragraph's lines, joined once at the end
    for line in lines:
        if joined and not _SENTENCE_END.search(joined[-1][-1]) and (
                line[:1].islower() or line[:1].isdigit()):
            joined[-1].append(line)
        else:
            joined.append([line])
    return [" ".join(paragraph) for paragraph in joined]


def _article_paragraphs(lines: list[str], meta: metadata.PageMetadata,
                        linked: frozenset = frozenset()) -> str:
    """The article's paragraphs without what extractors let through: a kicker and the
    headline above the text, bylines at its top, paywall prompts and what follows them,
    live-blog time stamps, photo credits, pull quotes repeating the text, and short
    paragraphs the page gives as a link (``linked``: teasers of other stories). The
    standfirst stays: the real evaluation set counts it as the article's text."""
    paragraphs = _rejoin_wrapped([_LIST_MARK.sub("", " ".join(line.split()))
                                  for line in lines if line.strip()])
    for index, paragraph in enumerate(paragraphs[:4]):
        if meta.title and _is_headline(paragraph, (meta.title,)):
            # kickers, dates and labels above the headline go; a paragraph of text a page
            # sets above its headline stays
            paragraphs = [above for above in paragraphs[:index]
                          if len(above.split()) >= _KICKER_WORDS] + paragraphs[index + 1:]
            break
    # bylines open the text, or follow its standfirst
    paragraphs = [paragraph for number, paragraph in enumerate(paragraphs)
                  if number >= _BYLINE_PARAGRAPHS or not (
                      textlib.BYLINE.match(paragraph) and len(paragraph.split()) < 30)]
    for index, paragraph in enumerate(paragraphs):
        if _PAYWALL.search(paragraph):
            paragraphs = paragraphs[:index]
            break
    repeated = _repeated_inside_others(paragraphs)  # pull quotes and summary boxes
    kept = dict.fromkeys(  # a paragraph given twice is kept once, where it first is
        paragraph for paragraph in paragraphs
        if paragraph not in repeated and not _boilerplate(paragraph) and not (
            paragraph in linked and len(paragraph.split()) < _SHORT_PARAGRAPH_WORDS))
    return "\n\n".join(kept)


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_BLOCKS_IN_LINKS = lxml.etree.XPath(
    "//a//*[self::p or self::li or self::div or " + " or ".join(
        f"self::{heading}" for heading in _HEADINGS) + "]")


def _linked_blocks(tree) -> frozenset:
    """The text of each block inside a link and of each heading that is one link: the cards
    and headlines of teasers for other stories, which extractors keep as paragraphs when
    they stand next to the text. (The page's own headline, often a link to itself, is taken
    out of the text before these are.)"""
    texts = {" ".join(block.text_content().split()) for block in _BLOCKS_IN_LINKS(tree)}
    for heading in tree.iter(*_HEADINGS):
        if len(heading) == 1 and heading[0].tag == "a" and not (heading.text or "").strip() \
                and not (heading[0].tail or "").strip():
            texts.add(" ".join(heading.text_content().split()))
    texts.discard("")
    return frozenset(texts)


def _boilerplate(paragraph: str) -> bool:
    """A time stamp, or a short paragraph that is a credit, a link to other stories or to
    a link, an advertising or copyright notice, a page's label of itself or a label alone,
    or a prompt.
    The length first: the searches would read every long paragraph whole."""
    if _TIME_STAMP.match(paragraph):
        return True
    words = len(paragraph.split())
    return (words < _SHORT_PARAGRAPH_WORDS and bool(
        _CREDIT.search(paragraph) or _TEASER.match(paragraph)
        or _ADVERTISING.search(paragraph) or _PAGE_LABEL.match(paragraph)
        or _LABEL_ALONE.fullmatch(paragraph))
        or words < _PROMPT_WORDS and bool(_PROMPT.search(paragraph))
        or words < _LINK_PROMPT_WORDS and bool(_LINK_PROMPT.search(paragraph)))


def _repeated_inside_others(paragraphs: list[str]) -> set[str]:
    """The short paragraphs whose text also stands inside another paragraph.

    Comparing every pair is quadratic: minutes on a page of 300,000 short paragraphs. So a
    short paragraph is compared only with the paragraphs that hold what any paragraph
    holding it must hold, the rarest of: its inner words (whole words there too) and its
    characters. A pull quote's rarest word is in a few paragraphs; a character can be in
    most, so the comparisons of a page have a budget that real pages stay far below; past
    it, the remaining short paragraphs are kept.
    """
    distinct = list(dict.fromkeys(paragraphs))
    short = [number for number, paragraph in enumerate(distinct)
             if len(paragraph.split()) < _SHORT_PARAGRAPH_WORDS]
    if not short:
        return set()
    # paragraphs hold words separated by single spaces, so str.split finds their words
    paragraphs_with_word = collections.Counter(
        itertools.chain.from_iterable(map(set, map(str.split, distinct))))
    paragraphs_with_char = collections.Counter(itertools.chain.from_iterable(map(set, distinct)))
    anchors = {}  # short paragraph -> ("word", inner word) or ("char", character)
    for number in short:
        paragraph = distinct[number]
        word = min(paragraph.split()[1:-1], key=paragraphs_with_word.__getitem__, default="")
        char = min(paragraph, key=paragraphs_with_char.__getitem__)
        if word and paragraphs_with_word[word] <= paragraphs_with_char[char]:
            held_by, anchor = paragraphs_with_word[word], ("word", word)
        else:
            held_by, anchor = paragraphs_with_char[char], ("char", char)
        if held_by > 1:  # another paragraph holds it too
            anchors[number] = anchor
    wanted_words = {value for kind, value in anchors.values() if kind == "word"}
    wanted_chars = {value for kind, value in anchors.values() if kind == "char"}
    holders = collections.defaultdict(list)  # anchor -> the paragraphs holding it, in order
    for number, paragraph in enumerate(distinct):
        for word in wanted_words.intersection(paragraph.split()):
            holders["word", word].append(number)
        for char in wanted_chars.intersection(paragraph):
            holders["char", char].append(number)
    budget = _COMPARISON_BUDGET
    found: set[str] = set()
    for number, anchor in anchors.items():
        for other in holders[anchor]:
            if other == number:
                continue
            budget -= len(distinct[other]) + _COMPARISON_OVERHEAD
            if budget < 0:
                return found
            if distinct[number] in distinct[other]:
                found.add(distinct[number])
                break
    return found


def _publication(item: RawItem, extracted: _Extracted, body: str, settings: CleaningSettings
                 ) -> tuple[Optional[dt.datetime], Optional[dt.date], str]:
    """(published_at in UTC, the day as the source states it, which source). A page
    states its day; a feed's or an input's time written with its zone states the day in
    that zone; otherwise the day is the UTC day of the time."""
    candidates = (
        (item.published_at, None, item.date_source or "input"),
        (extracted.published_at, extracted.published_date, extracted.date_source),
        (dates.dateline_date(body, item.ingested_at), None, "text"),
        (item.captured_at, None, "captured"),
        (settings.assumed_published, None, "assumed"),
    )
    for value, day, source in candidates:
        if day is None and value is not None and dates.states_own_offset(value):
            instant = dates.plausible_publication(dates.to_utc(value), item.ingested_at)
            day = dates.plausible_day(value.date(), item.ingested_at)
            if instant and day:
                return instant, day, source
            continue
        if day is not None:  # a day without its zone may be ahead of UTC: judged as a day
            day = dates.plausible_day(day, item.ingested_at)
            if day and (not extracted.published_instant or dates.plausible_publication(
                    value, item.ingested_at)):
                return min(value, item.ingested_at), day, source
            continue
        value = dates.plausible_publication(value, item.ingested_at)
        if value:
            return value, value.date(), source
    return None, None, "ingested"


def _clean_title(title: Optional[str], sitename: Optional[str]) -> Optional[str]:
    """The headline without a ' | Site Name' suffix or prefix."""
    if not title:
        return None
    title = " ".join(title.split())
    separators = list(textlib.TITLE_SEPARATORS_AND_COLON.finditer(title)) if sitename else []
    if separators:
        site = sitename.casefold()
        if title[separators[-1].end():].casefold() == site:
            title = title[:separators[-1].start()]
        elif title[:separators[0].start()].casefold() == site:
            title = title[separators[0].end():]
    return title or None


def _is_headline(line: str, titles) -> bool:
    """Whether a text's first line is its headline: a title, or a title's part before
    a site-name separator ("Mombasa dockers strike | The Courier")."""
    line = " ".join(line.split()).casefold()
    return bool(line) and any(
        line == " ".join(t.split()).casefold() or
        line == " ".join(textlib.TITLE_SEPARATORS_AND_COLON.split(t)[0].split()).casefold()
        for t in titles if t)


# The most words of a headline standing on a text's first line.
_HEADLINE_WORDS = 25
_NEW_SENTENCE = re.compile(r"""^["'“‘«(\[]?[A-ZÀ-Þ0-9]""")


def _headline_line_apart(text: str) -> str:
    """A plain text whose first line reads as a headline (short, not ending a sentence)
    followed on the next line by a new sentence, with a blank line after the headline, so
    that it is not joined into the first paragraph. Not a hard-wrapped first line: its
    next line would continue it in lower case, or be about as long."""
    stripped = text.lstrip()
    first, newline, rest = stripped.partition("\n")
    second = rest.partition("\n")[0].strip()
    first = first.strip()
    if not newline or not first or not second or len(first.split()) > _HEADLINE_WORDS \
            or _SENTENCE_END.search(first) or not _NEW_SENTENCE.match(first) \
            or not _NEW_SENTENCE.match(second):
        return text
    if len(first) >= 0.8 * len(second) and len(second) <= 100:
        return text  # lines of one width: a hard-wrapped paragraph
    return first + "\n\n" + rest


def _headline_from_text(body: str) -> tuple[Optional[str], str]:
    """A plain text's first paragraph is its headline when it reads like one."""
    first, _, rest = body.partition("\n\n")
    if rest and len(first.split()) <= _HEADLINE_WORDS and \
            not first.rstrip().endswith((".", ":", '"', "”")):
        return first.strip(), rest
    return None, body


def _clean_authors(names: list) -> list[str]:
    out: list[str] = []
    for name in names:
        name = re.sub(r"^\s*by\s+", "", str(name), flags=re.IGNORECASE).strip(" ,;")
        if name and name not in out:
            out.append(name)
    return out
