from mesotrain.yamlsource import format_loc, parse


def test_positions_are_one_based_and_keyed_by_path():
    doc, problems = parse("a: 1\nlist:\n  - x\n  - {k: v}\n", "f.yaml")
    assert problems == []
    assert doc.position(("a",)) == (1, 4)
    assert doc.position(("list", 1, "k")) == (4, 9)
    assert doc.position(("list", 1, "k"), key=True) == (4, 6)


def test_missing_path_falls_back_to_nearest_parent():
    doc, _ = parse("outer:\n  inner: 1\n", "f.yaml")
    assert doc.position(("outer", "nope", 3)) == (2, 3)
    assert doc.position(("outer", "nope"), key=True) == (1, 1)  # the key that holds it
    assert doc.position(("outer", "inner", 0)) == (2, 10)


def test_positions_follow_merge_keys_first_duplicates_and_word_keys():
    text = "base: &b {x: 1}\nm:\n  <<: *b\n  y: 2\nd: 1\nd: 2\n3: three\nno: n\nl: [a, b]\n"
    doc, problems = parse(text, "f.yaml")
    assert doc.data["m"] == {"x": 1, "y": 2} and doc.data["d"] == 1
    assert doc.position(("m", "y"), key=True) == (4, 3)
    assert doc.position(("d",)) == (5, 4)  # the first, which the data keeps
    assert doc.position(("3",), key=True) == (7, 1)
    assert doc.position(("false",), key=True) == (8, 1)
    assert doc.position(("l", 1)) == (9, 8)
    assert doc.position(("l", 5)) == (9, 4)
    assert len(problems) == 1 and problems[0].line == 6


def test_duplicate_key_is_a_problem_with_both_lines():
    _, problems = parse("id: a\ntitle: x\nid: b\n", "f.yaml")
    assert [str(p) for p in problems] == ["f.yaml:3:1: id: duplicate key 'id' (first given at line 1)"]


def test_syntax_error_names_line_and_column_and_hints_at_indentation():
    doc, problems = parse("a:\n  - b: 1\n   c: 2\n", "f.yaml")
    assert doc is None
    (p,) = problems
    assert (p.file, p.line) == ("f.yaml", 3)
    assert "YAML syntax error" in p.message and "indentation" in p.message


def test_boolean_keys_become_words_and_empty_file_is_empty_mapping():
    doc, _ = parse("true: 1\n", "f.yaml")
    assert doc.data == {"true": 1}
    doc, _ = parse("", "f.yaml")
    assert doc.data == {}


def test_format_loc():
    assert format_loc(("sections", 1, "blocks", 0, "sources", 0)) == "sections[1].blocks[0].sources[0]"


def test_own_keys_win_over_merged_ones_and_earlier_merges_over_later():
    doc, problems = parse("b: &b {x: 1, y: 2}\nm:\n  <<: *b\n  x: 3\n", "f.yaml")
    assert problems == [] and doc.data["m"] == {"x": 3, "y": 2}
    assert doc.position(("m", "x")) == (4, 6)  # where the value the data holds is written
    doc, problems = parse("a: &a {k: 1}\nb: &b {k: 2, j: 5}\nm:\n  <<: [*a, *b]\n", "f.yaml")
    assert problems == [] and doc.data["m"] == {"k": 1, "j": 5}  # as PyYAML and the YAML spec have it
    assert doc.position(("m", "k")) == (1, 11)
    _, problems = parse("b: &b {x: 1}\nm:\n  <<: *b\n  y: 1\n  y: 2\n", "f.yaml")
    assert [str(p) for p in problems] == ["f.yaml:5:3: m.y: duplicate key 'y' (first given at line 4)"]


def test_an_alias_inside_its_own_anchor_is_a_located_problem_not_a_crash():
    doc, problems = parse("ok: 1\nloop: &x\n  - a\n  - *x\n", "f.yaml")
    assert doc is None
    (p,) = problems
    assert (p.line, p.col, "used inside itself" in p.message) == (2, 7, True)  # at the anchor


