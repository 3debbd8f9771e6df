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
