"""Event triggers: the verbs and event nouns that report a happening, with their PLOVER category.

The lexicon is written from general English and the PLOVER category definitions (Open Event
Data Alliance), not from any annotated corpus. It lives here as a Python table rather than a
data file under resources/: it is small, it is read together with the few rules that use it
(particles, light verbs, objects that decide), ruff checks it, and there is no file to ship.

Three constructions beyond single words:
- phrasal verbs ("hand over", "call for", "crack down"): the verb with its particle or
  preposition;
- light verbs ("hold talks", "pay a visit", "impose sanctions", "launch an attack"): the verb
  carries the clause (actors, tense, negation), the noun decides the category;
- verbs whose object decides ("send troops" MOBILIZE, "cut ties" SANCTION).

The pipeline runs without spaCy's lemmatizer (it costs time on every token); `lemma` applies
the same English rule tables, lazily loaded from the model package, to candidate words only.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from spacy.lookups import Lookups
from spacy.tokens import Token

from extraction.nlp import DEFAULT_MODEL
from extraction.trigger_objects import ACTOR_OBJECTS, OBJECT_DECIDES, words

# -- the lexicon -------------------------------------------------------------------------------


VERBS: dict[str, str | None] = {}
NOUNS: dict[str, str | None] = {}


def _add(table: dict[str, str | None], category: str | None, words: str) -> None:
    for word in words.split():
        table[word.replace("_", " ")] = category


_add(VERBS, "AGREE", "agree accept promise pledge offer sign ratify settle consent commit "
     "guarantee undertake reconcile")
_add(NOUNS, "AGREE", "agreement accord deal pact treaty truce settlement pledge promise "
     "memorandum compromise armistice ceasefire cease-fire")
_add(VERBS, "CONSULT", "meet visit discuss negotiate consult host confer talk telephone phone "
     "travel tour journey mediate")
_add(NOUNS, "CONSULT", "meeting talk negotiation discussion consultation dialogue visit trip "
     "tour journey stop gathering encounter mediation engagement")
_add(VERBS, "SUPPORT", "support back praise endorse welcome applaud commend hail defend "
     "congratulate thank laud salute champion sympathize sympathise apologize apologise "
     "forgive")  # CAMEO 055 apologize, 056 forgive: verbal support in PLOVER
_add(NOUNS, "SUPPORT", "support praise endorsement backing solidarity recognition apology")
_add(VERBS, "CONCEDE", "concede admit yield relent retract resign")
_add(NOUNS, "CONCEDE", "concession resignation")
_add(VERBS, "COOPERATE", "cooperate co-operate collaborate extradite share coordinate partner")
_add(NOUNS, "COOPERATE", "cooperation co-operation collaboration partnership alliance "
     "extradition")
_add(VERBS, "AID", "aid assist help donate supply provide fund finance grant")
_add(NOUNS, "AID", "aid assistance help donation relief funding loan asylum")
_add(VERBS, "RETREAT", "withdraw retreat surrender disarm demobilize demobilise release free "
     "evacuate ease lift relax")
_add(NOUNS, "RETREAT", "withdrawal retreat surrender release disarmament demobilization "
     "evacuation pullout pullback")
_add(VERBS, "INVESTIGATE", "investigate probe inspect examine audit inquire")
_add(NOUNS, "INVESTIGATE", "investigation probe inquiry enquiry inspection inquest audit")
_add(VERBS, "DEMAND", "demand urge ask request insist appeal petition plead implore beg seek "
     "order")
_add(NOUNS, "DEMAND", "demand request appeal plea petition")
_add(VERBS, "DISAPPROVE", "criticize criticise condemn denounce accuse blame complain decry "
     "deplore censure rebuke slam sue allege reprimand chide lambast castigate object")
_add(NOUNS, "DISAPPROVE", "criticism condemnation accusation complaint allegation lawsuit "
     "rebuke censure")
_add(VERBS, "REJECT", "reject refuse decline veto rebuff spurn repudiate oppose defy resist "
     "deny dismiss violate breach flout disobey contravene renege")  # CAMEO 128 defy norms
_add(NOUNS, "REJECT", "rejection refusal veto denial defiance")
_add(VERBS, "THREATEN", "threaten warn menace intimidate")
_add(NOUNS, "THREATEN", "threat warning ultimatum")
_add(VERBS, "PROTEST", "protest demonstrate rally march picket riot boycott")
_add(NOUNS, "PROTEST", "protest demonstration rally march strike riot picket sit-in boycott "
     "walkout unrest")
_add(VERBS, "SANCTION", "sanction embargo blacklist penalize penalise suspend freeze")
_add(NOUNS, "SANCTION", "sanction embargo tariff restriction suspension")
_add(VERBS, "MOBILIZE", "mobilize mobilise deploy station amass mass reinforce fortify muster "
     "conscript patrol")
_add(NOUNS, "MOBILIZE", "mobilization mobilisation deployment buildup build-up reinforcement "
     "exercise drill maneuver manoeuvre patrol")
_add(VERBS, "COERCE", "arrest detain seize confiscate expel deport ban prohibit outlaw censor "
     "raid repress suppress jail imprison sentence convict prosecute indict evict exile "
     "blockade destroy demolish raze bulldoze torch vandalize vandalise deface loot ransack "
     "sabotage")  # CAMEO 17: seize or damage property
_add(NOUNS, "COERCE", "arrest detention seizure crackdown raid ban curfew deportation expulsion "
     "imprisonment blockade censorship repression prosecution indictment confiscation")
_add(VERBS, "ASSAULT", "assault attack kill murder assassinate kidnap abduct torture stab beat "
     "shoot massacre execute behead lynch injure wound hijack bomb strike")
_add(NOUNS, "ASSAULT", "attack assault bombing killing murder assassination kidnapping "
     "abduction massacre shooting explosion blast torture execution hijacking stabbing")
_add(VERBS, "FIGHT", "fight clash battle shell invade occupy bombard skirmish retake recapture "
     "overrun")
_add(NOUNS, "FIGHT", "fighting clash battle shelling invasion occupation airstrike air_strike "
     "offensive bombardment firefight skirmish hostility combat incursion gunfire")
# Happenings that fit no PLOVER category.
_add(VERBS, None, "launch celebrate elect")
_add(NOUNS, None, "launch forum summit conference election referendum vote ceremony parade "
     "festival celebration inauguration funeral test congress")

# Verb + particle or preposition: (lemma, particle) -> category.
PHRASAL: dict[tuple[str, str], str] = {
    ("hand", "over"): "COOPERATE", ("turn", "over"): "COOPERATE",
    ("call", "for"): "DEMAND", ("call", "on"): "DEMAND", ("call", "upon"): "DEMAND",
    ("ask", "for"): "DEMAND", ("press", "for"): "DEMAND", ("push", "for"): "DEMAND",
    ("pull", "out"): "RETREAT", ("pull", "back"): "RETREAT", ("stand", "down"): "RETREAT",
    ("back", "down"): "CONCEDE", ("give", "in"): "CONCEDE", ("step", "down"): "CONCEDE",
    ("turn", "down"): "REJECT", ("rule", "out"): "REJECT",
    ("speak", "out"): "DISAPPROVE", ("lash", "out"): "DISAPPROVE",
    ("crack", "down"): "COERCE", ("break", "up"): "COERCE", ("round", "up"): "COERCE",
    ("shut", "down"): "COERCE",
    ("break", "off"): "SANCTION", ("cut", "off"): "SANCTION",
    ("fire", "on"): "FIGHT", ("fire", "at"): "FIGHT", ("open", "fire"): "FIGHT",
    ("help", "out"): "AID", ("side", "with"): "SUPPORT", ("stand", "with"): "SUPPORT",
    ("walk", "out"): "PROTEST", ("take", "part"): "CONSULT",
    ("beat", "up"): "ASSAULT", ("blow", "up"): "COERCE", ("set", "fire"): "COERCE",
    ("burn", "down"): "COERCE", ("tear", "down"): "COERCE",  # CAMEO 17: damage property
    ("call", "off"): "SANCTION",  # "called off the talks"; a strike called off: CONCEDE below
}
# Light verbs: with a trigger noun as object, the noun decides the category.
LIGHT_VERBS = frozenset(
    "hold pay make impose launch stage carry conduct give take have issue express sign reach "
    "lodge file open begin start resume continue attend join host organize organise deliver "
    "mount wage declare strike seal conclude announce plan hold_off order".replace("_", " ")
    .split()
)
# Nouns that are events only as a light verb's object ("wage war", "declare war").
LIGHT_ONLY_NOUNS: dict[str, str] = {"war": "FIGHT", "fire": "FIGHT", "sanctions": "SANCTION"}
# A destination of these is the event's location, not its target.
MOVEMENT = words("visit travel tour journey trip stop arrive fly come go")
# go/come/fly/arrive report a visit only with a destination ("goes to Russia").
_NEEDS_DESTINATION = {"go": "CONSULT", "come": "CONSULT", "fly": "CONSULT",
                      "arrive": "CONSULT"}
# Conventional military force: an attack by these is FIGHT, not ASSAULT (PLOVER's line).
MILITARY = frozenset(
    "army military troop force soldier navy jet warplane aircraft tank artillery militia "
    "air_force warship fighter bomber drone missile rocket".replace("_", " ").split()
)
_INTRANSITIVE_ONLY = {"demonstrate", "march", "rally"}  # "demonstrated its strength" is none
_NOT_WITH_PREP = {"ask": {"about", "whether"}}  # "when asked about" is a question


@dataclass(frozen=True)
class Trigger:
    """A trigger found in a parse: its tokens (the anchor carries actors, tense, negation)."""

    anchor: Token  # the verb (for light verbs too) or the event noun
    tokens: tuple[Token, ...]  # every token of the trigger, in text order
    type: str | None
    noun: Token | None = None  # the event noun of a light-verb construction or noun trigger
    content: Token | None = None  # a speech act's promised or demanded action (speech_acts)

    @property
    def start_char(self) -> int:
        return self.tokens[0].idx

    @property
    def end_char(self) -> int:
        last = self.tokens[-1]
        return last.idx + len(last.text)

    @property
    def is_noun(self) -> bool:
        return self.anchor.pos_ in ("NOUN", "PROPN")

    @property
    def key(self) -> str:
        """The lemma the trigger stands on ("visit" for "Shoigu's trip"; "meet")."""
        return lemma(self.noun) if self.noun is not None else lemma(self.anchor)


def find_triggers(sentence) -> list[Trigger]:
    """Triggers in a sentence (a spaCy Span), in text order, one per happening."""
    found: list[Trigger] = []
    used: set[int] = set()
    for token in sentence:
        if token.i in used:
            continue
        trigger = _verb_trigger(token) if token.pos_ in ("VERB", "AUX") else None
        if trigger is None and token.pos_ in ("NOUN", "PROPN"):
            trigger = _noun_trigger(token)
        if trigger is None:
            continue
        found.append(trigger)
        used.update(t.i for t in trigger.tokens)
    # A noun taken by a light verb later in the sentence is not a second event.
    nouns = {t.noun.i for t in found if t.noun is not None and t.anchor is not t.noun}
    return [t for t in found if not (t.anchor is t.noun and t.anchor.i in nouns)]


def _verb_trigger(token: Token) -> Trigger | None:
    if token.pos_ == "AUX" or token.dep_ == "aux":
        return None
    if token.dep_ in ("dobj", "pobj", "nsubj", "nsubjpass") and any(
            c.dep_ == "det" for c in token.children):
        return None  # a participle as a noun: "evacuated the wounded"
    word = lemma(token)
    objects = [c for c in token.children if c.dep_ in ("dobj", "dative")]
    for child in token.children:
        if child.dep_ in ("prt", "prep", "dobj") and (word, child.lower_) in PHRASAL:
            decided = _decided_by_object(f"{word} {child.lower_}", objects)
            if decided is not None:
                return Trigger(token, _ordered(token, child, decided[1]), decided[0], decided[1])
            return Trigger(token, _ordered(token, child), PHRASAL[(word, child.lower_)])
    decided = _decided_by_object(word, objects) or _held_as(token)
    if decided is not None:
        category, obj = _obstruction(token, decided[0]), decided[1]
        if lemma(obj) in ACTOR_OBJECTS:  # "expelled two diplomats": the object is the target
            return Trigger(token, (token,), category)
        return Trigger(token, _ordered(token, obj), category, obj)
    for obj in objects:
        if word in LIGHT_VERBS:
            noun = _effort_of(obj)
            noun_type = _noun_category(noun, light=True)
            if noun_type is not False:
                return Trigger(token, _ordered(token, obj), _military(noun, noun_type), noun)
    failed = _failed_agreement(token) if word == "fail" else None
    if failed is not None:
        return failed
    if word in _NEEDS_DESTINATION:
        if any(c.dep_ == "prep" and (c.lower_ in ("to", "into") or (
                word == "arrive" and c.lower_ in ("in", "at") and _names_a_place(c)))
               for c in token.children):
            return Trigger(token, (token,), _NEEDS_DESTINATION[word])
        return None
    if word not in VERBS:
        return None
    if word in _INTRANSITIVE_ONLY and objects:
        return None
    banned = _NOT_WITH_PREP.get(word)
    if banned and any(c.dep_ == "prep" and c.lower_ in banned for c in token.children):
        return None
    return Trigger(token, (token,), _military(token, VERBS[word]))


def _object_words(obj: Token) -> list[Token]:
    """The object, the noun of its "of" phrase and its modifiers: what may decide a verb's
    category ("700 kg of medicine", "a state of siege", "emergency measures")."""
    out = [obj] + [c for c in obj.children if c.dep_ in ("compound", "amod")]
    for prep in obj.children:
        if prep.dep_ == "prep" and prep.lower_ == "of":
            out += [c for c in prep.children if c.dep_ == "pobj"]
    return out


def _decided_by_object(verb: str, objects: list[Token]) -> tuple[str, Token] | None:
    for obj in objects:
        for noun in _object_words(obj):
            category = OBJECT_DECIDES.get((verb, lemma(noun)))
            if category is not None:
                return category, obj
    return None


_CAPTIVES = words("hostage captive prisoner shield")


def _held_as(verb: Token) -> tuple[str, Token] | None:
    """ "held them hostage", "holding civilians as human shields" (CAMEO 173 detain); "took
    them hostage" (181 abduct)."""
    word = lemma(verb)
    if word not in ("hold", "keep", "take"):
        return None
    for child in verb.children:
        nouns = [child] if child.dep_ in ("oprd", "npadvmod", "xcomp", "dobj", "advmod") else []
        if child.dep_ == "prep" and child.lower_ == "as":
            nouns = [c for c in child.children if c.dep_ == "pobj"]
        for noun in nouns:
            if lemma(noun) in _CAPTIVES:
                return ("ASSAULT" if word == "take" else "COERCE"), noun
    return None


