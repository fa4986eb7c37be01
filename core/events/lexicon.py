"""The event lexicon: which verbs, with which objects, code which PLOVER event.

PLOVER types, quad classes and CAMEO roots follow the PLOVER codebook and its
CAMEO crosswalk; ``docs/events.md`` lists every type with examples. A verb has a
list of rules tried in order; the first whose object condition holds codes the
event. Light verbs ("hold", "launch", "impose") code events only through their
objects ("held a protest", "launched airstrikes", "imposed a curfew").
"""
from __future__ import annotations

import dataclasses
import re
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
                   "camp hill port oilfield bridge highway stronghold position enclave island "
                   "station outpost checkpoint garrison headquarters barracks palace "
                   "building compound county state municipality locality hub junction "
                   "mine field dam refinery plant ridge valley front centre center "
                   "stronghold foothold")
PEOPLE = _words("prisoner hostage detainee captive journalist activist protester soldier "
                "fighter people person civilian student worker leader member politician "
                "opponent migrant national sailor crew passenger man woman child boy girl "
                "suspect official officer policeman resident villager farmer teacher doctor "
                "nurse priest pastor imam cleric monk nun bishop lawyer reporter blogger "
                "dissident critic candidate mayor governor minister senator lawmaker deputy "
                "commander general colonel chief head coordinator organiser organizer "
                "campaigner demonstrator rioter trader youth citizen refugee "
                "asylum-seeker seeker inmate kidnapper militant rebel gunman insurgent "
                "smuggler trafficker dealer gang gangster miner fisherman driver pilot "
                "tourist aid volunteer employee staff partisan supporter couple family "
                "relative son daughter wife husband brother sister father mother "
                "peacekeeper guard troop agent diplomat envoy ambassador member "
                "opposition figure president premier schoolchild schoolchildren schoolgirl "
                "schoolboy pupil missionary vendor hawker businessman engineer contractor "
                "worshipper pilgrim hiker herder protestor")
# Titles of dignitaries who are received, hosted and visited.
DIGNITARIES = _words("delegation minister president envoy counterpart ambassador leader "
                     "delegate premier chancellor king prince princess emir sheikh sultan "
                     "monarch patriarch pope cardinal archbishop foreign secretary "
                     "representative")
PEOPLE_HELD = PEOPLE
AID_GOODS = _words("aid food supply assistance relief medicine water tent blanket vaccine "
                   "shelter cash fuel grain wheat rice flour kit ration parcel package tonne "
                   "ton truck convoy help loan fund funding money grant equipment meal doctor "
                   "nurse medic medical humanitarian generator dollar euro million billion "
                   "dose oxygen hospital clinic")
MILITARY_GOODS = _words("weapon arm ammunition missile rocket drone tank jet artillery "
                        "system howitzer fighter munition shell rifle armour armor vehicle "
                        "helicopter aircraft air-defence air-defense interceptor")
FORCES = _words("troop soldier force police officer warship tank jet reinforcement patrol "
                "battalion army personnel guard gendarme marine commando brigade frigate "
                "destroyer ship vessel fleet submarine carrier battery unit division regiment "
                "paratrooper reservist militia peacekeeper special contingent aircraft "
                "bomber fighter helicopter boat coastguard")
FIRED = _words("shot bullet round rocket missile shell mortar gas grenade volley artillery "
               "salvo projectile")
PROTESTS = _words("protest demonstration rally march sit sit-in vigil strike walkout boycott "
                  "picket blockade occupation hunger")
ATTACKS = _words("attack offensive assault raid strike airstrike ambush bombardment "
                 "bombing incursion counteroffensive counter-offensive shelling barrage "
                 "onslaught invasion massacre operation")
AGREEMENTS = _words("agreement deal accord truce ceasefire pact treaty memorandum "
                    "settlement compromise framework protocol roadmap understanding "
                    "declaration communique charter")
TALKS = _words("talk meeting negotiation consultation summit discussion dialogue")
RESTRICTIONS = _words("curfew emergency law lockdown blockade restriction ban closure "
                      "siege rule")
SANCTIONS = _words("sanction embargo tariff freeze penalty duty levy")
TIES = _words("tie relation link")
ASSETS = _words("weapon arm drug asset property ship vessel cargo shipment passport "
                "equipment vehicle land document computer phone cash money")
PROPOSALS = _words("proposal offer plan bill motion request demand deal resolution "
                   "amendment bid call claim accusation allegation charge nomination "
                   "appeal idea suggestion initiative measure legislation law candidacy "
                   "application report budget treaty agreement package decision "
                   "finding inspection term condition ultimatum")
NON_TARGETS = _words("title market share goal wicket lead queen record medal "
                     "competition price rate currency speculator imagination attention "
                     "heart rival final match game trophy cup championship")

ASSAULT = "ASSAULT"
_ATTACK_RECIPIENTS = ("on", "against", "at")


def _seize(particle=None):
    return [Rule("COERCE", "19", "seize", objects=_words("control"),
                 recipient_from_object=False, particle=particle),
            Rule("COERCE", "19", "seize", objects=TERRITORY, particle=particle)]


