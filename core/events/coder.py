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
import datetime as dt
import re
from typing import Iterable, Optional, Sequence

from spacy.attrs import DEP, HEAD, LEMMA, POS, TAG
from spacy.language import Language
from spacy.tokens import Doc, Token

from newsbeam.schemas import EVENTS, UNKNOWN_REGION

from .. import dates, text as textlib
from ..language.entities import PLACE_LABELS
from ..records import AnnotatedArticle
from . import lexicon
from .lexicon import ANY, ASSAULT, NONE, OBJECT, Rule

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
        return out

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
    reference = _reference_day(article)[0]
    rows, seen, used_nouns = [], set(), set()
    assaults: dict[int, Optional[str]] = {}  # token index -> mode of its ASSAULT
    for token in doc:
        found = _trigger(token, places, used_nouns)
        if not found:
            continue
        rule, actor_tok, recipient_tok = found
        if (token.i, rule.event_type) in seen:
            continue
        if token.dep_ == "pobj" and token.head.lower_ in lexicon.BACKGROUND_PREPS and \
                (token.head.head.i, rule.event_type) in seen:
            continue  # "discussed migration during a meeting": the same talks
        anchor = _anchor(token)
        if rule.event_type == ASSAULT and token.dep_ == "advcl" and token.tag_ == "VBG" and \
                token.head.i in assaults and rule.mode in (None, assaults[token.head.i]):
            continue  # "ambushed a convoy, killing 17 soldiers": the same attack
        if not _happened(anchor) and not _voted(token, rule) and not _presupposed(token):
            said = _said_as_intent(token, rule)
            if said is None:
                continue
            rule, recipient_tok = said or (rule, recipient_tok)
            if rule.event_type == "THREATEN":
                actor_tok, recipient_tok = _threat_parties(token)
        if _in_background(anchor, reference):
            continue  # "police arrested him in 2019", "the war that began 13 years ago"
        if actor_tok is not None and (actor_tok.lemma_.lower() in lexicon.NATURAL_CAUSES or any(
                c.dep_ == "compound" and c.lemma_.lower() in lexicon.NATURAL_CAUSES
                for c in actor_tok.children) and actor_tok.pos_ == "PROPN"):
            continue  # "a flood killed 12", "Cyclone Freddy killed hundreds"
        if rule.event_type in lexicon.FORCE_TYPES and recipient_tok is not None and \
                recipient_tok.lemma_.lower() in _DISASTERS:
            continue  # "firefighters battling blazes"
        if actor_tok is not None and actor_tok.lemma_.lower() in lexicon.MUNITIONS:
            actor_tok = None  # "mortar rounds slammed into a camp": attacker unknown
        if rule.event_type == ASSAULT and any(t.lower_ in lexicon.EXERCISE_WORDS
                                              for t in doc):
            continue  # "a mock assault during drills"
        if token.tag_ in ("VBZ", "VBP") and token.dep_ != "amod" and \
                rule.event_type in _MATERIAL_TYPES and \
                sentence.rstrip().endswith(".") and \
                not any(c.dep_ in ("aux", "auxpass") for c in token.children):
            continue  # "gangs kidnap travellers on the road": habitual, unless a headline
        if rule.mode == "firearms" and _celebratory(doc) or \
                rule.event_type == ASSAULT and _celebratory(doc) and \
                any(t.lemma_.lower() in ("bullet", "gunfire", "shot") for t in doc):
            continue  # celebratory gunfire and its stray bullets
        if token.lemma_.lower() in ("explosion", "blast") and token.pos_ == "NOUN" and not any(
                t.lemma_.lower() in _BOMB_CUES for t in doc):
            continue  # an explosion is an attack only when the sentence says it was a bomb
        if rule.event_type == ASSAULT and actor_tok is None and _accident(doc):
            continue  # "were killed when their bus plunged into a ravine"
        if rule.event_type in lexicon.FORCE_TYPES and (
                _non_political(actor_tok) or _non_political(recipient_tok)):
            continue  # sports, business, animals, accidents
        seen.add((token.i, rule.event_type))
        if rule.event_type == ASSAULT:
            assaults[token.i] = rule.mode
        actor = _party(actor_tok, offset, entities, article)
        recipient = _party(recipient_tok, offset, entities, article)
        if actor is not None and actor.sector == "protesters":
            rule = _BY_PROTESTERS.get(rule.event_type, rule)
        location = _location(token, doc, offset, entities, annotated)
        rows.append(_event_row(article, rule, token, offset, sentence, actor, recipient,
                               location))
        if rule.event_type in ("COERCE", ASSAULT) and recipient_tok is not None and \
                recipient_tok.i in places:
            # "seized Aleppo and Hama": one event per place taken, each placed there
            for other in recipient_tok.conjuncts:
                place = _entity_at(other, offset, entities)
                if other.i in places and place is not None and place["country_code"]:
                    row = _event_row(article, rule, token, offset, sentence, actor,
                                     _party(other, offset, entities, article), place)
                    row["event_id"] = textlib.stable_id(row["event_id"], str(other.i))
                    rows.append(row)
    return rows


