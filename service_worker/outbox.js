/* Offline queues with an exactly-once sync, shared by the offline pages (module scripts)
 * and the service worker (importScripts, for Background Sync). Sets `self.KoroenaQueue`
 * (the factory and the list of queues), `self.KoroenaOutbox` (the till) and
 * `self.KoroenaReports` (the report forms for the Dinas).
 *
 * The protocol (DESIGN.md "Offline sync protocol"), the same for every queue: items go in
 * their order, in batches, one flush at a time across tabs and the worker
 * (navigator.locks). An item leaves the queue only on `created` or `duplicate`; `conflict`
 * and `rejected` move to the review list with the server's reason; a network error,
 * 401/403, 408, 429 or 5xx keeps everything. A refused CSRF token is replaced from
 * GET /api/v1/me once and the batch sent again.
 *
 * A queue is one IndexedDB database with at least
 *   meta    key → value: csrf, identity, sync (the last flush), and the page's own keys
 *   outbox  {n (auto, the order of sending), id, kind, created_at, payload, …}
 *   review  {id, kind, item, status, code, message, problems, at}: what the server refused
 * and whatever stores its page keeps beside them.
 *
 * "koroena-pos" (the till, KoroenaOutbox): + sales {id, t, receipt_number, …, status:
 *   pending | synced | review} (history, reprint); items carry `device` and go to
 *   POST /api/v1/sync in batches of one device.
 * "koroena-reports" (report forms, KoroenaReports): + prefill {key, …} (the books' figures
 *   a form opens with) and drafts {key, …} (forms being filled); items carry `koperasi_id`
 *   and go to POST /api/v1/reports/sync in batches of one koperasi. */
