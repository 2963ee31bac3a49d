"""The Excel templates people fill in (XlsxWriter): a data sheet with the column headers
and one example row, and a sheet of short instructions in the reader's language. Headers
stay in Indonesian whatever the language, so a file reads the same everywhere."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import xlsxwriter

from backend.formatting import number, rupiah
from backend.i18n import Translate
from backend.imports.domain import (
    MEMBER_COLUMNS,
    OPENING_COLUMNS,
    SUSPENSE_CODE,
    SUSPENSE_NAME,
    Column,
)
from backend.imports.sheets import MAX_BYTES, MAX_ROWS
from backend.ledger.domain import AccountType
from backend.texts import N_

TEXT, MONEY, DAY = "text", "money", "day"
MONEY_FORMAT = "#,##0"
DAY_FORMAT = "dd/mm/yyyy"

ACCOUNT_TYPES = {
    AccountType.ASET.value: N_("Aset"),
    AccountType.KEWAJIBAN.value: N_("Kewajiban"),
    AccountType.EKUITAS.value: N_("Ekuitas"),
    AccountType.PENDAPATAN.value: N_("Pendapatan"),
    AccountType.BEBAN.value: N_("Beban"),
}


@dataclass(frozen=True)
class ChartLine:
    code: str
    name: str
    type: str
    controlled: bool


def _workbook(
    sheet_name: str,
    columns: Sequence[Column],
    kinds: Sequence[str],
    widths: Sequence[int],
    example: Sequence[object],
    instructions: Sequence[str],
    title: str,
) -> tuple[io.BytesIO, xlsxwriter.Workbook]:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    header = workbook.add_format({"bold": True, "bg_color": "#E3F1EC", "border": 1})
    formats = {
        TEXT: workbook.add_format({"num_format": "@"}),
        MONEY: workbook.add_format({"num_format": MONEY_FORMAT}),
        DAY: workbook.add_format({"num_format": DAY_FORMAT}),
    }
    example_format = {
        kind: workbook.add_format(
            {
                "num_format": {TEXT: "@", MONEY: MONEY_FORMAT, DAY: DAY_FORMAT}[kind],
                "italic": True,
                "font_color": "#4A5560",
            }
        )
        for kind in (TEXT, MONEY, DAY)
    }
    data = workbook.add_worksheet(sheet_name)
    for index, (column, kind, width) in enumerate(zip(columns, kinds, widths, strict=True)):
        # The whole column keeps its format, so what people type later stays as typed
        # (a NIK as text keeps its 16 digits; a member number keeps its leading zeros).
        data.set_column(index, index, width, formats[kind])
        data.write_string(0, index, column.header, header)
    for index, (value, kind) in enumerate(zip(example, kinds, strict=True)):
        if value is None:
            continue
        if isinstance(value, date):
            data.write_datetime(1, index, value, example_format[kind])
        elif isinstance(value, int):
            data.write_number(1, index, value, example_format[kind])
        else:
            data.write_string(1, index, str(value), example_format[kind])
    data.freeze_panes(1, 0)
    guide = workbook.add_worksheet(title[:31])
    guide.set_column(0, 0, 100)
    wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
    guide.write_string(0, 0, title, workbook.add_format({"bold": True, "font_size": 14}))
    for row, line in enumerate(instructions, start=2):
        guide.write_string(row, 0, line, wrap)
    return buffer, workbook


def _limits(_: Translate) -> str:
    return _(
        "Batas: satu berkas paling besar {size} MB dan paling banyak {rows} baris data. "
        "Berkas CSV (UTF-8, dipisah koma atau titik koma) dengan kolom yang sama juga diterima.",
        size=MAX_BYTES // (1024 * 1024),
        rows=number(MAX_ROWS),
    )


def opening_template(chart: Sequence[ChartLine], _: Translate) -> bytes:
    instructions = [
        _(
            "1. Isi satu baris untuk setiap akun yang bersaldo pada tanggal saldo awal: kode "
            "akun seperti di bagan akun koperasi (lembar “Bagan akun”), lalu saldonya di "
            "kolom debit atau kredit (salah satu saja)."
        ),
        _(
            "2. Jumlah dalam rupiah bulat tanpa desimal, misalnya 1500000 atau 1.500.000. "
            "Nama akun hanya sebagai keterangan."
        ),
        _("3. Total debit harus sama dengan total kredit. Setiap kode akun cukup satu baris."),
        _(
            "4. Saldo akun simpanan pokok, wajib dan sukarela dicatat dulu ke akun {code} "
            "{name}; saldo per anggota diisi lewat impor anggota dan saldo simpanan. Bila "
            "kedua berkas cocok, akun {code} kembali nol.",
            code=SUSPENSE_CODE,
            name=_(SUSPENSE_NAME),
        ),
        _("5. Hapus baris contoh (yang bertanda “(contoh)”) sebelum mengunggah."),
        _(
            "6. Saldo awal hanya diimpor sekali. Di aplikasi, tekan “Periksa” dulu: setiap "
            "baris yang bermasalah ditampilkan beserta alasannya."
        ),
        _limits(_),
    ]
    buffer, workbook = _workbook(
        "Saldo awal",
        OPENING_COLUMNS,
        (TEXT, TEXT, MONEY, MONEY),
        (14, 40, 18, 18),
        ("1-1100", "Kas (contoh)", 5_000_000, None),
        instructions,
        _("Petunjuk"),
    )
    accounts = workbook.add_worksheet("Bagan akun")
    bold = workbook.add_format({"bold": True, "bg_color": "#E3F1EC", "border": 1})
    for index, (title, width) in enumerate(
        ((_("Kode akun"), 14), (_("Nama akun"), 40), (_("Jenis"), 14), (_("Catatan"), 60))
    ):
        accounts.set_column(index, index, width)
        accounts.write_string(0, index, title, bold)
    note = _(
        "Akun simpanan: dicatat ke {code}, saldo per anggota lewat impor anggota.",
        code=SUSPENSE_CODE,
    )
    for row, line in enumerate(chart, start=1):
        accounts.write_string(row, 0, line.code)
        accounts.write_string(row, 1, _(line.name))
        accounts.write_string(row, 2, _(ACCOUNT_TYPES.get(line.type, line.type)))
        if line.controlled:
            accounts.write_string(row, 3, note)
    workbook.close()
    return buffer.getvalue()


def members_template(pokok_amount: int, _: Translate) -> bytes:
    instructions = [
        _(
            "1. Satu baris untuk setiap anggota. Wajib diisi: nama, NIK (16 digit), tanggal "
            "masuk, dan saldo simpanan (isi 0 bila tidak ada)."
        ),
        _(
            "2. Nomor anggota boleh dikosongkan: aplikasi memberi nomor berikutnya (A-0001, "
            "A-0002, …). Nomor anggota dan NIK tidak boleh sama dengan anggota yang sudah ada."
        ),
        _(
            "3. Kolom NIK, nomor anggota dan telepon berformat Teks: jangan diubah menjadi "
            "angka, karena Excel memotong angka panjang."
        ),
        _("4. Tanggal masuk ditulis dd/mm/yyyy, misalnya 05/01/2020."),
        _(
            "5. Saldo simpanan dalam rupiah bulat pada tanggal saldo yang dipilih di aplikasi. "
            "Simpanan pokok paling banyak {amount}.",
            amount=rupiah(pokok_amount),
        ),
        _(
            "6. Saldo simpanan dicatat sebagai setoran per anggota dan satu jurnal saldo awal "
            "yang mengurangi akun {code} {name}.",
            code=SUSPENSE_CODE,
            name=_(SUSPENSE_NAME),
        ),
        _("7. Hapus baris contoh (yang bertanda “(contoh)”) sebelum mengunggah."),
        _limits(_),
    ]
    buffer, workbook = _workbook(
        "Anggota",
        MEMBER_COLUMNS,
        (TEXT, TEXT, TEXT, DAY, TEXT, TEXT, MONEY, MONEY, MONEY),
        (16, 30, 20, 16, 16, 40, 18, 18, 18),
        (
            "A-0001",
            "Siti Aminah (contoh)",
            "3576015203850002",
            date(2019, 1, 15),
            "081234567890",
            "Jl. Contoh No. 1, Kota Mojokerto",
            min(100_000, pokok_amount),
            1_200_000,
            250_000,
        ),
        instructions,
        _("Petunjuk"),
    )
    workbook.close()
    return buffer.getvalue()