def _entity_at(token: Token, offset: int, entities: list[dict]) -> Optional[dict]:
    start = offset + token.idx
    return next((e for e in entities if e["label"] in PLACE_LABELS
                 and e["start_char"] <= start < e["end_char"]), None)


_MATERIAL_TYPES = frozenset(("ASSAULT", "COERCE", "PROTEST", "MOBILIZE", "AID", "RETREAT",
                             "COOPERATE"))
_STATED_TYPES = frozenset(("SUPPORT", "REJECT", "AGREE", "CONCEDE", "REQUEST", "ACCUSE"))
_THREAT_TYPES = frozenset(("PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"))


def _said_as_intent(verb: Token, rule: Rule):
    """A stated stance or a conditional threat made now, though its act lies ahead.

    "said it would back the bill" is a SUPPORT made now; "said its members would walk
    out unless the government paid" and "was ready to launch an operation if the
    fighters did not pull back" are THREATENs. Returns None when the act is simply not
    (yet) done, else ``(rule, recipient)`` or ``()`` to keep the rule."""
    if verb.pos_ != "VERB":
        return None
    clause, ready = verb, False
    if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in ("ready", "prepared", "willing"):
        clause, ready = verb.head.head, True  # "was ready to launch"
    modal = {c.lemma_.lower() for c in clause.children if c.dep_ == "aux"} & {"would", "will"}
    if modal and any(c.dep_ == "neg" for c in clause.children) and \
            rule.event_type in ("AGREE", "SUPPORT") and (clause.dep_ == "ROOT" or (
                clause.dep_ == "ccomp" and clause.head.lemma_.lower() in lexicon.REPORTING_VERBS
                and _happened(clause.head))):
        return Rule("REJECT", "12"), _child(verb, _OBJECTS)  # "said it would not accept"
    if not (modal or ready) or any(c.dep_ == "neg" for c in clause.children):
        return None
    if clause.dep_ != "ccomp" or clause.head.lemma_.lower() not in (
            lexicon.REPORTING_VERBS | {"warn", "vow", "insist", "declare"}):
        return None
    if not _happened(clause.head):
        return None
    if rule.event_type in _STATED_TYPES and not ready:
        return ()
    if rule.event_type in _THREAT_TYPES:
        condition = next((c for c in [*verb.children, *clause.children]
                          if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lemma_.lower()
                                                       in ("if", "unless") for m in c.children)),
                         None)
        if condition is not None:
            return Rule("THREATEN", "13"), _child(condition, _SUBJECTS)
        target = _child(verb, _OBJECTS) or _prep_object(verb, ("against", "to", "on"))
        if target is not None and any(c.lower_ == "any" for c in target.children):
            return Rule("THREATEN", "13"), None  # "would retaliate against any strike"
    return None


def _voted(verb: Token, rule: Rule) -> bool:
    """"voted to accept the offer", "voted to reject the bill": the vote is the act."""
    return verb.dep_ == "xcomp" and verb.head.lemma_.lower() == "vote" and \
        rule.event_type in ("AGREE", "REJECT", "SUPPORT", "CONCEDE") and _happened(verb.head)


def _threat_parties(verb: Token) -> tuple[Optional[Token], Optional[Token]]:
    clause = verb.head.head if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in (
        "ready", "prepared", "willing") else verb
    actor = _child(clause, _SUBJECTS)
    if actor is not None and actor.pos_ == "PRON" or actor is not None and \
            actor.lemma_.lower() in ("member", "worker", "fighter", "force", "troop"):
        actor = _child(clause.head, _SUBJECTS) or actor
    condition = next((c for c in [*verb.children, *clause.children] if c.dep_ == "advcl"),
                     None)
    recipient = _child(condition, _SUBJECTS) if condition is not None else None
    return actor, recipient


def _accident(doc: Doc) -> bool:
    return any(t.lemma_.lower() in lexicon.ACCIDENT_VERBS and t.pos_ == "VERB" and (
        _child(t, _SUBJECTS) is None or _non_political(_child(t, _SUBJECTS)) or
        _child(t, _SUBJECTS).lemma_.lower() in lexicon.NATURAL_CAUSES) for t in doc)


def _celebratory(doc: Doc) -> bool:
    return any(t.lemma_.lower().startswith("celebrat") or t.lower_ in ("jubilation",
                                                                       "wedding", "festive")
               for t in doc) or any(t.lower_ == "air" and t.head.lower_ in ("into", "in")
                                    and t.head.head.lemma_.lower() in ("fire", "shoot")
                                    for t in doc)


def _anchor(token: Token) -> Token:
    """The verb whose modality decides whether a nominal trigger happened: "clashes
    erupted" -> erupted; a verb is its own anchor."""
    if token.pos_ in ("NOUN", "PROPN") and token.dep_ in ("nsubj", "nsubjpass"):
        return token.head
    return token