_STATE_FORCES = words("police army troop soldier force authority government military")


def _obstruction(verb: Token, category: str) -> str:
    """Roads blocked by protesters are a protest (CAMEO 144); by police or troops, a
    restriction of movement (191)."""
    if category != "PROTEST" or lemma(verb) not in ("block", "barricade", "obstruct"):
        return category
    subjects = [c for c in verb.children if c.dep_ == "nsubj"]
    return "COERCE" if any(lemma(s) in _STATE_FORCES for s in subjects) else category


_EFFORTS = words("effort bid campaign drive initiative process mission operation round")


def _effort_of(obj: Token) -> Token:
    """ "launched a mediation effort", "a campaign of bombings": the noun that says what."""
    if lemma(obj) not in _EFFORTS:
        return obj
    for noun in _object_words(obj)[1:]:
        if _noun_category(noun, light=False) is not False:
            return noun
    return obj


def _failed_agreement(verb: Token) -> Trigger | None:
    """ "failed to reach agreement": no agreement is a rejection (CAMEO 127)."""
    for child in verb.children:
        if child.dep_ == "xcomp" and child.pos_ == "VERB":
            inner = _verb_trigger(child)
            if inner is not None and inner.type == "AGREE":
                return Trigger(verb, _ordered(verb, *inner.tokens), "REJECT", inner.noun)
    return None


