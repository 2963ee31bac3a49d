"""Passkey accounts in a real browser: Chromium's virtual authenticator (CDP WebAuthn) makes
and uses real passkeys against the running server.

One story from the first Dinas officer (a link from `koroena create-admin`) down to a
member, each person in their own browser context with their own authenticator; then a
second passkey, revoking the first, and the refusals people meet: a revoked passkey, a used
and an expired invitation. Around it: the pages' accessibility, the browser without passkey
support, a cancelled ceremony, and what the service worker may keep."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
import pytest_asyncio
from axe_playwright_python.async_playwright import Axe
from playwright.async_api import Browser, BrowserContext, CDPSession, Page, expect

from ._support import TIMEOUT_MS, wait_for_live, wait_for_service_worker
from .conftest import RunningServer

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

BLOCKING_IMPACTS = {"serious", "critical"}
AKUN_URL = re.compile(r"^http://localhost:\d+/akun$")
LINK = re.compile(r"http://localhost:\d+/undangan/[A-Za-z0-9_-]+")
SRIKANDI = "Koperasi Wanita Srikandi"
AUTHENTICATOR = {
    "protocol": "ctap2",
    "transport": "internal",
    "hasResidentKey": True,
    "hasUserVerification": True,
    "isUserVerified": True,
    "automaticPresenceSimulation": True,
}


@dataclass
class Person:
    """One person's phone: a browser context, its page, and the page's authenticator."""

    context: BrowserContext
    page: Page
    cdp: CDPSession
    authenticator: str

    async def new_authenticator(self, credentials: Sequence[dict[str, Any]] = ()) -> None:
        """Replace the authenticator (a new phone), optionally holding `credentials`."""
        await self.cdp.send(
            "WebAuthn.removeVirtualAuthenticator", {"authenticatorId": self.authenticator}
        )
        added = await self.cdp.send("WebAuthn.addVirtualAuthenticator", {"options": AUTHENTICATOR})
        self.authenticator = added["authenticatorId"]
        for credential in credentials:
            await self.cdp.send(
                "WebAuthn.addCredential",
                {"authenticatorId": self.authenticator, "credential": credential},
            )

    async def credentials(self) -> list[dict[str, Any]]:
        result = await self.cdp.send(
            "WebAuthn.getCredentials", {"authenticatorId": self.authenticator}
        )
        return list(result["credentials"])


async def _person(browser: Browser, server: str, *, bypass_csp: bool = False) -> Person:
    context = await browser.new_context(base_url=server, bypass_csp=bypass_csp)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    page = await context.new_page()
    cdp = await context.new_cdp_session(page)
    await cdp.send("WebAuthn.enable")
    added = await cdp.send("WebAuthn.addVirtualAuthenticator", {"options": AUTHENTICATOR})
    return Person(context, page, cdp, added["authenticatorId"])


@pytest_asyncio.fixture(loop_scope="session")
async def people(browser: Browser, server: str) -> AsyncIterator[list[Person]]:
    """Make people with `await _person(...)` and append them: closed after the test."""
    made: list[Person] = []
    yield made
    for person in made:
        await person.context.close()


def _link(output: str) -> str:
    found = LINK.search(output)
    assert found, f"no invitation link in:\n{output}"
    return found.group(0)


def _token(link: str) -> str:
    return link.rsplit("/", 1)[1]


async def _register(person: Person, link: str, device: str) -> None:
    """Open an invitation and make a passkey; lands signed in on /akun."""
    page = person.page
    response = await page.goto(link)
    assert response is not None and response.status == 200
    await page.get_by_label("Nama perangkat").fill(device)
    await page.get_by_role("button", name=re.compile("passkey")).click()
    await expect(page).to_have_url(AKUN_URL)
    await expect(page.get_by_role("heading", level=1)).to_have_text("Akun saya")


async def _sign_in(page: Page, path: str = "/masuk") -> None:
    await page.goto(path)
    await page.get_by_role("button", name="Masuk dengan passkey").click()


async def _invite(
    page: Page,
    role: str,
    name: str,
    *,
    koperasi: str | None = None,
    member: str | None = None,
) -> str:
    """Fill the account page's invitation form; the link it shows."""
    form = page.locator("#invite-form")
    await form.get_by_label("Peran").select_option(label=role)
    await form.get_by_label("Nama yang diundang").fill(name)
    if koperasi is not None:
        await form.get_by_label("Koperasi").select_option(label=koperasi)
    if member is not None:
        await form.get_by_label("Nomor anggota").fill(member)
    await form.get_by_role("button", name="Buat undangan").click()
    result = page.locator("#invite-result")
    await expect(result).to_be_visible()
    await expect(result).to_contain_text(name)
    await expect(result.get_by_role("img", name="Kode QR tautan undangan")).to_be_visible()
    await expect(result.get_by_role("button", name="Salin tautan")).to_be_visible()
    link = await page.get_by_label("Tautan undangan", exact=True).input_value()
    assert LINK.fullmatch(link), link
    return link


