"""What an actor phrase is, and its span: a name, a group, an office, an organisation.

extraction.actors decides which argument of a trigger is its source or target; this module
decides whether that argument names someone at all ("the rebels", "Russian officials", "the
chief of the army", "doctors from two aid groups") and which words make up its span.
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from extraction.triggers import NOUNS, lemma, words

# Nouns that stand for a state when a country modifies them ("Russian officials").
STATE_AGENTS = words(
    "government official authority ministry military army force troop soldier navy police "
    "diplomat delegation administration regime leadership side embassy parliament cabinet "
    "state intelligence")
GROUP_NOUNS = words(
    "protester demonstrator rebel militant insurgent student worker civilian people villager "
    "resident refugee opposition guerrilla fighter gunman terrorist separatist activist "
    "mob crowd") | STATE_AGENTS
LEADER_TITLES = words("leader president premier chancellor ruler dictator king head chairman")
# Bodies and people that act, beyond GROUP_NOUNS; kept apart because the normaliser keys a
# GROUP_NOUNS head by the noun alone ("group:rebel") and these by their whole phrase.
ORGANISATION_NOUNS = words(
    "organization organisation group party union coalition faction front league "
    "federation association council committee commission court tribunal agency bureau "
    "institute company firm corporation network militia junta assembly congress senate "
    "legislature board alliance bloc wing newspaper")
PEOPLE_NOUNS = words(
    "member supporter representative spokesman spokeswoman spokesperson minister envoy "
    "ambassador delegate negotiator commander chief general officer judge prosecutor lawyer "
    "journalist reporter doctor hacker settler youth immigrant prisoner national citizen "
    "peacekeeper inspector observer monitor reservist policeman guard mediator lawmaker "
    "politician legislator senator governor mayor emir sheikh prince monarch secretary "
    "director founder activist man woman child farmer striker miner teacher")
# Nouns whose "of" phrase says whose they are ("the chief of the army", "supporters of X").
RELATIONAL = words(
    "member supporter representative spokesman spokeswoman spokesperson minister envoy "
    "ambassador delegate chief head leader president government delegation commander "
    "official officer ally wing faction") | words("army ministry")
# What actors put forward: rejecting "Iran's proposal" is rejecting Iran.
STANCES = words(
    "proposal plan offer decision policy statement resolution failure reform change "
    "initiative idea position stance call law measure programme program bill move "
    "invitation suggestion condition request")
# Amounts that stand before the actors they count ("scores of refugees", "two of its").
QUANTITY_NOUNS = words("score dozen hundred thousand million number group band lot part")
ACTOR_ENTS = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC"}
_NOT_ACTOR_ENTS = {"DATE", "TIME", "MONEY", "PERCENT", "QUANTITY", "CARDINAL", "ORDINAL",
                   "EVENT", "LAW", "WORK_OF_ART", "PRODUCT", "LANGUAGE"}
_PRONOUNS = {"he", "she", "him", "her", "they", "we", "it", "them", "us"}
_SPAN_DEPS = {"compound", "amod", "poss", "case", "nmod", "flat", "nummod", "det", "quantmod"}
_MODIFIER_DEPS = ("compound", "amod", "poss", "nmod")


def actor_like(token: Token) -> bool:
    """Whether a noun phrase's head names an actor (`names_actor`), or is a noun a name
    modifies ("Taliban faction", "Iranian ships")."""
    return names_actor(token) or bool(named_modifiers(token))


def named_modifiers(token: Token) -> list[Token]:
    """The names that modify a noun: "Croatian" extremists, "Iran's" proposal."""
    return [c for c in token.children if c.dep_ in _MODIFIER_DEPS and (
        c.ent_type_ in ACTOR_ENTS or (c.dep_ == "poss" and c.pos_ == "PROPN"))
        and not _one_name(c, token)]


def _one_name(a: Token, b: Token) -> bool:
    """Both in one entity: "South Asia" in "the South Asia Free Trade Agreement"."""
    return a.ent_iob_ != "O" and a.ent_type_ == b.ent_type_ and any(
        e.start <= a.i < e.end and e.start <= b.i < e.end for e in a.doc.ents)


def authors(token: Token) -> list[Token]:
    """Who made what a noun names, when it names a happening or a stance ("Iran's proposal",
    the "Indian" offer, "US" policies): the names that modify it."""
    if lemma(token) not in NOUNS and lemma(token) not in STANCES:
        return []
    return named_modifiers(token)


def names_actor(token: Token) -> bool:
    """Whether a noun phrase's head itself names an actor: a name, a pronoun, a group or
    office noun, or a noun whose "of"/"from" phrase names one ("the head of the army")."""
    if token.pos_ == "PRON":
        return token.lower_ in _PRONOUNS
    if token.ent_type_ in ACTOR_ENTS:
        return True
    if token.pos_ == "PROPN" and token.ent_type_ not in _NOT_ACTOR_ENTS and (
            token.is_title or acronym(token)):
        return True  # a name the recogniser missed: "Ethopia", "Haroon Rashid Aswad", "NPFL"
    word = lemma(token)
    if word in GROUP_NOUNS or word in LEADER_TITLES or word in ORGANISATION_NOUNS or (
            word in PEOPLE_NOUNS):
        return True
    return any(actor_like(p) for p in _owner_objects(token))


def acronym(token: Token) -> bool:
    return token.is_upper and token.is_alpha and len(token) >= 2


def _owner_objects(token: Token) -> list[Token]:
    """The objects of a noun's "of" (relational nouns) and a plural's "from" phrases: "the
    head of X", "volunteers from X" (not "independence from X")."""
    preps = [c for c in token.children if c.dep_ == "prep" and (
        (c.lower_ == "from" and token.tag_ == "NNS" and lemma(token) not in NOUNS) or (
            c.lower_ == "of" and lemma(token) in RELATIONAL))]
    return [p for c in preps for p in c.children if p.dep_ == "pobj"]


