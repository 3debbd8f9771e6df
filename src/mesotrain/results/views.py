"""One attempt, readable in a terminal: who, when, how, the grade, each item."""
from __future__ import annotations

import json

from .printable import for_terminal
from .store import Store, responses_of
from .tables import pct, table


def _response(text: str | None) -> str:
    if text is None:
        return "(no answer)"
    return json.dumps(json.loads(text), ensure_ascii=False, separators=(", ", ": "))


def show_attempt(st: Store, attempt_id: str) -> str:
    db = st.db
    a = db.execute("SELECT candidate_name, candidate_id, candidate_email, course_id, course_version, exam_id, "
                   "mode, form, started_at, submitted_at, submitted_by, duration_s, late, user_agent, source, "
                   "imported_at, document, rules_version FROM attempts WHERE attempt_id = ?",
                   (attempt_id,)).fetchone()
    (name, cid, email, course, version, exam, mode, form, started, submitted, by, duration, late, ua, source,
     imported, document, page_rules) = a
    lines = [
        f"attempt    {attempt_id}",
        f"candidate  {name} ({cid}) <{email}>",
        f"exam       {exam} ({mode}), form {form}; course {course} {version}",
        f"sat        {started} → {submitted}, {duration / 60:.1f} min, submitted by the {by}"
        + (" — LATE" if late else ""),
        f"browser    {ua}",
        f"imported   {imported} from {source}",
    ]
    g = db.execute("SELECT earned, possible, fraction, passed, must_pass_failed, by_domain, rules_version, "
                   "key_hash, attempt_number, over_limit, graded_at FROM grades WHERE attempt_id = ?",
                   (attempt_id,)).fetchone()
    public = {r["item"]: r for r in responses_of(document)}
    if g is None:
        lines.append("grade      not graded yet (mesotrain results grade)")
        rows = [(r["item"], "–", "–", _response(json.dumps(r["response"])) if r["response"] is not None
                 else "(no answer)", f"{r['time_ms'] / 1000:.0f}s", "yes" if r.get("flagged") else "")
                for r in public.values()]
    else:
        earned, possible, fraction, passed, failed, by_domain, rules, key, number, over, graded = g
        failed = json.loads(failed)
        lines.append(f"grade      {earned:g}/{possible:g} = {pct(fraction)}: {'PASS' if passed else 'FAIL'}"
                     + (f" (must-pass missed: {', '.join(failed)})" if failed else "")
                     + f"; attempt {number}" + (" — over the attempts allowed" if over else ""))
        lines.append(f"graded     {graded}, rules {rules}, key {key[7:19]}… (page rules {page_rules})")
        domains = ", ".join(f"{d} {e:g}/{p:g}" for d, (e, p) in sorted(json.loads(by_domain).items()))
        lines.append(f"domains    {domains}")
        rows = []
        for item, earned_i, possible_i, answer in db.execute(
                "SELECT s.item_id, s.earned, s.possible, s.answer FROM item_scores s JOIN attempts a ON a.id = s.attempt "
                "WHERE a.attempt_id = ? ORDER BY s.position", (attempt_id,)):
            r = public.get(item, {})
            rows.append((item, f"{earned_i:g}/{possible_i:g}", "✓" if earned_i >= possible_i - 1e-9 else "",
                         _response(answer), f"{r.get('time_ms', 0) / 1000:.0f}s", "yes" if r.get("flagged") else ""))
    lines = [for_terminal(line) for line in lines]  # the candidate's and browser's own words
    lines.append("")
    lines.append(table(("item", "credit", "", "response", "time", "flagged"), rows, right=(1, 4)))
    return "\n".join(lines)