async def _roles(page: Page) -> list[str]:
    return [
        " ".join(text.split())
        for text in await page.locator("#roles-heading + ul > li").all_inner_texts()
    ]


async def _page_caches(page: Page) -> dict[str, list[str]]:
    """Paths in each koroena-pages-* cache."""
    result: dict[str, list[str]] = await page.evaluate(
        """async () => {
            const result = {};
            for (const name of await caches.keys()) {
                if (!name.startsWith("koroena-pages-")) continue;
                const cache = await caches.open(name);
                result[name] = (await cache.keys()).map((r) => new URL(r.url).pathname);
            }
            return result;
        }"""
    )
    return result


async def _cached_paths(page: Page) -> set[str]:
    return {path for paths in (await _page_caches(page)).values() for path in paths}


async def _wait_cached(page: Page, path: str) -> None:
    for _ in range(50):
        if path in await _cached_paths(page):
            return
        await page.wait_for_timeout(100)
    raise AssertionError(f"{path} never reached the pages cache: {await _page_caches(page)}")


def _expire(server: RunningServer, token: str) -> None:
    """Move an invitation's expiry into the past, directly in the server's database (stored
    as Piccolo writes Timestamptz on SQLite: ISO text with a space and +00:00)."""
    hashed = hashlib.sha256(token.encode()).hexdigest()
    with sqlite3.connect(server.database, timeout=10) as db:
        row = db.execute(
            "SELECT expires_at FROM invitation WHERE token_hash = ?", (hashed,)
        ).fetchone()
        assert row is not None, "invitation not in the database"
        assert datetime.fromisoformat(row[0]) > datetime.now(UTC), row
        past = (datetime.now(UTC) - timedelta(minutes=5)).isoformat(sep=" ")
        db.execute("UPDATE invitation SET expires_at = ? WHERE token_hash = ?", (past, hashed))


def _add_grant(server: RunningServer, person: str, role: str, koperasi: str) -> None:
    """Give `person` a second role directly in the database: no screen grants one yet (an
    invitation always makes a new account)."""
    now = datetime.now(UTC).isoformat(sep=" ")
    with sqlite3.connect(server.database, timeout=10) as db:
        (user_id,) = db.execute(
            "SELECT id FROM user_account WHERE display_name = ?", (person,)
        ).fetchone()
        koperasi_id, region_id = db.execute(
            "SELECT id, region_id FROM koperasi WHERE slug = ?", (koperasi,)
        ).fetchone()
        db.execute(
            "INSERT INTO role_grant (user_id, role, region_id, koperasi_id, created_at)"
            " VALUES (?, ?, ?, ?, ?)",
            (user_id, role, region_id, koperasi_id, now),
        )


