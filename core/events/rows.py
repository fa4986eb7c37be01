"""Building event rows: parties (actor, recipient) resolved through the article's
entities, the location, the date and the confidence of one coded trigger."""
from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Optional

from spacy.tokens import Doc, Token

from newsbeam.schemas import EVENTS, UNKNOWN_REGION

from .. import dates, text as textlib
from ..language.entities import PLACE_LABELS
from ..language.gazetteer import SUBNATIONAL_KINDS
from ..records import AnnotatedArticle
from . import lexicon
from .lexicon import Rule
from .clusters import cluster_id
from .syntax import (OBJECTS, clause_text, in_clause_below, phrase_tokens, prep_object, token_at,
                     patron_tokens, unrealized, without_other_relatives)


@dataclasses.dataclass
class Party:
    name: str
    country: Optional[str]
    named: bool  # an entity, not a common noun
    sector: Optional[str]  # military, police, rebels, protesters, ... from the head noun


def place_at(token: Token, offset: int, entities: list[dict]) -> Optional[dict]:
    start = offset + token.idx
    return next((e for e in entities if e["label"] in PLACE_LABELS
                 and e["start_char"] <= start < e["end_char"]), None)


def party_of(token: Optional[Token], offset: int, entities: list[dict],
             article: dict) -> Optional[Party]:
    """An actor or recipient: the entity its phrase names, else the phrase itself."""
    if token is None or token.pos_ == "PRON":
        return None
    left = min((t for t in phrase_tokens(token)), key=lambda t: t.i)
    start, end = offset + left.idx, offset + token.idx + len(token)
    # the head noun's sector, else a modifier's: "state police patrol" is police
    sector = next((lexicon.SECTOR_OF[t.lemma_.lower()] for t in
                   [token, *sorted(phrase_tokens(token), key=lambda t: -t.i)]
                   if t.lemma_.lower() in lexicon.SECTOR_OF), None)
    head_start = offset + token.idx
    patron = [(offset + token.doc[i].idx, offset + token.doc[i].idx + len(token.doc[i]))
              for i in patron_tokens(token)]
    inside = [e for e in entities if e["start_char"] < end and e["end_char"] > start and
              not any(s <= e["start_char"] < t for s, t in patron)]  # not "US-backed"
    heading = next((e for e in inside if e["start_char"] <= head_start < e["end_char"]), None)
    country = next((e["country_code"] for e in inside if e["country_code"]), None)
    if heading is not None:
        return Party(heading["canonical_name"], heading["country_code"] or country, True,
                      sector)
    words = sorted((t for t in phrase_tokens(token) if t.pos_ not in ("DET", "PUNCT")),
                   key=lambda t: t.i) or [token]
    name = token.doc.text[words[0].idx:token.idx + len(token)]
    if country is None and sector in lexicon.DOMESTIC_SECTORS and \
            not any(t.pos_ == "PRON" for t in words):  # not "its forces"
        country = article.get("country_code")  # "police", "the army": the story's country
    return Party(name, country, False, sector)


def location_of(trigger: Token, doc: Doc, offset: int, entities: list[dict],
                annotated: AnnotatedArticle) -> Optional[dict]:
    """The place the event happened: a place attached to the trigger by a
    locative preposition, else the sentence's first place, else the closest
    earlier place in the article that lies in the article's country (not a site: a
    street or building says where one thing happened, not the story)."""
    places = [e for e in entities if e["label"] in PLACE_LABELS and e["country_code"]]
    for entity in places:
        token = token_at(doc, entity["start_char"] - offset)
        if token is None:
            continue
        head = token.head
        if head.dep_ == "prep" and head.lemma_.lower() in lexicon.LOCATION_PREPS and \
                (head.head == trigger or head.head in trigger.subtree):
            return entity
        if token.head == trigger and token.dep_ in OBJECTS:
            return entity
    inside = {t.i for t in trigger.subtree}
    within = []  # "advanced to the edge of the city of Homs"
    for entity in places:
        token = token_at(doc, entity["start_char"] - offset)
        if token is not None and token.i in inside and token.i > trigger.i and \
                entity["latitude"] is not None and not in_clause_below(token, trigger):
            within.append(entity)
    if within:  # the finest: "in Russia's Belgorod region" is the region
        return next((e for e in within if e["place_kind"] in SUBNATIONAL_KINDS), within[0])
    cities = [e for e in places if e["place_kind"] in SUBNATIONAL_KINDS]
    if cities:
        return cities[0]
    if places:
        return places[0]
    country = annotated.article.get("country_code")
    earlier = [e for e in annotated.entities if e["end_char"] <= offset
               and e["label"] in PLACE_LABELS and e["country_code"] == country
               and e["place_kind"] != "site"]  # a street says where one thing happened
    return earlier[-1] if earlier else None


