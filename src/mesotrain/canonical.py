"""Canonical JSON (RFC 8785, the JSON Canonicalization Scheme) and SHA-256 over it.

Result files are hashed in the browser and checked by the certifier's tool, so both
must serialise the same value to the same bytes. JCS is the published answer: keys
sorted by UTF-16 code units, no whitespace, strings escaped as ``JSON.stringify``
does, numbers written as ECMAScript writes them (so ``1.0`` is ``1`` and ``1e-7`` is
``1e-7``). ``exam.js`` produces the same bytes with ``JSON.stringify`` and a key sort.
"""
from __future__ import annotations

import hashlib
import json
import math
import re
import secrets
from decimal import Decimal
from typing import Any


def _number(x: float | int) -> str:
    """A number as ECMAScript's Number::toString writes it (integers beyond 2**53 round as in JS)."""
    x = float(x)
    text = repr(x)
    if "e" not in text and "n" not in text:
        # 1e-4 <= |x| < 1e16, or zero: both languages write the shortest round-trip digits in
        # plain notation here; Python adds ".0" to whole numbers and keeps the sign of -0.
        return "0" if x == 0 else (text[:-2] if text.endswith(".0") else text)
    return _number_general(x)


def _number_general(x: float) -> str:
    """``_number`` by the letter of ECMAScript's algorithm: digits and exponent from the shortest repr."""
    if not math.isfinite(x):
        raise ValueError("NaN and Infinity have no JSON form")
    if x == 0:
        return "0"
    sign = "-" if x < 0 else ""
    digits_t, exp = Decimal(repr(abs(x))).normalize().as_tuple()[1:]
    digits = "".join(map(str, digits_t))
    k = len(digits)
    n = k + exp  # the value is 0.<digits> × 10**n
    if k <= n <= 21:
        out = digits + "0" * (n - k)
    elif 0 < n <= 21:
        out = digits[:n] + "." + digits[n:]
    elif -6 < n <= 0:
        out = "0." + "0" * (-n) + digits
    else:
        e = n - 1
        out = digits[0] + ("." + digits[1:] if k > 1 else "") + "e" + ("+" if e >= 0 else "-") + str(abs(e))
    return sign + out


def _utf16_key(s: str) -> bytes:
    return s.encode("utf-16-be", "surrogatepass")


def _write(value: Any, out: list[str]) -> None:
    if value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, (int, float)):
        out.append(_number(value))
    elif isinstance(value, str):
        out.append(json.dumps(value, ensure_ascii=False))
    elif isinstance(value, (list, tuple)):
        out.append("[")
        for i, v in enumerate(value):
            if i:
                out.append(",")
            _write(v, out)
        out.append("]")
    elif isinstance(value, dict):
        out.append("{")
        for i, key in enumerate(sorted(value, key=_utf16_key)):
            if not isinstance(key, str):
                raise TypeError(f"object keys must be strings, not {type(key).__name__}")
            if i:
                out.append(",")
            out.append(json.dumps(key, ensure_ascii=False))
            out.append(":")
            _write(value[key], out)
        out.append("}")
    else:
        raise TypeError(f"{type(value).__name__} has no JSON form")


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
        out: list[str] = []
        _write(value, out)
        return "".join(out)
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
