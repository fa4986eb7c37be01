"""The event lexicon: which verbs, with which objects, code which PLOVER event.

PLOVER types, quad classes and CAMEO roots follow the PLOVER codebook and its
CAMEO crosswalk; ``docs/events.md`` lists every type with examples. A verb has a
list of rules tried in order; the first whose object condition holds codes the
event. Light verbs ("hold", "launch", "impose") code events only through their
objects ("held a protest", "launched airstrikes", "imposed a curfew").
"""
from __future__ import annotations

import dataclasses
from typing import Optional

QUAD_CLASS = {
    "AGREE": 1, "CONSULT": 1, "SUPPORT": 1, "CONCEDE": 1,
    "COOPERATE": 2, "AID": 2, "RETREAT": 2,
    "REQUEST": 3, "ACCUSE": 3, "REJECT": 3, "THREATEN": 3,
    "PROTEST": 4, "SANCTION": 4, "MOBILIZE": 4, "COERCE": 4, "ASSAULT": 4,
}

ANY = "any"     # rule holds whatever the object
PLACE = "<place>"  # stands for an object that is a place name in object sets
OBJECT = "obj"  # rule needs some direct object
NONE = "none"   # rule needs no direct object (intransitive use)


@dataclasses.dataclass(frozen=True)
class Rule:
    event_type: str
    cameo: str
    mode: Optional[str] = None
    objects: object = ANY  # ANY, OBJECT, NONE or a frozenset of object lemmas
    # Prepositions whose object is the recipient ("accused X", "called on X",
    # "clashed with X", "delivered aid to X"); the direct object is tried first
    # unless ``recipient_from_object`` is False (the object is the thing given).
    recipient_preps: tuple = ()
    recipient_from_object: bool = True
    # The rule holds only with one of these prepositions ("went on strike",
    # "called on X", "called for calm"), its object in ``prep_objects`` if given.
    needs_prep: tuple = ()
    prep_objects: Optional[frozenset] = None
    particle: Optional[str] = None  # the rule holds only with this particle ("take over")
    certainty: float = 1.0  # lower for verbs that are often not events


def _words(text: str) -> frozenset:
    return frozenset(text.split())


TERRITORY = _words("<place> city town village territory area region province district base "
                   "airport border crossing capital neighbourhood neighborhood suburb outskirt "
                   "camp hill port oilfield bridge highway stronghold position enclave island")
PEOPLE_HELD = _words("prisoner hostage detainee captive journalist activist protester soldier "
                     "fighter people person civilian student worker leader member politician "
                     "opponent migrant national sailor crew passenger")
AID_GOODS = _words("aid food supply assistance relief medicine water tent blanket vaccine "
                   "shelter cash fuel grain wheat rice flour kit ration parcel package tonne "
                   "ton truck convoy help loan fund funding money grant equipment meal doctor "
                   "nurse medic team")
MILITARY_GOODS = _words("weapon arm ammunition missile rocket drone tank jet artillery")
FORCES = _words("troop soldier force police officer warship tank jet reinforcement "
                "battalion army personnel guard gendarme marine commando brigade")
FIRED = _words("shot bullet round rocket missile shell mortar gas grenade volley artillery "
               "salvo projectile")
PROTESTS = _words("protest demonstration rally march sit vigil strike walkout boycott "
                  "picket blockade")
ATTACKS = _words("attack offensive assault raid strike airstrike ambush bombardment "
                 "bombing incursion operation counteroffensive")
AGREEMENTS = _words("agreement deal accord truce ceasefire pact treaty memorandum "
                    "settlement compromise")
TALKS = _words("talk meeting negotiation consultation summit discussion dialogue")
RESTRICTIONS = _words("curfew emergency law lockdown blockade restriction ban closure")
SANCTIONS = _words("sanction embargo tariff")
TIES = _words("tie relation")
ASSETS = _words("weapon arm drug asset property ship vessel cargo shipment passport "
                "equipment vehicle land document computer phone cash money")

ASSAULT = "ASSAULT"
_ATTACK_RECIPIENTS = ("on", "against", "at")

