"""SHU on both engines, from real books: a closed year 2025 of Koperasi Wanita Srikandi with
members' savings, shop sales to members through the till's sync and an SHU of exactly
Rp 1.000.003 — the hand-worked example of tests/unit/test_shu_domain.py. The preview
matches the hand computation; posting writes one balanced entry (and, into sukarela, the
members' savings movements) once; an unclosed year or a year without surplus is refused
and writes nothing; the RAT pack's PDF and Excel carry the figures."""

from __future__ import annotations

import asyncio
import io
import uuid
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from backend.accounts.domain import Role
from backend.accounts.tables import AuditEvent, UserAccount
from backend.catalog.tables import Product
from backend.errors import AppError
from backend.ledger import service as ledger
from backend.ledger.domain import Line
from backend.ledger.statements import neraca, phu
from backend.ledger.tables import JournalEntry, JournalLine
from backend.loans import service as loans
from backend.loans.domain import Method, ProductTerms
from backend.members.tables import Member
from backend.pos import service as pos
from backend.savings import service as savings
from backend.savings.domain import Movement, SavingsKind
from backend.savings.tables import SavingsMovement
from backend.settings import Settings
from backend.shu import service as shu
from backend.shu.domain import Component, apportion
from backend.shu.tables import ShuAllocationRow, ShuDistribution, ShuMemberShare
from backend.tenancy.tables import Koperasi
from tests.support.client import app_client
from tests.support.sessions import as_person, person

ORIGIN = "http://localhost:8000"
POOL = 1_000_003
YEAR = 2025
POSTED_ON = date(2026, 2, 10)
# The hand-worked example: (jasa modal, jasa usaha) per member.
EXPECTED = {
    "A-0001": (75_001, 66_667),
    "A-0002": (50_000, 0),
    "A-0003": (50_000, 33_334),
    "A-0004": (0, 0),
    "A-0005": (25_000, 100_000),
}
SETOR = Movement.SETOR
POKOK, WAJIB, SUKARELA = SavingsKind.POKOK, SavingsKind.WAJIB, SavingsKind.SUKARELA


@dataclass
class Books:
    settings: Settings
    k: int
    region: int
    members: dict[str, int]  # member number -> id


async def _koperasi(slug: str) -> tuple[int, int]:
    row = (
        await Koperasi.select(Koperasi.id, Koperasi.region.as_alias("region_id"))
        .where(Koperasi.slug == slug)
        .first()
    )
    assert row is not None
    return int(row["id"]), int(row["region_id"])


async def _sell(k: int, sales: list[tuple[str | None, int, datetime]]) -> None:
    """Sales of a Rp 100.000 item through the till's sync: (member, quantity, sold at)."""
    user = await UserAccount.insert(
        UserAccount(display_name="Kasir SHU", user_handle=f"kasir-shu-{uuid.uuid4().hex}")
    ).returning(UserAccount.id)
    device = await pos.register_device(k, "T01", "HP uji SHU", user[0]["id"])
    till = await pos.till(k, device.code, None)
    product = await Product.insert(
        Product(
            koperasi=k,
            sku="SHU-UJI",
            name="Paket sembako",
            category="Sembako",
            unit="paket",
            price=100_000,
            cost_price=80_000,
            track_stock=False,
        )
    ).returning(Product.id)
    items = []
    for seq, (member, quantity, sold_at) in enumerate(sales, start=1):
        total = 100_000 * quantity
        payload: dict[str, Any] = {
            "receipt_number": f"{device.code}-{seq:06d}",
            "device_seq": seq,
            "sold_at": sold_at.isoformat(),
            "shift_id": None,
            "member_number": member,
            "method": "tunai",
            "cash_given": total,
            "lines": [
                {"product_id": product[0]["id"], "quantity": quantity, "unit_price": 100_000}
            ],
            "total": total,
        }
        items.append(pos.ItemIn(id=str(uuid.uuid4()), kind="sale", payload=payload))
    results = await pos.sync(till, items)
    assert [r.status for r in results] == ["created"] * len(items), results


