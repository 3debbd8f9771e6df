"""Drive a question widget like a trainee: by mouse, or by keyboard alone.

Responses are given in scoring.py's format (option ids, item ids …); on a practice page
the controls' values are those ids, so one driver serves every type and both ways.
"""
from __future__ import annotations

import json
from pathlib import Path

from mesotrain import scoring
from mesotrain.load import load_course


def questions_of(root: Path) -> dict:
    """Question id → (question, bank) for every practice bank of a course."""
    tree = load_course(root)
    return {q.id: (q, b.model) for b in tree.banks if b.model.kind == "practice" for q in b.model.questions}


def expected_credit(q, bank, response) -> float:
    return scoring.credit(q, response, multiple_scoring=bank.multiple_scoring,
                          negative_marking=bank.negative_marking)


def _arrow_until(page, control, done, limit=12):
    for _ in range(limit):
        if done():
            return
        control.press("ArrowDown") if control else page.keyboard.press("ArrowDown")
    assert done(), "the keyboard never reached the wanted value"


def answer_field(page, f, kind: str, r, how: str) -> None:
    """Set one fieldset (a question, or a case part) to response ``r``."""
    mouse = how == "mouse"
    if kind in ("single", "true_false", "hotspot"):
        value = json.dumps(r) if kind == "true_false" else r
        radio = f.locator(f"input[value='{value}']")
        if mouse:
            if kind == "hotspot":
                f.locator(f"[data-mt-region='{value}']").click()
            else:
                f.locator(f"label[for='{radio.get_attribute('id')}']").click()
        else:
            f.locator("input").first.focus()
            page.keyboard.press("Space")
            _arrow_until(page, None, radio.is_checked)
        assert radio.is_checked()
    elif kind == "multiple":
        boxes = f.locator("input")
        for n in range(boxes.count()):
            box = boxes.nth(n)
            if (box.get_attribute("value") in r) != box.is_checked():
                if mouse:
                    f.locator(f"label[for='{box.get_attribute('id')}']").click()
                else:
                    box.focus()
                    page.keyboard.press("Space")
    elif kind == "numeric":
        box = f.locator("input")
        if mouse:
            box.click()
            box.fill(str(r))
        else:
            box.focus()
            page.keyboard.press("Control+A")
            page.keyboard.type(str(r))
    elif kind == "ordering":
        for target, item in enumerate(r):
            current = f.locator("li").evaluate_all("(lis) => lis.map(l => l.dataset.mtItem)")
            moves = current.index(item) - target
            up = f.locator(f"li[data-mt-item='{item}'] .mt-up")
            if moves and not mouse:
                up.focus()
            for _ in range(moves):
                if mouse:
                    up.click()
                else:  # focus stays on the moved item's button, so Enter again moves it again
                    page.keyboard.press("Enter")
        assert f.locator("li").evaluate_all("(lis) => lis.map(l => l.dataset.mtItem)") == list(r)
    elif kind in ("matching", "cloze"):
        attr = "data-mt-premise" if kind == "matching" else "data-mt-blank"
        for key, value in r.items():
            control = f.locator(f"[{attr}='{key}']")
            tag = control.evaluate("(e) => e.tagName")
            if tag == "SELECT":
                if mouse:
                    control.select_option(value)
                else:
                    control.focus()
                    _arrow_until(page, None, lambda: control.input_value() == value)
            elif mouse:
                control.click()
                control.fill(value)
            else:
                control.focus()
                page.keyboard.type(value)
    else:
        raise AssertionError(f"no driver for {kind}")


def answer(page, qid: str, r, how: str) -> None:
    q = page.locator(f"#q-{qid}")
    kind = q.get_attribute("data-mt-type")
    if kind == "case":
        for part, sub in r.items():
            f = q.locator(f"fieldset[data-mt-part='{part}']")
            answer_field(page, f, f.get_attribute("data-mt-field"), sub, how)
    else:
        answer_field(page, q.locator("fieldset").first, kind, r, how)


def check(page, qid: str, how: str) -> float:
    """Press Check; return the credit the page shows (its data-earned)."""
    q = page.locator(f"#q-{qid}")
    button = q.locator(".mt-actions .mt-primary")
    page.wait_for_function("() => window.mesotrain.scoring")  # loaded on the first touch of a question
    if how == "mouse":
        button.click()
    else:
        button.focus()
        page.keyboard.press("Enter")
    earned = q.locator(".mt-status").get_attribute("data-earned")
    assert earned not in (None, ""), q.locator(".mt-status").inner_text()
    return float(earned)
