"""The standfirst (lead, dek, teaser, intro) a page sets between its headline and its body,
which the extractor drops as page furniture although it is the article's first paragraph."""
from __future__ import annotations

import re
from typing import Optional

# Class and id words that name a standfirst: "article-standfirst", "story__dek", "p.lead",
# "teaser-text", "text-intro", "entry__subtitle", "field-abstract", "DefaultEinleitung",
# "chapo", "bajada". Not "leading-normal" nor "site-description" (see _OTHER_CLASS).
_STANDFIRST_WORDS = frozenset(
    "standfirst dek deck lead lede intro introduction summary subtitle subheadline excerpt "
    "teaser abstract epigraph einleitung vorspann chapo chapeau sapo bajada entradilla "
    "sumario description".split())
# The words of a class or id: "story__dek" -> story, dek; "DefaultEinleitung" -> Default,
# Einleitung (a word list, not one regex of all the words: every element's names are read).
_NAME_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])")
# Class and id words of what else such names are given to: an author's bio
# ("author-description"), an image's caption or credit ("img-description"), teasers of other
# stories ("post_teaser", "slider-element-subtitle", "teaser-breaker"), meta lines, widgets.
_OTHER_CLASS = re.compile(
    r"author|bio\b|img|image|photo|picture|media|caption|credit|copyright|social|share|"
    r"slider|carousel|related|recommend|newsletter|breaker|meta|byline|date|comment|widget|"
    r"sidebar|footer|menu|nav|promo|disclaimer|rating|card|item|post_teaser|site|logo|brand|"
    r"(?:^|[\s_-])ad\b",
    re.IGNORECASE)
# A standfirst is text of its own: not a link, a caption, a menu or a sidebar's teaser.
_NOT_STANDFIRST_INSIDE = frozenset("a nav footer aside figure figcaption button form".split())
_PICTURES = ("img", "picture", "video")
# Fewer words are a label ("Intro", "Summary"), not a standfirst.
_MIN_WORDS = 5
# More are the article's text, or a block holding more than its standfirst.
_MAX_WORDS = 100
# More blocks so named between the headline and the body are teasers of other stories.
_MOST_STANDFIRSTS = 2
# The body's first paragraph (the first line of this many words) is found in the page by
# its second to seventh words: fewer matched a headline.
_PROBE_WORDS = 6
_MIN_BODY_WORDS = 8
# The description is compared with a block whose own text opens it with this much.
_MIN_OWN_CHARS = 20


def with_standfirst(tree, lines: list[str], description: Optional[str]) -> list[str]:
    """The extracted lines (one paragraph a line) with the page's standfirst put before the
    body's first paragraph, when the page has one before that paragraph (and after the
    <h1>, if one is before it), marked by its class or giving the page's description, and
    the lines lack it."""
    first = next((number for number, line in enumerate(lines)
                  if len(line.split()) >= _MIN_BODY_WORDS), None)
    if first is None:
        return lines
    # its words after the first (a drop cap may stand apart from the rest of its word)
    probe = " ".join(lines[first].split()[1:_PROBE_WORDS + 1])
    described = " ".join((description or "").split())
    found: list = []
    for element in tree.iter():
        tag = element.tag
        if not isinstance(tag, str):
            continue
        own = " ".join(element.text.split()) if element.text else ""
        if probe in (_text(element) if tag == "p" and len(element) else own):
            break  # the body's first paragraph
        if tag == "h1":
            found = []  # what stands before the headline is no standfirst
            continue
        names = f"{element.get('class') or ''} {element.get('id') or ''}"
        if len(names) > 1 and _names_standfirst(names) or (
                len(own) >= _MIN_OWN_CHARS and described.startswith(own[:40])
                and _same_text(_text(element), described)):
            found.append(element)
    else:
        return lines  # the body's first paragraph is not where the page's text is
    # not a block holding the body ("field-type-text-with-summary"); of blocks inside one
    # another, the innermost (a lead's own paragraph, not the box with its byline)
    holding = set(element.iterancestors())
    found = [candidate for candidate in found if candidate not in holding]
    holding = {ancestor for candidate in found for ancestor in candidate.iterancestors()}
    found = [candidate for candidate in found if candidate not in holding]
    found = [candidate for candidate in found if _own_text_block(candidate)]
    if len(found) > _MOST_STANDFIRSTS:
        return lines
    text = " ".join(" ".join(lines).split())
    standfirsts = list(dict.fromkeys(
        paragraph for paragraph in map(_text, found)
        if _MIN_WORDS <= len(paragraph.split()) <= _MAX_WORDS and paragraph not in text))
    return lines[:first] + standfirsts + lines[first:] if standfirsts else lines


def _names_standfirst(names: str) -> bool:
    return not _STANDFIRST_WORDS.isdisjoint(
        word.lower() for word in _NAME_WORD.findall(names)) and not _OTHER_CLASS.search(names)


def _text(element) -> str:
    return " ".join(element.text_content().split())


def _same_text(text: str, description: str) -> bool:
    """The element's text is the description, or the description is its shortened start."""
    shortened = description.rstrip(".…").rstrip()
    return text == description or len(shortened) >= 40 and text.startswith(shortened)


def _own_text_block(element) -> bool:
    """Not inside a link, caption, menu or sidebar; no picture in it, nor a picture's
    caption; not a date line (a <time> in it); not mostly link text."""
    if element.tag in _NOT_STANDFIRST_INSIDE or any(
            ancestor.tag in _NOT_STANDFIRST_INSIDE for ancestor in element.iterancestors()):
        return False
    if next(element.iter(*_PICTURES, "time"), None) is not None or _caption(element):
        return False
    linked = sum(len(" ".join(link.text_content().split())) for link in element.iter("a"))
    return linked * 2 < len(_text(element))


def _caption(element) -> bool:
    """The only text beside a picture."""
    parent = element.getparent()
    siblings = [sibling for sibling in (parent if parent is not None else ())
                if isinstance(sibling.tag, str) and sibling is not element]
    return any(sibling.tag in _PICTURES for sibling in siblings) and not any(
        sibling.tag not in _PICTURES and sibling.text_content().strip() for sibling in siblings)