VERBS: dict[str, list[Rule]] = {
    # ASSAULT: use of force
    "attack": [Rule(ASSAULT, "18")],
    "assault": [Rule(ASSAULT, "18", "beat")],
    "ambush": [Rule(ASSAULT, "19", "firearms")],
    "raid": [Rule(ASSAULT, "18", certainty=0.8)],
    "storm": [Rule(ASSAULT, "18", objects=OBJECT)],
    "shell": [Rule(ASSAULT, "19", "heavy-weapons")],
    "bomb": [Rule(ASSAULT, "19", "aerial")],
    "bombard": [Rule(ASSAULT, "19", "heavy-weapons")],
    "shoot": [Rule(ASSAULT, "19", "firearms", objects=OBJECT, recipient_preps=("at",)),
              Rule(ASSAULT, "19", "firearms", recipient_preps=("at", "on"), certainty=0.8)],
    "gun": [Rule(ASSAULT, "19", "firearms", objects=OBJECT)],
    "fire": [Rule(ASSAULT, "19", "firearms", objects=FIRED, recipient_preps=_ATTACK_RECIPIENTS,
                  recipient_from_object=False),
             Rule(ASSAULT, "19", "firearms", objects=NONE, recipient_preps=_ATTACK_RECIPIENTS,
                  certainty=0.8)],
    "open": [Rule(ASSAULT, "19", "firearms", objects=_words("fire"),
                  recipient_preps=_ATTACK_RECIPIENTS, recipient_from_object=False)],
    "kill": [Rule(ASSAULT, "18")],
    "murder": [Rule(ASSAULT, "18")],
    "execute": [Rule(ASSAULT, "18", objects=PEOPLE_HELD | _words("man woman"))],
    "behead": [Rule(ASSAULT, "18")],
    "massacre": [Rule(ASSAULT, "20", "cleansing")],
    "wound": [Rule(ASSAULT, "18")],
    "injure": [Rule(ASSAULT, "18", certainty=0.8)],
    "stab": [Rule(ASSAULT, "18", "beat")],
    "beat": [Rule(ASSAULT, "18", "beat", objects=PEOPLE_HELD | _words("man woman protester"))],
    "torture": [Rule(ASSAULT, "18", "torture")],
    "kidnap": [Rule(ASSAULT, "18", "abduct")],
    "abduct": [Rule(ASSAULT, "18", "abduct")],
    "hijack": [Rule(ASSAULT, "18", "abduct")],
    "assassinate": [Rule(ASSAULT, "18", "assassinate")],
    "torch": [Rule(ASSAULT, "17", "destroy")],
    "loot": [Rule(ASSAULT, "17", "destroy")],
    "burn": [Rule(ASSAULT, "17", "destroy", objects=OBJECT, certainty=0.7)],
    "destroy": [Rule(ASSAULT, "17", "destroy", objects=OBJECT, certainty=0.7)],
    "clash": [Rule(ASSAULT, "19", recipient_preps=("with",))],
    "fight": [Rule(ASSAULT, "19", objects=OBJECT, certainty=0.8),
              Rule(ASSAULT, "19", recipient_preps=("with", "against"),
                   needs_prep=("with", "against"), certainty=0.8)],
    "battle": [Rule(ASSAULT, "19", recipient_preps=("with", "against"))],
    "strike": [Rule("AGREE", "03", objects=AGREEMENTS),
               Rule(ASSAULT, "19", objects=OBJECT, certainty=0.8),
               Rule("PROTEST", "14", "strike", objects=NONE, certainty=0.7)],
    "hit": [Rule(ASSAULT, "19", objects=TERRITORY | _words("target building convoy vehicle "
                                                           "school hospital market house"),
                 certainty=0.7)],
    "target": [Rule(ASSAULT, "19", objects=OBJECT, certainty=0.7)],
    "launch": [Rule(ASSAULT, "19", objects=ATTACKS | _words("drone missile rocket")),
               Rule("PROTEST", "14", "demo", objects=PROTESTS)],
    "carry": [Rule(ASSAULT, "19", objects=ATTACKS)],
    "conduct": [Rule(ASSAULT, "19", objects=ATTACKS)],
    "mount": [Rule(ASSAULT, "19", objects=ATTACKS)],
    "set": [Rule(ASSAULT, "17", "destroy", objects=_words("fire"), recipient_preps=("to",),
                 recipient_from_object=False)],
    # COERCE: arrests, seizures, restrictions
    "arrest": [Rule("COERCE", "17", "arrest")],
    "detain": [Rule("COERCE", "17", "arrest")],
    "jail": [Rule("COERCE", "17", "arrest")],
    "imprison": [Rule("COERCE", "17", "arrest")],
    "apprehend": [Rule("COERCE", "17", "arrest")],
    "charge": [Rule("COERCE", "17", "arrest", objects=PEOPLE_HELD | _words("man woman"),
                    certainty=0.8)],
    "sentence": [Rule("COERCE", "17", "arrest", objects=OBJECT)],
    "deport": [Rule("COERCE", "17", "deport")],
    "expel": [Rule("SANCTION", "16", "expel", objects=_words("diplomat ambassador envoy "
                                                             "mission staff")),
              Rule("COERCE", "17", "deport")],
    "seize": [Rule("COERCE", "19", "seize", objects=_words("control"),
                   recipient_from_object=False),
              Rule("COERCE", "19", "seize", objects=TERRITORY),
              Rule("COERCE", "17", "confiscate", objects=OBJECT)],
    "capture": [Rule("COERCE", "19", "seize", objects=_words("control"),
                     recipient_from_object=False),
                Rule("COERCE", "19", "seize", objects=TERRITORY),
                Rule("COERCE", "17", "arrest", objects=OBJECT)],
    "take": [Rule("COERCE", "19", "seize", objects=_words("control"),
                  recipient_from_object=False),
             Rule("COERCE", "19", "seize", particle="over"),
             Rule(ASSAULT, "18", "abduct", objects=_words("hostage"))],
    "occupy": [Rule("COERCE", "19", "seize")],
    "confiscate": [Rule("COERCE", "17", "confiscate")],
    "ban": [Rule("COERCE", "17", "ban", objects=OBJECT)],
    "outlaw": [Rule("COERCE", "17", "ban")],
    "disperse": [Rule("COERCE", "17", "restrict", objects=OBJECT)],
    "block": [Rule("PROTEST", "14", "obstruct", objects=OBJECT, certainty=0.8)],
    "blockade": [Rule("COERCE", "19", "restrict")],
    "impose": [Rule("SANCTION", "16", objects=SANCTIONS, recipient_preps=("on",)),
               Rule("COERCE", "17", "restrict", objects=RESTRICTIONS,
                    recipient_preps=("on",))],
    "declare": [Rule("RETREAT", "08", "ceasefire", objects=_words("ceasefire truce")),
                Rule("COERCE", "17", "restrict", objects=RESTRICTIONS)],
    # PROTEST
    "protest": [Rule("PROTEST", "14", "demo", recipient_preps=("against",))],
    "demonstrate": [Rule("PROTEST", "14", "demo", recipient_preps=("against",))],
    "rally": [Rule("PROTEST", "14", "demo", objects=NONE, recipient_preps=("against",),
                   certainty=0.8)],
    "march": [Rule("PROTEST", "14", "demo", objects=NONE, recipient_preps=("against",),
                   certainty=0.7)],
    "riot": [Rule("PROTEST", "14", "riot")],
    "picket": [Rule("PROTEST", "14", "obstruct")],
    "boycott": [Rule("PROTEST", "14", "boycott")],
    "hold": [Rule("PROTEST", "14", "demo", objects=PROTESTS),
             Rule("CONSULT", "04", objects=TALKS, recipient_preps=("with",))],
    "stage": [Rule("PROTEST", "14", "demo", objects=PROTESTS),
              Rule(ASSAULT, "19", objects=ATTACKS)],
    "go": [Rule("PROTEST", "14", "strike", needs_prep=("on",), prep_objects=_words("strike"))],
    # AGREE and other verbal cooperation
    "agree": [Rule("AGREE", "03", recipient_preps=("with",))],
    "sign": [Rule("AGREE", "05", objects=AGREEMENTS, recipient_preps=("with",))],
    "reach": [Rule("AGREE", "03", objects=AGREEMENTS, recipient_preps=("with",))],
    "broker": [Rule("AGREE", "03", objects=AGREEMENTS)],
    "accept": [Rule("AGREE", "03", objects=_words("offer proposal plan deal agreement "
                                                   "demand terms"))],
    "meet": [Rule("CONSULT", "04", recipient_preps=("with",))],
    "visit": [Rule("CONSULT", "04", "visit", certainty=0.8)],
    "host": [Rule("CONSULT", "04", "host", objects=TALKS | _words(
        "delegation visit leader president minister envoy counterpart"))],
    "negotiate": [Rule("CONSULT", "04", recipient_preps=("with",))],
    "discuss": [Rule("CONSULT", "04", recipient_preps=("with",), certainty=0.7)],
    "praise": [Rule("SUPPORT", "05")],
    "welcome": [Rule("SUPPORT", "05", objects=OBJECT, certainty=0.7)],
    "endorse": [Rule("SUPPORT", "05")],
    "commend": [Rule("SUPPORT", "05")],
    "apologise": [Rule("SUPPORT", "05", recipient_preps=("to",))],
    "apologize": [Rule("SUPPORT", "05", recipient_preps=("to",))],
    "resign": [Rule("CONCEDE", "08", objects=NONE)],
    "lift": [Rule("RETREAT", "08", "ease", objects=SANCTIONS),
             Rule("CONCEDE", "08", "ease", objects=RESTRICTIONS)],
    "ease": [Rule("RETREAT", "08", "ease", objects=SANCTIONS),
             Rule("CONCEDE", "08", "ease", objects=RESTRICTIONS)],
    "pardon": [Rule("CONCEDE", "08", "release")],
    # material cooperation
    "cooperate": [Rule("COOPERATE", "06", recipient_preps=("with",))],
    "share": [Rule("COOPERATE", "06", objects=_words("intelligence information data"),
                   recipient_preps=("with",))],
    "deliver": [Rule("AID", "07", "humanitarian", objects=AID_GOODS, recipient_preps=("to",),
                     recipient_from_object=False),
                Rule("AID", "07", "military", objects=MILITARY_GOODS, recipient_preps=("to",),
                     recipient_from_object=False)],
    "provide": [Rule("AID", "07", "humanitarian", objects=AID_GOODS,
                     recipient_preps=("to", "for"), recipient_from_object=False),
                Rule("AID", "07", "military", objects=MILITARY_GOODS, recipient_preps=("to",),
                     recipient_from_object=False)],
    "distribute": [Rule("AID", "07", "humanitarian", objects=AID_GOODS,
                        recipient_preps=("to", "among"), recipient_from_object=False)],
    "donate": [Rule("AID", "07", "humanitarian", recipient_preps=("to",),
                    recipient_from_object=False)],
    "airlift": [Rule("AID", "07", "humanitarian", recipient_preps=("to",),
                     recipient_from_object=False)],
    "supply": [Rule("AID", "07", "military", objects=MILITARY_GOODS, recipient_preps=("to",),
                    recipient_from_object=False),
               Rule("AID", "07", "humanitarian", recipient_preps=("to",),
                    recipient_from_object=False, certainty=0.8)],
    "send": [Rule("MOBILIZE", "15", "troops", objects=FORCES, recipient_preps=("to",),
                  recipient_from_object=False),
             Rule("AID", "07", "humanitarian", objects=AID_GOODS, recipient_preps=("to",),
                  recipient_from_object=False),
             Rule("AID", "07", "military", objects=MILITARY_GOODS, recipient_preps=("to",),
                  recipient_from_object=False)],
    "dispatch": [Rule("MOBILIZE", "15", "troops", objects=FORCES, recipient_preps=("to",),
                      recipient_from_object=False),
                 Rule("AID", "07", "humanitarian", objects=AID_GOODS, recipient_preps=("to",),
                      recipient_from_object=False)],
    "evacuate": [Rule("AID", "07", "humanitarian", objects=OBJECT, certainty=0.8)],
    "rescue": [Rule("AID", "07", "humanitarian", objects=OBJECT, certainty=0.8)],
    "grant": [Rule("AID", "07", "asylum", objects=_words("asylum refuge"),
                   recipient_preps=("to",))],
    "release": [Rule("RETREAT", "08", "release", objects=PEOPLE_HELD | _words("man woman "
                                                                              "child body"))],
    "free": [Rule("RETREAT", "08", "release", objects=PEOPLE_HELD | _words("man woman child"))],
    "withdraw": [Rule("RETREAT", "08", "withdraw", recipient_preps=("from",),
                      recipient_from_object=False)],
    "retreat": [Rule("RETREAT", "08", "withdraw")],
    "surrender": [Rule("RETREAT", "08", "disarm", certainty=0.8)],
    # REQUEST
    "urge": [Rule("REQUEST", "02")],
    "appeal": [Rule("REQUEST", "02", recipient_preps=("to",))],
    "call": [Rule("REQUEST", "02", recipient_preps=("on", "upon"),
                  needs_prep=("on", "upon", "for"))],
    "demand": [Rule("REQUEST", "10")],
    "ask": [Rule("REQUEST", "02", objects=OBJECT, certainty=0.7)],
    "request": [Rule("REQUEST", "02")],
    "plead": [Rule("REQUEST", "02", recipient_preps=("with",))],
    "press": [Rule("REQUEST", "10", objects=OBJECT, certainty=0.6)],
    # ACCUSE
    "accuse": [Rule("ACCUSE", "11")],
    "blame": [Rule("ACCUSE", "11")],
    "condemn": [Rule("ACCUSE", "11")],
    "criticise": [Rule("ACCUSE", "11")],
    "criticize": [Rule("ACCUSE", "11")],
    "denounce": [Rule("ACCUSE", "11")],
    "sue": [Rule("ACCUSE", "11")],
    "investigate": [Rule("ACCUSE", "09", "investigate", objects=OBJECT, certainty=0.8)],
    "probe": [Rule("ACCUSE", "09", "investigate", objects=OBJECT, certainty=0.7)],
    # REJECT
    "reject": [Rule("REJECT", "12")],
    "refuse": [Rule("REJECT", "12")],
    "deny": [Rule("REJECT", "12", objects=OBJECT, certainty=0.7)],
    "veto": [Rule("REJECT", "12", "veto")],
    "rebuff": [Rule("REJECT", "12")],
    # THREATEN
    "threaten": [Rule("THREATEN", "13")],
    # SANCTION
    "sanction": [Rule("SANCTION", "16")],
    "suspend": [Rule("SANCTION", "16", objects=TIES | TALKS | _words(
        "aid cooperation membership agreement funding assistance licence license deal "
        "export import flight visa"), certainty=0.8)],
    "sever": [Rule("SANCTION", "16", objects=TIES, recipient_preps=("with",))],
    "cut": [Rule("SANCTION", "16", objects=TIES | _words("aid funding assistance"),
                 recipient_preps=("with", "to"))],
    "recall": [Rule("SANCTION", "16", objects=_words("ambassador envoy diplomat"))],
    "freeze": [Rule("SANCTION", "16", objects=_words("asset account fund"))],
    # MOBILIZE
    "deploy": [Rule("MOBILIZE", "15", "troops", recipient_preps=("to",),
                    recipient_from_object=False)],
    "mobilise": [Rule("MOBILIZE", "15", "troops")],
    "mobilize": [Rule("MOBILIZE", "15", "troops")],
    "mass": [Rule("MOBILIZE", "15", "troops", objects=FORCES)],
    "reinforce": [Rule("MOBILIZE", "15", "troops", objects=OBJECT, certainty=0.7)],
}