def _non_political(token: Optional[Token]) -> bool:
    """Animals, vehicles, sports and business words as actor or target, also as the
    compound ("tanker explosion", "shark attack") or the "of" phrase ("40 percent of
    the market")."""
    if token is None:
        return False
    lemma = token.lemma_.lower()
    if lemma in lexicon.NON_POLITICAL or token.lower_ in lexicon.NON_POLITICAL:
        return True
    if lemma in _BOMBS or lemma in lexicon.MUNITIONS:
        return False  # "a car bomb", "a truck bomb": a weapon, whatever carries it
    for child in token.children:
        if child.dep_ == "compound" and child.lemma_.lower() in lexicon.NON_POLITICAL:
            return True
        if child.dep_ == "prep" and child.lower_ == "of" and any(
                p.dep_ == "pobj" and p.lemma_.lower() in lexicon.NON_POLITICAL
                for p in child.children) and lemma in ("percent", "%", "share", "part"):
            return True
    return lemma in _QUANTITIES and any(
        t.lemma_.lower() in lexicon.NON_POLITICAL for t in token.subtree)


def _trigger(token: Token, places: set[int], used_nouns: set[int]
             ) -> Optional[tuple[Rule, Optional[Token], Optional[Token]]]:
    """(rule, actor token, recipient token) when the token expresses an event.

    ``places`` holds the indices of tokens inside place names; ``used_nouns`` the event
    nouns already coded through their light verb.
    """
    lemma = token.lemma_.lower()
    if token.pos_ == "VERB":
        verb = lemma if lemma in lexicon.VERBS else \
            lexicon.FORM_LEMMAS.get(token.lower_, lemma)  # "retook" -> retake
        found = _verbal(token, verb, places, used_nouns)
        if found:
            return found
    if token.pos_ == "ADJ" and token.dep_ == "amod" and token.lower_ in _ABDUCTED:
        return Rule(ASSAULT, "18", "abduct"), None, token.head  # "kidnapped missionaries"
    if token.pos_ in ("NOUN", "PROPN") and token.i not in used_nouns:
        return _nominal(token, lemma)
    return None


