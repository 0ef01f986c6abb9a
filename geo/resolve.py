"""Toponym disambiguation: which of a name's gazetteer candidates the document means.

A pure function of the text and its toponyms. Every surface name starts at its best prior
(kind and population); then, over a few rounds, each name's candidates are re-scored against
the places the rest of the document resolves to: candidates in countries the document
mentions, near its other places, inside regions that contain them, and inside an explicit
container ("Springfield, Illinois", "Berth 33 (Russian naval base in Vladivostok)", "Russia's
Vladivostok") win. One sense per document: every occurrence of a name gets the same place,
unless an occurrence names its own container. A facility the gazetteer lacks stands at its
container, marked approximate.
"""

from __future__ import annotations

import logging
import math
import re
from dataclasses import dataclass, field, replace

from geo.gazetteer import Candidate, Gazetteer, contains, haversine_km
from geo.geocoders import CachedGeocoder
from geo.normalise import normalise, strip_possessive
from geo.outlets import Home
from geo.resolve_context import DocumentContext
from geo.resolve_cues import list_chains, names_a_state, without_state_suffix
from geo.resolve_support import LOCAL_FULL, local_support
from store.models import Mention, Place

log = logging.getLogger(__name__)

# Weights, in the priors' log10-of-population units.
COUNTRY_WEIGHT = 2.5  # the candidate's country is mentioned (or implied by another place)
NEAR_WEIGHT = 2.0  # the candidate is near another place of the document
NEAR_KM = 250.0  # ... decaying as exp(-distance / NEAR_KM)
HOLDS_CONTEXT_WEIGHT = 2.5  # a region candidate contains another place of the document
REGION_WEIGHT = 1.5  # the candidate lies in a region the document names ("London ... Ky.")
CONTAINER_WEIGHT = 6.0  # "X in Y", "X, Y", "Y's X": X's candidate lies in Y's sense
HOLDS_WEIGHT = 3.0  # ... and Y's candidate contains X's sense
ROUNDS = 4
MIN_CONFIDENCE = 0.15  # below this a toponym stays unresolved ("Western" is no place)
CODE_FACTOR = 0.4  # an upper-case code match ("CIA") is rarely an airport in news text
SMALL_PRIOR = 4.5  # below this (about 30,000 people) a name inside a facility's name needs support
_AREAS = ("country", "continent")
MAX_CANDIDATES = 25
LOCAL_WEIGHT = 1.5  # other names that may be a place close by (resolve_support) count this
ALTERNATE_BEHIND_OWN = 1.5  # extra prior an alternate name costs beside an own name
ADJECTIVE_OVER_PRIOR = 5.0  # a place of 100,000 people is meant by its name, not an adjective
HOME_WEIGHT = 5.0  # the candidate lies where the document's outlet usually reports...
HOME_KM = 100.0  # ... decaying as exp(-distance / HOME_KM)
SIBLING_WEIGHT = 2.5  # a list's members are alike: of the kind and country of the others
_SIBLING_KINDS = ("country", "region")

FACILITY = re.compile(
    r"\b(universit(y|ies)|academy|institute|college|school|bases?|air ?base|cosmodrome|"
    r"spaceport|launch (site|centre|center|pad)|(sea)?port|harbou?r|airport|airfield|"
    r"aerodrome|berth|pier|dock|wharf|quay|shipyard|terminal|plant|factory|works|refinery|"
    r"mine|station|reactor|embassy|consulate|palace|hospital|prison|camp|cent(er|re)|complex|"
    r"site|range|depot|arsenal|headquarters|building|bridge|dam|stadium|hotel|square|ministry|"
    r"garrison|barracks|facility|laboratory|observatory)\b", re.IGNORECASE)
NUMBERED = re.compile(
    r"\b(berth|pier|dock|gate|terminal|hangar|pad|building|platform|quay|hall|block|unit)"
    r"\s+(no\.?\s*)?\d+\w*\b", re.IGNORECASE)
# Between a toponym and its container: "X, Y", "X in Y", "X, a port city in Y", "X (... in Y".
_KIND_OF = (
    r"(?:(?:city|town|port|village|region|province|oblast|republic|state|island|bay)\s+of\s+)?")
