"""Finding triggers: the verb, event noun or modifier that expresses an event, with the
rule of the lexicon it satisfies and the tokens of its actor and recipient."""
from __future__ import annotations

from typing import Iterable, Optional

from spacy.tokens import Token

from .. import dates
from . import lexicon
from .lexicon import ANY, ASSAULT, NONE, OBJECT, Rule
from .modality import fired_into_the_air, presupposed
from .syntax import (OBJECTS, SUBJECTS, child_of, has_prep, is_joint, object_lemmas, prep_object,
                     side_of, subject_of)


_SYMMETRIC = frozenset(("AGREE", "CONSULT", "COOPERATE"))


def find_trigger(token: Token, places: set[int], used_nouns: set[int]
                ) -> Optional[tuple[Rule, Optional[Token], Optional[Token]]]:
    """(rule, actor token, recipient token) when the token expresses an event.

    ``places`` holds the indices of tokens inside place names; ``used_nouns`` the event
    nouns already coded through their light verb.
    """
    lemma = token.lemma_.lower()
    if token.pos_ == "VERB":
        verb = lemma if lemma in lexicon.VERBS else \
            lexicon.FORM_LEMMAS.get(token.lower_, lemma)  # "retook" -> retake
        found = verbal_event(token, verb, places, used_nouns)
        if found:
            return found
    committed = committed_act(token)
    if committed is not None:  # "offered to hand over", "is ready to contribute troops"
        return Rule("AGREE", "03"), subject_of(token) if token.pos_ == "VERB" else \
            subject_of(token.head), prep_object(committed, ("to",))
    demanded = demanded_act(token)
    if demanded is not None:  # "said Libya must hand over the suspects"
        return Rule("REQUEST", "10"), subject_of(token) if token.pos_ in ("VERB", "AUX") \
            else subject_of(token.head), child_of(demanded, SUBJECTS)
    if token.pos_ == "ADJ" and token.dep_ == "amod" and token.lower_ in lexicon.ABDUCTED:
        return Rule(ASSAULT, "18", "abduct"), None, token.head  # "kidnapped missionaries"
    if token.pos_ in ("NOUN", "PROPN") and token.i not in used_nouns:
        return nominal_event(token, lemma)
    return None


def committed_act(token: Token) -> Optional[Token]:
    """The act a commitment offers ("offered to hand over", "is willing to send", "is
    committed to opening up"), when it is not hostile (a hostile one is a THREATEN,
    coded from the act)."""
    if token.lemma_.lower() not in lexicon.COMMITMENTS or token.pos_ not in ("VERB", "ADJ"):
        return None
    act = next((c for c in token.children if c.dep_ == "xcomp" and c.pos_ == "VERB"), None)
    if act is None:  # "committed to opening up the economy"
        act = next((p for c in token.children if c.dep_ == "prep" and c.lower_ == "to"
                    for p in c.children if p.dep_ == "pcomp" and p.pos_ == "VERB"), None)
    if act is None:
        return None
    lemma = act.lemma_.lower()
    rules = lexicon.VERBS.get(lexicon.FORM_LEMMAS.get(act.lower_, lemma), ())
    if any(r.event_type in lexicon.HOSTILE_TYPES for r in rules) or any(
            d.lower_ == "any" for c in act.children if c.dep_ in OBJECTS for d in c.children):
        return None  # "ready to crush any separatist move" is a threat
    return act


def demanded_act(token: Token) -> Optional[Token]:
    """The clause a statement says someone must carry out: "said Libya must hand over",
    "a reminder to Iraq that it must cooperate". Not the speaker's own duty ("we must")."""
    if token.lemma_.lower() not in lexicon.STATEMENT_HEADS:
        return None
    for clause in token.children:
        if clause.dep_ not in ("ccomp", "acl") or clause.pos_ not in ("VERB", "AUX"):
            continue
        modal = next((c for c in clause.children if c.dep_ == "aux" and
                      c.lower_ in lexicon.DEMANDING_MODALS), None)
        subject = child_of(clause, SUBJECTS + ("nsubjpass",))
        if modal is not None and subject is not None and modal.i > subject.i and \
                subject.lower_ not in ("we", "i", "you", "one"):
            return clause  # not "should the ceasefire hold": a condition
    return None


