"""Golden test: two years of a small koperasi's books worked out by hand, and the Neraca and
PHU the app computes from them, figure by figure, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

from backend.ledger import service as ledger
from backend.ledger.domain import Line
from backend.ledger.statements import Section, neraca, phu
from backend.settings import Settings
from backend.tenancy.tables import Koperasi, Region

KAS, PERSEDIAAN = "1-1100", "1-1400"
SUKARELA, UTANG = "2-1100", "2-1300"
POKOK, WAJIB = "3-1100", "3-1200"
JUAL_ANGGOTA, JUAL_UMUM, LAIN = "4-1200", "4-2100", "4-3100"
HPP, USAHA, PERKOPERASIAN = "5-1100", "5-2100", "5-3100"

YEAR = [
    # 2025
    (date(2025, 1, 10), "Simpanan pokok 10 anggota", [(KAS, 1_000_000, 0), (POKOK, 0, 1_000_000)]),
    (date(2025, 3, 1), "Simpanan wajib", [(KAS, 600_000, 0), (WAJIB, 0, 600_000)]),
    (
        date(2025, 6, 15),
        "Beli barang secara kredit",
        [(PERSEDIAAN, 2_000_000, 0), (UTANG, 0, 2_000_000)],
    ),
    (
        date(2025, 7, 1),
        "Penjualan tunai kepada anggota",
        [
            (KAS, 1_500_000, 0),
            (JUAL_ANGGOTA, 0, 1_500_000),
            (HPP, 1_200_000, 0),
            (PERSEDIAAN, 0, 1_200_000),
        ],
    ),
    (date(2025, 12, 20), "Listrik", [(USAHA, 100_000, 0), (KAS, 0, 100_000)]),
    # 2026
    (
        date(2026, 2, 1),
        "Bayar sebagian utang pemasok",
        [(UTANG, 1_000_000, 0), (KAS, 0, 1_000_000)],
    ),
    (
        date(2026, 3, 10),
        "Penjualan tunai kepada non-anggota",
        [(KAS, 500_000, 0), (JUAL_UMUM, 0, 500_000), (HPP, 400_000, 0), (PERSEDIAAN, 0, 400_000)],
    ),
    (date(2026, 4, 1), "Setoran simpanan sukarela", [(KAS, 250_000, 0), (SUKARELA, 0, 250_000)]),
    (date(2026, 5, 5), "Biaya RAT", [(PERKOPERASIAN, 150_000, 0), (KAS, 0, 150_000)]),
    (date(2026, 6, 30), "Salah catat", [(USAHA, 99_000, 0), (KAS, 0, 99_000)]),
    (date(2026, 9, 30), "Jasa giro", [(KAS, 80_000, 0), (LAIN, 0, 80_000)]),
]


def amounts(section: Section) -> dict[str, list[int]]:
    return {line.code or line.name: line.amounts for line in section.lines if any(line.amounts)}


async def test_neraca_and_phu_of_two_years(demo: Settings) -> None:
    region = await Region.select(Region.id).first()
    assert region is not None
    created = await Koperasi.insert(
        Koperasi(region=region["id"], slug="buku-emas", name="Koperasi Buku Emas", kind="konsumen")
    ).returning(Koperasi.id)
    k = created[0]["id"]
    await ledger.ensure_chart(k)
    numbers = {}
    for day, text, lines in YEAR:
        posted = await ledger.post_entry(k, day, text, [Line(c, d, cr) for c, d, cr in lines])
        numbers[text] = posted.number
    await ledger.reverse_entry(k, numbers["Salah catat"], date(2026, 7, 1))
    await ledger.close_period(k, "2025-12")

    sheet = await neraca(k, date(2026, 12, 31), compare_as_of=date(2025, 12, 31))
    assert sheet.dates == [date(2026, 12, 31), date(2025, 12, 31)]
    assert amounts(sheet.aset) == {KAS: [2_680_000, 3_000_000], PERSEDIAAN: [400_000, 800_000]}
    assert sheet.aset.totals == [3_080_000, 3_800_000]
    assert amounts(sheet.kewajiban) == {SUKARELA: [250_000, 0], UTANG: [1_000_000, 2_000_000]}
    assert sheet.kewajiban.totals == [1_250_000, 2_000_000]
    assert amounts(sheet.ekuitas) == {
        POKOK: [1_000_000, 1_000_000],
        WAJIB: [600_000, 600_000],
        "SHU tahun lalu belum dibagi": [200_000, 0],
        "SHU tahun berjalan (belum ditutup)": [30_000, 200_000],
    }
    assert sheet.ekuitas.totals == [1_830_000, 1_800_000]
    assert sheet.total_kewajiban_ekuitas == [3_080_000, 3_800_000]
    assert sheet.balanced

    income = await phu(
        k, date(2026, 1, 1), date(2026, 12, 31), compare=(date(2025, 1, 1), date(2025, 12, 31))
    )
    assert amounts(income.pendapatan) == {
        JUAL_ANGGOTA: [0, 1_500_000],
        JUAL_UMUM: [500_000, 0],
        LAIN: [80_000, 0],
    }
    assert income.pendapatan.totals == [580_000, 1_500_000]
    # The wrong entry and its reversal cancel out within 2026.
    assert amounts(income.beban) == {
        HPP: [400_000, 1_200_000],
        USAHA: [0, 100_000],
        PERKOPERASIAN: [150_000, 0],
    }
    assert income.beban.totals == [550_000, 1_300_000]
    assert income.shu == [30_000, 200_000]

    # Half-way through 2026 the wrong entry is still in the books (reversed on 1 July).
    june = await phu(k, date(2026, 1, 1), date(2026, 6, 30))
    assert amounts(june.beban)[USAHA] == [99_000]


async def test_contra_accounts_reduce_their_section(demo: Settings) -> None:
    region = await Region.select(Region.id).first()
    assert region is not None
    created = await Koperasi.insert(
        Koperasi(region=region["id"], slug="buku-aset", name="Koperasi Aset", kind="jasa")
    ).returning(Koperasi.id)
    k = created[0]["id"]
    await ledger.ensure_chart(k)
    await ledger.post_entry(
        k,
        date(2026, 1, 2),
        "Hibah kendaraan",
        [Line("1-2100", 1_200_000), Line("3-1400", 0, 1_200_000)],
    )
    await ledger.post_entry(
        k, date(2026, 12, 31), "Penyusutan", [Line("5-4100", 100_000), Line("1-2190", 0, 100_000)]
    )
    sheet = await neraca(k, date(2026, 12, 31))
    assert amounts(sheet.aset) == {"1-2100": [1_200_000], "1-2190": [-100_000]}
    assert sheet.aset.totals == [1_100_000]
    assert sheet.balanced
    assert amounts(sheet.ekuitas)["SHU tahun berjalan (belum ditutup)"] == [-100_000]


async def test_exports_say_what_the_statements_say(demo: Settings) -> None:
    import io

    from openpyxl import load_workbook
    from pypdf import PdfReader

    from backend.i18n import translator
    from backend.ledger import exports

    await test_neraca_and_phu_of_two_years(demo)
    k = (await Koperasi.select(Koperasi.id).where(Koperasi.slug == "buku-emas").first() or {})["id"]
    sheet = await neraca(k, date(2026, 12, 31), compare_as_of=date(2025, 12, 31))
    report = exports.neraca_report(sheet, "Koperasi Buku Emas", translator("id"), "id")

    text = PdfReader(io.BytesIO(exports.to_pdf(report))).pages[0].extract_text()
    for expected in (
        "Koperasi Buku Emas",
        "Neraca",
        "Per 31 Desember 2026",
        "31 Desember 2025",
        "1-1100",
        "Rp 2.680.000",
        "Rp 3.000.000",
        "Jumlah aset",
        "Rp 3.080.000",
        "Rp 3.800.000",
    ):
        assert expected in text, expected

    book = load_workbook(io.BytesIO(exports.to_xlsx(report)))
    cells = {
        (row[1].value, row[0].value): [c.value for c in row[2:]]
        for row in book.active.iter_rows(min_row=6)
    }
    assert book.active["A1"].value == "Koperasi Buku Emas"
    assert cells[("Kas", "1-1100")] == [2_680_000, 3_000_000]
    assert cells[("Jumlah kewajiban dan ekuitas", None)] == sheet.total_kewajiban_ekuitas

    income = await phu(
        k, date(2026, 1, 1), date(2026, 12, 31), compare=(date(2025, 1, 1), date(2025, 12, 31))
    )
    english = exports.phu_report(income, "Koperasi Buku Emas", translator("en"), "en")
    phu_text = PdfReader(io.BytesIO(exports.to_pdf(english))).pages[0].extract_text()
    assert "1 January 2026 - 31 December 2026" in phu_text
    assert "Rp 30.000" in phu_text and "Rp 200.000" in phu_text


async def test_general_ledger_of_cash(demo: Settings) -> None:
    from backend.ledger.statements import general_ledger

    await test_neraca_and_phu_of_two_years(demo)
    k = (await Koperasi.select(Koperasi.id).where(Koperasi.slug == "buku-emas").first() or {})["id"]
    cash = await general_ledger(k, KAS, date(2026, 1, 1), date(2026, 12, 31))
    assert cash.name == "Kas" and cash.opening == 3_000_000
    assert [(r.entry_date, r.debit, r.credit, r.balance) for r in cash.rows] == [
        (date(2026, 2, 1), 0, 1_000_000, 2_000_000),
        (date(2026, 3, 10), 500_000, 0, 2_500_000),
        (date(2026, 4, 1), 250_000, 0, 2_750_000),
        (date(2026, 5, 5), 0, 150_000, 2_600_000),
        (date(2026, 6, 30), 0, 99_000, 2_501_000),
        (date(2026, 7, 1), 99_000, 0, 2_600_000),
        (date(2026, 9, 30), 80_000, 0, 2_680_000),
    ]
    assert cash.closing == 2_680_000
    savings = await general_ledger(k, SUKARELA, date(2026, 1, 1), date(2026, 12, 31))
    assert savings.opening == 0 and savings.closing == 250_000  # credit-normal, shown positive


async def test_equity_changes_of_2026(demo: Settings) -> None:
    from backend.ledger.statements import perubahan_ekuitas

    await test_neraca_and_phu_of_two_years(demo)
    k = (await Koperasi.select(Koperasi.id).where(Koperasi.slug == "buku-emas").first() or {})["id"]
    changes = await perubahan_ekuitas(k, date(2026, 1, 1), date(2026, 12, 31))
    moved = {
        (r.code or r.name): (r.opening, r.change, r.closing)
        for r in changes.rows
        if r.closing or r.opening
    }
    assert moved == {
        POKOK: (1_000_000, 0, 1_000_000),
        WAJIB: (600_000, 0, 600_000),
        "Sisa hasil usaha": (200_000, 30_000, 230_000),
    }
    assert (changes.opening, changes.change, changes.closing) == (1_800_000, 30_000, 1_830_000)
    sheet = await neraca(k, date(2026, 12, 31))
    assert changes.closing == sheet.ekuitas.totals[0]  # the statements agree
