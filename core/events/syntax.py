"""Reading spaCy trees for event coding: a verb's subject and objects, prepositional
objects, the phrase of a noun, the clause of a trigger (where its own time is said)."""
from __future__ import annotations

from typing import Optional, Sequence

from spacy.tokens import Doc, Token

from .. import dates
from . import lexicon


SUBJECTS = ("nsubj", "csubj")
OBJECTS = ("dobj", "obj")
PHRASE_DEPS = frozenset(("compound", "amod", "nmod", "poss", "nummod", "npadvmod", "case"))


def anchor_of(token: Token) -> Token:
    """The verb whose modality decides whether a nominal trigger happened: "clashes
    erupted" -> erupted; a verb is its own anchor."""
    if token.pos_ in ("NOUN", "PROPN") and token.dep_ in ("nsubj", "nsubjpass"):
        return token.head
    if token.pos_ == "ADJ" and token.dep_ == "acomp":
        return token.head  # "is ready to send": whether "is" is asserted
    return token


def side_of(token: Optional[Token]) -> Optional[Token]:
    """For a weapon or craft named with its side ("Ukrainian drones", "Russian aircraft",
    "army helicopters"), the word naming the side."""
    if token is None or token.lemma_.lower() not in lexicon.ARMED_CRAFT | lexicon.MUNITIONS:
        return None
    return next((c for c in token.children if c.dep_ in ("amod", "compound", "nmod") and (
        c.text[:1].isupper() and c.pos_ in ("ADJ", "PROPN") or
        c.lemma_.lower() in lexicon.MILITARY_MODIFIERS)), None)


def party_token(token: Optional[Token]) -> Optional[Token]:
    """The word naming an actor or recipient: through stand-ins to their "of" phrase
    ("the edge of the city of Homs" -> Homs, "the immediate release of the fishermen" ->
    fishermen); None for a stand-in without one, or a weapon ("56 drones" launched)."""
    for _ in range(3):
        if token is None:
            return None
        lemma = token.lemma_.lower()
        named = prep_object(token, ("of",))
        if lemma in lexicon.TERRITORY:  # "the city of Homs" -> Homs
            return named if named is not None and named.pos_ == "PROPN" else token
        if lemma not in lexicon.STAND_INS:
            return token
        if named is None:  # "thousands marched"; "Pakistan's plan" -> Pakistan
            return token if lemma in lexicon.QUANTITIES else child_of(token, ("poss",))
        token = named
    return token


def patron_tokens(token: Token) -> set[int]:
    """Indices of the words of a phrase's patron: "US" in "the US-backed alliance"."""
    out = set()
    for child in token.children:
        if child.lower_ in lexicon.PATRONS or child.lower_.rsplit("-", 1)[-1] in \
                lexicon.PATRONS:
            out |= {t.i for t in child.subtree}
    return out


def is_joint(obj: Optional[Token]) -> bool:
    return obj is not None and any(c.lemma_.lower() in ("joint", "combined", "bilateral")
                                   for c in obj.children if c.dep_ in ("amod", "compound"))


def object_lemmas(obj: Optional[Token]) -> set[str]:
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


def child_of(token: Optional[Token], deps: Sequence[str]) -> Optional[Token]:
    if token is None:
        return None
    return next((c for c in token.children if c.dep_ in deps), None)


def subject_of(verb: Token) -> Optional[Token]:
    """The acting subject, following coordination, relative clauses and
    "X said they ..." pronouns."""
    node = verb
    subj = child_of(node, SUBJECTS)
    # "rebels seized X and attacked Y", "attacked a village, killing 17 civilians"
    while subj is None and node.head.i != node.i and (
            node.dep_ in ("conj", "xcomp") or node.dep_ == "advcl" and (
                node.tag_ == "VBG" or any(c.tag_ == "TO" for c in node.children))):
        # "shunned work to protest": a purpose clause shares the subject too
        node = node.head
        subj = child_of(node, SUBJECTS)
    if subj is None and verb.dep_ == "relcl":
        return verb.head
    if subj is None:
        subj = swallowed_subject(node)
    if subj is not None and subj.tag_ == "WDT" and node.dep_ == "relcl":
        return node.head
    if subj is not None and subj.pos_ == "PRON" and node.dep_ == "ccomp" \
            and node.head.lemma_.lower() in lexicon.REPORTING_VERBS:
        reporter = child_of(node.head, SUBJECTS)
        if reporter is not None and reporter.pos_ != "PRON":
            return reporter
    if subj is not None and subj.pos_ == "PRON" and node.dep_ in ("ccomp", "acl") \
            and node.head.lemma_.lower() in lexicon.CLAIM_NOUNS:
        claimant = child_of(node.head, ("poss",))  # "the rebels' claim that they had ..."
        if claimant is not None and claimant.pos_ != "PRON":
            return claimant
    return subj