_CONTAINER_GAP = re.compile(
    r"^\s*,\s*$"
    r"|^\s*,?\s*(?:(?:located|situated|based)\s+)?(?:in|near|at|outside|outside of)\s+(?:the\s+)?"
    + _KIND_OF + r"$"
    r"|^\s*\(\s*[^()\n]{0,50}?\b(?:in|near|at|outside|of)\s+(?:the\s+)?" + _KIND_OF + r"$"
    r"|^\s*,\s*(?:the|a|an)\s+(?:[\w-]+\s+){0,3}(?:of|in)\s+(?:the\s+)?$",
    re.IGNORECASE)
_CONTAINER_BEFORE = re.compile(r"^[’']s\s+$")  # "Russia's Vladivostok"
_DIRECTION = re.compile(
    r"^(?:(?:north|south)(?:-?(?:east|west))?(?:ern)?|east(?:ern)?|west(?:ern)?|central|"
    r"northern|southern)\s+(?=\S)", re.IGNORECASE)

_INCORPORATED = re.compile(
    r"[ \t]+(?:limited[ -]liability[ \t]+company|limited[ \t]+partnership|corporation|"
    r"statutory[ \t]+trust|general[ \t]+partnership|LLC|L\.L\.C\.|LP)\b")
# What follows a place's short form in its own name: Newcastle upon Tyne, Frankfurt am Main.
_SHORT_FORM = re.compile(r"(?:upon|on|under|am|an der|sur|en|by) |city$")


ADJECTIVE = "ADJ"


@dataclass(frozen=True)
class Toponym:
    start: int  # character offsets into the document text
    end: int
    text: str
    label: str = "GPE"  # GPE, LOC, FAC, GAZ (the gazetteer matcher), ADJ ("Russian")
    lookup: str = ""  # the name to look up instead of the text: "NSW" defined as New South Wales


@dataclass
class _Slot:
    """One toponym while it is being resolved."""

    toponym: Toponym
    surface: str
    candidates: list[Candidate]
    group: str = ""
    note: str = ""
    container: int | None = None  # index of the toponym naming the place that contains this one
    holds: list[int] = field(default_factory=list)  # toponyms this one contains
    siblings: list[int] = field(default_factory=list)  # the other members of its list
    sense: Candidate | None = None
    confidence: float = 0.0
    reason: str = ""


def resolve_toponyms(text: str, toponyms: list[Toponym], gazetteer: Gazetteer,
                     geocoder: CachedGeocoder | None = None,
                     min_confidence: float = MIN_CONFIDENCE,
                     home: Home | None = None) -> list[Mention]:
    """One Mention per toponym, in the same order (place None when unresolved).

    `min_confidence` keeps a weakly supported sense from becoming a place; it guards against
    words that are not toponyms at all ("Western"), so a caller that knows its spans are
    toponyms (a benchmark given the gold spans) passes 0. `home` is where the document's
    outlet usually reports (geo.outlets), when known.
    """
    slots = [_prepare(t, gazetteer) for t in toponyms]
    _states_of_incorporation(text, slots)
    _states_named(text, slots)
    _link_containers(text, slots, _link_lists(text, slots))
    groups: dict[str, list[int]] = {}
    for i, slot in enumerate(slots):
        slot.group = f"#{i}" if slot.container is not None else normalise(slot.surface)
        if slot.candidates:
            groups.setdefault(slot.group, []).append(i)
    local = local_support(slots, groups)
    home_weight = _home_weight(home, slots) if home is not None else 0.0
    for members in groups.values():
        _assign(slots, members, {c.place.key: (c.prior, {}) for c in slots[members[0]].candidates})
    context = DocumentContext(slots, [s.toponym.start for s in slots], groups)
    for _ in range(ROUNDS):
        changed = False
        context.new_round()
        for members in groups.values():
            before = slots[members[0]].sense
            _assign(slots, members, _score(slots, members, context, local, home, home_weight))
            context.update(members)
            changed |= slots[members[0]].sense != before
        if not changed:
            break
    senses = _Senses(slots)
    mentions = [_mention(i, slots, gazetteer, geocoder, min_confidence, senses)
                for i in range(len(slots))]
    log.debug("Resolved %d of %d toponyms", sum(m.place is not None for m in mentions),
              len(mentions))
    return mentions


