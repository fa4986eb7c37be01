"""NER spans to entity rows: places resolved, names canonicalised, main country chosen.

Input is the article text and the NER model's spans ``(start, end, label)``; no
spaCy objects, so this is testable and benchmarkable on its own.
"""
from __future__ import annotations

import collections
import dataclasses
import re
from typing import Iterable, Optional

from newsbeam.schemas import ENTITIES, UNKNOWN_REGION

from . import text as textlib
from .gazetteer import Gazetteer, Place, name_key
from .records import AnnotatedArticle

# Numeric and temporal labels are not entities users look up.
ENTITY_LABELS = {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT",
                 "WORK_OF_ART", "LAW", "LANGUAGE"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
_RELABEL_FROM = {"ORG", "PERSON", "NORP", "PRODUCT", "WORK_OF_ART"}
_TRAILING_POSSESSIVE = re.compile(r"[’']s?$")
_LEADING_VERB = re.compile(r"^[A-Z][a-z]+(?:ing|ed)\s+")  # "Capturing Homs" as one PERSON
_ACRONYM_AFTER = re.compile(r"\s*\(([A-Z][A-Za-z.&]{1,9})\)")
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclasses.dataclass
class Mention:
    start: int
    end: int
    text: str
    label: str
    place: Optional[Place] = None
    country_code: Optional[str] = None
    canonical: Optional[str] = None
    fixed: bool = False  # the label is certain; place recovery leaves it alone


def entity_rows(article_id: str, text: str, spans: Iterable[tuple[int, int, str]],
                gazetteer: Gazetteer) -> tuple[list[dict], Optional[str]]:
    """Entity rows for an article and the article's main country (or None)."""
    mentions = [m for m in (_trim(text, s, e, label) for s, e, label in spans
                            if label in ENTITY_LABELS) if m]
    _, agency = textlib.dateline(text)
    for m in mentions:
        if agency and agency[0] <= m.start < agency[1]:
            m.label, m.fixed = "ORG", True  # "KANO, Nov 21 (Meridian) -": a news agency
    _recover_places(mentions, gazetteer)
    context = _country_context(mentions, gazetteer)
    for m in mentions:
        if m.label in PLACE_LABELS:
            m.place = gazetteer.resolve(m.text, context)
            if m.place:
                m.country_code = m.place.country_code
        elif m.label == "NORP":
            m.country_code = gazetteer.country_of_demonym(m.text)
    _canonicalise(mentions, text, gazetteer)
    rows = [_row(article_id, m) for m in mentions]
    return rows, main_country(mentions, len(text))


def _trim(text: str, start: int, end: int, label: str) -> Optional[Mention]:
    """The mention without a leading 'the' or a trailing possessive."""
    span = text[start:end]
    lead = re.match(r"(?i)the\s+", span)
    if lead:
        start += lead.end()
    tail = _TRAILING_POSSESSIVE.search(text[start:end])
    if tail and end - start > len(tail.group()) + 1:
        end -= len(tail.group())
    span = text[start:end].strip()
    if not span or not any(c.isalpha() for c in span):
        return None
    return Mention(start, start + len(span), span, label)


def _recover_places(mentions: list[Mention], gazetteer: Gazetteer) -> None:
    """Relabel as places the mentions NER got wrong that the gazetteer knows well.

    A name counts if the model tagged it as a place elsewhere in the article, or
    if it is a country, a US state or a city of 50,000 or more.
    """
    for m in mentions:
        lead = _LEADING_VERB.match(m.text)
        if lead and m.label in _RELABEL_FROM and not m.fixed and \
                gazetteer.is_well_known_place(m.text[lead.end():]):
            m.start += lead.end()
            m.text = m.text[lead.end():]
    tagged_places = {name_key(m.text) for m in mentions if m.label in PLACE_LABELS}
    person_words = {w for m in mentions if m.label == "PERSON" and " " in m.text
                    for w in name_key(m.text).split()}
    for m in mentions:
        if m.label not in _RELABEL_FROM or m.fixed:
            continue
        if m.label == "NORP" and gazetteer.country_of_demonym(m.text):
            continue
        key = name_key(m.text)
        if key in person_words:
            continue  # "Jordan" after "Michael Jordan" is the person
        if key in tagged_places or gazetteer.is_well_known_place(m.text):
            m.label = "GPE"


def _country_context(mentions: list[Mention], gazetteer: Gazetteer) -> dict[str, float]:
    """Share of the article's unambiguous country evidence per country."""
    votes: collections.Counter = collections.Counter()
    for m in mentions:
        if m.label in PLACE_LABELS:
            found = gazetteer.candidates(m.text)
            countries = {p.country_code for p in found}
            if len(countries) == 1:
                votes[countries.pop()] += 1.0
            elif any(p.kind == "country" for p in found):
                votes[next(p for p in found if p.kind == "country").country_code] += 1.0
        elif m.label == "NORP":
            code = gazetteer.country_of_demonym(m.text)
            if code:
                votes[code] += 0.5
    total = sum(votes.values())
    return {code: n / total for code, n in votes.items()} if total else {}


def main_country(mentions: list[Mention], text_length: int) -> Optional[str]:
    """Where the story happens: places weigh more than nationalities, early more than late.

    The dateline and first sentences name the scene; background countries tend to
    come later and once.
    """
    weights: collections.Counter = collections.Counter()
    for m in mentions:
        if not m.country_code:
            continue
        position = 1.0 - 0.5 * (m.start / max(text_length, 1))
        if m.label in PLACE_LABELS:
            kind_weight = 1.5 if m.place and m.place.kind != "country" else 1.0
        else:
            kind_weight = 0.4
        lead_bonus = 2.0 if m.start < 200 else 0.0
        weights[m.country_code] += kind_weight * position + lead_bonus * kind_weight
    if not weights:
        return None
    return max(weights.items(), key=lambda kv: (kv[1], kv[0]))[0]


def _canonicalise(mentions: list[Mention], text: str, gazetteer: Gazetteer) -> None:
    """Full names for short mentions within one article."""
    persons = sorted({m.text for m in mentions if m.label == "PERSON"}, key=len, reverse=True)
    orgs = [m for m in mentions if m.label == "ORG"]
    acronyms: dict[str, str] = {}
    for m in orgs:
        after = _ACRONYM_AFTER.match(text, m.end)
        if after:
            acronyms[after.group(1).replace(".", "")] = m.text
        initials = "".join(w[0] for w in m.text.split() if w[:1].isupper())
        if len(initials) >= 2 and " " in m.text:
            acronyms.setdefault(initials, m.text)
    for m in mentions:
        if m.place is not None:
            m.canonical = m.place.name
        elif m.label == "NORP" and m.country_code:
            m.canonical = gazetteer.nationality(m.country_code)
        elif m.label == "PERSON":
            words = set(name_key(m.text).split())
            m.canonical = next((full for full in persons
                                if words and words <= set(name_key(full).split())), m.text)
        elif m.label == "ORG":
            m.canonical = acronyms.get(m.text.replace(".", ""), m.text)
        else:
            m.canonical = m.text


def entity_id(m: Mention) -> str:
    if m.place is not None and m.place.geonames_id:
        return f"geonames:{m.place.geonames_id}"
    if m.label == "NORP" and m.country_code:
        return f"norp:{m.country_code.lower()}"
    slug = _SLUG.sub("-", name_key(m.canonical or m.text)).strip("-")
    return f"{m.label.lower()}:{slug}"


def _row(article_id: str, m: Mention) -> dict:
    place = m.place
    return ENTITIES.row(
        article_id=article_id,
        entity_id=entity_id(m),
        text=m.text,
        label=m.label,
        canonical_name=m.canonical or m.text,
        start_char=m.start,
        end_char=m.end,
        geonames_id=place.geonames_id if place and place.geonames_id else None,
        country_code=m.country_code,
        admin1_code=place.admin1_code if place else None,
        latitude=place.latitude if place else None,
        longitude=place.longitude if place else None,
    )


def annotate(article: dict, spans: Iterable[tuple[int, int, str]],
             gazetteer: Gazetteer) -> AnnotatedArticle:
    """The article with its main country and region set, and its entity rows."""
    rows, country = entity_rows(article["article_id"], article["text"], spans, gazetteer)
    article = dict(article, country_code=country, region=country or UNKNOWN_REGION)
    for row in rows:
        row["date"], row["region"] = article["date"], article["region"]
    return AnnotatedArticle(article=article, entities=rows)
