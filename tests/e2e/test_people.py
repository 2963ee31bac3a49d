"""The people a pengurus or Dinas officer looks after, on /akun, in a real browser.

A cashier loses the phone: their pengurus makes a recovery link, the cashier opens it on a
new phone (a new browser context with a new virtual authenticator) and is the same person
with the same single role and a second passkey; then revokes the lost phone's passkey.
Later the pengurus revokes the cashier's role, and the cashier's account says so. A Dinas
officer sees the pengurus and officers of the region (not cashiers). The section is
checked with axe too.

These tests use a koperasi of their own (Wilwatikta, Onde-Onde Kranggan): the server is
shared with test_accounts.py, whose story lives in Srikandi."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Dialog, Locator, Page, expect

from backend.formatting import long_date

from .conftest import RunningServer
from .test_accounts import LINK, Person, _axe, _invite, _link, _person, _register, _roles

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

WILWATIKTA = "kopjas-wilwatikta"
WILWATIKTA_NAME = "Koperasi Jasa Angkutan Wilwatikta"
KRANGGAN = "koppas-onde-onde-kranggan"
KRANGGAN_NAME = "Koperasi Pemasaran Onde-Onde Kranggan"
NO_ROLE = "Anda belum memiliki peran di koperasi mana pun. Minta undangan kepada pengurus koperasi."


@pytest_asyncio.fixture(loop_scope="session")
async def phones(browser: Browser, server: str) -> AsyncIterator[list[Person]]:
    """Make people with `await _person(...)` and append them: closed after the test."""
    made: list[Person] = []
    yield made
    for person in made:
        await person.context.close()


def _today() -> str:
    """Today's date as the page writes it (the region's wall clock, WIB)."""
    return long_date(datetime.now(UTC) + timedelta(hours=7))


def _people(page: Page, heading: str) -> tuple[Locator, Locator]:
    """The people section (a region named by its heading) and its rows."""
    section = page.get_by_role("region", name=heading)
    return section, section.get_by_role("list").get_by_role("listitem")


def _row(rows: Locator, name: str) -> Locator:
    return rows.filter(has=rows.page.get_by_role("heading", name=name, exact=True))


async def _accept(messages: list[str], dialog: Dialog) -> None:
    messages.append(dialog.message)
    await dialog.accept()


async def test_recovery_of_a_lost_phone_and_revoking_a_role(
    browser: Browser, server: str, running_server: RunningServer, phones: list[Person]
) -> None:
    # A pengurus, invited from the command line (no actor needed).
    pengurus = await _person(browser, server, bypass_csp=True)  # axe below
    phones.append(pengurus)
    link = _link(
        running_server.koroena(
            "invite", "--koperasi", WILWATIKTA, "--role", "pengurus", "--name", "Rahmat Hidayat"
        )
    )
    await _register(pengurus, link, "HP Rahmat")
    page = pengurus.page
    section, rows = _people(page, "Orang di koperasi ini")
    await expect(section).to_contain_text(WILWATIKTA_NAME)
    await expect(rows).to_have_count(1)
    own = _row(rows, "Rahmat Hidayat")
    await expect(own).to_contain_text("Anda")
    await expect(own.locator(".person-role")).to_have_text("Pengurus")
    await expect(own).to_contain_text(f"1 passkey · sejak {_today()}")
    await expect(
        own.get_by_role("button", name="Undangan pemulihan untuk Rahmat Hidayat")
    ).to_be_visible()
    # Nobody revokes their own role (the server refuses it too).
    await expect(own.get_by_role("button", name=re.compile("^Cabut peran"))).to_have_count(0)

    # The pengurus invites a cashier, who joins with the first phone (authenticator A).
    kasir_link = await _invite(page, "Kasir", "Wati Susanti")
    kasir = await _person(browser, server)
    phones.append(kasir)
    await _register(kasir, kasir_link, "HP lama Wati")
    assert await _roles(kasir.page) == [f"Kasir Aktif {WILWATIKTA_NAME}"]
    await page.reload()
    wati = _row(rows, "Wati Susanti")
    await expect(rows).to_have_count(2)
    await expect(wati.locator(".person-role")).to_have_text("Kasir")
    await expect(wati).to_contain_text(f"1 passkey · sejak {_today()}")
    await expect(wati.get_by_role("button", name="Cabut peran Wati Susanti")).to_be_visible()

    # The cashier loses the phone: the pengurus makes a recovery link, shown under her name.
    stale = await pengurus.context.new_page()  # a second tab, for later
    await stale.goto("/akun")
    await wati.get_by_role("button", name="Undangan pemulihan untuk Wati Susanti").click()
    result = wati.locator("#recovery-result")
    await expect(result).to_be_visible()
    await expect(result.get_by_role("heading", name="Undangan pemulihan siap")).to_be_focused()
    await expect(result.get_by_role("status")).to_contain_text(
        "Undangan pemulihan untuk Wati Susanti sudah dibuat"
    )
    await expect(result.get_by_role("status")).to_contain_text("perannya tetap sama")
    await expect(result.get_by_role("img", name="Kode QR tautan pemulihan")).to_be_visible()
    await expect(result.get_by_role("button", name="Salin tautan")).to_be_visible()
    recovery_link = await result.get_by_label("Tautan pemulihan", exact=True).input_value()
    assert LINK.fullmatch(recovery_link), recovery_link
    assert recovery_link != kasir_link
    await _axe(page, "/akun (pengurus, people section with a recovery link)")

    # The new phone (authenticator B): the page says it adds a device to her account.
    new_phone = await _person(browser, server)
    phones.append(new_phone)
    response = await new_phone.page.goto(recovery_link)
    assert response is not None and response.status == 200
    main = new_phone.page.locator("main")
    await expect(new_phone.page.get_by_role("heading", level=1)).to_have_text(
        "Tambahkan perangkat baru"
    )
    await expect(main).to_contain_text("Halo Wati Susanti")
    await expect(main).to_contain_text("akun Anda yang sudah ada")
    await expect(main).to_contain_text("peran, riwayat dan data Anda tetap sama")
    await expect(main).to_contain_text(WILWATIKTA_NAME)
    await expect(new_phone.page.get_by_label("Nama perangkat")).to_have_value("Perangkat baru")
    await expect(
        new_phone.page.get_by_role("button", name="Buat passkey di perangkat ini")
    ).to_be_enabled()
    await _register(new_phone, recovery_link, "HP baru Wati")

    # The same person: the same name, still exactly one Kasir role, and two passkeys.
    phone = new_phone.page
    await expect(phone.locator("main")).to_contain_text("Wati Susanti")
    assert await _roles(phone) == [f"Kasir Aktif {WILWATIKTA_NAME}"]
    passkeys = phone.locator("#passkeys-heading ~ ul > li")
    await expect(passkeys).to_have_count(2)
    await expect(passkeys.filter(has_text="HP lama Wati")).to_have_count(1)
    await expect(passkeys.filter(has_text="HP baru Wati")).to_have_count(1)
    assert len(await new_phone.credentials()) == 1
    await page.reload()
    await expect(rows).to_have_count(2)  # no second account, no second role
    await expect(wati).to_contain_text("2 passkey")

    # The cashier revokes the lost phone's passkey; the lost phone is signed out.
    dialogs: list[str] = []
    phone.once("dialog", lambda dialog: _accept(dialogs, dialog))
    await phone.get_by_role("button", name="Cabut passkey HP lama Wati").click()
    await expect(phone.get_by_role("status")).to_contain_text("dicabut")
    await expect(passkeys).to_have_count(1)
    await expect(passkeys).to_contain_text("HP baru Wati")
    assert (await kasir.context.request.get("/api/v1/me")).status == 401
    await page.reload()
    await expect(wati).to_contain_text("1 passkey")

    # The pengurus revokes her role: asked first (cancelling keeps it), then gone from the
    # list, with the recovery link shown under her name, and said so.
    revoke = wati.get_by_role("button", name="Cabut peran Wati Susanti")
    page.once("dialog", lambda dialog: dialog.dismiss())
    await revoke.click()
    await expect(revoke).to_be_enabled()
    await expect(rows).to_have_count(2)
    await wati.get_by_role("button", name="Undangan pemulihan untuk Wati Susanti").click()
    await expect(wati.locator("#recovery-result")).to_be_visible()
    page.once("dialog", lambda dialog: _accept(dialogs, dialog))
    await revoke.click()
    await expect(wati).to_have_count(0)
    await expect(page.locator("#recovery-result")).to_be_hidden()
    await expect(
        _row(rows, "Rahmat Hidayat").get_by_role("button", name=re.compile("^Undangan"))
    ).to_be_focused()
    await expect(section.get_by_role("status")).to_have_text(
        "Peran Kasir dari Wati Susanti dicabut."
    )
    await expect(section.get_by_role("alert")).to_have_count(0)
    assert dialogs[-1].startswith("Cabut peran Kasir dari Wati Susanti?"), dialogs
    await expect(rows).to_have_count(1)
    await page.reload()
    await expect(rows).to_have_count(1)
    await expect(_row(rows, "Wati Susanti")).to_have_count(0)

    # A tab opened before the revocation: the server's message, in an alert.
    await (
        _people(stale, "Orang di koperasi ini")[0]
        .get_by_role("button", name="Undangan pemulihan untuk Wati Susanti")
        .click()
    )
    await expect(stale.get_by_role("alert")).to_have_text("Peran tidak ditemukan.")
    await expect(stale.locator("#recovery-result")).to_be_hidden()

    # The cashier: still signed in, but with no role and nothing to do as one.
    await phone.reload()
    await expect(phone.locator("main")).to_contain_text("Wati Susanti")
    await expect(phone.locator("#no-role")).to_have_text(NO_ROLE)
    await expect(phone.get_by_role("main")).not_to_contain_text("Masuk sebagai")
    await expect(phone.locator("#roles-heading + ul")).to_have_count(0)
    await expect(phone.locator("#invite-form")).to_have_count(0)
    await expect(phone.get_by_role("heading", name="Undang")).to_have_count(0)
    await expect(phone.get_by_role("region", name="Orang di koperasi ini")).to_have_count(0)
    await expect(passkeys).to_have_count(1)  # her passkey stays: she may be invited again

    # The audit log of the koperasi shows what happened, newest first.
    audit = page.locator("#audit-heading ~ ol > li")
    await expect(audit.first).to_contain_text("Peran dicabut")
    await expect(audit.first).to_contain_text("Wati Susanti")
    await expect(audit.first).to_contain_text("oleh Rahmat Hidayat")


async def test_dinas_officer_sees_pengurus_and_officers_of_the_region(
    browser: Browser, server: str, running_server: RunningServer, phones: list[Person]
) -> None:
    officer = await _person(browser, server)
    phones.append(officer)
    link = _link(
        running_server.koroena(
            "create-admin", "--region", "kota-mojokerto", "--name", "Yusuf Petugas"
        )
    )
    await _register(officer, link, "HP Yusuf")
    joined: dict[str, Person] = {}
    for role, name in (("pengurus", "Nur Aini"), ("kasir", "Eko Kasir")):
        invitation = _link(
            running_server.koroena("invite", "--koperasi", KRANGGAN, "--role", role, "--name", name)
        )
        joined[role] = await _person(browser, server)
        phones.append(joined[role])
        await _register(joined[role], invitation, f"HP {name}")

    page = officer.page
    await page.reload()
    section, rows = _people(page, "Pengurus dan petugas di wilayah ini")
    await expect(section).to_contain_text("Kota Mojokerto")
    me = _row(rows, "Yusuf Petugas")
    await expect(me.locator(".person-role")).to_have_text("Petugas Dinas")
    await expect(me).to_contain_text("Anda")
    await expect(me.get_by_role("button", name=re.compile("^Cabut peran"))).to_have_count(0)
    nur = _row(rows, "Nur Aini")
    await expect(nur.locator(".person-role")).to_have_text(f"Pengurus · {KRANGGAN_NAME}")
    await expect(nur.get_by_role("button", name="Cabut peran Nur Aini")).to_be_visible()
    await expect(
        nur.get_by_role("button", name="Undangan pemulihan untuk Nur Aini")
    ).to_be_visible()
    # Cashiers are their pengurus' to look after, not the Dinas'.
    await expect(_row(rows, "Eko Kasir")).to_have_count(0)

    # The pengurus sees her koperasi's people instead: the cashier, not the officer.
    page = joined["pengurus"].page
    await page.reload()
    section, rows = _people(page, "Orang di koperasi ini")
    await expect(section).to_contain_text(KRANGGAN_NAME)
    await expect(rows).to_have_count(2)
    await expect(_row(rows, "Nur Aini")).to_contain_text("Anda")
    await expect(_row(rows, "Eko Kasir").locator(".person-role")).to_have_text("Kasir")
    await expect(_row(rows, "Yusuf Petugas")).to_have_count(0)
    # A cashier has nobody to look after.
    kasir_page = joined["kasir"].page
    await expect(kasir_page.locator("#roles-heading")).to_be_visible()
    await expect(kasir_page.locator("#people-list")).to_have_count(0)
