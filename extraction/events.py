"""Events: each place of a passage, dated by the date expression that governs it.

A date governs the places of its clause. A date inside a relative clause ("the
space launch center where Putin and Lukashenko met in April 2022") governs only the noun phrase
that clause describes (and what that phrase stands in apposition to), not the rest of the
sentence ("one of Kim's stops after Vladivostok is ..."). With several candidate dates, the
nearest governing one wins.
"""

from __future__ import annotations

from spacy.tokens import Doc, Span, Token

from store.models import DateMention, EventDraft, Mention

_RESTRICTING = {"relcl"}  # not acl: "the Forum, scheduled for September 10-13"


def draft_events(
    sentence: Span, mentions: list[Mention], dates: list[DateMention], offset: int
) -> list[EventDraft]:
    """One draft per resolved mention; `offset` maps the Doc's characters to document offsets."""
    doc = sentence.doc
    date_scopes = []
    for dm in dates:
        span = doc.char_span(dm.start - offset, dm.end - offset, alignment_mode="expand")
        if span is not None:
            date_scopes.append((dm, _scope(span)))
    drafts = []
    for mention in mentions:
        if mention.place is None or mention.adjective:
            continue
        place = doc.char_span(mention.start - offset, mention.end - offset,
                              alignment_mode="expand")
        date = _governing(mention, place, date_scopes) if place is not None else None
        drafts.append(EventDraft(mention, date))
    return drafts


def _governing(
    mention: Mention, place: Span, date_scopes: list[tuple[DateMention, tuple[int, int]]]
) -> DateMention | None:
    best, best_distance = None, None
    for dm, (lo, hi) in date_scopes:
        if not (lo <= place.start and place.end <= hi):
            continue
        distance = min(abs(mention.start - dm.end), abs(dm.start - mention.end))
        if best_distance is None or distance < best_distance:
            best, best_distance = dm, distance
    return best


def _scope(date_span: Span) -> tuple[int, int]:
    """Token range [lo, hi) of what a date expression governs."""
    head = _clause_head(date_span.root)
    if head.dep_ in _RESTRICTING and head.head.i != head.i:
        node = head.head
        while node.dep_ == "appos" and node.head.i != node.i:
            node = node.head
        return _subtree_range(node)
    sentence = date_span.sent
    return sentence.start, sentence.end


def _clause_head(token: Token) -> Token:
    node = token
    while node.head.i != node.i and node.pos_ not in {"VERB", "AUX"}:
        node = node.head
    return node


def _subtree_range(token: Token) -> tuple[int, int]:
    return token.left_edge.i, token.right_edge.i + 1


def sentence_of(doc: Doc, start_char: int) -> Span | None:
    token = doc.char_span(start_char, start_char + 1, alignment_mode="expand")
    return token.sent if token is not None else None
