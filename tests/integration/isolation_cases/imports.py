"""Isolation cases of the spreadsheet imports: a pengurus imports into their own books
only (another koperasi's accounts and members are invisible to the checks); every other
role is refused; K2's books and members stay as they were."""

from __future__ import annotations

import io
from collections.abc import Sequence

import httpx
import openpyxl

from backend.accounts.domain import Role
from backend.ledger.tables import JournalEntry
from backend.members.tables import Member
from backend.savings.tables import SavingsMovement
from tests.support.isolation import Case, World, refused

API = "/api/v1/books/imports"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OPENING = ["kode akun", "nama akun", "debit", "kredit"]
MEMBERS = [
    "nomor anggota",
    "nama",
    "NIK",
    "tanggal masuk",
    "telepon",
    "alamat",
    "simpanan pokok",
    "simpanan wajib",
    "simpanan sukarela",
]
# K2's own account: unknown in the pengurus' (K1's) chart.
FOREIGN_OPENING = [["9-0001", "Akun lain", 777, None], ["1-1100", "Kas", None, 777]]


def workbook(header: Sequence[object], rows: Sequence[Sequence[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in [header, *rows]:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def upload(client: httpx.AsyncClient, path: str, content: bytes) -> httpx.Response:
    return await client.post(
        f"{API}/{path}",
        files={"file": ("berkas.xlsx", content, XLSX)},
        data={"opening_date": "2025-12-31"},
    )


async def k2_unchanged(world: World) -> None:
    assert await JournalEntry.count().where(JournalEntry.koperasi == world.k2) == 1
    assert not await JournalEntry.exists().where(JournalEntry.source == "opening")
    secret = await Member.select(Member.full_name).where(
        (Member.koperasi == world.k2) & (Member.member_number == "X-0001")
    )
    assert secret == [{"full_name": "Anggota Rahasia"}]
    assert not await Member.exists().where(
        (Member.koperasi != world.k1) & Member.member_number.like("IMP-%")
    )
    assert not await SavingsMovement.exists().where(SavingsMovement.koperasi == world.k2)


async def foreign_member_cells() -> list[object]:
    """A row naming K2's member: its number and NIK are free in K1 (no collision is
    reported, so nothing about K2's member shows)."""
    row = await Member.select(Member.nik).where(Member.member_number == "X-0001").first()
    assert row is not None
    return ["X-0001", "Orang Lain", row["nik"], "05/01/2019", "", "", 0, 0, 0]


def template(path: str) -> Case:
    async def case(client: httpx.AsyncClient, world: World, role: Role) -> None:
        response = await client.get(f"{API}/{path}")
        if role is not Role.PENGURUS:
            refused(response)
            return
        assert response.status_code == 200
        assert "kopwan-srikandi" in response.headers["content-disposition"]
        book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        cells = [
            str(value)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        ]
        assert "9-0001" not in cells and "Rahasia" not in cells

    return case


async def opening_preview(client: httpx.AsyncClient, world: World, role: Role) -> None:
    response = await upload(client, "opening-balances/preview", workbook(OPENING, FOREIGN_OPENING))
    if role is Role.PENGURUS:
        assert response.status_code == 200, response.text
        rows = response.json()["rows"]
        assert [i["code"] for i in rows[0]["issues"]] == ["account_unknown"]
    else:
        refused(response)
    await k2_unchanged(world)


async def opening_commit(client: httpx.AsyncClient, world: World, role: Role) -> None:
    response = await upload(client, "opening-balances", workbook(OPENING, FOREIGN_OPENING))
    if role is Role.PENGURUS:
        assert response.status_code == 422, response.text  # not an account of their books
    else:
        refused(response)
    await k2_unchanged(world)


async def members_preview(client: httpx.AsyncClient, world: World, role: Role) -> None:
    response = await upload(
        client, "members/preview", workbook(MEMBERS, [await foreign_member_cells()])
    )
    if role is Role.PENGURUS:
        assert response.status_code == 200, response.text
        assert response.json()["ready"], response.text
        assert "Rahasia" not in response.text
    else:
        refused(response)
    await k2_unchanged(world)


async def members_commit(client: httpx.AsyncClient, world: World, role: Role) -> None:
    rows = [["IMP-0001", "Anggota Impor", "3516014101907001", "05/01/2019", "", "", 0, 0, 0]]
    response = await upload(client, "members", workbook(MEMBERS, rows))
    if role is Role.PENGURUS:
        assert response.status_code == 201, response.text  # into their own koperasi
        assert await Member.exists().where(
            (Member.koperasi == world.k1) & (Member.member_number == "IMP-0001")
        )
    else:
        refused(response)
        assert not await Member.exists().where(Member.member_number == "IMP-0001")
    await k2_unchanged(world)


async def imports_page(client: httpx.AsyncClient, world: World, role: Role) -> None:
    page = await client.get("/pembukuan/impor")
    if role is Role.PENGURUS:
        assert page.status_code == 200
        assert "Koperasi Wanita Srikandi" in page.text
    else:
        assert page.status_code == 403
    assert "KSP Artha Mandiri" not in page.text and "Rahasia" not in page.text


CASES: dict[tuple[str, str], Case] = {
    ("GET", f"{API}/opening-balances/template"): template("opening-balances/template"),
    ("GET", f"{API}/members/template"): template("members/template"),
    ("POST", f"{API}/opening-balances/preview"): opening_preview,
    ("POST", f"{API}/opening-balances"): opening_commit,
    ("POST", f"{API}/members/preview"): members_preview,
    ("POST", f"{API}/members"): members_commit,
    ("GET", "/pembukuan/impor"): imports_page,
}
