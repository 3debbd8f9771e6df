/* mesotrain offline copy: precaches every page and asset of this built site on the first visit,
   then answers from that copy. The build writes VERSION and FILES; a republished site has a new
   VERSION, so the browser installs it beside the old one and the page offers to switch.
   Caches are named after this worker's scope: another course on the same origin keeps its own.
   Under mkdocs serve FILES is null: the worker removes itself and its copy, so live reload rules. */
const VERSION = "__VERSION__", FILES = __FILES__;
const NAME = "mesotrain:" + self.registration.scope + ":", CACHE = NAME + VERSION;

self.addEventListener("install", (ev) => ev.waitUntil(FILES
  ? caches.open(CACHE).then((c) => c.addAll(FILES.map((f) => new Request(f, { cache: "reload" }))))
  : self.skipWaiting()));

self.addEventListener("activate", (ev) => ev.waitUntil(caches.keys()
  .then((keys) => Promise.all(keys.filter((k) => k.startsWith(NAME) && k !== CACHE).map((k) => caches.delete(k))))
  .then(() => FILES ? self.clients.claim() : self.registration.unregister()
    .then(() => self.clients.matchAll({ type: "window" }))
    .then((pages) => pages.forEach((p) => p.navigate(p.url))))));

self.addEventListener("message", (ev) => ev.data === "update" && self.skipWaiting());

self.addEventListener("fetch", (ev) => {
  const r = ev.request;
  if (!FILES || r.method !== "GET" || !r.url.startsWith(self.registration.scope)) return;
  ev.respondWith(caches.open(CACHE).then((c) => c.match(r, { ignoreSearch: true })
    .then((hit) => hit || fetch(r).catch(() => (r.mode === "navigate" && c.match("404.html")) || Response.error()))));
});