async def _make_surplus(k: int, year: int, surplus: int) -> None:
    """Bring the year's SHU to exactly `surplus` with one entry of other income or cost."""
    current = (await phu(k, date(year, 1, 1), date(year, 12, 31))).shu[0]
    delta = surplus - current
    if delta > 0:
        lines = [Line("1-1100", delta), Line("4-3100", 0, delta)]
    else:
        lines = [Line("5-2100", -delta), Line("1-1100", 0, -delta)]
    if delta:
        await ledger.post_entry(k, date(year, 12, 20), "Penyesuaian uji SHU", lines)


@pytest.fixture
async def books(demo: Settings) -> Books:
    return await build_books(demo)


async def build_books(demo: Settings) -> Books:
    """Srikandi's closed 2025: the savings and purchases of the worked example, an SHU of
    Rp 1.000.003, December closed; 2026 still open."""
    settings = replace(demo, auth_attempts_per_minute=10_000)
    k, region = await _koperasi("kopwan-srikandi")
    members = {
        row["member_number"]: int(row["id"])
        for row in await Member.select(Member.id, Member.member_number).where(Member.koperasi == k)
    }
    assert set(EXPECTED) <= set(members)
    day = date(2025, 3, 3)
    for number, kind, amount in [
        ("A-0001", POKOK, 100_000),
        ("A-0001", WAJIB, 200_000),
        ("A-0001", SUKARELA, 500_000),  # not counted for jasa modal
        ("A-0002", POKOK, 100_000),
        ("A-0002", WAJIB, 100_000),
        ("A-0003", POKOK, 100_000),
        ("A-0003", WAJIB, 100_000),
        ("A-0005", POKOK, 100_000),
    ]:
        await savings.record(k, number, kind, SETOR, amount, day)
    await _sell(
        k,
        [
            ("A-0001", 10, datetime(2025, 5, 10, 3, 0, tzinfo=UTC)),
            ("A-0003", 5, datetime(2025, 7, 1, 3, 0, tzinfo=UTC)),
            ("A-0005", 15, datetime(2025, 12, 31, 16, 59, tzinfo=UTC)),  # 23.59 WIB: 2025
            (None, 3, datetime(2025, 8, 1, 3, 0, tzinfo=UTC)),  # not a member: not counted
            ("A-0002", 4, datetime(2024, 12, 31, 16, 59, tzinfo=UTC)),  # 2024 in WIB
            ("A-0001", 2, datetime(2025, 12, 31, 17, 30, tzinfo=UTC)),  # 1 Jan 2026 WIB
        ],
    )
    await _make_surplus(k, YEAR, POOL)
    await ledger.close_period(k, "2025-12")
    # After the year: counts for nothing in 2025.
    await savings.record(k, "A-0002", WAJIB, SETOR, 50_000, date(2026, 1, 10))
    return Books(settings, k, region, members)


async def _client_as(books: Books, role: Role, member: str | None = None) -> tuple[str, str]:
    member_id = books.members[member] if member else None
    return await person(books.settings, role, books.k, books.region, member=member_id)


async def _counts() -> tuple[int, ...]:
    return (
        int(await JournalEntry.count()),
        int(await SavingsMovement.count()),
        int(await ShuDistribution.count()),
        int(await ShuMemberShare.count()),
        int(await ShuAllocationRow.count()),
    )


