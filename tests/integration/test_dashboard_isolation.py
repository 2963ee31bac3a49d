"""The dashboard's isolation cases (tests/integration/isolation_cases/dashboard.py) for every
role on their own, and the other side of the matrix: region B's officer sees only region B."""

from __future__ import annotations

import pytest

from backend.accounts.domain import Role
from backend.settings import Settings
from tests.integration.isolation_cases.dashboard import CASES, K3_NAME, MINE
from tests.support.client import app_client
from tests.support.isolation import ORIGIN, ROLES, World, build_world, sign_in_as


@pytest.fixture
async def world(demo: Settings) -> World:
    return await build_world(demo)


@pytest.mark.parametrize("role", ROLES, ids=[r.value for r in ROLES])
async def test_dashboard_cases(world: World, role: Role) -> None:
    for (method, path), case in CASES.items():
        async with app_client(world.settings, origin=ORIGIN) as client:
            await sign_in_as(client, world, world.mine[role])
            try:
                await case(client, world, role)
            except AssertionError as exc:
                raise AssertionError(f"{role.value} {method} {path}: {exc}") from exc


async def test_region_b_s_officer_sees_only_region_b(world: World) -> None:
    async with app_client(world.settings, origin=ORIGIN) as client:
        await sign_in_as(client, world, world.foreign_dinas)
        page = await client.get("/pengawasan")
        assert page.status_code == 200
        assert K3_NAME in page.text
        assert all(name not in page.text for name in MINE)
        assert page.text.count("data-koperasi=") == 1
        ods = await client.get("/pengawasan/ekspor/ods", params={"format": "csv"})
        assert K3_NAME in ods.text and all(name not in ods.text for name in MINE)
