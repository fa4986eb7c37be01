"""Whether a trigger tells something that happened on the story's day: negation, modals,
conditions, intentions and threats, stated stances, background long ago, habitual
present, drills, celebrations, accidents and actors outside politics."""
from __future__ import annotations

import datetime as dt
from typing import Optional

from spacy.tokens import Doc, Token

from .. import dates
from . import lexicon
from .lexicon import Rule
from .syntax import OBJECTS, SUBJECTS, child_of, clause_text, prep_object, side_of


MATERIAL_TYPES = frozenset(("ASSAULT", "COERCE", "PROTEST", "MOBILIZE", "AID", "RETREAT",
                             "COOPERATE"))
_STATED_TYPES = frozenset(("SUPPORT", "REJECT", "AGREE", "REQUEST", "ACCUSE"))
_THREAT_TYPES = frozenset(("PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT"))


def said_as_intent(verb: Token, rule: Rule):
    """A stance, commitment or threat stated now, though its act lies ahead.

    "said it would back the bill" is a SUPPORT made now; an act offered, promised or
    announced ("offered to hand over the suspects", "is ready to send troops", "said it
    will provide food aid") is an AGREE when it cooperates and a THREATEN when it is
    hostile ("said they would blockade Paris"), as is any act announced with a condition
    ("would walk out unless the government paid", "was ready to launch an operation if
    the fighters did not pull back"). Returns None when the act is simply not (yet) done,
    else ``(rule, recipient)`` or ``()`` to keep the rule."""
    if verb.pos_ != "VERB":
        return None
    clause, committed = verb, False
    if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in lexicon.COMMITMENTS:
        committed = True  # "was ready to launch", "offered to hand over"
        clause = verb.head if verb.head.pos_ == "VERB" else verb.head.head
    modal = {c.lemma_.lower() for c in clause.children if c.dep_ == "aux"} & {"would", "will"}
    negated = any(c.dep_ == "neg" for c in clause.children)
    reported = clause.dep_ == "ccomp" and clause.head.lemma_.lower() in (
        lexicon.REPORTING_VERBS | {"warn", "vow", "insist", "declare"}) and happened(clause.head)
    if modal and negated and rule.event_type in ("AGREE", "SUPPORT", "CONCEDE") and (
            clause.dep_ == "ROOT" or reported):
        return Rule("REJECT", "12"), child_of(verb, OBJECTS)  # "said it would not accept"
    if negated or not (modal or committed):
        return None
    if any(c.dep_ == "aux" and c.lemma_.lower() == "have" for c in clause.children):
        return None  # "would have seized the airport": it did not happen
    if committed:
        if clause.dep_ == "ccomp" and not reported or clause.dep_ not in ("ROOT", "ccomp") or \
                not modal and not happened(clause):
            return None
    elif not (reported or clause.dep_ == "ROOT" and "will" in modal):
        return None
    condition = next((c for c in [*verb.children, *clause.children]
                      if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lemma_.lower()
                                                   in ("if", "unless") for m in c.children)),
                     None)
    if condition is not None and rule.event_type in MATERIAL_TYPES | _THREAT_TYPES:
        return Rule("THREATEN", "13"), child_of(condition, SUBJECTS)
    if rule.event_type in _STATED_TYPES and not committed:
        return ()
    target = child_of(verb, OBJECTS) or prep_object(verb, ("against", "to", "on"))
    if rule.event_type in _THREAT_TYPES and target is not None and any(
            c.lower_ == "any" for c in target.children):
        return Rule("THREATEN", "13"), None  # "would retaliate against any strike"
    if rule.event_type in lexicon.HOSTILE_TYPES and (committed or not (
            clause.head.lemma_.lower() in lexicon.VERBS and
            lexicon.VERBS[clause.head.lemma_.lower()][0].event_type == "THREATEN")):
        # "said they would boycott all contact with"; under "warned" the warning is it
        return Rule("THREATEN", "13"), ()
    if rule.event_type in lexicon.COOPERATIVE_TYPES and not committed and \
            rule.event_type != "CONSULT":
        return Rule("AGREE", "03"), ()  # "will provide food aid"; a commitment's own word
        # ("offered to", "is ready to") codes the AGREE of a committed act
    return None


