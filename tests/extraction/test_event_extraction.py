"""Event extraction: status, actors, location and type on sentences written for these tests, and
the seeds' events."""

from __future__ import annotations

import pytest

from extraction.actor_keys import ActorNormaliser
from extraction.happenings import process_with_events
from extraction.pipeline import Pipeline
from extraction.reading import RawArticle, load_manifest, read_article
from geo.outlets import OutletHomes
from store.models import ExtractedEvent
from store.settings import seeds_dir

pytestmark = pytest.mark.model


def events_of(pipeline: Pipeline, text: str, normaliser: ActorNormaliser | None = None
              ) -> list[ExtractedEvent]:
    article = RawArticle(text=text, path="test.txt", published="2023-09-05")
    normaliser = normaliser or ActorNormaliser(pipeline.gazetteer)
    return next(process_with_events(pipeline, [article], normaliser=normaliser))[1]


def event(pipeline: Pipeline, text: str, trigger: str) -> ExtractedEvent:
    found = [e for e in events_of(pipeline, text) if trigger in e.trigger.lower()]
    assert found, f"no {trigger!r} event in {text!r}"
    return found[0]


@pytest.mark.parametrize(("text", "trigger", "status"), [
    ("The two ministers met in Geneva on Monday.", "met", "reported"),
    ("The two ministers did not meet in Geneva.", "meet", "denied"),
    ("The ministers will meet in Geneva next week.", "meet", "planned"),
    ("The ministers may meet in Geneva.", "meet", "planned"),
    ("The president plans to visit Paris.", "visit", "planned"),
    ("The president is expected to visit Paris.", "visit", "planned"),
    ("The president is not expected to visit Paris.", "visit", "denied"),
    ("If the talks fail, the army will attack the town.", "attack", "hypothetical"),
    ("The army would have attacked the town.", "attack", "hypothetical"),
    ("The government denied that troops attacked the village.", "attacked", "denied"),
    ("The planned meeting in Oslo was postponed.", "meeting", "planned"),
    ("The summit in Oslo did not take place.", "summit", "denied"),
    ("A visit to Rome is not ruled out.", "visit", "planned"),
    ("Prime Minister to visit Tokyo", "visit", "planned"),
])
def test_status(pipeline: Pipeline, text: str, trigger: str, status: str) -> None:
    assert event(pipeline, text, trigger).status == status


@pytest.mark.parametrize(("text", "trigger", "category"), [
    ("Police arrested twelve students in the capital.", "arrested", "COERCE"),
    ("The two sides signed a peace agreement.", "signed", "AGREE"),
    ("Thousands of workers protested outside the parliament.", "protested", "PROTEST"),
    ("The government imposed sanctions on the company.", "imposed", "SANCTION"),
    ("The opposition condemned the decision.", "condemned", "DISAPPROVE"),
    ("The minister rejected the proposal.", "rejected", "REJECT"),
    ("The army deployed tanks along the border.", "deployed", "MOBILIZE"),
    ("Rebels kidnapped two aid workers.", "kidnapped", "ASSAULT"),
    ("Troops clashed with insurgents near the town.", "clashed", "FIGHT"),
    ("The union called for an end to the strike.", "called for", "DEMAND"),
    ("The country sent food aid to the region.", "sent", "AID"),
    ("The leaders held talks in Berlin.", "held talks", "CONSULT"),
    ("The rebels agreed to hand over their weapons.", "hand over", "COOPERATE"),
    ("The army withdrew its troops from the area.", "withdrew", "RETREAT"),
    ("Prosecutors opened an investigation into the deal.", "investigation", "INVESTIGATE"),
    ("The president threatened to cut off the gas supply.", "threatened", "THREATEN"),
])
def test_types(pipeline: Pipeline, text: str, trigger: str, category: str) -> None:
    assert event(pipeline, text, trigger).type == category


def test_untyped_happenings(pipeline: Pipeline) -> None:
    assert event(pipeline, "The agency will launch a weather satellite.", "launch").type is None
    assert event(pipeline, "The forum opened in Lisbon.", "forum").type is None


def _one_actor(pipeline: Pipeline, sentences: list[str]) -> set[str]:
    normaliser = ActorNormaliser(pipeline.gazetteer)
    keys = set()
    for text in sentences:
        for e in events_of(pipeline, text, normaliser):
            keys.update(a.actor for a in e.sources)
    return keys


def test_kims_five_spellings_are_one_actor(pipeline: Pipeline) -> None:
    names = ["Kim Jong-un", "Kim Jong Un", "Kim Jong-in", "Kim Jong In", "Kin Jong-un"]
    keys = _one_actor(pipeline, [f"{n} visited Vladivostok in 2019." for n in names])
    assert len(keys) == 1 and next(iter(keys)).startswith("person:")


