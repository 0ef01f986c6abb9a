"""Bytes to text: byte-order marks, UTF-16/32 without one, UTF-8 (with a few bad bytes replaced),
and legacy code pages chosen by the language the text is in.

A legacy code page cannot be told from the bytes alone: the same bytes are "Réunion à Zürich"
in cp1252 and "Réunion ŕ Zürich" in cp1250, and charset_normalizer ranks such decodings by
chance. Each candidate decoding is scored instead with the letter frequencies of the language it
reads best as (charset_normalizer's tables), with penalties for controls, stray symbols, words
that mix scripts and words whose case flips (koi8-r read as cp1251); ties go to the code page
listed first, so Western European text gets the cp1252 family.
"""

from __future__ import annotations

import codecs
import math
import threading
import unicodedata
from collections import Counter
from functools import cache
from typing import NamedTuple

from store.errors import InputError

SAMPLE = 8192  # bytes looked at for byte patterns (NULs)
SCORE_BYTES = 20_000  # bytes from the start scored per candidate code page
ASCII = bytes(range(128))
MAX_CONTROL_SHARE = 0.05

BOMS = (  # longest first: the UTF-32 LE mark starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)

# Single-byte code pages tried for text that is not UTF-8, in order of preference on a tie,
# with a prior cost in nats for the whole text: on a short text the common code pages win, on a
# long one the letters decide. The cp1252 family is the most common for Western languages.
LEGACY = {
    "cp1252": 0.0, "latin_1": 0.0, "iso8859_15": 1.0, "cp1250": 2.0, "iso8859_2": 3.0,
    "cp1257": 3.0, "iso8859_13": 3.0, "cp1254": 2.0, "iso8859_9": 3.0, "cp1251": 0.0,
    "koi8_r": 1.0, "koi8_u": 2.0, "iso8859_5": 3.0, "cp866": 3.0, "mac_cyrillic": 4.0,
    "cp1253": 1.0, "iso8859_7": 2.0, "cp1255": 2.0, "cp1256": 2.0, "cp874": 3.0,
    "mac_roman": 4.0, "cp850": 4.0, "cp437": 4.0,
}
OTHER_PRIOR = 3.0  # the multi-byte code pages charset_normalizer proposes
# Punctuation that legacy text commonly has (from cp1252's 0x80-0x9F and Latin-1).
COMMON_MARKS = set("–—‘’‚“”„«»‹›…•€£°¡¿")
IN_WORD_MARKS = set("’‘·\u2011\u00ad")  # may stand between two letters


class Decoded(NamedTuple):
    """The text of some bytes, the encoding used and how many bytes were replaced by U+FFFD."""

    text: str
    encoding: str
    replaced: int = 0


def decode(data: bytes) -> Decoded:
    """Decode article bytes; raise InputError for binary data."""
    for bom, codec, name in BOMS:
        if data.startswith(bom):
            text, replaced = _decode_counting(data[len(bom):], codec)
            return _checked(Decoded(text, name, replaced))
    wide = _wide_without_bom(data)
    if wide:
        text, replaced = _decode_counting(data, wide)
        return _checked(Decoded(text, wide, replaced))
    if b"\x00" in data[:SAMPLE]:
        raise InputError("binary file, not text")
    try:
        return _checked(Decoded(data.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError:
        pass
    almost = _almost_utf8(data)
    if almost:
        return _checked(almost)
    return _checked(_legacy(data))


def _checked(decoded: Decoded) -> Decoded:
    if control_share(decoded.text) > MAX_CONTROL_SHARE:
        raise InputError("binary file, not text")
    return decoded


def control_share(text: str) -> float:
    """The share of control characters (other than line breaks and tabs) in the text's start."""
    sample = text[:20000]
    if not sample:
        return 0.0
    bad = sum(1 for c in sample if unicodedata.category(c) == "Cc" and c not in "\n\r\t\f")
    return bad / len(sample)


def _almost_utf8(data: bytes) -> Decoded | None:
    """UTF-8 with the bad bytes replaced, when the valid multi-byte sequences outnumber the bad
    bytes (or these are at most 1 in 1,000); else None.

    Legacy text (Latin-1, cp1251) has almost no valid UTF-8 sequences; UTF-8 with a stray byte
    or a cut-off last character has many and a few bad bytes. The file's start is tried first,
    so that legacy text is not decoded byte by byte.
    """
    for part in (data[:SAMPLE * 8], data) if len(data) > SAMPLE * 8 else (data,):
        non_ascii = len(part.translate(None, ASCII))
        limit = max(len(part) // 1000, non_ascii // 3) + (3 if part is not data else 0)
        try:
            text, replaced = _decode_counting(part, "utf-8", limit)
        except _TooManyBadBytes:
            return None
        if replaced >= non_ascii:  # not one valid multi-byte sequence
            return None
    return Decoded(text, "utf-8", replaced)


def _wide_without_bom(data: bytes) -> str | None:
    """'utf-32-le' ... 'utf-16-be' when NUL bytes fall where those encodings put them: in
    UTF-16 text the spaces, digits and Latin letters have a NUL on every other byte."""
    sample = data[:SAMPLE]
    n = len(sample)
    if n < 4 or b"\x00" not in sample:
        return None
    if len(data) % 4 == 0:
        columns = [sample[i::4] for i in range(4)]
        zero = [c.count(0) == len(c) for c in columns]
        if zero[2] and zero[3] and not zero[0]:
            return "utf-32-le"
        if zero[0] and zero[1] and not zero[3]:
            return "utf-32-be"
    even, odd = sample[0::2], sample[1::2]
    half = n // 2
    nul_even, nul_odd = even.count(0), odd.count(0)
    if nul_odd >= 0.05 * half and nul_even <= 0.01 * half:
        return "utf-16-le"
    if nul_even >= 0.05 * half and nul_odd <= 0.01 * half:
        return "utf-16-be"
    return None


# -- counting replaced bytes ------------------------------------------------------------------
class _TooManyBadBytes(Exception):
    pass


_counter = threading.local()


def _count_and_replace(error: UnicodeError) -> tuple[str, int]:
    if not isinstance(error, UnicodeDecodeError):
        raise error
    _counter.replaced += error.end - error.start
    if _counter.replaced > _counter.limit:
        raise _TooManyBadBytes
    return "\ufffd", error.end


@cache
def _counting_handler() -> str:
    codecs.register_error("eventmap.count", _count_and_replace)
    return "eventmap.count"


def _decode_counting(data: bytes, codec: str, limit: float = math.inf) -> tuple[str, int]:
    """The text with each bad sequence replaced by U+FFFD, and the number of bytes replaced;
    _TooManyBadBytes past the limit (so that legacy text is not decoded byte by byte)."""
    handler = _counting_handler()
    _counter.replaced, _counter.limit = 0, limit
    text = data.decode(codec, errors=handler)
    return text, _counter.replaced


# -- legacy code pages ------------------------------------------------------------------------
def _legacy(data: bytes) -> Decoded:
    """The best-scoring code page on the file's start that also decodes the whole file."""
    head = data[:SCORE_BYTES]
    scored: list[tuple[float, int, str]] = []
    for rank, codec in enumerate(_candidates(head)):
        try:
            decoder = codecs.getincrementaldecoder(codec)()
            sample = decoder.decode(head, final=len(head) == len(data))
        except (UnicodeDecodeError, LookupError):
            continue
        prior = LEGACY.get(codec, OTHER_PRIOR)
        scored.append((-plausibility(sample, len(head), prior), rank, codec))
    for _, _, codec in sorted(scored):
        try:
            return Decoded(data.decode(codec), codecs.lookup(codec).name)
        except UnicodeDecodeError:
            continue
    # latin_1 decodes every byte string, so this is only a safeguard
    raise InputError("binary file, not text (no text encoding fits it)")


def _candidates(data: bytes) -> list[str]:
    """The single-byte code pages, then what charset_normalizer proposes (multi-byte ones)."""
    import charset_normalizer

    names = list(LEGACY)
    known = {codecs.lookup(n).name for n in names}
    for match in charset_normalizer.from_bytes(data[:SCORE_BYTES]):
        name = codecs.lookup(match.encoding).name
        if name not in known and not name.startswith(("utf", "mac-", "hz", "iso2022")):
            known.add(name)
            names.append(match.encoding)
    return names


def plausibility(text: str, n_bytes: int, prior: float = 0.0) -> float:
    """How much the text reads as natural language, per byte it was decoded from (higher is
    better; per byte, so that decodings with one or two bytes a character compare).

    The log-probability of its letters under the language that fits them best, less penalties
    for controls, unassigned or private characters, uncommon symbols, words that mix scripts
    and words whose case flips in the middle.
    """
    letters = Counter(c for c in text.lower() if c.isalpha())
    if not letters:
        return -20.0
    fit = max(_log_likelihood(letters, model) for model in _models().values())
    penalty = 0.0
    for i, c in enumerate(text):
        if c < "\x80" or c.isalpha():
            continue
        category = unicodedata.category(c)
        if (category[0] != "M" and c not in IN_WORD_MARKS and text[i - 1 : i].isalpha()
                and text[i + 1 : i + 2].isalpha()):
            penalty += IN_WORD_COST  # 'Z“rich'

        if category in ("Cc", "Cn", "Co", "Cs"):
            penalty += CONTROL_COST
        elif category in ("Mn", "Mc"):
            penalty += MARK_COST if text[i - 1 : i].isalpha() else SYMBOL_COST
        elif category == "Zs":
            penalty += SPACE_COST
        elif c in COMMON_MARKS or category in ("Pd", "Pi", "Pf"):
            penalty += MARK_COST
        else:
            penalty += SYMBOL_COST
    for word in _words(text):
        if word.isascii():
            continue
        scripts = {_script(c) for c in word} - {"COMBINING"}
        if len(scripts) > 1:
            penalty += MIXED_SCRIPTS_COST
        elif _odd_case(word):
            penalty += ODD_CASE_COST
    return (fit - penalty - prior) / max(n_bytes, 1)


def _words(text: str) -> list[str]:
    """Runs of letters and the marks on them."""
    words, current = [], []
    for c in text:
        if c.isalpha() or (c >= "\u0300" and unicodedata.category(c) in ("Mn", "Mc")):
            current.append(c)
        elif current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    return words


def _odd_case(word: str) -> bool:
    """'ВлАДИВОСТОК', 'вЛАДИВОСТОК', 'RÈunion': a capital inside a word, after a small letter
    or before one."""
    return any(
        word[i].isupper() and (word[i - 1].islower() or word[i + 1 : i + 2].islower())
        for i in range(1, len(word))
    )


@cache
def _script(char: str) -> str:
    name = unicodedata.name(char, "")
    return name.split(" ", 1)[0] if name else "?"


# Letters of a language's alphabet that charset_normalizer's top-26 tables leave out.
ALPHABETS = {
    "English": "",
    "French": "âæçêëîïôœùûüÿ",
    "German": "ß",
    "Spanish": "éñúü",
    "Italian": "éìíîóù",
    "Portuguese": "âàêõôóú",
    "Dutch": "éïóöü",
    "Swedish": "é",
    "Norwegian": "éôò",
    "Danish": "é",
    "Finnish": "å",
    "Polish": "ćłńśźż",
    "Czech": "čďňšťúůž",
    "Slovak": "äďĺľňóôŕšťúž",
    "Hungarian": "íóőúüű",
    "Croatian": "đ",
    "Slovene": "ćđ",
    "Romanian": "șțşţ",
    "Turkish": "âîû",
    "Lithuanian": "ęėįūč",
    "Estonian": "šž",
    "Russian": "шщэюфъё",
    "Ukrainian": "шщюфєґжі",
    "Bulgarian": "шьюф",
    "Serbian": "ђљњћџфжчшђ",
    "Kazakh": "әһұүіёфхцчщъьэюя",
    "Greek": "βζξψφώϊϋΐΰ",
}
# Costs in nats, comparable with a letter's log-probability (about -2.5 to -8).
CONTROL_COST = 25.0  # a control, unassigned or private-use character
SYMBOL_COST = 10.0  # a symbol or punctuation mark that text rarely has (¹ │ ‡ ¸)
MARK_COST = 5.0  # common punctuation (– “ „ « € °)
SPACE_COST = 3.0  # a no-break space
IN_WORD_COST = 8.0  # a mark or space between two letters
MIXED_SCRIPTS_COST = 15.0  # a word with letters of two scripts
ODD_CASE_COST = 3.0  # a word with a capital inside
LISTED_SHARE = 0.95  # probability mass of a language's ranked letters
ALPHABET_LETTER = math.log(0.004)  # one of its other letters
UNLISTED = math.log(0.0003)  # a letter outside its alphabet


def _log_likelihood(letters: Counter[str], model: dict[str, float]) -> float:
    return sum(n * model.get(c, UNLISTED) for c, n in letters.items())


@cache
def _models() -> dict[str, dict[str, float]]:
    """Per language, the log-probability of its letters: Zipf-like by the rank in
    charset_normalizer's tables, a small fixed one for the rest of its alphabet."""
    from charset_normalizer.constant import FREQUENCIES

    models = {}
    for language, ranked in FREQUENCIES.items():
        weights = [1 / (rank + 3) for rank in range(len(ranked))]
        scale = LISTED_SHARE / sum(weights)
        model = {c: ALPHABET_LETTER for c in ALPHABETS.get(language, "")}
        model.update(
            {c.lower(): math.log(w * scale) for c, w in zip(ranked, weights, strict=True)}
        )
        models[language] = model
    return models
