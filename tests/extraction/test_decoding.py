"""Decoding article bytes: BOMs, UTF-16/32 without one, UTF-8 with stray bytes, legacy code
pages chosen by the language of the text."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from extraction.decoding import decode
from store.errors import InputError

FRENCH = ("Réunion à Zürich. Le président s'est rendu à Montréal, où il a rencontré des élus. "
          "Les négociations ont duré trois jours et se sont achevées sur un accord « équilibré ».")
GERMAN = ("Die Außenminister trafen sich in München. Über die Lösung wurde nicht gesprochen – "
          "sagte Müller „später“. Größere Änderungen seien nötig.")
SPANISH = ("El presidente viajó a España. La reunión en Málaga terminó sin acuerdo; según "
           "fuentes, habrá otra en junio. ¿Por qué? Nadie lo sabe.")
RUSSIAN = ("Владивосток принимает Восточный экономический форум в сентябре. Президент России "
           "встретится с лидером КНДР.")
GREEK = ("Ο πρόεδρος επισκέφθηκε την Αθήνα και συναντήθηκε με τον πρωθυπουργό. Οι συνομιλίες "
         "αφορούσαν την οικονομική συνεργασία.")
POLISH = ("Prezydent spotkał się w Krakowie z premierem. Rozmowy dotyczyły bezpieczeństwa i "
          "współpracy gospodarczej między państwami.")


@pytest.mark.parametrize("text", ["Réunion à Zürich", FRENCH, "Officials met in Zürich."])
def test_latin1_french_comes_back_right_even_when_short(text: str) -> None:
    decoded = decode(text.encode("latin-1"))
    assert decoded.text == text
    assert decoded.encoding in ("cp1252", "iso8859-1")
    assert decoded.replaced == 0


@pytest.mark.parametrize(("text", "encoding"), [
    (FRENCH, "cp1252"), (GERMAN, "cp1252"), (SPANISH, "cp1252"),
    (RUSSIAN, "cp1251"), (RUSSIAN, "koi8_r"), (RUSSIAN[:23], "koi8_r"), (GREEK, "cp1253"),
    (POLISH, "cp1250"),
])
def test_legacy_code_page_by_language(text: str, encoding: str) -> None:
    decoded = decode(text.encode(encoding))
    assert decoded.text == text
    assert decoded.encoding == codecs.lookup(encoding).name


def test_utf8_with_one_stray_byte_stays_utf8() -> None:
    data = FRENCH.encode() + b" \xe9 " + GERMAN.encode()
    decoded = decode(data)
    assert decoded.encoding == "utf-8" and decoded.replaced == 1
    assert decoded.text == FRENCH + " \ufffd " + GERMAN


def test_short_utf8_with_a_cut_last_character() -> None:
    decoded = decode("Réunion à Zürich".encode() + "é".encode()[:1])
    assert (decoded.text, decoded.encoding, decoded.replaced) == (
        "Réunion à Zürich\ufffd", "utf-8", 1)


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
@pytest.mark.parametrize("text", ["Kim Jong Un will visit Vladivostok. " * 5, RUSSIAN])
def test_utf16_without_bom(codec: str, text: str) -> None:
    decoded = decode(text.encode(codec))
    assert (decoded.text, decoded.encoding) == (text, codec)


@pytest.mark.parametrize("codec", ["utf-32-le", "utf-32-be"])
def test_utf32_without_bom(codec: str) -> None:
    text = "Kim Jong Un will visit Vladivostok. " * 3
    assert decode(text.encode(codec)) == (text, codec, 0)


@pytest.mark.parametrize(("codec", "name"), [
    ("utf-8-sig", "utf-8-sig"), ("utf-16", "utf-16"), ("utf-32", "utf-32"),
])
def test_byte_order_marks(codec: str, name: str) -> None:
    assert decode(RUSSIAN.encode(codec)) == (RUSSIAN, name, 0)


def test_utf16_with_bom_and_an_odd_last_byte_counts_the_replaced_byte() -> None:
    decoded = decode(RUSSIAN.encode("utf-16") + b"A")
    assert decoded.text == RUSSIAN + "\ufffd" and decoded.replaced == 1


@pytest.mark.parametrize("data", [bytes(range(256)) * 20, b"\x00\x01\x02\x03" * 500,
                                  b"\x1b[2J\x07\x08" * 200])
def test_binary_data(data: bytes) -> None:
    with pytest.raises(InputError, match="binary"):
        decode(data)


@settings(max_examples=300, deadline=None)
@given(st.binary(min_size=1, max_size=3000))
def test_random_bytes_decode_or_raise_input_error(data: bytes) -> None:
    try:
        decoded = decode(data)
    except InputError:
        return
    assert isinstance(decoded.text, str) and decoded.replaced >= 0


TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=400)


@settings(max_examples=200, deadline=None)
@given(TEXT, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]))
def test_round_trip_of_unicode_text(text: str, codec: str) -> None:
    assume(not (codec == "utf-8" and text.startswith("\ufeff")))  # that is the UTF-8 BOM
    decoded = decode(text.encode(codec))
    assert decoded.text == text and decoded.replaced == 0