def attempted(verb: Token, rule: Rule) -> bool:
    """"attempted to assassinate the prime minister": an attempt on someone is an
    assault made."""
    return rule.event_type == "ASSAULT" and verb.dep_ == "xcomp" and \
        verb.head.lemma_.lower() in lexicon.ATTEMPTS and happened(verb.head)


def voted(verb: Token, rule: Rule) -> bool:
    """"voted to accept the offer", "voted to reject the bill": the vote is the act."""
    return verb.dep_ == "xcomp" and verb.head.lemma_.lower() == "vote" and \
        rule.event_type in ("AGREE", "REJECT", "SUPPORT", "CONCEDE") and happened(verb.head)


def threat_parties(verb: Token, recipient: Optional[Token] = None
                   ) -> tuple[Optional[Token], Optional[Token]]:
    """Who threatens or commits (the speaker's side: "its members would walk out" is the
    union's), and against or to whom (the condition's subject, else the act's own)."""
    clause = verb
    if verb.dep_ == "xcomp" and verb.head.lemma_.lower() in lexicon.COMMITMENTS:
        clause = verb.head if verb.head.pos_ == "VERB" else verb.head.head
    actor = child_of(clause, SUBJECTS)
    if actor is not None and actor.pos_ == "PRON" or actor is not None and \
            actor.lemma_.lower() in ("member", "worker", "fighter", "force", "troop"):
        actor = child_of(clause.head, SUBJECTS) or actor
    condition = next((c for c in [*verb.children, *clause.children] if c.dep_ == "advcl"),
                     None)
    if condition is not None:
        recipient = child_of(condition, SUBJECTS)
    return actor, recipient


def accident_in(doc: Doc) -> bool:
    return any(t.lemma_.lower() in lexicon.ACCIDENT_VERBS and t.pos_ == "VERB" and (
        child_of(t, SUBJECTS) is None or non_political(child_of(t, SUBJECTS)) or
        child_of(t, SUBJECTS).lemma_.lower() in lexicon.NATURAL_CAUSES) for t in doc)


def celebratory(doc: Doc) -> bool:
    return any(t.lemma_.lower().startswith("celebrat") or t.lower_ in ("jubilation",
                                                                       "wedding", "festive")
               for t in doc) or any(t.lower_ == "air" and t.head.lower_ in ("into", "in")
                                    and t.head.head.lemma_.lower() in ("fire", "shoot")
                                    for t in doc)


def non_political(token: Optional[Token]) -> bool:
    """Animals, vehicles, sports and business words as actor or target, also as the
    compound ("tanker explosion", "shark attack") or the "of" phrase ("40 percent of
    the market")."""
    if token is None:
        return False
    lemma = token.lemma_.lower()
    if side_of(token) is not None:
        return False  # "Russian aircraft", "army helicopters": armed forces
    if lemma in lexicon.NON_POLITICAL or token.lower_ in lexicon.NON_POLITICAL:
        return True
    if lemma in lexicon.BOMBS or lemma in lexicon.MUNITIONS:
        return False  # "a car bomb", "a truck bomb": a weapon, whatever carries it
    for child in token.children:
        if child.dep_ == "compound" and child.lemma_.lower() in lexicon.NON_POLITICAL:
            return True
        if child.dep_ == "prep" and child.lower_ == "of" and any(
                p.dep_ == "pobj" and p.lemma_.lower() in lexicon.NON_POLITICAL
                for p in child.children) and lemma in ("percent", "%", "share", "part"):
            return True
    return lemma in lexicon.QUANTITIES and any(
        t.lemma_.lower() in lexicon.NON_POLITICAL for t in token.subtree)


def presupposed(token: Token) -> bool:
    """An event noun whose happening the sentence takes for granted, whatever governs
    it: "urged truckers to end their blockade of the highways", "refugees fleeing
    fighting", "criticised the authorities for the arrest of a lawyer"."""
    if token.pos_ not in ("NOUN", "PROPN"):
        return False
    head = token.head
    if token.dep_ in OBJECTS and head.lemma_.lower() in lexicon.FLEE_VERBS:
        return True
    if token.dep_ in OBJECTS and head.lemma_.lower() in lexicon.ENDERS:
        return any(c.dep_ == "poss" for c in token.children) or \
            prep_object(token, ("of", "on", "against")) is not None
    return token.dep_ == "pobj" and head.lower_ == "for" and \
        head.head.lemma_.lower() in lexicon.BLAMING_VERBS


