"""Plain-text helpers: normalisation, boilerplate lines, HTML fragments, sentences, and how
a headline is told from a site name and a byline from the text (for cleaning and page
metadata alike)."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Iterator, NamedTuple, Optional

import lxml.etree
import lxml.html

# Lines scraped text carries that are not part of the story: photo credits,
# follow/subscribe prompts, "Read more" links. Matched against whole lines.
_BOILERPLATE = re.compile(
    r"""^(?:
        (?:photo|image|picture|video|file\ photo|graphic)s?\s*(?:credit)?\s*[:/].{0,80}
      | \(?(?:photo|image)\s+by\b.{0,80}
      | (?:read|see)\ (?:more|also)\b.{0,200}
      | (?:related|recommended)(?:\ (?:stories|articles|reading|content))?\s*:.{0,200}
      | .{0,80}\b(?:follow|join)\b.{0,60}\bon\ (?:whatsapp|telegram|twitter|x|facebook|instagram|
            threads|bluesky|google\ news|linkedin|youtube|tiktok)\b.{0,60}
      | .{0,40}\bstay\ (?:up\ to\ date|updated|informed)\b.{0,120}
      | .{0,60}\b(?:subscribe|sign\ up)\b.{0,40}\b(?:newsletter|alerts|updates)\b.{0,80}
      | (?:share|share\ this(?:\ article|\ story)?|advertisement|advert|sponsored(?:\ content)?|
         publicidad|publicité|publicidade|anzeige|werbung|pubblicità)\s*:?
      | (?:\[[^\]\n]{1,40}\]\s*){2,}                     # [ Print ] [ Email ] [ Top ]
      | (?:click|tap)\ here\b.{0,120}
      | (?:copyright\s*)?(?:©|\(c\))\s*(?:\d{4}|[A-Z]).{0,120}
      | copyright\s+\d{4}\b.{0,120}
      | all\ rights\ reserved\.?
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_SPACE_CHAR = r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]"
# Runs of spaces other than one plain space (replacing those too takes seconds on a
# 50 MB line).
_SPACES = re.compile(rf"(?! ){_SPACE_CHAR}{_SPACE_CHAR}*| {_SPACE_CHAR}+")
_ZERO_WIDTH = re.compile(r"[\u200b-\u200d\u2060\ufeff\u00ad]")
_WORD = re.compile(r"\w+")
_BLANK_LINES = re.compile(r"\n\s*\n")
_BLOCK_TAGS = {
    "p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
    "tr", "section", "article", "header", "footer", "dd", "dt", "figcaption", "table",
}
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "iframe", "form", "button",
              "figure", "nav", "aside"}


def is_boilerplate(line: str) -> bool:
    return bool(_BOILERPLATE.match(line.strip()))


def normalise(text: str) -> str:
    """NFC, unified spaces and line breaks, no boilerplate lines; paragraphs kept.

    Paragraphs are separated by exactly one blank line; lines inside a paragraph
    are joined with a space (hard-wrapped text becomes one paragraph).
    """
    return "\n\n".join(paragraphs(text))


def paragraphs(text: str) -> Iterator[str]:
    """The paragraphs of normalise(text), one at a time: a caller that needs only the
    beginning of a long text stops early instead of normalising all of it."""
    text = unicodedata.normalize("NFC", text)
    text = _ZERO_WIDTH.sub("", text).replace("\r\n", "\n").replace("\r", "\n")
    start = 0
    for blank in _BLANK_LINES.finditer(text):
        yield from _paragraph(text[start:blank.start()])
        start = blank.end()
    yield from _paragraph(text[start:])


def _paragraph(block: str) -> Iterator[str]:
    """The block's lines without boilerplate, joined; nothing when none is left."""
    lines = [_SPACES.sub(" ", line).strip() for line in block.split("\n")]
    lines = [line for line in lines if line and not is_boilerplate(line)]
    if lines:
        yield " ".join(lines)


