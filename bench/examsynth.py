"""A synthetic course with a 60-item certification exam, and a cohort of result files for it.

    python bench/examsynth.py ATTEMPTS OUT

OUT/course/ is a mesotrain course whose quizzes/exam.yaml draws 60 items (10 from each
of 6 domains) from a pool of 144 items of every question type; OUT/inbox/ holds one
result file per attempt, as the exam page writes them (compact JSON, RFC 8785
checksum, sealed tokens), plus a few a real inbox also has: files sent twice, files
cut short in transit and files edited by hand.

The cohort follows a three-parameter item response model, so the item analysis has
something to find: candidates vary in ability and speed, items in difficulty and
discrimination (a few discriminate weakly, one negatively, as a miskeyed item would);
wrong answers favour some distractors over others and some distractors are almost
never chosen; partial-credit items get near misses; candidates omit hard items more
often than easy ones and flag the ones they are unsure of; times are log-normal per
item and candidate, and slow candidates run into the time limit, where the timer
submits. About 8% of attempts are retakes (2% beyond the two allowed), a few are late.

Generation is deterministic for a given seed and independent of the number of
worker processes: chunk k of the cohort draws from its own generator.
"""
from __future__ import annotations

import json
import math
import random
import sys
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml

DOMAINS = ("history", "ingredients", "techniques", "contraindications", "session", "complications")
POOL_PER_DOMAIN = 24
PER_FORM = 10                      # 6 domains × 10 = 60 items per form
FORMS = 4
TIME_LIMIT = 90                    # minutes
# Question types of each domain's 24 pool items (the shipped exam is mostly single choice too).
TYPES = (["single"] * 11 + ["multiple"] * 3 + ["true_false"] * 3 + ["numeric", "numeric", "matching",
         "cloze", "ordering", "case", "hotspot"])
BASE_SECONDS = {"single": 40, "multiple": 60, "true_false": 25, "numeric": 55, "matching": 80, "cloze": 60,
                "ordering": 70, "case": 130, "hotspot": 35}
GUESS = {"single": 0.12, "true_false": 0.3, "hotspot": 0.1, "multiple": 0.03}
CHUNK = 1000
USER_AGENTS = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0",
)
GIVEN = ("Ada Alice Amira Ben Bruno Chloé Dara Eleni Emma Fatima Hugo Ines Jakub João Kenji Lea Leila Lucas Maya "
         "Mehmet Noor Olga Omar Priya Rafael Sofia Søren Thiago Yara Zoë Łukasz Nguyễn").split()
FAMILY = ("Almeida Bakker Chen Dubois Eriksen Fernández García Haddad Ivanova Jansen Kowalski Laurent Müller "
          "Novak O'Brien Petrov Quintero Rossi Schmidt Tanaka Umarov Varga Weber Yilmaz Zhang Đorđević").split()
WORDS = ("scalp follicle session injection source practitioner mixture vitamin depth needle dermis patient "
         "result maintenance caution evidence claim region technique protocol interval redness bruising "
         "assessment history consent record plan dilution anaesthetic hygiene").split()


def _text(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


# --- the course -----------------------------------------------------------------------------

def _question(rng: random.Random, qid: str, kind: str, objective: str, n: int) -> dict:
    q: dict[str, Any] = {"id": qid, "type": kind, "objective": objective,
                         "stem": f"Item {n}: {_text(rng, 9)}?", "rationale": _text(rng, 14) + ".",
                         "sources": ["s1"]}
    if kind == "single":
        q["options"] = [{"text": f"{_text(rng, 4)} ({k})", **({"correct": True} if k == 0 else {})}
                        for k in range(4)]
    elif kind == "multiple":
        q["options"] = [{"text": f"{_text(rng, 4)} ({k})", **({"correct": True} if k < 2 else {})}
                        for k in range(5)]
    elif kind == "true_false":
        q["answer"] = rng.random() < 0.5
    elif kind == "numeric":
        q.update(answer=rng.choice([2, 4, 30, 0.5, 1.5]), tolerance=0, unit="mm")
    elif kind == "matching":
        q["pairs"] = [{"id": f"p{k}", "premise": f"{_text(rng, 3)} ({k})", "match": f"{_text(rng, 2)} [{k}]"}
                      for k in range(4)]
        q["distractors"] = [f"{_text(rng, 2)} [d]"]
    elif kind == "cloze":
        q["text"] = f"{_text(rng, 5)} {{{{b1}}}} {_text(rng, 4)} {{{{b2}}}}."
        q["blanks"] = [{"id": "b1", "accept": ["dermis", "the dermis"]},
                       {"id": "b2", "accept": ["four"], "choices": ["two", "four", "six"]}]
    elif kind == "ordering":
        q["items"] = [{"id": f"s{k}", "text": f"{_text(rng, 3)} ({k})"} for k in range(4)]
    elif kind == "hotspot":
        q.update(image="scalp.svg", alt="Scalp regions seen from above.",
                 regions=[{"id": r, "label": r.capitalize(), **({"correct": True} if r == "vertex" else {})}
                          for r in ("frontal", "vertex", "occipital", "temporal")])
    elif kind == "case":
        q["vignette"] = _text(rng, 20) + "."
        q["parts"] = [{"id": "a", "type": "single", "stem": f"{_text(rng, 6)}?",
                       "options": [{"text": f"{_text(rng, 3)} ({k})", **({"correct": True} if k == 0 else {})}
                                   for k in range(3)]},
                      {"id": "b", "type": "true_false", "stem": _text(rng, 7) + ".", "answer": False}]
    return q


SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 40 40">' + "".join(
    f'<rect id="{r}" x="{x}" y="0" width="10" height="40"/>'
    for r, x in (("frontal", 0), ("vertex", 10), ("occipital", 20), ("temporal", 30))) + "</svg>\n")


