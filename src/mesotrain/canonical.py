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
from decimal import Decimal
from typing import Any


def _number(x: float | int) -> str:
    """A number as ECMAScript's Number::toString writes it (integers beyond 2**53 round as in JS)."""
    x = float(x)
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
    """The RFC 8785 canonical text of a JSON value."""
    out: list[str] = []
    _write(value, out)
    return "".join(out)


def sha256_hex(value: Any) -> str:
    """SHA-256 (hex) of the UTF-8 bytes of a value's canonical JSON."""
    return hashlib.sha256(canonical_json(value).encode("utf-8")).hexdigest()
