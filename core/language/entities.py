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

from .. import text as textlib
from ..records import AnnotatedArticle
from .gazetteer import Gazetteer, Place, distance_km, name_key, score

# Numeric and temporal labels are not entities users look up.
ENTITY_LABELS = {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT",
                 "WORK_OF_ART", "LAW", "LANGUAGE"}
PLACE_LABELS = {"GPE", "LOC", "FAC"}
_RELABEL_FROM = {"ORG", "PERSON", "NORP", "PRODUCT", "WORK_OF_ART"}
_TRAILING_POSSESSIVE = re.compile(r"[’']s?$")
_LOCATIVE = (r"\b(?i:in|near|at|from|to|outside|towards|toward|between|around|via|into|"
             r"through|across|along|past|beyond|inside|within)")
_LOCATIVE_BEFORE = re.compile(
    r"(?:" + _LOCATIVE + r"|\b(?:city|town|village|province|state|region|district|county|"
    r"municipality|port|island|suburb|township)\s+of)\s+(?:the\s+)?$")
_NAME = (r"[A-ZÀ-Þ][\w'’-]+(?:\s+(?:(?:de|del|la|las|los|el|do|da|des|du|di|sur|on|upon)\s+)?"
         r"[A-ZÀ-Þ][\w'’-]+){0,3}")
# "in Farchant", "between Farchant and Oberau", "near Pienza, Gracciano or Acquaviva"
_LOCATIVE_NAME = re.compile(_LOCATIVE + r"\s+(" + _NAME + r"(?:(?:,\s*|\s+(?:and|or)\s+)"
                            + _NAME + r"){0,4})")
# Capitalised words after "in"/"on" that are never the place meant.
_NOT_PLACES = {name_key(w) for w in (
    "January February March April May June July August September October November "
    "December Monday Tuesday Wednesday Thursday Friday Saturday Sunday Parliament Congress "
    "Court Police Army Government Senate Council Office Ministry Hospital University").split()}
_LEADING_VERB = re.compile(r"^[A-Z][a-z]+(?:ing|ed)\s+")  # "Capturing Homs" as one PERSON
_ACRONYM_AFTER = re.compile(r"\s*\(([A-Z][A-Za-z.&]{1,9})\)")
_SLUG = re.compile(r"[^a-z0-9]+")
_DIRECTION = re.compile(r"(?:(?:north|south|far|central)[\s-]?)?(?:(?:east|west)(?:ern)?|north|"
                        r"south|northern|southern|central)\s+(?=[A-Z])")


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
    dateline: bool = False  # a dateline's place ("KANO, Nov 21 (Meridian) -")


def entity_rows(article_id: str, text: str, spans: Iterable[tuple[int, int, str]],
                gazetteer: Gazetteer) -> tuple[list[dict], Optional[str]]:
    """Entity rows for an article and the article's main country (or None)."""
    mentions = [m for m in (_trim(text, s, e, label) for s, e, label in spans
                            if label in ENTITY_LABELS) if m]
    found = textlib.datelines(text)
    dateline = found[0] if found and found[0].place[0] < _LEAD_CHARS else textlib.Dateline(0)
    for line in found:
        for m in mentions:
            if line.agency and line.agency[0] <= m.start < line.agency[1]:
                m.label, m.fixed = "ORG", True  # "KANO, Nov 21 (Meridian) -": a news agency
        for span in (line.place, line.region):
            # The model often misses a dateline's place in capitals ("ODESA, Ukraine -")
            # or runs it into the agency ("NIAMEY (Meridian Wire"): the dateline says where.
            if span:
                mentions = [m for m in mentions if m.end <= span[0] or m.start >= span[1]]
                mentions.append(Mention(span[0], span[1], text[span[0]:span[1]], "GPE",
                                        dateline=True))
    mentions = _possessives_parted(mentions, gazetteer)
    mentions.sort(key=lambda m: m.start)
    mentions = _joined(mentions, text, gazetteer)
    _relabel_groups(mentions, text)
    _recover_places(mentions, text, gazetteer, dateline.place)
    _relabel_people(mentions, text, gazetteer)
    for m in mentions:
        if m.label in PLACE_LABELS and not m.fixed and not gazetteer.candidates(m.text) \
                and gazetteer.is_demonym(m.text):
            m.label = "NORP"  # "Ukrainian" tagged GPE
        if m.label == "NORP":
            m.country_code = gazetteer.country_of_demonym(m.text)
    _resolve_places(mentions, text, gazetteer, dateline.place)
    country = main_country(mentions, len(text), dateline.place)
    mentions = _with_roads(mentions, text, country)
    _place_sites(mentions)
    _canonicalise(mentions, text, gazetteer)
    rows = [_row(article_id, m) for m in mentions]
    return rows, country


# How far into a text the story's own dateline can stand: after a headline, a photo
# caption or a byline ("By A. Writer. BOSTON (Wire) - ...").
_LEAD_CHARS = 300


_GROUP_WORD = re.compile(r"[A-Z][a-z]+ites?")  # Alawite, Shiites, Maronite, Hashemite
_CAPITALS = re.compile(r"(?<![A-Za-z])[A-Z]")


