"""The savings pages over HTTP on both engines: what an anggota, counter staff and others
get on /simpanan, /simpanan/loket and a receipt page; the members list the counter searches."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date
from html import unescape
from urllib.parse import unquote

from backend.accounts.domain import Role
from backend.members.tables import Member
from backend.savings import service as savings
from backend.savings.domain import Movement, SavingsKind
from backend.settings import Settings
from tests.integration.test_savings_history import ORIGIN, koperasi, member_id
from tests.support.client import app_client
from tests.support.sessions import as_person, person

SETOR, TARIK = Movement.SETOR, Movement.TARIK
POKOK, WAJIB, SUKARELA = SavingsKind.POKOK, SavingsKind.WAJIB, SavingsKind.SUKARELA


def personal(response: object) -> None:
    headers = response.headers  # type: ignore[attr-defined]
    assert headers["cache-control"] == "no-store"
    assert headers["content-type"].startswith("text/html")


async def test_an_anggota_sees_their_savings_and_history(demo: Settings) -> None:
    settings = replace(demo, auth_attempts_per_minute=1000)
    k, region = await koperasi()
    await Member.update({Member.joined_on: date(2026, 1, 1)}).where(
        (Member.koperasi == k) & (Member.member_number == "A-0001")
    )
    await savings.record(k, "A-0001", POKOK, SETOR, 100_000, date(2026, 1, 2))
    for day in range(1, 26):
        await savings.record(k, "A-0001", SUKARELA, SETOR, 60_000, date(2026, 2, day))
    await savings.record(k, "A-0002", SUKARELA, SETOR, 777_000, date(2026, 2, 3))
    anggota = await person(settings, Role.ANGGOTA, k, region, member=await member_id(k, "A-0001"))
    async with app_client(settings, origin=ORIGIN) as client:
        as_person(client, anggota)
        page = await client.get("/simpanan")
        assert page.status_code == 200, page.text
        personal(page)
        html = unescape(page.text)
        assert "Simpanan saya" in html and "Rp 1.500.000" in html  # 25 × 60.000
        assert "Rp 1.600.000" in html  # total
        assert re.search(r"Tunggakan simpanan wajib: Rp \d{2,3}\.000 \(\d+ bulan\)", html)
        assert "Rp 777.000" not in html  # another member's deposit
        # The first page of history (20), newest first, each linking to its receipt.
        links = re.findall(r'href="/simpanan/kuitansi/(\d+)"', page.text)
        assert len(links) == 20 and links[0] == "26" and links[-1] == "7"
        assert 'id="history-more"' in page.text and 'data-before="7"' in page.text
        assert 'name="csrf-token"' in page.text and "/static/savings.js" in page.text
        # The next page is the history API's.
        rest = (await client.get("/api/v1/savings/mine/history?before=7")).json()
        assert [i["receipt_number"] for i in rest["items"]] == [6, 5, 4, 3, 2, 1]
        assert rest["next_before"] is None
        receipt = await client.get(f"/simpanan/kuitansi/{links[0]}")
        assert receipt.status_code == 200
        personal(receipt)
        assert (await client.get("/simpanan/kuitansi/27")).status_code == 404  # A-0002's
        loket = await client.get("/simpanan/loket")
        assert loket.status_code == 403 and 'href="/simpanan"' in loket.text

        # Once the member pays wajib up to date the card says so.
        await savings.record(k, "A-0001", WAJIB, SETOR, 25_000 * 24, date(2026, 2, 27))
        html = unescape((await client.get("/simpanan")).text)
        assert "Simpanan wajib lunas" in html


async def test_others_on_the_member_page(demo: Settings) -> None:
    settings = replace(demo, auth_attempts_per_minute=1000)
    k, region = await koperasi()
    kasir = await person(settings, Role.KASIR, k, region)
    dinas = await person(settings, Role.DINAS, None, region)
    async with app_client(settings, origin=ORIGIN) as client:
        assert (await client.get("/simpanan")).headers["location"] == "/masuk?next=/simpanan"
        as_person(client, kasir)
        sent = await client.get("/simpanan")
        assert sent.status_code == 303 and sent.headers["location"] == "/simpanan/loket"
        as_person(client, dinas)
        refused = await client.get("/simpanan")
        assert refused.status_code == 403
        assert "Halaman simpanan untuk anggota koperasi" in unescape(refused.text)
        assert (await client.get("/simpanan/loket")).status_code == 403
        assert (await client.get("/simpanan/kuitansi/1")).status_code == 404


async def test_the_counter_page(demo: Settings) -> None:
    settings = replace(demo, auth_attempts_per_minute=1000)
    k, region = await koperasi()
    kasir = await person(settings, Role.KASIR, k, region, name="Kasir Loket")
    pengurus = await person(settings, Role.PENGURUS, k, region, name="Pengurus Loket")
    await savings.record(k, "A-0002", SUKARELA, SETOR, 10_000, date(2026, 2, 3))
    async with app_client(settings, origin=ORIGIN) as client:
        as_person(client, kasir)
        page = await client.get("/simpanan/loket")
        assert page.status_code == 200, page.text
        personal(page)
        html = unescape(page.text)
        assert "Loket simpanan" in html and "Koperasi Wanita Srikandi" in html
        assert 'data-member="A-0001"' in page.text  # the first members, ready to choose
        assert "Tunggakan simpanan wajib" in html and "<table" in html
        assert 'id="movement-form"' in page.text
        assert 'id="exit-form"' not in page.text and 'id="policy-form"' not in page.text
        as_person(client, pengurus)
        page = await client.get("/simpanan/loket")
        assert 'id="exit-form"' in page.text and 'id="policy-form"' in page.text
        # The policy form offers equity/liability accounts for savings, assets for cash;
        # the sukarela account is fixed now that it has movements.
        assert re.search(
            r'<select id="policy-sukarela-account" name="sukarela_account" disabled>', page.text
        )
        pokok = re.search(r'<select id="policy-pokok-account".*?</select>', page.text, re.S)
        assert pokok and "3-1100" in pokok.group(0) and "2-1300" in pokok.group(0)
        assert "1-1100" not in pokok.group(0)
        cash = re.search(r'<select id="policy-cash-account".*?</select>', page.text, re.S)
        assert cash and '<option value="1-1100" selected>' in cash.group(0)
        assert "1-1390" not in cash.group(0)  # a contra account is no place for cash


async def test_the_receipt_page(demo: Settings) -> None:
    settings = replace(demo, auth_attempts_per_minute=1000)
    k, region = await koperasi()
    kasir = await person(settings, Role.KASIR, k, region, name="Kasir Kuitansi")
    async with app_client(settings, origin=ORIGIN) as client:
        as_person(client, kasir)
        made = await client.post(
            "/api/v1/savings/movements",
            json={
                "member_number": "A-0001",
                "kind": "sukarela",
                "movement": "setor",
                "amount": 1_500_000,
                "movement_date": "2026-05-24",
            },
        )
        number = made.json()["receipt_number"]
        page = await client.get(f"/simpanan/kuitansi/{number}")
        assert page.status_code == 200
        personal(page)
        html = unescape(page.text)
        assert '<link rel="stylesheet" href="/static/receipt.css">' in page.text
        assert "KUITANSI SIMPANAN" in html and f"S-{number:06d}" in html
        assert "Rp 1.500.000" in html and "24 Mei 2026" in html and "Kasir Kuitansi" in html
        assert 'id="receipt-print"' in page.text and ">Cetak<" in page.text
        share = re.search(
            r'<a href="(https://wa\.me/\?text=[^"]+)"[^>]*id="receipt-share"', page.text
        )
        assert share, page.text
        shared = unquote(unescape(share.group(1)).removeprefix("https://wa.me/?text="))
        assert shared.splitlines()[0].strip() == "Koperasi Wanita Srikandi"
        assert all(len(line) <= 32 for line in shared.splitlines())
        assert "Rp 1.500.000" in shared and f"S-{number:06d}" in shared
        css = await client.get("/static/receipt.css")
        assert "@page { size: 58mm auto; margin: 0 }" in css.text
        assert "width: 58mm" in css.text
        assert (await client.get(f"/simpanan/kuitansi/{number + 1}")).status_code == 404
        # In English.
        client.cookies.set("koroena_lang", "en", domain="testserver.local")
        english = unescape((await client.get(f"/simpanan/kuitansi/{number}")).text)
        assert "SAVINGS RECEIPT" in english and "24 May 2026" in english


async def test_the_members_list_for_the_counter(demo: Settings) -> None:
    settings = replace(demo, auth_attempts_per_minute=1000)
    k, region = await koperasi()
    kasir = await person(settings, Role.KASIR, k, region)
    anggota = await person(settings, Role.ANGGOTA, k, region, member=await member_id(k, "A-0001"))
    names = {
        r["member_number"]: r["full_name"]
        for r in await Member.select(Member.member_number, Member.full_name).where(
            Member.koperasi == k
        )
    }
    async with app_client(settings, origin=ORIGIN) as client:
        as_person(client, kasir)
        listed = (await client.get("/api/v1/members")).json()
        assert [m["member_number"] for m in listed] == sorted(names)
        assert set(listed[0]) == {
            "member_number",
            "full_name",
            "status",
            "status_label",
            "joined_on",
        }
        word = names["A-0002"].split()[0].lower()
        found = (await client.get("/api/v1/members", params={"q": word})).json()
        assert "A-0002" in [m["member_number"] for m in found]
        assert (await client.get("/api/v1/members?q=0003")).json()[0]["member_number"] == "A-0003"
        page = (await client.get("/api/v1/members?limit=2&offset=1")).json()
        assert [m["member_number"] for m in page] == sorted(names)[1:3]
        assert (await client.get("/api/v1/members?limit=101")).status_code == 400
        as_person(client, anggota)
        assert (await client.get("/api/v1/members")).status_code == 403