def test_putins_three_names_are_one_actor(pipeline: Pipeline) -> None:
    keys = _one_actor(pipeline, ["President Vladimir Putin met the delegation.",
                                 "Vladimir Putin met the delegation.", "Putin met the delegation."])
    assert len(keys) == 1


def test_a_different_name_stays_apart(pipeline: Pipeline) -> None:
    keys = _one_actor(pipeline, ["Kim Jong Un visited Moscow.", "Kim Jong Il visited Moscow."])
    assert len(keys) == 2


@pytest.mark.parametrize(("text", "trigger", "key"), [
    ("Moscow asked for artillery shells.", "asked", "state:RU"),
    ("The Kremlin refused to comment.", "refused", "state:RU"),
    ("Russian officials met the delegation.", "met", "state:RU"),
    ("Washington criticised the decision.", "criticised", "state:US"),
])
def test_states_as_actors(pipeline: Pipeline, text: str, trigger: str, key: str) -> None:
    e = event(pipeline, text, trigger)
    assert [a.actor for a in e.sources] == [key]
    assert e.place is None  # a place used as an actor is not the location


def test_description_is_the_person_the_document_named(pipeline: Pipeline) -> None:
    text = ("North Korean leader Kim Jong Un met officials on Monday. "
            "The North Korean leader plans to visit Moscow.")
    visit = [e for e in events_of(pipeline, text) if e.trigger == "visit"][0]
    assert [a.name for a in visit.sources] == ["Kim Jong Un"]


def test_conjoined_adjectives_are_two_states(pipeline: Pipeline) -> None:
    e = event(pipeline, "Senior Hungarian and Romanian officials met in Budapest.", "met")
    assert {a.actor for a in e.sources} == {"state:HU", "state:RO"}


@pytest.mark.parametrize(("text", "trigger", "place"), [
    ("The foreign ministers met in Vienna on Tuesday.", "met", "Vienna"),
    ("The general's trip to Kabul lasted two days.", "trip", "Kabul"),
    ("The president visited Nairobi.", "visited", "Nairobi"),
    ("London praised the agreement.", "praised", None),
])
def test_location_choice(pipeline: Pipeline, text: str, trigger: str, place: str | None) -> None:
    e = event(pipeline, text, trigger)
    assert (e.place.place.name if e.place is not None else None) == place


@pytest.fixture(scope="module")
def seed_events(pipeline: Pipeline) -> list[ExtractedEvent]:
    folder = seeds_dir()
    manifest = load_manifest(folder)
    articles = [read_article(p, manifest=manifest.get(p.name))
                for p in sorted(folder.glob("*.txt"))]
    return [e for _, events in process_with_events(pipeline, articles,
                                                   OutletHomes(pipeline.gazetteer))
            for e in events]


def _at(events: list[ExtractedEvent], place: str) -> list[ExtractedEvent]:
    return [e for e in events if e.place is not None and e.place.place.name == place]


def test_seeds_planned_meeting_in_vladivostok(seed_events: list[ExtractedEvent]) -> None:
    found = [e for e in _at(seed_events, "Vladivostok") if e.type == "CONSULT"
             and e.status == "planned" and {"person:kim jong un"} <= {
                 a.actor for a in e.sources + e.targets}]
    assert found
    assert any(e.date is not None and e.date.range.start.startswith("2023-09") for e in found)
    assert any("Vladivostok" in e.title and "meet" in e.title for e in found)


def test_seeds_shoigu_in_pyongyang(seed_events: list[ExtractedEvent]) -> None:
    found = [e for e in _at(seed_events, "Pyongyang") if e.status == "reported"
             and any("shoigu" in a.actor for a in e.sources)]
    assert found and any(e.date is not None and e.date.range.start == "2023-07-01"
                         for e in found)
    assert "Sergei Shoigu visits Pyongyang" in {e.title for e in found}


def test_seeds_vostochny_meeting_and_stop(seed_events: list[ExtractedEvent]) -> None:
    at = _at(seed_events, "Vostochny Cosmodrome")
    met = [e for e in at if e.status == "reported"]
    assert met and met[0].date is not None and met[0].date.range.start == "2022-04-01"
    assert {a.actor for a in met[0].sources} == {"person:vladimir putin",
                                                  "person:alexander lukashenko"}


def test_seeds_kims_2019_visit_and_berth_33(seed_events: list[ExtractedEvent]) -> None:
    visits = [e for e in seed_events if e.date is not None and e.date.range.start[:4] == "2019"]
    assert any(e.status == "reported" and e.type == "CONSULT" for e in visits)
    berth = _at(seed_events, "Berth 33")
    assert berth and all(e.status == "planned" for e in berth)


def test_seeds_uruguay_is_no_event(seed_events: list[ExtractedEvent]) -> None:
    assert not _at(seed_events, "Uruguay")
    help_ = [e for e in seed_events if e.trigger.startswith("help us")]
    assert help_ and help_[0].status == "hypothetical"