def _relabel_groups(mentions: list[Mention], text: str) -> None:
    """Groups the model takes for people or places: a community word ending in -ite
    ("Alawite") is a NORP; a name the text also writes as an acronym of its capitals
    ("Hayat Tahrir al-Sham (HTS)", "... HTS fighters") is an ORG: people go by no
    acronym; initials the text gives an organisation ("the Ministry of Defence (MoD)")
    are that organisation wherever they come."""
    defined = {after.group(1) for m in mentions if m.label == "ORG"
               for after in [_ACRONYM_AFTER.match(text, m.end)] if after}
    for m in mentions:
        if m.label in PLACE_LABELS and not m.fixed and m.text in defined:
            m.label = "ORG"
    acronyms = set(re.findall(r"\b[A-Z]{3,6}\b", text))
    for m in mentions:
        if m.label != "PERSON" or m.fixed:
            continue
        if _GROUP_WORD.fullmatch(m.text):
            m.label = "NORP"
        elif " " in m.text:
            capitals = "".join(_CAPITALS.findall(m.text))
            if capitals in acronyms:
                m.label = "ORG"
                continue
            before = re.search(r"\b([A-Z])[a-z]+\s+$", text[max(0, m.start - 20):m.start])
            if before and before.group(1) + capitals in acronyms:
                m.label, m.start = "ORG", m.start - len(before.group())  # the model cut it
                m.text = text[m.start:m.end]


_POSSESSIVE = re.compile(r"(.+?)['’]s\s+(\S.*)")


def _possessives_parted(mentions: list[Mention], gazetteer: Gazetteer) -> list[Mention]:
    """A place's street or building the model ran into one mention is the place and the
    site: "Derry's Altnagelvin Hospital", "Harare's Third Street" (not "Allen's Sine Qua
    Non": a wine); a well-known place after an owner's name is that place: "GM's Bowling
    Green"."""
    parted = []
    for m in mentions:
        found = _POSSESSIVE.fullmatch(m.text) if not m.fixed else None
        if found:
            owner, thing = found.group(1), found.group(2)
            second = m.start + found.start(2)
            if gazetteer.is_well_known_place(owner, main_name=True) and _site_name(thing):
                parted += [Mention(m.start, m.start + len(owner), owner, "GPE"),
                           Mention(second, m.end, thing, m.label)]
                continue
            if gazetteer.is_well_known_place(thing, main_name=True):
                parted += [Mention(m.start, m.start + len(owner), owner, "ORG"),
                           Mention(second, m.end, thing, "GPE")]
                continue
        parted.append(m)
    return parted


def _joined(mentions: list[Mention], text: str, gazetteer: Gazetteer) -> list[Mention]:
    """A place's name the model cut in two ("Baja" + "California", "Boa" + "Vista") or
    short ("U.S." of "U.S. Virgin Islands") made whole again: neighbouring mentions, one
    of them a place, or a place and the capitalised words right after it, whose joined
    name is a country's, region's or town's own name."""
    def own_name(name: str) -> bool:
        return any(primary and p.kind in ("country", "admin1", "city")
                   for p, primary in gazetteer.candidates(name))

    joined: list[Mention] = []
    for m in mentions:
        last = joined[-1] if joined else None
        if last is not None and not last.fixed and not m.fixed and \
                PLACE_LABELS & {last.label, m.label} and \
                text[last.end:m.start] == " " and own_name(text[last.start:m.end]):
            joined[-1] = Mention(last.start, m.end, text[last.start:m.end], "GPE")
            continue
        joined.append(m)
    for m, after in zip(joined, joined[1:] + [None]):
        words = _WORDS_AFTER.match(text, m.end, after.start if after else len(text))
        if m.label in PLACE_LABELS and not m.fixed and words:
            for end in sorted((words.start() + w.end()
                               for w in re.finditer(r"\S+", words.group())), reverse=True):
                if own_name(text[m.start:end]):
                    m.end, m.text = end, text[m.start:end]
                    break
    return joined


_WORDS_AFTER = re.compile(r"(?: [A-Z][\w'’-]*){1,2}")


_SPEAKS_AFTER = re.compile(r"\s+(?:said|says|told|added|asked|explained|recalled)\b")
_SPEAKS_BEFORE = re.compile(r"\b(?:said|says|told|added|asked|explained|recalled)\s+$")
_KIN_BEFORE = re.compile(
    r"\b(?:wife|husband|son|daughter|brother|sister|mother|father|mum|mom|dad|grandson|"
    r"granddaughter|girlfriend|boyfriend|partner|fiancee?|fiancée|widow|friend|dog|cat|"
    r"puppy|lab|labrador|terrier|horse|pony)(?:,)?\s+$", re.IGNORECASE)


