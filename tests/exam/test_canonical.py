"""RFC 8785 canonical JSON: the bytes the browser and the certifier both hash."""
from __future__ import annotations

import json

import pytest

from mesotrain.canonical import canonical_json, sha256_hex


def test_rfc_8785_example_numbers_strings_and_literals():
    text = ('{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], '
            '"string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", '
            '"literals": [null, true, false]}')
    assert canonical_json(json.loads(text)) == (
        '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],'
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}')


@pytest.mark.parametrize("value, text", [
    (1.0, "1"), (-0.0, "0"), (1e21, "1e+21"), (1e20, "100000000000000000000"), (1e-7, "1e-7"),
    (0.000001, "0.000001"), (123.456, "123.456"), (2**60, "1152921504606847000"), (5e-324, "5e-324"),
])
def test_numbers_are_written_as_ecmascript_writes_them(value, text):
    assert canonical_json(value) == text


def test_keys_sort_by_utf16_code_units_as_javascript_sorts_them():
    assert canonical_json({"\uff61": 1, "\U0001F600": 2, "é": 3, "a": 4}) == '{"a":4,"é":3,"😀":2,"｡":1}'


def test_nan_has_no_canonical_form():
    with pytest.raises(ValueError):
        canonical_json(float("nan"))


def test_hash_is_of_the_canonical_text():
    assert sha256_hex({"b": 1, "a": [1.0]}) == sha256_hex(json.loads('{"a":[1],"b":1}'))


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

import rfc8785  # noqa: E402

from mesotrain.canonical import _as_doubles  # noqa: E402

_text = st.text(st.characters(exclude_categories=("Cs",)), max_size=12)
_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**60, 2**60) | _text | st.floats(allow_nan=False, allow_infinity=False),
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(_text, kids, max_size=4), max_leaves=15)


@settings(max_examples=300, deadline=None)
@given(_values)
def test_the_fast_path_writes_what_the_rfc8785_package_writes(value):
    assert canonical_json(value) == rfc8785.dumps(_as_doubles(value)).decode()


def test_a_string_that_looks_like_a_placeholder_stays_a_string():
    assert canonical_json({"a": "\x00deadbeef0", "b": 1.5}) == '{"a":"\\u0000deadbeef0","b":1.5}'


from mesotrain.canonical import HashedText  # noqa: E402


@settings(max_examples=300, deadline=None)
@given(_values | st.lists(st.integers(-2**70, 2**70) | st.integers(-10**17, 10**17), max_size=6))
def test_hashed_text_gives_the_canonical_text_of_what_it_parses(value):
    text = json.dumps(value, ensure_ascii=False)
    assert HashedText(text).canonical(HashedText(text).value) == canonical_json(json.loads(text))


@pytest.mark.parametrize("text", ['[9007199254740993, 1]', '{"h": "sha256:1234567890123456", "n": 12345678901234567890}',
                                  '[-1234567890123456789, 2.0, 7]'])
def test_hashed_text_rounds_long_integers_as_ecmascript_does(text):
    hashed = HashedText(text)
    assert hashed.canonical(hashed.value) == canonical_json(json.loads(text))
