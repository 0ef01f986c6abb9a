"""What countryinfo knows of countries: adjectives of place ("Russian", "Syrian", "European",
"Crimean") and the places they name, and each country's geographic centre.

News text refers to a country through its adjective as often as through its name ("Russian
troops", "a Turkish court"). The country adjectives come from countryinfo (one per country);
a short curated file adds the common forms it lacks; regions and continents whose name ends
in -a take the regular -an form ("Crimea" -> "Crimean", "Asia" -> "Asian"). Plural nouns
("Russians") name people, not places: the index holds only the adjective, and the resolver
maps a plural it is handed to its singular.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path

from countryinfo import all_countries

from store.settings import resources_dir

CURATED = resources_dir() / "places" / "demonyms.csv"


def country_adjectives() -> Iterator[tuple[str, str]]:
    """(adjective, ISO 3166-1 alpha-2) pairs from countryinfo and the curated file."""
    for country in all_countries():
        adjective, iso = country.demonym(), country.iso(2)
        if not adjective or not iso:
            continue
        for form in adjective.replace("/", ",").split(","):
            if form.strip():
                yield form.strip(), iso.upper()
    yield from curated(CURATED)


def curated(path: Path) -> Iterator[tuple[str, str]]:
    with path.open(encoding="utf-8") as f:
        for row in csv.DictReader(f):
            yield row["adjective"].strip(), row["place"].strip()


def regular_adjective(name: str) -> str | None:
    """ "Crimea" -> "Crimean", "Southeast Asia" -> "Southeast Asian"; None where English has
    no regular form."""
    words = name.split()
    if len(name) > 3 and name.endswith("a") and all(w[:1].isupper() for w in words):
        return name.strip() + "n"  # "South Ossetia" -> "South Ossetian", not "Horn of African"
    return None


def factbook_centres() -> dict[str, tuple[float, float]]:
    """ISO 3166-1 alpha-2 -> (lat, lon): the World Factbook's geographic coordinates."""
    centres = {}
    for country in all_countries():
        try:
            iso, latlng = country.iso(2), country.latlng()
        except (KeyError, TypeError):
            continue
        if iso and latlng and len(latlng) == 2:
            centres[iso.upper()] = (float(latlng[0]), float(latlng[1]))
    return centres
