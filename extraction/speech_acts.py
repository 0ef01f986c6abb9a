"""Speech acts: what a saying verb commits its speaker to, or demands of someone else.

CAMEO and PLOVER code what is said about a future action as an event of its own: "X said it
will release the hostages" is a promise (AGREE, CAMEO 03 "express intent to cooperate"),
"X said it will not accept refugees" a refusal (REJECT), "X said it will boycott the talks
unless ..." a threat (THREATEN, CAMEO 13), and "X said Y must return the helicopter" a demand
of Y (DEMAND, CAMEO 10). The action itself stays an event of its own (a planned release).

The speech act is found on a saying verb ("say", "announce", "vow") whose clausal complement
carries a commitment: a future ("will", "would"), a readiness ("is willing to", "is prepared
to") or an obligation ("must", "should", "has to"). Its trigger is the saying verb with the
commitment's words; the saying verb carries its status and date (the promise is reported).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from extraction.actors import ActorSpans, actor_spans
from extraction.triggers import Trigger, lemma, words

SAYING = words("say announce declare state tell add conclude insist claim assert affirm "
               "reiterate confirm indicate write report")
# Verbs that commit by themselves and take an infinitive: "vowed to fight".
COMMISSIVE = words("vow swear")
FUTURE = words("will would shall 'll wo 'd")
OBLIGATION = words("must should ought")
READY = words("willing prepared ready determined eager")
HOSTILE = frozenset({"THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
                     "FIGHT", "DISAPPROVE"})
# Withdrawing these is a threat to end cooperation (CAMEO 1311, 136), not a retreat.
COOPERATION_NOUNS = words("inspector observer monitor peacekeeper peacekeeping worker aid "
                          "assistance mission ambassador envoy diplomat support funding "
                          "cooperation investment")
_WITHDRAWING = words("withdraw recall suspend cut halt stop end")
_SELF = words("i we")


@dataclass(frozen=True)
class Commitment:
    """The clause a saying verb reports: its main verb and the words that commit it."""

    verb: Token  # the action's verb ("release" in "will release")
    markers: tuple[Token, ...]  # "will", "must", "willing"...
    obligation: bool


def find_speech_acts(sentence: Span, triggers: list[Trigger]) -> list[Trigger]:
    """Speech-act triggers of a sentence (a spaCy Span), given its other triggers."""
    used = {t.i for trigger in triggers for t in trigger.tokens}
    by_anchor = {trigger.anchor.i: trigger for trigger in triggers}
    found = []
    for token in sentence:
        if token.i in used or token.pos_ != "VERB":
            continue
        commitment = _commitment(token)
        if commitment is None:
            continue
        category = _category(token, commitment, by_anchor.get(commitment.verb.i))
        if category is None:
            continue
        tokens = {token, *commitment.markers}
        if token.i < commitment.verb.i:  # "said it will release", not "..., a source said"
            tokens.add(commitment.verb)
        found.append(Trigger(token, tuple(sorted(tokens, key=lambda t: t.i)), category,
                             content=commitment.verb))
    return found


def _commitment(verb: Token) -> Commitment | None:
    word = lemma(verb)
    if word in COMMISSIVE:
        for child in verb.children:
            if child.pos_ == "VERB" and (child.dep_ == "xcomp" or child.dep_ == "advcl" and any(
                    c.dep_ == "aux" and c.lower_ == "to" for c in child.children)):
                return Commitment(child, (), obligation=False)
        return None
    if word not in SAYING:
        return None
    clauses = [c for c in verb.children if c.dep_ == "ccomp"]
    if verb.dep_ in ("conj", "parataxis") and verb.head.i < verb.i:
        clauses.append(verb.head)  # "X will provide aid, the agency said" parsed as conjoined
    for clause in clauses:
        found = _committed_clause(clause)
        if found is not None:
            return found
    return None


def _committed_clause(head: Token) -> Commitment | None:
    """ "it will release", "he is prepared to lift", "Sudan must return", "they have to go"."""
    aux = [c for c in head.children if c.dep_ in ("aux", "auxpass")]
    modals = [c for c in aux if c.lower_ in FUTURE | OBLIGATION]
    ready = [c for c in head.children if c.dep_ == "acomp" and c.lower_ in READY]
    if lemma(head) == "be" and ready:
        verb = next((c for c in ready[0].children if c.dep_ == "xcomp"), None)
        return None if verb is None else Commitment(verb, (ready[0],), obligation=False)
    if lemma(head) in ("have", "need") and not modals:
        verb = next((c for c in head.children if c.dep_ == "xcomp" and any(
            a.lower_ == "to" for a in c.children)), None)
        return None if verb is None else Commitment(verb, (head,), obligation=True)
    if head.pos_ != "VERB" or not modals:
        return None
    return Commitment(head, (modals[0],), obligation=modals[0].lower_ in OBLIGATION)


def _category(verb: Token, commitment: Commitment, content: Trigger | None) -> str | None:
    """DEMAND of someone else; of the speaker's own action REJECT when negated, THREATEN when
    conditional ("unless") or hostile, else AGREE (a promise)."""
    subject = _subject(commitment)
    if commitment.obligation:
        if subject is None or subject.pos_ == "PRON" and subject.lower_ != "you":
            return None  # "we must act" is no demand of another
        return "DEMAND"
    if subject is None or subject.lower_ in _SELF and lemma(verb) not in COMMISSIVE:
        return None
    action = commitment.verb
    if content is None and lemma(action) in ("be", "have"):
        return None  # "said it will be difficult"
    if _negated(action, commitment):
        return "REJECT"
    if _condition(action) == "unless" or _ends_cooperation(action):
        return "THREATEN"
    kind = content.type if content is not None else None
    if kind in ("REJECT", "DEMAND"):
        return kind
    if kind in HOSTILE:
        return "THREATEN"
    return "AGREE"


def _subject(commitment: Commitment) -> Token | None:
    node = commitment.verb
    for _ in range(3):  # the subject of "is willing to withdraw" sits on "is"
        subjects = [c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")]
        if subjects:
            return subjects[0]
        if node.head.i == node.i or node.dep_ not in ("xcomp", "acomp", "advcl"):
            break
        node = node.head
    return None


def _negated(action: Token, commitment: Commitment) -> bool:
    nodes = [action, *commitment.markers]
    nodes += [m.head for m in commitment.markers]
    return any(c.dep_ == "neg" for n in nodes for c in n.children)


def _condition(action: Token) -> str | None:
    for child in action.children:
        if child.dep_ == "advcl":
            for mark in child.children:
                if mark.dep_ == "mark" and mark.lower_ in ("if", "unless"):
                    return mark.lower_
    return None


def _ends_cooperation(action: Token) -> bool:
    """ "will withdraw its inspectors", "will cut off aid": a threat to end cooperation."""
    if lemma(action) not in _WITHDRAWING:
        return False
    objects = [c for c in action.children if c.dep_ == "dobj"]
    objects += [c for o in objects for c in o.conjuncts]
    nouns = {lemma(o) for o in objects} | {lemma(c) for o in objects for c in o.children
                                            if c.dep_ in ("compound", "amod")}
    return bool(nouns & COOPERATION_NOUNS)


def speech_act_spans(trigger: Trigger, places: set[int]) -> ActorSpans:
    """Who commits or demands, and of whom. A demand's target is the clause's subject ("Sudan
    must return"); a commitment's source is the clause's subject unless it is a pronoun
    ("Finland will give ..., a statement said"; "Hungary said it will support"), and its
    targets are the action's."""
    speaker = actor_spans(trigger, places)
    content = trigger.content
    if content is None:
        return speaker
    clause = actor_spans(Trigger(content, (content,), None), places)
    if trigger.type == "DEMAND":
        return ActorSpans(speaker.sources, clause.sources + speaker.targets)
    own = [s for s in clause.sources if s.root.pos_ != "PRON"]
    return ActorSpans(own or speaker.sources, clause.targets)