async def test_accounts_from_first_officer_to_revoked_passkey(
    browser: Browser, server: str, running_server: RunningServer, people: list[Person]
) -> None:
    # The first Dinas officer: a one-time link from the command line.
    link = _link(
        running_server.koroena(
            "create-admin", "--region", "kota-mojokerto", "--name", "Budi Santoso"
        )
    )
    assert link.startswith(f"{server}/undangan/")
    officer = await _person(browser, server)
    people.append(officer)
    page = officer.page
    response = await page.goto(link)
    assert response is not None and response.status == 200
    assert "no-store" in response.headers["cache-control"]
    assert "Cookie" in response.headers["vary"]
    main = page.locator("main")
    await expect(main).to_contain_text("Budi Santoso")
    await expect(main).to_contain_text("Petugas Dinas")
    await expect(main).to_contain_text("Kota Mojokerto")
    await expect(main).to_contain_text("Berlaku sampai")
    await expect(page.get_by_label("Nama perangkat")).to_have_value("Ponsel saya")
    await _register(officer, link, "Ponsel Budi")
    await expect(main).to_contain_text("Budi Santoso")
    assert await _roles(page) == ["Petugas Dinas Aktif Kota Mojokerto"]
    passkeys = page.locator("#passkeys-heading ~ ul > li")
    await expect(passkeys).to_have_count(1)
    await expect(passkeys).to_contain_text("Ponsel Budi")
    nav = page.get_by_role("navigation", name="Navigasi utama")
    await expect(nav.get_by_role("link", name="Akun")).to_have_attribute("aria-current", "page")

    # The service worker keeps ordinary pages but never the account page; signing out
    # throws away the pages kept while signed in.
    await wait_for_service_worker(page)
    response = await page.reload()  # now through the service worker
    assert response is not None and response.status == 200
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["vary"] == "Cookie"
    await page.goto("/tentang")
    await _wait_cached(page, "/tentang")  # stored after /akun would have been
    assert "/akun" not in await _cached_paths(page)
    await page.goto("/")
    await wait_for_live(page)  # the live page knows who is signed in, too
    await expect(nav.get_by_role("link", name="Akun")).to_be_visible()
    await expect(nav.get_by_role("link", name="Masuk")).to_have_count(0)
    await page.goto("/akun")
    await page.get_by_role("button", name="Keluar dari perangkat ini").click()
    await expect(page).to_have_url(f"{server}/")
    cached = await _cached_paths(page)
    assert "/akun" not in cached and "/tentang" not in cached, cached
    me = await officer.context.request.get("/api/v1/me")
    assert me.status == 401
    await expect(nav.get_by_role("link", name="Masuk")).to_be_visible()

    # Signed out, the account page sends to sign-in; the passkey alone signs in (no name).
    await page.goto("/akun")
    await expect(page).to_have_url(re.compile(r"/masuk\?next=/akun$"))
    await page.get_by_role("button", name="Masuk dengan passkey").click()
    await expect(page).to_have_url(AKUN_URL)
    await expect(main).to_contain_text("Budi Santoso")

    # A Dinas officer invites pengurus of the region's koperasi (and other officers).
    form = page.locator("#invite-form")
    assert await form.get_by_label("Peran").locator("option").all_inner_texts() == [
        "Pengurus",
        "Petugas Dinas",
    ]
    pengurus_link = await _invite(page, "Pengurus", "Sri Wahyuni", koperasi=SRIKANDI)

    pengurus = await _person(browser, server)
    people.append(pengurus)
    await pengurus.page.goto(pengurus_link)
    await expect(pengurus.page.locator("main")).to_contain_text(SRIKANDI)
    await _register(pengurus, pengurus_link, "HP Sri")
    assert await _roles(pengurus.page) == [f"Pengurus Aktif {SRIKANDI}"]

    # The pengurus invites a cashier and a member of their own koperasi.
    form = pengurus.page.locator("#invite-form")
    assert await form.get_by_label("Peran").locator("option").all_inner_texts() == [
        "Kasir",
        "Anggota",
        "Pengurus",
    ]
    await expect(form.get_by_label("Koperasi")).to_have_count(0)
    kasir_link = await _invite(pengurus.page, "Kasir", "Dewi Kasir")
    anggota_link = await _invite(pengurus.page, "Anggota", "Siti Anggota", member="A-0001")
    await pengurus.page.reload()
    audit = pengurus.page.locator("#audit-heading ~ ol > li")
    made = audit.filter(has_text="Undangan dibuat")
    await expect(made.filter(has_text="oleh Sri Wahyuni")).to_have_count(2)
    await expect(made.filter(has_text="oleh Budi Santoso")).to_have_count(1)  # her own
    await expect(audit.first).to_contain_text("Siti Anggota")
    await expect(audit.first).to_contain_text("oleh Sri Wahyuni")
    await expect(audit.filter(has_text="Undangan dipakai")).to_have_count(1)

    kasir = await _person(browser, server)
    people.append(kasir)
    await _register(kasir, kasir_link, "HP kasir")
    assert await _roles(kasir.page) == [f"Kasir Aktif {SRIKANDI}"]
    await expect(kasir.page.get_by_role("heading", name="Undang")).to_have_count(0)
    await expect(kasir.page.locator("#invite-form")).to_have_count(0)
    await expect(kasir.page.get_by_role("heading", name="Log audit")).to_have_count(0)
    refused = await kasir.page.evaluate(
        """async () => {
            const token = document.querySelector('meta[name="csrf-token"]').content;
            const response = await fetch("/api/v1/invitations", {
                method: "POST",
                headers: {"Content-Type": "application/json", "X-CSRF-Token": token},
                body: JSON.stringify({role: "kasir", name: "Teman", koperasi: "kopwan-srikandi"}),
            });
            return {status: response.status, body: await response.json()};
        }"""
    )
    assert refused["status"] == 403, refused
    assert refused["body"]["error"]["code"] == "invite_forbidden", refused

    anggota = await _person(browser, server)
    people.append(anggota)
    await anggota.page.goto(anggota_link)
    await expect(anggota.page.locator("main")).to_contain_text("A-0001")
    await _register(anggota, anggota_link, "HP Siti")
    assert await _roles(anggota.page) == [f"Anggota Aktif {SRIKANDI}"]
    await expect(anggota.page.locator("#invite-form")).to_have_count(0)
    await expect(anggota.page.get_by_label("Peran aktif")).to_have_count(0)

    # Someone with two roles chooses the one they act in.
    _add_grant(running_server, "Siti Anggota", "kasir", "kopwan-srikandi")
    await anggota.page.reload()
    assert await _roles(anggota.page) == [f"Anggota Aktif {SRIKANDI}", f"Kasir {SRIKANDI}"]
    await anggota.page.get_by_label("Peran aktif").select_option(label=f"Kasir · {SRIKANDI}")
    await anggota.page.get_by_role("button", name="Ganti peran aktif").click()
    await expect(anggota.page.get_by_role("status")).to_have_text("Peran aktif diganti.")
    assert await _roles(anggota.page) == [f"Anggota {SRIKANDI}", f"Kasir Aktif {SRIKANDI}"]
    await expect(anggota.page.locator("main")).to_contain_text(f"Masuk sebagai Kasir · {SRIKANDI}")

    # A second passkey for the pengurus (a new phone), then revoke the first one.
    page = pengurus.page
    first_phone = await pengurus.credentials()
    assert len(first_phone) == 1
    await pengurus.new_authenticator()
    await (
        page.locator("#passkeys-heading ~ .field")
        .get_by_label("Nama perangkat")
        .fill("HP baru Sri")
    )
    await page.get_by_role("button", name="Tambah perangkat").click()
    status = page.get_by_role("status").filter(has_text="ditambahkan")
    await expect(status).to_contain_text("HP baru Sri")
    passkeys = page.locator("#passkeys-heading ~ ul > li")
    await expect(passkeys).to_have_count(2)
    new_phone = await pengurus.credentials()
    assert len(new_phone) == 1

    # The old phone is lost: sign in on the new one, then revoke the old passkey there.
    await page.get_by_role("button", name="Keluar dari perangkat ini").click()
    await expect(page).to_have_url(f"{server}/")
    await _sign_in(page, "/masuk?next=/akun")
    await expect(page).to_have_url(AKUN_URL)
    page.once("dialog", lambda dialog: dialog.accept())
    await page.get_by_role("button", name="Cabut passkey HP Sri").click()
    await expect(page.get_by_role("status")).to_contain_text("dicabut")
    await expect(passkeys).to_have_count(1)
    await expect(passkeys).to_contain_text("HP baru Sri")
    # The last passkey stays: without it nobody could sign in to this account.
    page.once("dialog", lambda dialog: dialog.accept())
    await page.get_by_role("button", name="Cabut passkey HP baru Sri").click()
    await expect(page.get_by_role("alert")).to_contain_text("Passkey terakhir")
    await expect(passkeys).to_have_count(1)

    await page.get_by_role("button", name="Keluar dari semua perangkat").click()
    await expect(page).to_have_url(f"{server}/")

    # The old phone's passkey no longer opens the account, with a clear message.
    # (The new phone's credential is copied with its current signature counter: a copy with
    # an older counter would rightly be refused as a clone.)
    new_phone = await pengurus.credentials()
    await pengurus.new_authenticator(first_phone)
    await _sign_in(page)
    await expect(page.get_by_role("alert")).to_contain_text("sudah dicabut")
    await expect(page).to_have_url(re.compile(r"/masuk$"))
    assert (await pengurus.context.request.get("/api/v1/me")).status == 401
    # The new phone's does.
    await pengurus.new_authenticator(new_phone)
    await _sign_in(page, "/masuk?next=/akun")
    await expect(page).to_have_url(AKUN_URL)
    assert await _roles(page) == [f"Pengurus Aktif {SRIKANDI}"]

    # An invitation works once, and only until it expires.
    response = await page.goto(kasir_link)
    assert response is not None and response.status == 410
    await expect(page.get_by_role("heading", level=1)).to_have_text("Undangan sudah dipakai")
    await expect(page.locator("main")).to_contain_text("sudah dipakai")
    await expect(page.get_by_role("button", name=re.compile("passkey"))).to_have_count(0)

    late_link = _link(
        running_server.koroena(
            "invite", "--koperasi", "kopwan-srikandi", "--role", "kasir", "--name", "Terlambat"
        )
    )
    _expire(running_server, _token(late_link))
    response = await page.goto(late_link)
    assert response is not None and response.status == 410
    await expect(page.get_by_role("heading", level=1)).to_have_text("Undangan sudah kedaluwarsa")
    await expect(page.locator("main")).to_contain_text("kedaluwarsa")
    await expect(page.get_by_role("button", name=re.compile("passkey"))).to_have_count(0)

    for unknown in ("tidak-ada-undangan-seperti-ini", "x" * 300):
        response = await page.goto(f"/undangan/{unknown}")
        assert response is not None and response.status == 404
        await expect(page.get_by_role("heading", level=1)).to_have_text("Undangan tidak ditemukan")
        await expect(page.get_by_role("button", name=re.compile("passkey"))).to_have_count(0)