def _prepare(toponym: Toponym, gazetteer: Gazetteer) -> _Slot:
    surface = strip_possessive(toponym.lookup or toponym.text)
    found = [] if toponym.label == ADJECTIVE else _own_names_first(
        surface, gazetteer.candidates(surface, MAX_CANDIDATES))
    # An adjective or demonym ("Syrian", "Russians") refers to its place, unless the word is
    # also the name of a sizeable place ("Canadian", Texas, has 2,000 people).
    sizeable = any(c.prior >= ADJECTIVE_OVER_PRIOR for c in found)
    adjective = "" if sizeable else _singular_adjective(surface, gazetteer)
    if toponym.label == ADJECTIVE or adjective:
        toponym = replace(toponym, label=ADJECTIVE)  # NER may have called "Syrian" a place
        found = gazetteer.adjective_candidates(adjective) if adjective else []
        return _Slot(toponym, surface, found, note=f"adjective {adjective!r}" if found else "")
    note = ""
    state = without_state_suffix(surface)
    if not found and state:  # "New York State"
        found = [c for c in gazetteer.candidates(state, MAX_CANDIDATES) if c.place.kind == "region"]
        note = "named a state" if found else ""
    if not found and _DIRECTION.match(surface):  # "eastern Russia" stands for Russia
        bare = _DIRECTION.sub("", surface)
        found = [c for c in gazetteer.candidates(bare, MAX_CANDIDATES)
                 if c.place.kind in ("country", "region", "continent")]
        note = f"part of {bare}" if found else ""
    return _Slot(toponym, surface, found, note=note)


def _own_names_first(surface: str, found: list[Candidate]) -> list[Candidate]:
    """Where some place bears the name as its own ("Berea", Kentucky), another place's old or
    foreign name for itself (Aleppo's "Beroea") needs more than its size to win; a short form
    of a place's own name ("Newcastle" for Newcastle upon Tyne) is no such name."""
    if not any(c.quality == 0 for c in found):
        return found
    return [replace(c, prior=c.prior - ALTERNATE_BEHIND_OWN)
            if c.quality == 2 and not _short_form(surface, c.place.name) else c for c in found]


def _short_form(surface: str, own: str) -> bool:
    name, whole = normalise(surface), normalise(own)
    return whole.startswith(name + " ") and bool(_SHORT_FORM.match(whole[len(name) + 1:]))


def _states_of_incorporation(text: str, slots: list[_Slot]) -> None:
    """"a Delaware limited liability company": a state or country of incorporation."""
    for slot in slots:
        if _INCORPORATED.match(text, slot.toponym.end):
            areas = [c for c in slot.candidates if c.place.kind in ("region", "country")]
            if areas:
                slot.candidates = areas
                slot.note = "state of incorporation"


def _states_named(text: str, slots: list[_Slot]) -> None:
    """ "Washington state", "the state of New York": the region, not the city."""
    for slot in slots:
        t = slot.toponym
        if len(slot.candidates) > 1 and names_a_state(text, t.start, t.end):
            regions = [c for c in slot.candidates if c.place.kind == "region"]
            if regions:
                slot.candidates = regions
                slot.note = "named a state"


def _link_lists(text: str, slots: list[_Slot]) -> set[tuple[int, int]]:
    """Mark the members of each list as siblings; return the pairs (slot indices, in text
    order) that stand next to each other in a list, which no comma makes a containment."""
    order = sorted(range(len(slots)), key=lambda i: slots[i].toponym.start)
    spans = [(slots[i].toponym.start, slots[i].toponym.end) for i in order]
    pairs = set()
    for chain in list_chains(text, spans):
        members = [order[k] for k in chain]
        for i in members:
            slots[i].siblings = [j for j in members if j != i]
        pairs.update(zip(members, members[1:], strict=False))
    return pairs


def _singular_adjective(surface: str, gazetteer: Gazetteer) -> str:
    """The adjective itself: "Russians" -> "Russian"; "" when the word is none."""
    if gazetteer.is_adjective(surface):
        return surface
    if surface.endswith("s") and gazetteer.is_adjective(surface[:-1]):
        return surface[:-1]
    return ""