def verbal_event(token: Token, lemma: str, places: set[int], used_nouns: set[int]
                ) -> Optional[tuple[Rule, Optional[Token], Optional[Token]]]:
    if token.pos_ != "VERB":
        return None
    if token.dep_ == "amod" or (token.tag_ == "VBG" and token.dep_ in ("compound",)):
        # "striking miners", "stone-throwing protesters": an ongoing action of the noun
        rule = modifier_rule(lemma, token)
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
        obj = child_of(token, ("nsubjpass",) if passive else OBJECTS)
    if obj is None and not passive:
        obj = next((c for c in token.children if c.dep_ == "npadvmod" and c.i > token.i
                    and c.pos_ in ("NOUN", "PROPN") and c.lower_ not in dates.TIME_WORDS
                    and c.lemma_.lower() not in lexicon.DURATIONS), None)  # "freed British couple"
        if obj is None:  # "dismissed as 'absurd' claims that ..."
            found = prep_object(token, ("as",))
            if found is not None and found.lemma_.lower() in lexicon.PROPOSALS:
                obj = found
    if lemma == "declare" and any(t.lower_ == "grata" for t in token.subtree):
        return Rule("SANCTION", "16", "expel"), subject_of(token), obj  # "persona non grata"
    if lemma in lexicon.MOVE_VERBS and obj is None and not passive:
        moved = forces_in(subject_of(token))
        if moved is not None:  # "troops poured into Manipur", "units moved closer to"
            dest = prep_object(token, ("into", "to", "toward", "towards", "onto")) or next(
                (prep_object(c, ("to",)) for c in token.children if c.dep_ == "advmod"
                 and prep_object(c, ("to",)) is not None), None)
            if dest is not None:
                return Rule("MOBILIZE", "15", "troops"), subject_of(token), dest
    if reduced and lemma in ("accuse", "suspect", "allege"):
        return None  # "commanders accused of atrocities": a description, not an accusation
    if lemma in ("order", "tell", "give") and obj is not None and \
            obj.lemma_.lower() in lexicon.DIPLOMATS and any(
                c.dep_ == "xcomp" and c.lemma_.lower() == "leave" for c in token.children):
        return Rule("SANCTION", "16", "expel"), subject_of(token), obj  # "ordered ... to leave"
    rule = None
    if lemma in lexicon.VERBS:
        rule = select_rule(lexicon.VERBS[lemma], token, obj, places)
    light = False
    if rule is None and (lemma in lexicon.LIGHT_VERBS or lemma in lexicon.FOUNDING_VERBS) and \
            is_joint(obj):
        rule, light = Rule("COOPERATE", "06"), True  # "conducted joint patrols"
    if rule is None and lemma in lexicon.LIGHT_VERBS and obj is not None:
        rule = event_noun_rule(obj)
        light = rule is not None
        if light and lemma in ("lodge", "file") and rule.event_type == "PROTEST":
            rule = Rule("ACCUSE", "11")
    if rule is None and lemma in lexicon.CROWD_VERBS:
        rule = crowd_protest(token)
    if rule is None:
        return None
    if light and token.tag_ == "VBG" and token.dep_ in ("acl", "advcl") and \
            not any(c.dep_ == "aux" for c in token.children):
        return None  # "the general, leading the offensive, said": a role, not an act
    if token.tag_ == "VBG" and token.dep_ == "pcomp" and obj is None and not passive and \
            child_of(token, SUBJECTS) is None and rule.event_type in lexicon.FORCE_TYPES:
        return None  # "its involvement in killing": no act of anyone's, no victim
    if rule.event_type == "ACCUSE" and lemma == "charge" and token.dep_ == "conj" and \
            token.head.lemma_.lower() in ("arrest", "detain"):
        return None  # "arrested and charged" is one arrest
    if any(c.dep_ == "advmod" and c.lower_ in ("jointly",) for c in token.children) and \
            rule.event_type not in ("AGREE", "CONSULT"):
        rule = Rule("COOPERATE", "06")
    if obj is not None and lemma not in lexicon.PROTEST_ENDERS and \
            lemma not in lexicon.EVALUATIVE_VERBS:
        used_nouns.add(obj.i)  # "ended their walkout" is the ending, not a walkout
    if passive:
        agent = child_of(token, ("agent",))
        actor = child_of(agent, ("pobj",)) if agent is not None else None
    else:
        actor = subject_of(token)
    if rule.mode == "strike" and actor is not None and (
            side_of(actor) is not None or actor.lemma_.lower() in lexicon.FORCES):
        rule = Rule(ASSAULT, "19")  # "Israeli aircraft struck what ...": no labour strike
    if lemma in lexicon.SUBJECT_SUFFERS and not light and rule.event_type != "CONSULT":
        # "came under fire", "died in clashes", "received aid from the WFP"
        return rule, prep_object(token, ("from", "by")), actor
    if lemma in lexicon.VISIT_VERBS and rule.event_type == "CONSULT" and not any(
            p.lemma_.lower() == "for" for p in token.children) and (
            actor is None or lexicon.SECTOR_OF.get(actor.lemma_.lower()) != "government"
            and actor.lemma_.lower() != "delegation"):
        return None  # visits are officials' travels, or travels "for talks"
    if lemma == "meet" and rule.event_type == "CONSULT" and obj is None and \
            prep_object(token, ("with",)) is None and actor is not None and \
            actor.lemma_.lower() in lexicon.DELIBERATIVE_BODIES and \
            child_of(actor, ("conj",)) is None:
        return None  # "the cabinet met": a body among itself consults nobody
    if lemma == "leave" and rule.event_type == "RETREAT" and (
            actor is None or lexicon.SECTOR_OF.get(actor.lemma_.lower())
            not in lexicon.ARMED_SECTORS):
        return None  # troops leaving a town withdraw; delegations leaving Geneva do not
    if lemma in ("refuse", "decline") and any(
            c.dep_ == "xcomp" and c.lemma_.lower() in lexicon.NO_COMMENT for c in token.children):
        return None  # "declined to comment" rejects nobody
    if lemma in ("explode", "go") and rule.event_type == ASSAULT:
        # "a bomb exploded", "a device went off": the bomber is unknown; tankers and
        # gas cylinders that explode are accidents
        if actor is None or actor.lemma_.lower() not in lexicon.BOMBS:
            return None
        return rule, None, None
    if lemma == "call" and any(c.dep_ == "oprd" for c in token.children):
        return Rule("ACCUSE", "11"), actor, obj  # "called him a traitor"
    if lemma == "hold" and any(c.lemma_.lower() in ("responsible", "accountable")
                               for c in token.children):
        return Rule("ACCUSE", "11"), actor, obj  # "held the army responsible"
    if light:
        recipient = prep_object(obj, ("on", "against", "with", "into", "for", "at")) \
            or prep_object(token, ("on", "against", "with", "into"))
        if rule.event_type == "CONSULT" and recipient is None:
            recipient = prep_object(token, ("with",))
    else:
        recipient = obj if rule.recipient_from_object else None
        recipient = recipient or prep_object(token, rule.recipient_preps) or \
            child_of(token, ("dative",))  # "gave the government an ultimatum"
        if recipient is None and obj is not None and obj.lemma_.lower() in \
                lexicon.NOMINAL_EVENTS:  # "launched an attack on Kyiv"
            recipient = prep_object(obj, ("on", "against", "at", "into"))
    if recipient is None and actor is not None and (rule.event_type in _SYMMETRIC or
                                                    lemma in ("exchange", "clash")):
        recipient = child_of(actor, ("conj",))
    if is_joint(obj) and rule.event_type in ("ASSAULT", "COERCE", "CONSULT", "MOBILIZE"):
        rule = Rule("COOPERATE", "06")  # "carried out a joint raid", "joint patrols"
        recipient = actor
    return rule, actor, recipient