async def test_preview_matches_the_hand_computation(books: Books) -> None:
    view, rows = await shu.shares(books.k, YEAR)
    assert view.posting is None and view.summary.pool == POOL
    assert {r.share.member_number: (r.share.jasa_modal, r.share.jasa_usaha) for r in rows} == {
        number: EXPECTED.get(number, (0, 0)) for number in books.members
    }
    bases = {r.share.member_number: (r.share.modal_base, r.share.usaha_base) for r in rows}
    assert bases["A-0001"] == (300_000, 1_000_000)  # sukarela and the 2026 sale left out
    assert bases["A-0002"] == (200_000, 0)  # the 2024 sale and the 2026 wajib left out
    assert bases["A-0005"] == (100_000, 1_500_000)  # 23.59 WIB on 31 December counts
    assert view.summary.modal_total_base == 800_000
    assert view.summary.usaha_total_base == 3_000_000
    assert view.summary.cadangan_total == 400_001 and view.summary.members_total == 400_002

    async with app_client(books.settings, origin=ORIGIN) as client:
        as_person(client, await _client_as(books, Role.PENGURUS))
        summary = (await client.get(f"/api/v1/shu/{YEAR}")).json()
        assert summary["status"] == "preview" and summary["distributable"]
        assert summary["pool"] == POOL and summary["member_count"] == 4
        amounts = {c["component"]: c["amount"] for c in summary["components"]}
        assert amounts["cadangan"] == 400_001 and amounts["jasa_modal"] == 200_001
        assert summary["allocation"]["usaha_basis"] == "pembelian"  # a koperasi wanita's shop
        years = (await client.get("/api/v1/shu/years")).json()
        assert years[0] == {"year": 2025, "posted": False}
        page = (await client.get(f"/api/v1/shu/{YEAR}/members", params={"limit": 2})).json()
        assert page["count"] == len(books.members) and page["next_offset"] == 2
        assert [i["member_number"] for i in page["items"]] == ["A-0001", "A-0002"]
        dewi = (await client.get(f"/api/v1/shu/{YEAR}/members/A-0003")).json()
        assert dewi["share"]["total"] == 83_334
        assert any("Rp 33.333,50" in line for line in dewi["explanation"])
        assert dewi["explanation"][-1].startswith("Belum dibagikan")