def _link_containers(text: str, slots: list[_Slot],
                     listed: set[tuple[int, int]] | None = None) -> None:
    order = sorted(range(len(slots)), key=lambda i: slots[i].toponym.start)
    for a, b in zip(order, order[1:], strict=False):
        if (a, b) in (listed or ()) or _both_countries(slots[a], slots[b]):
            continue  # "Mexico, China, Japan and Brazil"; "Iraq, Iran": siblings
        first, second = slots[a].toponym, slots[b].toponym
        gap = text[first.end:second.start]
        if len(gap) <= 80 and _CONTAINER_GAP.match(gap) and _may_contain(slots[b], slots[a]):
            slots[a].container = b
            slots[b].holds.append(a)
        elif _CONTAINER_BEFORE.match(gap) and _may_contain(slots[a], slots[b]):
            slots[b].container = a
            slots[a].holds.append(b)


def _both_countries(first: _Slot, second: _Slot) -> bool:
    """Two names whose likeliest senses are countries: no country lies in another."""
    return all(s.candidates and s.candidates[0].place.kind == "country"
               for s in (first, second))


def _may_contain(outer: _Slot, inner: _Slot) -> bool:
    """A list ("Russia, China") is not a containment: some candidate pair must nest."""
    if not outer.candidates or outer.toponym.label == "FAC":
        return False
    if not inner.candidates:
        return _looks_like_facility(inner)
    return any(contains(o.place, i.place, i.within)
               for o in outer.candidates[:10] for i in inner.candidates)


def _looks_like_facility(slot: _Slot) -> bool:
    return slot.toponym.label == "FAC" or bool(
        FACILITY.search(slot.surface) or NUMBERED.search(slot.surface))


Scores = dict[str, tuple[float, dict[str, float]]]  # place key -> (score, evidence)


def _score(slots: list[_Slot], members: list[int], context: DocumentContext,
           local: dict[str, float], home: Home | None = None,
           home_weight: float = 0.0) -> Scores:
    """Score every candidate of one group against the senses of the other groups."""
    group = slots[members[0]].group
    own = context.own_countries(group)
    keys, weights = context.context(group)
    nearness = context.nearness(group, keys, weights, NEAR_WEIGHT, NEAR_KM)
    scores: Scores = {}
    for n, cand in enumerate(slots[members[0]].candidates):
        place = cand.place
        parts: dict[str, float] = {}
        in_country = context.country_weight(place.country, own) if place.country else None
        if in_country is not None:
            parts[f"in a country the document names ({place.country})"] = COUNTRY_WEIGHT * min(
                1.0, in_country)
        holds = inside = 0.0
        if place.kind == "region":
            for at in context.same_country(place, keys):
                if contains(place, context.place(keys[at])):
                    holds = max(holds, HOLDS_CONTEXT_WEIGHT * weights[at])
        for at in context.same_country(place, keys, regional_only=True):
            if contains(context.place(keys[at]), place):
                inside = max(inside, REGION_WEIGHT * weights[at])
        near = float(nearness[n])
        if near > 0.05:
            parts["near the other places of the document"] = near
        if local.get(place.key):
            parts["near possible senses of other names"] = LOCAL_WEIGHT * min(
                1.0, local[place.key] / LOCAL_FULL)
        if holds:
            parts["contains other places of the document"] = float(holds)
        if home is not None and home_weight > 0:
            _home_evidence(home, home_weight, place, parts)
        if inside:
            parts["in a region the document names"] = float(inside)
        _sibling_evidence(slots, members, place, parts)
        for i in members:
            if slots[i].container is not None:
                _container_evidence(slots[slots[i].container], cand, parts)
            for inner in slots[i].holds:
                sense = slots[inner].sense
                if sense is not None and contains(place, sense.place, sense.within):
                    parts[f"contains {sense.place.name}"] = HOLDS_WEIGHT
        scores[place.key] = (cand.prior + sum(parts.values()), parts)
    return scores


def _home_weight(home: Home, slots: list[_Slot]) -> float:
    """How much the outlet's home counts in this document: less for a sparse home, and less
    in a story from abroad (a local paper prints wire stories): each country the text names
    that could not be in the home's country halves it."""
    foreign = set()
    for slot in slots:
        if not slot.candidates or slot.candidates[0].place.kind != "country":
            continue
        if all(c.place.country != home.country for c in slot.candidates):
            foreign.add(slot.candidates[0].place.country)
    return HOME_WEIGHT * home.share * min(1.0, home.names / 8) / 2 ** len(foreign)