def _names_a_place(prep: Token) -> bool:
    """ "arrived in Vladivostok", not "arrived in the afternoon"."""
    return any(c.dep_ == "pobj" and (c.pos_ == "PROPN" or any(
        t.ent_type_ in ("GPE", "LOC", "FAC") for t in c.subtree)) for c in prep.children)


def _noun_trigger(token: Token) -> Trigger | None:
    category = _noun_category(token, light=False)
    if category is False:
        return None
    if token.dep_ == "compound" and token.head.pos_ in ("NOUN", "PROPN"):
        # "the launch center", "exercise area": a modifier names no happening; but
        # "air strike", "peace talks" are found on the head noun.
        return None
    return Trigger(token, (token,), _military(token, category), token)


def _noun_category(token: Token, light: bool) -> str | None | bool:
    """The noun's category, None for an untyped happening, False for no event noun."""
    word = lemma(token)
    if light and token.lower_ in LIGHT_ONLY_NOUNS:
        return LIGHT_ONLY_NOUNS[token.lower_]
    if light and word in LIGHT_ONLY_NOUNS:
        return LIGHT_ONLY_NOUNS[word]
    if word == "exercise" and any(c.lower_ == "joint" for c in token.children):
        return "COOPERATE"
    if word == "strike":
        mods = {c.lower_ for c in token.children if c.dep_ in ("compound", "amod")}
        return "FIGHT" if mods & {"air", "missile", "drone", "military", "artillery"} else (
            "PROTEST")
    if word in NOUNS:
        return NOUNS[word]
    return False


