"""scoring.js, as the built site serves it, runs every shared vector in Chromium."""
from __future__ import annotations

import json

import pytest

from ..test_scoring import INTERACTIONS, VECTORS


def test_every_vector_in_chromium(page, mini_url):
    page.goto(mini_url)
    page.evaluate("() => new Promise((done) => mesotrain.quiz.need('scoring', done))")  # loaded on demand
    files = {p.name: json.loads(p.read_text()) for p in sorted(VECTORS.glob("*.json")) if p.name != INTERACTIONS}
    failures = page.evaluate("""(files) => {
        const S = window.mesotrain.scoring, bad = [], close = (a, b) => Math.abs(a - b) <= 1e-9;
        const resp = (r) => (r && r.$undefined === true ? undefined : r);
        let n = 0;
        for (const [name, data] of Object.entries(files)) {
          for (const c of data.cases) {
            n++;
            if (name === 'attempt.json') {
              const items = c.items.map(i => ({question: data.questions[i.question], domain: i.domain, response: i.response}));
              const got = S.scoreAttempt(items, c), want = c.expected;
              if (!close(got.earned, want.earned) || got.passed !== want.passed ||
                  JSON.stringify(got.must_pass_failed) !== JSON.stringify(want.must_pass_failed))
                bad.push(`${name}: ${c.name}: ${JSON.stringify(got)}`);
            } else {
              const got = S.credit(data.questions[c.question], resp(c.response), c.multiple_scoring, c.negative_marking);
              if (!close(got, c.expected)) bad.push(`${name}: ${c.name}: got ${got}, want ${c.expected}`);
            }
          }
        }
        return {bad, n};
    }""", files)
    print(f"scoring.js in Chromium: {failures['n']} vectors")
    assert failures["n"] > 100
    assert failures["bad"] == []
