"""Spreadsheet imports through the API, on both engines: the preview lists every bad row
and why (and stores nothing); a commit writes all of the file or nothing; opening balances
are posted once, as one balanced entry, with the savings accounts' balances waiting in the
suspense account until the member import fills them per member; when both files agree the
suspense account is zero."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import httpx
import openpyxl
import pytest

from backend.accounts.domain import Role
from backend.accounts.tables import AuditEvent
from backend.ledger import service as ledger
from backend.ledger.domain import Line
from backend.ledger.tables import JournalEntry, JournalLine, LedgerAccount
from backend.members.tables import Member
from backend.savings import service as savings
from backend.savings.domain import Movement, SavingsKind
from backend.savings.tables import SavingsMovement
from backend.settings import Settings
from backend.tenancy.tables import Koperasi
from tests.support.client import app_client
from tests.support.sessions import as_person, person

ORIGIN = "http://localhost:8000"
API = "/api/v1/books/imports"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OPENING_DAY = "2025-12-31"
OPENING_HEADER = ["kode akun", "nama akun", "debit", "kredit"]
MEMBER_HEADER = [
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
# Savings in the opening balances: pokok 300.000, wajib 1.500.000, sukarela 900.000.
OPENING_ROWS: list[list[object]] = [
    ["1-1100", "Kas", 12_000_000, None],
    ["1-1200", "Bank", "Rp 2.700.000", None],
    ["3-1100", "Simpanan pokok", None, 300_000],
    ["3-1200", "Simpanan wajib", None, "1.500.000"],
    ["2-1100", "Simpanan sukarela", None, 900_000],
    ["3-1500", "Cadangan", None, "12.000.000"],
    ["1-1400", "Persediaan barang", 0, 0],
]
# The same savings, member by member.
MEMBER_ROWS: list[list[object]] = [
    ["B-001", "Sri Wulandari", "3516014101907001", "05/01/2019", "081231231231", "", 100_000,
     "500.000", 300_000],
    ["B-002", "Joko Susilo", "3516011202857002", "2020-02-12", "", "Jl. Raya 1", "Rp 100.000",
     500_000, "Rp 200.000"],
    ["", "Ani Rahmawati", "3516015503907003", date(2021, 3, 15), "", "", 100_000, 500_000,
     400_000],
]  # fmt: skip


def workbook(header: Sequence[object], rows: Sequence[Sequence[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def opening_file(rows: Sequence[Sequence[object]] = OPENING_ROWS) -> bytes:
    return workbook(OPENING_HEADER, rows)


def members_file(rows: Sequence[Sequence[object]] = MEMBER_ROWS) -> bytes:
    return workbook(MEMBER_HEADER, rows)


async def send(
    client: httpx.AsyncClient,
    path: str,
    content: bytes,
    day: str = OPENING_DAY,
    name: str = "berkas.xlsx",
) -> httpx.Response:
    return await client.post(
        f"{API}/{path}", files={"file": (name, content, XLSX)}, data={"opening_date": day}
    )


@dataclass
class Books:
    settings: Settings
    k: int
    region: int
    pengurus: tuple[str, str]


@pytest.fixture
async def books(demo: Settings) -> Books:
    settings = replace(demo, auth_attempts_per_minute=1000)
    kop = (
        await Koperasi.select(Koperasi.id, Koperasi.region.as_alias("region_id"))
        .where(Koperasi.slug == "kopwan-srikandi")
        .first()
    )
    assert kop is not None
    pengurus = await person(settings, Role.PENGURUS, kop["id"], kop["region_id"])
    return Books(settings, kop["id"], kop["region_id"], pengurus)


async def written(k: int) -> tuple[int, int, int, int, int]:
    """Everything an import could write."""
    return (
        await JournalEntry.count().where(JournalEntry.koperasi == k),
        await JournalLine.count().where(JournalLine.koperasi == k),
        await Member.count().where(Member.koperasi == k),
        await SavingsMovement.count().where(SavingsMovement.koperasi == k),
        await LedgerAccount.count().where(LedgerAccount.koperasi == k),
    )


def issue_codes(preview: dict[str, Any]) -> dict[int, set[str]]:
    return {row["row"]: {i["code"] for i in row["issues"]} for row in preview["rows"]}


async def balances(k: int) -> dict[str, int]:
    return {b.code: b.balance for b in await ledger.trial_balance(k)}


async def test_the_opening_preview_lists_every_bad_row_and_stores_nothing(books: Books) -> None:
    before = await written(books.k)
    bad = [
        ["1-1100", "Kas", 1_000_000, None],  # row 2: fine
        ["", "Tanpa kode", 5, None],  # 3
        ["9-0001", "Akun koperasi lain", 5, None],  # 4
        ["1-1100", "Kas lagi", 5, None],  # 5
        ["1-1200", "Bank", 5, 5],  # 6
        ["3-1500", "Cadangan", None, "1.000,50"],  # 7
        ["1-1300", "Piutang", -5, None],  # 8
        ["1-1400", "Persediaan", "lima", None],  # 9
        ["3-9900", "Ayat silang", None, 5],  # 10
        ["1-1500", "Penyertaan (contoh)", 5, None],  # 11
    ]
    async with app_client(books.settings, origin=ORIGIN) as client:
        as_person(client, books.pengurus)
        response = await send(client, "opening-balances/preview", opening_file(bad))
        assert response.status_code == 200, response.text
        preview = response.json()
        assert issue_codes(preview) == {
            2: set(),
            3: {"code_required"},
            4: {"account_unknown"},
            5: {"account_repeated"},
            6: {"both_sides"},
            7: {"amount_decimal"},
            8: {"amount_negative"},
            9: {"amount_not_number"},
            10: {"suspense_in_file"},
            11: {"example_row"},
        }
        assert not preview["ready"] and preview["bad_count"] == 9 and preview["ok_count"] == 1
        assert [c["label"] for c in preview["columns"]] == [
            "Kode akun",
            "Nama akun",
            "Debit",
            "Kredit",
        ]
        row4 = next(r for r in preview["rows"] if r["row"] == 4)
        assert row4["status"] == "error" and row4["status_label"] == "Bermasalah"
        assert row4["issues"][0]["message"] == (
            "Kode akun: 9-0001 tidak ada di bagan akun koperasi ini."
        )
        row9 = next(r for r in preview["rows"] if r["row"] == 9)
        assert row9["cells"][2] == "lima"  # a refused cell shows what the file says
        assert "1 siap, 9 bermasalah" in preview["summary"]
        # Nothing was stored by looking, whatever the file says.
        assert await written(books.k) == before


async def test_opening_balances_are_posted_once_as_one_balanced_entry(books: Books) -> None:
    async with app_client(books.settings, origin=ORIGIN) as client:
        as_person(client, books.pengurus)
        preview = (await send(client, "opening-balances/preview", opening_file())).json()
        assert preview["ready"] and preview["balanced"], preview
        totals = {t["key"]: t["amount"] for t in preview["totals"]}
        assert totals == {
            "debit": 14_700_000,
            "credit": 14_700_000,
            "difference": 0,
            "suspense": 2_700_000,
        }
        skipped = next(r for r in preview["rows"] if r["cells"][0] == "1-1400")
        assert skipped["status"] == "skipped"

        response = await send(client, "opening-balances", opening_file())
        assert response.status_code == 201, response.text
        result = response.json()
        assert result["entry_number"] == 1 and result["rows"] == 6
        assert result["total"] == 14_700_000
        assert result["suspense_balance"] == 2_700_000 and result["suspense_text"] == (
            "Rp 2.700.000"
        )
        assert "lebih besar daripada" in result["suspense_note"]

        entries = await JournalEntry.select().where(JournalEntry.koperasi == books.k)
        assert len(entries) == 1 and entries[0]["source"] == "opening"
        assert entries[0]["entry_date"] == date(2025, 12, 31)
        lines = await JournalLine.select(
            JournalLine.account.code.as_alias("code"), JournalLine.debit, JournalLine.credit
        ).where(JournalLine.entry == entries[0]["id"])
        assert sum(line["debit"] for line in lines) == sum(line["credit"] for line in lines)
        # The savings accounts are untouched: their balances wait in the suspense account.
        assert {line["code"] for line in lines} == {"1-1100", "1-1200", "3-1500", "3-9900"}
        books_now = await balances(books.k)
        assert books_now["3-9900"] == 2_700_000
        assert books_now["3-1100"] == books_now["3-1200"] == books_now["2-1100"] == 0
        assert books_now["1-1100"] == 12_000_000 and books_now["3-1500"] == 12_000_000
        suspense = (
            await LedgerAccount.select(LedgerAccount.name, LedgerAccount.type)
            .where((LedgerAccount.koperasi == books.k) & (LedgerAccount.code == "3-9900"))
            .first()
        )
        assert suspense == {"name": "Ayat silang saldo awal", "type": "ekuitas"}
        event = await AuditEvent.select(AuditEvent.detail).where(
            AuditEvent.action == "opening_balances_imported"
        )
        assert len(event) == 1 and '"number": 1' in event[0]["detail"]

        # Exactly once: a second import is refused, and nothing is written.
        before = await written(books.k)
        again = await send(client, "opening-balances", opening_file())
        assert again.status_code == 409
        assert again.json()["error"]["code"] == "opening_already_imported"
        assert "jurnal #1" in again.json()["error"]["message"]
        assert "hanya diimpor sekali" in again.json()["error"]["message"]
        assert await written(books.k) == before
        preview = (await send(client, "opening-balances/preview", opening_file())).json()
        assert not preview["ready"]
        assert [p["code"] for p in preview["problems"]] == ["opening_already_imported"]

        # A reversed opening entry may be imported again (the way to correct it).
        reversal = await client.post(
            "/api/v1/books/entries/1/reversal", json={"entry_date": OPENING_DAY}
        )
        assert reversal.status_code == 201, reversal.text
        corrected = [*OPENING_ROWS[:5], ["3-1500", "Cadangan", None, 12_000_000]]
        response = await send(client, "opening-balances", opening_file(corrected))
        assert response.status_code == 201, response.text
        assert response.json()["entry_number"] == 3
        assert (await balances(books.k))["3-9900"] == 2_700_000


async def test_bad_or_unbalanced_opening_files_are_refused_and_nothing_written(
    books: Books,
) -> None:
    before = await written(books.k)
    unbalanced = [["1-1100", "Kas", 1_000_000, None], ["3-1500", "Cadangan", None, 999_999]]
    bad = [*OPENING_ROWS, ["9-9999", "Tidak ada", 5, None]]
    async with app_client(books.settings, origin=ORIGIN) as client:
        as_person(client, books.pengurus)
        response = await send(client, "opening-balances", opening_file(unbalanced))
        assert response.status_code == 422
        error = response.json()["error"]
        assert error["code"] == "unbalanced"
        assert (
            "Total debit Rp 1.000.000 tidak sama dengan total kredit Rp 999.999"
            in (error["message"])
        )
        assert error["details"][0]["row"] is None

        response = await send(client, "opening-balances", opening_file(bad))
        assert response.status_code == 422
        error = response.json()["error"]
        assert error["code"] == "import_rows_invalid"
        assert error["message"].startswith("Berkas masih bermasalah: 1 baris")
        assert [(d["row"], d["code"]) for d in error["details"]] == [
            (9, "account_unknown"),
            (None, "unbalanced"),  # its 5 rupiah are in the file's totals
        ]

        # A closed period takes no opening balances either.
        await ledger.close_period(books.k, "2025-12")
        response = await send(client, "opening-balances", opening_file())
        assert response.status_code == 422
        assert response.json()["error"]["code"] == "period_closed"
    # Not even the suspense account was added.
    assert await written(books.k) == before


async def test_members_and_their_savings_are_imported_all_or_nothing(books: Books) -> None:
    # A deposit made before: the import's receipts continue the koperasi's sequence.
    first = await savings.record(
        books.k, "A-0001", SavingsKind.SUKARELA, Movement.SETOR, 10_000, date(2025, 12, 1)
    )
    assert first.receipt == "S-000001"
    existing = await Member.select(Member.nik).where(Member.koperasi == books.k).first()
    assert existing is not None
    bad_rows = [
        *MEMBER_ROWS,
        ["A-0001", "Nomor terpakai", "3516014101907010", "05/01/2019", "", "", 0, 0, 0],  # 5
        ["B-001", "Nomor ganda", "3516014101907011", "05/01/2019", "", "", 0, 0, 0],  # 6
        ["B-010", "", "35160141019", "05/01/2019", "0812", "", 0, 0, 0],  # 7
        ["B-011", "NIK terpakai", existing["nik"], "05/01/2019", "", "", 0, 0, 0],  # 8
        ["B-012", "NIK ganda", "3516014101907001", "05/01/2019", "", "", 0, 0, 0],  # 9
        ["B-013", "Tanggal salah", "3516014101907012", "31/02/2019", "", "", 0, 0, 0],  # 10
        ["B-014", "Masuk nanti", "3516014101907013", "01/01/2026", "", "", 0, 0, 0],  # 11
        ["B-015", "Pokok lebih", "3516014101907014", "05/01/2019", "", "", 150_000, 0, 0],
        ["B-016", "Desimal", "3516014101907015", "05/01/2019", "", "", 0, "10,5", -1],  # 13
    ]
    before = await written(books.k)
    async with app_client(books.settings, origin=ORIGIN) as client:
        as_person(client, books.pengurus)
        response = await send(client, "members/preview", members_file(bad_rows))
        assert response.status_code == 200, response.text
        preview = response.json()
        assert issue_codes(preview) == {
            2: set(),
            3: set(),
            4: set(),
            5: {"member_number_taken"},
            6: {"member_number_repeated"},
            7: {"name_required", "nik_length", "phone_invalid"},
            8: {"nik_taken"},
            9: {"nik_repeated"},
            10: {"date_invalid"},
            11: {"joined_after_balance"},
            12: {"pokok_exceeded"},
            13: {"amount_decimal", "amount_negative"},
        }
        assert not preview["ready"]
        auto = next(r for r in preview["rows"] if r["row"] == 4)
        assert auto["cells"][0].startswith("A-") and auto["note"] == (
            "Nomor anggota dibuat otomatis."
        )
        refused = await send(client, "members", members_file(bad_rows))
        assert refused.status_code == 422
        assert refused.json()["error"]["code"] == "import_rows_invalid"
        assert {d["row"] for d in refused.json()["error"]["details"]} == set(range(5, 14))
        assert await written(books.k) == before

        response = await send(client, "members/preview", members_file())
        assert response.json()["ready"], response.json()
        number = next(r for r in response.json()["rows"] if r["row"] == 4)["cells"][0]
        response = await send(client, "members", members_file())
        assert response.status_code == 201, response.text
        result = response.json()
        assert (result["rows"], result["movements"], result["total"]) == (3, 9, 2_700_000)
        assert result["suspense_balance"] == -2_700_000  # no opening balances yet
        assert (
            "lebih besar daripada saldo simpanan di saldo awal neraca" in (result["suspense_note"])
        )

        # Each member with their balances, receipts continuing the sequence.
        sri = await savings.member_savings(books.k, "B-001", today=date(2025, 12, 31))
        assert sri.balances == {"pokok": 100_000, "wajib": 500_000, "sukarela": 300_000}
        ani = await savings.member_savings(books.k, number, today=date(2025, 12, 31))
        assert ani.member_name == "Ani Rahmawati" and ani.total == 1_000_000
        joined = await Member.select(Member.joined_on, Member.status, Member.nik).where(
            (Member.koperasi == books.k) & (Member.member_number == "B-002")
        )
        assert joined == [
            {"joined_on": date(2020, 2, 12), "status": "aktif", "nik": "3516011202857002"}
        ]
        receipts = sorted(
            row["receipt_number"]
            for row in await SavingsMovement.select(SavingsMovement.receipt_number).where(
                SavingsMovement.koperasi == books.k
            )
        )
        assert receipts == list(range(1, 11))
        # One balanced entry moves the total out of the suspense account.
        entry = await JournalEntry.select().where(
            (JournalEntry.koperasi == books.k) & (JournalEntry.source == "opening")
        )
        assert len(entry) == 1 and entry[0]["entry_date"] == date(2025, 12, 31)
        movements = await SavingsMovement.select(SavingsMovement.entry.as_alias("entry")).where(
            (SavingsMovement.koperasi == books.k) & (SavingsMovement.receipt_number > 1)
        )
        assert {m["entry"] for m in movements} == {entry[0]["id"]}
        now = await balances(books.k)
        assert now["3-9900"] == -2_700_000
        assert (now["3-1100"], now["3-1200"]) == (300_000, 1_500_000)
        assert now["2-1100"] == 900_000 + 10_000
        assert await AuditEvent.exists().where(AuditEvent.action == "members_imported")

        # The same file again: every member is there already; nothing is written.
        before = await written(books.k)
        again = await send(client, "members", members_file())
        assert again.status_code == 422
        assert {d["code"] for d in again.json()["error"]["details"]} >= {
            "member_number_taken",
            "nik_taken",
        }
        assert await written(books.k) == before

        # Members without savings: created, no entry, no movement.
        plain = [["", "Tanpa Simpanan", "3516014101907020", "01/06/2020", "", "", 0, 0, None]]
        response = await send(client, "members", members_file(plain))
        assert response.status_code == 201
        assert response.json()["entry_number"] is None and response.json()["movements"] == 0
        assert response.json()["message"] == "1 anggota diimpor, tanpa saldo simpanan."


async def test_the_suspense_account_nets_to_zero_when_both_files_agree(books: Books) -> None:
    async with app_client(books.settings, origin=ORIGIN) as client:
        as_person(client, books.pengurus)
        page = await client.get("/pembukuan/impor")
        assert page.status_code == 200
        assert "Selisih saldo awal" in page.text and "Rp 0" in page.text
        # Members in two batches (a koperasi may import group by group), the first one
        # before the opening balances: its entry is not an opening-balance entry.
        assert (await send(client, "members", members_file(MEMBER_ROWS[:1]))).status_code == 201
        page = await client.get("/pembukuan/impor")
        assert "-Rp 900.000" in page.text
        assert "lebih besar daripada saldo simpanan di saldo awal neraca" in page.text
        response = await send(client, "opening-balances", opening_file())
        assert response.status_code == 201, response.text
        assert response.json()["suspense_balance"] == 1_800_000
        page = await client.get("/pembukuan/impor")
        assert "Rp 1.800.000" in page.text and 'id="opening-done"' in page.text
        assert "lebih besar daripada jumlah saldo simpanan anggota" in page.text
        response = await send(client, "members", members_file(MEMBER_ROWS[1:]))
        assert response.status_code == 201, response.text
        assert response.json()["suspense_balance"] == 0
        assert response.json()["suspense_text"] == "Rp 0"
    now = await balances(books.k)
    assert now["3-9900"] == 0
    assert (now["3-1100"], now["3-1200"], now["2-1100"]) == (300_000, 1_500_000, 900_000)
    # The books agree with the members' savings, kind by kind.
    for kind, code in (("pokok", "3-1100"), ("wajib", "3-1200"), ("sukarela", "2-1100")):
        held = sum(
            row["signed_amount"]
            for row in await SavingsMovement.select(SavingsMovement.signed_amount).where(
                (SavingsMovement.koperasi == books.k) & (SavingsMovement.kind == kind)
            )
        )
        assert held == now[code]
    entries = await JournalEntry.count().where(
        (JournalEntry.koperasi == books.k) & (JournalEntry.source == "opening")
    )
    assert entries == 3


async def test_opening_balances_posted_otherwise_count_too(books: Books) -> None:
    # The demo (or any other door) posted the koperasi's opening balances already.
    await ledger.post_entry(
        books.k,
        date(2025, 1, 31),
        "Saldo awal dari pembukuan lama",
        [Line("1-1100", 1_000), Line("3-1500", 0, 1_000)],
        source="opening",
    )
    async with app_client(books.settings, origin=ORIGIN) as client:
        as_person(client, books.pengurus)
        response = await send(client, "opening-balances", opening_file())
        assert response.status_code == 409
        assert response.json()["error"]["code"] == "opening_already_imported"
        page = await client.get("/pembukuan/impor")
        assert 'id="opening-done"' in page.text and 'id="opening-form"' in page.text
        assert "Saldo awal sudah diimpor: jurnal #1, tanggal 31 Januari 2025" in page.text


async def test_templates_files_and_people_refused(books: Books) -> None:
    kasir = await person(books.settings, Role.KASIR, books.k, books.region)
    async with app_client(books.settings, origin=ORIGIN) as client:
        as_person(client, books.pengurus)
        response = await client.get(f"{API}/opening-balances/template")
        assert response.status_code == 200 and response.headers["content-type"] == XLSX
        assert (
            'filename="templat-saldo-awal-kopwan-srikandi.xlsx"'
            in (response.headers["content-disposition"])
        )
        book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        assert book.sheetnames == ["Saldo awal", "Petunjuk", "Bagan akun"]
        header = next(book["Saldo awal"].iter_rows(max_row=1, values_only=True))
        assert list(header) == OPENING_HEADER
        chart = [r[0] for r in book["Bagan akun"].iter_rows(min_row=2, values_only=True)]
        assert "1-1100" in chart and "3-9900" not in chart
        response = await client.get(f"{API}/members/template")
        assert response.status_code == 200
        book = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
        header = next(book["Anggota"].iter_rows(max_row=1, values_only=True))
        assert list(header) == MEMBER_HEADER

        # CSV with semicolons is read too.
        csv = (
            "kode akun;nama akun;debit;kredit\n1-1100;Kas;1.000.000;\n3-1500;Cadangan;;1.000.000\n"
        )
        response = await send(client, "opening-balances/preview", csv.encode(), name="s.csv")
        assert response.status_code == 200 and response.json()["ready"]
        assert response.json()["file_type"] == "csv"

        for content, name, day, code in (
            (b"%PDF-1.4", "saldo.pdf", OPENING_DAY, "file_type"),
            (b"x" * (2 * 1024 * 1024 + 1), "saldo.xlsx", OPENING_DAY, "file_too_large"),
            (opening_file(), "saldo.xlsx", "", "date_required"),
            (opening_file(), "saldo.xlsx", "2999-01-01", "date_future"),
            (b"nama;jumlah\nKas;5\n", "saldo.csv", OPENING_DAY, "columns_missing"),
        ):
            response = await send(client, "opening-balances/preview", content, day, name)
            assert response.status_code == 422, (code, response.text)
            error = response.json()["error"]
            assert error["code"] == code
            assert "{" not in error["message"]  # placeholders filled
        response = await client.post(
            f"{API}/opening-balances/preview", data={"opening_date": OPENING_DAY}, files={}
        )
        assert response.status_code in (400, 422)
        # Far beyond the limit: refused before it is read.
        response = await send(client, "members/preview", b"x" * (4 * 1024 * 1024))
        assert response.status_code == 413

        as_person(client, kasir)
        for method, path in (
            ("GET", "opening-balances/template"),
            ("GET", "members/template"),
        ):
            assert (await client.request(method, f"{API}/{path}")).status_code == 403
        for path in ("opening-balances/preview", "opening-balances", "members", "members/preview"):
            assert (await send(client, path, opening_file())).status_code == 403
        page = await client.get("/pembukuan/impor")
        assert page.status_code == 403 and "hanya dapat dilakukan oleh pengurus" in page.text


async def test_messages_in_english(books: Books) -> None:
    async with app_client(books.settings, origin=ORIGIN) as client:
        as_person(client, books.pengurus)
        client.cookies.set("koroena_lang", "en", domain="testserver.local")
        rows = [["9-0001", "Rahasia", 5, None], ["1-1100", "Kas", None, "1,5"]]
        preview = (await send(client, "opening-balances/preview", opening_file(rows))).json()
        messages = [i["message"] for r in preview["rows"] for i in r["issues"]]
        assert messages == [
            "Account code: 9-0001 is not in this cooperative's chart of accounts.",
            "Credit: Amounts must be whole rupiah without decimals.",
        ]
        assert preview["rows"][0]["status_label"] == "Problem"
        response = await send(client, "opening-balances", opening_file(rows))
        assert response.json()["error"]["message"].startswith("The file still has problems")
        page = await client.get("/pembukuan/impor")
        assert "Import from Excel" in page.text