def _verbal(token: Token, lemma: str, places: set[int], used_nouns: set[int]
            ) -> Optional[tuple[Rule, Optional[Token], Optional[Token]]]:
    if token.pos_ != "VERB":
        return None
    if token.dep_ == "amod" or (token.tag_ == "VBG" and token.dep_ in ("compound",)):
        # "striking miners", "stone-throwing protesters": an ongoing action of the noun
        rule = _modifier_rule(lemma, token)
        if rule is not None and rule.event_type == ASSAULT:
            return rule, None, token.head  # "the kidnapped missionaries"
        return (rule, token.head, None) if rule else None
    if token.tag_ == "VBN" and token.dep_ in ("oprd", "ccomp", "acomp", "xcomp") and \
            token.head.lemma_.lower() in ("leave", "find", "remain", "lie", "stand"):
        return None  # "left the roads destroyed": a state, not an act
    reduced = token.dep_ == "acl" and token.tag_ == "VBN"  # "hundreds of people killed"
    passive = reduced or any(c.dep_ in ("nsubjpass", "auxpass") for c in token.children)
    if reduced:
        obj = token.head
    else:
        obj = _child(token, ("nsubjpass",) if passive else _OBJECTS)
    if obj is None and not passive:
        obj = next((c for c in token.children if c.dep_ == "npadvmod" and c.i > token.i
                    and c.pos_ in ("NOUN", "PROPN") and c.lower_ not in dates.TIME_WORDS
                    and c.lemma_.lower() not in _DURATIONS), None)  # "freed British couple"
        if obj is None:  # "dismissed as 'absurd' claims that ..."
            found = _prep_object(token, ("as",))
            if found is not None and found.lemma_.lower() in lexicon.PROPOSALS:
                obj = found
    if lemma == "declare" and any(t.lower_ == "grata" for t in token.subtree):
        return Rule("SANCTION", "16", "expel"), _subject(token), obj  # "persona non grata"
    if lemma in _MOVES and obj is None and not passive:
        moved = _forces(_subject(token))
        if moved is not None:  # "troops poured into Manipur", "units moved closer to"
            dest = _prep_object(token, ("into", "to", "toward", "towards", "onto")) or next(
                (_prep_object(c, ("to",)) for c in token.children if c.dep_ == "advmod"
                 and _prep_object(c, ("to",)) is not None), None)
            if dest is not None:
                return Rule("MOBILIZE", "15", "troops"), _subject(token), dest
    if reduced and lemma in ("accuse", "suspect", "allege"):
        return None  # "commanders accused of atrocities": a description, not an accusation
    if lemma in ("order", "tell", "give") and obj is not None and \
            obj.lemma_.lower() in _DIPLOMATS and any(
                c.dep_ == "xcomp" and c.lemma_.lower() == "leave" for c in token.children):
        return Rule("SANCTION", "16", "expel"), _subject(token), obj  # "ordered ... to leave"
    rule = None
    if lemma in lexicon.VERBS:
        rule = _select_rule(lexicon.VERBS[lemma], token, obj, places)
    light = False
    if rule is None and (lemma in lexicon.LIGHT_VERBS or lemma in _FOUNDING) and _joint(obj):
        rule, light = Rule("COOPERATE", "06"), True  # "conducted joint patrols"
    if rule is None and lemma in lexicon.LIGHT_VERBS and obj is not None:
        rule = _event_noun(obj)
        light = rule is not None
        if light and lemma in ("lodge", "file") and rule.event_type == "PROTEST":
            rule = Rule("ACCUSE", "11")
    if rule is None and lemma in _CROWD_VERBS:
        rule = _crowd_protest(token)
    if rule is None:
        return None
    if rule.event_type == "ACCUSE" and lemma == "charge" and token.dep_ == "conj" and \
            token.head.lemma_.lower() in ("arrest", "detain"):
        return None  # "arrested and charged" is one arrest
    if any(c.dep_ == "advmod" and c.lower_ in ("jointly",) for c in token.children) and \
            rule.event_type not in ("AGREE", "CONSULT"):
        rule = Rule("COOPERATE", "06")
    if obj is not None and lemma not in _PROTEST_ENDERS and lemma not in _EVALUATIVE:
        used_nouns.add(obj.i)  # "ended their walkout" is the ending, not a walkout
    if passive:
        agent = _child(token, ("agent",))
        actor = _child(agent, ("pobj",)) if agent is not None else None
    else:
        actor = _subject(token)
    if lemma in lexicon.SUBJECT_SUFFERS and not light and rule.event_type != "CONSULT":
        # "came under fire", "died in clashes", "received aid from the WFP"
        return rule, _prep_object(token, ("from", "by")), actor
    if lemma in lexicon.VISIT_VERBS and rule.event_type == "CONSULT" and not any(
            p.lemma_.lower() == "for" for p in token.children) and (
            actor is None or lexicon.SECTOR_OF.get(actor.lemma_.lower()) != "government"
            and actor.lemma_.lower() != "delegation"):
        return None  # visits are officials' travels, or travels "for talks"
    if lemma == "leave" and rule.event_type == "RETREAT" and (
            actor is None or lexicon.SECTOR_OF.get(actor.lemma_.lower())
            not in lexicon.ARMED_SECTORS):
        return None  # troops leaving a town withdraw; delegations leaving Geneva do not
    if lemma in ("refuse", "decline") and any(
            c.dep_ == "xcomp" and c.lemma_.lower() in _NO_COMMENT for c in token.children):
        return None  # "declined to comment" rejects nobody
    if lemma in ("explode", "go") and rule.event_type == ASSAULT:
        # "a bomb exploded", "a device went off": the bomber is unknown; tankers and
        # gas cylinders that explode are accidents
        if actor is None or actor.lemma_.lower() not in _BOMBS:
            return None
        return rule, None, None
    if lemma == "call" and any(c.dep_ == "oprd" for c in token.children):
        return Rule("ACCUSE", "11"), actor, obj  # "called him a traitor"
    if lemma == "hold" and any(c.lemma_.lower() in ("responsible", "accountable")
                               for c in token.children):
        return Rule("ACCUSE", "11"), actor, obj  # "held the army responsible"
    if light:
        recipient = _prep_object(obj, ("on", "against", "with", "into", "for", "at")) \
            or _prep_object(token, ("on", "against", "with", "into"))
        if rule.event_type == "CONSULT" and recipient is None:
            recipient = _prep_object(token, ("with",))
    else:
        recipient = obj if rule.recipient_from_object else None
        recipient = recipient or _prep_object(token, rule.recipient_preps) or \
            _child(token, ("dative",))  # "gave the government an ultimatum"
    if recipient is None and actor is not None and (rule.event_type in _SYMMETRIC or
                                                    lemma in ("exchange", "clash")):
        recipient = _child(actor, ("conj",))
    if _joint(obj) and rule.event_type in ("ASSAULT", "COERCE", "CONSULT", "MOBILIZE"):
        rule = Rule("COOPERATE", "06")  # "carried out a joint raid", "joint patrols"
        recipient = actor
    return rule, actor, recipient


_MOVES = frozenset("pour move roll stream head redeploy".split())


def _forces(subject: Optional[Token]) -> Optional[Token]:
    """The subject if it names armed forces ("thousands of troops" -> troops)."""
    if subject is None:
        return None
    if subject.lemma_.lower() in _QUANTITIES or subject.pos_ == "NUM" or \
            subject.lemma_.lower() in ("hundred", "thousand", "dozen"):
        subject = _prep_object(subject, ("of",)) or subject
    if subject.lemma_.lower() in lexicon.FORCES or any(
            c.dep_ == "compound" and c.lemma_.lower() in lexicon.FORCES
            for c in subject.children):
        return subject
    return None