async def test_posting_into_a_payable_once(books: Books) -> None:
    before = await ledger.trial_balance(books.k)
    async with app_client(books.settings, origin=ORIGIN) as client:
        as_person(client, await _client_as(books, Role.PENGURUS))
        response = await client.post(
            f"/api/v1/shu/{YEAR}/distribution", json={"posted_on": POSTED_ON.isoformat()}
        )
        assert response.status_code == 201, response.text
        posted = response.json()
        assert posted["pool"] == POOL and posted["members_total"] == 400_002
        assert posted["credited_total"] == 0 and posted["mode"] == "utang"
        counts = await _counts()
        again = await client.post(
            f"/api/v1/shu/{YEAR}/distribution", json={"posted_on": POSTED_ON.isoformat()}
        )
        assert again.status_code == 409 and again.json()["error"]["code"] == "shu_already_posted"
        frozen = await client.put(f"/api/v1/shu/{YEAR}/allocation", json=_allocation_body())
        assert frozen.status_code == 409 and frozen.json()["error"]["code"] == "shu_posted"
        assert await _counts() == counts
        summary = (await client.get(f"/api/v1/shu/{YEAR}")).json()
        assert summary["status"] == "posted" and not summary["distributable"]
        assert summary["posted_on"] == POSTED_ON.isoformat()
        assert summary["entry_number"] == posted["entry_number"]
        assert (await client.get("/api/v1/shu/years")).json()[0] == {"year": 2025, "posted": True}

    entry = (
        await JournalEntry.select(JournalEntry.id, JournalEntry.source, JournalEntry.entry_date)
        .where((JournalEntry.koperasi == books.k) & (JournalEntry.number == posted["entry_number"]))
        .first()
    )
    assert entry is not None and entry["source"] == "shu" and entry["entry_date"] == POSTED_ON
    lines = await JournalLine.select(
        JournalLine.account.code.as_alias("code"), JournalLine.debit, JournalLine.credit
    ).where(JournalLine.entry == entry["id"])
    assert sorted((r["code"], r["debit"], r["credit"]) for r in lines) == sorted(
        [
            ("3-1610", POOL, 0),
            ("3-1500", 0, 400_001),
            ("2-1610", 0, 50_000),
            ("2-1620", 0, 50_000),
            ("2-1630", 0, 50_000),
            ("2-1640", 0, 50_000),
            ("2-1600", 0, 400_002),
        ]
    )
    after = {b.code: b.balance for b in await ledger.trial_balance(books.k)}
    was = {b.code: b.balance for b in before}
    assert after["2-1600"] - was["2-1600"] == 400_002
    assert after["3-1500"] - was["3-1500"] == 400_001
    assert after["3-1610"] - was["3-1610"] == POOL  # contra equity: on its debit side
    # The books stay balanced: the Neraca at the posting day adds up.
    assert (await neraca(books.k, POSTED_ON)).balanced
    # The shares as posted, zero shares included.
    shares = {
        r["member_id"]: (r["jasa_modal"], r["jasa_usaha"], r["credited"])
        for r in await ShuMemberShare.select(
            ShuMemberShare.member.as_alias("member_id"),
            ShuMemberShare.jasa_modal,
            ShuMemberShare.jasa_usaha,
            ShuMemberShare.credited,
        ).where(ShuMemberShare.koperasi == books.k)
    }
    assert {n: shares[books.members[n]][:2] for n in EXPECTED} == EXPECTED
    assert not any(credited for *_, credited in shares.values())
    # The allocation used is kept (frozen) and the posting is in the audit log.
    assert await ShuAllocationRow.exists().where(
        (ShuAllocationRow.koperasi == books.k) & (ShuAllocationRow.year == YEAR)
    )
    event = (
        await AuditEvent.select(AuditEvent.detail).where(AuditEvent.action == "shu_posted").first()
    )
    assert event is not None and '"pool": 1000003' in event["detail"]
    # The posted record cannot be edited, even by hand.
    with pytest.raises(Exception, match="immutable"):
        await ShuDistribution.update({ShuDistribution.pool: 1}).where(
            ShuDistribution.koperasi == books.k
        )
    with pytest.raises(Exception, match="immutable"):
        await ShuMemberShare.delete().where(ShuMemberShare.koperasi == books.k)


def _allocation_body(**changes: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "cadangan_bp": 4000,
        "jasa_modal_bp": 2000,
        "jasa_usaha_bp": 2000,
        "pengurus_bp": 500,
        "karyawan_bp": 500,
        "pendidikan_bp": 500,
        "sosial_bp": 500,
        "daerah_kerja_bp": 0,
        "count_pokok": True,
        "count_wajib": True,
        "count_sukarela": False,
        "usaha_basis": "pembelian",
        "mode": "utang",
    }
    return {**body, **changes}


