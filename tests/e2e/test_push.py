"""Web Push in a real browser (Debian Chromium, headless).

The opt-in on /akun explains first and asks only on the button: the browser's permission
prompt is not requested before the click. Headless Chromium cannot make a real push
subscription (no push service without the internet; Chrome also refuses push in incognito
contexts, which Playwright's are): the first press shows the browser's real refusal, then
the test hands the page a subscription made by the test (a stand-in for
`pushManager.subscribe`, installed by an init script) and checks that the page registers it
with the server, lists the device as "this device", saves topic choices, and removes it
again when turned off.

The service worker's `push` handler is driven through CDP
`ServiceWorker.deliverPushMessage` (origin, registration id, data): it shows the
notification (read back with `registration.getNotifications()`), and a second push with the
same tag replaces it. Clicking: headless Chromium shows no notification that could be
clicked and CDP has no command for it, so the test dispatches a `NotificationEvent`
("notificationclick", with the notification the push handler showed) on the service
worker's global scope through Playwright's Worker.evaluate. That runs the real listener:
the notification closes and the open tab goes to the notification's page. (Without a real
click there is no user activation, so the `focus()` the listener also tries is refused;
the listener tolerates that.)"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import re
import secrets
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from playwright.async_api import Browser, BrowserContext, Page, Worker, expect

from ._support import TIMEOUT_MS
from .conftest import RunningServer
from .test_accounts import Person, _axe, _link, _person, _register

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

NARROW = {"width": 360, "height": 740}
# A koperasi of their own: the server is shared with the other end-to-end tests.
KOPERASI = "kopjas-wilwatikta"

# Before any page script: count permission requests (kept across reloads in
# sessionStorage), and when the test says so, answer pushManager.subscribe /
# getSubscription with the subscription JSON the test made (kept in localStorage).
STAND_IN = """
(() => {
  if (typeof Notification !== "undefined") {
    const ask = Notification.requestPermission.bind(Notification);
    Notification.requestPermission = (...args) => {
      const asked = Number(sessionStorage.getItem("e2e-asked") || "0") + 1;
      sessionStorage.setItem("e2e-asked", String(asked));
      return ask(...args);
    };
  }
  if (typeof PushManager === "undefined") return;
  const realSubscribe = PushManager.prototype.subscribe;
  const realGet = PushManager.prototype.getSubscription;
  const made = () => localStorage.getItem("e2e-push-subscription");
  const asSubscription = (json, key) => ({
    endpoint: json.endpoint,
    expirationTime: null,
    options: { userVisibleOnly: true, applicationServerKey: key },
    toJSON: () => json,
    getKey: () => null,
    unsubscribe: async () => {
      localStorage.removeItem("e2e-push-subscription");
      localStorage.removeItem("e2e-push-key");
      return true;
    },
  });
  PushManager.prototype.subscribe = async function (options) {
    const json = localStorage.getItem("e2e-push-json");
    if (!json) return realSubscribe.call(this, options);
    const key = new Uint8Array(options.applicationServerKey);
    localStorage.setItem("e2e-push-subscription", json);
    localStorage.setItem("e2e-push-key", JSON.stringify(Array.from(key)));
    return asSubscription(JSON.parse(json), key.buffer);
  };
  PushManager.prototype.getSubscription = async function () {
    if (!localStorage.getItem("e2e-push-json")) return realGet.call(this);
    const json = made();
    if (!json) return null;
    const key = new Uint8Array(JSON.parse(localStorage.getItem("e2e-push-key"))).buffer;
    return asSubscription(JSON.parse(json), key);
  };
})();
"""


def _subscription_json() -> dict[str, Any]:
    """What a browser's PushSubscription.toJSON() looks like, made by the test."""
    point = (
        ec.generate_private_key(ec.SECP256R1())
        .public_key()
        .public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint)
    )

    def b64url(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    return {
        "endpoint": f"https://fcm.googleapis.com/fcm/send/e2e-{secrets.token_urlsafe(12)}",
        "expirationTime": None,
        "keys": {"p256dh": b64url(point), "auth": b64url(secrets.token_bytes(16))},
    }


async def _deliver(page: Page, server: str, message: dict[str, Any]) -> None:
    """A push message, as the push service would hand it to the browser (CDP)."""
    cdp = await page.context.new_cdp_session(page)
    found: asyncio.Future[str] = asyncio.get_running_loop().create_future()

    def seen(event: dict[str, Any]) -> None:
        for registration in event["registrations"]:
            if (
                registration["scopeURL"] == f"{server}/"
                and not registration.get("isDeleted")
                and not found.done()
            ):
                found.set_result(registration["registrationId"])

    cdp.on("ServiceWorker.workerRegistrationUpdated", seen)
    try:
        await cdp.send("ServiceWorker.enable")
        registration = await asyncio.wait_for(found, TIMEOUT_MS / 1000)
        await cdp.send(
            "ServiceWorker.deliverPushMessage",
            {"origin": server, "registrationId": registration, "data": json.dumps(message)},
        )
    finally:
        await cdp.detach()


async def _notifications(page: Page) -> list[dict[str, Any]]:
    shown: list[dict[str, Any]] = await page.evaluate(
        """async () => {
            const registration = await navigator.serviceWorker.ready;
            return (await registration.getNotifications()).map((n) => ({
                title: n.title, body: n.body, tag: n.tag, icon: n.icon, data: n.data,
            }));
        }"""
    )
    return shown


async def _wait_notifications(page: Page, count: int) -> list[dict[str, Any]]:
    for _ in range(100):
        shown = await _notifications(page)
        if len(shown) == count:
            return shown
        await page.wait_for_timeout(100)
    raise AssertionError(f"expected {count} notification(s), have {await _notifications(page)}")


async def _service_worker(context: BrowserContext, server: str) -> Worker:
    for _ in range(100):
        for worker in context.service_workers:
            if worker.url == f"{server}/sw.js":
                return worker
        await asyncio.sleep(0.1)
    raise AssertionError(f"no service worker in {context.service_workers}")


async def _fits(page: Page) -> None:
    await page.set_viewport_size(NARROW)  # type: ignore[arg-type]
    wide = await page.evaluate(
        """(limit) => [...document.querySelectorAll("#notifikasi, #notifikasi *")]
            .filter((e) => e.getBoundingClientRect().right > limit + 1)
            .filter((e) => !e.closest("[hidden], template"))
            .map((e) => `${e.tagName}#${e.id}.${e.className}`)""",
        NARROW["width"],
    )
    assert not wide, f"the notifications section is wider than 360 px: {wide}"


async def test_opt_in_explains_first_then_registers_this_device(
    browser: Browser, server: str, running_server: RunningServer
) -> None:
    person = await _person(browser, server, bypass_csp=True)  # axe below
    try:
        await _opt_in(person, server, running_server)
    finally:
        await person.context.close()


async def _opt_in(person: Person, server: str, running_server: RunningServer) -> None:
    link = _link(
        running_server.koroena(
            "invite", "--koperasi", KOPERASI, "--role", "pengurus", "--name", "Pak Push"
        )
    )
    await person.context.add_init_script(STAND_IN)
    await _register(person, link, "HP Pak Push")
    page = person.page
    section = page.locator("#notifikasi")

    # Explain first: what it brings and that the browser will ask, and nothing asked yet.
    await expect(section.get_by_role("heading", name="Notifikasi", exact=True)).to_be_visible()
    await expect(section).to_contain_text("walau aplikasi sedang ditutup")
    await expect(section).to_contain_text("peramban akan meminta izin")
    await expect(page.locator("#push-state")).to_have_text("Belum aktif di perangkat ini.")
    enable = section.get_by_role("button", name="Aktifkan notifikasi")
    await expect(enable).to_be_visible()
    assert await page.evaluate("Notification.permission") == "default"
    assert await page.evaluate("sessionStorage.getItem('e2e-asked')") is None
    await expect(
        section.get_by_text("Belum ada perangkat yang menerima notifikasi.")
    ).to_be_visible()
    await _axe(page, "/akun with the notifications section")
    await _fits(page)

    # The person agrees (the browser's prompt answered "Allow"). Chromium itself refuses
    # a push subscription here (incognito): the page says so.
    await person.context.grant_permissions(["notifications"], origin=server)
    await enable.click()
    await expect(section.get_by_role("alert")).to_contain_text("jendela penyamaran")
    assert await page.evaluate("sessionStorage.getItem('e2e-asked')") == "1"

    # With a subscription the test made standing in for the push service's.
    subscription = _subscription_json()
    await page.evaluate(
        "(json) => localStorage.setItem('e2e-push-json', json)", json.dumps(subscription)
    )
    await enable.click()
    await expect(page.get_by_role("status").filter(has_text="Notifikasi aktif")).to_be_visible()
    await expect(page.locator("#push-state")).to_have_text("Aktif di perangkat ini.")
    assert await page.evaluate("sessionStorage.getItem('e2e-asked')") == "2"
    devices = await page.evaluate("async () => (await fetch('/api/v1/push/subscriptions')).json()")
    assert len(devices) == 1
    assert devices[0]["push_service"] == "fcm.googleapis.com"
    assert devices[0]["device_label"].startswith("Chrom")
    digest = hashlib.sha256(subscription["endpoint"].encode()).hexdigest()
    assert devices[0]["endpoint_sha256"] == digest
    item = section.locator(".push-device")
    await expect(item).to_have_count(1)
    await expect(item.locator(".push-this-device")).to_have_text("perangkat ini")
    await expect(section.get_by_role("button", name="Kirim notifikasi uji")).to_be_visible()
    await expect(enable).to_be_hidden()

    # Topics: news off, saved, still off after a reload.
    news = section.get_by_role("checkbox", name="Berita")
    await expect(news).to_be_checked()
    await news.uncheck()
    await section.get_by_role("button", name="Simpan pilihan topik").click()
    await expect(section.get_by_role("status")).to_have_text("Pilihan topik disimpan.")
    await page.reload()
    await expect(section.get_by_role("checkbox", name="Berita")).not_to_be_checked()
    await expect(section.get_by_role("checkbox", name="Pelatihan")).to_be_checked()
    await _axe(page, "/akun with notifications on")
    await _fits(page)

    # Turned off on this device: removed on the server and in the browser.
    await section.get_by_role("button", name="Matikan di perangkat ini").click()
    await expect(page.get_by_role("status").filter(has_text="dimatikan")).to_be_visible()
    await expect(page.locator("#push-state")).to_have_text("Belum aktif di perangkat ini.")
    assert (
        await page.evaluate("async () => (await fetch('/api/v1/push/subscriptions')).json()") == []
    )

    # Blocked in the browser's settings: said plainly, no button that cannot work.
    cdp = await person.context.new_cdp_session(page)
    target = await cdp.send("Target.getTargetInfo")
    await cdp.send(
        "Browser.setPermission",
        {
            "permission": {"name": "notifications"},
            "setting": "denied",
            "origin": server,
            "browserContextId": target["targetInfo"]["browserContextId"],
        },
    )  # (kept while the session stays attached)
    await page.reload()
    await expect(page.locator("#push-state")).to_contain_text("Diblokir di peramban")
    await expect(enable).to_be_hidden()


async def test_the_service_worker_shows_a_push_and_opens_its_page(
    browser: Browser, server: str, running_server: RunningServer
) -> None:
    person = await _person(browser, server)
    try:
        await _push_and_click(person, server, running_server)
    finally:
        await person.context.close()


async def _push_and_click(person: Person, server: str, running_server: RunningServer) -> None:
    link = _link(
        running_server.koroena(
            "invite", "--koperasi", KOPERASI, "--role", "pengurus", "--name", "Bu Push"
        )
    )
    await _register(person, link, "HP Bu Push")
    page = person.page
    await person.context.grant_permissions(["notifications"], origin=server)
    await page.evaluate("async () => { await navigator.serviceWorker.ready; }")

    message = {
        "id": 41,
        "topic": "berita",
        "title": "RAT tahun buku 2026",
        "body": "Rapat anggota tahunan Sabtu 9 Januari pukul 09.00 di balai desa.",
        "url": "/pembukuan",
        "tag": "koroena-41",
    }
    await _deliver(page, server, message)
    [shown] = await _wait_notifications(page, 1)
    assert shown["title"] == message["title"]
    assert shown["body"] == message["body"]
    assert shown["tag"] == "koroena-41"
    assert shown["icon"].endswith("/static/icons/icon-192.png")
    assert shown["data"]["url"] == f"{server}/pembukuan"

    # The same notification again (a sender that died before noting it sent it twice):
    # it replaces the first instead of showing twice.
    await _deliver(page, server, {**message, "body": "Salinan kedua."})
    await page.wait_for_timeout(500)
    [again] = await _wait_notifications(page, 1)
    assert again["body"] == "Salinan kedua."

    # A link out of the app is not followed: the notification opens the home page.
    await _deliver(
        page, server, {**message, "id": 42, "tag": "koroena-42", "url": "https://evil.example/"}
    )
    shown_both = await _wait_notifications(page, 2)
    assert {n["data"]["url"] for n in shown_both} == {f"{server}/pembukuan", f"{server}/"}

    # The click: the real `notificationclick` listener, run by a NotificationEvent on the
    # worker's scope (see the module docstring).
    worker = await _service_worker(person.context, server)
    await page.goto("/akun")  # a page the worker controls (only those can be navigated)
    assert await page.evaluate("navigator.serviceWorker.controller !== null")
    left = await worker.evaluate(
        """async (tag) => {
            const [notification] = await self.registration.getNotifications({ tag });
            self.dispatchEvent(new NotificationEvent("notificationclick", { notification }));
            await new Promise((resolve) => setTimeout(resolve, 300));
            return (await self.registration.getNotifications()).map((n) => n.tag);
        }""",
        "koroena-41",
    )
    await expect(page).to_have_url(re.compile(r"/pembukuan$"))
    assert left == ["koroena-42"]  # the tapped one is closed, the other stays
    await expect(page.get_by_role("heading", level=1)).to_be_visible()