async def test_sign_in_page(browser: Browser, server: str, people: list[Person]) -> None:
    person = await _person(browser, server)
    people.append(person)
    page = person.page
    response = await page.goto("/masuk?next=https://evil.example/")
    assert response is not None and response.status == 200
    assert response.headers["cache-control"] == "no-cache"
    button = page.get_by_role("button", name=re.compile("passkey"))
    await expect(button).to_have_count(1)
    await expect(button).to_have_attribute("data-next", "/")
    nav = page.get_by_role("navigation", name="Navigasi utama")
    await expect(nav.get_by_role("link", name="Masuk")).to_have_attribute("aria-current", "page")
    # No passkey for this site on this phone: the browser gives up, the page says so.
    await button.click()
    await expect(page.get_by_role("alert")).to_have_text(
        "Penggunaan passkey dibatalkan atau waktu habis. Silakan coba lagi."
    )
    await expect(button).to_be_enabled()

    # The page's texts follow the language.
    await page.get_by_role("link", name="Ganti bahasa ke English").click()
    await expect(page).to_have_url(re.compile(r"/masuk"))
    await expect(page.get_by_role("button", name=re.compile("passkey"))).to_have_text(
        "Sign in with a passkey"
    )
    await page.get_by_role("button", name=re.compile("passkey")).click()
    await expect(page.get_by_role("alert")).to_contain_text("cancelled or timed out")