async def test_posting_into_sukarela(books: Books) -> None:
    """Mode sukarela: each active member's share becomes a sukarela deposit linked to the
    entry (Fitri, no longer active, keeps hers as a payable); the member reads it."""
    await Member.update({Member.status: "nonaktif"}).where(Member.id == books.members["A-0005"])
    sukarela_before = {
        n: await savings.balance(books.k, books.members[n], SUKARELA) for n in EXPECTED
    }
    async with app_client(books.settings, origin=ORIGIN) as client:
        as_person(client, await _client_as(books, Role.PENGURUS))
        saved = await client.put(
            f"/api/v1/shu/{YEAR}/allocation", json=_allocation_body(mode="sukarela")
        )
        assert saved.status_code == 200, saved.text
        assert saved.json()["mode"] == "sukarela" and saved.json()["saved"]
        response = await client.post(
            f"/api/v1/shu/{YEAR}/distribution", json={"posted_on": POSTED_ON.isoformat()}
        )
        assert response.status_code == 201, response.text
        posted = response.json()
        assert posted["credited_total"] == 141_668 + 50_000 + 83_334
        assert posted["credited_members"] == 3

    movements = await SavingsMovement.select(
        SavingsMovement.member.as_alias("member_id"),
        SavingsMovement.amount,
        SavingsMovement.kind,
        SavingsMovement.entry.number.as_alias("entry_number"),
        SavingsMovement.receipt_number,
    ).where((SavingsMovement.koperasi == books.k) & (SavingsMovement.movement_date == POSTED_ON))
    assert {m["member_id"]: m["amount"] for m in movements} == {
        books.members["A-0001"]: 141_668,
        books.members["A-0002"]: 50_000,
        books.members["A-0003"]: 83_334,
    }
    assert {m["kind"] for m in movements} == {"sukarela"}
    assert {m["entry_number"] for m in movements} == {posted["entry_number"]}
    for number in ("A-0001", "A-0002", "A-0003"):
        got = await savings.balance(books.k, books.members[number], SUKARELA)
        assert got - sukarela_before[number] == sum(EXPECTED[number])
    # The sub-ledger still agrees with the books: 2-1100 is the sum of sukarela balances.
    books_balance = {b.code: b.balance for b in await ledger.trial_balance(books.k)}
    all_sukarela = await SavingsMovement.raw(
        "SELECT SUM(signed_amount) AS total FROM savings_movement"
        " WHERE koperasi_id = {} AND kind = 'sukarela'",
        books.k,
    ).run()
    assert books_balance["2-1100"] == int(all_sukarela[0]["total"])
    assert books_balance["2-1600"] == 125_000  # Fitri's, to be paid out

    # Siti reads her own SHU and its explanation; the receipt is hers.
    async with app_client(books.settings, origin=ORIGIN) as client:
        as_person(client, await _client_as(books, Role.ANGGOTA, "A-0001"))
        mine = (await client.get("/api/v1/shu/mine")).json()
        assert [m["year"] for m in mine] == [YEAR]
        assert mine[0]["share"]["total"] == 141_668 and mine[0]["share"]["credited"]
        receipt = mine[0]["share"]["receipt"]
        assert receipt and receipt in mine[0]["explanation"][-1]
        number = int(receipt.split("-")[1])
        own = await client.get(f"/api/v1/savings/receipts/{number}")
        assert own.status_code == 200 and own.json()["amount"] == 141_668


async def test_an_unclosed_year_is_refused_and_writes_nothing(books: Books) -> None:
    with pytest.raises(AppError) as refused:
        await shu.compute(books.k, 2026)
    assert refused.value.code == "year_not_closed"
    before = await _counts()
    async with app_client(books.settings, origin=ORIGIN) as client:
        as_person(client, await _client_as(books, Role.PENGURUS))
        for method, path, body in [
            ("POST", "/api/v1/shu/2026/distribution", {"posted_on": "2026-02-10"}),
            ("GET", "/api/v1/shu/2026", None),
            ("GET", "/api/v1/shu/2026/members", None),
            ("GET", "/api/v1/shu/2026/rat-pack", None),
        ]:
            response = await client.request(method, path, json=body)
            assert response.status_code == 409, (path, response.text)
            assert response.json()["error"]["code"] == "year_not_closed"
        # The posting day must come after the year, in an open month, not in the future.
        for day, status, code in [
            ("2025-12-31", 422, "posted_on_invalid"),
            ("2025-06-01", 422, "posted_on_invalid"),
            ("2999-01-01", 422, "posted_on_future"),
        ]:
            response = await client.post(
                f"/api/v1/shu/{YEAR}/distribution", json={"posted_on": day}
            )
            assert response.status_code == status and response.json()["error"]["code"] == code
        await ledger.close_period(books.k, "2026-01")
        response = await client.post(
            f"/api/v1/shu/{YEAR}/distribution", json={"posted_on": "2026-01-20"}
        )
        assert response.status_code == 409 and response.json()["error"]["code"] == "period_closed"
    assert await _counts() == before


