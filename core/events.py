"""Event coding: who did what to whom, where and when, from parsed sentences.

Only sentences holding a trigger word are parsed. In each, a verb from the
lexicon with its subject and object (passives, "X said they did Y", relative
clauses and coordination followed) becomes an event if it is asserted as having
happened: negated, modal, intended, threatened or asked-about actions are not.
Actors, recipients and places are resolved through the article's entity rows.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import re
from typing import Iterable, Optional, Sequence

from spacy.language import Language
from spacy.tokens import Doc, Token

from newsbeam.schemas import EVENTS, UNKNOWN_REGION

from . import dates, lexicon, text as textlib
from .entities import PLACE_LABELS
from .lexicon import ANY, NONE, OBJECT, Rule
from .records import AnnotatedArticle

MAX_SENTENCE_CHARS = 600  # longer "sentences" are lists or tables, not prose
_WORDS = re.compile(r"[A-Za-z]+")
_SUBJECTS = ("nsubj", "csubj")
_OBJECTS = ("dobj", "obj")
_LOCATION_PREPS = frozenset("in at near outside inside across around into from on "
                            "throughout within towards toward".split())
_PHRASE_DEPS = frozenset(("compound", "amod", "nmod", "poss", "nummod", "npadvmod", "case"))
_SYMMETRIC = frozenset(("AGREE", "CONSULT", "COOPERATE"))
_QUANTITIES = frozenset("dozen hundred thousand score group number crowd handful".split())
# Force used by protesters is riot or occupation, not an armed assault or arrest.
_BY_PROTESTERS = {"ASSAULT": Rule("PROTEST", "14", "riot"),
                  "COERCE": Rule("PROTEST", "14", "obstruct")}


def candidate_sentences(text: str) -> list[tuple[int, int]]:
    """Sentences worth parsing: they hold a word that can express an event."""
    found = []
    body_start = textlib.dateline(text).body_start
    for start, end in textlib.sentences(text):
        start = max(start, body_start)  # the dateline is not part of the first sentence
        if end - start > MAX_SENTENCE_CHARS or start >= end:
            continue
        words = {w.lower() for w in _WORDS.findall(text[start:end])}
        if words & lexicon.TRIGGER_FORMS:
            found.append((start, end))
    return found


class EventCoder:
    """Codes events in batches of annotated articles with one spaCy parser."""

    def __init__(self, nlp: Language):
        self.nlp = nlp

    def code(self, articles: Sequence[AnnotatedArticle]) -> list[list[dict]]:
        jobs = [(i, start, end) for i, a in enumerate(articles)
                for start, end in candidate_sentences(a.article["text"])]
        docs = self.nlp.pipe(articles[i].article["text"][s:e] for i, s, e in jobs)
        out: list[list[dict]] = [[] for _ in articles]
        for (i, start, _), doc in zip(jobs, docs):
            out[i].extend(events_in_sentence(articles[i], start, doc))
        return out


@dataclasses.dataclass
class _Party:
    name: str
    country: Optional[str]
    named: bool  # an entity, not a common noun
    sector: Optional[str]  # military, police, rebels, protesters, ... from the head noun


def events_in_sentence(annotated: AnnotatedArticle, offset: int, doc: Doc) -> list[dict]:
    """Event rows for one parsed sentence starting at ``offset`` in the article text."""
    article = annotated.article
    sentence = doc.text
    if sentence.rstrip().rstrip("\"'”’").endswith("?"):
        return []
    end = offset + len(sentence)
    entities = [e for e in annotated.entities
                if e["start_char"] >= offset and e["end_char"] <= end]
    places = {t.i for e in entities if e["label"] in PLACE_LABELS
              for t in doc.char_span(e["start_char"] - offset, e["end_char"] - offset,
                                     alignment_mode="expand") or ()}
    rows, seen = [], set()
    for token in doc:
        found = _trigger(token, places)
        if not found:
            continue
        rule, actor_tok, recipient_tok = found
        if not _happened(token) or (token.i, rule.event_type) in seen:
            continue
        if dates.is_background(_clause_text(token), _reference_day(article)[0]):
            continue  # "police arrested him in 2019", "the war that began 13 years ago"
        if actor_tok is not None and actor_tok.lemma_.lower() in lexicon.NATURAL_CAUSES:
            continue
        seen.add((token.i, rule.event_type))
        actor = _party(actor_tok, offset, entities, article)
        recipient = _party(recipient_tok, offset, entities, article)
        if actor is not None and actor.sector == "protesters":
            rule = _BY_PROTESTERS.get(rule.event_type, rule)
        location = _location(token, doc, offset, entities, annotated)
        rows.append(_event_row(article, rule, token, offset, sentence, actor, recipient,
                               location))
    return rows


def _trigger(token: Token,
             places: set[int]) -> Optional[tuple[Rule, Optional[Token], Optional[Token]]]:
    """(rule, actor token, recipient token) when the token expresses an event.

    ``places`` holds the indices of tokens inside place names.
    """
    lemma = token.lemma_.lower()
    if token.pos_ == "VERB" and lemma in lexicon.VERBS:
        reduced = token.dep_ == "acl" and token.tag_ == "VBN"  # "hundreds of people killed"
        passive = reduced or any(c.dep_ in ("nsubjpass", "auxpass") for c in token.children)
        if reduced:
            obj = token.head
        else:
            obj = _child(token, ("nsubjpass",) if passive else _OBJECTS)
        rule = _select_rule(lexicon.VERBS[lemma], token, obj, places)
        if rule is None:
            return None
        if passive:
            agent = _child(token, ("agent",))
            actor = _child(agent, ("pobj",)) if agent is not None else None
        else:
            actor = _subject(token)
        recipient = obj if rule.recipient_from_object else None
        recipient = recipient or _prep_object(token, rule.recipient_preps)
        if recipient is None and actor is not None and rule.event_type in _SYMMETRIC:
            recipient = _child(actor, ("conj",))
        return rule, actor, recipient
    if token.pos_ == "NOUN" and lemma in lexicon.NOMINAL_EVENTS and token.dep_ == "nsubj" \
            and token.head.lemma_.lower() in lexicon.NOMINAL_VERBS:
        between = _prep_object(token, ("between", "by", "with"))
        other = _child(between, ("conj",)) if between is not None else None
        return lexicon.NOMINAL_EVENTS[lemma], between, other
    return None


def _select_rule(rules: Iterable[Rule], verb: Token, obj: Optional[Token],
                 places: set[int]) -> Optional[Rule]:
    obj_lemmas = _object_lemmas(obj)
    if obj is not None and obj.i in places:
        obj_lemmas.add(lexicon.PLACE)
    particles = {c.lemma_.lower() for c in verb.children if c.dep_ == "prt"}
    for rule in rules:
        if rule.particle and rule.particle not in particles:
            continue
        if rule.needs_prep and not _has_prep(verb, rule.needs_prep, rule.prep_objects):
            continue
        if rule.objects == OBJECT and obj is None:
            continue
        if rule.objects == NONE and obj is not None:
            continue
        if rule.objects not in (ANY, OBJECT, NONE) and not obj_lemmas & rule.objects:
            continue
        if _fired_into_the_air(verb):
            return None
        return rule
    return None


def _object_lemmas(obj: Optional[Token]) -> set[str]:
    """The object's lemma, its compounds, and what an "of" phrase names
    ("600 tonnes of food aid" -> tonne, food, aid)."""
    if obj is None:
        return set()
    lemmas = {obj.lemma_.lower()}
    lemmas |= {c.lemma_.lower() for c in obj.children if c.dep_ in ("compound", "amod")}
    for prep in obj.children:
        if prep.dep_ == "prep" and prep.lemma_.lower() == "of":
            for pobj in prep.children:
                if pobj.dep_ == "pobj":
                    lemmas.add(pobj.lemma_.lower())
                    lemmas |= {c.lemma_.lower() for c in pobj.children if c.dep_ == "compound"}
    return lemmas


def _fired_into_the_air(verb: Token) -> bool:
    """Celebratory or warning shots are not attacks."""
    return any(c.dep_ == "prep" and c.lemma_.lower() in ("into", "in")
               and any(p.lemma_.lower() == "air" for p in c.children) for c in verb.children)


def _happened(verb: Token) -> bool:
    """False for negated, modal, hypothetical, intended, alleged or threatened actions."""
    node = verb
    for _ in range(8):
        children = list(node.children)
        if any(c.dep_ == "neg" for c in children):
            return False
        if any(c.dep_ in ("aux", "auxpass") and c.lemma_.lower() in lexicon.MODALS
               for c in children):
            return False
        if any(c.dep_ == "mark" and c.lemma_.lower() in ("if", "unless", "whether")
               for c in children):
            return False
        if node.pos_ == "VERB" and any(c.dep_ == "aux" and c.tag_ == "TO" for c in children) \
                and node.head.lemma_.lower() not in lexicon.IMPLICATIVE_HEADS:
            return False  # "agreed to withdraw", "the right to protest": not done (yet)
        subj = _child(node, _SUBJECTS + ("nsubjpass",))
        if subj is not None and any(c.lemma_.lower() in ("no", "nobody") for c in subj.subtree):
            return False
        if node.dep_ in ("xcomp", "ccomp", "csubj", "advcl", "pcomp", "conj", "acl", "prep",
                         "pobj"):
            head = node.head
            if node.dep_ != "conj" and head.lemma_.lower() in lexicon.NOT_HAPPENED_HEADS:
                return False
            node = head
            continue
        return True
    return True


def _child(token: Optional[Token], deps: Sequence[str]) -> Optional[Token]:
    if token is None:
        return None
    return next((c for c in token.children if c.dep_ in deps), None)


def _subject(verb: Token) -> Optional[Token]:
    """The acting subject, following coordination, relative clauses and
    "X said they ..." pronouns."""
    node = verb
    subj = _child(node, _SUBJECTS)
    # "rebels seized X and attacked Y", "attacked a village, killing 17 civilians"
    while subj is None and node.head.i != node.i and (
            node.dep_ in ("conj", "xcomp") or node.dep_ == "advcl" and node.tag_ == "VBG"):
        node = node.head
        subj = _child(node, _SUBJECTS)
    if subj is None and verb.dep_ == "relcl":
        return verb.head
    if subj is None:
        subj = _swallowed_subject(node)
    if subj is not None and subj.tag_ == "WDT" and node.dep_ == "relcl":
        return node.head
    if subj is not None and subj.pos_ == "PRON" and node.dep_ == "ccomp" \
            and node.head.lemma_.lower() in lexicon.REPORTING_VERBS:
        reporter = _child(node.head, _SUBJECTS)
        if reporter is not None and reporter.pos_ != "PRON":
            return reporter
    return subj


def _swallowed_subject(verb: Token) -> Optional[Token]:
    """The subject the parser folded into a time phrase before the verb: in "On Friday
    gunmen attacked ..." it reads "Friday gunmen" as one noun under "on"."""
    before = verb.doc[verb.i - 1] if verb.i > 0 else None
    if before is None or before.dep_ != "pobj" or before.head.head.i != verb.i:
        return None
    if any(c.dep_ == "compound" and c.lower_ in dates.TIME_WORDS for c in before.children):
        return before
    return None