async def test_browser_without_passkeys_is_told_so(browser: Browser, server: str) -> None:
    context = await browser.new_context(base_url=server)
    try:
        await context.add_init_script("delete window.PublicKeyCredential;")
        page = await context.new_page()
        await page.goto("/masuk")
        await expect(page.get_by_role("alert")).to_have_text(
            "Peramban ini belum mendukung passkey. Gunakan versi terbaru Chrome, Edge, Safari "
            "atau Firefox."
        )
        await expect(page.get_by_role("button", name="Masuk dengan passkey")).to_be_disabled()
    finally:
        await context.close()


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"][:5]:
            lines.append(f"    {node['target']}: {node.get('failureSummary', '').strip()}")
    return "\n".join(lines)


async def _axe(page: Page, what: str) -> None:
    results = await Axe().run(page)
    blocking = [v for v in results.response["violations"] if v.get("impact") in BLOCKING_IMPACTS]
    assert not blocking, f"axe on {what}:\n{_describe(blocking)}"


async def test_account_pages_have_no_serious_accessibility_violations(
    browser: Browser, server: str, running_server: RunningServer, people: list[Person]
) -> None:
    # axe is injected as a script, which the pages' strict CSP would (rightly) refuse.
    person = await _person(browser, server, bypass_csp=True)
    people.append(person)
    page = person.page
    await page.goto("/masuk")
    await expect(page.get_by_role("heading", level=1)).to_have_text("Masuk")
    await _axe(page, "/masuk")

    link = _link(
        running_server.koroena(
            "create-admin", "--region", "kota-mojokerto", "--name", "Rina Pemeriksa"
        )
    )
    await page.goto(link)
    await expect(page.get_by_role("heading", level=1)).to_be_visible()
    await _axe(page, "an invitation page")

    await _register(person, link, "Ponsel Rina")
    await _invite(page, "Pengurus", "Calon Pengurus", koperasi=SRIKANDI)
    await _axe(page, "/akun (Dinas officer, with an invitation made)")
