"""Arus kas of the golden koperasi (tests/integration/test_statements.py), worked out by
hand, and the exports of every statement read back and compared with the statement."""

from __future__ import annotations

import io
from datetime import date

from openpyxl import load_workbook
from pypdf import PdfReader

from backend.i18n import translator
from backend.ledger import exports, service
from backend.ledger.cashflow import arus_kas
from backend.ledger.statements import general_ledger, perubahan_ekuitas
from backend.settings import Settings
from backend.tenancy.tables import Koperasi
from tests.integration.test_statements import (
    KAS,
    PERSEDIAAN,
    POKOK,
    SUKARELA,
    UTANG,
    WAJIB,
    amounts,
)
from tests.integration.test_statements import (
    test_neraca_and_phu_of_two_years as post_golden_years,
)

Y2026 = (date(2026, 1, 1), date(2026, 12, 31))
Y2025 = (date(2025, 1, 1), date(2025, 12, 31))


async def golden_koperasi(demo: Settings) -> int:
    await post_golden_years(demo)
    row = await Koperasi.select(Koperasi.id).where(Koperasi.slug == "buku-emas").first()
    assert row is not None
    return int(row["id"])


async def test_cash_flow_of_two_years(demo: Settings) -> None:
    k = await golden_koperasi(demo)
    flows = await arus_kas(k, *Y2026, compare=Y2025)
    operasi, investasi, pendanaan = flows.sections
    # 2026: SHU 30.000; stock went down 400.000 (cash in); the supplier was paid 1.000.000.
    # 2025: SHU 200.000; stock bought 800.000 net; owed 2.000.000 to the supplier.
    assert amounts(operasi) == {
        "SHU periode berjalan": [30_000, 200_000],
        PERSEDIAAN: [400_000, -800_000],
        UTANG: [-1_000_000, 2_000_000],
    }
    assert operasi.totals == [-570_000, 1_400_000]
    assert investasi.lines == [] and investasi.totals == [0, 0]
    assert amounts(pendanaan) == {
        SUKARELA: [250_000, 0],
        POKOK: [0, 1_000_000],
        WAJIB: [0, 600_000],
    }
    assert pendanaan.totals == [250_000, 1_600_000]
    assert flows.opening_cash == [3_000_000, 0]
    assert flows.net_change == [-320_000, 3_000_000]
    assert flows.closing_cash == [2_680_000, 3_000_000]  # the Neraca's Kas


async def test_every_export_reads_back(demo: Settings) -> None:
    k = await golden_koperasi(demo)
    _ = translator("id")
    flows = await arus_kas(k, *Y2026, compare=Y2025)
    equity = await perubahan_ekuitas(k, *Y2026)
    balances = await service.trial_balance(k, until=Y2026[1])
    cash_book = await general_ledger(k, KAS, *Y2026)
    reports = {
        "flows": exports.cash_flow_report(flows, "Koperasi Buku Emas", _, "id"),
        "equity": exports.equity_report(equity, "Koperasi Buku Emas", _, "id"),
        "trial": exports.trial_balance_report(balances, Y2026[1], "Koperasi Buku Emas", _, "id"),
        "ledger": exports.ledger_report(cash_book, "Koperasi Buku Emas", _, "id"),
    }
    expected_text = {
        "flows": ["Laporan Arus Kas", "Arus kas dari aktivitas operasi", "-Rp 570.000"],
        "equity": ["Laporan Perubahan Ekuitas", "Simpanan pokok", "Rp 1.830.000"],
        "trial": ["Neraca Saldo", "Per 31 Desember 2026", "Rp 2.680.000"],
        "ledger": ["Buku Besar 1-1100 Kas", "Saldo awal", "Rp 3.000.000", "Rp 2.680.000"],
    }
    for name, report in reports.items():
        text = PdfReader(io.BytesIO(exports.to_pdf(report))).pages[0].extract_text()
        assert "Koperasi Buku Emas" in text
        for expected in expected_text[name]:
            assert expected in text, (name, expected, text)
        sheet = load_workbook(io.BytesIO(exports.to_xlsx(report))).active
        cells = [[c.value for c in row] for row in sheet.iter_rows(min_row=6)]
        # Every row of the report is in the workbook with its amounts as numbers.
        assert [row[2 : 2 + len(r.amounts)] for row, r in zip(cells, report.rows, strict=True)] == [
            r.amounts for r in report.rows
        ]

    trial = reports["trial"].rows
    assert trial[-1].amounts[0] == trial[-1].amounts[1]  # debits equal credits
    assert reports["equity"].rows[-1].amounts == [equity.opening, equity.change, equity.closing]
    assert reports["flows"].rows[-1].amounts == flows.closing_cash
