"""Event coding: who did what to whom, where and when, from parsed sentences.

Only sentences that can hold an event are parsed (a trigger word, and for verbs that
code only with certain objects one of those objects). In each, a verb from the lexicon
with its subject and object (passives, phrasal verbs, "X said they did Y", relative
clauses and coordination followed), or an event noun (the object of a light verb,
the subject of "erupted", with a "by" agent, or recent background after "after")
becomes an event if it is asserted as having happened: negated, modal, intended,
threatened, asked-about, historical, habitual, sporting, business or accidental actions
are not. Actors, recipients and places are resolved through the article's entity rows.
"""
from __future__ import annotations

import dataclasses
import re
from typing import Optional, Sequence

from spacy.attrs import DEP, HEAD, LEMMA, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc, Token

from .. import text as textlib
from ..language.entities import PLACE_LABELS
from ..records import AnnotatedArticle
from . import lexicon
from .lexicon import ASSAULT, Rule
from .modality import (MATERIAL_TYPES, accident_in, attempted, celebratory, happened,
                       in_background, non_political, presupposed, said_as_intent,
                       threat_parties, voted)
from .clusters import join_reports
from .rows import event_row, location_of, party_of, place_at, reference_day
from .syntax import anchor_of, party_token, side_of
from .triggers import find_trigger


MAX_SENTENCE_CHARS = 600  # longer "sentences" are lists or tables, not prose
_WORDS = re.compile(r"[A-Za-z]+")
# Force used by protesters is riot or occupation, not an armed assault or arrest.
_BY_PROTESTERS = {"ASSAULT": Rule("PROTEST", "14", "riot"),
                  "COERCE": Rule("PROTEST", "14", "obstruct")}


def candidate_sentences(text: str) -> list[tuple[int, int]]:
    """Sentences worth parsing: they hold a word that can express an event."""
    found = []
    # A dateline is no part of the sentence it opens: the story's first, or a paragraph's
    # after a standfirst or in a roundup ("BOGOTA, Colombia - Truck drivers blocked ...").
    openings = [(line.place[0], line.body_start) for line in textlib.datelines(text)]
    for start, end in textlib.sentences(text):
        start = max([start, *(body for place, body in openings if start <= place < end)])
        if end - start > MAX_SENTENCE_CHARS or start >= end:
            continue
        words = {w.lower() for w in _WORDS.findall(text[start:end])}
        if lexicon.may_code(words):
            found.append((start, end))
    return found


class EventCoder:
    """Codes events in batches of annotated articles with one spaCy parser.

    The parser's attribute ruler and lemmatizer are Python loops over every token and
    cost about a third of parsing time. Their output (coarse part of speech and lemma)
    depends, but for a few multi-word patterns, only on the word, its fine tag and its
    dependency label, so the coder runs them only on sentences holding a (word, tag,
    label) it has not seen yet and copies their output to the others from a cache.
    """

    _TOKEN_ATTRS = ("attribute_ruler", "lemmatizer")
    MAX_CACHE = 500_000

    def __init__(self, nlp: Language):
        self.nlp = nlp
        self._late = [(name, proc) for name, proc in nlp.pipeline
                      if name in self._TOKEN_ATTRS]
        self._skip = [name for name, _ in self._late]
        self._cache: dict[tuple[int, int, int], tuple[int, int]] = {}

    def code(self, articles: Sequence[AnnotatedArticle]) -> list[list[dict]]:
        jobs = [(i, start, end) for i, a in enumerate(articles)
                for start, end in candidate_sentences(a.article["text"])]
        docs = self.nlp.pipe((articles[i].article["text"][s:e] for i, s, e in jobs),
                             disable=self._skip)
        out: list[list[dict]] = [[] for _ in articles]
        for (i, start, _), doc in zip(jobs, docs):
            doc = self._token_attrs(doc)
            verb = _headline_verb(doc)
            if verb is not None:
                doc = self._reparse_headline(doc, *verb)
            out[i].extend(events_in_sentence(articles[i], start, doc))
        return [join_reports(rows) for rows in out]

    def _reparse_headline(self, doc: Doc, token: Token, past: str) -> Doc:
        """Headlines drop articles and write the verb in the present ("EU, Mercosur
        seal trade deal", "Taliban free British couple"), and the parser, trained on
        body text, reads the verb as a noun or adjective. The sentence is parsed again
        with the verb in the past tense ("sealed", "freed"), and that tree, tags and
        lemmas replace the first ones on the original words."""
        text = doc.text[:token.idx] + past + doc.text[token.idx + len(token.text):]
        again = self._token_attrs(next(self.nlp.pipe([text], disable=self._skip)))
        if len(again) != len(doc) or again[token.i].pos_ != "VERB" or any(
                a.text != b.text for a, b in zip(again, doc) if a.i != token.i):
            return doc
        attrs = [TAG, POS, LEMMA, HEAD, DEP]
        try:
            doc.from_array(attrs, again.to_array(attrs))
        except ValueError:  # a tree spaCy will not take: keep the first reading
            pass
        return doc

    def _token_attrs(self, doc: Doc) -> Doc:
        """Part of speech and lemma, from the cache or from the skipped components."""
        cache = self._cache
        keys = [(t.orth, t.tag, t.dep) for t in doc]
        found = [cache.get(key) for key in keys]
        if None not in found:
            for token, (pos, lemma) in zip(doc, found):
                token.pos = pos
                token.lemma = lemma
            return doc
        for _, proc in self._late:
            doc = proc(doc)
        if len(cache) > self.MAX_CACHE:
            cache.clear()
        for key, token in zip(keys, doc):
            cache[key] = (token.pos, token.lemma)
        return doc