def _home_evidence(home: Home, strength: float, place: Place, parts: dict[str, float]) -> None:
    if place.kind == "region":
        if place.country == home.country and place.admin1 == home.admin1:
            parts["where the outlet usually reports"] = strength
    elif place.kind not in _AREAS:
        km = haversine_km(place.lat, place.lon, home.lat, home.lon)
        if km < 4 * HOME_KM:
            parts["where the outlet usually reports"] = strength * math.exp(-km / HOME_KM)


def _sibling_evidence(slots: list[_Slot], members: list[int], place: Place,
                      parts: dict[str, float]) -> None:
    """A candidate of the kind and country of most of its list's other members ("Georgia"
    among US states is the state)."""
    if place.kind not in _SIBLING_KINDS:
        return
    siblings = {j for i in members for j in slots[i].siblings}
    senses = [slots[j].sense.place for j in siblings if slots[j].sense is not None]
    if not senses:
        return
    alike = sum(1 for p in senses if p.kind == place.kind and p.country == place.country)
    if alike:
        parts["like the names listed with it"] = SIBLING_WEIGHT * alike / len(senses)


def _container_evidence(outer: _Slot, cand: Candidate, parts: dict[str, float]) -> None:
    """Full weight inside the container's current sense, most of it inside another of its
    candidates: "Athens, Georgia" must be able to pull Georgia away from its usual sense."""
    if outer.sense is not None and contains(outer.sense.place, cand.place, cand.within):
        parts[f"contained in {outer.sense.place.name}"] = CONTAINER_WEIGHT
        return
    for other in outer.candidates[:10]:
        if contains(other.place, cand.place, cand.within):
            parts[f"contained in {other.place.name}"] = CONTAINER_WEIGHT * 0.75
            return


def _assign(slots: list[_Slot], members: list[int], scores: Scores) -> None:
    """Give the whole group its best candidate; confidence is that candidate's softmax share."""
    ranked = sorted(scores, key=lambda k: -scores[k][0])
    best = scores[ranked[0]][0]
    share = 1 / sum(10 ** (score - best) for score, _ in scores.values())
    winner = next(c for c in slots[members[0]].candidates if c.place.key == ranked[0])
    # Little evidence for a small place is little confidence, whatever its share of the names.
    support = min(1.0, max(0.1, (best - 1.5) / 4.5))
    # An alternate name ("Kiev") is good evidence for a large place, weak for a village.
    alternate = 0.8 if winner.prior >= SMALL_PRIOR else 0.5
    confidence = share * support * {2: alternate, 3: CODE_FACTOR}.get(winner.quality, 1.0)
    reason = _reason(scores, ranked, winner, len(members))
    for i in members:
        slot = slots[i]
        guessed = slot.toponym.label == "GAZ" and winner.quality == 2
        slot.sense = winner
        slot.confidence = round(
            min(0.99, confidence * (0.6 if guessed else 1.0)
                * (0.8 if slot.note.startswith("part of") else 1.0)), 3)
        slot.reason = reason


def _reason(scores: Scores, ranked: list[str], winner: Candidate, occurrences: int) -> str:
    parts = scores[ranked[0]][1]
    contained = [p for p in parts if p.startswith("contained in")]
    if contained:
        return contained[0]
    if len(ranked) == 1:
        why = "only candidate"
    else:
        rival = scores[ranked[1]][1]
        gains = {p: v - rival.get(p, 0.0) for p, v in parts.items()}
        decisive = max(gains, key=gains.get, default=None)
        prior_gap = scores[ranked[0]][0] - sum(parts.values()) - (
            scores[ranked[1]][0] - sum(rival.values()))
        if decisive is not None and gains[decisive] > max(prior_gap, 0.0):
            why = decisive
        elif winner.place.source == "curated":
            why = f"curated {winner.place.kind}"
        else:
            why = f"prior: {winner.place.kind}, population {winner.place.population:,}"
    return why + ("; one sense per document" if occurrences > 1 else "")


