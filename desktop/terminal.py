"""Text from file names and article contents made safe to print on a terminal.

A file name or an article can hold escape sequences (ESC ] 0 ; ... retitles the terminal,
ESC [ 2 J clears it), bidirectional overrides that make a line read differently from what it
is, and, for names that are not UTF-8, the lone surrogates of os.fsdecode (printing them
raises UnicodeEncodeError). `safe` shows all of these as visible escapes instead.
"""

from __future__ import annotations

import re

# C0 and C1 controls, DEL, the bidirectional embeddings, overrides, isolates and marks, the
# line and paragraph separators, and surrogates.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff]"
)
_UNSAFE_KEEPING_LINES = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
    "\ud800-\udfff]"
)
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    c = match.group()
    code = ord(c)
    if c in _NAMED:
        return _NAMED[c]
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 in a file name (surrogateescape)
        return f"\\x{code - 0xDC00:02x}"
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}"


def safe(text: object) -> str:
    """One line, with every control, bidi control and undecodable byte shown as an escape."""
    return _UNSAFE.sub(_escape, str(text))


def safe_lines(text: str) -> str:
    """Like `safe`, but line breaks and tabs are kept (for output that has several lines)."""
    return _UNSAFE_KEEPING_LINES.sub(_escape, text)


def safe_json(line: str) -> str:
    """A JSON text (from json.dumps with ensure_ascii=False) with the characters that json
    leaves raw but a terminal acts on (DEL, C1, bidi controls, separators, surrogates) written as
    JSON \\u escapes: the same JSON value, safe to print."""
    return _UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", line)