def forces_in(subject: Optional[Token]) -> Optional[Token]:
    """The subject if it names armed forces ("thousands of troops" -> troops)."""
    if subject is None:
        return None
    if subject.lemma_.lower() in lexicon.QUANTITIES or subject.pos_ == "NUM" or \
            subject.lemma_.lower() in ("hundred", "thousand", "dozen"):
        subject = prep_object(subject, ("of",)) or subject
    if subject.lemma_.lower() in lexicon.FORCES or any(
            c.dep_ == "compound" and c.lemma_.lower() in lexicon.FORCES
            for c in subject.children):
        return subject
    return None


def crowd_protest(verb: Token) -> Optional[Rule]:
    """Crowds gathering to protest ("hundreds gathered outside parliament to denounce
    the bill"), or protesters filling the streets."""
    for child in verb.children:
        if child.dep_ in ("advcl", "xcomp") and child.lemma_.lower() in lexicon.PROTEST_PURPOSES:
            return Rule("PROTEST", "14", "demo")
    subj = child_of(verb, SUBJECTS)
    if subj is not None and lexicon.SECTOR_OF.get(subj.lemma_.lower()) == "protesters" and \
            subj.lemma_.lower() in ("protester", "demonstrator", "marcher", "rioter"):
        return Rule("PROTEST", "14", "demo")
    return None