def _relabel_people(mentions: list[Mention], text: str, gazetteer: Gazetteer) -> None:
    """A one-word name the text uses for someone ("said Noma", "his wife, Julia", "his
    yellow lab, Levi") is that person (or pet) wherever it comes, unless it is a well-
    known place's own name ("Washington said" is the government) or a region's ("the
    government of Catanduanes asked")."""
    people = {name_key(m.text) for m in mentions
              if m.label in PLACE_LABELS and not m.fixed and " " not in m.text and (
                  _SPEAKS_BEFORE.search(text, max(0, m.start - 12), m.start) or
                  _KIN_BEFORE.search(text, max(0, m.start - 16), m.start) or (
                      _SPEAKS_AFTER.match(text, m.end) and  # not "doctors in Leeds said"
                      not _LOCATIVE_BEFORE.search(text, max(0, m.start - 40), m.start)))
              and not gazetteer.is_well_known_place(m.text, main_name=True)
              and all(p.kind == "city" for p, _ in gazetteer.candidates(m.text))}
    for m in mentions:
        if m.label in PLACE_LABELS and not m.fixed and name_key(m.text) in people:
            m.label = "PERSON"


def _trim(text: str, start: int, end: int, label: str) -> Optional[Mention]:
    """The mention without a leading 'the' or a trailing possessive."""
    span = text[start:end]
    lead = re.match(r"(?i)the\s+", span)
    if lead:
        start += lead.end()
    if label in PLACE_LABELS:  # "eastern Congo", "north-west Syria": the place is the name
        lead = _DIRECTION.match(text, start, end)
        if lead:
            start = lead.end()
    tail = _TRAILING_POSSESSIVE.search(text[start:end])
    if tail and end - start > len(tail.group()) + 1:
        end -= len(tail.group())
    span = text[start:end].strip()
    span = re.sub(r"\s+(?:and|or|&)$", "", span)  # "Bay and" before "Bakool"
    if label in PLACE_LABELS:  # "Kingston city council": the place is Kingston
        span = re.sub(r"\s+(?:city|town|village|county|district|(?i:province|state|"
                      r"governorate|region))$", "", span)  # "Mexico City" stays
    if not span or not any(c.isalpha() for c in span):
        return None
    return Mention(start, start + len(span), span, label)


def _recover_places(mentions: list[Mention], text: str, gazetteer: Gazetteer,
                    dateline: Optional[tuple[int, int]]) -> None:
    """Places the NER model labelled otherwise or missed, recovered through the gazetteer.

    A mention labelled ORG, PERSON or the like becomes a place when its name is a
    country, a region or a city of 50,000 or more, when the article tags the same name
    as a place elsewhere, or when it follows "in", "near", "from"... and names a place
    in one of the article's countries; names after such words that the model did not
    tag at all are added when they name such a local place ("in Farchant", "near Mahone
    Bay") or a well-known one ("in Manbij" in a story about British soldiers).
    """
    for m in mentions:
        lead = _LEADING_VERB.match(m.text)
        if lead and m.label in _RELABEL_FROM and not m.fixed and \
                gazetteer.is_well_known_place(m.text[lead.end():]):
            m.start += lead.end()
            m.text = m.text[lead.end():]
    _split_coordinated(mentions, text, gazetteer)
    tagged_places = {name_key(m.text) for m in mentions if m.label in PLACE_LABELS}
    person_words = {w for m in mentions if m.label == "PERSON" and " " in m.text
                    for w in name_key(m.text).split()}
    relabelled = [m for m in mentions if m.label in _RELABEL_FROM and not m.fixed and
                  name_key(m.text) not in person_words and  # "Jordan" after "Michael Jordan"
                  not (m.label == "NORP" and gazetteer.country_of_demonym(m.text))]
    for m in relabelled:
        if name_key(m.text) in tagged_places or gazetteer.is_well_known_place(m.text) or \
                _region_follows(m, text, gazetteer):
            m.label = "GPE"
    # the places found so far say which countries the story is in
    shares = _likely_shares(mentions, gazetteer, dateline)
    for m in relabelled:
        if m.label != "GPE" and _LOCATIVE_BEFORE.search(text[max(0, m.start - 40):m.start]) \
                and _local_place(m.text, gazetteer, shares):
            m.label = "GPE"
    # a name its context placed once ("In Klamath Falls, Oregon, ...") is that place where
    # it comes again
    placed = {name_key(m.text) for m in mentions if m.label in PLACE_LABELS} - person_words
    for m in mentions:
        if m.label in _RELABEL_FROM and not m.fixed and name_key(m.text) in placed and not (
                m.label == "NORP" and gazetteer.country_of_demonym(m.text)):
            m.label = "GPE"
    for name in {m.text for m in mentions if m.label in PLACE_LABELS and len(m.text) > 2}:
        for match in re.finditer(rf"\b{re.escape(name)}\b", text, re.IGNORECASE):
            if match.group()[:1].isupper() and not any(
                    m.start < match.end() and m.end > match.start() for m in mentions):
                mentions.append(Mention(match.start(), match.end(), match.group(), "GPE"))
    covered = [(m.start, m.end) for m in mentions]
    # "between Coggeshall and Marks Tey" with Marks Tey taken for a person
    mislabelled = {(m.start, m.end): m for m in relabelled if m.label != "GPE"}
    for match in _LOCATIVE_NAME.finditer(text):
        for name_match in re.finditer(_NAME, match.group(1)):
            base = match.start(1) + name_match.start()
            words = [w.span() for w in re.finditer(r"\S+", name_match.group())]
            first = 0
            while first < len(words):  # the longest place, then the rest: "Kano Kano State"
                for last in range(len(words) - 1, first - 1, -1):
                    start, end = base + words[first][0], base + words[last][1]
                    name = text[start:end]
                    taken = mislabelled.get((start, end))
                    if taken is not None and _local_place(name, gazetteer, shares):
                        taken.label = "GPE"
                        first = last
                        break
                    if not any(s < end and e > start for s, e in covered) and (
                            _local_place(name, gazetteer, shares) or (
                                name_key(name) not in _NOT_PLACES and
                                gazetteer.is_well_known_place(name, main_name=True))):
                        mentions.append(Mention(start, end, name, "GPE"))
                        covered.append((start, end))
                        first = last
                        break
                first += 1
    # "Ballater, Aberdeenshire": a name followed by the region of a place so called;
    # "Knockhill (ORG), Fife": the region or country written after a place, site or
    # organisation
    named = [(m.start, m.end, m.label) for m in mentions]
    named += [(*match.span(1), "") for match in _NAME_BEFORE_COMMA.finditer(text)]
    for start, end, label in named:
        region, around = _region_after(text, end, gazetteer)
        if not region:
            continue
        # not "..., No. 18" (Nord, Haiti): a region's short other name
        sure = any(primary for _, primary in around) or region[1] - region[0] >= 5
        taken = [m for m in mentions if (m.start, m.end) == region and m.label == "PERSON"
                 and not m.fixed]
        if taken and sure and label in PLACE_LABELS:
            taken[0].label = "GPE"  # "Beaulieu, Hampshire" with Hampshire taken for a person
            continue
        if any(s < region[1] and e > region[0] for s, e in covered):
            continue
        if label in PLACE_LABELS or label in ("ORG", "FAC"):
            if sure:
                mentions.append(Mention(*region, text[slice(*region)], "GPE"))
                covered.append(region)
        elif not label and not any(s < end and e > start for s, e in covered) and \
                name_key(text[start:end]) not in _NOT_PLACES | person_words and \
                _within(text[start:end], around, gazetteer):
            mentions.append(Mention(start, end, text[start:end], "GPE"))
            mentions.append(Mention(*region, text[slice(*region)], "GPE"))
            covered += [(start, end), region]
    mentions.sort(key=lambda m: m.start)