def write_course(out: Path, seed: int = 11) -> Path:
    """Write the benchmark course into ``out`` (a directory); returns it."""
    rng = random.Random(seed)
    dump = lambda data, path: path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True),
                                              encoding="utf-8")
    for d in ("content/images", "quizzes/exam-pool", "docs"):
        (out / d).mkdir(parents=True, exist_ok=True)
    (out / "content" / "images" / "scalp.svg").write_text(SVG)
    dump({"id": "bench-course", "title": "Benchmark course", "version": "1.0", "audience": "Benchmarks.",
          "disclaimer": "Not advice.", "introduction": "Generated for the certifier benchmark.",
          "domains": [{"id": d, "title": d.capitalize()} for d in DOMAINS], "lessons": list(DOMAINS)},
         out / "content" / "course.yaml")
    dump({"sources": [{"id": "s1", "title": "Source", "publisher": "P", "kind": "k", "reliability": "r"}]},
         out / "content" / "sources.yaml")
    must_pass = []
    for n, domain in enumerate(DOMAINS):
        objectives = [f"{domain[:4]}-o{k}" for k in range(3)]
        dump({"id": domain, "title": domain.capitalize(), "domain": domain, "summary": _text(rng, 10) + ".",
              "objectives": [{"id": o, "text": _text(rng, 6) + "."} for o in objectives],
              "sections": [{"title": "Notes", "blocks": [{"kind": "text", "md": _text(rng, 40) + ".",
                                                          "sources": ["s1"]}]}]},
             out / "content" / f"{n + 1:02d}-{domain}.yaml")
        kinds = TYPES[:]
        rng.shuffle(kinds)
        questions = [_question(rng, f"{domain[:4]}-x{k:02d}", kind, objectives[k % 3], n * 100 + k)
                     for k, kind in enumerate(kinds)]
        if domain in ("contraindications", "complications"):
            must_pass += [q["id"] for q in questions if q["type"] in ("single", "true_false")][:2 if n == 3 else 1]
        dump({"id": f"exam-{domain}", "kind": "exam", "questions": questions},
             out / "quizzes" / "exam-pool" / f"{n + 1:02d}-{domain}.yaml")
    dump({"id": "bench-certification", "title": "Benchmark certification exam", "mode": "sealed",
          "pool": [f"exam-{d}" for d in DOMAINS],
          "blueprint": [{"domain": d, "items": PER_FORM,
                         **({"min_score": 0.5} if d in ("contraindications", "complications") else {})}
                        for d in DOMAINS],
          "must_pass": must_pass, "pass_mark": 0.65, "time_limit_minutes": TIME_LIMIT,
          "attempts_allowed": 2, "forms": FORMS, "seed": 20261122},
         out / "quizzes" / "exam.yaml")
    (out / "mkdocs.yml").write_text("site_name: Benchmark course\ntheme: {name: material}\nplugins: [mesotrain]\n")
    return out


# --- the cohort -----------------------------------------------------------------------------

@dataclass
class ItemModel:
    """How the cohort answers one item: 3PL parameters and its responses in page tokens."""

    type: str
    a: float          # discrimination (negative: a miskeyed-looking item)
    b: float          # difficulty
    c: float          # guessing floor
    seconds: float    # typical time for an average candidate
    right: Any
    wrong: list[Any]  # near misses first
    weights: list[float]

    def p_right(self, theta: float) -> float:
        return self.c + (1 - self.c) / (1 + math.exp(-1.7 * self.a * (theta - self.b)))


