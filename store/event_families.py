"""PLOVER's categories grouped into the few families an analyst tells apart at a glance.

One grouping serves the map's glyphs, its filters and the exports' styles, so a KML placemark
looks like the window's marker. The families follow PLOVER's quad classes, split where a
reader of the news sees different things: a meeting is not an agreement, a protest is not a
statement, troops moving are not troops firing. COERCE (arrests, bans, expulsions) is force
used, so it sits with attacks and fighting; INVESTIGATE and untyped happenings are "other".
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Family:
    key: str  # stable, for filters, styles and CSS classes
    label: str
    categories: tuple[str, ...]
    colour: str  # #rrggbb: the glyph's outline in the window, the KML icon's colour


FAMILIES: tuple[Family, ...] = (
    Family("meeting", "Meetings and visits", ("CONSULT",), "#1f77b4"),
    Family("agreement", "Agreements and support",
           ("AGREE", "SUPPORT", "CONCEDE", "COOPERATE"), "#2ca02c"),
    Family("aid", "Aid", ("AID",), "#17becf"),
    Family("statement", "Statements of conflict and sanctions",
           ("DEMAND", "DISAPPROVE", "REJECT", "THREATEN", "SANCTION"), "#ff7f0e"),
    Family("protest", "Protests", ("PROTEST",), "#9467bd"),
    Family("military", "Military moves", ("MOBILIZE", "RETREAT"), "#8c564b"),
    Family("attack", "Attacks and fighting", ("ASSAULT", "FIGHT", "COERCE"), "#d62728"),
    Family("other", "Other", ("INVESTIGATE",), "#7f7f7f"),
)
_BY_CATEGORY = {c: f for f in FAMILIES for c in f.categories}
OTHER = FAMILIES[-1]


def family_of(category: str | None) -> Family:
    """The family of a PLOVER category; an untyped happening (a forum, a launch) is "other"."""
    return _BY_CATEGORY.get(category or "", OTHER)


def family(key: str) -> Family:
    """The family of a key; KeyError for an unknown one."""
    for f in FAMILIES:
        if f.key == key:
            return f
    raise KeyError(key)
