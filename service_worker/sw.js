/* Koroena service worker: precaches the app shell, serves pages network-first with the
 * cached copy (or the offline page) when there is no signal, and cleans old caches.
 * The server fills in __CACHE_VERSION__ (a hash of every precached file) and the list. */
"use strict";

// The till's outbox (IndexedDB + the exactly-once sync), shared with the /kasir page.
importScripts("/sw/outbox.js");

const VERSION = "__CACHE_VERSION__";
const SHELL_CACHE = `koroena-shell-${VERSION}`;
const PAGES_CACHE = `koroena-pages-${VERSION}`;
const PRECACHE_URLS = __PRECACHE_URLS__;
const OFFLINE_URL = "/offline";
// Cheap phones on patchy data: give the network this long before showing the copy.
const NAVIGATION_TIMEOUT_MS = 6000;

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
      const keep = new Set([SHELL_CACHE, PAGES_CACHE]);
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
  if (request.mode === "navigate") {
    event.respondWith(handleNavigation(event));
    return;
  }
  if (url.pathname.startsWith("/static/") || url.pathname.startsWith("/_reactpy/static/") ||
      url.pathname.startsWith("/sw/") || url.pathname === "/manifest.webmanifest") {
    event.respondWith(handleAsset(request));
  }
});

// Background Sync: send the till's outbox, behind any flush a page is already doing. A
// failure that a retry may cure (no signal, a server error) fails the event so the browser
// tries again later; a signed-out session waits for the person (the page asks them).
self.addEventListener("sync", (event) => {
  if (event.tag !== self.KoroenaOutbox.SYNC_TAG) return;
  event.waitUntil(
    (async () => {
      const summary = await self.KoroenaOutbox.flush({ wait: true });
      if (summary.state === "offline" || summary.state === "error") {
        throw new Error(`koroena outbox: ${summary.state}`);
      }
    })()
  );
});