def _wrong_answers(q: Any, key: Any) -> list[Any]:
    """Plausible wrong or partly right responses in real ids, nearest misses first."""
    t = q.type
    if t in ("single", "hotspot"):
        ids = [o.id for o in (q.options if t == "single" else q.regions)]
        return [i for i in ids if i != key]
    if t == "true_false":
        return [not key]
    if t == "multiple":
        wrong = [o.id for o in q.options if not o.correct]
        return [key[:1], key + wrong[:1], key[1:] + wrong[1:2], wrong[:2]]
    if t == "numeric":
        return [key * 2, key / 10, key + 1]
    if t == "ordering":
        return [key[1:2] + key[:1] + key[2:], key[:2] + key[3:] + key[2:3], key[::-1]]
    if t == "matching":
        ids = list(key)
        return [{**key, ids[0]: ids[1], ids[1]: ids[0]}, {**key, ids[2]: "d0"}, {i: ids[0] for i in ids}]
    if t == "cloze":
        return [{**key, "b1": "the epidermis"}, {**key, "b2": "six"}, {"b1": "fat", "b2": "two"}, {"b1": "dermis"}]
    if t == "case":
        return [{**key, "b": True}, {**key, "a": next(o.id for o in q.parts[0].options if not o.correct)},
                {"a": q.parts[0].options[2].id}]
    raise ValueError(t)


def _js(value: Any) -> Any:
    """A number as JSON.stringify writes it: 2.0 is 2."""
    return int(value) if isinstance(value, float) and value.is_integer() else value


def item_models(exam: Any, seed: int) -> dict[str, ItemModel]:
    from mesotrain.results.sample import key_response, to_page

    rng = random.Random(f"{seed}/items")
    out = {}
    drawn = list(exam.drawn)
    odd = set(rng.sample(drawn, 4))
    negative = sorted(odd)[0]
    must_pass = set(exam.exam.must_pass)
    for item in drawn:
        q = exam.pool[item].question
        key = _js(key_response(q))
        wrong = [_js(w) for w in _wrong_answers(q, key)]
        a = -0.6 if item == negative else (rng.uniform(0.05, 0.2) if item in odd else rng.uniform(0.4, 1.4))
        b = rng.gauss(-1.8, 0.3) if item in must_pass else rng.gauss(-0.6, 0.9)  # critical items are basics
        weights = [rng.choice((0.02, 1, 2, 3, 5)) for _ in wrong]  # some distractors nobody picks
        out[item] = ItemModel(q.type, a, b, GUESS.get(q.type, 0.0),
                              BASE_SECONDS[q.type] * rng.uniform(0.7, 1.4),
                              to_page(q, key), [to_page(q, w) for w in wrong], weights)
    return out


_setup: dict[str, Any] = {}


def _prepare(course: Path, seed: int) -> None:
    from mesotrain.exam import sealed_exam
    from mesotrain.checks import load_checked

    exam = sealed_exam(load_checked(course)[0])
    _setup.update(exam=exam, models=item_models(exam, seed), seed=seed,
                  forms={f.id: f.items for f in exam.forms})


def _candidate(cid: int) -> dict[str, str]:
    rng = random.Random(cid)
    given, family = rng.choice(GIVEN), rng.choice(FAMILY)
    if cid % 997 == 0:
        given += " 🌿"  # a rare character beyond U+E000: the checksum's general path
    email = f"{given.split()[0].lower()}.{family.lower()}{cid % 1000}@example.org".replace("'", "")
    return {"name": f"{given} {family}", "candidate_id": f"C-{cid:06d}", "email": email}


def _iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


