"""Sources and targets of events, one sentence per construction (sentences written for these
tests)."""

from __future__ import annotations

import pytest

from extraction.pipeline import Pipeline
from tests.extraction.test_event_extraction import event, events_of

pytestmark = pytest.mark.model


def _texts(refs) -> list[str]:
    return [a.text for a in refs]


@pytest.mark.parametrize(("text", "trigger", "source", "target"), [
    # a place after "to" is a target unless the happening is a movement
    ("Norway sent aid to Haiti on Monday.", "sent aid", "Norway", "Haiti"),
    ("The rebels handed over the hostages to Canada.", "handed over", "rebels", "Canada"),
    # an object that names no actor leads to the one its phrases name
    ("Spain condemned the decision of Morocco.", "condemned", "Spain", "Morocco"),
    ("Chile announced a suspension of flights with Peru.", "suspension", "Chile", "Peru"),
    ("The senate imposed sanctions on Venezuela.", "imposed sanctions", "senate", "Venezuela"),
    ("The rebels demanded the removal of President Ortega.", "demanded", "rebels",
     "President Ortega"),
    ("Peru rejected a proposal by Bolivia.", "rejected", "Peru", "Bolivia"),
    ("Chile rejected the Argentine proposal.", "rejected", "Chile", "Argentine"),
    ("Chad condemned Sudan's decision.", "condemned", "Chad", "Sudan"),
    ("Police attacked Croatian extremists.", "attacked", "Police", "Croatian extremists"),
    ("The protesters called for the resignation of the mayor.", "called for", "protesters",
     "mayor"),
    # an infinitive's object is the governing verb's target
    ("Ecuador threatened to attack Colombia.", "threatened", "Ecuador", "Colombia"),
    ("The minister refused to meet the strikers.", "refused", "minister", "strikers"),
    ("The police opened fire to disperse the students.", "opened fire", "police", "students"),
    ("Kenya agreed to re-open its border to Somali refugees.", "agreed", "Kenya",
     "Somali refugees"),
    # a threat is aimed at whoever must meet its condition
    ("Ecuador threatened to close the border unless Peru released the men.", "threatened",
     "Ecuador", "Peru"),
    # a host or mediator acts towards the parties it brings together
    ("Norway hosted talks between Israel and Jordan.", "hosted talks", "Norway", "Jordan"),
    # what is demanded of someone has them as its subject
    ("Portugal urged that Angola release the journalists.", "urged", "Portugal", "Angola"),
    ("The union repeated its demand that the company raise wages.", "demand", "union",
     "company"),
    # withdrawing from a place
    ("Chad withdrew its soldiers from Niger.", "withdrew", "Chad", "Niger"),
    # people named by their office, membership or origin
    ("Farmers killed the chief of the village militia.", "killed", "Farmers",
     "chief of the village militia"),
    ("Doctors from French charities treated and helped the refugees.", "helped",
     "Doctors from French charities", "refugees"),
    ("Troops tortured scores of Sudanese refugees.", "tortured", "Troops", "Sudanese refugees"),
    ("The Zapatista movement attacked an army base.", "attacked", "Zapatista movement", None),
    ("Police arrested members of the opposition party.", "arrested", "Police",
     "members of the opposition party"),
    # sources through adjectival control, conjoined passives and noun clauses
    ("The governor was indicted and will resign.", "resign", "governor", None),
    ("The group issued a statement demanding that Ghana free the men.", "demanding", "group",
     "Ghana"),
    ("Kenya's decision to expel the diplomats angered Uganda.", "expel", "Kenya", "diplomats"),
    ("The envoy summoned the ambassador to complain about the raid.", "complain", "envoy",
     None),
    # a happening as the subject stands for who made it happen; aspect verbs share the agent
    ("Russian air strikes killed ten civilians.", "killed", "Russian", "ten civilians"),
    ("Chad speeded up the withdrawal of its soldiers.", "withdrawal", "Chad", None),
])
def test_actors(pipeline: Pipeline, text: str, trigger: str, source: str,
                target: str | None) -> None:
    e = event(pipeline, text, trigger)
    assert source in _texts(e.sources)
    if target is not None:
        assert target in _texts(e.targets)


def test_adjectival_control_gives_the_speaker(pipeline: Pipeline) -> None:
    e = event(pipeline, "Egypt says it is willing to withdraw from the talks.", "withdraw")
    assert [a.actor for a in e.sources] == ["state:EG"]


def test_a_movements_destination_is_no_target(pipeline: Pipeline) -> None:
    e = event(pipeline, "The president travelled to Paris on Monday.", "travel")
    assert e.targets == []
    assert e.place is not None and e.place.place.name == "Paris"


def test_a_venue_is_no_target(pipeline: Pipeline) -> None:
    e = event(pipeline, "The ministers met at Geneva on Monday.", "met")
    assert e.targets == []


def test_a_name_in_an_apposition_keys_the_person(pipeline: Pipeline) -> None:
    e = event(pipeline, "A member of the Kenyan parliament, Daniel Otieno, criticized the "
              "police.", "criticized")
    assert [a.actor for a in e.sources] == ["person:daniel otieno"]
    assert "member of the Kenyan parliament" in e.sources[0].text


def test_a_name_broken_into_several_subjects_is_one_actor(pipeline: Pipeline) -> None:
    e = event(pipeline, "Sheikh Hamad bin Khalifa al-Thani launched a mediation effort "
              "between Bahrain and Oman.", "launched")
    assert len(e.sources) == 1 and "Hamad" in e.sources[0].text


def test_supporters_of_a_person_are_not_the_person(pipeline: Pipeline) -> None:
    e = event(pipeline, "Supporters of President Obote attacked the station.", "attacked")
    assert e.sources and e.sources[0].actor != "person:obote"


def test_a_pronoun_deep_in_what_is_said_is_the_speaker(pipeline: Pipeline) -> None:
    events = events_of(pipeline, "The Tamil rebels said they will free the soldiers whom they "
                       "attacked.")
    free = [e for e in events if e.trigger == "free"]
    attacked = [e for e in events if e.trigger == "attacked"]
    assert free and attacked and free[0].sources
    assert [a.actor for a in attacked[0].sources] == [a.actor for a in free[0].sources]


def test_a_pronoun_that_does_not_agree_is_not_the_speaker(pipeline: Pipeline) -> None:
    e = event(pipeline, "The strikers blocked the road, saying he must resign.", "resign")
    assert e.sources == []