# Nouns that name an event when they are the subject of "erupt", "break out",
# "take place" ("Clashes erupted in Homs").
NOMINAL_EVENTS = {
    "clash": Rule(ASSAULT, "19"), "fighting": Rule(ASSAULT, "19"),
    "protest": Rule("PROTEST", "14", "demo"), "demonstration": Rule("PROTEST", "14", "demo"),
    "riot": Rule("PROTEST", "14", "riot"), "rally": Rule("PROTEST", "14", "demo"),
    "strike": Rule("PROTEST", "14", "strike"), "airstrike": Rule(ASSAULT, "19", "aerial"),
    "explosion": Rule(ASSAULT, "18", "explosives", certainty=0.6),
    "blast": Rule(ASSAULT, "18", "explosives", certainty=0.6),
}
NOMINAL_VERBS = frozenset("erupt break take continue spread occur begin turn rock hit".split())

# Heads under which an event is not (yet) an event that happened.
NOT_HAPPENED_HEADS = frozenset(
    "threaten plan intend vow want seek try attempt aim prepare hope promise pledge refuse "
    "deny fail decide urge ask call demand consider propose expect warn fear order suspect "
    "accuse allege blame charge could may might would should must".split())
# Verbs after which an infinitive did happen ("went on to win", "managed to escape").
IMPLICATIVE_HEADS = frozenset("manage go continue begin start".split())
MODALS = frozenset("may might could would should will shall can must 'll".split())
REPORTING_VERBS = frozenset("say tell report claim state add announce confirm".split())