def _bomb(levels: int = 10) -> str:
    """"Billion laughs": each level lists the one before nine times (9**levels values)."""
    lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, levels):
        lines.append(f"l{n}: &l{n} [" + ", ".join([f"*l{n - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_where_it_grows_too_large_without_expanding_it():
    doc, problems = parse("questions: []\n" + _bomb(), "bank.yaml")
    assert doc is None
    (p,) = problems
    # level 5 is the first to pass 200,000 values (9**6); it is on line 7 of the file
    assert (p.file, p.line, p.col) == ("bank.yaml", 7, 5)
    assert "expands to more than 200,000 values through aliases" in p.message


def test_aliases_within_the_bound_still_work():
    doc, problems = parse(_bomb(4), "ok.yaml")
    assert problems == [] and len(doc.data["l3"]) == 9 and doc.data["l3"][0][0][0] == ["lol"] * 9


def test_nesting_too_deep_is_a_located_problem():
    doc, problems = parse("a:\n" + "".join("  " * n + f"- k{n}:\n" for n in range(1, 80)) + "  " * 80 + "- x\n",
                          "deep.yaml")
    assert doc is None and "nested more than 64 levels deep" in problems[0].message
    doc, problems = parse("a: " + "[" * 5000 + "]" * 5000, "flow.yaml")
    assert doc is None and (problems[0].line, problems[0].col) == (1, 1003)
    assert "maximum nesting depth" in problems[0].message


def test_an_unclosed_quote_is_reported_where_it_opens_not_at_the_end_of_the_file():
    text = "id: x\ntitle: \"Contraindications\nsummary: one\nobjectives: []\nmore: 1\n"
    _, problems = parse(text, "lesson.yaml")
    (p,) = problems
    assert (p.line, p.col) == (2, 8)
    assert "never closed" in p.message


def test_a_bad_byte_is_located_by_line_and_column(tmp_path):
    from mesotrain.yamlsource import read

    path = tmp_path / "l.yaml"
    path.write_bytes("id: x\ntitle: Caf\u00e9 ok\nsummary: bad \xff here\n".encode("utf-8").replace(b"\xc3\xbf", b"\xff"))
    _, problems = read(path, "l.yaml")
    (p,) = problems
    assert (p.line, p.col) == (3, 14) and "byte 0xff" in p.message and "UTF-8" in p.message


def test_a_byte_order_mark_is_accepted(tmp_path):
    from mesotrain.yamlsource import read

    path = tmp_path / "l.yaml"
    path.write_bytes(b"\xef\xbb\xbfid: x\n")
    doc, problems = read(path, "l.yaml")
    assert problems == [] and doc.data == {"id": "x"}


def test_oversized_files_warn_and_huge_ones_are_not_read(tmp_path, monkeypatch):
    from mesotrain import yamlsource

    path = tmp_path / "big.yaml"
    path.write_text("questions:\n" + "  - a long line of padding text that no course needs\n" * 60_000)
    doc, problems = yamlsource.read(path, "big.yaml")
    assert doc is not None
    assert [p.severity for p in problems] == ["warning"] and "larger than any course file needs" in problems[0].message
    monkeypatch.setattr(yamlsource, "MAX_BYTES", 1024)
    doc, problems = yamlsource.read(path, "big.yaml")
    assert doc is None and "far more than a course file needs" in problems[0].message


def test_without_an_anchor_a_text_holds_at_most_two_values_a_character_and_one_more():
    """What lets parse() skip the alias walk for a short file without '&' (see MAX_VALUES there)."""
    import itertools

    import yaml

    from mesotrain.yamlsource import _Parser, _children, _compose

    def values(node):
        return 1 + sum(values(c) for c in _children(node))

    worst = 0.0
    for n in range(1, 5):
        for chars in itertools.product("-:?[]{},a \n", repeat=n):
            try:
                node = _compose("".join(chars), _Parser)
            except yaml.YAMLError:
                continue
            if node is not None:
                assert values(node) <= 2 * n + 1, repr("".join(chars))
                worst = max(worst, values(node) / n)
    assert worst == 3  # "?": a mapping with a null key and a null value


def test_deep_nesting_is_found_at_the_same_place_with_or_without_the_alias_walk():
    deep = "a:\n" + "".join("  " * n + f"- k{n}:\n" for n in range(1, 80)) + "  " * 80 + "- x\n"
    _, quick = parse(deep, "deep.yaml")
    _, walked = parse("# an & in a comment makes parse() walk the tree first\n" + deep, "deep.yaml")
    assert [(p.line, p.col, p.message) for p in quick] == [(p.line - 1, p.col, p.message) for p in walked]
    assert "nested more than 64 levels deep" in quick[0].message


def test_a_long_file_without_anchors_is_still_held_to_the_values_bound():
    doc, problems = parse("a: [" + "1, " * 210_000 + "]\n", "long.yaml")
    assert doc is None and "expands to more than 200,000 values" in problems[0].message