_ABDUCTED = frozenset("kidnapped abducted hijacked".split())
_FOUNDING = frozenset("set form establish create".split())  # "set up a joint task force"
_DIPLOMATS = frozenset("ambassador diplomat envoy attache consul charge".split())
_EVALUATIVE = frozenset("welcome hail praise applaud condemn denounce deplore criticise "
                        "criticize decry mourn protest".split())
_NO_COMMENT = frozenset("comment say confirm elaborate discuss specify answer speak "
                        "disclose reveal name identify give".split())
_BOMB_CUES = frozenset("bomb bomber bombing suicide ied device explosive militant attack "
                       "attacker insurgent jihadist terrorist terror claim responsibility "
                       "rocket missile drone shell mortar grenade".split())
_BOMBS = frozenset("bomb device ied explosive mine grenade shell rocket missile".split())
_CROWD_VERBS = frozenset("gather assemble converge rally march fill flood throng pack "
                         "descend line mass turn".split())
_PROTEST_PURPOSES = frozenset("protest demand denounce condemn oppose decry demonstrate "
                              "call mourn reject".split())


def _crowd_protest(verb: Token) -> Optional[Rule]:
    """Crowds gathering to protest ("hundreds gathered outside parliament to denounce
    the bill"), or protesters filling the streets."""
    for child in verb.children:
        if child.dep_ in ("advcl", "xcomp") and child.lemma_.lower() in _PROTEST_PURPOSES:
            return Rule("PROTEST", "14", "demo")
    subj = _child(verb, _SUBJECTS)
    if subj is not None and lexicon.SECTOR_OF.get(subj.lemma_.lower()) == "protesters" and \
            subj.lemma_.lower() in ("protester", "demonstrator", "marcher", "rioter"):
        return Rule("PROTEST", "14", "demo")
    return None


_INQUIRIES = frozenset("investigation inquiry probe investigate look".split())
_PROTEST_ENDERS = frozenset("disperse break attack storm crush suppress quell raid".split())
_ARRIVING_AID = frozenset("aid convoy shipment supply assistance relief".split())
_DURATIONS = frozenset("minute hour day week night month".split())
_PARTICLES = frozenset("up down out off back over away aside".split())
_EVENT_OBJECT_LEMMAS = frozenset(("fire", "talk", "strike"))


def _joint(obj: Optional[Token]) -> bool:
    return obj is not None and any(c.lemma_.lower() in ("joint", "combined", "bilateral")
                                   for c in obj.children if c.dep_ in ("amod", "compound"))


def _modifier_rule(lemma: str, token: Optional[Token] = None) -> Optional[Rule]:
    if lemma == "throw" and token is not None and token.i > 1 and \
            token.doc[token.i - 2].lower_ in ("stone", "rock", "petrol", "bottle"):
        return Rule("PROTEST", "14", "riot")  # "stone-throwing protesters"
    if lemma == "strike":
        return Rule("PROTEST", "14", "strike")
    if lemma in ("kidnap", "abduct", "hijack") and token is not None and token.tag_ == "VBN":
        return Rule(ASSAULT, "18", "abduct")
    if lemma in ("protest", "demonstrate", "riot", "march", "rally", "picket"):
        return lexicon.VERBS[lemma][0]
    return None


def _event_noun(noun: Token) -> Optional[Rule]:
    """The event a noun names, with its modifiers ("air strike", "hunger strike")."""
    lemma = noun.lemma_.lower()
    mods = {c.lemma_.lower() for c in noun.children if c.dep_ in ("compound", "amod")}
    for mod in mods:
        rule = lexicon.NOMINAL_COMPOUNDS.get((lemma, mod))
        if rule is not None:
            return rule
    if lemma == "strike" and any(p.dep_ == "prep" and p.lemma_.lower() in ("on", "against")
                                 for p in noun.children):
        return Rule(ASSAULT, "19")  # "the strike on Odesa's port"
    if lemma == "operation":
        if mods & {"military", "ground", "security", "counterinsurgency", "combat"}:
            return Rule(ASSAULT, "19")
        if mods & {"rescue", "relief", "evacuation"}:
            return Rule("AID", "07", "humanitarian")
        return None
    if lemma == "call" and mods & {"phone", "telephone", "video"}:
        return Rule("CONSULT", "04")
    if lemma in ("call", "appeal", "plea") and any(
            p.dep_ == "prep" and p.lemma_.lower() in ("on", "for", "to")
            for p in noun.children):
        return Rule("REQUEST", "02")  # "made a last call on forces to defect"
    if lemma in ("support", "backing", "solidarity"):
        return Rule("SUPPORT", "05")
    return lexicon.NOMINAL_EVENTS.get(lemma)


