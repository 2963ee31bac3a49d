"""The report forms the Dinas asks koperasi to file, as data: each form has a key and a
version, and each field a key, an Indonesian label, a type (whole rupiah, a count, text),
whether it is required and where its figure is prefilled from (`SOURCES`).

To change a form, add a new version here beside the old one (never edit a version that
has submissions): the page fills the newest version, and every stored submission is shown
with the version it was filled in. `check_form` runs over every definition at import."""

from __future__ import annotations

from backend.reporting.domain import (
    FieldDef,
    FieldType,
    FormDef,
    PeriodKind,
    SectionDef,
    check_form,
)
from backend.texts import N_

RUPIAH, COUNT, TEXT = FieldType.RUPIAH, FieldType.COUNT, FieldType.TEXT

# Where a prefilled figure comes from, and how it is computed (shown beside the figure).
SOURCES: dict[str, str] = {
    "members.end": N_(
        "Anggota terdaftar yang masuk paling lambat akhir periode dan belum keluar saat itu."
    ),
    "members.joined": N_("Anggota dengan tanggal masuk di dalam periode."),
    "members.left": N_("Anggota dengan tanggal keluar di dalam periode."),
    "savings.pokok": N_("Saldo simpanan pokok semua anggota pada akhir periode (buku simpanan)."),
    "savings.wajib": N_("Saldo simpanan wajib semua anggota pada akhir periode (buku simpanan)."),
    "savings.sukarela": N_(
        "Saldo simpanan sukarela semua anggota pada akhir periode (buku simpanan)."
    ),
    "loans.outstanding": N_(
        "Sisa pokok pinjaman yang berjalan pada akhir periode (register pinjaman)."
    ),
    "loans.disbursed": N_("Pokok pinjaman yang dicairkan di dalam periode (register pinjaman)."),
    "loans.arrears": N_(
        "Angsuran pokok dan jasa yang sudah jatuh tempo tetapi belum dibayar pada akhir periode."
    ),
    "loans.count": N_("Pinjaman yang sudah dicairkan dan belum lunas pada akhir periode."),
    "sales.period": N_(
        "Penjualan kepada anggota dan non-anggota di pembukuan selama periode (termasuk "
        "penjualan kasir Koroena)."
    ),
    "books.revenue_ytd": N_(
        "Jumlah pendapatan di Perhitungan Hasil Usaha dari 1 Januari sampai akhir periode."
    ),
    "books.expenses_ytd": N_(
        "Jumlah beban di Perhitungan Hasil Usaha dari 1 Januari sampai akhir periode."
    ),
    "books.shu_ytd": N_("Pendapatan dikurangi beban dari 1 Januari sampai akhir periode."),
    "books.assets": N_("Jumlah aset di Neraca pada akhir periode."),
    "books.liabilities": N_("Jumlah kewajiban di Neraca pada akhir periode."),
    "books.equity": N_(
        "Jumlah ekuitas di Neraca pada akhir periode (termasuk SHU yang belum dibagi)."
    ),
}

PHONE_PATTERN = r"\+?[0-9](?:[ \-]?[0-9]){7,15}"
PHONE_HINT = N_("Tulis nomor telepon, misalnya 0812 3456 7890.")


def _members() -> SectionDef:
    return SectionDef(
        "anggota",
        N_("Keanggotaan"),
        (
            FieldDef(
                "members_end", N_("Jumlah anggota pada akhir periode"), COUNT, prefill="members.end"
            ),
            FieldDef(
                "members_joined",
                N_("Anggota baru selama periode"),
                COUNT,
                prefill="members.joined",
            ),
            FieldDef(
                "members_left", N_("Anggota keluar selama periode"), COUNT, prefill="members.left"
            ),
        ),
    )


def _savings() -> SectionDef:
    return SectionDef(
        "simpanan",
        N_("Simpanan anggota (saldo akhir periode)"),
        (
            FieldDef("savings_pokok", N_("Simpanan pokok"), RUPIAH, prefill="savings.pokok"),
            FieldDef("savings_wajib", N_("Simpanan wajib"), RUPIAH, prefill="savings.wajib"),
            FieldDef(
                "savings_sukarela", N_("Simpanan sukarela"), RUPIAH, prefill="savings.sukarela"
            ),
        ),
    )


def _loans(*extra: FieldDef) -> SectionDef:
    return SectionDef(
        "pinjaman",
        N_("Pinjaman anggota"),
        (
            FieldDef(
                "loans_outstanding",
                N_("Pinjaman beredar (sisa pokok) pada akhir periode"),
                RUPIAH,
                prefill="loans.outstanding",
            ),
            FieldDef(
                "loans_disbursed",
                N_("Pinjaman dicairkan selama periode"),
                RUPIAH,
                prefill="loans.disbursed",
            ),
            FieldDef(
                "loans_arrears",
                N_("Tunggakan angsuran pada akhir periode"),
                RUPIAH,
                prefill="loans.arrears",
            ),
            *extra,
        ),
    )