def fragment_to_text(html: str) -> str:
    """Text of an HTML snippet (feed content): one paragraph per block element."""
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return html
    parts: list[str] = []

    def walk(node) -> None:
        if not isinstance(node.tag, str):  # comments, processing instructions
            if node.tail:
                parts.append(node.tail)
            return
        tag = node.tag.lower()
        if tag in _SKIP_TAGS:
            if node.tail:
                parts.append(node.tail)
            return
        block = tag in _BLOCK_TAGS
        if block:
            parts.append("\n\n")
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
        if block:
            parts.append("\n\n")
        if node.tail:
            parts.append(node.tail)

    walk(root)
    return "".join(parts)


def word_count(text: str) -> int:
    return len(_WORD.findall(text))


def content_hash(text: str) -> str:
    """Hash of the text with case, punctuation and spacing ignored."""
    key = " ".join(_WORD.findall(text.casefold()))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def stable_id(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:24]


# Sentence boundaries: end punctuation (plus closing quotes/brackets), whitespace,
# then something that can start a sentence. Abbreviations are checked separately.
_SENTENCE_END = re.compile(r"""[.!?]+["'”’)\]]*(?=\s+["'“‘(\[]?[A-Z0-9])""")
_ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "col", "lt", "maj", "capt", "sgt", "cpl", "adm",
    "gov", "sen", "rep", "rev", "st", "mt", "ft", "jr", "sr", "no", "vs", "etc", "inc",
    "ltd", "co", "corp", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept",
    "oct", "nov", "dec", "u.s", "u.k", "u.n", "e.g", "i.e", "a.m", "p.m", "approx", "est",
}


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) offsets of the sentences in text; paragraphs always end one."""
    for para in re.finditer(r"[^\n]+", text):
        chunk, base = para.group(), para.start()
        start = 0
        for match in _SENTENCE_END.finditer(chunk):
            before = chunk[start:match.start()].rsplit(None, 1)
            last_word = before[-1].lower().lstrip("\"'“‘(") if before else ""
            if chunk[match.start()] == "." and (
                    last_word in _ABBREVIATIONS or re.fullmatch(r"(?:[a-z]\.)*[a-z]", last_word)):
                continue  # "Gen. Smith", "U.S. forces", initials
            yield from _trimmed(text, base + start, base + match.end())
            start = match.end()
        yield from _trimmed(text, base + start, para.end())


def _trimmed(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        yield start, end


# "KANO, Nigeria, Nov 21 (Meridian) - ", "BOGOTÁ, Colombia — ", "PARIS (AP) — "
_DATELINE = re.compile(
    r"""(?P<place>[A-ZÀ-Þ][A-ZÀ-Þ .'’-]{1,40})   # the place, in capitals
        (?:,\s*(?P<region>[A-Z][\w.'’-]*                 # ", Country", ", State",
           (?:\s+(?:(?:of|the|and|de|del|da|do|du|la|el|al)\s+)?[A-Z][\w.'’-]*){0,4})
        ){0,2}                                            # ", Republic of Congo"
        (?:,?\s*[A-Z][a-z]{2,8}\.?\s+\d{1,2}(?:,\s*\d{4})?)?  # ", Nov 21"
        \s*(?:\((?P<agency>[^()\n]{1,60})\))?                # "(Reuters)"
        \s*(?:[-–—]+\s+                                     # " - ", or after a short
           |(?P<dashless>\ufffd?\s*(?=[A-Z])))             # agency, lost: "(AP) An aide"
        """,
    re.VERBOSE)


_MONTHS_SHORT = {"jan", "feb", "mar", "apr", "may", "jun", "june", "jul", "july",
                        "aug", "sep", "sept", "oct", "nov", "dec"}


class Dateline(NamedTuple):
    body_start: int  # where the story proper starts (0 when there is no dateline)
    place: Optional[tuple[int, int]] = None  # "KANO" in "KANO, Nigeria, Nov 21 -"
    agency: Optional[tuple[int, int]] = None  # "Meridian" in "... (Meridian) -"
    region: Optional[tuple[int, int]] = None  # "Nigeria"; "Calif." in "SAN JOSE, Calif. -"


# Where a dateline can stand inside a text: at a paragraph's start or after a sentence's
# end, as in a roundup of wire stories or after a headline, caption or byline.
_DATELINE_STARTS = re.compile(r"""(?<=\n)|(?<=[.!?] )|(?<=[.!?]["'”’)] )""")


def dateline(text: str) -> Dateline:
    """The dateline opening a story, if there is one."""
    return _dateline_at(text, len(text) - len(text.lstrip())) or Dateline(0)


def datelines(text: str) -> list[Dateline]:
    """Every dateline in a text: the one opening it, those opening a paragraph, and
    those following a sentence that name an agency or a region ("... in the city. SAN
    DIEGO (AP) — The Guard ..."): capitals before a dash inside a paragraph are seldom
    a dateline otherwise ("... it said. NATO - the alliance - met ...")."""
    opening = dateline(text)
    found = [opening] if opening.place else []
    for start in _DATELINE_STARTS.finditer(text):
        if text[start.end():start.end() + 1].isupper():
            one = _dateline_at(text, start.end())
            if one and (one.agency or one.region or text[start.end() - 1] == "\n") and \
                    (not found or one.place[0] >= found[-1].body_start):
                found.append(one)
    return found


def _dateline_at(text: str, position: int) -> Optional[Dateline]:
    match = _DATELINE.match(text, position)
    if not match or match.group("dashless") is not None and not (
            match.group("agency") and len(match.group("agency")) <= 20):
        return None
    start, end = match.span("place")
    end = start + len(text[start:end].rstrip(" .,-"))
    agency = match.span("agency") if match.group("agency") else None
    region = match.group("region")
    if region and region.split()[0].rstrip(".").lower() in _MONTHS_SHORT:
        region = None  # "KANO, Nov 21": a date, not a region
    return Dateline(match.end(), (start, end), agency,
                    match.span("region") if region else None)


# What separates a headline from the site's name or a section in a page's title: "Headline |
# Site", "Site - Headline", "World » Headline", "Headline / Site", "Site :: Headline".
_TITLE_SEPARATOR_MARKS = r"[|\-–—·•»/]|::"
# Not a colon where a title's parts are kept or joined again: "Tramway T10 : le
# prolongement..." is one headline.
TITLE_SEPARATORS = re.compile(rf"\s+(?:{_TITLE_SEPARATOR_MARKS})\s+")
# A spaced colon too where a part is only compared with a site name or a text's first line,
# the title being cut at most at its first or last separator: "Headline : Site".
TITLE_SEPARATORS_AND_COLON = re.compile(rf"\s+(?:{_TITLE_SEPARATOR_MARKS}|:)\s+")

# The credit words a byline opens with: "By", "Reported by", "Written by", "Words by", "Story
# by"; "Por" (Spanish, Portuguese), "Par" (French), "Von" (German). The patterns below have
# single spaces: they are matched against texts whose spaces are normalised.
_BYLINE_LEAD_WORDS = ("reported", "written", "words", "story")
_BYLINE_BY_WORDS = ("by", "por", "par", "von")


def _credit_pattern(lead_words: tuple[str, ...], by_words: tuple[str, ...]) -> str:
    return rf"^(?:(?:{'|'.join(lead_words)}) )?(?:{'|'.join(by_words)}) "


# The credit words alone: enough in an element whose class already says it holds authors or
# page information ("byline", "author", "meta").
BYLINE_OPENING = re.compile(_credit_pattern(_BYLINE_LEAD_WORDS, _BYLINE_BY_WORDS), re.IGNORECASE)
# A line anywhere that is a byline: the credit words, then a name ([A-ZÀ-Þ], any case).
BYLINE = re.compile(BYLINE_OPENING.pattern + "[A-ZÀ-Þ]", re.IGNORECASE)
# Taken off the front of a name already known to be an author's: the byline's credit words,
# and also "Text by" and "Reporting by" (credit lines; "Reporting by ...; Editing by ..."
# closes wire stories and is not their byline), and "de", "di" (Spanish, Portuguese,
# Italian), which open too many ordinary sentences to mark a byline.
AUTHOR_CREDIT = re.compile(
    _credit_pattern(_BYLINE_LEAD_WORDS + ("text", "reporting"), _BYLINE_BY_WORDS + ("de", "di")),
    re.IGNORECASE)