def _nominal(token: Token, lemma: str
             ) -> Optional[tuple[Rule, Optional[Token], Optional[Token]]]:
    """Event nouns: "clashes erupted", "a sit-in by pensioners", "claimed responsibility
    for the kidnapping of", "after the arrest of a radio host"."""
    if lemma in _ARRIVING_AID and token.dep_ == "nsubj" and \
            token.head.lemma_.lower() in ("arrive", "reach", "enter", "land", "cross"):
        return Rule("AID", "07", "humanitarian"), token, _child(token.head, _OBJECTS)
    if lemma not in lexicon.NOMINAL_EVENTS and not any(
            key[0] == lemma for key in lexicon.NOMINAL_COMPOUNDS):
        return None
    rule = _event_noun(token)
    if rule is None:
        return None
    by = _prep_object(token, ("by",))
    of = _prep_object(token, ("of",))
    target = _prep_object(token, ("on", "against", "of", "with"))
    head = token.head
    if rule.event_type == "PROTEST" and token.dep_ in ("dobj", "nsubjpass") and \
            head.lemma_.lower() in _PROTEST_ENDERS:
        return rule, by, None  # "police dispersed a sit-in by pensioners": it took place
    if token.dep_ in ("nsubj", "nsubjpass") and head.lemma_.lower() in lexicon.NOMINAL_VERBS:
        between = _prep_object(token, ("between", "by", "with"))
        other = _child(between, ("conj",)) if between is not None else None
        if other is None and between is not None and token.lemma_.lower() != "fighting":
            other = _prep_object(token, ("with",)) if between.head.lemma_ != "with" else None
        return rule, between, other or target
    if token.dep_ in ("nsubj",) and head.lemma_.lower() in lexicon.VERBS and \
            lexicon.VERBS[head.lemma_.lower()][0].event_type == ASSAULT:
        return None  # "an air strike killed 12": the verb codes it
    if token.dep_ == "pobj" and head.lemma_.lower() == "for" and \
            head.head.lemma_.lower() in lexicon.RESPONSIBILITY_NOUNS:
        claimer = head.head.head
        return rule, _child(claimer, _SUBJECTS), of or target
    if by is not None and by.lemma_.lower() not in dates.TIME_WORDS:
        return rule, by, target if target is not None and target.i != by.i else None
    if rule.event_type == "CONSULT" and token.dep_ == "pobj" and \
            head.lemma_.lower() in ("on", "during", "in", "at") and \
            _prep_object(token, ("to", "with")) is not None:
        verb = head.head  # "said on a visit to Kyiv", "in a phone call with"
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
        actor = _subject(verb) if verb.pos_ in ("VERB", "AUX") else None
        return rule, actor, _prep_object(token, ("to", "with"))
    if token.dep_ == "pobj" and head.lemma_.lower() == "of" and \
            head.head.lemma_.lower() in _DURATIONS and rule.event_type == ASSAULT and \
            head.head.dep_ == "pobj" and \
            head.head.head.lemma_.lower() in lexicon.BACKGROUND_PREPS:
        verb = head.head.head.head  # "withdrew after 40 minutes of fighting"
        return rule, _subject(verb) if verb.pos_ == "VERB" else None, None
    if token.dep_ == "pobj" and head.lower_ == "on" and rule.event_type == "PROTEST" and \
            head.head.lemma_.lower() in ("be", "remain", "stay"):
        return rule, _subject(head.head), None  # "has been on hunger strike"
    if lemma == "protest" and token.dep_ == "pobj" and head.lower_ == "in" and \
            not any(c.dep_ == "det" for c in token.children):
        verb = head.head  # "dumped manure outside the prefecture in protest at ..."
        return rule, _subject(verb) if verb.pos_ == "VERB" else None, None
    compound = any((lemma, c.lemma_.lower()) in lexicon.NOMINAL_COMPOUNDS
                   for c in token.children if c.dep_ in ("compound", "amod"))
    if head.lemma_.lower() in lexicon.BACKGROUND_PREPS and any(
            c.dep_ in ("amod", "compound", "nummod") and c.lemma_.lower() not in _UNREAL
            for c in token.children):
        compound = True  # "after marathon talks", "after deadly protests", "a three-day raid"
    if _presupposed(token):
        compound = True
    grand = head.head.lemma_.lower()
    if (token.dep_ == "pobj" and (head.lemma_.lower() in lexicon.BACKGROUND_PREPS or
                                  head.lower_ in ("to", "in") and grand in ("lead", "result")
                                  or head.lower_ == "into" and (grand in _INQUIRIES or any(
                                      c.dep_ in _OBJECTS and c.lemma_.lower() in _INQUIRIES
                                      for c in head.head.children))) or
            token.dep_ == "dobj" and head.lemma_.lower() in _EVALUATIVE or
            _presupposed(token)) and (
            of is not None or target is not None or compound or
            any(c.dep_ == "poss" for c in token.children)):
        poss = next((c for c in token.children if c.dep_ == "poss"
                     and c.lower_ not in dates.TIME_WORDS
                     and c.lemma_.lower() not in dates.TIME_WORDS), None)
        return rule, poss, of or target
    return None