def _business(*extra: FieldDef) -> SectionDef:
    return SectionDef(
        "usaha",
        N_("Usaha dan keuangan"),
        (
            FieldDef(
                "sales",
                N_("Penjualan toko/usaha selama periode"),
                RUPIAH,
                prefill="sales.period",
            ),
            FieldDef(
                "revenue_ytd",
                N_("Pendapatan sejak awal tahun"),
                RUPIAH,
                prefill="books.revenue_ytd",
            ),
            FieldDef(
                "expenses_ytd", N_("Beban sejak awal tahun"), RUPIAH, prefill="books.expenses_ytd"
            ),
            FieldDef(
                "shu_ytd",
                N_("SHU tahun berjalan (sebelum pajak)"),
                RUPIAH,
                prefill="books.shu_ytd",
                signed=True,
                hint=N_("Tulis tanda minus di depan angka bila rugi."),
            ),
            FieldDef("assets", N_("Total aset pada akhir periode"), RUPIAH, prefill="books.assets"),
            *extra,
        ),
    )


def _employees(*extra: FieldDef) -> SectionDef:
    return SectionDef(
        "sdm",
        N_("Karyawan"),
        (
            FieldDef(
                "employees",
                N_("Jumlah karyawan"),
                COUNT,
                hint=N_("Orang yang digaji koperasi, tidak termasuk pengurus dan pengawas."),
            ),
            *extra,
        ),
    )


def _problems() -> SectionDef:
    return SectionDef(
        "kendala",
        N_("Kendala dan kebutuhan"),
        (
            FieldDef(
                "problems",
                N_("Masalah yang dihadapi"),
                TEXT,
                required=False,
                multiline=True,
                hint=N_("Boleh dikosongkan."),
            ),
            FieldDef(
                "help_needed",
                N_("Bantuan yang dibutuhkan dari Dinas"),
                TEXT,
                required=False,
                multiline=True,
                hint=N_("Misalnya pelatihan, pendampingan pembukuan, perizinan."),
            ),
        ),
    )


def _contact() -> SectionDef:
    return SectionDef(
        "kontak",
        N_("Narahubung"),
        (
            FieldDef("contact_name", N_("Nama narahubung"), TEXT, max_length=100),
            FieldDef(
                "contact_phone",
                N_("Nomor telepon/WhatsApp narahubung"),
                TEXT,
                max_length=20,
                pattern=PHONE_PATTERN,
                pattern_hint=PHONE_HINT,
                hint=N_("Misalnya 0812 3456 7890."),
            ),
        ),
    )


MONTHLY_V1 = FormDef(
    key="bulanan",
    version=1,
    title=N_("Laporan bulanan koperasi"),
    period_kind=PeriodKind.MONTH,
    description=N_(
        "Keadaan koperasi pada akhir bulan: anggota, simpanan, pinjaman, usaha, karyawan dan "
        "kendala. Angka dari pembukuan sudah terisi; periksa dan ubah bila perlu."
    ),
    due_days=15,
    sections=(
        _members(),
        _savings(),
        _loans(),
        _business(),
        _employees(),
        _problems(),
        _contact(),
    ),
)

QUARTERLY_V1 = FormDef(
    key="triwulan",
    version=1,
    title=N_("Laporan triwulan koperasi"),
    period_kind=PeriodKind.QUARTER,
    description=N_(
        "Keadaan koperasi pada akhir triwulan, dengan neraca ringkas dan jumlah pengurus. "
        "Angka dari pembukuan sudah terisi; periksa dan ubah bila perlu."
    ),
    due_days=30,
    sections=(
        _members(),
        _savings(),
        _loans(
            FieldDef(
                "loans_count",
                N_("Jumlah pinjaman berjalan pada akhir periode"),
                COUNT,
                prefill="loans.count",
            )
        ),
        _business(
            FieldDef(
                "liabilities",
                N_("Total kewajiban pada akhir periode"),
                RUPIAH,
                prefill="books.liabilities",
            ),
            FieldDef(
                "equity",
                N_("Modal sendiri (ekuitas) pada akhir periode"),
                RUPIAH,
                prefill="books.equity",
                signed=True,
            ),
        ),
        _employees(
            FieldDef("managers", N_("Jumlah pengurus dan pengawas"), COUNT),
        ),
        _problems(),
        _contact(),
    ),
)

ALL_FORMS: tuple[FormDef, ...] = (MONTHLY_V1, QUARTERLY_V1)

for _form in ALL_FORMS:
    check_form(_form, SOURCES)

BY_VERSION: dict[tuple[str, int], FormDef] = {(f.key, f.version): f for f in ALL_FORMS}
if len(BY_VERSION) != len(ALL_FORMS):
    raise ValueError("two report forms share a key and version")

# The version the page fills, per form key, in the order the page lists them.
CURRENT: dict[str, FormDef] = {}
for _form in sorted(ALL_FORMS, key=lambda f: f.version):
    CURRENT[_form.key] = _form
CURRENT = {key: CURRENT[key] for key in dict.fromkeys(f.key for f in ALL_FORMS)}
if len({f.period_kind for f in CURRENT.values()}) != len(CURRENT):
    raise ValueError("one current report form per kind of period")


def form_version(key: str, version: int) -> FormDef | None:
    return BY_VERSION.get((key, version))


def current_form(key: str) -> FormDef | None:
    return CURRENT.get(key)


def form_for_period_kind(kind: PeriodKind) -> FormDef:
    """The current form filed per `kind` of period (one form per kind)."""
    for f in CURRENT.values():
        if f.period_kind is kind:
            return f
    raise LookupError(kind)
