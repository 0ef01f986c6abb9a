"""Whether a trigger's happening is reported, planned, hypothetical or denied.

- hypothetical: in a conditional or counterfactual clause ("if they meet", "whether or not the
  meeting happens", "it would be like the United States turning to Uruguay", "would have met");
- denied: the trigger, its light verb or a verb that controls it is negated ("did not meet",
  "the visit did not take place", "no talks", "refused to meet"), or it is what someone denies
  ("denied that troops entered");
- planned: future or possible ("will", "may", "could", "is expected to", "plans to", "potential
  stops", "the planned meeting", "scheduled for", a headline's "Kim to visit"), and "not ruled
  out";
- reported: asserted to have happened or to be happening (everything else).
The order of the checks is the order above: "if he does not come" is hypothetical.
"""

from __future__ import annotations

from spacy.tokens import Token

from extraction.triggers import Trigger, lemma, words

REPORTED, PLANNED, HYPOTHETICAL, DENIED = "reported", "planned", "hypothetical", "denied"

MODALS = words("will shall 'll may might could can should must wo ca")
CONDITIONAL_MARKS = words("if unless whether lest")
SUPPOSING = words("imagine pretend")
PLANNING = words(
    "plan intend expect prepare want hope aim seek schedule propose agree promise pledge "
    "threaten offer decide try vow set due going wish attempt consider mull need persuade urge "
    "ask call invite suggest arrange suppose likely unlikely able ready eager willing possible "
    "poised determined keen anticipate demand insist push press order tell encourage "
    "announce discuss negotiate vow swear")
PLANNING_NOUNS = words("plan intention proposal possibility prospect bid offer "
                           "invitation idea option")
PLANNING_MODIFIERS = words(
    "potential possible planned upcoming expected proposed likely future next forthcoming "
    "prospective scheduled intended impending imminent anticipated rumoured rumored mooted "
    "would-be probable unlikely eventual")
NEGATING = words("refuse decline fail reject deny cancel")
_EVENT_VERBS = words("take happen occur begin start go proceed continue")


def status_of(trigger: Trigger) -> str:
    """The status of a trigger found in a parsed sentence."""
    clause = clause_anchor(trigger)
    if _hypothetical(clause):
        return HYPOTHETICAL
    negated = _negated(trigger, clause)
    if negated == "not ruled out":
        return PLANNED
    if negated:
        return DENIED
    if _planned(trigger, clause):
        return PLANNED
    return REPORTED


def clause_anchor(trigger: Trigger) -> Token:
    """The verb that carries tense, mood and negation for the trigger."""
    anchor = trigger.anchor
    if not trigger.is_noun:
        return anchor
    head = anchor.head
    if anchor.dep_ in ("nsubj", "nsubjpass") and lemma(head) in _EVENT_VERBS | {"expect",
                                                                               "rule", "be"}:
        return head
    if anchor.dep_ == "dobj" and head.pos_ in ("VERB", "AUX"):
        return head
    if anchor.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ in ("VERB", "AUX") and (
            lemma(head.head) in PLANNING):
        return head.head
    return anchor


def _path(token: Token, limit: int = 12) -> list[Token]:
    out = [token]
    node = token
    while node.head.i != node.i and len(out) < limit:
        node = node.head
        out.append(node)
    return out


def _hypothetical(clause: Token) -> bool:
    for node in _path(clause):
        children = list(node.children)
        if any(c.dep_ == "mark" and c.lower_ in CONDITIONAL_MARKS for c in children):
            return True
        if any(c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "unless")
                                         for m in c.children) for c in children):
            return True  # the consequence of a condition: "if talks fail, they will attack"
        if node.pos_ in ("VERB", "AUX") and lemma(node) in SUPPOSING:
            return True
        modals = [c for c in children if c.dep_ == "aux" and c.lower_ in ("would", "might",
                                                                         "could", "'d")]
        if modals and any(c.dep_ == "aux" and c.lower_ == "have" for c in children):
            return True  # "would have met": counterfactual
        if modals and modals[0].lower_ == "would" and any(
                c.dep_ == "prep" and c.lower_ == "like" for c in children):
            return True  # "it would be like ... turning to Uruguay"
    return False


