"""Isolation case of /toko/integrasi: K2's late sale, API key and till are never shown to
anyone of K1; only K1's pengurus reach the page at all."""

from __future__ import annotations

import httpx

from backend.accounts.domain import Role
from tests.integration.isolation_cases.pos import foreign_till
from tests.support.isolation import Case, World


async def integration_page(client: httpx.AsyncClient, world: World, role: Role) -> None:
    await foreign_till(world)
    response = await client.get("/toko/integrasi")
    assert response.status_code == (200 if role is Role.PENGURUS else 403), role
    for secret in ("Rahasia", "kor_rahasia", "K01-1", "Rp 777"):
        assert secret not in response.text, secret


CASES: dict[tuple[str, str], Case] = {
    ("GET", "/toko/integrasi"): integration_page,
}