# Each verb's rules, tried in order: the first whose conditions hold codes the event
# (so a narrower rule comes before a broader one: "withdrew the bill" is CONCEDE before
# "withdrew" is RETREAT; "flew supplies into Gaza" is AID before a visit).
VERBS: dict[str, list[Rule]] = {
    # ASSAULT: use of force
    "attack": [Rule(ASSAULT, "18")],
    "assault": [Rule(ASSAULT, "18", "beat")],
    "ambush": [Rule(ASSAULT, "19", "firearms")],
    "raid": [Rule(ASSAULT, "18", certainty=0.8)],
    "storm": [Rule(ASSAULT, "18", objects=OBJECT)],
    "overrun": [*_seize(),
                Rule(ASSAULT, "18", objects=OBJECT)],
    "shell": [Rule(ASSAULT, "19", "heavy-weapons")],
    "bomb": [Rule(ASSAULT, "19", "aerial")],
    "airstrike": [Rule(ASSAULT, "19", "aerial")],
    "bombard": [Rule(ASSAULT, "19", "heavy-weapons")],
    "pound": [Rule(ASSAULT, "19", "heavy-weapons", objects=TERRITORY | PEOPLE | _words(
                   "target infrastructure facility"), certainty=0.8)],
    "blast": [Rule(ASSAULT, "19", "heavy-weapons", objects=TERRITORY | PEOPLE, certainty=0.7),
              Rule("ACCUSE", "11", objects=OBJECT, certainty=0.6)],
    "dynamite": [Rule(ASSAULT, "18", "explosives")],
    "blow": [Rule(ASSAULT, "18", "explosives", particle="up")],
    "detonate": [Rule(ASSAULT, "18", "explosives", objects=OBJECT, certainty=0.8)],
    "shoot": [Rule("REJECT", "12", particle="down", objects=PROPOSALS),
              Rule(ASSAULT, "19", "firearms", particle="down",
                   objects=PEOPLE | _words("helicopter plane aircraft jet")),
              Rule(ASSAULT, "19", "firearms", objects=OBJECT, recipient_preps=("at",)),
              Rule(ASSAULT, "19", "firearms", recipient_preps=("at", "on"), certainty=0.8)],
    "gun": [Rule(ASSAULT, "19", "firearms", objects=OBJECT)],
    "fire": [Rule("COERCE", "17", "restrict", objects=_words("gas teargas cannon"),
                  recipient_preps=_ATTACK_RECIPIENTS, recipient_from_object=False),
             Rule(ASSAULT, "19", "firearms", objects=FIRED, recipient_preps=_ATTACK_RECIPIENTS,
                  recipient_from_object=False),
             Rule(ASSAULT, "19", "firearms", objects=NONE, recipient_preps=_ATTACK_RECIPIENTS,
                  certainty=0.8)],
    "open": [Rule(ASSAULT, "19", "firearms", objects=_words("fire"),
                  recipient_preps=_ATTACK_RECIPIENTS, recipient_from_object=False),
             Rule("ACCUSE", "11", objects=_words("investigation inquiry probe case "
                                                 "proceeding"),
                  recipient_preps=("into", "against"), recipient_from_object=False),
             Rule("RETREAT", "08", "ease", objects=_words("border crossing road corridor "
                                                          "airport port checkpoint"),
                  recipient_preps=("to",), recipient_from_object=False, certainty=0.7)],
    "reopen": [Rule("RETREAT", "08", "ease", objects=_words(
                    "border crossing road corridor airport port checkpoint embassy"),
                    recipient_preps=("to",), recipient_from_object=False)],
    "kill": [Rule(ASSAULT, "18")],
    "murder": [Rule(ASSAULT, "18")],
    "slaughter": [Rule(ASSAULT, "18")],
    "lynch": [Rule(ASSAULT, "18", "beat")],
    "execute": [Rule(ASSAULT, "18", objects=PEOPLE)],
    "behead": [Rule(ASSAULT, "18")],
    "decapitate": [Rule(ASSAULT, "18")],
    "massacre": [Rule(ASSAULT, "20", "cleansing")],
    "wound": [Rule(ASSAULT, "18")],
    "injure": [Rule(ASSAULT, "18", certainty=0.8)],
    "maim": [Rule(ASSAULT, "18")],
    "stab": [Rule(ASSAULT, "18", "beat")],
    "hack": [Rule(ASSAULT, "18", "beat", objects=PEOPLE, certainty=0.8)],
    "club": [Rule(ASSAULT, "18", "beat", objects=PEOPLE)],
    "beat": [Rule(ASSAULT, "18", "beat", objects=PEOPLE)],
    "flog": [Rule(ASSAULT, "18", "beat")],
    "whip": [Rule(ASSAULT, "18", "beat", objects=PEOPLE)],
    "torture": [Rule(ASSAULT, "18", "torture")],
    "rape": [Rule(ASSAULT, "18")],
    "kidnap": [Rule(ASSAULT, "18", "abduct")],
    "abduct": [Rule(ASSAULT, "18", "abduct")],
    "hijack": [Rule(ASSAULT, "18", "abduct")],
    "snatch": [Rule(ASSAULT, "18", "abduct", objects=PEOPLE)],
    "assassinate": [Rule(ASSAULT, "18", "assassinate")],
    "torch": [Rule(ASSAULT, "17", "destroy")],
    "loot": [Rule(ASSAULT, "17", "destroy")],
    "ransack": [Rule(ASSAULT, "17", "destroy")],
    "vandalise": [Rule(ASSAULT, "17", "destroy")],
    "vandalize": [Rule(ASSAULT, "17", "destroy")],
    "raze": [Rule(ASSAULT, "17", "destroy")],
    "demolish": [Rule(ASSAULT, "17", "destroy", objects=OBJECT, certainty=0.8)],
    "bulldoze": [Rule(ASSAULT, "17", "destroy", objects=OBJECT, certainty=0.8)],
    "sabotage": [Rule(ASSAULT, "17", "destroy", objects=OBJECT, certainty=0.8)],
    "burn": [Rule("PROTEST", "14", "riot", objects=_words("tyre tire effigy flag")),
             Rule(ASSAULT, "17", "destroy", objects=OBJECT, certainty=0.7)],
    "destroy": [Rule(ASSAULT, "17", "destroy", objects=OBJECT, certainty=0.7)],
    "clash": [Rule(ASSAULT, "19", recipient_preps=("with",))],
    "skirmish": [Rule(ASSAULT, "19", recipient_preps=("with",))],
    "fight": [Rule(ASSAULT, "19", objects=OBJECT, certainty=0.8),
              Rule(ASSAULT, "19", recipient_preps=("with", "against"),
                   needs_prep=("with", "against"), certainty=0.8)],
    "battle": [Rule(ASSAULT, "19", recipient_preps=("with", "against"))],
    "invade": [Rule(ASSAULT, "19", objects=OBJECT)],
    "strike": [Rule("AGREE", "03", objects=AGREEMENTS),
               Rule(ASSAULT, "19", objects=OBJECT, certainty=0.8),
               Rule("PROTEST", "14", "strike", objects=NONE, certainty=0.7)],
    "hit": [Rule(ASSAULT, "19", objects=TERRITORY | _words("target building convoy vehicle "
                                                           "school hospital market house"),
                 certainty=0.7),
            Rule("ACCUSE", "11", particle="out", recipient_preps=("at",))],
    "use": [Rule("COERCE", "17", "restrict", objects=_words("gas teargas cannon"),
                 recipient_preps=("on", "against"), recipient_from_object=False),
            Rule(ASSAULT, "18", objects=_words("force violence"),
                 recipient_preps=("against", "on"), recipient_from_object=False)],
    "slam": [Rule(ASSAULT, "19", "heavy-weapons", objects=NONE, needs_prep=("into",),
                  recipient_preps=("into",)),
             Rule("ACCUSE", "11", objects=OBJECT)],
    "crash": [Rule(ASSAULT, "19", "heavy-weapons", objects=NONE, needs_prep=("into",),
                   recipient_preps=("into",), certainty=0.5)],
    "rain": [Rule(ASSAULT, "19", "heavy-weapons", particle="down")],
    "target": [Rule("SANCTION", "16", needs_prep=("with",), prep_objects=SANCTIONS),
               Rule(ASSAULT, "19", objects=OBJECT, certainty=0.7)],
    "launch": [Rule(ASSAULT, "19", objects=ATTACKS | _words("drone missile rocket"),
                    recipient_preps=("at", "on", "against", "into"), recipient_from_object=False),
               Rule("PROTEST", "14", "demo", objects=PROTESTS)],
    "carry": [Rule(ASSAULT, "19", objects=ATTACKS),
              Rule("PROTEST", "14", "demo", objects=_words("placard banner sign"))],
    "conduct": [Rule(ASSAULT, "19", objects=ATTACKS)],
    "mount": [Rule(ASSAULT, "19", objects=ATTACKS)],
    "unleash": [Rule(ASSAULT, "19", objects=ATTACKS | _words("violence wave drone missile"))],
    "set": [Rule("PROTEST", "14", "obstruct", particle="up",
                 objects=_words("barricade roadblock blockade barrier")),
            Rule("AID", "07", "humanitarian", particle="up",
                 objects=_words("camp hospital clinic shelter kitchen centre center")),
            Rule(ASSAULT, "17", "destroy", objects=_words("fire"), recipient_preps=("to",),
                 recipient_from_object=False),
            Rule(ASSAULT, "18", "explosives", particle="off",
                 objects=_words("bomb explosive device car"))],
    "reduce": [Rule(ASSAULT, "17", "destroy", needs_prep=("to",),
                    prep_objects=_words("rubble ash ashes ruin"))],
    "drop": [Rule(ASSAULT, "19", "aerial", objects=_words("bomb barrel explosive munition"),
                  recipient_preps=("on",), recipient_from_object=False),
             Rule("CONCEDE", "08", objects=PROPOSALS | _words("charge case demand "
                                                               "objection opposition"))],
    "advance": [Rule(ASSAULT, "19", needs_prep=("to", "on", "toward", "towards", "into"),
                     recipient_preps=("on", "toward", "towards", "into", "to"),
                     prep_objects=TERRITORY | _words("edge gate"), certainty=0.7)],
    "come": [Rule(ASSAULT, "19", needs_prep=("under",), prep_objects=ATTACKS | _words(
                  "fire gunfire shelling bombardment barrage"))],
    "die": [Rule(ASSAULT, "19", needs_prep=("in",), prep_objects=ATTACKS | _words(
                 "clash fighting shelling bombardment shooting explosion blast crossfire ambush "
                 "airstrike"))],
    "perish": [Rule(ASSAULT, "19", needs_prep=("in",), prep_objects=ATTACKS | _words(
                    "clash fighting shelling bombardment shooting explosion blast crossfire"))],
    "hurl": [Rule(ASSAULT, "18", objects=_words("stone rock bomb grenade molotov "
                                                 "cocktail brick bottle"),
                  recipient_preps=("at",), recipient_from_object=False)],
    "pelt": [Rule(ASSAULT, "18", objects=OBJECT)],
    "explode": [Rule(ASSAULT, "18", "explosives", objects=NONE, certainty=0.8)],
    "retaliate": [Rule(ASSAULT, "18", recipient_preps=("against", "on"), certainty=0.7)],
    # COERCE: arrests, seizures, occupation, restrictions
    "arrest": [Rule("COERCE", "17", "arrest")],
    "detain": [Rule("COERCE", "17", "arrest")],
    "jail": [Rule("COERCE", "17", "arrest")],
    "imprison": [Rule("COERCE", "17", "arrest")],
    "apprehend": [Rule("COERCE", "17", "arrest")],
    "nab": [Rule("COERCE", "17", "arrest")],
    "handcuff": [Rule("COERCE", "17", "arrest")],
    "round": [Rule("COERCE", "17", "arrest", particle="up")],
    "pick": [Rule("COERCE", "17", "arrest", particle="up", objects=PEOPLE)],
    "charge": [Rule("ACCUSE", "11", objects=PEOPLE, needs_prep=("with",)),
               Rule("COERCE", "17", "arrest", objects=PEOPLE, certainty=0.8)],
    "indict": [Rule("ACCUSE", "11")],
    "prosecute": [Rule("ACCUSE", "11")],
    "convict": [Rule("COERCE", "17", "arrest", certainty=0.8)],
    "sentence": [Rule("COERCE", "17", "arrest", objects=OBJECT)],
    "deport": [Rule("COERCE", "17", "deport")],
    "expel": [Rule("SANCTION", "16", needs_prep=("from",), prep_objects=_words(
                   "council union organisation organization alliance bloc body group league "
                   "commonwealth assembly")),
              Rule("SANCTION", "16", "expel", objects=_words("diplomat ambassador envoy "
                                                             "inspector observer monitor "
                                                             "mission staff attaché attache "
                                                             "consul")),
              Rule("COERCE", "17", "deport")],
    "bus": [Rule("COERCE", "17", "deport", objects=PEOPLE, needs_prep=("to",))],
    "evict": [Rule("COERCE", "17", "deport")],
    "expropriate": [Rule("COERCE", "17", "confiscate")],
    "seize": [*_seize(),
              Rule("COERCE", "17", "confiscate", objects=OBJECT)],
    "capture": [*_seize(),
                Rule("COERCE", "17", "arrest", objects=PEOPLE),
                Rule("COERCE", "19", "seize", objects=OBJECT, certainty=0.6)],
    "recapture": [*_seize(),
                  Rule("COERCE", "19", "seize", objects=OBJECT)],
    "retake": [*_seize(),
               Rule("COERCE", "19", "seize", objects=OBJECT)],
    "reclaim": [*_seize()],
    "annex": [Rule("COERCE", "19", "seize")],
    "take": [Rule("COERCE", "17", "arrest", needs_prep=("into",),
                  prep_objects=_words("custody detention")),
             Rule("AID", "07", "asylum", particle="in", objects=_words("refugee migrant "
                                                                        "family")),
             Rule("PROTEST", "14", "demo", needs_prep=("to",), prep_objects=_words("street")),
             *_seize(),
             Rule("COERCE", "19", "seize", particle="over"),
             Rule(ASSAULT, "18", "abduct", objects=_words("hostage")),
             Rule("AID", "07", "asylum", particle="in", objects=_words(
                  "refugee migrant asylum-seeker seeker people family child"))],
    "occupy": [Rule("COERCE", "19", "seize")],
    "confiscate": [Rule("COERCE", "17", "confiscate")],
    "impound": [Rule("COERCE", "17", "confiscate")],
    "ban": [Rule("SANCTION", "16", objects=_words("entry"), recipient_preps=("to",),
                 recipient_from_object=False),
            Rule("SANCTION", "16", objects=_words("import export flight product trade "
                                                   "shipment")),
            Rule("COERCE", "17", "ban", objects=OBJECT)],
    "outlaw": [Rule("COERCE", "17", "ban")],
    "proscribe": [Rule("COERCE", "17", "ban")],
    "dissolve": [Rule("COERCE", "17", "ban", objects=_words("party union parliament group "
                                                             "organisation organization "
                                                             "association assembly"))],
    "censor": [Rule("COERCE", "17", "restrict")],
    "shut": [Rule("COERCE", "17", "restrict", particle="down",
                  objects=_words("newspaper station channel website internet outlet "
                                 "broadcaster radio television office school border"))],
    "disperse": [Rule("COERCE", "17", "restrict", objects=OBJECT)],
    "prevent": [Rule("COERCE", "17", "restrict", objects=PROTESTS | _words("gathering"))],
    "crack": [Rule("COERCE", "17", "restrict", particle="down")],
    "block": [Rule("REJECT", "12", objects=PROPOSALS),
              Rule("COERCE", "17", "restrict", objects=_words(
                   "internet access website platform app site broadcast")),
              Rule("PROTEST", "14", "obstruct", objects=OBJECT, certainty=0.8)],
    "barricade": [Rule("PROTEST", "14", "obstruct")],
    "blockade": [Rule("COERCE", "19", "restrict")],
    "besiege": [Rule("COERCE", "19", "restrict", objects=OBJECT)],
    "encircle": [Rule("COERCE", "19", "restrict", objects=OBJECT)],
    "impose": [Rule("SANCTION", "16", objects=_words("export import trade travel visa arms"),
                    recipient_preps=("on",), recipient_from_object=False),
               Rule("SANCTION", "16", objects=SANCTIONS | _words("ban"), recipient_preps=("on",)),
               Rule("COERCE", "17", "restrict", objects=RESTRICTIONS,
                    recipient_preps=("on",))],
    "slap": [Rule("SANCTION", "16", objects=SANCTIONS | _words("ban"), recipient_preps=("on",),
                  recipient_from_object=False)],
    "declare": [Rule("RETREAT", "08", "ceasefire", objects=_words("ceasefire truce")),
                Rule("COERCE", "17", "restrict", objects=RESTRICTIONS),
                Rule("SANCTION", "16", "expel", objects=_words("diplomat ambassador envoy "
                                                               "attache consul"))],
    "cordon": [Rule("COERCE", "17", "restrict", particle="off")],
    "lock": [Rule("COERCE", "17", "restrict", particle="down")],
    "surround": [Rule("COERCE", "17", "restrict", objects=TERRITORY, certainty=0.7)],
    "teargas": [Rule("COERCE", "17", "restrict")],
    "tear-gas": [Rule("COERCE", "17", "restrict")],
    "liberate": [*_seize()],
    "remand": [Rule("COERCE", "17", "arrest")],
    "disqualify": [Rule("COERCE", "17", "ban")],
    "strip": [Rule("COERCE", "17", "restrict", needs_prep=("of",), objects=OBJECT)],
    "remove": [Rule("COERCE", "17", "deport", objects=_words("migrant refugee resident "
                                                              "family squatter protester"),
                    certainty=0.6)],
    "net": [Rule("COERCE", "17", "arrest", objects=PEOPLE)],
    # PROTEST
    "protest": [Rule("ACCUSE", "11", needs_prep=("to",), recipient_preps=("to",)),
                Rule("PROTEST", "14", "demo", recipient_preps=("against",))],
    "demonstrate": [Rule("PROTEST", "14", "demo", recipient_preps=("against",))],
    "rally": [Rule("SUPPORT", "05", needs_prep=("behind", "around"),
                   recipient_preps=("behind", "around")),
              Rule("PROTEST", "14", "demo", objects=NONE, recipient_preps=("against",),
                   certainty=0.8)],
    "march": [Rule("PROTEST", "14", "demo", objects=NONE, recipient_preps=("against",),
                   certainty=0.7)],
    "riot": [Rule("PROTEST", "14", "riot")],
    "picket": [Rule("PROTEST", "14", "obstruct")],
    "boycott": [Rule("PROTEST", "14", "boycott")],
    "walk": [Rule("PROTEST", "14", "strike", particle="off"),
             Rule("PROTEST", "14", "strike", particle="out")],
    "hold": [Rule("COERCE", "17", "arrest", objects=_words(
                  "protester activist journalist suspect migrant opponent demonstrator dissident"),
                  certainty=0.6),
             Rule("CONSULT", "04", objects=_words("conference videoconference call"),
                  recipient_preps=("with",)),
             Rule("PROTEST", "14", "demo", objects=PROTESTS),
             Rule("CONSULT", "04", objects=TALKS | _words("call"), recipient_preps=("with",)),
             Rule("PROTEST", "14", "demo", objects=_words("placard banner sign"))],
    "stage": [Rule("PROTEST", "14", "demo", objects=PROTESTS),
              Rule(ASSAULT, "19", objects=ATTACKS)],
    "organise": [Rule("PROTEST", "14", "demo", objects=PROTESTS)],
    "organize": [Rule("PROTEST", "14", "demo", objects=PROTESTS)],
    "go": [Rule(ASSAULT, "18", "explosives", particle="off"),
           Rule("PROTEST", "14", "strike", needs_prep=("on",), prep_objects=_words("strike"))],
    "down": [Rule("PROTEST", "14", "strike", objects=_words("tool"))],
    "bang": [Rule("PROTEST", "14", "demo", objects=_words("pot pan"))],
    "chant": [Rule("PROTEST", "14", "demo", certainty=0.7)],
    "pour": [Rule("PROTEST", "14", "demo", needs_prep=("into", "onto", "on"),
                  prep_objects=_words("street square road")),
             Rule("MOBILIZE", "15", "troops", objects=FORCES, recipient_preps=("into", "to"),
                  recipient_from_object=False)],
    "shout": [Rule("PROTEST", "14", "demo", objects=_words("slogan"))],
    "heckle": [Rule("PROTEST", "14", "demo")],
    "erect": [Rule("PROTEST", "14", "obstruct", objects=_words(
                   "barricade roadblock blockade barrier tent"))],
    "draw": [Rule("PROTEST", "14", "demo", objects=_words("thousand hundred crowd"),
                  certainty=0.5)],
    "chain": [Rule("PROTEST", "14", "obstruct", needs_prep=("to",))],
    # AGREE, CONSULT, SUPPORT: verbal cooperation
    "agree": [Rule("AGREE", "03", recipient_preps=("with",))],
    "sign": [Rule("AGREE", "05", objects=AGREEMENTS, recipient_preps=("with",))],
    "initial": [Rule("AGREE", "05", objects=AGREEMENTS, recipient_preps=("with",))],
    "ink": [Rule("AGREE", "05", objects=AGREEMENTS, recipient_preps=("with",))],
    "seal": [Rule("COERCE", "17", "restrict", particle="off"),
             Rule("AGREE", "05", objects=AGREEMENTS, recipient_preps=("with",))],
    "conclude": [Rule("AGREE", "05", objects=AGREEMENTS, recipient_preps=("with",))],
    "finalise": [Rule("AGREE", "05", objects=AGREEMENTS, recipient_preps=("with",))],
    "finalize": [Rule("AGREE", "05", objects=AGREEMENTS, recipient_preps=("with",))],
    "settle": [Rule("AGREE", "03", objects=_words("dispute row conflict difference "
                                                   "disagreement feud quarrel"),
                    recipient_preps=("with",), recipient_from_object=False)],
    "resolve": [Rule("AGREE", "03", objects=_words("dispute row conflict difference "
                                                    "disagreement feud"),
                     recipient_preps=("with",), recipient_from_object=False, certainty=0.8)],
    "reach": [Rule("AGREE", "03", objects=AGREEMENTS, recipient_preps=("with",))],
    "broker": [Rule("AGREE", "03", objects=AGREEMENTS)],
    "ratify": [Rule("AGREE", "05", objects=AGREEMENTS)],
    "accept": [Rule("CONCEDE", "08", objects=_words("demand")),
               Rule("AGREE", "03", objects=_words("offer proposal plan deal agreement "
                                                   "result outcome verdict ruling condition "
                                                   "inspection "
                                                   "terms invitation mediation "
                                                   "ceasefire truce"))],
    "approve": [Rule("AID", "07", "humanitarian", objects=_words(
                     "aid loan assistance funding package grant disbursement"),
                     recipient_preps=("to", "for"), recipient_from_object=False),
                Rule("AGREE", "03", objects=_words("deal agreement plan proposal treaty "
                                                    "accord"), certainty=0.7)],
    "meet": [Rule("CONCEDE", "08", objects=_words("demand")),
             Rule("CONSULT", "04", recipient_preps=("with",))],
    "visit": [Rule("CONSULT", "04", "visit", certainty=0.8)],
    "host": [Rule("CONSULT", "04", "host", objects=TALKS | PEOPLE | _words(
                  "delegation visit counterpart <place> delegate representative"))],
    "receive": [Rule("CONSULT", "04", "host", objects=DIGNITARIES, certainty=0.8),
                Rule("AID", "07", "humanitarian", objects=AID_GOODS,
                     recipient_from_object=False),
                Rule("AID", "07", "military", objects=MILITARY_GOODS - _words("fighter"),
                     recipient_from_object=False)],
    "negotiate": [Rule("CONSULT", "04", recipient_preps=("with",))],
    "discuss": [Rule("CONSULT", "04", recipient_preps=("with",), certainty=0.7)],
    "consult": [Rule("CONSULT", "04", recipient_preps=("with",))],
    "confer": [Rule("CONSULT", "04", recipient_preps=("with",))],
    "phone": [Rule("CONSULT", "04")],
    "telephone": [Rule("CONSULT", "04")],
    "call": [Rule("CONSULT", "04", objects=_words(
                  "president minister counterpart leader chancellor premier king"), certainty=0.6),
             Rule("MOBILIZE", "15", particle="up"),
             Rule("RETREAT", "08", particle="off",
                  objects=PROTESTS | ATTACKS | _words("action")),
             Rule("REQUEST", "02", recipient_preps=("on", "upon"), objects=NONE,
                  needs_prep=("on", "upon", "for")),
             Rule("REQUEST", "02", recipient_preps=("on", "upon"), needs_prep=("on", "upon"))],
    "speak": [Rule("CONSULT", "04", needs_prep=("to",), recipient_preps=("to",),
                   prep_objects=_words("president minister counterpart chancellor premier "
                                       "king leader secretary envoy")),
              Rule("CONSULT", "04", recipient_preps=("with", "to"), needs_prep=("with",)),
              Rule("CONSULT", "04", recipient_preps=("with", "to"), needs_prep=("by",),
                   prep_objects=_words("phone telephone video"))],
    "talk": [Rule("CONSULT", "04", recipient_preps=("with",), needs_prep=("with",))],
    "travel": [Rule("CONSULT", "04", "visit", needs_prep=("to",),
                    prep_objects=_words("<place>"), certainty=0.8),
               Rule("CONSULT", "04", "visit", needs_prep=("for",),
                    prep_objects=_words("visit talk meeting summit"))],
    "arrive": [Rule("CONSULT", "04", "visit", needs_prep=("for",),
                    prep_objects=_words("visit talk meeting summit")),
               Rule("CONSULT", "04", "visit", needs_prep=("in",), prep_objects=_words("<place>"),
                    certainty=0.7)],
    "fly": [Rule("AID", "07", "humanitarian", objects=AID_GOODS, recipient_preps=("to", "into"),
                 recipient_from_object=False),
            Rule("CONSULT", "04", "visit", needs_prep=("for",),
                 prep_objects=_words("visit talk meeting summit")),
            Rule("CONSULT", "04", "visit", needs_prep=("to", "into"),
                 prep_objects=_words("<place>"), certainty=0.7)],
    "gather": [Rule("CONSULT", "04", needs_prep=("for",),
                    prep_objects=_words("summit talk meeting conference"))],
    "convene": [Rule("CONSULT", "04", certainty=0.8)],
    "praise": [Rule("SUPPORT", "05")],
    "welcome": [Rule("CONSULT", "04", "host", objects=PEOPLE | DIGNITARIES,
                     needs_prep=("to",)),
                Rule("SUPPORT", "05", objects=OBJECT, certainty=0.7)],
    "endorse": [Rule("SUPPORT", "05")],
    "establish": [Rule("SUPPORT", "05", objects=TIES, recipient_preps=("with",))],
    "restore": [Rule("SUPPORT", "05", objects=TIES, recipient_preps=("with",))],
    "upgrade": [Rule("SUPPORT", "05", objects=TIES, recipient_preps=("with",))],
    "normalise": [Rule("SUPPORT", "05", objects=TIES, recipient_preps=("with",))],
    "normalize": [Rule("SUPPORT", "05", objects=TIES, recipient_preps=("with",))],
    "commend": [Rule("SUPPORT", "05")],
    "hail": [Rule("SUPPORT", "05", objects=OBJECT)],
    "applaud": [Rule("SUPPORT", "05")],
    "laud": [Rule("SUPPORT", "05")],
    "congratulate": [Rule("SUPPORT", "05")],
    "thank": [Rule("SUPPORT", "05")],
    "cheer": [Rule("SUPPORT", "05", objects=OBJECT)],
    "support": [Rule("SUPPORT", "05", objects=OBJECT)],
    "recognise": [Rule("SUPPORT", "05", objects=OBJECT, certainty=0.7)],
    "recognize": [Rule("SUPPORT", "05", objects=OBJECT, certainty=0.7)],
    "defend": [Rule("SUPPORT", "05", objects=PEOPLE | PROPOSALS | _words(
                    "decision policy <place>"),
                    certainty=0.6)],
    "throw": [Rule("SUPPORT", "05", objects=_words("weight support"), needs_prep=("behind",),
                   recipient_preps=("behind",), recipient_from_object=False)],
    "voice": [Rule("SUPPORT", "05", objects=_words("support backing solidarity"),
                   recipient_preps=("for", "with"), recipient_from_object=False),
              Rule("ACCUSE", "11", objects=_words("concern outrage condemnation anger"),
                   recipient_preps=("over", "at", "about"), recipient_from_object=False,
                   certainty=0.6)],
    "express": [Rule("SUPPORT", "05", objects=_words("support backing solidarity"),
                     recipient_preps=("for", "with"), recipient_from_object=False),
                Rule("ACCUSE", "11", objects=_words("concern outrage condemnation anger "
                                                      "dismay alarm"),
                     recipient_preps=("over", "at", "about"), recipient_from_object=False,
                     certainty=0.6)],
    "pledge": [Rule("SUPPORT", "05", objects=_words("support backing solidarity"),
                    recipient_preps=("for", "to"), recipient_from_object=False),
               Rule("AID", "07", "humanitarian", objects=AID_GOODS, recipient_preps=("to", "for"),
                    recipient_from_object=False, certainty=0.8),
               Rule("AID", "07", "military", objects=MILITARY_GOODS, recipient_preps=("to",),
                    recipient_from_object=False, certainty=0.8)],
    "apologise": [Rule("SUPPORT", "05", recipient_preps=("to",))],
    "apologize": [Rule("SUPPORT", "05", recipient_preps=("to",))],
    "mediate": [Rule("CONSULT", "04", recipient_preps=("between",))],
    "attend": [Rule("CONSULT", "04", objects=TALKS | _words("conference"), certainty=0.8)],
    "tour": [Rule("CONSULT", "04", "visit", objects=_words("<place>"), certainty=0.7)],
    "sit": [Rule("CONSULT", "04", particle="down", recipient_preps=("with",))],
    "side": [Rule("SUPPORT", "05", needs_prep=("with",), recipient_preps=("with",))],
    "pay": [Rule("SUPPORT", "05", objects=_words("tribute homage respect"),
                 recipient_preps=("to",), recipient_from_object=False)],
    "salute": [Rule("SUPPORT", "05")],
    "land": [Rule("CONSULT", "04", "visit", needs_prep=("in",), prep_objects=_words("<place>"),
                  certainty=0.7)],
    "shake": [Rule("CONSULT", "04", objects=_words("hand"), recipient_preps=("with",),
                   recipient_from_object=False)],
    "head": [Rule("CONSULT", "04", "visit", needs_prep=("for",),
                  prep_objects=_words("visit talk meeting summit"))],
    # CONCEDE
    "resign": [Rule("CONCEDE", "08", objects=NONE)],
    "quit": [Rule("CONCEDE", "08", objects=NONE, certainty=0.8),
             Rule("CONCEDE", "08", objects=_words("post job office government cabinet "
                                                  "position role"))],
    "step": [Rule("CONCEDE", "08", particle="down"),
             Rule("CONCEDE", "08", particle="aside")],
    "back": [Rule("CONCEDE", "08", particle="down"),
             Rule("SUPPORT", "05", objects=OBJECT)],
    "concede": [Rule("CONCEDE", "08")],
    "admit": [Rule("AID", "07", "asylum", objects=_words("refugee migrant asylum-seeker")),
              Rule("CONCEDE", "08")],
    "acknowledge": [Rule("CONCEDE", "08", certainty=0.7)],
    "reverse": [Rule("CONCEDE", "08", objects=OBJECT)],
    "allow": [Rule("CONCEDE", "08", "ease", objects=PEOPLE | PROTESTS | _words(
                  "return entry access participation rally opposition"), certainty=0.6)],
    "scrap": [Rule("CONCEDE", "08", objects=PROPOSALS | RESTRICTIONS | _words(
                   "tax policy rule decision reform hike increase"))],
    "revoke": [Rule("SANCTION", "16", objects=_words("visa licence license accreditation "
                                                      "permit")),
               Rule("CONCEDE", "08", "ease", objects=RESTRICTIONS | _words("decree order"))],
    "rescind": [Rule("CONCEDE", "08", objects=OBJECT)],
    "relax": [Rule("RETREAT", "08", "ease", objects=SANCTIONS),
              Rule("CONCEDE", "08", "ease", objects=RESTRICTIONS)],
    "lift": [Rule("RETREAT", "08", "ease", objects=SANCTIONS | _words("blockade siege")),
             Rule("CONCEDE", "08", "ease", objects=RESTRICTIONS)],
    "ease": [Rule("RETREAT", "08", "ease", objects=SANCTIONS | _words("blockade siege")),
             Rule("CONCEDE", "08", "ease", objects=RESTRICTIONS)],
    "end": [Rule("SANCTION", "16", objects=_words("mediation")),
            Rule("RETREAT", "08", objects=PROTESTS - _words("blockade")),
            Rule("RETREAT", "08", "ease", objects=_words("blockade siege closure sanction")),
            Rule("CONCEDE", "08", "ease", objects=RESTRICTIONS)],
    "pardon": [Rule("CONCEDE", "08", "release")],
    "amnesty": [Rule("CONCEDE", "08", "release")],
    "commute": [Rule("CONCEDE", "08", "release")],
    "abandon": [Rule("CONCEDE", "08", objects=PROPOSALS | _words("policy demand"))],
    "shelve": [Rule("CONCEDE", "08", objects=OBJECT)],
    "yield": [Rule("CONCEDE", "08", needs_prep=("to",), recipient_preps=("to",))],
    "bow": [Rule("CONCEDE", "08", needs_prep=("to",), recipient_preps=("to",))],
    "cave": [Rule("CONCEDE", "08", particle="in", recipient_preps=("to",))],
    # COOPERATE, AID, RETREAT: material cooperation
    "cooperate": [Rule("COOPERATE", "06", recipient_preps=("with",))],
    "collaborate": [Rule("COOPERATE", "06", recipient_preps=("with",))],
    "share": [Rule("COOPERATE", "06", objects=_words("intelligence information data evidence "
                                                      "expertise experience technology know-how"),
                   recipient_preps=("with",))],
    "exchange": [Rule(ASSAULT, "19", "firearms", objects=_words("fire gunfire shot"),
                      recipient_preps=("with",), recipient_from_object=False),
                 Rule("RETREAT", "08", "release", objects=_words(
                      "prisoner hostage detainee captive body")),
                 Rule("COOPERATE", "06", objects=_words("intelligence information data "
                                                          "evidence prisoner"),
                      recipient_preps=("with",))],
    "extradite": [Rule("COOPERATE", "06", recipient_preps=("to",),
                       recipient_from_object=False)],
    "hand": [Rule("AID", "07", "humanitarian", particle="over",
                  objects=AID_GOODS - _words("doctor"),
                  recipient_preps=("to",), recipient_from_object=False),
             Rule("RETREAT", "08", "withdraw", particle="back", recipient_preps=("to",),
                  recipient_from_object=False),
             Rule("COOPERATE", "06", particle="over", objects=_words(
                  "evidence suspect document file record page data information fugitive"),
                  recipient_preps=("to",), recipient_from_object=False),
             Rule("AID", "07", "humanitarian", particle="out", objects=AID_GOODS,
                  recipient_preps=("to",), recipient_from_object=False)],
    "patrol": [Rule("COOPERATE", "06", objects=OBJECT, certainty=0.5)],
    "dismantle": [Rule("COOPERATE", "06", objects=_words("network ring cell gang cartel"),
                       certainty=0.6),
                  Rule("RETREAT", "08", "ease", objects=_words(
                       "checkpoint roadblock barricade barrier blockade"))],
    "audit": [Rule("COOPERATE", "06", certainty=0.5)],
    "deliver": [Rule("AID", "07", "humanitarian", objects=AID_GOODS, recipient_preps=("to",),
                     recipient_from_object=False),
                Rule("AID", "07", "military", objects=MILITARY_GOODS, recipient_preps=("to",),
                     recipient_from_object=False)],
    "provide": [Rule("AID", "07", "humanitarian", objects=AID_GOODS,
                     recipient_preps=("to", "for"), recipient_from_object=False),
                Rule("AID", "07", "military", objects=MILITARY_GOODS, recipient_preps=("to",),
                     recipient_from_object=False)],
    "give": [Rule("CONSULT", "04", "host", objects=_words("welcome reception"),
                  recipient_preps=("to",), recipient_from_object=False),
             Rule("THREATEN", "13", objects=_words("ultimatum warning"),
                  recipient_preps=("to",), recipient_from_object=False),
             Rule("AID", "07", "humanitarian", objects=AID_GOODS,
                  recipient_preps=("to", "for"), recipient_from_object=False, certainty=0.8),
             Rule("AID", "07", "military", objects=MILITARY_GOODS, recipient_preps=("to",),
                  recipient_from_object=False, certainty=0.8)],
    "announce": [Rule("RETREAT", "08", "ceasefire", objects=_words("ceasefire truce pause")),
                 Rule("AID", "07", "humanitarian", objects=_words(
                      "aid assistance relief funding grant package euro dollar million billion"),
                      recipient_preps=("for", "to"), recipient_from_object=False, certainty=0.8),
                 Rule("SANCTION", "16", objects=SANCTIONS, recipient_preps=("on", "against"),
                      recipient_from_object=False)],
    "allocate": [Rule("AID", "07", "humanitarian", objects=AID_GOODS,
                      recipient_preps=("to", "for"), recipient_from_object=False)],
    "distribute": [Rule("AID", "07", "humanitarian", objects=AID_GOODS,
                        recipient_preps=("to", "among"), recipient_from_object=False)],
    "donate": [Rule("AID", "07", "humanitarian", recipient_preps=("to",),
                    recipient_from_object=False)],
    "airlift": [Rule("AID", "07", "humanitarian", recipient_preps=("to",),
                     recipient_from_object=False)],
    "airdrop": [Rule("AID", "07", "humanitarian", recipient_preps=("to",),
                     recipient_from_object=False)],
    "ship": [Rule("AID", "07", "military", objects=MILITARY_GOODS, recipient_preps=("to",),
                  recipient_from_object=False),
             Rule("AID", "07", "humanitarian", objects=AID_GOODS, recipient_preps=("to",),
                  recipient_from_object=False)],
    "supply": [Rule("AID", "07", "military", objects=MILITARY_GOODS, recipient_preps=("to",),
                    recipient_from_object=False),
               Rule("AID", "07", "humanitarian", recipient_preps=("to",),
                    recipient_from_object=False, certainty=0.8)],
    "send": [Rule("AID", "07", "humanitarian", objects=AID_GOODS, recipient_preps=("to",),
                  recipient_from_object=False),
             Rule("MOBILIZE", "15", "troops", objects=FORCES, recipient_preps=("to", "into"),
                  recipient_from_object=False),
             Rule("AID", "07", "military", objects=MILITARY_GOODS, recipient_preps=("to",),
                  recipient_from_object=False)],
    "dispatch": [Rule("AID", "07", "humanitarian", objects=AID_GOODS, recipient_preps=("to",),
                      recipient_from_object=False),
                 Rule("MOBILIZE", "15", "troops", objects=FORCES, recipient_preps=("to",),
                      recipient_from_object=False)],
    "evacuate": [Rule("RETREAT", "08", "withdraw", objects=_words(
                      "position base outpost garrison post")),
                 Rule("AID", "07", "humanitarian", objects=OBJECT, certainty=0.8)],
    "rescue": [Rule("AID", "07", "humanitarian", objects=OBJECT, certainty=0.8)],
    "grant": [Rule("AID", "07", "asylum", objects=_words("asylum refuge"),
                   recipient_preps=("to",)),
              Rule("CONCEDE", "08", objects=_words("amnesty pardon concession autonomy "
                                                   "access release"),
                   recipient_preps=("to",))],
    "release": [Rule("RETREAT", "08", "release", objects=PEOPLE | _words("body"))],
    "free": [Rule("RETREAT", "08", "release", objects=PEOPLE)],
    "swap": [Rule("RETREAT", "08", "release", objects=PEOPLE)],
    "withdraw": [Rule("SANCTION", "16", objects=_words("ambassador envoy diplomat")),
                 Rule("CONCEDE", "08", objects=PROPOSALS | _words("decision candidacy "
                                                                   "nomination")),
                 Rule("RETREAT", "08", "withdraw", objects=NONE, recipient_preps=("from",),
                      recipient_from_object=False),
                 Rule("RETREAT", "08", "withdraw", objects=FORCES | MILITARY_GOODS | _words(
                      "presence contingent mission"), recipient_preps=("from",),
                      recipient_from_object=False)],
    "pull": [Rule("RETREAT", "08", "withdraw", particle="out", recipient_preps=("of", "from"),
                  recipient_from_object=False),
             Rule("RETREAT", "08", "withdraw", particle="back", recipient_preps=("from",),
                  recipient_from_object=False)],
    "retreat": [Rule("RETREAT", "08", "withdraw")],
    "demobilise": [Rule("RETREAT", "08", "disarm")],
    "demobilize": [Rule("RETREAT", "08", "disarm")],
    "disarm": [Rule("RETREAT", "08", "disarm")],
    "lay": [Rule("RETREAT", "08", "disarm", particle="down",
                 objects=_words("weapon arm gun"))],
    "surrender": [Rule("RETREAT", "08", "withdraw", objects=TERRITORY,
                       recipient_preps=("to",), recipient_from_object=False),
                  Rule("RETREAT", "08", "disarm", certainty=0.8)],
    "observe": [Rule("RETREAT", "08", "ceasefire", objects=_words("ceasefire truce"))],
    "halt": [Rule("SANCTION", "16", objects=TALKS | _words("import export trade aid flight "
                                                            "shipment delivery mediation")),
             Rule("RETREAT", "08", objects=ATTACKS | _words("fighting hostility offensive "
                                                             "operation bombing shelling"))],
    "return": [Rule("RETREAT", "08", "withdraw", objects=_words("control territory land"),
                    recipient_preps=("to",), recipient_from_object=False),
               Rule("RETREAT", "08", "release", objects=_words(
                    "prisoner hostage detainee captive body remains"), recipient_preps=("to",),
                    recipient_from_object=True),
               Rule(ASSAULT, "19", "firearms", objects=_words("fire gunfire"),
                    recipient_from_object=False),
               Rule("CONSULT", "04", "visit", needs_prep=("for",),
                    prep_objects=_words("visit talk meeting summit negotiation"))],
    "vacate": [Rule("RETREAT", "08", "withdraw", objects=TERRITORY)],
    "disburse": [Rule("AID", "07", "humanitarian", recipient_preps=("to",),
                      recipient_from_object=False)],
    "offer": [Rule("AID", "07", "humanitarian", objects=AID_GOODS - _words("help"),
                   recipient_preps=("to",), recipient_from_object=False, certainty=0.7),
              Rule("SUPPORT", "05", objects=_words("condolence support backing solidarity"),
                   recipient_preps=("to",), recipient_from_object=False)],
    "train": [Rule("COOPERATE", "06", objects=FORCES, certainty=0.7)],
    "team": [Rule("COOPERATE", "06", particle="up", recipient_preps=("with",))],
    "partner": [Rule("COOPERATE", "06", recipient_preps=("with",))],
    "stand": [Rule("RETREAT", "08", particle="down"),
              Rule("SUPPORT", "05", needs_prep=("by", "with", "behind"),
                   recipient_preps=("by", "with", "behind"), prep_objects=None)],
    "leave": [Rule("RETREAT", "08", "withdraw", objects=TERRITORY, certainty=0.6)],
    "disband": [Rule("RETREAT", "08", "disarm")],
    "decommission": [Rule("RETREAT", "08", "disarm", objects=_words("weapon arm"))],
    "scale": [Rule("RETREAT", "08", particle="back", objects=ATTACKS)],
    "shelter": [Rule("AID", "07", "humanitarian", objects=PEOPLE)],
    "treat": [Rule("AID", "07", "humanitarian", objects=_words(
                   "wounded injured patient casualty victim survivor"), certainty=0.6)],
    "work": [Rule("COOPERATE", "06", needs_prep=("with",), recipient_preps=("with",),
                  certainty=0.5)],
    "resettle": [Rule("AID", "07", "asylum", objects=_words("refugee migrant family"))],
    "vaccinate": [Rule("AID", "07", "humanitarian")],
    "transfer": [Rule("AID", "07", "military", objects=MILITARY_GOODS, recipient_preps=("to",),
                      recipient_from_object=False)],
    "fund": [Rule("AID", "07", "humanitarian", objects=OBJECT, certainty=0.5)],
    # REQUEST
    "urge": [Rule("REQUEST", "02")],
    "appeal": [Rule("REQUEST", "02", recipient_preps=("to",))],
    "demand": [Rule("REQUEST", "10")],
    "ask": [Rule("REQUEST", "02", objects=OBJECT, certainty=0.7)],
    "request": [Rule("REQUEST", "02")],
    "plead": [Rule("REQUEST", "02", recipient_preps=("with",))],
    "implore": [Rule("REQUEST", "02")],
    "petition": [Rule("REQUEST", "02")],
    "seek": [Rule("REQUEST", "02", objects=_words("help aid assistance support release "
                                                   "rise increase compensation meeting "
                                                   "talk extradition asylum ceasefire "
                                                   "return resignation investigation inquiry "
                                                   "justice clarification explanation "
                                                   "dialogue protection"), certainty=0.8)],
    "press": [Rule("REQUEST", "10", objects=OBJECT, certainty=0.6),
              Rule("REQUEST", "10", needs_prep=("for",))],
    "invite": [Rule("REQUEST", "02", objects=OBJECT, certainty=0.6)],
    "push": [Rule("REQUEST", "02", needs_prep=("for",), certainty=0.7)],
    "lobby": [Rule("REQUEST", "02", certainty=0.8)],
    "pressure": [Rule("REQUEST", "10", objects=OBJECT, certainty=0.8)],
    "apply": [Rule("REQUEST", "02", needs_prep=("for",), prep_objects=_words(
                   "asylum membership bailout loan extradition"))],
    "beg": [Rule("REQUEST", "02")],
    "exhort": [Rule("REQUEST", "02")],
    "instruct": [Rule("REQUEST", "10", objects=OBJECT, certainty=0.7)],
    # ACCUSE
    "accuse": [Rule("ACCUSE", "11")],
    "blame": [Rule("ACCUSE", "11")],
    "condemn": [Rule("ACCUSE", "11")],
    "criticise": [Rule("ACCUSE", "11")],
    "criticize": [Rule("ACCUSE", "11")],
    "denounce": [Rule("ACCUSE", "11")],
    "decry": [Rule("ACCUSE", "11")],
    "brand": [Rule("ACCUSE", "11", objects=OBJECT)],
    "label": [Rule("ACCUSE", "11", objects=OBJECT, certainty=0.6)],
    "lash": [Rule("ACCUSE", "11", particle="out", recipient_preps=("at",))],
    "rebuke": [Rule("ACCUSE", "11")],
    "castigate": [Rule("ACCUSE", "11")],
    "deplore": [Rule("ACCUSE", "11")],
    "censure": [Rule("ACCUSE", "11")],
    "sue": [Rule("ACCUSE", "11")],
    "summon": [Rule("ACCUSE", "11", objects=_words("ambassador envoy diplomat charge "
                                                    "chargé attaché"))],
    "lodge": [Rule("ACCUSE", "11", objects=_words("protest complaint objection appeal "
                                                   "case lawsuit"),
                   recipient_preps=("with", "against"), recipient_from_object=False)],
    "file": [Rule("REQUEST", "02", objects=_words("request application petition")),
             Rule("ACCUSE", "11", objects=_words("complaint lawsuit suit case charge "
                                                  "protest"),
                  recipient_preps=("against", "with"), recipient_from_object=False)],
    "investigate": [Rule("ACCUSE", "09", "investigate", objects=OBJECT, certainty=0.8)],
    "probe": [Rule("ACCUSE", "09", "investigate", objects=OBJECT, certainty=0.7)],
    "allege": [Rule("ACCUSE", "11", certainty=0.7)],
    "lambaste": [Rule("ACCUSE", "11")],
    "fault": [Rule("ACCUSE", "11", objects=OBJECT)],
    "berate": [Rule("ACCUSE", "11")],
    "reprimand": [Rule("ACCUSE", "11")],
    "admonish": [Rule("ACCUSE", "11")],
    "complain": [Rule("ACCUSE", "11", recipient_preps=("about", "to", "against"))],
    "point": [Rule("ACCUSE", "11", objects=_words("finger"), recipient_preps=("at",),
                   recipient_from_object=False)],
    "attribute": [Rule("ACCUSE", "11", needs_prep=("to",), recipient_preps=("to",),
                       recipient_from_object=False, certainty=0.7)],
    # REJECT
    "reject": [Rule("REJECT", "12")],
    "renege": [Rule("REJECT", "12", needs_prep=("on",), recipient_preps=("to",))],
    "violate": [Rule("REJECT", "12", objects=_words("ban order law rule resolution curfew "
                                                     "embargo decree ruling"), certainty=0.7)],
    "refuse": [Rule("REJECT", "12")],
    "deny": [Rule("REJECT", "12", objects=_words(
                  "accusation allegation claim charge report request application permission "
                  "access entry visa bail appeal"), certainty=0.7)],
    "dismiss": [Rule("REJECT", "12", objects=PROPOSALS | _words("criticism"))],
    "veto": [Rule("REJECT", "12", "veto")],
    "rebuff": [Rule("REJECT", "12")],
    "spurn": [Rule("REJECT", "12")],
    "snub": [Rule("REJECT", "12")],
    "turn": [Rule("REJECT", "12", particle="down"),
             Rule("COERCE", "17", "deport", particle="back", objects=PEOPLE)],
    "vote": [Rule("REJECT", "12", particle="down"),
             Rule("REJECT", "12", needs_prep=("against",), recipient_preps=("against",))],
    "defy": [Rule("REJECT", "12")],
    "oppose": [Rule("REJECT", "12", objects=OBJECT, certainty=0.7)],
    "object": [Rule("REJECT", "12", needs_prep=("to",), recipient_preps=("to",))],
    "rule": [Rule("REJECT", "12", particle="out")],
    "ignore": [Rule("REJECT", "12", objects=PROPOSALS | _words("ultimatum order warning "
                                                                "ruling deadline"))],
    "shrug": [Rule("REJECT", "12", particle="off")],
    "brush": [Rule("REJECT", "12", particle="aside"),
              Rule("REJECT", "12", particle="off")],
    "scoff": [Rule("REJECT", "12", needs_prep=("at",), recipient_preps=("at",))],
    "decline": [Rule("REJECT", "12", objects=_words("invitation offer request proposal "
                                                     "demand call appeal"))],
    # THREATEN
    "threaten": [Rule("THREATEN", "13")],
    "warn": [Rule("THREATEN", "13", certainty=0.7)],
    "vow": [Rule("THREATEN", "13", certainty=0.7)],
    "swear": [Rule("THREATEN", "13", objects=NONE, certainty=0.7)],
    "issue": [Rule("THREATEN", "13", objects=_words("ultimatum warning threat")),
              Rule("REQUEST", "02", objects=_words("appeal call plea")),
              Rule("ACCUSE", "11", objects=_words("condemnation rebuke complaint"))],
    "menace": [Rule("THREATEN", "13")],
    # SANCTION
    "sanction": [Rule("SANCTION", "16")],
    "blacklist": [Rule("SANCTION", "16")],
    "embargo": [Rule("SANCTION", "16")],
    "suspend": [Rule("SANCTION", "16", needs_prep=("from",), prep_objects=_words(
                     "council union organisation organization alliance bloc body group league "
                     "commonwealth assembly")),
                Rule("RETREAT", "08", objects=ATTACKS | _words("fighting hostility")),
                Rule("SANCTION", "16", objects=TIES | TALKS | _words(
                     "aid cooperation membership agreement funding assistance licence license "
                     "deal export import flight visa disbursement operation loan payment"),
                     certainty=0.8),
                Rule("COERCE", "17", "restrict", objects=_words(
                     "broadcast broadcasting newspaper channel station outlet website account"))],
    "sever": [Rule("SANCTION", "16", objects=TIES, recipient_preps=("with",))],
    "cut": [Rule("SANCTION", "16", objects=TIES | _words("aid funding assistance"),
                 recipient_preps=("with", "to"))],
    "break": [Rule("SANCTION", "16", particle="off", objects=TIES | TALKS,
                   recipient_preps=("with",)),
              Rule("COERCE", "17", "restrict", particle="up", objects=PROTESTS | _words(
                   "gathering crowd meeting"))],
    "downgrade": [Rule("SANCTION", "16", objects=TIES)],
    "recall": [Rule("SANCTION", "16", objects=_words("ambassador envoy diplomat"))],
    "freeze": [Rule("SANCTION", "16", objects=_words("asset account fund disbursement aid "
                                                      "funding assistance payment loan"),
                    recipient_preps=("to", "of", "for"))],
    "raise": [Rule("SANCTION", "16", objects=_words("tariff duty"), recipient_preps=("on",),
                   recipient_from_object=False),
              Rule("MOBILIZE", "15", objects=_words("alert readiness"))],
    "bar": [Rule("COERCE", "17", "restrict", objects=PEOPLE - _words("official diplomat "
                                                                       "minister"),
                 needs_prep=("from",)),
            Rule("SANCTION", "16", objects=_words("official diplomat minister"),
                 certainty=0.7)],
    "close": [Rule("SANCTION", "16", objects=_words("embassy consulate mission airspace"))],
    "withhold": [Rule("SANCTION", "16", objects=_words("aid funding fund assistance payment "
                                                        "support loan"))],
    "cancel": [Rule("CONCEDE", "08", "ease", objects=RESTRICTIONS),
               Rule("SANCTION", "16", objects=_words("visa contract flight licence license "
                                                      "accreditation permit deal"),
                    certainty=0.7)],
    "restrict": [Rule("SANCTION", "16", objects=_words("import export trade flight")),
                 Rule("COERCE", "17", "restrict", objects=OBJECT, certainty=0.7)],
    # MOBILIZE
    "deploy": [Rule("MOBILIZE", "15", "troops", recipient_preps=("to", "in", "into"),
                    recipient_from_object=False)],
    "redeploy": [Rule("MOBILIZE", "15", "troops", recipient_preps=("to",),
                      recipient_from_object=False)],
    "station": [Rule("MOBILIZE", "15", "troops", objects=FORCES)],
    "mobilise": [Rule("MOBILIZE", "15", "troops")],
    "mobilize": [Rule("MOBILIZE", "15", "troops")],
    "mass": [Rule("MOBILIZE", "15", "troops", objects=FORCES)],
    "move": [Rule("MOBILIZE", "15", "troops", objects=FORCES, recipient_preps=("to", "into"),
                  recipient_from_object=False)],
    "order": [Rule("MOBILIZE", "15", "troops", objects=FORCES, recipient_preps=("to", "onto",
                                                                                "into"),
                   recipient_from_object=False),
              Rule("SANCTION", "16", "expel", particle="out", objects=FORCES | _words(
                   "diplomat ambassador envoy peacekeeper mission observer inspector"))],
    "remain": [Rule("MOBILIZE", "15", needs_prep=("on",), prep_objects=_words(
                   "alert standby footing readiness"))],
    "stay": [Rule("MOBILIZE", "15", needs_prep=("on",), prep_objects=_words(
                 "alert standby footing readiness"))],
    "put": [Rule("COERCE", "17", "arrest", needs_prep=("under",),
                 prep_objects=_words("arrest detention custody")),
            Rule("MOBILIZE", "15", "troops", needs_prep=("on",), prep_objects=_words(
                 "alert standby footing readiness"))],
    "place": [Rule("COERCE", "17", "arrest", needs_prep=("under",),
                   prep_objects=_words("arrest detention custody")),
              Rule("MOBILIZE", "15", "troops", needs_prep=("on",), prep_objects=_words(
                   "alert standby footing readiness"))],
    "reinforce": [Rule("MOBILIZE", "15", "troops", objects=OBJECT, certainty=0.7)],
    "conscript": [Rule("MOBILIZE", "15", "troops")],
    "stream": [Rule("MOBILIZE", "15", "troops", objects=FORCES, recipient_preps=("into", "to"),
                    recipient_from_object=False)],
    "roll": [Rule("MOBILIZE", "15", "troops", objects=FORCES, recipient_preps=("into", "to"),
                  recipient_from_object=False)],
}

