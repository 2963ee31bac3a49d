"""Isolation cases of the Dinas dashboard and its exports: a region A officer sees every
koperasi of region A and nothing of region B (K3, "KUD Contoh", with a sale of its own);
pengurus, kasir and anggota are refused."""

from __future__ import annotations

import csv
import io

import httpx
import openpyxl

from backend.accounts.domain import Role
from backend.tenancy.tables import Koperasi
from tests.support.isolation import Case, World, refused

K3_NAME = "KUD Contoh"
MINE = ("Koperasi Wanita Srikandi", "KSP Artha Mandiri")


async def _k3_id(world: World) -> int:
    row = await Koperasi.select(Koperasi.id).where(Koperasi.slug == world.k3_slug).first()
    assert row is not None
    return int(row["id"])


def _page(path: str) -> Case:
    async def case(client: httpx.AsyncClient, world: World, role: Role) -> None:
        for params in ({}, {"cari": "Contoh"}, {"jenis": "ksu"}, {"grafik": "bulan"}):
            response = await client.get(path, params=params)
            assert K3_NAME not in response.text and world.k3_slug not in response.text
            if role is Role.DINAS:
                assert response.status_code == 200, response.text
            else:
                refused(response)
                assert all(name not in response.text for name in MINE)
        if role is Role.DINAS:
            whole = await client.get(path)
            assert all(name in whole.text for name in MINE)
            # K3 exists (region B) but is no row of region A's table.
            assert await _k3_id(world) > 0
            assert f'data-koperasi="{world.k3_slug}"' not in whole.text

    return case


def _workbook_names(response: httpx.Response) -> set[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    return {
        str(cell.value) for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)
    }


async def table_export(client: httpx.AsyncClient, world: World, role: Role) -> None:
    for params in ({}, {"cari": "Contoh"}):
        response = await client.get("/pengawasan/ekspor/koperasi.xlsx", params=params)
        if role is not Role.DINAS:
            refused(response)
            continue
        assert response.status_code == 200
        names = _workbook_names(response)
        assert K3_NAME not in names
        if not params:
            assert set(MINE) <= names


async def ods_export(client: httpx.AsyncClient, world: World, role: Role) -> None:
    for fmt in ("xlsx", "csv"):
        response = await client.get("/pengawasan/ekspor/ods", params={"tahun": 2026, "format": fmt})
        if role is not Role.DINAS:
            refused(response)
            continue
        assert response.status_code == 200
        if fmt == "csv":
            names = {
                row["nama_koperasi"]
                for row in csv.DictReader(io.StringIO(response.content.decode("utf-8-sig")))
            }
        else:
            names = _workbook_names(response)
        assert K3_NAME not in names and set(MINE) <= names


CASES: dict[tuple[str, str], Case] = {
    ("GET", "/pengawasan"): _page("/pengawasan"),
    ("GET", "/pengawasan/ekspor/koperasi.xlsx"): table_export,
    ("GET", "/pengawasan/ekspor/ods"): ods_export,
}