_NAME_BEFORE_COMMA = re.compile(r"(?<![\w'’-])(" + _NAME + "),")
_REGION_AFTER = re.compile(r",\s*([A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)")


def _region_follows(m: Mention, text: str, gazetteer: Gazetteer) -> bool:
    """"Klamath Falls, Oregon", "Castlegar, B.C.": a name followed by the region or
    country of a place so called is that place."""
    return _within(m.text, _region_after(text, m.end, gazetteer)[1], gazetteer)


def _region_after(text: str, end: int, gazetteer: Gazetteer) -> tuple[Optional[tuple], list]:
    """The region or country written right after a name (", Oregon", ", B.C.", ", Fife"):
    its span and the places it may be, with whether it is their main name."""
    after = _REGION_AFTER.match(text, end)
    if not after:
        return None, []
    words = after.group(1).split()
    for size in range(len(words), 0, -1):
        name = " ".join(words[:size])
        around = [(p, primary) for p, primary in gazetteer.candidates(name)
                  if p.kind in ("admin1", "admin2", "country")]
        if name.endswith(".") and (len(name) > 6 or any(
                name_key(p.name) == name_key(name) for p, _ in around)):
            # "..., Fife.", "..., Cheshire." end a sentence; "Calif." is the name (the
            # abbreviations are of five letters at most)
            name = name[:-1]
        if around:
            return (after.start(1), after.start(1) + len(name)), around
    return None, []


def _within(name: str, around: list[tuple[Place, bool]], gazetteer: Gazetteer) -> bool:
    """Whether a place so called lies in one of these regions or countries."""
    return any(p.admin1_code == r.admin1_code if r.kind != "country" else
               p.country_code == r.country_code
               for p, _ in gazetteer.candidates(name) for r, _ in around)


def _local_place(name: str, gazetteer: Gazetteer, shares: dict[str, float]) -> bool:
    return name_key(name) not in _NOT_PLACES and any(
        place.kind != "country" and shares.get(place.country_code, 0.0) >= 0.3
        for place, _ in gazetteer.candidates(name))


def _split_coordinated(mentions: list[Mention], text: str, gazetteer: Gazetteer) -> None:
    """"Pienza and Chianciano Terme" tagged as one ORG: two places; "Greece Italy" (a
    list the model ran together) as one GPE: two countries; "Donington Park,
    Leicestershire" as one FAC: the facility, and the region it is in."""
    for m in list(mentions):
        parts = re.split(r"\s+(?:and|or|y|et|e|und)\s+|,\s*", m.text)
        if len(parts) < 2 and m.label in PLACE_LABELS and not gazetteer.candidates(m.text):
            parts = _countries_run(m.text, gazetteer)
        if len(parts) < 2 or not all(gazetteer.candidates(p) for p in parts):
            comma = m.text.rfind(",")
            region = _region_after(text, m.start + comma, gazetteer)[0] if comma > 0 else None
            if region and region[1] == m.end:
                m.end = m.start + len(m.text[:comma].rstrip())
                m.text = text[m.start:m.end]
                mentions.append(Mention(*region, text[slice(*region)], "GPE"))
            continue
        mentions.remove(m)
        offset = m.start
        for part in parts:
            start = text.index(part, offset)
            mentions.append(Mention(start, start + len(part), part, "GPE"))
            offset = start + len(part)