# Verbs whose subject suffers the act and whose actor, if any, is the "from"/"by"
# phrase: "came under fire", "died in clashes", "received aid from".
SUBJECT_SUFFERS = frozenset("come die perish receive".split())
# Withdrawals by these only: "troops left the town" (not "delegations left Geneva").
ARMED_SECTORS = frozenset(("military", "rebels"))

# Nouns that name an event. They code when they are the subject of a verb of occurring
# ("Clashes erupted in Homs"), the object of a light verb ("carried out an attack",
# "held talks", "staged a sit-in"), when a "by" phrase names the agent ("a sit-in by
# pensioners"), or as recent background after "after", "following" or "during" with an
# argument of their own ("after the arrest of a radio host", "during Saturday's rally").
NOMINAL_EVENTS = {
    "clash": Rule(ASSAULT, "19"), "fighting": Rule(ASSAULT, "19"),
    "skirmish": Rule(ASSAULT, "19"), "battle": Rule(ASSAULT, "19", certainty=0.7),
    "gunfight": Rule(ASSAULT, "19", "firearms"),
    "firefight": Rule(ASSAULT, "19", "firearms"), "shootout": Rule(ASSAULT, "19", "firearms"),
    "attack": Rule(ASSAULT, "18"), "assault": Rule(ASSAULT, "18"),
    "raid": Rule(ASSAULT, "18"), "ambush": Rule(ASSAULT, "19", "firearms"),
    "offensive": Rule(ASSAULT, "19"), "counteroffensive": Rule(ASSAULT, "19"),
    "incursion": Rule(ASSAULT, "19"), "invasion": Rule(ASSAULT, "19"),
    "bombardment": Rule(ASSAULT, "19", "heavy-weapons"),
    "shelling": Rule(ASSAULT, "19", "heavy-weapons"),
    "bombing": Rule(ASSAULT, "18", "explosives"),
    "airstrike": Rule(ASSAULT, "19", "aerial"), "massacre": Rule(ASSAULT, "20"),
    "killing": Rule(ASSAULT, "18"), "murder": Rule(ASSAULT, "18"),
    "shooting": Rule(ASSAULT, "19", "firearms"),
    "kidnapping": Rule(ASSAULT, "18", "abduct"), "abduction": Rule(ASSAULT, "18", "abduct"),
    "assassination": Rule(ASSAULT, "18", "assassinate"),
    "arson": Rule(ASSAULT, "17", "destroy"),
    "explosion": Rule(ASSAULT, "18", "explosives", certainty=0.6),
    "blast": Rule(ASSAULT, "18", "explosives", certainty=0.6),
    "arrest": Rule("COERCE", "17", "arrest"), "detention": Rule("COERCE", "17", "arrest"),
    "crackdown": Rule("COERCE", "17", "restrict"),
    "curfew": Rule("COERCE", "17", "restrict"),
    "deportation": Rule("COERCE", "17", "deport"),
    "expulsion": Rule("COERCE", "17", "deport"),
    "protest": Rule("PROTEST", "14", "demo"), "demonstration": Rule("PROTEST", "14", "demo"),
    "riot": Rule("PROTEST", "14", "riot"), "rally": Rule("PROTEST", "14", "demo"),
    "march": Rule("PROTEST", "14", "demo"), "vigil": Rule("PROTEST", "14", "demo"),
    "sit": Rule("PROTEST", "14", "obstruct"), "sit-in": Rule("PROTEST", "14", "obstruct"),
    "strike": Rule("PROTEST", "14", "strike"), "walkout": Rule("PROTEST", "14", "strike"),
    "stoppage": Rule("PROTEST", "14", "strike"),
    "boycott": Rule("PROTEST", "14", "boycott"),
    "unrest": Rule("PROTEST", "14", "riot", certainty=0.7),
    "rioting": Rule("PROTEST", "14", "riot"), "scuffle": Rule("PROTEST", "14", "riot"),
    "beheading": Rule(ASSAULT, "18"), "stabbing": Rule(ASSAULT, "18", "beat"),
    "lynching": Rule(ASSAULT, "18", "beat"), "torching": Rule(ASSAULT, "17", "destroy"),
    "demolition": Rule(ASSAULT, "17", "destroy", certainty=0.6),
    "surrender": Rule("RETREAT", "08", "disarm", certainty=0.7),
    "brawl": Rule("PROTEST", "14", "riot", certainty=0.7),
    "capture": Rule("COERCE", "17", "arrest", certainty=0.7),
    "talk": Rule("CONSULT", "04"), "summit": Rule("CONSULT", "04"),
    "suspension": Rule("SANCTION", "16", certainty=0.7),
    "meeting": Rule("CONSULT", "04", certainty=0.7), "visit": Rule("CONSULT", "04", "visit"),
    "negotiation": Rule("CONSULT", "04"),
    "ceasefire": Rule("RETREAT", "08", "ceasefire"), "truce": Rule("RETREAT", "08", "ceasefire"),
    "withdrawal": Rule("RETREAT", "08", "withdraw"), "pullout": Rule("RETREAT", "08", "withdraw"),
    "release": Rule("RETREAT", "08", "release", certainty=0.7),
    "investigation": Rule("ACCUSE", "09"), "inquiry": Rule("ACCUSE", "09"),
    "probe": Rule("ACCUSE", "09"),
    "sanction": Rule("SANCTION", "16"), "embargo": Rule("SANCTION", "16"),
}
# Event nouns that need a modifier to be events: "air strike", "hunger strike".
NOMINAL_COMPOUNDS = {
    ("strike", "air"): Rule(ASSAULT, "19", "aerial"),
    ("strike", "drone"): Rule(ASSAULT, "19", "aerial"),
    ("strike", "missile"): Rule(ASSAULT, "19", "aerial"),
    ("strike", "hunger"): Rule("PROTEST", "14", "strike"),
    ("in", "sit"): Rule("PROTEST", "14", "obstruct"),  # "sit-in" read as two words
    ("attack", "suicide"): Rule(ASSAULT, "18", "explosives"),
    ("bombing", "suicide"): Rule(ASSAULT, "18", "explosives"),
    ("bombing", "car"): Rule(ASSAULT, "18", "explosives"),
    ("attack", "drone"): Rule(ASSAULT, "19", "aerial"),
    ("attack", "rocket"): Rule(ASSAULT, "19", "heavy-weapons"),
    ("attack", "missile"): Rule(ASSAULT, "19", "aerial"),
    ("attack", "knife"): Rule(ASSAULT, "18", "beat"),
    ("battle", "gun"): Rule(ASSAULT, "19", "firearms"),
}
NOMINAL_VERBS = frozenset("erupt break take continue spread occur begin turn rock hit rage "
                          "end conclude collapse stall wrap rip tear "
                          "flare resume enter escalate intensify grip paralyse paralyze "
                          "shut cripple choke halt disrupt hold".split())
