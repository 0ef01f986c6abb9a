"""Event types of the constructions beyond single trigger words: speech acts (promises,
refusals, threats, demands) and verbs whose object decides. Sentences written for these tests."""

from __future__ import annotations

import pytest

from extraction.pipeline import Pipeline
from tests.extraction.test_event_extraction import event, events_of

pytestmark = pytest.mark.model


@pytest.mark.parametrize(("text", "trigger", "category"), [
    # a promise: the speaker's own future action
    ("The minister said his country will send doctors to the flooded province.",
     "said his country will send", "AGREE"),
    ("The rebel commander said he is ready to release the captured engineers.",
     "said he is ready to release", "AGREE"),
    ("The two parties announced that they would meet in Vienna next month.",
     "announced that they would meet", "AGREE"),
    # a refusal
    ("The cabinet said it will not extradite the former banker.",
     "said it will not extradite", "REJECT"),
    # a threat: conditional, or a hostile action
    ("The union said it will strike unless wages are raised.",
     "said it will strike", "THREATEN"),
    ("The opposition said it would boycott the parliament.",
     "said it would boycott", "THREATEN"),
    ("The agency announced that it will withdraw its observers from the country.",
     "announced that it will withdraw", "THREATEN"),
    ("The militia vowed to attack the convoy.", "vowed", "THREATEN"),
    # a demand of another actor
    ("The council said the government must free the detained journalists.",
     "said the government must free", "DEMAND"),
])
def test_speech_acts(pipeline: Pipeline, text: str, trigger: str, category: str) -> None:
    assert event(pipeline, text, trigger).type == category


def test_speech_act_keeps_the_action(pipeline: Pipeline) -> None:
    """The promised action stays an event of its own, planned."""
    found = events_of(pipeline, "The ministry said it will withdraw its troops from the area.")
    assert {e.type for e in found} >= {"AGREE", "RETREAT"}
    promise = next(e for e in found if e.type == "AGREE")
    assert promise.status == "reported"
    assert [s.text for s in promise.sources] == ["ministry"]


def test_demand_targets_the_clause_subject(pipeline: Pipeline) -> None:
    demand = event(pipeline, "The court said the army must return the seized land.", "said")
    assert demand.type == "DEMAND"
    assert any("army" in t.text for t in demand.targets)


@pytest.mark.parametrize("text", [
    "The minister said the talks were useful.",
    "The spokesman said it will be difficult to finish the road.",
    "The mayor said we must act quickly.",
])
def test_no_speech_act(pipeline: Pipeline, text: str) -> None:
    assert not [e for e in events_of(pipeline, text)
                if e.type in ("AGREE", "DEMAND", "THREATEN", "REJECT")]


@pytest.mark.parametrize(("text", "trigger", "category"), [
    ("The village elders said the clinic will open next week, and the governor vowed to "
     "rebuild the bridge.", "vowed", "AGREE"),
    ("The farmers' union has sworn to fight until the law is changed.", "sworn", "THREATEN"),
    ("The province will receive extra doctors, the ministry said.", "said", "AGREE"),
])
def test_more_speech_acts(pipeline: Pipeline, text: str, trigger: str, category: str) -> None:
    assert event(pipeline, text, trigger).type == category


@pytest.mark.parametrize(("text", "trigger", "category"), [
    # the object decides
    ("The government sent weapons to the northern militias.", "sent", "AID"),
    ("The charity handed over ten tons of medicine to the hospital.", "handed over", "AID"),
    ("Rescue teams evacuated the injured from the collapsed building.", "evacuated", "AID"),
    ("The agency dispatched inspectors to the reactor site.", "dispatched", "INVESTIGATE"),
    ("The government received a team of observers from the regional body.", "received",
     "RETREAT"),
    ("The country expelled three foreign diplomats.", "expelled", "SANCTION"),
    ("The junta lifted the curfew in the capital.", "lifted", "CONCEDE"),
    ("The council eased the emergency measures in the eastern province.", "eased", "CONCEDE"),
    ("The union called off the national strike.", "called off", "CONCEDE"),
    ("The president cancelled the talks with the opposition.", "cancelled", "SANCTION"),
    ("The cabinet declared a state of emergency in the south.", "declared", "COERCE"),
    ("The rebels declared a truce for the holiday.", "declared", "RETREAT"),
    ("The two states restored diplomatic ties last year.", "restored", "SUPPORT"),
    ("The company paid compensation to the families of the miners.", "paid", "RETREAT"),
    ("The ministry lodged a formal protest with the embassy.", "lodged", "DISAPPROVE"),
    ("Police prevented a rally outside the parliament.", "prevented", "COERCE"),
    ("Farmers blocked the main highway with tractors.", "blocked", "PROTEST"),
    ("The gunmen held the passengers as hostages.", "held", "COERCE"),
    ("The governor ordered patrols along the river.", "ordered", "MOBILIZE"),
    ("Activists collected signatures against the new dam.", "collected", "PROTEST"),
    # words and particles
    ("Guards beat up the prisoners in the yard.", "beat up", "ASSAULT"),
    ("Soldiers tortured the detainees.", "tortured", "ASSAULT"),
    ("Militants blew up a railway bridge.", "blew up", "COERCE"),
    ("Rioters set fire to the town hall.", "set fire", "COERCE"),
    ("The army recaptured the hill town.", "recaptured", "FIGHT"),
    ("The opposition paper violated the ban on publishing.", "violated", "REJECT"),
    ("The two sides failed to reach an agreement.", "failed", "REJECT"),
    ("The foreign minister apologized for the incident.", "apologized", "SUPPORT"),
    ("The envoy launched a mediation effort between the two parties.", "launched", "CONSULT"),
])
def test_object_and_particle_types(pipeline: Pipeline, text: str, trigger: str,
                                   category: str) -> None:
    assert event(pipeline, text, trigger).type == category


def test_expelled_people_stay_targets(pipeline: Pipeline) -> None:
    expelled = event(pipeline, "The country expelled three foreign diplomats.", "expelled")
    assert any("diplomats" in t.text for t in expelled.targets)


def test_evacuating_a_place_is_a_retreat(pipeline: Pipeline) -> None:
    assert event(pipeline, "The army evacuated the border villages.", "evacuated").type == (
        "RETREAT")


def test_the_lemma_tables_are_the_models_own() -> None:
    """Read from the model package's folder, the lemmatizer's tables are those its loaded
    lemmatizer holds (the parsing pipeline runs without one)."""
    import spacy

    from extraction.nlp import DEFAULT_MODEL
    from extraction.triggers import _lookups, _lookups_file

    assert _lookups_file(DEFAULT_MODEL) is not None  # the fast path is the one taken
    assert _lookups_file("no_such_model_package") is None
    loaded = spacy.load(DEFAULT_MODEL, exclude=["tok2vec", "tagger", "parser",
                                                "attribute_ruler", "ner", "senter"])
    assert _lookups().to_bytes() == loaded.get_pipe("lemmatizer").lookups.to_bytes()