def _headline_verb(doc: Doc) -> Optional[tuple[Token, str]]:
    """In a headline (no final stop), the word after the subject that is the present
    tense of a lexicon verb but was read as a noun or adjective ("Mercosur *seal* trade
    deal", "foreign minister *hosts* counterpart"), and its past tense. When another
    verb has a subject, only a word with a subject of its own qualifies ("warns of
    response after US *deploys* bombers")."""
    text = doc.text.rstrip().rstrip("\"'”’")
    if not text or text[-1] in ".!?:;" or len(doc) > 25:
        return None
    finite = any(t.pos_ in ("VERB", "AUX") and t.tag_ not in ("VBG", "VBN") and
                 any(c.dep_ in ("nsubj", "nsubjpass") for c in t.children) for t in doc)
    for token in doc[1:-1]:
        if finite and not any(c.dep_ == "nsubj" for c in token.children):
            continue  # "... after US *deploys* bombers to Guam": a clause of its own
        if token.pos_ not in ("NOUN", "ADJ", "PROPN") or \
                doc[token.i - 1].pos_ not in ("NOUN", "PROPN") and \
                not doc[token.i - 1].text[:1].isupper() or \
                not token.text.islower():
            continue
        word = token.lower_
        lemma = word if word in lexicon.VERBS or word in lexicon.LIGHT_VERBS else \
            next((word[:-n] for n in (1, 2) if word[:-n] in lexicon.VERBS and
                  word[-n:] in ("s", "es")), None)
        if lemma is None and word.endswith("ies") and word[:-3] + "y" in lexicon.VERBS:
            lemma = word[:-3] + "y"
        if lemma is None:
            continue
        return token, lexicon.past_tense(lemma)
    return None