async def test_a_year_without_surplus_cannot_be_distributed(books: Books) -> None:
    k, region = await _koperasi("kopjas-wilwatikta")
    await ledger.post_entry(
        k,
        date(2025, 6, 1),
        "Beban tanpa pendapatan",
        [Line("5-2100", 750_000), Line("1-1100", 0, 750_000)],
    )
    await ledger.close_period(k, "2025-12")
    view = await shu.year_view(k, YEAR)
    assert view.summary.pool == -750_000 and view.member_count == 0
    before = await _counts()
    pengurus = await person(books.settings, Role.PENGURUS, k, region)
    async with app_client(books.settings, origin=ORIGIN) as client:
        as_person(client, pengurus)
        summary = (await client.get(f"/api/v1/shu/{YEAR}")).json()
        assert summary["pool"] == -750_000 and not summary["distributable"]
        response = await client.post(f"/api/v1/shu/{YEAR}/distribution", json={})
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "shu_not_positive"
    assert await _counts() == before


async def test_two_postings_at_once_make_one(books: Books) -> None:
    results = await asyncio.gather(
        shu.post(books.k, YEAR, POSTED_ON, today=POSTED_ON),
        shu.post(books.k, YEAR, POSTED_ON, today=POSTED_ON),
        return_exceptions=True,
    )
    made = [r for r in results if isinstance(r, shu.Posted)]
    refused = [r for r in results if isinstance(r, AppError)]
    assert len(made) == 1 and len(refused) == 1, results
    assert refused[0].code == "shu_already_posted"
    assert await JournalEntry.count().where(JournalEntry.source == "shu") == 1
    assert await ShuMemberShare.count().where(ShuMemberShare.koperasi == books.k) == len(
        books.members
    )


async def test_allocation_settings(books: Books) -> None:
    async with app_client(books.settings, origin=ORIGIN) as client:
        as_person(client, await _client_as(books, Role.PENGURUS))
        first = (await client.get(f"/api/v1/shu/{YEAR}/allocation")).json()
        assert first["saved"] is False and first["cadangan_bp"] == 4000
        wrong = await client.put(
            f"/api/v1/shu/{YEAR}/allocation", json=_allocation_body(cadangan_bp=3999)
        )
        assert wrong.status_code == 422 and wrong.json()["error"]["code"] == "allocation_not_full"
        no_kinds = await client.put(
            f"/api/v1/shu/{YEAR}/allocation",
            json=_allocation_body(count_pokok=False, count_wajib=False),
        )
        assert no_kinds.status_code == 422
        assert no_kinds.json()["error"]["code"] == "savings_kind_required"
        assert not await ShuAllocationRow.exists()
        # 35% cadangan, 5% daerah kerja, sukarela counted too.
        changed = _allocation_body(cadangan_bp=3500, daerah_kerja_bp=500, count_sukarela=True)
        saved = await client.put(f"/api/v1/shu/{YEAR}/allocation", json=changed)
        assert saved.status_code == 200 and saved.json()["saved"] is True
        summary = (await client.get(f"/api/v1/shu/{YEAR}")).json()
        amounts = {c["component"]: c["amount"] for c in summary["components"]}
        assert amounts["cadangan"] == 350_001 and amounts["daerah_kerja"] == 50_000
        assert summary["modal_total_base"] == 800_000 + 500_000  # Siti's sukarela counts
        event = (
            await AuditEvent.select(AuditEvent.detail)
            .where(AuditEvent.action == "shu_allocation_changed")
            .first()
        )
        assert event is not None and "daerah_kerja_bp" in event["detail"]
    # Nobody but the pengurus changes it.
    for role, member in ((Role.KASIR, None), (Role.ANGGOTA, "A-0001")):
        async with app_client(books.settings, origin=ORIGIN) as client:
            as_person(client, await _client_as(books, role, member))
            response = await client.put(f"/api/v1/shu/{YEAR}/allocation", json=_allocation_body())
            assert response.status_code == 403
            assert (await client.get(f"/api/v1/shu/{YEAR}")).status_code == 403


