"""The default chart of accounts (bagan akun) every koperasi starts with (DOMAIN.md "Books").
Pengurus may add and rename accounts later; codes are stable. Contra accounts (PPAP,
accumulated depreciation) sit in their parent's type with the opposite normal side.
Each account names where it shows in the cash flow statement: cash (kas, bank), investing
(fixed assets, participations), financing (members' savings, bank loans, the SHU funds and
equity) and otherwise operating."""

from __future__ import annotations

from dataclasses import dataclass

from backend.ledger.domain import AccountType, CashFlow
from backend.texts import N_


@dataclass(frozen=True)
class ChartAccount:
    code: str
    name: str
    type: AccountType
    contra: bool = False
    cash_flow: CashFlow | None = None  # None: the default of its type

    @property
    def flow(self) -> CashFlow:
        return self.cash_flow or CashFlow.default_for(self.type)


CASH, INVEST, FINANCE = CashFlow.KAS, CashFlow.INVESTASI, CashFlow.PENDANAAN
A, L, E, R, X = (
    AccountType.ASET,
    AccountType.KEWAJIBAN,
    AccountType.EKUITAS,
    AccountType.PENDAPATAN,
    AccountType.BEBAN,
)

DEFAULT_CHART: tuple[ChartAccount, ...] = (
    ChartAccount("1-1100", N_("Kas"), A, cash_flow=CASH),
    ChartAccount("1-1200", N_("Bank"), A, cash_flow=CASH),
    ChartAccount("1-1300", N_("Piutang pinjaman anggota"), A),
    ChartAccount("1-1310", N_("Piutang usaha anggota"), A),
    ChartAccount("1-1390", N_("Penyisihan piutang tak tertagih (PPAP)"), A, contra=True),
    ChartAccount("1-1400", N_("Persediaan barang"), A),
    ChartAccount("1-1500", N_("Penyertaan"), A, cash_flow=INVEST),
    ChartAccount("1-2100", N_("Aset tetap"), A, cash_flow=INVEST),
    ChartAccount("1-2190", N_("Akumulasi penyusutan"), A, contra=True),
    ChartAccount("2-1100", N_("Simpanan sukarela"), L, cash_flow=FINANCE),
    ChartAccount("2-1200", N_("Simpanan berjangka"), L, cash_flow=FINANCE),
    ChartAccount("2-1300", N_("Utang usaha"), L),
    ChartAccount("2-1400", N_("Utang bank"), L, cash_flow=FINANCE),
    ChartAccount("2-1500", N_("Utang pajak"), L),
    ChartAccount("2-1600", N_("Dana SHU bagian anggota"), L, cash_flow=FINANCE),
    ChartAccount("2-1610", N_("Dana pengurus"), L, cash_flow=FINANCE),
    ChartAccount("2-1620", N_("Dana karyawan"), L, cash_flow=FINANCE),
    ChartAccount("2-1630", N_("Dana pendidikan"), L, cash_flow=FINANCE),
    ChartAccount("2-1640", N_("Dana sosial"), L, cash_flow=FINANCE),
    ChartAccount("2-1650", N_("Dana pembangunan daerah kerja"), L, cash_flow=FINANCE),
    ChartAccount("3-1100", N_("Simpanan pokok"), E),
    ChartAccount("3-1200", N_("Simpanan wajib"), E),
    ChartAccount("3-1300", N_("Modal penyertaan"), E),
    ChartAccount("3-1400", N_("Hibah"), E),
    ChartAccount("3-1500", N_("Cadangan"), E),
    ChartAccount("3-1600", N_("SHU tahun berjalan"), E),
    # Distributions of past years' SHU (to reserves, members, funds): a contra equity
    # account, because there are no closing entries (the Neraca shows past surplus).
    ChartAccount("3-1610", N_("SHU tahun lalu yang telah dibagi"), E, contra=True),
    ChartAccount("4-1100", N_("Pendapatan jasa pinjaman anggota"), R),
    ChartAccount("4-1110", N_("Pendapatan provisi dan administrasi pinjaman"), R),
    ChartAccount("4-1120", N_("Pendapatan denda pinjaman"), R),
    ChartAccount("4-1200", N_("Penjualan kepada anggota"), R),
    ChartAccount("4-2100", N_("Penjualan kepada non-anggota"), R),
    ChartAccount("4-3100", N_("Pendapatan lain-lain"), R),
    ChartAccount("5-1100", N_("Harga pokok penjualan"), X),
    ChartAccount("5-2100", N_("Beban usaha"), X),
    ChartAccount("5-2200", N_("Beban penyisihan piutang tak tertagih"), X),
    ChartAccount("5-3100", N_("Beban perkoperasian (RAT, pendidikan)"), X),
    ChartAccount("5-4100", N_("Beban penyusutan"), X),
)