def _demand_of_protest(token: Token, protests: set[int]) -> bool:
    """Whether a request is what a protest demands: "demonstrated, calling for
    independence", "rioted, joining demonstrators in demanding a referendum"."""
    node = token
    while node.dep_ in ("advcl", "xcomp", "acl", "pcomp", "prep", "pobj") and \
            node.head.i != node.i:
        node = node.head
        if node.i in protests or node.lemma_.lower() in lexicon.PROTEST_WORDS:
            return True
    return False


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
    reference = reference_day(article)[0]
    rows, seen, used_nouns = [], set(), set()
    assaults: dict[int, Optional[str]] = {}  # token index -> mode of its ASSAULT
    protests: set[int] = set()  # token indices of protests coded
    for token in doc:
        found = find_trigger(token, places, used_nouns)
        if not found:
            continue
        rule, actor_tok, recipient_tok = found
        if (token.i, rule.event_type) in seen:
            continue
        if token.dep_ == "pobj" and token.head.lower_ in lexicon.BACKGROUND_PREPS and \
                (token.head.head.i, rule.event_type) in seen:
            continue  # "discussed migration during a meeting": the same talks
        actor_tok, recipient_tok = party_token(actor_tok), party_token(recipient_tok)
        anchor = anchor_of(token)
        if rule.event_type == ASSAULT and token.dep_ == "advcl" and token.tag_ == "VBG" and (
                token.head.i in assaults and rule.mode in (None, assaults[token.head.i]) or
                token.head.i in protests):
            continue  # "ambushed a convoy, killing 17", "rioted, setting fire to": the same
        if rule.event_type == "PROTEST" and token.head.i in protests and \
                token.dep_ in ("advcl", "xcomp", "relcl", "acl"):
            continue  # "marched through Belgrade to protest against": the same march
        if rule.event_type == "REQUEST" and _demand_of_protest(token, protests):
            continue  # "demonstrated, calling for independence": the protest's demand
        if not happened(anchor) and not voted(token, rule) and not presupposed(token) and \
                not attempted(token, rule):
            said = said_as_intent(token, rule)
            if said is None:
                continue
            rule, recipient = said or (rule, recipient_tok)
            if rule.event_type in ("THREATEN", "AGREE") and said:
                actor_tok, recipient_tok = threat_parties(
                    token, recipient_tok if recipient == () else recipient)
            else:
                recipient_tok = recipient
        if in_background(anchor, reference):
            continue  # "police arrested him in 2019", "the war that began 13 years ago"
        if actor_tok is not None and (actor_tok.lemma_.lower() in lexicon.NATURAL_CAUSES or any(
                c.dep_ == "compound" and c.lemma_.lower() in lexicon.NATURAL_CAUSES
                for c in actor_tok.children) and actor_tok.pos_ == "PROPN"):
            continue  # "a flood killed 12", "Cyclone Freddy killed hundreds"
        if rule.event_type in lexicon.FORCE_TYPES and recipient_tok is not None and \
                recipient_tok.lemma_.lower() in lexicon.DISASTERS:
            continue  # "firefighters battling blazes"
        side = side_of(actor_tok)
        if side is None and actor_tok is not None and \
                actor_tok.lemma_.lower() in lexicon.MUNITIONS:
            actor_tok = None  # "mortar rounds slammed into a camp": attacker unknown
        if rule.event_type == ASSAULT and any(t.lower_ in lexicon.EXERCISE_WORDS
                                              for t in doc):
            continue  # "a mock assault during drills"
        if token.tag_ in ("VBZ", "VBP") and token.dep_ != "amod" and \
                rule.event_type in MATERIAL_TYPES and \
                sentence.rstrip().endswith(".") and \
                not any(c.dep_ in ("aux", "auxpass") for c in token.children):
            continue  # "gangs kidnap travellers on the road": habitual, unless a headline
        if rule.mode == "firearms" and celebratory(doc) or \
                rule.event_type == ASSAULT and celebratory(doc) and \
                any(t.lemma_.lower() in ("bullet", "gunfire", "shot") for t in doc):
            continue  # celebratory gunfire and its stray bullets
        if token.lemma_.lower() in ("explosion", "blast") and token.pos_ == "NOUN" and not any(
                t.lemma_.lower() in lexicon.BOMB_CUES for t in doc):
            continue  # an explosion is an attack only when the sentence says it was a bomb
        if rule.event_type == ASSAULT and actor_tok is None and accident_in(doc):
            continue  # "were killed when their bus plunged into a ravine"
        if rule.event_type in lexicon.FORCE_TYPES and (
                non_political(actor_tok) or non_political(recipient_tok)):
            continue  # sports, business, animals, accidents
        seen.add((token.i, rule.event_type))
        if rule.event_type == ASSAULT:
            assaults[token.i] = rule.mode
        if rule.event_type == "PROTEST":
            protests.add(token.i)
        actor = party_of(actor_tok, offset, entities, article)
        if side is not None and actor_tok is not None:  # "Ukrainian drones attacked"
            by = party_of(side, offset, entities, article)
            actor = dataclasses.replace(by, name=f"{by.name} forces", named=False,
                                        sector="military") if by else actor
        recipient = party_of(recipient_tok, offset, entities, article)
        if actor is not None and actor.sector == "protesters":
            rule = _BY_PROTESTERS.get(rule.event_type, rule)
        location = location_of(token, doc, offset, entities, annotated)
        rows.append(event_row(article, rule, token, offset, sentence, actor, recipient,
                               location))
        if rule.event_type in ("COERCE", ASSAULT) and recipient_tok is not None and \
                recipient_tok.i in places:
            # "seized Aleppo and Hama": one event per place taken, each placed there
            for other in recipient_tok.conjuncts:
                place = place_at(other, offset, entities)
                if other.i in places and place is not None and place["country_code"]:
                    row = event_row(article, rule, token, offset, sentence, actor,
                                     party_of(other, offset, entities, article), place)
                    row["event_id"] = textlib.stable_id(row["event_id"], str(other.i))
                    rows.append(row)
    return rows
