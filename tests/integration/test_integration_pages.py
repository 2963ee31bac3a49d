"""/toko/integrasi on both engines: a pengurus sees the late sales (receipt, device, WIB
times, total in rupiah, way of payment, member), the API keys (never the key itself) and
the CSV upload form; kasir, anggota and Dinas officers get the refusal page; anonymous
visitors the sign-in page. The /toko page links to it for pengurus."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from backend.accounts.domain import Role
from backend.ledger.domain import Line
from backend.ledger.service import post_entry
from backend.members.tables import Member
from backend.pos import ingest
from backend.pos.tables import PosDevice, Sale, Shift
from backend.settings import Settings
from backend.tenancy.tables import Outlet
from tests.integration.test_catalog import koperasi, signed_in
from tests.support.client import app_client
from tests.support.sessions import as_person, person

SLUG = "kopwan-srikandi"


async def late_sale(k: int) -> str:
    """A sale of `k` that arrived after its shift was closed; its member's number."""
    outlet = await Outlet.select(Outlet.id).where(Outlet.koperasi == k).first()
    entry = await post_entry(
        k,
        date(2026, 11, 27),
        "Penjualan",
        [Line("1-1100", 1_500_000), Line("4-1200", 0, 1_500_000)],
    )
    member = (
        await Member.select(Member.id, Member.member_number).where(Member.koperasi == k).first()
    )
    assert outlet is not None and member is not None
    device = await PosDevice.insert(
        PosDevice(koperasi=k, outlet=outlet["id"], code="T01-9", name="HP Lama")
    ).returning(PosDevice.id)
    sold = datetime(2026, 11, 27, 3, 5, tzinfo=UTC)  # 10.05 WIB
    shift = await Shift.insert(
        Shift(
            koperasi=k,
            device=device[0]["id"],
            client_id=str(uuid.uuid4()),
            opened_at=sold,
            closed_at=sold,
            opening_cash=0,
            payload_hash="x",
        )
    ).returning(Shift.id)
    await Sale.insert(
        Sale(
            koperasi=k,
            outlet=outlet["id"],
            device=device[0]["id"],
            shift=shift[0]["id"],
            client_id=str(uuid.uuid4()),
            receipt_number="T01-9-000042",
            device_seq=42,
            sold_at=sold,
            received_at=datetime(2026, 11, 28, 1, 30, tzinfo=UTC),
            member=member["id"],
            subtotal=1_500_000,
            total=1_500_000,
            payment_method="qris",
            payload_hash="x",
            entry=entry.id,
            late=True,
        )
    )
    return str(member["member_number"])


async def test_pengurus_sees_late_sales_keys_and_the_upload(demo: Settings) -> None:
    k, _ = await koperasi(SLUG)
    number = await late_sale(k)
    async with app_client(demo) as client:
        anonymous = await client.get("/toko/integrasi")
        assert anonymous.status_code == 303
        assert anonymous.headers["location"] == "/masuk?next=/toko/integrasi"
        await signed_in(client, demo, Role.PENGURUS, SLUG)
        made = await ingest.create_token(k, "Kasir Lama", "T01", 1)
        page = await client.get("/toko/integrasi")
        assert page.status_code == 200
        assert page.headers["cache-control"] == "no-store"
        html = page.text
        for part in (
            "<h1>Integrasi toko</h1>",
            "Penjualan terlambat",
            "<caption>Penjualan terlambat: 1</caption>",
            "T01-9-000042",
            "T01-9",
            "27 November 2026 10.05 WIB",
            "28 November 2026 08.30 WIB",
            "Rp 1.500.000",
            "QRIS",
            number,
            "Kunci API aplikasi lain",
            "Kasir Lama",
            made.info.prefix,
            "T01-X1",
            "Cabut kunci Kasir Lama",
            'id="token-form"',
            "Authorization: Bearer &lt;kunci&gt;",
            "/api/v1/ingest/sales",
            "Unggah CSV penjualan",
            'id="sales-csv-form"',
            "nomor_anggota",
            '<meta name="csrf-token"',
            "/static/integration.js",
        ):
            assert part in html, part
        assert made.token not in html  # shown once, when it was made, never again
        await ingest.revoke_token(k, made.info.id)
        revoked = (await client.get("/toko/integrasi")).text
        assert "Dicabut" in revoked and "Cabut kunci Kasir Lama" not in revoked
        shop = (await client.get("/toko")).text
        assert 'href="/toko/integrasi"' in shop
        client.cookies.set("koroena_lang", "en", domain="testserver.local")
        english = await client.get("/toko/integrasi")
        assert english.status_code == 200 and 'lang="en"' in english.text
        assert "Late sales" in english.text


async def test_an_empty_koperasi_has_nothing_late(demo: Settings) -> None:
    async with app_client(demo) as client:
        await signed_in(client, demo, Role.PENGURUS, SLUG)
        html = (await client.get("/toko/integrasi")).text
        assert "Tidak ada penjualan terlambat." in html and "Belum ada kunci API." in html


async def test_others_are_refused(demo: Settings) -> None:
    k, region = await koperasi(SLUG)
    await late_sale(k)
    row = await Member.select(Member.id).where(Member.koperasi == k).first()
    assert row is not None
    for role in (Role.KASIR, Role.ANGGOTA, Role.DINAS):
        async with app_client(demo) as client:
            as_person(
                client,
                await person(
                    demo,
                    role,
                    None if role is Role.DINAS else k,
                    region,
                    member=row["id"] if role is Role.ANGGOTA else None,
                    name=f"{role.value} integrasi",
                ),
            )
            page = await client.get("/toko/integrasi")
            assert page.status_code == 403, role
            assert "Tidak diizinkan" in page.text
            assert "T01-9-000042" not in page.text and "token-form" not in page.text
        if role is Role.KASIR:
            async with app_client(demo) as client:
                as_person(client, await person(demo, role, k, region, name="kasir toko"))
                assert 'href="/toko/integrasi"' not in (await client.get("/toko")).text