# Light verbs whose object noun is the event ("carried out an attack", "held talks").
LIGHT_VERBS = frozenset("carry conduct launch stage mount hold organise organize lead "
                        "reiterate renew repeat announce order speed accelerate "
                        "complete wrap conclude "
                        "begin start resume make pay stage step intensify wage join "
                        "undertake perform unleash commit perpetrate continue".split())
# Verbs after which an event noun is the actor's act ("claimed responsibility for").
RESPONSIBILITY_NOUNS = frozenset(("responsibility", "credit"))
# Nominal backgrounds after these prepositions were reported as having happened.
BACKGROUND_PREPS = frozenset("after following during amid since".split())

# Heads under which an event is not (yet) an event that happened.
NOT_HAPPENED_HEADS = frozenset(
    "threaten plan intend vow want seek try attempt aim prepare hope promise pledge refuse "
    "deny fail decide urge ask call demand consider propose expect warn fear order suspect "
    "accuse allege blame charge could may might would should must refrain avoid stop "
    "without vote agree plot conspire scheme wish need push lobby appeal press encourage "
    "invite instruct tell authorise authorize allow permit approve mull weigh debate "
    "discuss negotiate seek threat plan bid attempt effort plot call demand order ultimatum "
    "proposal offer deadline right chance likelihood possibility risk fear danger prospect "
    "ready willing set due able poised likely unlikely expected eager keen determined "
    "prepared responsible suspected accused alleged "
    "before unless whether until "
    "decision prevent foil thwart avert "
    "rule rumour rumor scenario short believe think predict argue suggest speculate "
    "reckon doubt imagine assume resolution draft bill motion legislation "
    "hypothetical simulation".split())
