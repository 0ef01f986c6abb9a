"""The map's filters as library queries: kind, actor, status, outlet and articles, on the seeds.

Each facet is checked two ways that must agree: ``matches`` over events already read (what the
window does) and the SQL of ``Workspace.events(facets=...)``.
"""

from __future__ import annotations

import pytest

from store.event_facets import (
    SHOWN_STATUSES,
    EventFacets,
    EventIndex,
    actor_counts,
    category_counts,
    family_counts,
    matches,
    outlet_counts,
    passing,
    status_counts,
)
from store.event_families import family_of


@pytest.fixture
def everything(seeds_ws):
    return seeds_ws.events(located=None, with_sources=False)


def both_ways(ws, events, facets: EventFacets) -> list[int]:
    in_memory = sorted(e.id for e in events if matches(e, facets))
    in_sql = sorted(e.id for e in ws.events(located=None, with_sources=False, facets=facets))
    assert in_memory == in_sql
    return in_memory


def test_default_facets_hide_hypothetical_and_denied(seeds_ws, everything):
    statuses = status_counts(everything)
    assert statuses["hypothetical"] and statuses["denied"], "the seeds hold both"
    shown = both_ways(seeds_ws, everything, EventFacets())
    by_id = {e.id: e for e in everything}
    assert {by_id[i].status for i in shown} == SHOWN_STATUSES
    assert len(shown) == statuses["reported"] + statuses["planned"]
    every = both_ways(seeds_ws, everything, EventFacets(statuses=None))
    assert len(every) == len(everything)


def test_an_actor_filter_keeps_only_that_actors_events(seeds_ws, everything):
    shoigu = next(a for a in actor_counts(everything) if a.name == "Sergei Shoigu")
    kept = both_ways(seeds_ws, everything, EventFacets(actor_ids=frozenset({shoigu.id}),
                                                       statuses=None))
    assert len(kept) == shoigu.events >= 1
    by_id = {e.id: e for e in everything}
    assert all(any(a.id == shoigu.id for a in by_id[i].actors) for i in kept)
    others = [e for e in everything if e.id not in kept]
    assert not any(a.id == shoigu.id for e in others for a in e.actors)


def test_family_and_category_filters(seeds_ws, everything):
    meetings = both_ways(seeds_ws, everything, EventFacets(families=frozenset({"meeting"}),
                                                           statuses=None))
    assert len(meetings) == family_counts(everything)["meeting"] > 0
    other = both_ways(seeds_ws, everything, EventFacets(families=frozenset({"other"}),
                                                        statuses=None))
    assert other and all(family_of(e.type).key == "other"
                         for e in everything if e.id in other)
    assert any(e.type is None for e in everything if e.id in other), "untyped counts as other"
    sanction = both_ways(seeds_ws, everything, EventFacets(categories=frozenset({"SANCTION"}),
                                                           statuses=None))
    assert len(sanction) == category_counts(everything).get("SANCTION", 0) > 0
    none = both_ways(seeds_ws, everything, EventFacets(families=frozenset({"meeting"}),
                                                       categories=frozenset({"SANCTION"})))
    assert none == [], "a category outside the chosen families selects nothing"
    assert both_ways(seeds_ws, everything, EventFacets(families=frozenset())) == []


def test_outlet_and_minimum_articles(seeds_ws, everything):
    outlets = outlet_counts(everything)
    assert len(outlets) >= 2
    name, count = outlets[0]
    kept = both_ways(seeds_ws, everything, EventFacets(outlets=frozenset({name}),
                                                       statuses=None))
    assert len(kept) == count
    assert all(name in e.outlets for e in everything if e.id in kept)
    several = both_ways(seeds_ws, everything, EventFacets(min_documents=2, statuses=None))
    assert several, "some seeds events are reported by two articles"
    assert all(e.document_count >= 2 for e in everything if e.id in several)
    assert len(several) < len(everything)


def test_facets_describe_themselves():
    assert EventFacets().describe() == []
    words = EventFacets(families=frozenset({"meeting"}), min_documents=3,
                        statuses=frozenset({"reported"})).describe()
    assert words == ["Meetings and visits", "status: reported", "in 3+ articles"]
    assert EventFacets().active is False
    assert EventFacets(actor_ids=frozenset({1})).narrowing_ids is True


def test_checked_categories_become_families_when_whole():
    from store.event_facets import UNTYPED, kind_facets
    from store.event_families import FAMILIES

    every = {c for f in FAMILIES for c in f.categories} | {UNTYPED}
    assert kind_facets(every) == (None, None)
    meeting_and_other = {"CONSULT", "INVESTIGATE", UNTYPED}
    assert kind_facets(meeting_and_other) == (frozenset({"meeting", "other"}), None)
    assert kind_facets({"CONSULT", "INVESTIGATE"}) == (None, frozenset({"CONSULT",
                                                                         "INVESTIGATE"}))
    assert kind_facets(set()) == (frozenset(), None)


def test_passing_keeps_what_the_sql_facets_keep(seeds_ws, everything) -> None:
    """The window filters its list in memory (passing); the workspace filters in SQL
    (facet_clauses): the same events, in the same order."""
    events = everything
    actors = sorted({a.id for e in events for a in e.actors})
    outlet = next(o for e in events for o in e.outlets)
    found_by_actor = 0
    for facets in (EventFacets(), EventFacets(statuses=None),
                   EventFacets(families=frozenset({"meeting"})),
                   EventFacets(categories=frozenset({"", "CONSULT"})),
                   EventFacets(families=frozenset({"meeting", "other"}),
                               actor_ids=frozenset(actors[:6])),
                   EventFacets(actor_ids=frozenset(actors[:2]), min_documents=2),
                   EventFacets(statuses=None, actor_ids=frozenset(actors[2:5])),
                   EventFacets(statuses=None, actor_ids=frozenset()),
                   EventFacets(outlets=frozenset({outlet})), EventFacets(outlets=frozenset())):
        expected = seeds_ws.events(located=None, with_sources=False, facets=facets)
        assert passing(events, facets) == expected, facets
        if facets.actor_ids is not None:  # the actors' events read from the workspace
            found_by_actor += len(expected)
            of_actors = seeds_ws.event_ids_of_actors(facets.actor_ids)
            assert passing(events, facets, of_actors) == expected, facets
        else:
            of_actors = None
        # the actor's or the kind's events taken by index
        assert passing(events, facets, of_actors, EventIndex.of(events)) == expected, facets
        narrowed = events[::2]  # a list narrowed by a search
        assert passing(narrowed, facets, of_actors, EventIndex.of(narrowed)) == [
            e for e in expected if e in narrowed], facets
    assert found_by_actor > 0