# Violence that is unconventional whoever does it (CAMEO 18): not FIGHT even by soldiers.
UNCONVENTIONAL = words("torture beat kidnap abduct hijack behead lynch stab massacre execute "
                       "assassinate murder rape kidnapping abduction hijacking massacre "
                       "execution assassination murder stabbing")


def _military(token: Token, category: str | None) -> str | None:
    """An attack by conventional forces is FIGHT (PLOVER), one by anyone else ASSAULT."""
    if category != "ASSAULT" or lemma(token) in UNCONVENTIONAL:
        return category
    near = [c for c in token.children if c.dep_ in ("nsubj", "agent", "compound", "amod", "poss")]
    near += [g for c in near if c.dep_ == "agent" for g in c.children]
    if any(lemma(t) in MILITARY for t in near):
        return "FIGHT"
    return category


def _ordered(*tokens: Token) -> tuple[Token, ...]:
    return tuple(sorted(tokens, key=lambda t: t.i))


# -- lemmas ------------------------------------------------------------------------------------


def lemma(token: Token) -> str:
    """The token's lemma: spaCy's when the pipeline has a lemmatizer, else the rule tables'."""
    # what it depends on, as the string store's hashes (cheaper to read than strings)
    key = (token.lemma, token.pos, token.tag, token.lower)
    found = _LEMMAS.get(key)
    if found is None:
        if len(_LEMMAS) >= _LEMMAS_KEPT:
            _LEMMAS.clear()
        found = _LEMMAS[key] = _lemma(token)
    return found


