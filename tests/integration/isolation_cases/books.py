"""Isolation cases of the chart, journal, cash flow and export routes."""

from __future__ import annotations

import httpx

from backend.accounts.domain import Role
from backend.ledger.tables import LedgerAccount
from tests.support.isolation import Case, World, read_books, refused


async def foreign_account_untouched(world: World) -> None:
    row = (
        await LedgerAccount.select(LedgerAccount.name)
        .where((LedgerAccount.koperasi == world.k2) & (LedgerAccount.code == "9-0001"))
        .first()
    )
    assert row is not None and row["name"] == "Rahasia"


async def add_account(client: httpx.AsyncClient, world: World, role: Role) -> None:
    response = await client.post(
        "/api/v1/books/accounts",
        json={"code": "1-1199", "name": "Akun baru", "type": "aset", "koperasi": "x"},
    )
    assert response.status_code == 400, response.text  # no choosing another koperasi's books
    response = await client.post(
        "/api/v1/books/accounts", json={"code": "1-1199", "name": "Akun baru", "type": "aset"}
    )
    if role is Role.PENGURUS:
        assert response.status_code == 201  # in their own books only
        await LedgerAccount.delete().where(LedgerAccount.code == "1-1199")  # test cleanup
    else:
        refused(response)
    assert not await LedgerAccount.exists().where(
        (LedgerAccount.koperasi != world.k1) & (LedgerAccount.code == "1-1199")
    )


async def change_account(client: httpx.AsyncClient, world: World, role: Role) -> None:
    refused(await client.patch("/api/v1/books/accounts/9-0001", json={"name": "Diretas"}))
    await foreign_account_untouched(world)


async def delete_account(client: httpx.AsyncClient, world: World, role: Role) -> None:
    refused(await client.delete("/api/v1/books/accounts/9-0001"))
    await foreign_account_untouched(world)


async def one_entry(client: httpx.AsyncClient, world: World, role: Role) -> None:
    # Entry #1 exists only in other koperasi's books.
    response = await client.get("/api/v1/books/entries/1")
    refused(response)
    assert "Jurnal koperasi lain" not in response.text
    await read_books("/api/v1/books/entries/1")(client, world, role)


CASES: dict[tuple[str, str], Case] = {
    ("POST", "/api/v1/books/accounts"): add_account,
    ("PATCH", "/api/v1/books/accounts/{code:str}"): change_account,
    ("DELETE", "/api/v1/books/accounts/{code:str}"): delete_account,
    ("GET", "/api/v1/books/entries"): read_books("/api/v1/books/entries"),
    ("GET", "/api/v1/books/entries/{number:int}"): one_entry,
    ("GET", "/api/v1/books/periods"): read_books("/api/v1/books/periods"),
    ("GET", "/api/v1/books/cash-flow"): read_books("/api/v1/books/cash-flow"),
    ("GET", "/api/v1/books/exports/cash-flow"): read_books("/api/v1/books/exports/cash-flow"),
    ("GET", "/api/v1/books/exports/equity-changes"): read_books(
        "/api/v1/books/exports/equity-changes"
    ),
    ("GET", "/api/v1/books/exports/trial-balance"): read_books(
        "/api/v1/books/exports/trial-balance"
    ),
    ("GET", "/api/v1/books/exports/ledger/{code:str}"): read_books(
        "/api/v1/books/exports/ledger/9-0001"
    ),
}
