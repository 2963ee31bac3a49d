"""A member's savings history, receipts and the wajib arrears list, on both engines: keyset
pages with each movement's balance after it (a window sum), who may read which receipt,
and the arrears list (one SQL aggregate) against the pure rule."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from backend.accounts.domain import Role
from backend.errors import AppError
from backend.members.tables import Member
from backend.savings import service as savings
from backend.savings.domain import Movement, SavingsKind, months_behind, wajib_arrears
from backend.settings import Settings
from backend.tenancy.tables import Koperasi
from tests.support.client import app_client
from tests.support.sessions import as_person, person

SETOR, TARIK = Movement.SETOR, Movement.TARIK
POKOK, WAJIB, SUKARELA = SavingsKind.POKOK, SavingsKind.WAJIB, SavingsKind.SUKARELA
ORIGIN = "http://localhost:8000"


async def koperasi(slug: str = "kopwan-srikandi") -> tuple[int, int]:
    row = (
        await Koperasi.select(Koperasi.id, Koperasi.region.as_alias("region_id"))
        .where(Koperasi.slug == slug)
        .first()
    )
    assert row is not None
    return int(row["id"]), int(row["region_id"])


async def member_id(k: int, number: str) -> int:
    row = (
        await Member.select(Member.id)
        .where((Member.koperasi == k) & (Member.member_number == number))
        .first()
    )
    assert row is not None
    return int(row["id"])


async def test_history_pages_newest_first_with_the_balance_after_each(demo: Settings) -> None:
    k, _ = await koperasi()
    # A random-looking but fixed walk over the three kinds, interleaved with another member.
    expected: list[tuple[int, SavingsKind, Movement, int, int]] = []
    balances = dict.fromkeys(SavingsKind, 0)
    steps = [
        (POKOK, SETOR, 100_000),
        (WAJIB, SETOR, 25_000),
        (SUKARELA, SETOR, 300_000),
        (SUKARELA, TARIK, 120_000),
        (WAJIB, SETOR, 50_000),
        (SUKARELA, SETOR, 7_500),
        (WAJIB, SETOR, 25_000),
        (SUKARELA, TARIK, 187_500),
        (SUKARELA, SETOR, 1_000),
        (WAJIB, SETOR, 25_000),
        (SUKARELA, SETOR, 2_000),
    ]
    for day, (kind, movement, amount) in enumerate(steps, start=1):
        made = await savings.record(k, "A-0001", kind, movement, amount, date(2026, 2, day))
        await savings.record(k, "A-0002", SUKARELA, SETOR, 1_000 * day, date(2026, 2, day))
        balances[kind] += amount if movement is SETOR else -amount
        assert made.balance_after == balances[kind]
        expected.append((made.receipt_number, kind, movement, amount, balances[kind]))

    newest_first = list(reversed(expected))
    seen: list[tuple[int, SavingsKind, Movement, int, int]] = []
    before: int | None = None
    pages = 0
    while True:
        page = await savings.history(k, "A-0001", before=before, limit=4)
        pages += 1
        seen += [
            (i.receipt_number, i.kind, i.movement, i.amount, i.balance_after) for i in page.items
        ]
        assert all(i.receipt == f"S-{i.receipt_number:06d}" for i in page.items)
        if page.next_before is None:
            break
        assert page.next_before == page.items[-1].receipt_number
        before = page.next_before
    assert seen == newest_first and pages == 3

    # One kind only, and a page that ends exactly at the last item has no next page.
    wajib = await savings.history(k, "A-0001", kind=WAJIB, limit=4)
    assert [i.balance_after for i in wajib.items] == [125_000, 100_000, 75_000, 25_000]
    assert wajib.next_before is None and {i.kind for i in wajib.items} == {WAJIB}
    first = await savings.history(k, "A-0001", kind=SUKARELA, limit=2)
    rest = await savings.history(k, "A-0001", kind=SUKARELA, before=first.next_before, limit=100)
    assert [i.balance_after for i in first.items + rest.items] == [
        3_000,
        1_000,
        0,
        187_500,
        180_000,
        300_000,
    ]
    assert (await savings.history(k, "A-0003")).items == []
    with pytest.raises(AppError) as error:
        await savings.history(k, "Z-9999")
    assert error.value.code == "member_not_found"


async def test_history_and_receipts_over_http(demo: Settings) -> None:
    settings = replace(demo, auth_attempts_per_minute=1000)
    k, region = await koperasi()
    other_k, other_region = await koperasi("ksp-artha-mandiri")
    siti = await member_id(k, "A-0001")
    ours = await savings.record(k, "A-0001", SUKARELA, SETOR, 250_000, date(2026, 3, 2))
    theirs = await savings.record(k, "A-0002", SUKARELA, SETOR, 10_000, date(2026, 3, 2))
    foreign = await savings.record(other_k, "A-0002", SUKARELA, SETOR, 5_000, date(2026, 3, 2))
    foreign2 = await savings.record(other_k, "A-0002", SUKARELA, SETOR, 6_000, date(2026, 3, 3))
    assert foreign2.receipt_number == 2 and ours.receipt_number == 1
    kasir = await person(settings, Role.KASIR, k, region, name="Kasir Loket")
    anggota = await person(settings, Role.ANGGOTA, k, region, member=siti)
    dinas = await person(settings, Role.DINAS, None, region)
    foreign_kasir = await person(settings, Role.KASIR, other_k, other_region, name="Kasir Lain")
    async with app_client(settings, origin=ORIGIN) as client:
        as_person(client, kasir)
        made = await client.post(
            "/api/v1/savings/movements",
            json={
                "member_number": "A-0001",
                "kind": "wajib",
                "movement": "setor",
                "amount": 25_000,
            },
        )
        assert made.status_code == 201, made.text
        number = made.json()["receipt_number"]
        assert made.json()["receipt"] == f"S-{number:06d}"
        receipt = (await client.get(f"/api/v1/savings/receipts/{number}")).json()
        name = await Member.select(Member.full_name).where(Member.id == siti).first()
        assert name is not None
        assert receipt["member_name"] == name["full_name"] and receipt["amount"] == 25_000
        assert receipt["koperasi_name"] == "Koperasi Wanita Srikandi"
        assert receipt["recorded_by"] == "Kasir Loket" and receipt["time"].endswith(" WIB")
        assert receipt["movement_label"] == "Setoran" and receipt["kind_label"] == "Simpanan wajib"
        assert receipt["balance_after"] == 25_000 and receipt["entry_number"] >= 1
        page = (await client.get("/api/v1/savings/members/A-0001/history?limit=1")).json()
        assert [i["receipt_number"] for i in page["items"]] == [number]
        assert page["items"][0]["kind_label"] == "Simpanan wajib"
        assert page["next_before"] == number
        older = await client.get(f"/api/v1/savings/members/A-0001/history?before={number}")
        assert [i["receipt_number"] for i in older.json()["items"]] == [ours.receipt_number]
        assert older.json()["next_before"] is None
        kinds = await client.get("/api/v1/savings/members/A-0001/history?kind=sukarela")
        assert [i["kind"] for i in kinds.json()["items"]] == ["sukarela"]
        assert (
            await client.get("/api/v1/savings/members/A-0001/history?limit=101")
        ).status_code == 400
        assert (
            await client.get("/api/v1/savings/members/A-0001/history?kind=x")
        ).status_code == 400
        assert (await client.get("/api/v1/savings/mine/history")).status_code == 403
        # English readers get English labels.
        client.cookies.set("koroena_lang", "en", domain="testserver.local")
        english = (await client.get(f"/api/v1/savings/receipts/{number}")).json()
        assert english["kind_label"] == "Mandatory savings"
        assert english["movement_label"] == "Deposit"
        client.cookies.delete("koroena_lang", domain="testserver.local")

        # The member sees their own receipts and history, nobody else's.
        as_person(client, anggota)
        mine = (await client.get("/api/v1/savings/mine/history")).json()
        assert [i["receipt_number"] for i in mine["items"]] == [number, ours.receipt_number]
        assert (await client.get(f"/api/v1/savings/receipts/{number}")).status_code == 200
        refused = await client.get(f"/api/v1/savings/receipts/{theirs.receipt_number}")
        assert refused.status_code == 404 and "A-0002" not in refused.text
        assert (
            await client.get(f"/api/v1/savings/receipts/{foreign2.receipt_number}")
        ).status_code == 404
        assert (await client.get("/api/v1/savings/members/A-0001/history")).status_code == 403

        # Dinas reads no receipts; another koperasi's kasir none of ours.
        as_person(client, dinas)
        assert (await client.get(f"/api/v1/savings/receipts/{number}")).status_code == 403
        as_person(client, foreign_kasir)
        other = await client.get(f"/api/v1/savings/receipts/{foreign2.receipt_number}")
        assert other.status_code == 200 and other.json()["amount"] == 6_000
        assert (await client.get(f"/api/v1/savings/receipts/{number}")).status_code == 404
        assert foreign.receipt_number == 1
        first = (await client.get("/api/v1/savings/receipts/1")).json()
        assert first["koperasi_name"] == "KSP Artha Mandiri" and first["amount"] == 5_000


async def test_arrears_list_agrees_with_the_pure_rule(demo: Settings) -> None:
    k, _ = await koperasi()
    today = date(2026, 6, 15)
    # Members joined in 2015–2023; give some of them wajib payments, one paid ahead.
    members = {
        r["member_number"]: r
        for r in await Member.select(
            Member.id, Member.member_number, Member.full_name, Member.joined_on, Member.status
        ).where(Member.koperasi == k)
    }
    await savings.record(k, "A-0001", WAJIB, SETOR, 75_000, date(2026, 1, 10))
    await savings.record(k, "A-0001", WAJIB, SETOR, 50_000, date(2026, 5, 2))
    await savings.record(k, "A-0002", WAJIB, SETOR, 10_000_000, date(2026, 4, 1))  # far ahead
    await savings.record(k, "A-0003", SUKARELA, SETOR, 90_000, date(2026, 4, 1))  # not wajib
    # A member who joins later this month owes nothing yet; one next month neither.
    late = await Member.insert(
        Member(
            koperasi=k,
            member_number="A-0100",
            full_name="Anggota Baru",
            nik="3576014101900100",
            joined_on=date(2026, 6, 20),
        ),
        Member(
            koperasi=k,
            member_number="A-0101",
            full_name="Anggota Bulan Depan",
            nik="3576014101900101",
            joined_on=date(2026, 7, 1),
        ),
        Member(
            koperasi=k,
            member_number="A-0102",
            full_name="Anggota Awal Bulan",
            nik="3576014101900102",
            joined_on=date(2026, 6, 1),
        ),
    ).returning(Member.id)
    assert len(late) == 3
    for number, joined in (
        ("A-0100", date(2026, 6, 20)),
        ("A-0101", date(2026, 7, 1)),
        ("A-0102", date(2026, 6, 1)),
    ):
        members[number] = {"member_number": number, "joined_on": joined, "status": "aktif"}
    paid = {"A-0001": 125_000, "A-0002": 10_000_000}
    last = {"A-0001": date(2026, 5, 2), "A-0002": date(2026, 4, 1)}
    expected = sorted(
        (
            (
                -wajib_arrears(m["joined_on"], today, paid.get(n, 0), 25_000),
                n,
                months_behind(wajib_arrears(m["joined_on"], today, paid.get(n, 0), 25_000), 25_000),
                last.get(n),
            )
            for n, m in members.items()
            if m["status"] == "aktif"
            and wajib_arrears(m["joined_on"], today, paid.get(n, 0), 25_000) > 0
        ),
    )
    rows = await savings.arrears(k, today)
    assert [(-r.amount_owed, r.member_number, r.months_behind, r.last_payment) for r in rows] == (
        expected
    )
    assert "A-0002" not in {r.member_number for r in rows}  # paid ahead
    assert "A-0100" not in {r.member_number for r in rows}  # joins after today
    assert "A-0101" not in {r.member_number for r in rows}
    assert next(r for r in rows if r.member_number == "A-0102").months_behind == 1
    assert all(r.member_name for r in rows)
    # Paging, and the single member's view says the same.
    assert await savings.arrears(k, today, limit=2, offset=1) == rows[1:3]
    siti = await savings.member_savings(k, "A-0001", today)
    row = next(r for r in rows if r.member_number == "A-0001")
    assert (siti.wajib_arrears, siti.wajib_months_behind) == (row.amount_owed, row.months_behind)