def swallowed_subject(verb: Token) -> Optional[Token]:
    """The subject the parser folded into a time phrase before the verb: in "On Friday
    gunmen attacked ..." it reads "Friday gunmen" as one noun under "on"."""
    before = verb.doc[verb.i - 1] if verb.i > 0 else None
    if before is None or before.dep_ != "pobj" or before.head.head.i != verb.i:
        return None
    if any(c.dep_ == "compound" and c.lower_ in dates.TIME_WORDS for c in before.children):
        return before
    return None


def prep_object(token: Token, preps: Sequence[str]) -> Optional[Token]:
    for prep in token.children:
        if prep.dep_ in ("prep", "dative") and prep.lemma_.lower() in preps:
            pobj = child_of(prep, ("pobj",))
            if pobj is not None:
                return pobj
    return None


def has_prep(token: Token, preps: Sequence[str], objects: Optional[frozenset],
             places: frozenset = frozenset()) -> bool:
    for prep in token.children:
        if prep.dep_ in ("prep", "dative") and prep.lemma_.lower() in preps:
            pobj = child_of(prep, ("pobj",))
            if pobj is None or pobj.lower_ in dates.TIME_WORDS:
                continue  # "called a rally for Saturday"
            lemmas = object_lemmas(pobj)
            if pobj.i in places or pobj.ent_type_ in ("GPE", "LOC") or \
                    (pobj.pos_ == "PROPN" and pobj.dep_ == "pobj"):
                lemmas.add(lexicon.PLACE)
            if objects is None or lemmas & objects:
                return True
    return False


def phrase_tokens(token: Token) -> list[Token]:
    """The head noun with its left modifiers: "Syrian rebels", "Opposition leader X"."""
    out = [token]
    for child in token.lefts:
        if child.dep_ in PHRASE_DEPS:
            out.extend(t for t in child.subtree if t.i < token.i)
    return out


def in_clause_below(token: Token, trigger: Token) -> bool:
    """Whether a clause of its own lies between the token and the trigger."""
    node = token
    while node.i != trigger.i and node.head.i != node.i:
        if node.dep_ in CLAUSES:
            return True
        node = node.head
    return False


def token_at(doc: Doc, char: int) -> Optional[Token]:
    span = doc.char_span(char, char + 1, alignment_mode="expand")
    return span.root if span is not None and len(span) else None


def unrealized(verb: Token) -> bool:
    """Whether a clause tells what is yet to be done: a future or modal ("would appear in
    court on Thursday"), or an infinitive ("agreed to pay the wages by Nov. 30")."""
    return verb.pos_ in ("VERB", "AUX") and any(
        c.dep_ in ("aux", "auxpass") and (c.lower_ in lexicon.MODALS or c.tag_ == "TO")
        for c in verb.children)


def without_other_relatives(trigger: Token) -> str:
    """The sentence without what cannot date the trigger: relative clauses it is not in
    ("seized Aleppo earlier in the offensive that began on November 27" is not dated
    November 27), clauses of what is yet to be done ("those arrested would appear in
    court on Thursday", "agreed to pay the wages by Nov. 30": the trigger's own too, a
    future is never dated in the past) and deadlines ("by Nov. 30")."""
    doc = trigger.doc
    inside = {t.i for t in trigger.subtree}
    dropped = set()
    for token in doc:
        if token.dep_ == "relcl" and token.i != trigger.i and trigger.i not in \
                {t.i for t in token.subtree}:
            dropped |= {t.i for t in token.subtree}
        elif unrealized(token):
            dropped |= {t.i for t in token.subtree} - (inside if token.i != trigger.i
                                                       else set())
            dropped |= {token.i} | {c.i for c in token.children
                                    if c.dep_ in ("aux", "auxpass", "neg")}
        elif token.dep_ == "prep" and token.lower_ in ("by", "until", "before"):
            dropped |= {t.i for t in token.subtree}
    return " ".join(t.text for t in doc if t.i not in dropped)
CLAUSES = frozenset(("relcl", "ccomp", "advcl", "acl", "conj", "parataxis", "csubj", "xcomp"))


def clause_tokens(trigger: Token) -> list[Token]:
    """The trigger and its dependents, without the clauses hanging from it: where its
    own time and place are said."""
    tokens, stack = [], [trigger]
    while stack:
        token = stack.pop()
        tokens.append(token)
        stack.extend(c for c in token.children if c.dep_ not in CLAUSES)
    return sorted(tokens, key=lambda t: t.i)


def clause_text(trigger: Token) -> str:
    """The words that date the trigger: its own clause, and for a participle hanging
    from another verb ("attacked the town last year, killing dozens") that verb's too."""
    tokens = clause_tokens(trigger)
    if trigger.dep_ in ("advcl", "xcomp") and trigger.tag_ in ("VBG", "VBN"):
        tokens = sorted({*tokens, *clause_tokens(trigger.head)}, key=lambda t: t.i)
    return " ".join(t.text for t in tokens)