_LEMMAS: dict[tuple[int, int, int, int], str] = {}
_LEMMAS_KEPT = 100_000


def _lemma(token: Token) -> str:
    if token.lemma_:
        return token.lemma_.lower()
    pos = token.pos_
    if pos == "PROPN":  # headlines: "Weapons Talks", "to Visit"
        pos = "VERB" if token.tag_.startswith("VB") else "NOUN"
    if pos not in ("VERB", "NOUN", "ADJ"):
        return token.lower_
    return lemmatize(token.lower_, pos.lower())


@lru_cache(maxsize=65536)
def lemmatize(word: str, pos: str) -> str:
    """spaCy's English rule lemmatization of one word ("fought", "verb" -> "fight")."""
    index, exceptions, rules = _tables(pos)
    if word in exceptions:
        return exceptions[word][0]
    forms, unknown = [], []
    for old, new in rules:
        if word.endswith(old):
            form = word[: len(word) - len(old)] + new
            if form and (form in index or not form.isalpha()):
                forms.append(form)
            elif form:
                unknown.append(form)
    if forms:
        return forms[0]
    if word in index or not unknown:
        return word
    return unknown[0]


@lru_cache(maxsize=8)
def _tables(pos: str) -> tuple[frozenset[str], dict[str, list[str]], list[list[str]]]:
    lookups = _lookups()
    index = lookups.get_table("lemma_index").get(pos, [])
    exceptions = lookups.get_table("lemma_exc").get(pos, {})
    rules = lookups.get_table("lemma_rules").get(pos, [])
    return frozenset(index), dict(exceptions), list(rules)


@lru_cache(maxsize=1)
def _lookups() -> Lookups:
    """The English model's lemmatizer tables: read from the model package's folder (12 ms),
    else from its lemmatizer, loaded for them (0.3 s: a second tokenizer; the parsing pipeline
    runs without a lemmatizer, extraction.nlp.build_nlp)."""
    found = _lookups_file(DEFAULT_MODEL)
    if found is not None:
        return Lookups().from_disk(found.parent)
    import spacy

    nlp = spacy.load(DEFAULT_MODEL, exclude=["tok2vec", "tagger", "parser", "attribute_ruler",
                                            "ner", "senter"])
    return nlp.get_pipe("lemmatizer").lookups


def _lookups_file(model: str) -> Path | None:
    """The lemmatizer's lookups.bin in an installed model package, if laid out as spaCy's
    packages are (<package>/<name>-<version>/lemmatizer/lookups/)."""
    from spacy.util import get_package_path

    try:
        package = Path(get_package_path(model))
    except ImportError:  # not an installed package (a path, or missing)
        return None
    found = sorted(package.glob("*/lemmatizer/lookups/lookups.bin"))
    return found[0] if len(found) == 1 else None