# Nouns under which an act is history ("a memorial to those killed", "the anniversary of
# the massacre").
HISTORY_NOUNS = frozenset("monument memorial anniversary commemoration remembrance museum "
                          "veteran survivor legacy history".split())
# Words that make force talk an exercise ("a mock assault during drills").
EXERCISE_WORDS = frozenset("mock simulated simulate drill drills exercise exercises "
                           "rehearsal wargame".split())
# Verbs after which an infinitive did happen ("went on to win", "managed to escape").
IMPLICATIVE_HEADS = frozenset("manage go continue begin start proceed resume help".split())
# Verbs of accidents: a death with no attacker in a sentence with one of these is no attack
# ("were killed when their bus plunged into a ravine").
ACCIDENT_VERBS = frozenset("collide capsize crash overturn plunge explode collapse derail "
                           "sink skid topple burst".split())
# Arrivals and departures of officials that are visits ("the president arrived in Beijing").
VISIT_VERBS = frozenset("arrive land fly travel".split())
# Words whose infinitive is a commitment made now ("offered to hand over", "is ready to
# send", "promised to continue"): a cooperative act so offered is an AGREE, a hostile one
# a THREATEN (PLOVER, after CAMEO 03 "express intent to cooperate" and 13 "threaten").
COMMITMENTS = frozenset("offer promise pledge ready prepared willing committed".split())
# Verbs a committed act turns into an agreement or a threat, by type.
COOPERATIVE_TYPES = frozenset(("AID", "RETREAT", "CONCEDE", "COOPERATE", "CONSULT", "SUPPORT",
                               "AGREE"))
