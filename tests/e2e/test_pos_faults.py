"""What the network and the session do to a till, in a real browser, and that no sale is
lost or doubled: the server's answer lost after it committed (the retry is answered
`duplicate` and only then does the sale leave the phone), a session that ended (the sales
wait, and go once the cashier has signed in again — the page's stale CSRF token is
replaced on the way), and a sale the server refuses (it moves to "Perlu ditinjau" with the
server's reason while the others go through).

KSU Bina Usaha Sejahtera, like test_pos.py; each test registers its own device."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, Request, Route, expect

from .conftest import RunningServer
from .test_accounts import Person, _sign_in
from .test_pos import (
    add_item,
    kasir,
    new_sale,
    open_shift,
    open_till,
    pay,
    register_device,
    server_sales,
    till_ready,
)

pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

SYNC = "**/api/v1/sync"


@pytest_asyncio.fixture(loop_scope="session")
async def phones(browser: Browser, server: str) -> AsyncIterator[list[Person]]:
    made: list[Person] = []
    yield made
    for person in made:
        await person.context.close()


class SyncTraffic:
    """POST /api/v1/sync of the whole context — the till's and the service worker's (its
    Background Sync event fires as soon as a sale is queued) — through the test. Each
    answer is recorded. `mode`: "pass"; "lose" (the server stores the batch, the answer is
    cut off; then "cut"); "cut" (the request fails before it reaches the server)."""

    def __init__(self) -> None:
        self.mode = "pass"
        self.answers: list[tuple[int, Any]] = []
        self.batches: list[list[str]] = []  # receipt numbers (or kinds) sent, per request
        self.in_flight = 0
        self.most_in_flight = 0

    async def handle(self, route: Route, request: Request) -> None:
        if self.mode == "cut":
            await route.abort("internetdisconnected")
            return
        sent = request.post_data_json or {}
        self.batches.append(
            [i["payload"].get("receipt_number", i["kind"]) for i in sent.get("items", [])]
        )
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            response = await route.fetch()
        finally:
            self.in_flight -= 1
        try:
            body = await response.json()
        except Exception:
            body = None
        self.answers.append((response.status, body))
        if self.mode == "lose":
            self.mode = "cut"
            await route.abort("connectionreset")
            return
        await route.fulfill(response=response)

    def statuses(self) -> list[str]:
        return [
            result["status"]
            for status, body in self.answers
            if status == 200 and body
            for result in body["results"]
        ]


async def ready_till(person: Person) -> tuple[Page, str]:
    till = await open_till(person.context)
    device = await register_device(till)
    await open_shift(till, 100_000)
    await expect(till.locator("#sync-pending")).to_have_text("0")
    return till, device


async def test_answer_lost_after_commit_is_answered_duplicate_on_retry(
    browser: Browser, server: str, running_server: RunningServer, phones: list[Person]
) -> None:
    person = await kasir(browser, server, running_server, "Lina Marlina")
    phones.append(person)
    till, device = await ready_till(person)
    traffic = SyncTraffic()
    await person.context.route(SYNC, traffic.handle)
    traffic.mode = "lose"
    await add_item(till, "Kopi Bubuk Sachet isi 10")
    receipt = await pay(till, "Tunai", 20_000)
    await expect(till.locator("#sync-state")).to_contain_text("Tidak ada sinyal")
    await expect(till.locator("#sync-pending")).to_have_text("1")
    assert traffic.statuses() == ["created"]  # the server has it; the phone never heard
    assert [s["receipt_number"] for s in await server_sales(running_server, device)] == [receipt]

    traffic.mode = "pass"
    await till.get_by_role("button", name="Kirim sekarang").click()
    await expect(till.locator("#sync-pending")).to_have_text("0")
    assert traffic.statuses() == ["created", "duplicate"]
    assert [s["receipt_number"] for s in await server_sales(running_server, device)] == [receipt]
    await till.locator("#history-section summary").click()
    await expect(till.locator("#history")).to_contain_text(f"{receipt}")
    await expect(till.locator("#history")).not_to_contain_text("belum terkirim")


async def test_expired_session_keeps_the_sales_until_the_cashier_signs_in_again(
    browser: Browser, server: str, running_server: RunningServer, phones: list[Person]
) -> None:
    person = await kasir(browser, server, running_server, "Yanto Prasetyo")
    phones.append(person)
    till, device = await ready_till(person)
    traffic = SyncTraffic()
    await person.context.route(SYNC, traffic.handle)

    await person.context.clear_cookies()  # the session is gone (expired, or ended elsewhere)
    await add_item(till, "Sabun Mandi Batang 85 g", 4)
    first = await pay(till, "Tunai")
    await new_sale(till)
    await add_item(till, "Pasta Gigi 190 g")
    second = await pay(till, "Transfer")
    await expect(till.locator("#sync-state")).to_contain_text("Sesi habis, masuk lagi")
    await expect(till.get_by_role("link", name="Masuk lagi")).to_be_visible()
    await expect(till.locator("#sync-pending")).to_have_text("2")
    assert {status for status, _ in traffic.answers} == {401}
    assert await server_sales(running_server, device) == []

    # The cashier signs in again in another tab: the till still holds the old session's
    # CSRF token, which the server refuses once; the till asks for the new one and sends.
    await _sign_in(person.page)
    await expect(person.page).to_have_url(f"{server}/")
    await till.get_by_role("button", name="Kirim sekarang").click()
    await expect(till.locator("#sync-pending")).to_have_text("0")
    statuses = [status for status, _ in traffic.answers]
    assert statuses[-2:] == [403, 200] and set(statuses[:-2]) == {401}, statuses
    assert traffic.answers[-2][1]["error"]["code"] == "csrf_failed"
    assert traffic.statuses() == ["created", "created"]
    await expect(till.get_by_role("link", name="Masuk lagi")).to_be_hidden()
    sales = await server_sales(running_server, device)
    assert [s["receipt_number"] for s in sales] == [first, second]


async def test_a_refused_sale_goes_to_review_while_the_others_go_through(
    browser: Browser, server: str, running_server: RunningServer, phones: list[Person]
) -> None:
    person = await kasir(browser, server, running_server, "Tari Anggraini")
    phones.append(person)
    till, device = await ready_till(person)

    await person.context.set_offline(True)
    receipts = []
    for name in ("Tepung Terigu 1 kg", "Kecap Manis 520 ml", "Deterjen Bubuk 800 g"):
        await add_item(till, name, 2)
        receipts.append(await pay(till, "Tunai"))
        await new_sale(till)
    await expect(till.locator("#sync-pending")).to_have_text("3")

    # Someone changes the second sale's price on the phone (the total kept consistent).
    tampered = await till.evaluate(
        """async (receipt) => {
            const O = self.KoroenaOutbox;
            return O.run("outbox", "readwrite", async (s) => {
                for (const item of await O.req(s.outbox.getAll())) {
                    if (item.kind !== "sale" || item.payload.receipt_number !== receipt) continue;
                    const line = item.payload.lines[0];
                    line.unit_price -= 1000;
                    item.payload.total -= 1000 * line.quantity;
                    s.outbox.put(item);
                    return item.id;
                }
                return null;
            });
        }""",
        receipts[1],
    )
    assert tampered

    await person.context.set_offline(False)
    await till.get_by_role("button", name="Kirim sekarang").click()
    await expect(till.locator("#sync-pending")).to_have_text("0")
    review = till.get_by_role("region", name="Perlu ditinjau")
    await expect(review).to_be_visible()
    items = review.get_by_role("listitem")
    await expect(items).to_have_count(1)
    await expect(items.first).to_contain_text(f"Penjualan {receipts[1]}")
    await expect(items.first).to_contain_text(
        "Harga di perangkat tidak sama dengan harga katalog; muat ulang katalog."
    )
    await expect(items.first).to_contain_text("rejected · price_mismatch")
    await expect(till.locator("#sync-state")).to_contain_text("1 data perlu ditinjau")
    sales = await server_sales(running_server, device)
    assert [s["receipt_number"] for s in sales] == [receipts[0], receipts[2]]

    # The refused sale is kept in full on the phone (nothing dropped) and in the history.
    kept = await till.evaluate(
        "async () => (await self.KoroenaOutbox.reviewItems()).map((r) => r.item.payload)"
    )
    assert [p["receipt_number"] for p in kept] == [receipts[1]]
    await till.locator("#history-section summary").click()
    row = till.locator("#history li").filter(has_text=receipts[1])
    await expect(row).to_contain_text("perlu ditinjau")

    # After a reload the list is still there; dismissing asks first.
    await till.reload()
    await till_ready(till)
    await expect(items).to_have_count(1)
    till.once("dialog", lambda dialog: asyncio.ensure_future(dialog.accept()))
    await items.first.get_by_role("button", name=f"Hapus Penjualan {receipts[1]}").click()
    await expect(review).to_be_hidden()


QUEUE_SALES = """async (count) => {
    const O = self.KoroenaOutbox;
    const catalog = await O.getMeta("catalog");
    const shift = await O.getMeta("shift");
    const p = catalog.products.find((product) => product.sku === "MIE-GRG");
    return O.run(["meta", "outbox"], "readwrite", async (s) => {
        const device = await O.req(s.meta.get("device"));
        const receipts = [];
        for (let i = 0; i < count; i++) {
            const seq = device.next_seq++;
            const at = new Date().toISOString();
            const receipt = `${device.code}-${String(seq).padStart(6, "0")}`;
            receipts.push(receipt);
            s.outbox.add({id: crypto.randomUUID(), kind: "sale", created_at: at,
                device: device.code, payload: {receipt_number: receipt, device_seq: seq,
                sold_at: at, shift_id: shift.id, member_number: null, method: "tunai",
                cash_given: null, total: p.price,
                lines: [{product_id: p.id, quantity: 1, unit_price: p.price, discount: 0}]}});
        }
        s.meta.put(device, "device");
        return receipts;
    });
}"""


async def test_a_long_outbox_goes_in_order_in_batches_of_100_one_tab_at_a_time(
    browser: Browser, server: str, running_server: RunningServer, phones: list[Person]
) -> None:
    person = await kasir(browser, server, running_server, "Hendra Gunawan")
    phones.append(person)
    till, device = await ready_till(person)
    traffic = SyncTraffic()
    await person.context.route(SYNC, traffic.handle)
    traffic.mode = "cut"
    # A day of sales queued without signal (written as "Bayar" writes them).
    receipts = await till.evaluate(QUEUE_SALES, 150)
    other = await open_till(person.context)  # a second tab of the till
    await expect(other.locator("#sync-pending")).to_have_text("150")

    traffic.mode = "pass"
    await asyncio.gather(
        till.get_by_role("button", name="Kirim sekarang").click(),
        other.get_by_role("button", name="Kirim sekarang").click(),
    )
    await expect(till.locator("#sync-pending")).to_have_text("0")
    await expect(other.locator("#sync-pending")).to_have_text("0")
    sent = [batch for batch in traffic.batches if batch]
    assert [len(batch) for batch in sent] == [100, 50]
    assert [r for batch in sent for r in batch] == receipts
    assert traffic.most_in_flight == 1  # never two flushes at once (navigator.locks)
    assert traffic.statuses() == ["created"] * 150
    sales = await server_sales(running_server, device)
    assert [s["receipt_number"] for s in sales] == receipts
