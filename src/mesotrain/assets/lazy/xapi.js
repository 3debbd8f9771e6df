/* mesotrain xAPI runtime: statements to a Learning Record Store, from the page events of
   quiz.js and exam-run.js (mesotrain:answered, mesotrain:lesson, mesotrain:exam). Only a site
   built with an LRS (lrs: in mkdocs.yml) loads it, after its settings (mesotrain.lrs); see
   guide/lrs.md. Statements wait in a queue in localStorage and are sent one at a time in the
   background; a failed send is tried again later (sooner when the browser is back online). A
   statement leaves the queue only once the LRS has it, so one in flight when the page closes
   is sent on the next visit (the LRS keeps a statement id once). The trainee is never kept
   waiting, and a full storage only means the queue lives in memory. */
((root) => {
  "use strict";
  const MAX_QUEUE = 400, MAX_WAIT = 300000, FIRST_WAIT = 2000, KEEPALIVE_MAX = 60000;
  const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;
  const isObj = (v) => v !== null && typeof v === "object" && !Array.isArray(v);

  function uuid(c) {
    if (c && c.randomUUID) return c.randomUUID();
    const b = c.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 15) | 64; b[8] = (b[8] & 63) | 128;
    return [...b].map((x, i) => ([4, 6, 8, 10].includes(i) ? "-" : "") + (x + 256).toString(16).slice(1)).join("");
  }
  const iso = (t) => new Date(t).toISOString();
  function duration(ms) { /* ISO 8601, as xAPI wants it: PT1H2M3.45S */
    let c = Math.max(0, Math.round(ms / 10));
    const h = Math.floor(c / 360000); c -= h * 360000;
    const m = Math.floor(c / 6000); c -= m * 6000;
    return "PT" + (h ? h + "H" : "") + (m ? m + "M" : "") + String(c / 100) + "S";
  }
  const round = (x) => Math.round(x * 1e4) / 1e4;
  const score = (raw, max) => ({ scaled: max > 0 ? round(raw / max) : 0, raw: round(raw), min: 0, max: round(max) });

  /* Statement builders: pure, given the settings C (mesotrain.lrs) and env
     {uuid(), now(), interactions, scoring, trainee: {actor, registration}}. */
  function builders(C, env) {
    const lang = (text) => ({ "en-US": String(text) });
    const verb = (name) => ({ id: C.verbs[name], display: lang(name) });
    const course = { objectType: "Activity", id: C.activities, definition: { type: C.types.course, name: lang(C.course) } };
    const act = (path, type, name) => ({ objectType: "Activity", id: C.activities + path, definition: Object.assign({ type: C.types[type] }, name ? { name: lang(name) } : {}) });
    const enc = (s) => encodeURIComponent(String(s));
    function statement(actor, v, object, more) {
      const s = { id: env.uuid(), actor, verb: verb(v), object, timestamp: iso(more.at || env.now()),
        context: { contextActivities: { parent: [course] } } };
      if (more.registration) s.context.registration = more.registration;
      if (more.attempt) s.context.extensions = { [C.ext.attempt]: more.attempt };
      if (more.parent) s.context.contextActivities.parent = [more.parent];
      if (more.parent) s.context.contextActivities.grouping = [course];
      if (more.result) s.result = more.result;
      return s;
    }
    function candidate(file) { /* the exam's actor, from the details form (in the result file) */
      const c = isObj(file) && isObj(file.candidate) ? file.candidate : {};
      const mbox = typeof c.email === "string" && /^[^@\s:]+@[^@\s]+$/.test(c.email) ? "mailto:" + c.email : null;
      if (!mbox) return null;
      return Object.assign({ objectType: "Agent", mbox }, typeof c.name === "string" && c.name ? { name: c.name } : {});
    }
    function interaction(it, path, name) { /* an interaction activity from interactions.of(q)[n] */
      const d = { type: C.types.question, interactionType: it.type, correctResponsesPattern: it.correct };
      if (name) d.name = lang(name);
      for (const k of ["choices", "source", "target", "steps"]) if (Array.isArray(it[k])) d[k] = it[k].map((c) => (c.description ? { id: c.id, description: lang(c.description) } : { id: c.id }));
      return { objectType: "Activity", id: C.activities + path, definition: d };
    }
    /* answered: one statement per interaction of q (one, or one per part of a case) */
    function answered(actor, q, r, earned, max, where, more) {
      const I = env.interactions, list = I.of(q), said = I.answer(q, r), S = env.scoring;
      return list.map((it, n) => {
        let raw = earned, top = max;
        if (list.length > 1) { /* a part of a case: its own credit, when the scoring module is at hand */
          const part = q.parts[n], own = isObj(r) ? r[part.id] : undefined;
          top = S ? S.maxCredit(part) : null;
          raw = S ? S.credit(part, own) : null;
        }
        const result = { response: said[n] };
        if (top != null) Object.assign(result, { score: score(raw, top), success: raw >= top - 1e-9 });
        if (more.time_ms != null && list.length === 1) result.duration = duration(more.time_ms);
        return statement(actor, "answered", interaction(it, where + enc(it.id)), Object.assign({}, more, { result }));
      });
    }
    return {
      lesson(d) {
        const l = act("lessons/" + enc(d.id), "lesson", d.title || d.id);
        return [statement(env.trainee.actor, d.status === "completed" ? "completed" : "attempted", l,
          { registration: env.trainee.registration, at: env.now(),
            result: d.status === "completed" ? { completion: true } : undefined })];
      },
      practice(d) {
        const more = { registration: env.trainee.registration, at: d.at ? Date.parse(d.at) : env.now() };
        if (d.lesson) more.parent = act("lessons/" + enc(d.lesson), "lesson");
        return answered(env.trainee.actor, d.q, d.r, d.earned, d.max, "questions/", more);
      },
      exam(d) { /* on "submitted": every statement of the attempt, with the candidate as actor */
        let file = null;
        try { file = JSON.parse(d.file); } catch (e) { return []; }
        const actor = candidate(file);
        if (!actor || !isObj(d.exam)) return [];
        const exam = act("exam/" + enc(d.exam.id), "exam", d.exam.id);
        const at = d.ended ? Date.parse(d.ended) : env.now(), more = { attempt: String(d.attempt), at };
        if (UUID.test(d.attempt)) more.registration = d.attempt.toLowerCase(); /* else the attempt extension alone */
        const took = duration(d.duration_ms || 0), out = [];
        if (d.exam.mode === "open" && isObj(d.result)) {
          const res = d.result, itemMore = Object.assign({}, more, { parent: exam });
          for (const it of res.items || []) out.push(...answered(actor, it.q, it.r, it.earned, it.max, "exam/" + enc(d.exam.id) + "/", Object.assign({ time_ms: it.time_ms }, itemMore)));
          const sc = { scaled: round(res.scaled), raw: round(res.raw), min: res.min || 0, max: round(res.max) };
          out.push(statement(actor, "completed", exam, Object.assign({}, more, { result: { completion: true, duration: took, score: sc } })));
          out.push(statement(actor, res.passed ? "passed" : "failed", exam, Object.assign({}, more, { result: { score: sc, success: !!res.passed, completion: true, duration: took } })));
        } else if (d.exam.mode === "sealed" && C.sealed) {
          /* the attempt handed in as it is: the result file, no score (the certifier grades it) */
          out.push(statement(actor, "submitted", exam, Object.assign({}, more, {
            result: { completion: true, duration: took, extensions: { [C.ext.file]: d.file } } })));
        }
        return out;
      },
    };
  }

  /* The queue: [{s: statement, k: "file" for a sealed submission}], in localStorage under `key`,
     at most MAX_QUEUE long (the oldest non-submissions go first); when storage is full, the
     largest entries stay in memory only. */
  function queue(store, key) {
    let mem = null, full = false;
    const read = () => {
      if (full && mem) return mem;
      try { const v = JSON.parse(store.getItem(key) || "[]"); if (Array.isArray(v)) mem = v.filter((e) => isObj(e) && isObj(e.s)); } catch (e) { mem = mem || []; }
      return (mem = mem || []);
    };
    const write = () => {
      try { store.setItem(key, JSON.stringify(mem)); full = false; } catch (e) {
        full = true; /* keep what fits: the submissions first, then the newest */
        const keep = mem.filter((e) => e.k === "file").concat(mem.filter((e) => e.k !== "file").reverse());
        for (let n = keep.length - 1; n >= 0; n--) {
          try { store.setItem(key, JSON.stringify(keep.slice(0, n))); break; } catch (e2) { /* smaller */ }
        }
      }
    };
    return {
      all: read,
      add(list) {
        const q = read().concat(list);
        while (q.length > MAX_QUEUE) {
          const i = q.findIndex((e) => e.k !== "file");
          q.splice(i < 0 ? 0 : i, 1);
        }
        mem = q; write();
      },
      drop(id) { mem = read().filter((e) => e.s.id !== id); write(); },
      get full() { return full; },
    };
  }

  /* Sending: the first statement of the queue, then the next. 2xx: sent. 400, 409, 413: the LRS
     will never take it (counted in `refused`, dropped). Anything else, or no network: wait
     (2 s, doubling to 5 min; at once when the browser says it is online again) and try again. */
  function sender(C, q, env) {
    let busy = false, wait = FIRST_WAIT, timer = null;
    const st = { sent: 0, refused: 0, failures: 0 };
    function later() {
      clearTimeout(timer);
      timer = env.setTimeout(() => { timer = null; flush(); }, wait);
      wait = Math.min(wait * 2, MAX_WAIT);
    }
    function flush() {
      if (busy) return Promise.resolve();
      const next = q.all()[0];
      if (!next) return Promise.resolve();
      if (env.online && !env.online()) return Promise.resolve(); /* the online event calls again */
      busy = true;
      const body = JSON.stringify(next.s);
      return env.fetch(C.endpoint + "statements", {
        method: "POST", keepalive: body.length < KEEPALIVE_MAX, credentials: "omit",
        headers: { Authorization: C.auth, "Content-Type": "application/json", "X-Experience-API-Version": C.version },
        body,
      }).then((res) => {
        busy = false;
        if (res.ok || [400, 409, 413].includes(res.status)) {
          res.ok ? st.sent++ : st.refused++;
          q.drop(next.s.id); wait = FIRST_WAIT;
          return flush();
        }
        st.failures++; later();
      }, () => { busy = false; st.failures++; later(); });
    }
    return { flush, stats: st, now() { wait = FIRST_WAIT; clearTimeout(timer); timer = null; return flush(); } };
  }

  function start(W) {
    const C = W.mesotrain.lrs, D = W.document, M = W.mesotrain;
    let ROOT = "/";
    try { ROOT = new URL(JSON.parse(D.getElementById("__config").textContent).base + "/", W.location.href).pathname; } catch (e) { }
    let store = null;
    try { store = W.localStorage; store.getItem("x"); } catch (e) { store = null; }
    const mem = {}, box = store || { getItem: (k) => mem[k] || null, setItem: (k, v) => { mem[k] = v; } };
    const id = () => uuid(W.crypto);
    /* the anonymous practice actor: an account on this site, named by a random id kept in this browser */
    const who = "mesotrain:xapi-trainee:" + ROOT;
    let me = null;
    try { me = JSON.parse(box.getItem(who)); } catch (e) { }
    if (!isObj(me) || typeof me.name !== "string" || typeof me.registration !== "string") {
      me = { name: id(), registration: id() };
      try { box.setItem(who, JSON.stringify(me)); } catch (e) { }
    }
    const trainee = { actor: { objectType: "Agent", account: { homePage: C.activities, name: me.name } }, registration: me.registration };
    const env = { uuid: id, now: () => Date.now(), trainee, get interactions() { return M.interactions; }, get scoring() { return M.scoring; } };
    const build = builders(C, env), q = queue(box, "mesotrain:xapi-queue:" + ROOT);
    const send = sender(C, q, { fetch: (u, o) => W.fetch(u, o), setTimeout: (f, t) => W.setTimeout(f, t), online: () => W.navigator.onLine !== false });
    const need = (fn) => (M.interactions ? fn() : M.quiz && M.quiz.need ? M.quiz.need("interactions", fn) : null);
    function put(list, kind) {
      if (!list.length) return;
      q.add(list.map((s) => (kind ? { s, k: kind } : { s })));
      send.flush();
    }
    const safely = (f) => (ev) => { try { f(ev.detail || {}); } catch (e) { /* a statement never breaks the page */ } };
    D.addEventListener("mesotrain:lesson", safely((d) => put(build.lesson(d))));
    D.addEventListener("mesotrain:answered", safely((d) => need(() => put(build.practice(d)))));
    D.addEventListener("mesotrain:exam", safely((d) => {
      if (d.phase !== "submitted") return;
      const go = () => put(build.exam(d), d.exam && d.exam.mode === "sealed" ? "file" : "");
      d.exam && d.exam.mode === "open" ? need(go) : go();
    }));
    W.addEventListener("online", () => send.now());
    D.addEventListener("visibilitychange", () => D.visibilityState === "visible" && send.flush());
    send.flush(); /* what an earlier visit left */
    need(() => { }); /* interactions.js now, while the network is surely there */
    M.xapi = { queue: q, send, build, trainee: () => me.name };
  }

  const api = { builders, queue, sender, duration, uuid };
  if (typeof module === "object" && module.exports) module.exports = api;
  else if (root.mesotrain && root.mesotrain.lrs && !root.mesotrain.xapi) start(root);
})(this);
