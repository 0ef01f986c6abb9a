"""Actors of a workspace: one row per person, organisation or state, however it was written.

Extraction normalises the names within one document ("Putin" after "Vladimir Putin"); this
module joins them across documents. A state is keyed by its country code, so "Moscow", "the
Kremlin" and "Russian officials" are one actor. A person matches an actor already stored when
their names have the same words but for one slip of one letter in one word ("Kin Jong-un",
"Kim Jong-in" and "Kim Jong Un" are one person; "Kim Jong-il", two letters off, is another), or
when a lone family name is the first or last word of exactly one stored person's name.
"""

from __future__ import annotations

import sqlite3
import unicodedata
from dataclasses import dataclass

PERSON, STATE, ORGANISATION, GROUP = "person", "state", "organisation", "group"


@dataclass(frozen=True)
class ActorRow:
    id: int
    key: str
    name: str
    kind: str
    country: str | None


def name_words(name: str) -> tuple[str, ...]:
    """The words of a name, casefolded, without accents, hyphens or punctuation."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = "".join(c if c.isalnum() else " " for c in text.casefold())
    return tuple(text.split())


def person_key(name: str) -> str:
    return "person:" + " ".join(name_words(name))


def _one_slip(a: str, b: str) -> bool:
    """True when a and b differ by at most one substitution, insertion or deletion."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    if len(a) == len(b):
        return a[i + 1:] == b[i + 1:]
    return a[i:] == b[i + 1:]


def same_person(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """Two written forms of one person's full name (see the module docstring)."""
    if len(a) != len(b) or len(a) < 2:
        return False
    differing = [(x, y) for x, y in zip(a, b, strict=True) if x != y]
    if not differing:
        return True
    if len(differing) > 1:
        return False
    x, y = differing[0]
    # a slip in a longer word is a typo; in a two-letter word it changes the name only when
    # both letters differ ("un"/"il")
    return _one_slip(x, y) and min(len(x), len(y)) >= 1


def find_or_add_actor(conn: sqlite3.Connection, name: str, kind: str, *,
                      key: str | None = None, country: str | None = None,
                      written: str | None = None) -> int:
    """The id of the actor `name` stands for, inserting it when the workspace has none yet.

    `name` is extraction's normalised name ("Vladimir Putin"), `written` the text as it stands
    ("President Vladimir Putin", "the Kremlin"), `key` extraction's normalised key where it has
    one ("state:RU"); persons are matched by name as the module docstring says. The written form
    is counted in actor_names; the actor is shown under the fullest name it was given.
    """
    actor = _match(conn, name, kind, key)
    if actor is None:
        actor_key = key or (person_key(name) if kind == PERSON else f"{kind}:" + " ".join(
            name_words(name)))
        cur = conn.execute(
            "INSERT INTO actors (key, name, kind, country) VALUES (?, ?, ?, ?)",
            [actor_key, name, kind, country],
        )
        actor_id = int(cur.lastrowid)
    else:
        actor_id = actor.id
        _rename(conn, actor, name)
    conn.execute(
        "INSERT INTO actor_names (actor_id, name, count) VALUES (?, ?, 1) "
        "ON CONFLICT (actor_id, name) DO UPDATE SET count = count + 1",
        [actor_id, written or name],
    )
    return actor_id


def _match(conn: sqlite3.Connection, name: str, kind: str, key: str | None) -> ActorRow | None:
    if key:
        row = conn.execute("SELECT id, key, name, kind, country FROM actors WHERE key = ?",
                           [key]).fetchone()
        if row is not None or kind != PERSON:
            return ActorRow(*row) if row else None
    words = name_words(name)
    if not words:
        return None
    if kind != PERSON:
        row = conn.execute("SELECT id, key, name, kind, country FROM actors WHERE key = ?",
                           [f"{kind}:" + " ".join(words)]).fetchone()
        return ActorRow(*row) if row else None
    exact = conn.execute("SELECT id, key, name, kind, country FROM actors WHERE key = ?",
                         [person_key(name)]).fetchone()
    if exact is not None:
        return ActorRow(*exact)
    # persons sharing the first or the last word are the only ones that can match
    rows = conn.execute(
        "SELECT id, key, name, kind, country FROM actors WHERE kind = ? AND "
        "(key LIKE ? OR key LIKE ?)",
        [PERSON, f"person:{words[0]} %", f"person:% {words[-1]}"],
    ).fetchall()
    candidates = [ActorRow(*r) for r in rows]
    if len(words) == 1:  # a lone family name: last ("Putin") or first ("Kim" Jong-un)
        by_surname = [a for a in candidates
                      if words[0] in _ends(tuple(a.key.split(":", 1)[1].split()))]
        return by_surname[0] if len(by_surname) == 1 else None
    matches = [a for a in candidates if same_person(tuple(a.key.split(":", 1)[1].split()), words)]
    if matches:
        return matches[0] if len(matches) == 1 else None
    # a full name for an actor first met by a lone family name ("Vladimir Putin" after "Putin")
    rows = conn.execute(
        "SELECT id, key, name, kind, country FROM actors WHERE kind = ? AND key IN (?, ?)",
        [PERSON, f"person:{words[-1]}", f"person:{words[0]}"]).fetchall()
    return ActorRow(*rows[0]) if len(rows) == 1 else None


def _ends(words: tuple[str, ...]) -> set[str]:
    return {words[0], words[-1]} if len(words) > 1 else set()


def _rename(conn: sqlite3.Connection, actor: ActorRow, name: str) -> None:
    """A fuller name replaces a shorter one ("Vladimir Putin" after "Putin")."""
    if len(name_words(name)) > len(name_words(actor.name)):
        conn.execute("UPDATE actors SET name = ? WHERE id = ?", [name, actor.id])