async def _pack(client: httpx.AsyncClient, fmt: str, **params: str) -> httpx.Response:
    response = await client.get(f"/api/v1/shu/{YEAR}/rat-pack", params={"format": fmt, **params})
    assert response.status_code == 200, response.text
    return response


async def test_the_rat_pack_carries_the_figures(books: Books) -> None:
    await shu.post(books.k, YEAR, POSTED_ON, today=POSTED_ON)
    sheet = await neraca(books.k, date(2025, 12, 31), date(2024, 12, 31))
    async with app_client(books.settings, origin=ORIGIN) as client:
        as_person(client, await _client_as(books, Role.PENGURUS))
        pdf = await _pack(client, "pdf")
        assert pdf.headers["content-type"] == "application/pdf"
        assert 'filename="paket-rat-2025-kopwan-srikandi.pdf"' in pdf.headers["content-disposition"]
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
        for needle in [
            "Paket Rapat Anggota Tahunan (RAT)",
            "Koperasi Wanita Srikandi",
            "Tahun buku 2025",
            "Neraca",
            "Perhitungan Hasil Usaha",
            "Pembagian SHU",
            "SHU per anggota",
            "Rp 1.000.003",  # the SHU
            "Rp 400.001",  # the cadangan
            "Rp 141.668",  # Siti's share
            "Rp 400.002",  # the members' total
            "A-0003",
            "SHU dibukukan pada 10 Februari 2026",
            "Rp " + f"{sheet.aset.totals[0]:,}".replace(",", "."),  # total assets at year end
        ]:
            assert needle in text, needle

        xlsx = await _pack(client, "xlsx")
        workbook = load_workbook(io.BytesIO(xlsx.content))
        assert workbook.sheetnames == [
            "Sampul",
            "Neraca",
            "Perhitungan Hasil Usaha",
            "Pembagian SHU",
            "SHU per anggota",
        ]
        members = workbook["SHU per anggota"]
        rows = {r[0]: r[1:] for r in members.iter_rows(min_row=6, values_only=True) if r[0]}
        assert rows["A-0001"][1:] == (75_001, 66_667, 141_668)
        assert rows["A-0004"][1:] == (0, 0, 0)
        totals = [r for r in members.iter_rows(min_row=6, values_only=True) if not r[0]][-1]
        assert totals[2:] == (200_001, 200_001, 400_002)
        allocation = {
            r[1]: r[2] for r in workbook["Pembagian SHU"].iter_rows(min_row=6, values_only=True)
        }
        assert allocation["SHU tahun 2025"] == POOL
        assert allocation["Cadangan (40%)"] == 400_001
        assert allocation["Jumlah bagian anggota"] == 400_002
        phu_sheet = {
            r[1]: r[2:]
            for r in workbook["Perhitungan Hasil Usaha"].iter_rows(min_row=6, values_only=True)
        }
        assert phu_sheet["Sisa hasil usaha (SHU)"][0] == POOL
        neraca_sheet = {
            r[1]: r[2:] for r in workbook["Neraca"].iter_rows(min_row=6, values_only=True)
        }
        assert neraca_sheet["Jumlah aset"] == (sheet.aset.totals[0], sheet.aset.totals[1])
        assert neraca_sheet["Jumlah aset"] == neraca_sheet["Jumlah kewajiban dan ekuitas"]

    # A Dinas officer of the region reads the pack and the summary, not the member list.
    dinas = await person(books.settings, Role.DINAS, None, books.region)
    async with app_client(books.settings, origin=ORIGIN) as client:
        as_person(client, dinas)
        pdf = await _pack(client, "pdf", koperasi="kopwan-srikandi")
        assert pdf.content.startswith(b"%PDF")
        summary = await client.get(f"/api/v1/shu/{YEAR}", params={"koperasi": "kopwan-srikandi"})
        assert summary.status_code == 200 and summary.json()["status"] == "posted"
        assert (await client.get(f"/api/v1/shu/{YEAR}/members")).status_code == 403
        posting = await client.post(f"/api/v1/shu/{YEAR}/distribution", json={})
        assert posting.status_code == 403


