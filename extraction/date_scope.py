"""What a date expression governs: the token range of the clause (or noun phrase) it dates.

A date governs its clause. A date inside a relative clause ("the space launch center where Putin
and Lukashenko met in April 2022") governs only the noun phrase that clause describes (and what
that phrase stands in apposition to), not the rest of the sentence ("one of Kim's stops after
Vladivostok is ..."). With several candidate dates, the nearest governing one wins
(extraction.happenings).
"""

from __future__ import annotations

from spacy.tokens import Span, Token

_RESTRICTING = {"relcl"}  # not acl: "the Forum, scheduled for September 10-13"


def date_scope(date_span: Span) -> tuple[int, int]:
    """Token range [lo, hi) of what a date expression governs."""
    head = clause_head(date_span.root)
    if head.dep_ in _RESTRICTING and head.head.i != head.i:
        node = head.head
        while node.dep_ == "appos" and node.head.i != node.i:
            node = node.head
        return _subtree_range(node)
    sentence = date_span.sent
    return sentence.start, sentence.end


def clause_head(token: Token) -> Token:
    """The verb of the clause a token sits in (itself, for a verb)."""
    node = token
    while node.head.i != node.i and node.pos_ not in {"VERB", "AUX"}:
        node = node.head
    return node


def _subtree_range(token: Token) -> tuple[int, int]:
    return token.left_edge.i, token.right_edge.i + 1