# Actor nouns that never take part in political events ("a flood killed 12").
NATURAL_CAUSES = frozenset(
    "flood fire storm typhoon cyclone hurricane earthquake quake landslide mudslide drought "
    "heatwave disease outbreak virus accident crash collapse lightning tornado tsunami "
    "avalanche eruption wildfire blaze rain".split())

# Sectors named by common nouns, and whether the actor is domestic by default.
SECTORS = {
    "military": "army troop soldier military force navy marine airforce commando brigade "
                "battalion paratrooper jet warplane",
    "police": "police policeman policemen officer gendarme gendarmerie riot",
    "rebels": "rebel insurgent militant fighter militia militiaman gunman jihadist gang "
              "guerrilla faction",
    "government": "government ministry minister president premier authority official "
                  "cabinet administration governor mayor parliament court prosecutor "
                  "regime council",
    "protesters": "protester demonstrator activist student worker farmer union striker "
                  "fisherman miner teacher driver depositor crowd",
    "civilians": "civilian resident villager people family refugee migrant",
}
SECTOR_OF = {word: sector for sector, words in SECTORS.items() for word in words.split()}
DOMESTIC_SECTORS = frozenset({"military", "police", "government"})

_IRREGULAR = {
    "shoot": "shot", "fight": "fought", "strike": "struck", "hold": "held", "take": "took taken",
    "beat": "beaten", "go": "went gone", "meet": "met", "send": "sent", "seek": "sought",
    "withdraw": "withdrew withdrawn", "freeze": "froze frozen", "set": "set", "cut": "cut",
    "hit": "hit", "lead": "led", "give": "gave given", "break": "broke broken",
    "begin": "began begun", "rise": "rose risen", "spread": "spread", "burn": "burnt",
}


def surface_forms(lemma: str) -> set[str]:
    """Inflected forms of a verb or noun lemma, generously (only used to pick
    which sentences to parse)."""
    forms = {lemma, lemma + "s", lemma + "es", lemma + "ed", lemma + "d", lemma + "ing"}
    if lemma.endswith("e"):
        forms.add(lemma[:-1] + "ing")
    if lemma.endswith("y"):
        forms |= {lemma[:-1] + "ies", lemma[:-1] + "ied"}
    if len(lemma) > 2 and lemma[-1] not in "aeiouwy" and lemma[-2] in "aeiou":
        forms |= {lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"}
    forms |= set(_IRREGULAR.get(lemma, "").split())
    return forms


TRIGGER_FORMS = frozenset(
    form for lemma in [*VERBS, *NOMINAL_EVENTS] for form in surface_forms(lemma))