def _countries_run(name: str, gazetteer: Gazetteer) -> list[str]:
    """"Greece Italy", "Sri Lanka India", "Asia-Pacific": the names of countries (or,
    joined by a hyphen, of continents and larger regions too) a name is made of, longest
    first; [name] when it is not made of them ("South Venezuela")."""
    joined = name.split("-")
    if len(joined) > 1 and all(any(primary and p.kind in ("country", "continent", "region")
                                   for p, primary in gazetteer.candidates(part))
                               for part in joined):
        return joined
    words, parts = name.split(" "), []
    while words:
        size = next((n for n in range(len(words), 0, -1) if any(
            primary and p.kind == "country"
            for p, primary in gazetteer.candidates(" ".join(words[:n])))), 0)
        if not size:
            return [name]
        parts.append(" ".join(words[:size]))
        words = words[size:]
    return parts


def _evidence(mentions: list[Mention], gazetteer: Gazetteer,
              dateline: Optional[tuple[int, int]]) -> collections.Counter:
    """Country votes that need no choice: the dateline, countries named, places whose
    every candidate lies in one country, nationalities."""
    votes: collections.Counter = collections.Counter()
    for m in mentions:
        if m.label in PLACE_LABELS:
            options = gazetteer.candidates(m.text)
            weight = 2.0 if dateline and m.start == dateline[0] else 1.0
            countries = {p.country_code for p, _ in options if p.country_code}
            if len(countries) == 1:
                votes[next(iter(countries))] += weight
            else:
                for p, _ in options:
                    if p.kind == "country":
                        votes[p.country_code] += weight
        elif m.label == "NORP":
            code = gazetteer.country_of_demonym(m.text)
            if code:
                votes[code] += 0.5
    return votes


def _likely_shares(mentions: list[Mention], gazetteer: Gazetteer,
                   dateline: Optional[tuple[int, int]]) -> dict[str, float]:
    """The article's countries before its places are resolved: the evidence that needs
    no choice, and for each place whose name several countries have, half a vote shared
    among them by the size of their largest place so called ("Gloucester" and
    "Cheltenham": mostly England, though Canada and Massachusetts have a Gloucester too),
    so that "to Cirencester" is found in a story whose places all have namesakes abroad."""
    votes = _evidence(mentions, gazetteer, dateline)
    for m in mentions:
        if m.label in PLACE_LABELS:
            options = gazetteer.candidates(m.text)
            largest: dict[str, int] = {}
            for p, _ in options:  # a region ("England") counts as a city of a million
                size = p.population if p.kind == "city" else max(p.population, 1_000_000)
                largest[p.country_code] = max(largest.get(p.country_code, 0), size)
            total = sum(largest.values())
            if len(largest) > 1 and total and not any(p.kind == "country" for p, _ in options):
                for code, population in largest.items():
                    if code:
                        votes[code] += 0.5 * population / total
    return _shares(votes)


