"""Isolation cases of the point of sale: another koperasi's tills, shifts and sales are
out of reach; only kasir and pengurus use a till at all."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import httpx

from backend.accounts.domain import Role
from backend.ledger.tables import JournalEntry
from backend.pos.tables import ApiToken, PosDevice, Sale, Shift
from backend.tenancy.tables import Outlet
from tests.support.isolation import Case, World, refused

FOREIGN_SHIFT = "99999999-0000-0000-0000-000000000001"


async def foreign_till(world: World) -> int:
    """A till, a shift and a late sale of K2 (which has outlet K01)."""
    existing = await PosDevice.select(PosDevice.id).where(PosDevice.koperasi == world.k2).first()
    if existing:
        return int(existing["id"])
    outlet = await Outlet.select(Outlet.id).where(Outlet.koperasi == world.k2).first()
    entry = (
        await JournalEntry.select(JournalEntry.id).where(JournalEntry.koperasi == world.k2).first()
    )
    assert outlet is not None and entry is not None
    device = await PosDevice.insert(
        PosDevice(koperasi=world.k2, outlet=outlet["id"], code="K01-1", name="Rahasia")
    ).returning(PosDevice.id)
    now = datetime.now(UTC)
    shift = await Shift.insert(
        Shift(
            koperasi=world.k2,
            device=device[0]["id"],
            client_id=FOREIGN_SHIFT,
            opened_at=now,
            opening_cash=777,
            payload_hash="x",
        )
    ).returning(Shift.id)
    await Sale.insert(
        Sale(
            koperasi=world.k2,
            outlet=outlet["id"],
            device=device[0]["id"],
            shift=shift[0]["id"],
            client_id=str(uuid.uuid4()),
            receipt_number="K01-1-000001",
            device_seq=1,
            sold_at=now,
            subtotal=777,
            total=777,
            payment_method="tunai",
            payload_hash="x",
            entry=entry["id"],
            late=True,
        )
    )
    await ApiToken.insert(
        ApiToken(
            koperasi=world.k2,
            device=device[0]["id"],
            name="Aplikasi Rahasia",
            prefix="kor_rahasia",
            token_hash="0" * 64,
        )
    )
    return int(device[0]["id"])


async def foreign_token(world: World) -> int:
    await foreign_till(world)
    row = await ApiToken.select(ApiToken.id).where(ApiToken.koperasi == world.k2).first()
    assert row is not None
    return int(row["id"])


def staff(role: Role) -> bool:
    return role in (Role.KASIR, Role.PENGURUS)


async def list_tokens(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await foreign_token(world)
    response = await client.get("/api/v1/pos/tokens")
    if role is Role.PENGURUS:
        assert response.status_code == 200 and response.json() == []
    else:
        refused(response)
    assert "Rahasia" not in response.text


async def create_token(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await foreign_token(world)
    refused(await client.post("/api/v1/pos/tokens", json={"name": "x", "outlet_code": "K01"}))
    assert await ApiToken.count() == 1


async def revoke_token(client: httpx.AsyncClient, world: World, role: Role) -> None:
    token_id = await foreign_token(world)
    refused(await client.delete(f"/api/v1/pos/tokens/{token_id}"))
    assert await ApiToken.exists().where((ApiToken.id == token_id) & ApiToken.revoked_at.is_null())


async def upload_csv(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await foreign_till(world)
    csv = b"id_transaksi,waktu,sku,jumlah,harga\nT-1,2026-01-05 10:00,X,1,1000\n"
    response = await client.post(
        "/api/v1/pos/imports/sales-csv",
        files={"file": ("a.csv", csv, "text/csv")},
        data={"outlet_code": "K01", "commit": "true"},
    )
    refused(response)
    assert await Sale.count().where(Sale.koperasi == world.k2) == 1


async def sync(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await foreign_till(world)
    item = {
        "id": str(uuid.uuid4()),
        "kind": "shift_open",
        "payload": {"opening_cash": 1, "opened_at": "2026-01-01T00:00:00+07:00"},
    }
    refused(await client.post("/api/v1/sync", json={"device": "K01-1", "items": [item]}))
    assert await Shift.count().where(Shift.koperasi == world.k2) == 1


async def register_device(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await foreign_till(world)
    refused(await client.post("/api/v1/pos/devices", json={"outlet_code": "K01", "name": "x"}))
    assert await PosDevice.count().where(PosDevice.koperasi == world.k2) == 1


async def shift_report(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await foreign_till(world)
    response = await client.get(f"/api/v1/pos/shifts/{FOREIGN_SHIFT}")
    refused(response)
    assert "777" not in response.text


async def late_sales(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await foreign_till(world)
    response = await client.get("/api/v1/pos/late-sales")
    if role in (Role.KASIR, Role.PENGURUS):
        assert response.status_code == 200 and response.json() == []
    else:
        refused(response)


CASES: dict[tuple[str, str], Case] = {
    ("POST", "/api/v1/sync"): sync,
    ("POST", "/api/v1/pos/devices"): register_device,
    ("GET", "/api/v1/pos/shifts/{shift_id:str}"): shift_report,
    ("GET", "/api/v1/pos/late-sales"): late_sales,
    ("GET", "/api/v1/pos/tokens"): list_tokens,
    ("POST", "/api/v1/pos/tokens"): create_token,
    ("DELETE", "/api/v1/pos/tokens/{token_id:int}"): revoke_token,
    ("POST", "/api/v1/pos/imports/sales-csv"): upload_csv,
}