def _attempt(rng: random.Random, k: int) -> dict[str, Any]:
    from mesotrain.exam.resultfile import FORMAT, FORMAT_VERSION, seal_document

    exam, models, forms = _setup["exam"], _setup["models"], _setup["forms"]
    r = rng.random()
    cid = k if r >= 0.08 or k == 0 else rng.randrange(k)  # 8% retakes of an earlier candidate
    theta, speed = rng.gauss(0.2, 1.0), rng.lognormvariate(0, 0.3)
    omitting, flagging = rng.random() ** 2, rng.random()
    form = rng.choice(list(forms))
    limit_ms = TIME_LIMIT * 60_000
    used, responses, timed_out = 0, [], False
    for item in forms[form]:
        m = models[item]
        p = m.p_right(theta)
        ms = int(min(600_000, max(2000, rng.lognormvariate(math.log(m.seconds * 1000 * speed), 0.5))))
        if timed_out or used + ms > limit_ms:
            timed_out = True
            responses.append({"item": item, "response": None, "time_ms": 0, "flagged": False})
            continue
        if rng.random() < 0.01 + 0.12 * omitting * (1 - p):
            response, ms = None, ms // 3
        elif rng.random() < p:
            response = m.right
        else:
            near = 0 if m.type in ("multiple", "ordering", "matching", "cloze", "case") and rng.random() < p else None
            response = m.wrong[near] if near is not None else rng.choices(m.wrong, m.weights)[0]
        used += ms
        unsure = 1 - abs(2 * p - 1)
        responses.append({"item": item, "response": response, "time_ms": ms,
                          "flagged": rng.random() < 0.06 * unsure * (0.5 + flagging)})
    day = datetime(2026, 1, 5, 8, tzinfo=timezone.utc) + timedelta(days=rng.randrange(180),
                                                                   seconds=rng.randrange(10 * 3600))
    started = day + timedelta(milliseconds=rng.randrange(1000))
    spent = limit_ms if timed_out else min(limit_ms, used + rng.randrange(30_000, 300_000))
    if not timed_out and rng.random() < 0.002:
        spent = limit_ms + rng.randrange(5, 30) * 60_000  # late: sent well after the clock ran out
    doc = {"format": FORMAT, "format_version": FORMAT_VERSION,
           "attempt_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
           "course": {"id": exam.course_id, "version": exam.course_version, "content_hash": exam.content_hash},
           "exam": {"id": exam.exam.id, "mode": exam.exam.mode, "form": form, "seed": exam.exam.seed,
                    "items": list(forms[form]), "time_limit_minutes": TIME_LIMIT},
           "rules_version": "1.0", "candidate": _candidate(cid),
           "started_at": _iso(started), "submitted_at": _iso(started + timedelta(milliseconds=spent)),
           "submitted_by": "timer" if timed_out else "candidate",
           "user_agent": rng.choice(USER_AGENTS), "responses": responses}
    return seal_document(doc)


def _write_chunk(args: tuple[int, int, int, str]) -> int:
    start, stop, chunk, inbox = args
    rng = random.Random(f"{_setup['seed']}/{chunk}")
    total = 0
    for k in range(start, stop):
        data = json.dumps(_attempt(rng, k), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        (Path(inbox) / f"result-{k:06d}.json").write_bytes(data)
        total += len(data)
    return total


@dataclass
class Cohort:
    inbox: Path
    attempts: int
    files: int
    resent: int      # exact copies of a file: "already in the store"
    damaged: int     # cut short or edited: rejected
    bytes: int
    seconds: float


def write_cohort(course: Path, attempts: int, inbox: Path, *, jobs: int = 2, seed: int = 5) -> Cohort:
    """``attempts`` result files in ``inbox`` (plus 0.1% resent and 0.1% damaged), in ``jobs`` processes."""
    import multiprocessing

    started = time.perf_counter()
    inbox.mkdir(parents=True, exist_ok=True)
    _prepare(course, seed)
    chunks = [(s, min(s + CHUNK, attempts), s // CHUNK, str(inbox)) for s in range(0, attempts, CHUNK)]
    if jobs > 1 and len(chunks) > 1:
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(jobs) as pool:
            total = sum(pool.imap_unordered(_write_chunk, chunks))
    else:
        total = sum(map(_write_chunk, chunks))
    rng = random.Random(f"{seed}/extras")
    extra = max(2, attempts // 1000)
    resent, damaged = extra, extra
    for n in range(extra):
        src = inbox / f"result-{rng.randrange(attempts):06d}.json"
        data = src.read_bytes()
        (inbox / f"resent-{n:04d}.json").write_bytes(data)
        if n % 2:
            bad = data[: rng.randrange(100, len(data) - 10)]
        else:
            doc = json.loads(data)
            doc["candidate"]["name"] += " Jr"  # a hand edit after the page wrote the checksum
            bad = json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        (inbox / f"damaged-{n:04d}.json").write_bytes(bad)
        total += len(data) + len(bad)
    return Cohort(inbox, attempts, attempts + resent + damaged, resent, damaged, total,
                  time.perf_counter() - started)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit("usage: python bench/examsynth.py ATTEMPTS OUT")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    root = Path(sys.argv[2])
    c = write_cohort(write_course(root / "course"), int(sys.argv[1]), root / "inbox")
    print(f"{c.files:,} files ({c.bytes / 1e6:.0f} MB) in {c.inbox} in {c.seconds:.1f} s")
