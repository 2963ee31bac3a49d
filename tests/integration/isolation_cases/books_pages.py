"""Isolation cases of the books pages (/pembukuan, /pembukuan/jurnal, /pembukuan/akun):
another koperasi's books are refused (another region's always; for anyone but a Dinas
officer of region A also K2's), K2's account "9-0001 Rahasia" and its entry never show in
K1's pages, and kasir and anggota get no books at all."""

from __future__ import annotations

import httpx

from backend.accounts.domain import Role
from tests.support.isolation import Case, World, foreign_books, refused

SECRETS = ("Rahasia", "Jurnal koperasi lain", "Rp 777")
K1 = "kopwan-srikandi"


def _clean(response: httpx.Response, *more: str) -> None:
    for secret in (*SECRETS, *more):
        assert secret not in response.text, secret


def books_page(path: str, **extra: str) -> Case:
    # The account's code is in the request (and so in the page's language link) when asked
    # for; otherwise it must not show at all.
    more = () if "9-0001" in extra.values() else ("9-0001",)

    async def case(client: httpx.AsyncClient, world: World, role: Role) -> None:
        for slug in foreign_books(role):
            response = await client.get(path, params={**extra, "koperasi": slug})
            refused(response)
            _clean(response, *more)
            assert "KUD Contoh" not in response.text
        own = await client.get(path, params=extra)
        if role in (Role.KASIR, Role.ANGGOTA):
            assert own.status_code == 403, own.status_code
        else:
            assert own.status_code == 200, own.status_code
        _clean(own, *more)
        assert "KUD Contoh" not in own.text  # not even the name of another region's koperasi
        if role is Role.DINAS:
            chosen = await client.get(path, params={**extra, "koperasi": K1})
            assert chosen.status_code == 200
            _clean(chosen, *more)

    return case


CASES: dict[tuple[str, str], Case] = {
    # The general ledger of the account only K2 has: not found in K1's chart.
    ("GET", "/pembukuan"): books_page(
        "/pembukuan", laporan="buku-besar", akun="9-0001", periode="tahun", tahun="2026"
    ),
    ("GET", "/pembukuan/jurnal"): books_page("/pembukuan/jurnal"),
    ("GET", "/pembukuan/akun"): books_page("/pembukuan/akun"),
}