def fired_into_the_air(verb: Token) -> bool:
    """Celebratory or warning shots are not attacks."""
    return any(c.dep_ == "prep" and c.lemma_.lower() in ("into", "in")
               and any(p.lemma_.lower() == "air" for p in c.children) for c in verb.children)


def happened(verb: Token) -> bool:
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
        if any(c.dep_ == "mark" and c.lemma_.lower() in ("until", "before")
               for c in children) and any(t.tag_ in ("VB", "VBP", "VBZ") for t in [
                   node, *(c for c in children if c.dep_ in ("aux", "auxpass"))]):
            return False  # "until their demands are met": not yet
        if node.tag_ == "VB" and node.dep_ in ("ccomp", "acl", "advcl") and \
                child_of(node, SUBJECTS) is not None and \
                not any(c.dep_ in ("aux", "auxpass") for c in children):
            return False  # "demanded that Israel ease restrictions": a subjunctive
        if any(c.dep_ == "advmod" and c.lower_ in ("never", "yet") for c in children):
            return False  # "has yet to release", "never took place"
        if any(c.dep_ in OBJECTS and any(d.dep_ == "det" and d.lower_ == "no"
                                         for d in c.children) for c in children):
            return False  # "said they had made no arrests"
        if node.pos_ in ("VERB", "AUX") and any(c.dep_ == "aux" and c.tag_ == "TO"
                                                for c in children) \
                and node.head.lemma_.lower() not in lexicon.IMPLICATIVE_HEADS \
                and not protest_purpose(node):
            return False  # "agreed to withdraw", "the right to protest": not done (yet)
        subj = child_of(node, SUBJECTS + ("nsubjpass",))
        if subj is not None and (subj.lemma_.lower() in lexicon.GENERIC_SUBJECTS or any(
                c.lemma_.lower() in ("no", "nobody", "none", "neither") for c in subj.subtree)):
            return False
        if node.dep_ == "relcl" and node.head.lemma_.lower() in lexicon.GENERIC_SUBJECTS:
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
                    node.dep_ == "advcl" and node.tag_ == "VBG" and not any(
                        c.dep_ in ("mark", "aux") for c in children)) and not (
                    # "foiled a plot, arresting three suspects": the participle did happen
                    node.dep_ == "advcl" and any(  # "warned ... after the US deployed"
                        m.dep_ == "mark" and m.lower_ in lexicon.FACTUAL_MARKS
                        for m in node.children)) and not (
                    node.dep_ == "prep" and node.lower_ in lexicon.BACKGROUND_PREPS):
                return False
            if head.i == node.i:
                return True
            node = head
            continue
        return True
    return True


def protest_purpose(verb: Token) -> bool:
    """"shunned work to protest at the settlements", "gathered to denounce the bill":
    the purpose of something done is a protest made by doing it."""
    head = verb.head.lemma_.lower()
    if head in lexicon.VERBS and any(r.event_type == "ACCUSE" for r in lexicon.VERBS[head]):
        return False  # "summoned the ambassador to protest remarks": the summons is it
    return verb.dep_ in ("advcl", "xcomp", "acl", "relcl") and \
        verb.lemma_.lower() in lexicon.PROTEST_PURPOSES and \
        verb.lemma_.lower() in lexicon.VERBS and \
        lexicon.VERBS[verb.lemma_.lower()][-1].event_type == "PROTEST"


def in_background(anchor: Token, reference: dt.date) -> bool:
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
                dates.is_background(clause_text(clause), reference):
            return True
    node = anchor
    for _ in range(4):
        if dates.is_background(clause_text(node), reference,
                               months=node.dep_ in ("acl", "relcl", "pobj")) or \
                lexicon.LONG_SPANS.search(clause_text(node)):
            return True
        if node.dep_ in ("advcl", "relcl", "acl", "pobj", "prep", "pcomp") or (
                node.dep_ in ("dobj", "nsubj", "nsubjpass") and node.pos_ == "NOUN"):
            node = node.head
            continue
        return False
    return False