def _resolve_places(mentions: list[Mention], text: str, gazetteer: Gazetteer,
                    dateline: Optional[tuple[int, int]]) -> None:
    """Each place mention resolved among the places its name may mean.

    A first reading uses the evidence that needs no choice: countries named, places
    whose every candidate lies in one country, the dateline, nationalities. A second
    reading adds what the first chose: the countries and regions of the article's
    places, and their coordinates, so that places near each other win ("Tripoli" next
    to "Benghazi" is in Libya, "Paris" in a story about Texas is Paris, Texas). Words
    around a name say what kind of place it is (`_fitting`).
    """
    places = [m for m in mentions if m.label in PLACE_LABELS]
    found = {id(m): gazetteer.candidates(m.text) for m in places}
    wanted = {id(m): _kind_named(text, m) for m in places}
    votes = _evidence(mentions, gazetteer, dateline)
    anchors = [_point(options[0][0]) for options in found.values()
               if len(options) == 1 and _point(options[0][0])]
    # regions the article names ("Texas") or holds a place of that has no namesake
    named = {p.admin1_code for options in found.values() for p, _ in options
             if p.admin1_code and (p.kind == "admin1" or len(options) == 1)}
    # the region or country written right after a name: "Florida, N.Y.", "Perth, Scotland"
    beside = {id(m): {p.admin1_code if p.kind == "admin1" else p.country_code
                      for p, _ in found[id(n)] if p.kind in ("admin1", "country")}
              for m, n in zip(places, places[1:]) if re.fullmatch(r",\s*", text[m.end:n.start])}
    # ... and surely so, not the next of a list ("Saipan, Guam, Alaska", "Miami, West Palm
    # Beach, New York, and Detroit")
    alone = {id(m) for before, m, n, after in zip([None, *places], places, places[1:],
                                                  [*places[2:], None])
             if id(m) in beside and not (before and _LIST_GAP.fullmatch(text[before.end:m.start]))
             and not (after and _LIST_GAP.fullmatch(text[n.end:after.start]))}
    for _ in range(2):
        shares = _shares(votes)
        regions = {m.place.admin1_code for m in places
                   if m.place is not None and m.place.kind == "admin1"}
        around = collections.Counter(m.place.admin1_code for m in places
                                     if m.place is not None and m.place.admin1_code)
        for m in places:
            own = _point(m.place) if m.place is not None else None
            points = [a for a in anchors if a != own]
            others = around - collections.Counter(
                [m.place.admin1_code] if m.place is not None and m.place.admin1_code else [])
            options = _fitting(found[id(m)], wanted[id(m)], m.label, shares, points,
                               named | set(others), beside.get(id(m), set()), id(m) in alone)
            best = max(options, key=lambda c: score(c[0], c[1], shares, regions, points),
                       default=None)
            m.place = _plausible(best, shares, m)
            m.country_code = (m.place.country_code or None) if m.place else None
        votes = collections.Counter()
        anchors = []
        for m in places:
            if m.country_code and not _compass_named(m.place):  # it follows, never leads
                votes[m.country_code] += 2.0 if dateline and m.start == dateline[0] \
                    else 1.0
            if m.place is not None and _point(m.place):
                anchors.append(_point(m.place))
        for m in mentions:
            if m.label == "NORP" and m.country_code:
                votes[m.country_code] += 0.5
    _one_sense(places, wanted, beside)


_LIST_GAP = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+")


def _one_sense(places: list[Mention], wanted: dict[int, Optional[str]],
               beside: dict[int, set]) -> None:
    """A name keeps one meaning in an article: the one its mention with a kind word
    ("Para state", "central Washington") chose, unless a mention says otherwise itself
    ("Washington, D.C.")."""
    chosen = {name_key(m.text): m.place for m in places
              if wanted[id(m)] in ("admin1", "city", "area") and m.place is not None}
    for m in places:
        place = chosen.get(name_key(m.text))
        if place is not None and not wanted[id(m)] and not beside.get(id(m)):
            m.place, m.country_code = place, place.country_code or None


# The last word of a street's, building's or venue's name (one of two words or more:
# "Park" alone is as often a person). Not "Parade" (an event) nor "Square" (towns).
_SITE_WORDS = frozenset(name_key(w) for w in (
    "Street St Avenue Ave Road Rd Drive Boulevard Blvd Lane Highway Bridge Canal "
    "Hospital Infirmary Clinic Church Cathedral Basilica Chapel Mosque Temple Synagogue "
    "Abbey Stadium Arena Racecourse Circuit Airport Airfield Prison Jail Penitentiary "
    "Theatre Theater Hall Palace Castle Library Mall Market Campus Estate Museum Gallery "
    "Cemetery Park Centre Center Tower Plantation "
    "River Island Lagoon Mountains Valley Gardens Township").split())
# ... or its first word: "Rue Casa Calvo", "Lake Manassas", "Mount Chaambi"
_SITE_FIRST_WORDS = frozenset(name_key(w) for w in (
    "Rue Hotel Mount Lake Cape Barangay Palais Fort Calle Avenida Rua Via Viale Piazza Plaza "
    "Praça Place Boulevard Autopista Carretera").split())
# a denomination, not a building: "the Catholic Church"
_CHURCHES = re.compile(r"(?i)(?:Roman\s+)?(?:Catholic|Orthodox|Anglican|Methodist|Baptist|"
                       r"Lutheran|Evangelical|Protestant|Presbyterian|Coptic)\s+Church")


def _site_name(name: str) -> bool:
    words = name_key(name).split()
    return len(words) >= 2 and (words[-1] in _SITE_WORDS or words[0] in _SITE_FIRST_WORDS) \
        and not _CHURCHES.fullmatch(name)


def _is_site(m: Mention) -> bool:
    return m.place is None and (m.label in PLACE_LABELS | {"ORG", "PERSON"} and
                                _site_name(m.text) or m.label == "FAC" and
                                _ROAD_NUMBER.fullmatch(m.text) is not None)


# British and Irish roads by their numbers: "the A417", "the M25", "the N7"
_ROAD_NUMBER = re.compile(r"[ABMNR]\d{1,4}(?:\(M\))?")
_ROAD_AFTER_THE = re.compile(r"\bthe\s+([ABM]\d{1,4}(?:\(M\))?|[NR]\d{1,3})\b")
_ROAD_COUNTRIES = {"GB": "ABM", "IE": "MNR"}


