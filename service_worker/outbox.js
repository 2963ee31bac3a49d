/* The till's storage and its exactly-once sync, shared by the POS page (a module script)
 * and the service worker (importScripts, for Background Sync). Sets `self.KoroenaOutbox`.
 *
 * IndexedDB "koroena-pos":
 *   meta    key → value: device, identity, csrf, shift, last_shift, catalog, members, sync
 *   outbox  {n (auto, the order of sending), id, kind, created_at, device, payload}
 *   sales   {id, t, receipt_number, …, status: pending | synced | review} (history, reprint)
 *   review  {id, kind, item, status, code, message, at}: what the server refused
 *
 * The protocol (DESIGN.md "Offline sync protocol"): items go in their order, in batches of
 * at most 100, one flush at a time across tabs and the worker (navigator.locks). An item
 * leaves the outbox only on `created` or `duplicate`; `conflict` and `rejected` move to the
 * review list with the server's reason; a network error, 401/403, 408, 429 or 5xx keeps
 * everything. A refused CSRF token is replaced from GET /api/v1/me once and the batch sent
 * again. */
(function (root) {
  "use strict";

  const DB_NAME = "koroena-pos";
  const DB_VERSION = 1;
  const LOCK = "koroena-outbox";
  const SYNC_TAG = "koroena-outbox";
  const CHANNEL = "koroena-outbox";
  const BATCH = 100;
  const SYNC_URL = "/api/v1/sync";
  const ME_URL = "/api/v1/me";

  let opening = null;

  /** An AbortSignal that fires after `ms` (patchy data: a request may hang for minutes;
   * the items simply stay for the next try). */
  const timeout = (ms) =>
    typeof AbortSignal.timeout === "function" ? AbortSignal.timeout(ms) : undefined;

  function open() {
    if (!opening) {
      opening = new Promise((resolve, reject) => {
        const request = indexedDB.open(DB_NAME, DB_VERSION);
        request.onupgradeneeded = () => {
          const db = request.result;
          db.createObjectStore("meta");
          db.createObjectStore("outbox", { keyPath: "n", autoIncrement: true });
          db.createObjectStore("sales", { keyPath: "id" }).createIndex("t", "t");
          db.createObjectStore("review", { keyPath: "id" });
        };
        request.onsuccess = () => {
          const db = request.result;
          db.onversionchange = () => {
            db.close();
            opening = null;
          };
          resolve(db);
        };
        request.onerror = () => {
          opening = null;
          reject(request.error);
        };
      });
    }
    return opening;
  }

  /** An IDBRequest as a promise. */
  function req(request) {
    return new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  /** Run `body(stores, tx)` in one transaction; resolves with its result once the
   * transaction has completed (for "strict" durability: once it is on disk). `body` may
   * await IndexedDB requests only (anything else lets the transaction end early). */
  async function run(names, mode, body, options) {
    const db = await open();
    return new Promise((resolve, reject) => {
      const list = [].concat(names);
      const tx = db.transaction(list, mode, options);
      const stores = {};
      for (const name of list) stores[name] = tx.objectStore(name);
      let result;
      tx.oncomplete = () => resolve(result);
      tx.onabort = () => reject(tx.error || new Error("transaction aborted"));
      Promise.resolve()
        .then(() => body(stores, tx))
        .then(
          (value) => { result = value; },
          (error) => {
            try { tx.abort(); } catch { /* already finished */ }
            reject(error);
          }
        );
    });
  }

  const getMeta = (key) => run("meta", "readonly", (s) => req(s.meta.get(key)));
  const setMeta = (key, value) =>
    run("meta", "readwrite", (s) => { s.meta.put(value, key); });
  const pendingCount = () => run("outbox", "readonly", (s) => req(s.outbox.count()));
  const reviewItems = () => run("review", "readonly", (s) => req(s.review.getAll()));
  const outboxItems = () => run("outbox", "readonly", (s) => req(s.outbox.getAll()));

  /** Items waiting to be sent, without creating the database where the till was never
   * used (for a sign-out button on any page: refuse while this is above 0). */
  async function pendingIfAny() {
    if (indexedDB.databases) {
      const names = (await indexedDB.databases()).map((db) => db.name);
      if (!names.includes(DB_NAME)) return 0;
    }
    return pendingCount();
  }

  /** At sign-out: who was signed in, their CSRF token and the members list leave the
   * phone. The device, the catalog, the history and anything unsent stay. */
  function forgetPerson() {
    return run("meta", "readwrite", (s) => {
      for (const key of ["identity", "csrf", "members"]) s.meta.delete(key);
    });
  }

  function notify(message) {
    if (typeof BroadcastChannel !== "function") return;
    const channel = new BroadcastChannel(CHANNEL);
    channel.postMessage(message);
    channel.close();
  }

  /** Ask for a Background Sync (from the page). False where there is none (Safari,
   * Firefox): the page's own triggers then do the work. */
  async function registerSync() {
    try {
      const registration = await navigator.serviceWorker.getRegistration("/");
      if (!registration || !registration.sync || !registration.active) return false;
      await registration.sync.register(SYNC_TAG);
      return true;
    } catch {
      return false;
    }
  }

  async function readJson(response) {
    try {
      return await response.json();
    } catch {
      return null;
    }
  }

  /** A fresh CSRF token for the session the browser holds, kept for the worker too. */
  async function refreshToken() {
    let response;
    try {
      response = await fetch(ME_URL,
        { credentials: "same-origin", cache: "no-store", signal: timeout(15000) });
    } catch {
      return { state: "offline" };
    }
    if (response.status === 401) return { state: "auth" };
    const me = await readJson(response);
    if (!response.ok || !me || !me.csrf_token) return { state: "error", status: response.status };
    await setMeta("csrf", me.csrf_token);
    return { state: "ok", token: me.csrf_token };
  }

  /** POST one batch. {state: ok, results, server_time} or the reason to stop. */
  async function post(device, items) {
    let token = (await getMeta("csrf")) || "";
    const body = JSON.stringify({
      device,
      items: items.map((item) => ({
        id: item.id,
        kind: item.kind,
        created_at: item.created_at,
        payload: item.payload,
      })),
    });
    for (let attempt = 0; attempt < 2; attempt++) {
      let response;
      try {
        response = await fetch(SYNC_URL, {
          method: "POST",
          credentials: "same-origin",
          cache: "no-store",
          headers: {
            Accept: "application/json",
            "Content-Type": "application/json",
            "X-CSRF-Token": token,
          },
          body,
          signal: timeout(60000),
        });
      } catch {
        return { state: "offline" };
      }
      const data = await readJson(response);
      if (response.ok) {
        // An answer cut off after the headers is no answer: keep everything.
        if (!data || !Array.isArray(data.results)) return { state: "offline" };
        return { state: "ok", results: data.results, serverTime: data.server_time };
      }
      const error = (data && data.error) || {};
      if (response.status === 403 && error.code === "csrf_failed" && attempt === 0) {
        const fresh = await refreshToken();
        if (fresh.state !== "ok") return fresh;
        token = fresh.token;
        continue;
      }
      if (response.status === 401) return { state: "auth" };
      if (response.status === 403) {
        return {
          state: error.code === "device_unknown" ? "device" : "forbidden",
          message: error.message || "",
        };
      }
      return { state: "error", status: response.status, message: error.message || "" };
    }
    return { state: "error", status: 403 };
  }

  /** Apply the server's answers to the batch in one transaction. */
  function settle(items, results) {
    const answers = new Map(results.map((result) => [result.id, result]));
    return run(["outbox", "sales", "review"], "readwrite", async (s) => {
      const counts = { done: 0, review: 0 };
      for (const item of items) {
        const answer = answers.get(item.id);
        if (!answer) continue;
        const accepted = answer.status === "created" || answer.status === "duplicate";
        const refused = answer.status === "conflict" || answer.status === "rejected";
        if (!accepted && !refused) continue; // unknown answer: keep the item
        s.outbox.delete(item.n);
        if (accepted) {
          counts.done += 1;
        } else {
          counts.review += 1;
          s.review.put({
            id: item.id,
            kind: item.kind,
            item,
            status: answer.status,
            code: answer.code || "",
            message: answer.message || "",
            at: Date.now(),
          });
        }
        if (item.kind === "sale") {
          const sale = await req(s.sales.get(item.id));
          if (sale) {
            sale.status = accepted ? "synced" : "review";
            sale.late = !!answer.late;
            sale.oversold = !!answer.oversold;
            sale.reason = refused ? answer.message || answer.code || "" : "";
            s.sales.put(sale);
          }
        }
      }
      return counts;
    }, { durability: "strict" });
  }

  /** The oldest items, up to a batch, all of one device (the order is kept). */
  function nextBatch() {
    return run("outbox", "readonly", (s) => new Promise((resolve, reject) => {
      const items = [];
      const cursor = s.outbox.openCursor();
      cursor.onerror = () => reject(cursor.error);
      cursor.onsuccess = () => {
        const at = cursor.result;
        if (!at || items.length >= BATCH || (items.length && at.value.device !== items[0].device)) {
          resolve(items);
          return;
        }
        items.push(at.value);
        at.continue();
      };
    }));
  }

  async function flushNow() {
    const summary = { state: "ok", done: 0, review: 0, status: 0, message: "" };
    let sentAny = false;
    for (;;) {
      const items = await nextBatch();
      if (!items.length) break;
      const answer = await post(items[0].device, items);
      if (answer.state !== "ok") {
        summary.state = answer.state;
        summary.status = answer.status || 0;
        summary.message = answer.message || "";
        break;
      }
      sentAny = true;
      const counts = await settle(items, answer.results);
      summary.done += counts.done;
      summary.review += counts.review;
      if (counts.done + counts.review === 0) {
        summary.state = "error"; // answers that match nothing: do not loop
        break;
      }
    }
    const previous = (await getMeta("sync")) || {};
    await setMeta("sync", {
      at: Date.now(),
      ok: sentAny ? Date.now() : previous.ok || null, // the last batch the server answered
      state: summary.state,
      status: summary.status,
      message: summary.message,
    });
    summary.pending = await pendingCount();
    notify({ type: "flushed", summary });
    return summary;
  }

  /** Send what waits. `wait`: queue behind a flush already running (the worker's sync
   * event); otherwise a flush already running answers {state: "busy"}. */
  function flush(options) {
    const wait = !!(options && options.wait);
    if (!root.navigator || !navigator.locks) return flushNow();
    return navigator.locks.request(LOCK, wait ? {} : { ifAvailable: true }, (lock) =>
      lock ? flushNow() : { state: "busy" }
    );
  }

  root.KoroenaOutbox = {
    CHANNEL,
    SYNC_TAG,
    timeout,
    BATCH,
    open,
    req,
    run,
    getMeta,
    setMeta,
    pendingCount,
    pendingIfAny,
    forgetPerson,
    reviewItems,
    outboxItems,
    refreshToken,
    registerSync,
    flush,
    notify,
  };
})(self);