(function (root) {
  "use strict";

  if (root.KoroenaQueue) return; // loaded twice (a page and a dynamic import): one copy

  const ME_URL = "/api/v1/me";
  const queues = [];

  /** An AbortSignal that fires after `ms` (patchy data: a request may hang for minutes;
   * the items simply stay for the next try). */
  const timeout = (ms) =>
    typeof AbortSignal.timeout === "function" ? AbortSignal.timeout(ms) : undefined;

  /** An IDBRequest as a promise. */
  function req(request) {
    return new Promise((resolve, reject) => {
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }

  async function readJson(response) {
    try {
      return await response.json();
    } catch {
      return null;
    }
  }

  /**
   * A queue. `config`:
   *   db, version, upgrade(db, oldVersion)  the IndexedDB database and its stores
   *   syncUrl, syncTag, lock, channel       where items go; the Background Sync tag, the
   *                                         navigator.locks name, the BroadcastChannel
   *   batch                                 items per request (default 100)
   *   groupOf(item)                         items of one batch share this (device, koperasi)
   *   body(group, items)                    the request body of one batch
   *   forbidden(code)                       the flush state of a 403 with this error code
   *   personal: {meta: [keys], stores: [names]}  what sign-out removes from the phone
   *   settleStores, onSettle(stores, item, answer)  more stores to update, in the same
   *                                         transaction, when the server answers an item
   */
  function create(config) {
    const DB_NAME = config.db;
    const BATCH = config.batch || 100;
    const personal = config.personal || { meta: ["identity", "csrf"], stores: [] };
    let opening = null;

    function open() {
      if (!opening) {
        opening = new Promise((resolve, reject) => {
          const request = indexedDB.open(DB_NAME, config.version);
          request.onupgradeneeded = (event) => config.upgrade(request.result, event.oldVersion);
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

    /** Items waiting to be sent, without creating the database where this queue was never
     * used (for a sign-out button on any page: refuse while this is above 0). */
    async function pendingIfAny() {
      if (indexedDB.databases) {
        const names = (await indexedDB.databases()).map((db) => db.name);
        if (!names.includes(DB_NAME)) return 0;
      }
      return pendingCount();
    }

    /** At sign-out: who was signed in, their CSRF token and what the page kept of their
     * koperasi leave the phone. Anything unsent stays. */
    async function forgetPerson() {
      if (indexedDB.databases) {
        const names = (await indexedDB.databases()).map((db) => db.name);
        if (!names.includes(DB_NAME)) return;
      }
      await run(["meta", ...personal.stores], "readwrite", (s) => {
        for (const key of personal.meta) s.meta.delete(key);
        for (const name of personal.stores) s[name].clear();
      });
    }

    function notify(message) {
      if (typeof BroadcastChannel !== "function") return;
      const channel = new BroadcastChannel(config.channel);
      channel.postMessage(message);
      channel.close();
    }

    /** Ask for a Background Sync (from the page). False where there is none (Safari,
     * Firefox): the page's own triggers then do the work. */
    async function registerSync() {
      try {
        const registration = await navigator.serviceWorker.getRegistration("/");
        if (!registration || !registration.sync || !registration.active) return false;
        await registration.sync.register(config.syncTag);
        return true;
      } catch {
        return false;
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
    async function post(group, items) {
      let token = (await getMeta("csrf")) || "";
      const body = JSON.stringify(config.body(group, items));
      for (let attempt = 0; attempt < 2; attempt++) {
        let response;
        try {
          response = await fetch(config.syncUrl, {
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
            state: config.forbidden ? config.forbidden(error.code || "") : "forbidden",
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
      const names = ["outbox", "review", ...(config.settleStores || [])];
      return run(names, "readwrite", async (s) => {
        const counts = { done: 0, review: 0, answers: [] };
        for (const item of items) {
          const answer = answers.get(item.id);
          if (!answer) continue;
          const accepted = answer.status === "created" || answer.status === "duplicate";
          const refused = answer.status === "conflict" || answer.status === "rejected";
          if (!accepted && !refused) continue; // unknown answer: keep the item
          s.outbox.delete(item.n);
          counts.answers.push(answer);
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
              problems: answer.problems || [],
              at: Date.now(),
            });
          }
          if (config.onSettle) await config.onSettle(s, item, answer, accepted);
        }
        return counts;
      }, { durability: "strict" });
    }

    /** The oldest items, up to a batch, all of one group (the order is kept). */
    function nextBatch() {
      const groupOf = config.groupOf || (() => "");
      return run("outbox", "readonly", (s) => new Promise((resolve, reject) => {
        const items = [];
        const cursor = s.outbox.openCursor();
        cursor.onerror = () => reject(cursor.error);
        cursor.onsuccess = () => {
          const at = cursor.result;
          if (!at || items.length >= BATCH ||
              (items.length && groupOf(at.value) !== groupOf(items[0]))) {
            resolve(items);
            return;
          }
          items.push(at.value);
          at.continue();
        };
      }));
    }

    async function flushNow() {
      const summary = { state: "ok", done: 0, review: 0, status: 0, message: "", answers: [] };
      const groupOf = config.groupOf || (() => "");
      let sentAny = false;
      for (;;) {
        const items = await nextBatch();
        if (!items.length) break;
        const answer = await post(groupOf(items[0]), items);
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
        summary.answers.push(...counts.answers);
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
      return navigator.locks.request(config.lock, wait ? {} : { ifAvailable: true }, (lock) =>
        lock ? flushNow() : { state: "busy" }
      );
    }

    const queue = {
      DB_NAME,
      CHANNEL: config.channel,
      SYNC_TAG: config.syncTag,
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
    queues.push(queue);
    return queue;
  }

  root.KoroenaQueue = {
    create,
    timeout,
    req,
    /** Every queue this script made (the worker flushes each on its own sync tag). */
    all: () => queues.slice(),
    forTag: (tag) => queues.find((queue) => queue.SYNC_TAG === tag) || null,
  };

  // The till: sales and shifts, by device.
  root.KoroenaOutbox = create({
    db: "koroena-pos",
    version: 1,
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore("meta");
        db.createObjectStore("outbox", { keyPath: "n", autoIncrement: true });
        db.createObjectStore("sales", { keyPath: "id" }).createIndex("t", "t");
        db.createObjectStore("review", { keyPath: "id" });
      }
    },
    syncUrl: "/api/v1/sync",
    syncTag: "koroena-outbox",
    lock: "koroena-outbox",
    channel: "koroena-outbox",
    batch: 100,
    groupOf: (item) => item.device,
    body: (device, items) => ({
      device,
      items: items.map((item) => ({
        id: item.id,
        kind: item.kind,
        created_at: item.created_at,
        payload: item.payload,
      })),
    }),
    forbidden: (code) => (code === "device_unknown" ? "device" : "forbidden"),
    personal: { meta: ["identity", "csrf", "members"], stores: [] },
    settleStores: ["sales"],
    async onSettle(s, item, answer, accepted) {
      if (item.kind !== "sale") return;
      const sale = await req(s.sales.get(item.id));
      if (!sale) return;
      const refused = !accepted;
      sale.status = accepted ? "synced" : "review";
      sale.late = !!answer.late;
      sale.oversold = !!answer.oversold;
      sale.reason = refused ? answer.message || answer.code || "" : "";
      s.sales.put(sale);
    },
  });

  // Report forms for the Dinas (/laporan): filled forms, by koperasi.
  root.KoroenaReports = create({
    db: "koroena-reports",
    version: 1,
    upgrade(db, oldVersion) {
      if (oldVersion < 1) {
        db.createObjectStore("meta");
        db.createObjectStore("outbox", { keyPath: "n", autoIncrement: true });
        db.createObjectStore("review", { keyPath: "id" });
        db.createObjectStore("prefill", { keyPath: "key" });
        db.createObjectStore("drafts", { keyPath: "key" });
      }
    },
    syncUrl: "/api/v1/reports/sync",
    syncTag: "koroena-reports",
    lock: "koroena-reports",
    channel: "koroena-reports",
    batch: 20,
    groupOf: (item) => String(item.koperasi_id),
    body: (koperasi, items) => ({
      koperasi_id: Number(koperasi),
      items: items.map((item) => ({
        id: item.id,
        kind: item.kind,
        created_at: item.created_at,
        payload: item.payload,
      })),
    }),
    // The period list and the books' figures are the koperasi's; drafts are the person's
    // unfinished work and stay (like anything unsent).
    personal: { meta: ["identity", "csrf", "status"], stores: ["prefill"] },
  });
})(self);