def counted(token: Token) -> Token:
    """The actors a quantity counts: "scores of refugees" -> "refugees"; else the token."""
    if lemma(token) not in QUANTITY_NOUNS and token.pos_ != "NUM":
        return token
    for prep in (c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"):
        for pobj in (p for p in prep.children if p.dep_ == "pobj"):
            if actor_like(pobj):
                return pobj
    return token


def split_actors(head: Token) -> list[Span]:
    """One span per conjoined actor; "Hungarian and Romanian officials" gives the adjectives."""
    heads = [head] + [c for c in head.conjuncts if c.i > head.i]
    spans = []
    for h in heads:
        adjectives = [c for c in h.children if c.dep_ in ("amod", "compound")
                      and c.ent_type_ in ("NORP", "GPE") and c.conjuncts]
        if adjectives and lemma(h) in GROUP_NOUNS:
            for adj in adjectives:
                spans.extend(h.doc[a.i:a.i + 1] for a in (adj, *adj.conjuncts))
            continue
        apposed = [c for c in h.children if c.dep_ == "appos" and c.ent_type_ == "PERSON"]
        if apposed and h.ent_type_ != "PERSON":
            spans.append(_with_apposition(h, apposed[0]))
        else:
            spans.append(expand_actor(h))
    return spans


def _with_apposition(head: Token, name: Token) -> Span:
    """ "a member of parliament, Ali Hassan": the description and the name together (the
    normaliser keys the person by the name)."""
    first, second = expand_actor(head), expand_actor(name)
    if second.start < first.start:
        return second
    return head.doc[first.start:second.end]


def expand_actor(head: Token) -> Span:
    """The words of an actor phrase: its modifiers, and the "of" phrase of an organisation's
    name or a relational noun ("the chief of the army"), the "from" phrase of a group noun."""
    keep = [head]
    stack = [head]
    while stack:
        node = stack.pop()
        for child in node.children:
            if child.dep_ in _SPAN_DEPS or _owned(head, node, child) or (
                    child.dep_ == "pobj" and node.dep_ == "prep"):
                keep.append(child)
                stack.append(child)
            elif child.dep_ == "punct" and child.text in ("-", "‐") and node is not head:
                keep.append(child)
    lo, hi = min(t.i for t in keep), max(t.i for t in keep) + 1
    doc = head.doc
    while lo < head.i and (doc[lo].dep_ == "det" or doc[lo].is_punct):
        lo += 1
    while hi - 1 > head.i and (doc[hi - 1].is_punct or doc[hi - 1].tag_ == "POS"):
        hi -= 1
    return doc[lo:hi]


def _owned(head: Token, node: Token, child: Token) -> bool:
    """Whether `child` (a preposition under `node`) belongs to the actor phrase of `head`."""
    if child.dep_ != "prep" or node is not head:
        return child.dep_ == "prep" and child.lower_ == "of" and head.ent_type_ == "ORG"
    if child.lower_ == "of":
        return head.ent_type_ == "ORG" or (head.ent_type_ == "" and lemma(head) in RELATIONAL)
    return child.lower_ == "from" and head.ent_type_ == "" and head.pos_ == "NOUN" and any(
        actor_like(p) for p in child.children if p.dep_ == "pobj")