HOSTILE_TYPES = frozenset(("PROTEST", "SANCTION", "COERCE", "ASSAULT"))
# Modals of what a speaker says another must do: "said Libya must hand over the suspects"
# is a demand (REQUEST, CAMEO 10).
DEMANDING_MODALS = frozenset(("must", "should"))
# Verbs and nouns that report a statement whose "must" clause is a demand.
STATEMENT_HEADS = frozenset("say tell state add insist reiterate stress repeat warn declare "
                            "announce reminder statement demand call message note".split())
# Verbs whose infinitive is an attempt that is itself a use of force ("attempted to
# assassinate" is an ASSAULT).
ATTEMPTS = frozenset("attempt try".split())
# Spans that put what a clause tells before the story's day, over a stretch of time
# ("have been killed over the past decade", "earlier in the offensive", "so far this
# year"): background, not an event of that day.
LONG_SPANS = re.compile(
    r"\b(?:over|in|during|for) the (?:past|last) (?:\w+ )?(?:decades?|years?|months)\b|"
    r"\bin recent (?:years|decades|months)\b|\bfor (?:years|decades)\b|"
    r"\b(?:so far|earlier) this year\b|"
    r"\bearlier in the (?:war|offensive|conflict|campaign|fighting|year|month|crisis|"
    r"uprising|war's|day|week)\b", re.IGNORECASE)