class _Senses:
    """The places the document resolved to and their countries, gathered once for the
    facility fallbacks."""

    def __init__(self, slots: list[_Slot]):
        self.places = [s.sense.place for s in slots if s.sense is not None]
        self.countries = {p.country for p in self.places}
        self.points = [p for p in self.places if p.kind not in _AREAS]


def _mention(i: int, slots: list[_Slot], gazetteer: Gazetteer,
             geocoder: CachedGeocoder | None, min_confidence: float,
             senses: _Senses) -> Mention:
    slot = slots[i]
    t = slot.toponym
    keys = [c.place.key for c in slot.candidates]
    if slot.sense is not None and slot.confidence >= min_confidence:
        note = f"{slot.note}; {slot.reason}" if slot.note else slot.reason
        return Mention(t.start, t.end, t.text, slot.sense.place, slot.confidence, keys, note,
                       adjective=t.label == ADJECTIVE)
    if _looks_like_facility(slot):
        approx = _facility_fallback(slot, slots, gazetteer, senses)
        if approx is not None:
            place, container, how = approx
            sure = slots[slot.container].confidence if slot.container is not None else 0.4
            return Mention(t.start, t.end, t.text, place, round(min(0.4, sure), 3),
                           [container.key], f"approximate: within {container.name}{how}")
    if geocoder is not None:
        outer = slots[slot.container].sense if slot.container is not None else None
        query = f"{slot.surface}, {outer.place.name}" if outer else slot.surface
        place = geocoder.geocode(query)
        if place is not None:
            return Mention(t.start, t.end, t.text, place, 0.5, [place.key],
                           f"online: {geocoder.provider}")
    if slot.sense is not None:
        why = f"too uncertain: {slot.sense.place.name} ({slot.confidence:.2f})"
    else:
        why = "not in the gazetteer"
    return Mention(t.start, t.end, t.text, None, 0.0, keys, why)


def _facility_fallback(slot: _Slot, slots: list[_Slot], gazetteer: Gazetteer,
                       senses: _Senses) -> tuple[Place, Place, str] | None:
    """The container named around the facility, else a place named inside its name."""
    container, how = None, ""
    if slot.container is not None and slots[slot.container].sense is not None:
        container = slots[slot.container].sense.place
    else:
        # Longest name first, and a place in the document's countries before any other:
        # "Far North Queensland" is in Queensland, not Cameroon's Far North region.
        for home_only in (True, False):
            container = _container_in_name(slot.surface, senses, gazetteer, home_only)
            if container is not None:
                how = f" (named in {slot.surface!r})"
                break
    if container is None:
        return None
    place = replace(container, name=slot.toponym.text, kind="facility", approximate=True,
                    population=0)
    return place, container, how


def _container_in_name(surface: str, senses: _Senses, gazetteer: Gazetteer,
                       home_only: bool) -> Place | None:
    words = surface.split()
    for size in range(len(words) - 1, 0, -1):
        for start in range(len(words) - size + 1):
            name = " ".join(words[start:start + size])
            if not name[:1].isupper() or FACILITY.fullmatch(name):
                continue
            found = [c for c in gazetteer.candidates(name, 10) if c.quality < 2
                     and c.place.kind in ("city", "region", "country")]
            container = _named_container(found, senses, home_only)
            if container is not None:
                return container
    return None


def _named_container(found: list[Candidate], senses: _Senses,
                     home_only: bool = False) -> Place | None:
    """The place a facility's name contains ("Vladivostok" in "Vladivostok Sea Port"): a large
    one, or a small one in the document's countries near its other places ("Zvezda Shipyard"
    must not stand at some village called Zvezda)."""
    countries = senses.countries
    best = None
    for cand in found:
        place = cand.place
        score = cand.prior + (COUNTRY_WEIGHT if place.country in countries else 0.0)
        large = cand.prior >= SMALL_PRIOR
        nearby = place.country in countries and any(
            haversine_km(place.lat, place.lon, p.lat, p.lon) <= NEAR_KM
            for p in senses.points)
        if home_only and place.country not in countries:
            continue
        if (large or nearby) and (best is None or score > best[0]):
            best = (score, place)
    return best[1] if best else None