def _negated(trigger: Trigger, clause: Token) -> bool | str:
    anchor = trigger.anchor
    # A speech act's own words ("said it will not accept") carry its content, not its status.
    nodes = [anchor, clause] + ([t for t in trigger.tokens] if trigger.content is None else [])
    node = clause
    for _ in range(4):  # up the chain of verbs that control it: "did not agree to meet"
        if node.dep_ not in ("xcomp",) or node.head.i == node.i:
            break
        node = node.head
        nodes.append(node)
        if lemma(node) in NEGATING and not _has_neg(node):
            return True
    if lemma(clause) == "rule" and any(c.lower_ == "out" for c in clause.children):
        return "not ruled out" if _has_neg(clause) else True
    if any(_has_neg(n) for n in nodes):
        return True
    if trigger.is_noun and any(c.dep_ == "det" and c.lower_ == "no" for c in anchor.children):
        return True
    # "denied that troops entered", "denies meeting him"
    node = clause
    while node.dep_ in ("ccomp", "xcomp", "conj") and node.head.i != node.i:
        node = node.head
        if lemma(node) == "deny" and not _has_neg(node):
            return True
    return False


def _has_neg(token: Token) -> bool:
    return any(c.dep_ == "neg" for c in token.children)


def _planned(trigger: Trigger, clause: Token) -> bool:
    anchor = trigger.anchor
    if trigger.is_noun:
        mods = [c for c in anchor.children if c.dep_ in ("amod", "compound", "advmod", "nmod")]
        if any(lemma(c) in PLANNING_MODIFIERS or c.lower_ in PLANNING_MODIFIERS for c in mods):
            return True
        if any(c.dep_ == "acl" and lemma(c) in ("schedule", "plan", "set", "expect", "due",
                                                "propose")
               for c in anchor.children):
            return True
        if anchor.dep_ == "pobj" and anchor.head.head.pos_ in ("NOUN", "PROPN") and (
                lemma(anchor.head.head) in PLANNING_NOUNS):
            return True  # "the possibility of Kim's visit"
    if clause is not anchor and lemma(clause) in PLANNING:
        return True  # "preparing for a meeting"
    for node in _controllers(clause):
        if _future(node):
            return True
        if node is not clause and lemma(node) in PLANNING:
            return True
        if node.pos_ in ("NOUN", "PROPN") and lemma(node) in PLANNING_NOUNS:
            return True
        if node.pos_ in ("VERB", "AUX") and any(
                c.dep_ in ("acomp", "advmod") and lemma(c) in PLANNING_MODIFIERS | {"likely"}
                for c in node.children):
            return True
    # a headline's "Kim to visit Putin", "the first leader to visit"
    return clause.pos_ == "VERB" and clause.tag_ == "VB" and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in clause.children) and (
        clause.dep_ in ("ROOT", "acl", "relcl", "ccomp"))


def _controllers(clause: Token) -> list[Token]:
    """The clause and the verbs or nouns above it through infinitives and complements."""
    out = [clause]
    node = clause
    while (node.dep_ in ("xcomp", "ccomp", "acl", "pcomp", "prep", "pobj", "acomp") or (
            node.dep_ == "advcl" and any(c.lower_ == "to" for c in node.children))) and (
            node.head.i != node.i) and len(out) < 6:
        node = node.head
        out.append(node)
    return out


def _future(verb: Token) -> bool:
    children = list(verb.children)
    if any(c.dep_ == "aux" and c.lower_ in MODALS for c in children):
        return True
    if any(c.dep_ == "aux" and c.lower_ == "would" for c in children):
        return True  # future in the past: "said he would visit"
    return any(c.dep_ == "aux" and c.lower_ == "going" for c in children)
