/* Koroena service worker: precaches the app shell, serves pages network-first with the
 * cached copy (or the offline page) when there is no signal, and cleans old caches.
 * The server fills in __CACHE_VERSION__ (a hash of every precached file) and the list. */
"use strict";

// The offline queues (IndexedDB + the exactly-once sync), shared with the pages that fill
// them: the till's outbox (/kasir) and the report forms (/laporan); complaint.js adds the
// public complaints' queue (/pengaduan), flushed on its own tag by the sync handler below.
importScripts("/sw/outbox.js", "/sw/complaint.js");

const VERSION = "__CACHE_VERSION__";
const SHELL_CACHE = `koroena-shell-${VERSION}`;
const PAGES_CACHE = `koroena-pages-${VERSION}`;
const PRECACHE_URLS = __PRECACHE_URLS__;
const OFFLINE_URL = "/offline";
// Cheap phones on patchy data: give the network this long before showing the copy.
const NAVIGATION_TIMEOUT_MS = 6000;
// Education material (decision 0017): an article once opened, and the PDFs its page names
// in X-Koroena-Offline, stay readable without signal. They live in a cache of their own
// that survives releases (its name changes only when what it holds changes shape),
// bounded in entries and bytes: the longest unopened go first.
const EDU_CACHE = "koroena-edukasi-v1";
const EDU_FILES = "/edukasi/berkas/";
const EDU_MAX_PAGES = 60;
const EDU_MAX_FILES = 40;
const EDU_MAX_BYTES = 60 * 1024 * 1024;
const EDU_BYTES_HEADER = "X-Koroena-Bytes";

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(SHELL_CACHE);
      // `cache: "reload"` skips the HTTP cache so the shell matches this version.
      await cache.addAll(PRECACHE_URLS.map((url) => new Request(url, { cache: "reload" })));
      await self.skipWaiting();
    })()
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const keep = new Set([SHELL_CACHE, PAGES_CACHE, EDU_CACHE]);
      for (const name of await caches.keys()) {
        if (name.startsWith("koroena-") && !keep.has(name)) {
          await caches.delete(name);
        }
      }
      if (self.registration.navigationPreload) {
        await self.registration.navigationPreload.enable();
      }
      await self.clients.claim();
    })()
  );
});

function withTimeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    promise.then(
      (value) => { clearTimeout(timer); resolve(value); },
      (error) => { clearTimeout(timer); reject(error); }
    );
  });
}

// Personal pages (the account, invitations) answer `Cache-Control: no-store`: a phone may
// be shared, so they are never copied into the pages cache.
function isNoStore(response) {
  return (response.headers.get("Cache-Control") || "")
    .split(",")
    .some((directive) => directive.split("=")[0].trim().toLowerCase() === "no-store");
}