def _prep_object(token: Token, preps: Sequence[str]) -> Optional[Token]:
    for prep in token.children:
        if prep.dep_ in ("prep", "dative") and prep.lemma_.lower() in preps:
            pobj = _child(prep, ("pobj",))
            if pobj is not None:
                return pobj
    return None


def _has_prep(token: Token, preps: Sequence[str], objects: Optional[frozenset]) -> bool:
    for prep in token.children:
        if prep.dep_ == "prep" and prep.lemma_.lower() in preps:
            if objects is None or _object_lemmas(_child(prep, ("pobj",))) & objects:
                return True
    return False


def _party(token: Optional[Token], offset: int, entities: list[dict],
           article: dict) -> Optional[_Party]:
    """An actor or recipient: the entity its phrase names, else the phrase itself."""
    if token is None or token.pos_ == "PRON":
        return None
    if token.lemma_.lower() in _QUANTITIES:  # "dozens of depositors" -> depositors
        token = _prep_object(token, ("of",)) or token
    left = min((t for t in _phrase_tokens(token)), key=lambda t: t.i)
    start, end = offset + left.idx, offset + token.idx + len(token)
    # the head noun's sector, else a modifier's: "state police patrol" is police
    sector = next((lexicon.SECTOR_OF[t.lemma_.lower()] for t in
                   [token, *sorted(_phrase_tokens(token), key=lambda t: -t.i)]
                   if t.lemma_.lower() in lexicon.SECTOR_OF), None)
    head_start = offset + token.idx
    inside = [e for e in entities if e["start_char"] < end and e["end_char"] > start]
    heading = next((e for e in inside if e["start_char"] <= head_start < e["end_char"]), None)
    country = next((e["country_code"] for e in inside if e["country_code"]), None)
    if heading is not None:
        return _Party(heading["canonical_name"], heading["country_code"] or country, True,
                      sector)
    words = sorted((t for t in _phrase_tokens(token) if t.pos_ not in ("DET", "PUNCT")),
                   key=lambda t: t.i) or [token]
    name = token.doc.text[words[0].idx:token.idx + len(token)]
    if country is None and sector in lexicon.DOMESTIC_SECTORS and \
            not any(t.pos_ == "PRON" for t in words):  # not "its forces"
        country = article.get("country_code")  # "police", "the army": the story's country
    return _Party(name, country, False, sector)