def event_row(article: dict, rule: Rule, trigger: Token, offset: int, sentence: str,
              actor: Optional[Party], recipient: Optional[Party],
              location: Optional[dict]) -> dict:
    reference, date_source = reference_day(article)
    own = "" if unrealized(trigger) else clause_text(trigger)
    day = dates.day_in_sentence(own, reference) or \
        dates.day_in_sentence(without_other_relatives(trigger), reference)
    if day is not None:
        date_source = "text"
    event_date = day or reference
    region = (location or {}).get("country_code") or article.get("country_code") \
        or UNKNOWN_REGION
    trigger_start = offset + trigger.idx
    row = EVENTS.row(
        event_id=textlib.stable_id(article["article_id"], str(trigger_start), rule.event_type),
        article_id=article["article_id"],
        event_type=rule.event_type,
        event_mode=rule.mode,
        cameo_code=rule.cameo,
        quad_class=lexicon.QUAD_CLASS[rule.event_type],
        actor=actor.name if actor else None,
        actor_country=actor.country if actor else None,
        actor_sector=actor.sector if actor else None,
        recipient=recipient.name if recipient else None,
        recipient_country=recipient.country if recipient else None,
        recipient_sector=recipient.sector if recipient else None,
        location=location["canonical_name"] if location else None,
        geonames_id=location["geonames_id"] if location else None,
        location_kind=location["place_kind"] if location else None,
        admin1_code=location["admin1_code"] if location else None,
        latitude=location["latitude"] if location else None,
        longitude=location["longitude"] if location else None,
        event_date=event_date,
        date_source=date_source,
        trigger=trigger.text,
        sentence=sentence,
        start_char=offset,
        end_char=offset + len(sentence),
        confidence=confidence(rule, actor, recipient,
                              location is not None and location["start_char"] >= offset,
                              trigger),
        cluster_id="",  # set below, from the row's own columns
        cluster_articles=1,
        cluster_sources=1,
        date=event_date.isoformat(),
        region=region,
    )
    row["cluster_id"] = cluster_id(row)
    return row


def reference_day(article: dict) -> tuple[dt.date, str]:
    """The day "on Saturday" counts from: the day the publisher states, in its own zone."""
    if article.get("published_date") is not None:
        return article["published_date"], "published"
    if article.get("published_at") is not None:
        return article["published_at"].date(), "published"
    return article["ingested_at"].date(), "ingested"


def confidence(rule: Rule, actor: Optional[Party], recipient: Optional[Party],
               place_in_sentence: bool, trigger: Token) -> float:
    """0..1. Clear (main-clause trigger, unambiguous verb), attributed (a named
    actor, a reported source) and specific (recipient, place in the sentence)
    sentences score higher."""
    score = 0.35
    if actor:
        score += 0.15 + (0.1 if actor.named else 0.0)
    if recipient:
        score += 0.1 + (0.05 if recipient.named else 0.0)
    if place_in_sentence:
        score += 0.1
    if trigger.dep_ == "ROOT" or trigger.head.lemma_.lower() in lexicon.REPORTING_VERBS:
        score += 0.1
    score *= rule.certainty
    return round(max(0.05, min(score, 0.99)), 3)