# Bodies that meet among themselves: "the cabinet met" is no consultation.
DELIBERATIVE_BODIES = frozenset("cabinet council parliament committee board assembly senate "
                                "congress court jury government legislature politburo "
                                "commission".split())
# Weapons and craft that act for their side when it is named ("Ukrainian drones attacked",
# "Russian aircraft killed 46 civilians"): the actor is that side's forces.
ARMED_CRAFT = frozenset("aircraft plane jet warplane helicopter gunship warship ship boat "
                        "vessel drone tank bomber fighter artillery".split())
MILITARY_MODIFIERS = frozenset("military army navy naval air enemy government rebel "
                               "insurgent militant".split())
# Protest verbs and nouns whose "calling for ..." or "to demand ..." is their demand, not a
# request of its own.
PROTEST_WORDS = frozenset("protest demonstrate demonstration rally march riot strike sit-in "
                          "picket vigil walkout".split())
MODALS = frozenset("may might could would should will shall can must 'll wo ca 'd".split())
REPORTING_VERBS = frozenset("say tell report claim state add announce confirm write "
                            "post tweet note insist".split())

# Actor nouns that never take part in political events ("a flood killed 12").
NATURAL_CAUSES = frozenset(
    "flood fire storm typhoon cyclone hurricane earthquake quake landslide mudslide drought "
    "heatwave disease outbreak virus accident crash collapse lightning tornado tsunami "
    "avalanche eruption wildfire blaze rain flooding snow wave volcano war conflict "
    "epidemic pandemic famine hunger cholera stampede capsizing collision derailment "
    "explosion_ mishap malfunction".split())
