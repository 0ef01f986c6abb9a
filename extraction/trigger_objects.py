"""Verbs whose object decides the event's category ("send arms" AID, "lift the curfew" CONCEDE,
"expel diplomats" SANCTION), written from the CAMEO verb codebook's categories as PLOVER maps
them; the CAMEO code is given where the choice is not obvious. extraction.triggers reads the
table; it lives apart to keep that module to its rules.
"""

from __future__ import annotations


def words(text: str) -> frozenset[str]:
    """A set of words written as one string: easier to read and edit than a list of strings."""
    return frozenset(text.split())


AID_GOODS = words("aid assistance relief supply medicine medication food grain fuel blanket "
                  "tent vaccine")
ARMS = words("arm weapon ammunition equipment")  # CAMEO 072 military aid
INQUIRERS = words("inspector investigator monitor observer")
EASING = words("ease lift relax loosen cancel revoke rescind end remove scrap abolish repeal")
ADMINISTRATIVE = words("curfew ban restriction emergency censorship martial")
ECONOMIC = words("sanction embargo blockade siege")
CALLING_OFF = frozenset({"call off", "cancel", "end", "abandon", "halt", "suspend"})
DISSENT = words("strike protest demonstration boycott rally march sit-in")
CONTACTS = words("visit meeting talk negotiation summit trip")
PASSAGE = words("road street highway motorway bridge railway traffic entrance route crossing")
EVACUEES = words("wounded wound injured injure civilian refugee resident casualty sick people "
                 "child foreigner national victim patient")
ACTOR_OBJECTS = INQUIRERS | EVACUEES | words("diplomat ambassador envoy peacekeeper attache "
                                             "hostage captive prisoner")
# Verbs whose object decides: (lemma, object lemma) -> category; the object may be a
# quantity or a container ("700 kg of medicine", "a state of siege") or modified by the word
# that decides ("emergency measures").
OBJECT_DECIDES: dict[tuple[str, str], str] = {
    **{("send", n): "MOBILIZE" for n in ("troop", "force", "soldier", "warship", "army")},
    **{(v, n): "SANCTION" for v in ("cut", "sever", "break", "downgrade")
       for n in ("tie", "relation")},
    **{("recall", n): "SANCTION" for n in ("ambassador", "envoy")},
    **{(v, n): "AID" for v in ("send", "dispatch", "ship", "deliver", "airlift", "supply")
       for n in AID_GOODS | ARMS},
    # weapons handed over are surrendered, not given: only relief goods make it aid
    **{(v, n): "AID" for v in ("hand over", "turn over") for n in AID_GOODS},
    **{(v, n): "INVESTIGATE" for v in ("send", "dispatch") for n in INQUIRERS},
    # CAMEO 086: allow international involvement (receive inspectors, peacekeepers)
    **{(v, n): "RETREAT" for v in ("receive", "accept", "admit", "allow")
       for n in INQUIRERS | {"peacekeeper"}},
    # CAMEO 161, 166: expel diplomats, inspectors, peacekeepers ("withdraw" them stays RETREAT
    # here: its "from" phrase is a target only for RETREAT in extraction.actors)
    **{(v, n): "SANCTION" for v in ("expel", "recall")
       for n in INQUIRERS | {"diplomat", "ambassador", "envoy", "peacekeeper", "attache"}},
    # CAMEO 081 ease administrative sanctions; 085 economic ones, 0872 a blockade
    **{(v, n): "CONCEDE" for v in EASING for n in ADMINISTRATIVE},
    **{(v, n): "RETREAT" for v in EASING for n in ECONOMIC},
    # CAMEO 082 ease popular dissent; 164 halt negotiations
    **{(v, n): "CONCEDE" for v in CALLING_OFF for n in DISSENT},
    **{(v, n): "SANCTION" for v in CALLING_OFF for n in CONTACTS},
    # CAMEO 1724 impose a state of emergency, martial law, curfew
    **{(v, n): "COERCE" for v in ("declare", "impose", "proclaim", "introduce", "extend")
       for n in ("emergency", "siege", "martial", "curfew")},
    # CAMEO 0871 declare a truce; 196 violate a ceasefire
    **{(v, n): "RETREAT" for v in ("declare", "announce", "observe", "call")
       for n in ("ceasefire", "cease-fire", "truce")},
    **{(v, n): "FIGHT" for v in ("violate", "breach", "break")
       for n in ("ceasefire", "cease-fire", "truce")},
    # CAMEO 050 diplomatic cooperation; 0842 return property (pay for what was taken)
    **{(v, n): "SUPPORT" for v in ("upgrade", "restore", "normalize", "normalise", "establish")
       for n in ("tie", "relation")},
    **{("pay", n): "RETREAT" for n in ("compensation", "reparation", "damage", "indemnity")},
    # CAMEO 114 complain officially: a protest lodged is a complaint, not a demonstration
    **{(v, "protest"): "DISAPPROVE" for v in ("lodge", "file", "register", "deliver", "send")},
    # CAMEO 1721 restrict dissent; 144 obstruct passage
    **{(v, n): "COERCE" for v in ("prevent", "disrupt", "thwart", "foil", "forbid", "block")
       for n in DISSENT},
    **{(v, n): "PROTEST" for v in ("block", "barricade", "obstruct") for n in PASSAGE},
    **{("order", n): "MOBILIZE" for n in ("troop", "force", "soldier", "army")},
    # CAMEO 073 humanitarian aid: people carried to safety (a place evacuated is a RETREAT)
    **{("evacuate", n): "AID" for n in EVACUEES},
    # CAMEO 140 political dissent: a petition drive
    **{(v, "signature"): "PROTEST" for v in ("collect", "gather")},
}