def _with_roads(mentions: list[Mention], text: str, country: Optional[str]) -> list[Mention]:
    """Roads a British or Irish story names by number ("the A417"), which the model
    tags as products or misses, as sites (placed at their town like streets)."""
    letters = _ROAD_COUNTRIES.get(country or "")
    if not letters:
        return mentions
    found = []
    for match in _ROAD_AFTER_THE.finditer(text):
        if match.group(1)[0] not in letters:
            continue
        start, end = match.span(1)
        inside = [m for m in mentions if m.start < end and m.end > start]
        if not inside:
            found.append(Mention(start, end, match.group(1), "FAC"))
    for m in mentions:
        if m.place is None and _ROAD_NUMBER.fullmatch(m.text) and m.text[0] in letters:
            m.label = "FAC"
    return sorted(mentions + found, key=lambda m: m.start)


def _place_sites(mentions: list[Mention]) -> None:
    """Streets, buildings and venues ("Royal Street", "Alder Hey Children's Hospital")
    are in no gazetteer; they take the point, country and region of the town the text
    names nearest to them (place_kind "site"), which is where an analyst maps them.
    Measured on real news, the nearest town is right far more often than the story's
    most named or first one."""
    towns = [m for m in mentions if m.place is not None and m.place.kind in ("city", "admin2")]
    for m in mentions:
        if not towns or not _is_site(m):
            continue
        town = min(towns, key=lambda t: max(t.start - m.end, m.start - t.end)).place
        m.label = "FAC"
        m.place = dataclasses.replace(town, name=m.text, kind="site")
        m.country_code = town.country_code or None


def _point(place: Place) -> Optional[tuple[float, float]]:
    """Where a city or region is, for its neighbours; a country's or continent's point
    says nothing about which town is meant."""
    if place.kind in ("city", "admin1", "admin2") and place.latitude is not None:
        return place.latitude, place.longitude
    return None


# administrative words only: "the territory of Georgia", "the region of Kurdistan" name
# countries and informal regions as often
_REGION_WORDS = r"(?:state|province|governorate|oblast|prefecture|emirate|county|department)"
_CITY_WORDS = r"(?:city|town|village|municipality)"
_LOCALITY_WORDS = r"(?:neighbou?rhood|district|suburb|quarter|borough)"


# "central Washington", "eastern Congo", "north-west Syria": a part of a larger area
_COMPASS_BEFORE = re.compile(r"\b(?:(?:north|south)[\s-]?)?(?:east|west)(?:ern)?[\s-]+$|"
                             r"\b(?:north|south|northern|southern|central)[\s-]+$")
_AREA_KINDS = ("country", "admin1", "admin2", "region", "continent")


def _kind_named(text: str, m: Mention) -> Optional[str]:
    """"Pará state", "Oaxaca State", "the province of Sinaloa" -> admin1; "the city of
    Hama", "Hama city" -> city ("Oklahoma City", "Mexico City" are names); "the Bywater
    neighbourhood" -> locality (a part of a town named nearby); "central Washington" ->
    area (a country or region rather than a town so called)."""
    before = text[max(0, m.start - 30):m.start]
    after = text[m.end:m.end + 25]
    if _COMPASS_BEFORE.search(before):
        return "area"
    for kind, words, flags in (("admin1", _REGION_WORDS, re.IGNORECASE),
                               ("city", _CITY_WORDS, 0), ("locality", _LOCALITY_WORDS, 0)):
        if re.match(rf"[\s-]+{words}s?\b", after, flags) or \
                re.search(rf"\b{words}\s+of\s+(?:the\s+)?$", before):  # not "Minister of State of"
            return kind
    return None


def _fitting(options: list, wanted: Optional[str], label: str, shares: dict[str, float],
             points: list, regions: set, beside: set, beside_alone: bool) -> list:
    """The candidates of the kind the text names, when any is; a locality only near
    the article's other places. A town under 100,000 sharing its name with a far larger
    place ("London", Kentucky) only when the article names its region or another place
    in it; sharing it with a country or region ("Florida", New York) only when its
    region follows it ("Florida, N.Y."); for a LOC (a region, sea or range in the
    model's terms) a town only in a region named or in the article's countries; a name
    that only towns have, followed by a region or country, only a town in it."""
    if wanted == "locality":
        return [c for c in options if c[0].kind == "city" and any(
            distance_km(c[0].latitude, c[0].longitude, lat, lon) <= 50
            for lat, lon in points)]
    if beside and all(p.kind == "city" for p, _ in options):
        # "Yorkshire, England": only a town in the region or country written after it
        within = [(p, primary) for p, primary in options
                  if p.admin1_code in beside or p.country_code in beside]
        if within or beside_alone:
            return within
    if wanted == "area" and _named_after_its_city(options):
        wanted = None  # "central Belgrade": the city, not the region named after it
    if wanted:
        of_kind = [c for c in options if c[0].kind == wanted or
                   (wanted == "admin1" and c[0].kind == "admin2") or
                   (wanted == "area" and c[0].kind in _AREA_KINDS)]
        if of_kind:
            return of_kind
    options = [(p, primary) for p, primary in options if not (
        p.kind == "city" and p.admin1_code not in regions and
        _outweighed_abroad(p, primary, options, shares) and
        not (primary and _near(p, points, 300)))]
    if any(primary and p.kind in ("country", "admin1") for p, primary in options):
        return [(p, primary) for p, primary in options
                if p.kind != "city" or p.population >= 100_000 or not primary
                or p.admin1_code in beside]  # the gazetteer weighed other names
    largest = max((p.population for p, primary in options if primary), default=0)
    return [(p, primary) for p, primary in options
            if p.kind != "city" or p.population >= 100_000 or p.admin1_code in regions
            or _home_town(p, options, shares)
            or (shares.get(p.country_code, 0.0) >= 0.3 if label == "LOC"
                else 10 * p.population >= largest)]