def _phrase_tokens(token: Token) -> list[Token]:
    """The head noun with its left modifiers: "Syrian rebels", "Opposition leader X"."""
    out = [token]
    for child in token.lefts:
        if child.dep_ in _PHRASE_DEPS:
            out.extend(t for t in child.subtree if t.i < token.i)
    return out


def _location(trigger: Token, doc: Doc, offset: int, entities: list[dict],
              annotated: AnnotatedArticle) -> Optional[dict]:
    """The place the event happened: a place attached to the trigger by a
    locative preposition, else the sentence's first place, else the closest
    earlier place in the article that lies in the article's country."""
    places = [e for e in entities if e["label"] in PLACE_LABELS and e["country_code"]]
    for entity in places:
        token = _token_at(doc, entity["start_char"] - offset)
        if token is None:
            continue
        head = token.head
        if head.dep_ == "prep" and head.lemma_.lower() in _LOCATION_PREPS and \
                (head.head == trigger or head.head in trigger.subtree):
            return entity
        if token.head == trigger and token.dep_ in _OBJECTS:
            return entity
    cities = [e for e in places if e["geonames_id"] and e["latitude"] is not None]
    if cities:
        return cities[0]
    if places:
        return places[0]
    country = annotated.article.get("country_code")
    earlier = [e for e in annotated.entities if e["end_char"] <= offset
               and e["label"] in PLACE_LABELS and e["country_code"] == country]
    return earlier[-1] if earlier else None