async function handleNavigation(event) {
  const request = event.request;
  try {
    const preloaded = await event.preloadResponse;
    const response = await withTimeout(preloaded ? Promise.resolve(preloaded) : fetch(request), NAVIGATION_TIMEOUT_MS);
    if (response.ok && response.type === "basic" && !isNoStore(response)) {
      const copy = response.clone();
      event.waitUntil(caches.open(PAGES_CACHE).then((cache) => cache.put(request, copy)));
    }
    return response;
  } catch (error) {
    // The copy last fetched (in the person's language) before the one precached at install.
    const pages = await caches.open(PAGES_CACHE);
    const cached =
      (await pages.match(request, { ignoreSearch: true })) ||
      (await caches.match(request, { ignoreSearch: true })) ||
      (await caches.match(OFFLINE_URL));
    return cached || new Response("Anda sedang offline", {
      status: 503,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
}

// Education: network first for pages (the copy when offline), cache first for PDFs (a
// file's address never changes what it holds).

function isEducation(url) {
  return url.pathname === "/edukasi" || url.pathname.startsWith("/edukasi/");
}

/** Put `response` (read whole, its size noted) as the newest entry of `cache`. */
async function keepSized(cache, request, response) {
  const body = await response.blob();
  const headers = new Headers(response.headers);
  headers.set(EDU_BYTES_HEADER, String(body.size));
  await cache.delete(request);
  await cache.put(request, new Response(body, { status: response.status, statusText: response.statusText, headers }));
}

/** Drop the oldest entries until pages, files and bytes are within bounds. */
async function trimEducation(cache) {
  const entries = [];
  for (const request of await cache.keys()) {
    const response = await cache.match(request);
    const bytes = Number((response && response.headers.get(EDU_BYTES_HEADER)) || 0);
    entries.push({ request, bytes, file: new URL(request.url).pathname.startsWith(EDU_FILES) });
  }
  let pages = entries.filter((e) => !e.file).length;
  let files = entries.length - pages;
  let bytes = entries.reduce((sum, e) => sum + e.bytes, 0);
  for (const entry of entries) {  // oldest first (cache.keys() keeps insertion order)
    const over = bytes > EDU_MAX_BYTES || (entry.file ? files > EDU_MAX_FILES : pages > EDU_MAX_PAGES);
    if (!over) continue;
    await cache.delete(entry.request);
    bytes -= entry.bytes;
    if (entry.file) files -= 1;
    else pages -= 1;
  }
}

async function keepEducation(request, response) {
  const cache = await caches.open(EDU_CACHE);
  await keepSized(cache, request, response.clone());
  const named = (response.headers.get("X-Koroena-Offline") || "").split(/\s+/).filter(Boolean);
  for (const path of named) {
    const url = new URL(path, self.location.origin);
    if (url.origin !== self.location.origin || !url.pathname.startsWith(EDU_FILES)) continue;
    const fileRequest = new Request(url.href);
    const kept = await cache.match(fileRequest);
    try {
      if (kept) {
        await keepSized(cache, fileRequest, kept);  // opened again: newest
      } else {
        const file = await fetch(fileRequest);
        if (file.ok && file.type === "basic" && !isNoStore(file)) {
          await keepSized(cache, fileRequest, file);
        }
      }
    } catch (error) {
      // No signal for the file right now: the page is kept; the file next time.
    }
  }
  await trimEducation(cache);
}

async function handleEducationPage(event) {
  const request = event.request;
  try {
    const preloaded = await event.preloadResponse;
    const response = await withTimeout(preloaded ? Promise.resolve(preloaded) : fetch(request), NAVIGATION_TIMEOUT_MS);
    if (response.ok && response.type === "basic" && !isNoStore(response)) {
      event.waitUntil(keepEducation(request, response.clone()));
    } else if (response.status === 404) {
      // Taken back by the Dinas: no copy of it stays either.
      event.waitUntil(caches.open(EDU_CACHE).then((cache) => cache.delete(request)));
    }
    return response;
  } catch (error) {
    const cache = await caches.open(EDU_CACHE);
    const cached =
      (await cache.match(request)) ||
      (await cache.match(request, { ignoreSearch: true })) ||
      (await caches.match(OFFLINE_URL));
    return cached || new Response("Anda sedang offline", {
      status: 503,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
}

async function handleEducationFile(event) {
  const cache = await caches.open(EDU_CACHE);
  const key = new Request(event.request.url);
  const cached = await cache.match(key);
  if (cached) return cached;
  try {
    const response = await fetch(event.request);
    if (response.ok && response.type === "basic" && !isNoStore(response)) {
      const copy = response.clone();
      event.waitUntil(keepSized(cache, key, copy).then(() => trimEducation(cache)));
    }
    return response;
  } catch (error) {
    if (event.request.mode === "navigate") {
      const offline = await caches.match(OFFLINE_URL);
      if (offline) return offline;
    }
    return new Response("Berkas ini belum tersimpan di perangkat.", {
      status: 503,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  }
}

async function handleAsset(request) {
  const cached = await caches.match(request, { ignoreSearch: true });
  if (cached) {
    return cached;
  }
  return fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    return; // writes go to the network (and, for sales, through the outbox)
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) {
    return; // never answer the API from a cache: data must be live or clearly absent
  }
  if (isEducation(url)) {
    if (url.pathname.startsWith(EDU_FILES)) {
      event.respondWith(handleEducationFile(event));
      return;
    }
    if (request.mode === "navigate") {
      event.respondWith(handleEducationPage(event));
      return;
    }
  }
  if (request.mode === "navigate") {
    event.respondWith(handleNavigation(event));
    return;
  }
  if (url.pathname.startsWith("/static/") || url.pathname.startsWith("/_reactpy/static/") ||
      url.pathname.startsWith("/sw/") || url.pathname === "/manifest.webmanifest") {
    event.respondWith(handleAsset(request));
  }
});

// Background Sync: send the queue whose tag fired (the till's outbox, the report forms),
// behind any flush a page is already doing. A failure that a retry may cure (no signal, a
// server error) fails the event so the browser tries again later; a signed-out session
// waits for the person (the page asks them).
self.addEventListener("sync", (event) => {
  const queue = self.KoroenaQueue.forTag(event.tag);
  if (!queue) return;
  event.waitUntil(
    (async () => {
      const summary = await queue.flush({ wait: true });
      if (summary.state === "offline" || summary.state === "error") {
        throw new Error(`koroena ${queue.SYNC_TAG}: ${summary.state}`);
      }
    })()
  );
});

// Web Push (backend/push, decision 0015). The payload is the JSON the server sends:
// {id, topic, title, body, url, tag}. The tag is the notification's: if the sender sent it
// twice (it died between the push and noting it), the second replaces the first.
const PUSH_ICON = "/static/icons/icon-192.png";

function appUrl(value) {
  // Only pages of this app: anything else opens the home page.
  try {
    const url = new URL(typeof value === "string" && value ? value : "/", self.location.origin);
    return url.origin === self.location.origin ? url : new URL("/", self.location.origin);
  } catch {
    return new URL("/", self.location.origin);
  }
}

async function showPush(data) {
  let message = {};
  try {
    message = data ? data.json() : {};
  } catch {
    message = { body: data ? data.text() : "" };
  }
  const title = typeof message.title === "string" && message.title ? message.title : "Koroena";
  await self.registration.showNotification(title, {
    body: typeof message.body === "string" ? message.body : "",
    icon: PUSH_ICON,
    badge: PUSH_ICON,
    tag: typeof message.tag === "string" && message.tag ? message.tag : "koroena",
    data: { url: appUrl(message.url).href, id: message.id, topic: message.topic },
  });
}

self.addEventListener("push", (event) => {
  event.waitUntil(showPush(event.data));
});

/** Open the notification's page: a tab already showing it comes to the front; else a tab
 * of the app is taken there; else a new window opens. */
async function openFromNotification(notification) {
  const target = appUrl(notification && notification.data && notification.data.url);
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  // Bringing a tab to the front is allowed only right after a real click.
  const front = (client) => client.focus().catch(() => client);
  const same = windows.find((client) => client.url === target.href);
  if (same) return front(same);
  for (const client of windows) {
    if (new URL(client.url).origin !== target.origin || !("navigate" in client)) continue;
    try {
      // Only a page this worker controls can be navigated.
      const navigated = await client.navigate(target.href);
      if (navigated) return front(navigated);
    } catch {
      // Not ours to navigate: try the next one, or open a window.
    }
  }
  return self.clients.openWindow(target.href);
}

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  event.waitUntil(openFromNotification(event.notification));
});