# Weapons as subjects: the attacker is unknown ("mortar rounds slammed into a camp").
MUNITIONS = frozenset("round shell rocket missile mortar bomb drone bullet grenade "
                      "projectile munition shrapnel".split())
# Actors and targets that make force verbs sports, business, animal or accident talk
# ("the striker attacked the near post", "a shark attacked a surfer", "a tanker exploded,
# killing nine", "smaller firms are being killed off").
NON_POLITICAL = frozenset(
    "shark elephant dog crocodile alligator bear lion tiger leopard snake bee wolf hippo "
    "hippopotamus buffalo bull cow horse monkey animal python jaguar hyena "
    "tanker truck lorry bus train car vehicle ferry boat ship plane aircraft jet cylinder "
    "bridge building roof wall dam pipeline boiler reactor "
    "striker bowler batsman batter player team side squad club champion goalkeeper keeper "
    "midfielder defender forward winger coach footballer cricketer athlete "
    "runner boxer fighter_ rival opponent spinner quarterback pitcher seed "
    "firm company business market price share stock investor bank chipmaker carmaker "
    "retailer airline rival speculator currency inflation bond index economy "
    "chess queen pawn knight rook bishop_ piece move "
    "film movie novel book character hero villain game".split())
NON_POLITICAL = NON_POLITICAL | NON_TARGETS
# Types whose force verbs need a political or social actor or a human recipient.
FORCE_TYPES = frozenset(("ASSAULT", "COERCE", "PROTEST"))

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
    "protesters": "protester demonstrator activist student worker farmer union rioter marcher "
                  "fisherman miner teacher driver depositor crowd",
    "civilians": "civilian resident villager people family refugee migrant",
}
SECTOR_OF = {word: sector for sector, words in SECTORS.items() for word in words.split()}
DOMESTIC_SECTORS = frozenset({"military", "police", "government"})

# Words the coder's rules read (modules of core/events name them from here).
LOCATION_PREPS = frozenset("in at near outside inside across around into from on "
                           "throughout within towards toward".split())
QUANTITIES = frozenset("dozen hundred thousand score group number crowd handful".split())
# Nouns that stand for the party named in their "of" phrase ("the edge of the city of
# Homs", "the immediate release of the fishermen", "dozens of depositors"), and with none
# are no party at all: parts and measures, acts and abstractions.
STAND_INS = QUANTITIES | frozenset(
    "edge outskirts outskirt part rest centre center heart gate vicinity fringe "
    "percent tonne ton kilogram litre number majority minority bulk "
    "release return removal resignation withdrawal end lifting halt restoration "
    "extradition expulsion deployment suspension freeze easing cancellation "
    "law rule order curfew ban restriction measure policy plan".split())
# Modifiers that name a patron, not the party: "the US-backed alliance" is the alliance.
PATRONS = frozenset("backed led supported funded sponsored allied aligned trained armed "
                    "affiliated linked".split())
MOVE_VERBS = frozenset("pour move roll stream head redeploy".split())
ABDUCTED = frozenset("kidnapped abducted hijacked".split())
FOUNDING_VERBS = frozenset("set form establish create".split())  # "set up a joint task force"
DIPLOMATS = frozenset("ambassador diplomat envoy attache consul charge".split())
EVALUATIVE_VERBS = frozenset("welcome hail praise applaud condemn denounce deplore criticise "
                             "criticize decry mourn protest".split())
NO_COMMENT = frozenset("comment say confirm elaborate discuss specify answer speak "
                       "disclose reveal name identify give".split())
BOMB_CUES = frozenset("bomb bomber bombing suicide ied device explosive militant attack "
                      "attacker insurgent jihadist terrorist terror claim responsibility "
                      "rocket missile drone shell mortar grenade".split())
BOMBS = frozenset("bomb device ied explosive mine grenade shell rocket missile".split())
CROWD_VERBS = frozenset("gather assemble converge rally march fill flood throng pack "
                        "descend line mass turn".split())
PROTEST_PURPOSES = frozenset("protest demand denounce condemn oppose decry demonstrate "
                             "call mourn reject".split())
INQUIRIES = frozenset("investigation inquiry probe investigate look".split())
PROTEST_ENDERS = frozenset("disperse break attack storm crush suppress quell raid".split())
ARRIVING_AID = frozenset("aid convoy shipment supply assistance relief".split())
DURATIONS = frozenset("minute hour day week night month".split())
PARTICLES = frozenset("up down out off back over away aside".split())
UNREAL = frozenset("possible future further potential planned proposed expected any "
                   "new next fresh renewed hypothetical mock".split())
ENDERS = frozenset("end halt stop lift suspend abandon".split())
FLEE_VERBS = frozenset("flee escape".split())
BLAMING_VERBS = frozenset("blame criticise criticize condemn denounce praise thank fault "
                          "punish sanction fine".split())
DISASTERS = NATURAL_CAUSES - frozenset("fire war conflict crash accident".split())
FACTUAL_MARKS = frozenset("after when since because as while".split())
GENERIC_SUBJECTS = frozenset("anyone anybody whoever everyone nobody anything".split())
CLAIM_NOUNS = frozenset("claim statement announcement report assertion".split())

_IRREGULAR = {
    "shoot": "shot", "fight": "fought", "strike": "struck", "hold": "held", "take": "took taken",
    "beat": "beaten", "go": "went gone", "meet": "met", "send": "sent", "seek": "sought",
    "withdraw": "withdrew withdrawn", "freeze": "froze frozen", "set": "set", "cut": "cut",
    "hit": "hit", "lead": "led", "give": "gave given", "break": "broke broken",
    "begin": "began begun", "rise": "rose risen", "spread": "spread", "burn": "burnt",
    "overrun": "overran", "blow": "blew blown", "throw": "threw thrown", "lay": "laid",
    "speak": "spoke spoken", "fly": "flew flown", "step": "stepped", "bar": "barred",
    "put": "put", "slap": "slapped", "shut": "shut", "quit": "quit", "ship": "shipped",
    "drop": "dropped", "plan": "planned", "stab": "stabbed", "rob": "robbed",
    "club": "clubbed", "bus": "bused bussed busing bussing", "nab": "nabbed",
    "snub": "snubbed", "ban": "banned", "whip": "whipped", "flog": "flogged",
    "initial": "initialled initialed initialling", "swap": "swapped",
    "pardon": "pardoned", "order": "ordered", "sit-in": "sit", "sit": "sat",
    "telephone": "telephoned", "rape": "raped",
    "wage": "waged", "undertake": "undertook undertaken", "make": "made",
    "pay": "paid", "lodge": "lodged", "file": "filed",
    "fighting": "fighting", "talk": "talks",
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


def past_tense(lemma: str) -> str:
    """The simple past of a verb lemma ("seal" -> "sealed", "free" -> "freed")."""
    irregular = _IRREGULAR.get(lemma, "").split()
    if irregular and irregular[0] not in (lemma, lemma + "s"):
        return irregular[0]
    if lemma.endswith("e"):
        return lemma + "d"
    if lemma.endswith("y") and lemma[-2:-1] not in tuple("aeiou"):
        return lemma[:-1] + "ied"
    return lemma + "ed"


# Inflected forms the lemmatizer leaves alone ("retook").
FORM_LEMMAS = {form: lemma for lemma in VERBS for form in surface_forms(lemma)
               if form not in VERBS}  # "staged" read as "stag"
FORM_LEMMAS.update({form: lemma for lemma, forms in _IRREGULAR.items()
                    for form in forms.split() if lemma in VERBS})
FORM_LEMMAS.update({"retook": "retake", "retaken": "retake", "overran": "overrun",
                    "undertook": "undertake", "initialled": "initial", "initialed": "initial",
                    "bused": "bus", "bussed": "bus", "inked": "ink", "airdropped": "airdrop",
                    "airlifted": "airlift", "demobilised": "demobilise"})

TRIGGER_FORMS = frozenset(
    form for lemma in [*VERBS, *NOMINAL_EVENTS, "airstrike", "air"]
    for form in surface_forms(lemma))


def _cues(rule: Rule) -> Optional[frozenset]:
    """Words one of which a sentence must hold for the rule to be able to code
    (its object or prepositional-object words, or its particle); None if any will do."""
    words = set()
    for needed in (rule.objects, rule.prep_objects):
        if isinstance(needed, frozenset):
            if PLACE in needed:
                return None
            words |= {form for word in needed for form in surface_forms(word)}
            break
    else:
        if rule.particle:
            words.add(rule.particle)
    return frozenset(words) if words else None


def _form_cues() -> dict[str, list[Optional[frozenset]]]:
    cues: dict[str, list[Optional[frozenset]]] = {}
    for lemma, rules in VERBS.items():
        found = [_cues(rule) for rule in rules]
        for form in {*surface_forms(lemma), *(f for f, l in FORM_LEMMAS.items() if l == lemma)}:
            cues.setdefault(form, []).extend(found)
    for lemma in [*NOMINAL_EVENTS, "airstrike", "protester", "demonstrator", "marcher",
                  "joint", "jointly", "aid", "convoy", "shipment", "relief",
                  *DEMANDING_MODALS - {"should"}, *COMMITMENTS]:
        for form in surface_forms(lemma):
            cues.setdefault(form, []).append(None)
    return cues


# Surface form -> what else the sentence must hold for it to code anything: parsing is
# the coder's cost, so sentences whose only trigger words cannot code are not parsed
# ("held" without talks, a protest or a joint act; "took" without control or over).
FORM_CUES = _form_cues()


def may_code(words: set[str]) -> bool:
    """Whether a sentence with these lower-cased words can hold an event."""
    for word in words:
        cues = FORM_CUES.get(word)
        if cues is None:
            continue
        for cue in cues:
            if cue is None or cue & words:
                return True
    return False