def _token_at(doc: Doc, char: int) -> Optional[Token]:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _event_row(article: dict, rule: Rule, trigger: Token, offset: int, sentence: str,
               actor: Optional[_Party], recipient: Optional[_Party],
               location: Optional[dict]) -> dict:
    reference, date_source = _reference_day(article)
    day = dates.day_in_sentence(_clause_text(trigger), reference) or \
        dates.day_in_sentence(sentence, reference)
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


def cluster_id(row: dict) -> str:
    """The real event a row reports: its type and day, the city-level place, who acted
    (by sector, else country, else name) and the recipient's sector. Rows placed only
    by country are clustered within their article alone: a country is too large to say
    that two reports are one event."""
    place = str(row["geonames_id"]) if row["latitude"] is not None else \
        f"{row['region']}:{row['article_id']}"

    def who(sector, country, name):
        return sector or country or (name or "").casefold()

    return textlib.stable_id(
        "event", row["event_type"], row["event_date"].isoformat(), place,
        who(row["actor_sector"], row["actor_country"], row["actor"]),
        row["recipient_sector"] or "")


_CLAUSES = frozenset(("relcl", "ccomp", "advcl", "acl", "conj", "parataxis", "csubj", "xcomp"))


def _clause_tokens(trigger: Token) -> list[Token]:
    """The trigger and its dependents, without the clauses hanging from it: where its
    own time and place are said."""
    tokens, stack = [], [trigger]
    while stack:
        token = stack.pop()
        tokens.append(token)
        stack.extend(c for c in token.children if c.dep_ not in _CLAUSES)
    return sorted(tokens, key=lambda t: t.i)


def _clause_text(trigger: Token) -> str:
    """The words that date the trigger: its own clause, and for a participle hanging
    from another verb ("attacked the town last year, killing dozens") that verb's too."""
    tokens = _clause_tokens(trigger)
    if trigger.dep_ in ("advcl", "xcomp") and trigger.tag_ in ("VBG", "VBN"):
        tokens = sorted({*tokens, *_clause_tokens(trigger.head)}, key=lambda t: t.i)
    return " ".join(t.text for t in tokens)


def _reference_day(article: dict) -> tuple[dt.date, str]:
    if article.get("published_at") is not None:
        return article["published_at"].date(), "published"
    return article["ingested_at"].date(), "ingested"


def confidence(rule: Rule, actor: Optional[_Party], recipient: Optional[_Party],
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
