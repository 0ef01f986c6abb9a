"""Short headlines for extracted events: "Kim Jong Un and Vladimir Putin to meet in Vladivostok",
"Sergei Shoigu visits Pyongyang". Present tense for what is reported, "to" for what is
planned, "would" for the hypothetical and "does not" for the denied, as news headlines write.
"""

from __future__ import annotations

from extraction.triggers import MOVEMENT, Trigger, lemma
from store.models import ActorRef, ExtractedEvent

# Event nouns said as a verb in a headline.
NOUN_VERBS = {
    "visit": "visit", "trip": "visit", "tour": "tour", "journey": "visit", "stop": "visit",
    "meeting": "meet", "gathering": "meet", "encounter": "meet", "talk": "hold talks",
    "negotiation": "negotiate", "discussion": "hold discussions", "consultation": "consult",
    "sanction": "impose sanctions", "attack": "attack", "protest": "protest",
    "exercise": "hold exercises", "drill": "hold drills", "launch": "launch",
    "invasion": "invade", "arrest": "arrest", "investigation": "investigate",
    "agreement": "reach an agreement", "deal": "make a deal", "warning": "warn",
    "threat": "threaten", "criticism": "criticise", "demand": "demand", "aid": "send aid",
    "assistance": "provide assistance", "withdrawal": "withdraw", "cooperation": "cooperate",
    "deployment": "deploy forces", "strike": "strike", "bombing": "bomb", "clash": "clash",
}
CATEGORY_VERBS = {
    "AGREE": "agree", "CONSULT": "meet", "SUPPORT": "support", "CONCEDE": "concede",
    "COOPERATE": "cooperate", "AID": "aid", "RETREAT": "withdraw", "INVESTIGATE": "investigate",
    "DEMAND": "demand", "DISAPPROVE": "criticise", "REJECT": "reject", "THREATEN": "threaten",
    "PROTEST": "protest", "SANCTION": "sanction", "MOBILIZE": "mobilise", "COERCE": "coerce",
    "ASSAULT": "attack", "FIGHT": "fight",
}
SPEECH_ACT_VERBS = {"AGREE": "promise to", "REJECT": "refuse to", "THREATEN": "threaten to"}
_IRREGULAR = {"be": "is", "have": "has", "do": "does", "go": "goes"}
_AREAS = {"country", "region", "continent", "county", "city", "town", "village"}


def make_title(trigger: Trigger, event: ExtractedEvent, phrase: str = "") -> str:
    sources = _names(event.sources)
    verb = _verb(trigger)
    moving = trigger.key in MOVEMENT
    place = event.place.place if event.place is not None else None
    where = ""
    if place is not None:
        where = f" {'in' if place.kind in _AREAS or place.kind.startswith('admin') else 'at'} "
        where += place.name
    if not sources and trigger.is_noun and not event.targets:
        name = phrase or event.trigger
        head = name[:1].upper() + name[1:]
        if head.lower().startswith("the "):
            head = head[4:]
        return _tidy(head + where)
    verb = verb or CATEGORY_VERBS.get(event.type or "", event.trigger)
    if moving:
        verb = "visit"
    plural = len(event.sources) > 1
    targets = _names([t for t in event.targets
                      if t.actor not in {s.actor for s in event.sources}])
    tail = f" {targets}" if targets else ""
    if moving and place is not None and not targets and verb == "visit":
        tail, where = f" {place.name}", ""
    if not sources:  # "Planned visit to Russia", "Supply to Russia"
        prefix = {"planned": "planned ", "hypothetical": "hypothetical ",
                  "denied": "no "}.get(event.status, "")
        name = phrase or event.trigger
        tail = f" {'to' if moving else 'of'} {targets}" if targets else ""
        if moving and place is not None:
            where = f" to {place.name}"
        return _tidy(f"{prefix}{name}{tail}{where}")
    return _tidy(f"{sources} {_inflect(verb, event.status, plural)}{tail}{where}")


def _verb(trigger: Trigger) -> str | None:
    if trigger.content is not None:  # a speech act: "Syria refuses to accept"
        if trigger.type == "DEMAND":
            return "call on"  # "Russia calls on Sudan"
        return f"{SPEECH_ACT_VERBS.get(trigger.type or '', 'say')} {lemma(trigger.content)}"
    if trigger.is_noun:
        return NOUN_VERBS.get(trigger.key)
    words = [lemma(t) if t.i == trigger.anchor.i else t.lower_ for t in trigger.tokens]
    if trigger.noun is not None and trigger.noun.i != trigger.anchor.i:
        words = [lemma(trigger.anchor), trigger.noun.text]
    return " ".join(words)


def _names(refs: list[ActorRef]) -> str:
    names: list[str] = []
    for ref in refs:
        if ref.name not in names:
            names.append(ref.name)
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _inflect(verb: str, status: str, plural: bool) -> str:
    if status == "planned":
        return f"to {verb}"
    if status == "hypothetical":
        return f"would {verb}"
    if status == "denied":
        return f"{'do' if plural else 'does'} not {verb}"
    if plural:
        return verb
    first, _, rest = verb.partition(" ")
    return _third_person(first) + (f" {rest}" if rest else "")


def _third_person(verb: str) -> str:
    if verb in _IRREGULAR:
        return _IRREGULAR[verb]
    if verb.endswith(("s", "sh", "ch", "x", "z", "o")):
        return verb + "es"
    if verb.endswith("y") and len(verb) > 1 and verb[-2] not in "aeiou":
        return verb[:-1] + "ies"
    return verb + "s"


def _tidy(title: str) -> str:
    title = " ".join(title.split())
    return title[:1].upper() + title[1:]