def _presupposed(token: Token) -> bool:
    """An event noun whose happening the sentence takes for granted, whatever governs
    it: "urged truckers to end their blockade of the highways", "refugees fleeing
    fighting", "criticised the authorities for the arrest of a lawyer"."""
    if token.pos_ not in ("NOUN", "PROPN"):
        return False
    head = token.head
    if token.dep_ in _OBJECTS and head.lemma_.lower() in _FLEE:
        return True
    if token.dep_ in _OBJECTS and head.lemma_.lower() in _ENDERS:
        return any(c.dep_ == "poss" for c in token.children) or \
            _prep_object(token, ("of", "on", "against")) is not None
    return token.dep_ == "pobj" and head.lower_ == "for" and \
        head.head.lemma_.lower() in _BLAMING


_UNREAL = frozenset("possible future further potential planned proposed expected any "
                    "new next fresh renewed hypothetical mock".split())
_ENDERS = frozenset("end halt stop lift suspend abandon".split())
_FLEE = frozenset("flee escape".split())
_BLAMING = frozenset("blame criticise criticize condemn denounce praise thank fault "
                     "punish sanction fine".split())


def _select_rule(rules: Iterable[Rule], verb: Token, obj: Optional[Token],
                 places: set[int]) -> Optional[Rule]:
    rules = list(rules)
    obj_lemmas = _object_lemmas(obj)
    if obj is not None and obj.i in places:
        obj_lemmas.add(lexicon.PLACE)
    particles = {c.lemma_.lower() for c in verb.children if c.dep_ == "prt" or (
        c.dep_ in ("advmod", "prep") and c.i == verb.i + 1 and c.lower_ in _PARTICLES)}
    # "called up reservists" is not "called on": a verb with particle rules codes
    # nothing with another particle
    phrasal = particles and any(r.particle for r in rules)
    for rule in rules:
        if rule.particle and rule.particle not in particles:
            continue
        if phrasal and not rule.particle:
            continue
        if rule.needs_prep and not _has_prep(verb, rule.needs_prep, rule.prep_objects,
                                             places):
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
    for prep in obj.children:  # "$7 billion in central bank assets" too
        if prep.dep_ == "prep" and prep.lemma_.lower() in ("of", "in"):
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
    if verb.dep_ == "amod" and verb.tag_ in ("VBN", "JJ") and verb.lower_.endswith("ed"):
        return True  # "the kidnapped missionaries": a state told as fact
    node = verb
    for _ in range(10):
        children = list(node.children)
        if any(c.dep_ == "neg" for c in children):
            return False
        if any(c.dep_ in ("aux", "auxpass") and c.lemma_.lower() in lexicon.MODALS
               for c in children):
            return False
        if any(c.dep_ == "mark" and c.lemma_.lower() in ("if", "unless", "whether")
               for c in children):
            return False
        if any(c.dep_ == "advmod" and c.lower_ in ("never", "yet") for c in children):
            return False  # "has yet to release", "never took place"
        if node.pos_ in ("VERB", "AUX") and any(c.dep_ == "aux" and c.tag_ == "TO"
                                                for c in children) \
                and node.head.lemma_.lower() not in lexicon.IMPLICATIVE_HEADS:
            return False  # "agreed to withdraw", "the right to protest": not done (yet)
        subj = _child(node, _SUBJECTS + ("nsubjpass",))
        if subj is not None and (subj.lemma_.lower() in _GENERIC or any(
                c.lemma_.lower() in ("no", "nobody", "none", "neither") for c in subj.subtree)):
            return False
        if node.dep_ == "relcl" and node.head.lemma_.lower() in _GENERIC:
            return False  # "anyone who cooperated"
        if node.dep_ == "relcl" and node.tag_ in ("VBD", "VBN") and \
                node.head.pos_ in ("NOUN", "PROPN"):
            return True  # "urged Egypt to free Alaa Mansour, who has been on hunger strike"
        if node.dep_ == "acl" and node.tag_ == "VBN":
            return True  # "fishermen detained by the navy": told as fact whatever governs it
        if node.pos_ in ("NOUN", "PROPN") and node.dep_ in ("dobj", "obj", "nsubj",
                                                            "nsubjpass", "attr", "appos"):
            if node.dep_ in ("dobj", "obj") and \
                    node.head.lemma_.lower() in lexicon.NOT_HAPPENED_HEADS:
                return False  # "threatened a strike", "called a rally"
            node = node.head
            continue
        if node.dep_ in ("xcomp", "ccomp", "csubj", "advcl", "pcomp", "conj", "acl", "prep",
                         "pobj", "relcl", "amod", "compound", "agent"):
            head = node.head
            if node.dep_ not in ("conj", "relcl", "compound", "amod") and \
                    head.lemma_.lower() in lexicon.NOT_HAPPENED_HEADS and not (
                    node.dep_ == "ccomp" and head.lemma_.lower() == "tell") and not (
                    node.dep_ == "advcl" and any(  # "warned ... after the US deployed"
                        m.dep_ == "mark" and m.lower_ in _FACTUAL_MARKS
                        for m in node.children)) and not (
                    node.dep_ == "prep" and node.lower_ in lexicon.BACKGROUND_PREPS):
                return False
            if head.i == node.i:
                return True
            node = head
            continue
        return True
    return True