def _named_after_its_city(options: list) -> bool:
    """Whether a region so called is named after a large city of the name within it."""
    cities = [p for p, primary in options if primary and p.kind == "city" and
              p.population >= 100_000]
    return any(r.kind in ("admin1", "admin2") and r.latitude is not None and
               _near(r, [(c.latitude, c.longitude) for c in cities], 100)
               for r, _ in options)


def _near(place: Place, points: list, km: float) -> bool:
    return any(distance_km(place.latitude, place.longitude, lat, lon) <= km
               for lat, lon in points)


def _namesakes_abroad(place: Place, options: list) -> list[Place]:
    return [p for p, primary in options if primary and p.kind == "city" and
            p.country_code != place.country_code]


def _home_town(place: Place, options: list, shares: dict[str, float]) -> bool:
    """A town of the country the story is mostly in ("Newport" in a story about County
    Mayo), when the story gives no sign of a larger namesake's country."""
    return shares.get(place.country_code, 0.0) >= 0.6 and all(
        shares.get(p.country_code, 0.0) < 0.1 and p.population < _WORLD_CITY
        for p in _namesakes_abroad(place, options) if p.population > place.population)


# A city of a million is known by its name the world over: "London-based" in a story
# from Kentucky is London, England.
_WORLD_CITY = 1_000_000


def _outweighed_abroad(place: Place, primary: bool, options: list,
                       shares: dict[str, float]) -> bool:
    """A town with a namesake abroad three times its size (or any larger one, when the
    name is only one of the town's other names), in a story not mostly in its own
    country: the namesake is meant unless the caller knows the town's region named or
    a place near it ("Manchester" in a story about a British soldier killed beside an
    American one from Texas)."""
    factor = 3 if primary else 1
    return shares.get(place.country_code, 0.0) < 0.6 and any(
        p.population >= factor * place.population
        for p in _namesakes_abroad(place, options))


_COMPASS = {name_key(w) for w in (
    "north south east west northern southern eastern western central centre center "
    "middle upper lower northeast northwest southeast southwest northeastern "
    "northwestern southeastern southwestern").split()}


# "MoD", "DBS": an organisation's initials, not a town's other name
_ACRONYM = re.compile(r"[A-Z][A-Za-z]?[A-Z][A-Z]?\.?")
_CAPITALS_NAME = re.compile(r"[A-Z]{2,5}")


def _plausible(best, shares: dict[str, float], mention: Mention) -> Optional[Place]:
    """The chosen place, unless it lies abroad and is a small place known only by an
    alternate name (likelier a local name the gazetteer lacks), a village abroad in a
    story mostly in one other country (likelier a place of that country the gazetteer
    lacks), a small town known by an
    alternate name that is written as initials (an organisation's: "the MoD" is no Maud,
    Texas), or a place named only by compass words ("South West", "Centre"): every
    country has regions so called, and the article's own one is meant. A short name in
    capitals outside a dateline is an organisation's, a ship's or an airport's ("OAS",
    "HMS", "GRU"), unless a country, a first-level region or a city of a million ("UAE",
    "NSW", "NYC")."""
    if best is None:
        return None
    place, primary = best
    if place.kind == "city" and not primary and place.population < 100_000 and \
            _ACRONYM.fullmatch(mention.text):
        return None
    if _CAPITALS_NAME.fullmatch(mention.text) and not mention.dateline and (
            place.kind == "admin2" or place.kind == "city" and place.population < 1_000_000):
        return None
    abroad = shares.get(place.country_code, 0.0) < 0.1
    if shares and abroad and place.kind == "city" and not primary and \
            place.population < 100_000:
        return None
    if abroad and place.kind == "city" and place.population < 10_000 and \
            max(shares.values(), default=0.0) >= 0.6:
        return None  # "Croft, Yorkshire" in an English story: no village in Virginia
    if abroad and place.kind != "region" and _compass_named(place):
        return None
    return place


def _compass_named(place: Place) -> bool:
    return set(name_key(place.name).split()) <= _COMPASS


def _shares(votes: collections.Counter) -> dict[str, float]:
    total = sum(votes.values())
    return {code: n / total for code, n in votes.items()} if total else {}


def main_country(mentions: list[Mention], text_length: int,
                 dateline: Optional[tuple[int, int]] = None) -> Optional[str]:
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
        if dateline and m.start == dateline[0]:
            lead_bonus = 6.0
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
    if m.place is not None and m.place.kind == "site":
        slug = _SLUG.sub("-", name_key(m.text)).strip("-")
        return f"site:{m.place.geonames_id}:{slug}"
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
        place_kind=place.kind if place else None,
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