async def test_a_preview_pack_says_it_is_a_draft(books: Books) -> None:
    async with app_client(books.settings, origin=ORIGIN) as client:
        as_person(client, await _client_as(books, Role.PENGURUS))
        pdf = await _pack(client, "pdf")
        text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
        assert "SHU belum dibukukan" in text and "Rp 141.668" in text
        assert await ShuDistribution.count() == 0


async def test_jasa_usaha_by_loan_interest(demo: Settings) -> None:
    """A savings-and-loan koperasi shares jasa usaha by the loan interest members paid in
    the year (from the loans context): payments of 2026 do not count for 2025."""
    k, _region = await _koperasi("ksp-artha-mandiri")
    for number in ("A-0001", "A-0002", "A-0003"):
        await savings.record(k, number, POKOK, SETOR, 100_000, date(2025, 1, 5))
    product = await loans.create_product(
        k,
        ProductTerms(
            name="Pinjaman uji SHU",
            method=Method.FLAT,
            monthly_rate_bp=100,
            min_term_months=1,
            max_term_months=12,
            provisi_bp=0,
            admin_fee=0,
            penalty_bp_per_day=0,
            min_amount=100_000,
            max_amount=10_000_000,
            savings_multiple_bp=0,
        ),
    )
    loaned: dict[str, int] = {}
    for number, principal, term in (("A-0001", 1_200_000, 12), ("A-0002", 600_000, 6)):
        applied = await loans.apply(k, number, product.id, principal, term, date(2025, 1, 10))
        await loans.approve(k, applied.number, date(2025, 1, 11))
        await loans.disburse(k, applied.number, date(2025, 1, 15))
        loaned[number] = applied.number
    for month in (2, 3, 4):
        await loans.pay(k, loaned["A-0001"], 112_000, date(2025, month, 15))
    for month in (2, 3):
        await loans.pay(k, loaned["A-0002"], 106_000, date(2025, month, 15))
    await _make_surplus(k, YEAR, 2_000_000)
    await ledger.close_period(k, "2025-12")
    await loans.pay(k, loaned["A-0001"], 112_000, date(2026, 1, 15))  # 2026: not counted

    paid = await loans.interest_paid_by_member(k, date(2025, 1, 1), date(2025, 12, 31))
    members = {
        row["member_number"]: int(row["id"])
        for row in await Member.select(Member.id, Member.member_number).where(Member.koperasi == k)
    }
    assert set(paid) == {members["A-0001"], members["A-0002"]} and all(paid.values())

    settings = await shu.allocation(k, YEAR)
    assert settings.allocation.usaha_basis.value == "bunga"  # a KSP's default
    view, rows = await shu.shares(k, YEAR)
    by_number = {r.share.member_number: r.share for r in rows}
    interest = [paid[members["A-0001"]], paid[members["A-0002"]]]
    assert [by_number[n].usaha_base for n in ("A-0001", "A-0002")] == interest
    assert by_number["A-0003"].usaha_base == 0 and by_number["A-0003"].jasa_usaha == 0
    assert view.summary.usaha_total_base == sum(interest)
    pool = view.summary.part(Component.JASA_USAHA).amount
    assert pool == 400_000  # 20% of Rp 2.000.000
    expected = apportion(pool, interest)
    assert [by_number[n].jasa_usaha for n in ("A-0001", "A-0002")] == expected
    assert sum(r.share.jasa_usaha for r in rows) == pool
    # Jasa modal by the three members' equal pokok.
    assert {by_number[n].jasa_modal for n in ("A-0001", "A-0002", "A-0003")} == {133_333, 133_334}