_DISASTERS = lexicon.NATURAL_CAUSES - frozenset("fire war conflict crash accident".split())
_FACTUAL_MARKS = frozenset("after when since because as while".split())
_GENERIC = frozenset("anyone anybody whoever everyone nobody anything".split())


def _in_background(anchor: Token, reference: dt.date) -> bool:
    """Whether the trigger's clause, or a clause it hangs from as a "when" or relative
    clause, places it long before the reference day ("the war, which began in 2011 when
    security forces fired on protesters")."""
    if any(t.lemma_.lower() in lexicon.HISTORY_NOUNS or any(
            c.dep_ == "nsubj" and c.lemma_.lower() in lexicon.HISTORY_NOUNS
            for c in t.children) for t in anchor.ancestors):
        return True  # "a memorial to those killed", "the monument honours the students"
    for clause in anchor.children:  # "since the Taliban took over Kabul in August 2021"
        if clause.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ == "since"
                                          for m in clause.children) and \
                dates.is_background(_clause_text(clause), reference):
            return True
    node = anchor
    for _ in range(4):
        if dates.is_background(_clause_text(node), reference,
                               months=node.dep_ in ("acl", "relcl", "pobj")):
            return True
        if node.dep_ in ("advcl", "relcl", "acl", "pobj", "prep", "pcomp") or (
                node.dep_ in ("dobj", "nsubj", "nsubjpass") and node.pos_ == "NOUN"):
            node = node.head
            continue
        return False
    return False


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
    if subj is not None and subj.pos_ == "PRON" and node.dep_ in ("ccomp", "acl") \
            and node.head.lemma_.lower() in _CLAIM_NOUNS:
        claimant = _child(node.head, ("poss",))  # "the rebels' claim that they had ..."
        if claimant is not None and claimant.pos_ != "PRON":
            return claimant
    return subj


_CLAIM_NOUNS = frozenset("claim statement announcement report assertion".split())


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


def _has_prep(token: Token, preps: Sequence[str], objects: Optional[frozenset],
              places: frozenset = frozenset()) -> bool:
    for prep in token.children:
        if prep.dep_ in ("prep", "dative") and prep.lemma_.lower() in preps:
            pobj = _child(prep, ("pobj",))
            if pobj is None or pobj.lower_ in dates.TIME_WORDS:
                continue  # "called a rally for Saturday"
            lemmas = _object_lemmas(pobj)
            if pobj.i in places or pobj.ent_type_ in ("GPE", "LOC") or \
                    (pobj.pos_ == "PROPN" and pobj.dep_ == "pobj"):
                lemmas.add(lexicon.PLACE)
            if objects is None or lemmas & objects:
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
    inside = {t.i for t in trigger.subtree}
    for entity in places:  # "advanced to the edge of the city of Homs"
        token = _token_at(doc, entity["start_char"] - offset)
        if token is not None and token.i in inside and token.i > trigger.i and \
                entity["latitude"] is not None and not _in_clause_below(token, trigger):
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


def _in_clause_below(token: Token, trigger: Token) -> bool:
    """Whether a clause of its own lies between the token and the trigger."""
    node = token
    while node.i != trigger.i and node.head.i != node.i:
        if node.dep_ in _CLAUSES:
            return True
        node = node.head
    return False


def _token_at(doc: Doc, char: int) -> Optional[Token]:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def _event_row(article: dict, rule: Rule, trigger: Token, offset: int, sentence: str,
               actor: Optional[_Party], recipient: Optional[_Party],
               location: Optional[dict]) -> dict:
    reference, date_source = _reference_day(article)
    day = dates.day_in_sentence(_clause_text(trigger), reference) or \
        dates.day_in_sentence(_without_other_relatives(trigger), reference)
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


def _without_other_relatives(trigger: Token) -> str:
    """The sentence without relative clauses the trigger is not in: "seized Aleppo earlier
    in the offensive that began on November 27" is not dated November 27."""
    doc = trigger.doc
    dropped = set()
    for token in doc:
        if token.dep_ == "relcl" and \
                token.i != trigger.i and trigger.i not in {t.i for t in token.subtree}:
            dropped |= {t.i for t in token.subtree}
    return " ".join(t.text for t in doc if t.i not in dropped)


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
