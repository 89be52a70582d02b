"""Jurisdictions as contracts and mandates name them: "English law", "the laws of England and Wales",
"the State of New York", an option id ``irish_law``: all reduced to one canonical place.

Governing law, jurisdiction and territory terms are choices among places; a mandate's
option id and a contract's wording meet here, so "English law" in a contract matches the
mandate option ``england_and_wales`` (or ``england``, or ``english_law``).
"""

from __future__ import annotations

import re

#: canonical place -> how contracts and mandates write it (matched case-insensitively on word boundaries)
PLACES: dict[str, str] = {
    "england and wales": r"england(?:\s*(?:and|&)\s*wales)?|english|the united kingdom|united kingdom|\bu\.?k\.?\b|great britain|britain|british",
    "scotland": r"scotland|scottish|scots",
    "northern ireland": r"northern ireland",
    "ireland": r"republic of ireland|ireland|irish",
    "new york": r"new york|\bn\.?y\.?\b",
    "delaware": r"delaware",
    "california": r"california|californian",
    "texas": r"texas",
    "washington": r"washington",
    "massachusetts": r"massachusetts",
    "illinois": r"illinois",
    "nevada": r"nevada",
    "florida": r"florida",
    "colorado": r"colorado",
    "netherlands": r"the netherlands|netherlands|dutch|holland",
    "germany": r"germany|german|federal republic of germany",
    "france": r"france|french",
    "switzerland": r"switzerland|swiss",
    "belgium": r"belgium|belgian",
    "luxembourg": r"luxembourg",
    "spain": r"spain|spanish",
    "italy": r"italy|italian",
    "sweden": r"sweden|swedish",
    "denmark": r"denmark|danish",
    "finland": r"finland|finnish",
    "norway": r"norway|norwegian",
    "austria": r"austria|austrian",
    "singapore": r"singapore",
    "hong kong": r"hong kong",
    "china": r"people'?s republic of china|\bprc\b|china|chinese",
    "japan": r"japan|japanese",
    "korea": r"republic of korea|south korea|korea|korean",
    "india": r"india|indian",
    "canada": r"canada|canadian",
    "ontario": r"ontario",
    "british columbia": r"british columbia",
    "quebec": r"qu[eé]bec",
    "australia": r"australia|australian",
    "new south wales": r"new south wales",
    "victoria": r"victoria",
    "new zealand": r"new zealand",
    "israel": r"israel|israeli",
    "brazil": r"brazil|brazilian",
    "south africa": r"south africa",
    "united states": r"the united states(?: of america)?|united states|\bu\.?s\.?a?\.?\b|federal law",
    "european union": r"the european union|european union|\beu\b|european economic area|\beea\b",
    "worldwide": r"world-?wide|throughout the world|global(?:ly)?|all countries|the universe",
}
_COMPILED = {p: re.compile(r"(?<![\w-])(?:" + PLACES[p].replace(" ", r"\s+") + r")(?![\w-])", re.I) for p in PLACES}
_SPECIFIC_FIRST = ["new south wales", "northern ireland", "british columbia", "new york", "new zealand", "south africa", "hong kong", "england and wales", *PLACES]


#: places inside a country: "the laws of the Province of Ontario and the federal laws of Canada
#: applicable therein" is Ontario law, not a second, conflicting law
PARENT: dict[str, str] = {
    **{p: "united states" for p in ("new york", "delaware", "california", "texas", "washington", "massachusetts", "illinois", "nevada", "florida", "colorado")},
    **{p: "canada" for p in ("ontario", "british columbia", "quebec")},
    **{p: "australia" for p in ("new south wales", "victoria")},
    **{p: "united kingdom" for p in ("england and wales", "scotland", "northern ireland")},
}


def most_specific(places: list[str]) -> list[str]:
    """Drop a country named beside a place inside it."""
    return [p for p in places if not any(PARENT.get(q) == p for q in places)]


def canonical(words: str) -> str | None:
    """The one place ``words`` names (an option id's words, or a contract's "laws of ..."), or None."""
    text = words.replace("_", " ").strip()
    for place in dict.fromkeys(_SPECIFIC_FIRST):
        if _COMPILED[place].search(text):
            return place
    return None


def places_in(text: str) -> list[tuple[str, int, int]]:
    """Every place named in ``text``: (canonical place, start, end), specific names winning over parts of them."""
    found: list[tuple[str, int, int]] = []
    for place in dict.fromkeys(_SPECIFIC_FIRST):
        for m in _COMPILED[place].finditer(text):
            if any(s < m.end() and m.start() < e for _, s, e in found):
                continue
            found.append((place, m.start(), m.end()))
    return sorted(found, key=lambda f: f[1])


def display(place: str) -> str:
    return {"england and wales": "England and Wales", "united states": "the United States", "european union": "the European Union"}.get(place, place.title())
