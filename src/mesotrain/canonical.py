"""Canonical JSON (RFC 8785, the JSON Canonicalization Scheme) and SHA-256 over it.

Result files are hashed in the browser and checked by the certifier's tool, so both
must serialise the same value to the same bytes. JCS is the published answer: keys
sorted by UTF-16 code units, no whitespace, strings escaped as ``JSON.stringify``
does, numbers written as ECMAScript writes them (so ``1.0`` is ``1`` and ``1e-7`` is
``1e-7``). The ``rfc8785`` package writes it; this module adds JavaScript's reading of
huge integers and a fast path through the C JSON encoder. ``exam-run.js`` produces the
same bytes with ``JSON.stringify`` and a key sort (tests/exam/test_canonical.py pins both).
"""
from __future__ import annotations

import hashlib
import json
import re
import secrets
from typing import Any

import rfc8785


def _number(x: float | int) -> str:
    """A number as ECMAScript's Number::toString writes it: every JSON number is a double there,
    so an integer beyond ±2**53 is written as the double nearest it."""
    return rfc8785.dumps(float(x)).decode()


def _as_doubles(v: Any) -> Any:
    """``v`` with integers beyond ±2**53 turned into floats, as JavaScript reads them (rfc8785
    refuses them; the browser writes them)."""
    t = type(v)
    if t is int and not -2**53 < v < 2**53:
        return float(v)
    if t is dict:
        return {k: _as_doubles(x) for k, x in v.items()}
    if t is list or t is tuple:
        return [_as_doubles(x) for x in v]
    return v


def canonical_json(value: Any) -> str:
    """The RFC 8785 canonical text of a JSON value.

    Fast path: numbers that Python's C JSON encoder writes differently from ECMAScript
    (floats, integers beyond ±2**53) are swapped for placeholder strings carrying a
    random nonce, the C encoder writes the whole value with sorted keys, and the
    placeholders are replaced by the numbers as ECMAScript writes them. Sorting by
    code point equals sorting by UTF-16 code units for ASCII keys; a value with any
    other key takes the general writer.
    """
    numbers: list[str] = []
    try:
        prepared = _prepare(value, _NONCE, numbers)
    except _General:
        return rfc8785.dumps(_as_doubles(value)).decode()
    text = _SORTED.encode(prepared)
    if not numbers:
        return text
    return _PLACEHOLDER.sub(lambda m: numbers[int(m.group(1))], text)


_SORTED = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
# Random per process, so no file can contain a placeholder on purpose.
_NONCE = secrets.token_hex(8)
_PLACEHOLDER = re.compile(f'"\\\\u0000{_NONCE}(\\d+)"')


class _General(Exception):
    """The value needs the general writer (a non-ASCII or non-string key)."""


def _prepare(v: Any, nonce: str, numbers: list[str]) -> Any:
    """``v`` with every float and big integer swapped for a placeholder (copied only where needed)."""
    t = type(v)
    if t is str or t is bool or v is None:
        return v
    if t is int and -2**53 <= v <= 2**53:
        return v
    if t is int or t is float:
        numbers.append(_number(v))
        return f"\x00{nonce}{len(numbers) - 1}"
    if t is dict:
        out = None
        for k, x in v.items():
            if type(k) is not str or not k.isascii():
                raise _General
            y = _prepare(x, nonce, numbers)
            if y is not x:
                out = out if out is not None else dict(v)
                out[k] = y
        return v if out is None else out
    if t is list or t is tuple:
        items = [_prepare(x, nonce, numbers) for x in v]
        return v if all(a is b for a, b in zip(items, v)) else items
    raise _General


# Integers of up to 15 digits are within ±2**53, where Python and ECMAScript write them alike;
# a text with no run of 16 digits anywhere needs no per-integer hook (a Python call per number).
_ZEROS = bytes.maketrans(b"123456789", b"000000000")
_LONG_DIGITS = b"0" * 16
# UTF-8 lead bytes of U+E000 and above, where code point order differs from UTF-16 order.
_HIGH_LEADS = (b"\xee", b"\xef", b"\xf0", b"\xf1", b"\xf2", b"\xf3", b"\xf4")


class HashedText:
    """JSON text parsed for hashing, faster than ``canonical_json(json.loads(text))``.

    Floats and integers beyond ±2**53 are parsed straight into placeholders (so the C
    encoder can write the canonical text with one call); ``value`` is therefore for
    hashing and for checks of strings and small integers only. Text with characters
    whose code point order differs from UTF-16 order (U+E000 and above) takes the
    general writer.
    """

    _ESCAPED = re.compile(r"\\u[d-fD-F][0-9a-fA-F]{3}")  # an escaped character at U+D000 or above

    def __init__(self, text: str):
        self.text = text
        self.numbers: list[str] = []
        raw = text.encode("utf-8", "surrogatepass")
        self.general = bool((not text.isascii() and any(lead in raw for lead in _HIGH_LEADS))
                            or ("\\u" in text and self._ESCAPED.search(text)))
        hooks = {} if self.general else {"parse_float": self._number}
        if hooks and _LONG_DIGITS in raw.translate(_ZEROS):
            hooks["parse_int"] = self._int  # an integer may be beyond ±2**53 (or a hash has a digit run)
        self.value = json.loads(text, parse_constant=_no_constant, **hooks)

    def _number(self, token: str) -> str:
        self.numbers.append(_number(float(token)))
        return f"\x00{_NONCE}{len(self.numbers) - 1}"

    def _int(self, token: str) -> int | str:
        if len(token) < 16:  # within ±2**53 for sure
            return int(token)
        n = int(token)
        return n if -2**53 <= n <= 2**53 else self._number(token)

    def shown(self, value: Any) -> str:
        """A value of ``value`` as the file wrote it (placeholders back to numbers), for messages."""
        if isinstance(value, str) and value.startswith(f"\x00{_NONCE}"):
            return self.numbers[int(value[len(_NONCE) + 1:])]
        return repr(value)

    def canonical(self, value: Any) -> str:
        """The canonical text of ``value``: this text's value, or a part or copy of it."""
        if self.general:
            return canonical_json(value)
        text = _SORTED.encode(value)
        return _PLACEHOLDER.sub(lambda m: self.numbers[int(m.group(1))], text) if self.numbers else text


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def sha256_hex(value: Any) -> str:
    """SHA-256 (hex) of the UTF-8 bytes of a value's canonical JSON."""
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()