def modifier_rule(lemma: str, token: Optional[Token] = None) -> Optional[Rule]:
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


def event_noun_rule(noun: Token) -> Optional[Rule]:
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
    if lemma in ("call", "appeal", "plea", "demand") and (any(
            p.dep_ == "prep" and p.lemma_.lower() in ("on", "for", "to")
            for p in noun.children) or any(c.dep_ in ("ccomp", "acl") and any(
                m.lower_ == "that" for m in c.children) for c in [*noun.children,
                                                                  *noun.head.children])):
        return Rule("REQUEST", "02")  # "made a last call on forces to defect", "renewed
        # its demand that Israel ease restrictions"
    if lemma in ("support", "backing", "solidarity"):
        return Rule("SUPPORT", "05")
    return lexicon.NOMINAL_EVENTS.get(lemma)


def nominal_event(token: Token, lemma: str
                 ) -> Optional[tuple[Rule, Optional[Token], Optional[Token]]]:
    """Event nouns: "clashes erupted", "a sit-in by pensioners", "claimed responsibility
    for the kidnapping of", "after the arrest of a radio host"."""
    if lemma in lexicon.ARRIVING_AID and token.dep_ == "nsubj" and \
            token.head.lemma_.lower() in ("arrive", "reach", "enter", "land", "cross"):
        return Rule("AID", "07", "humanitarian"), token, child_of(token.head, OBJECTS)
    if lemma not in lexicon.NOMINAL_EVENTS and not any(
            key[0] == lemma for key in lexicon.NOMINAL_COMPOUNDS):
        return None
    rule = event_noun_rule(token)
    if rule is None:
        return None
    by = prep_object(token, ("by",))
    of = prep_object(token, ("of",))
    target = prep_object(token, ("on", "against", "of", "with"))
    head = token.head
    if rule.event_type == "PROTEST" and token.dep_ in ("dobj", "nsubjpass") and \
            head.lemma_.lower() in lexicon.PROTEST_ENDERS:
        return rule, by, None  # "police dispersed a sit-in by pensioners": it took place
    if token.dep_ in ("nsubj", "nsubjpass") and head.lemma_.lower() in lexicon.NOMINAL_VERBS:
        between = prep_object(token, ("between", "by", "with"))
        other = child_of(between, ("conj",)) if between is not None else None
        if other is None and between is not None and token.lemma_.lower() != "fighting":
            other = prep_object(token, ("with",)) if between.head.lemma_ != "with" else None
        return rule, between, other or target
    if token.dep_ in ("nsubj",) and head.lemma_.lower() in lexicon.VERBS and \
            lexicon.VERBS[head.lemma_.lower()][0].event_type == ASSAULT:
        return None  # "an air strike killed 12": the verb codes it
    if token.dep_ == "pobj" and head.lemma_.lower() == "for" and \
            head.head.lemma_.lower() in lexicon.RESPONSIBILITY_NOUNS:
        claimer = head.head.head
        return rule, child_of(claimer, SUBJECTS), of or target
    if by is not None and by.lemma_.lower() not in dates.TIME_WORDS:
        return rule, by, target if target is not None and target.i != by.i else None
    if rule.event_type == "CONSULT" and token.dep_ == "pobj" and \
            head.lemma_.lower() in ("on", "during", "in", "at") and \
            prep_object(token, ("to", "with")) is not None:
        verb = head.head  # "said on a visit to Kyiv", "in a phone call with"
        while verb.pos_ not in ("VERB", "AUX") and verb.head.i != verb.i:
            verb = verb.head
        actor = subject_of(verb) if verb.pos_ in ("VERB", "AUX") else None
        return rule, actor, prep_object(token, ("to", "with"))
    if token.dep_ == "pobj" and head.lemma_.lower() == "of" and \
            head.head.lemma_.lower() in lexicon.DURATIONS and rule.event_type == ASSAULT and \
            head.head.dep_ == "pobj" and \
            head.head.head.lemma_.lower() in lexicon.BACKGROUND_PREPS:
        verb = head.head.head.head  # "withdrew after 40 minutes of fighting"
        return rule, subject_of(verb) if verb.pos_ == "VERB" else None, None
    if token.dep_ == "pobj" and head.lower_ == "on" and rule.event_type == "PROTEST" and \
            head.head.lemma_.lower() in ("be", "remain", "stay"):
        return rule, subject_of(head.head), None  # "has been on hunger strike"
    if lemma == "protest" and token.dep_ == "pobj" and head.lower_ == "in" and \
            not any(c.dep_ == "det" for c in token.children):
        verb = head.head  # "dumped manure outside the prefecture in protest at ..."
        return rule, subject_of(verb) if verb.pos_ == "VERB" else None, None
    compound = any((lemma, c.lemma_.lower()) in lexicon.NOMINAL_COMPOUNDS
                   for c in token.children if c.dep_ in ("compound", "amod"))
    if head.lemma_.lower() in lexicon.BACKGROUND_PREPS and any(
            c.dep_ in ("amod", "compound", "nummod") and c.lemma_.lower() not in lexicon.UNREAL
            for c in token.children):
        compound = True  # "after marathon talks", "after deadly protests", "a three-day raid"
    if presupposed(token):
        compound = True
    grand = head.head.lemma_.lower()
    if (token.dep_ == "pobj" and (head.lemma_.lower() in lexicon.BACKGROUND_PREPS or
                                  head.lower_ in ("to", "in") and grand in ("lead", "result")
                                  or head.lower_ == "into" and (grand in lexicon.INQUIRIES or any(
                                      c.dep_ in OBJECTS and c.lemma_.lower() in lexicon.INQUIRIES
                                      for c in head.head.children))) or
            token.dep_ == "dobj" and head.lemma_.lower() in lexicon.EVALUATIVE_VERBS or
            presupposed(token)) and (
            of is not None or target is not None or compound or
            any(c.dep_ == "poss" for c in token.children)):
        poss = next((c for c in token.children if c.dep_ == "poss"
                     and c.lower_ not in dates.TIME_WORDS
                     and c.lemma_.lower() not in dates.TIME_WORDS), None)
        return rule, poss, of or target
    return None


def select_rule(rules: Iterable[Rule], verb: Token, obj: Optional[Token],
                places: set[int]) -> Optional[Rule]:
    rules = list(rules)
    obj_lemmas = object_lemmas(obj)
    if obj is not None and obj.i in places:
        obj_lemmas.add(lexicon.PLACE)
    particles = {c.lemma_.lower() for c in verb.children if c.dep_ == "prt" or (
        c.dep_ in ("advmod", "prep") and c.i == verb.i + 1 and c.lower_ in lexicon.PARTICLES)}
    # "called up reservists" is not "called on": a verb with particle rules codes
    # nothing with another particle
    phrasal = particles and any(r.particle for r in rules)
    for rule in rules:
        if rule.particle and rule.particle not in particles:
            continue
        if phrasal and not rule.particle:
            continue
        if rule.needs_prep and not has_prep(verb, rule.needs_prep, rule.prep_objects,
                                             places):
            continue
        if rule.objects == OBJECT and obj is None:
            continue
        if rule.objects == NONE and obj is not None:
            continue
        if rule.objects not in (ANY, OBJECT, NONE) and not obj_lemmas & rule.objects:
            continue
        if fired_into_the_air(verb):
            return None
        return rule
    return None
