"""The dashboard's downloads:

- the region table (the rows the filters keep, in the page's order) as an Excel workbook;
- the annual data for the ministry's Online Data System (ODS): one row per koperasi for a
  financial year, as an Excel workbook and as CSV (UTF-8, comma, header row of the column
  names in `ODS_COLUMNS`, dates ISO `YYYY-MM-DD`, rupiah as whole numbers without
  separators). The column names and their meaning are documented in
  docs/decisions/0018-dinas-dashboard.md.

Text cells are written as text (never formulas); in the CSV a text value starting with
`=`, `+`, `-` or `@` gets a leading apostrophe so that a spreadsheet opening it does not run
it as a formula."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import xlsxwriter

from backend.dashboard.domain import Filters, KoperasiRow
from backend.dashboard.service import AnnualRow
from backend.formatting import long_date
from backend.i18n import Translate
from backend.supervision.compliance import ComplianceStatus
from backend.texts import N_

MONEY = '"Rp" #,##0;-"Rp" #,##0;"Rp" 0'
COUNT = "#,##0"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_TYPE = "text/csv; charset=utf-8"

EMPLOYEES_NOTE = N_(
    "Jumlah karyawan tidak dicatat di Koroena: kolom dikosongkan, isi dari catatan koperasi."
)


@dataclass(frozen=True)
class Column:
    key: str  # the CSV header, stable
    heading: str  # the workbook's heading (N_)
    kind: str  # text | date | count | money


ODS_COLUMNS: tuple[Column, ...] = (
    Column("tahun", N_("Tahun buku"), "count"),
    Column("nik", N_("NIK (Nomor Induk Koperasi)"), "text"),
    Column("nama_koperasi", N_("Nama koperasi"), "text"),
    Column("jenis", N_("Jenis"), "text"),
    Column("status_aktif", N_("Status aktif"), "text"),
    Column("rat", N_("RAT dilaksanakan"), "text"),
    Column("tanggal_rat", N_("Tanggal RAT"), "date"),
    Column("jumlah_anggota", N_("Jumlah anggota"), "count"),
    Column("jumlah_pengurus", N_("Jumlah pengurus"), "count"),
    Column("jumlah_karyawan", N_("Jumlah karyawan"), "count"),
    Column("modal_sendiri", N_("Modal sendiri"), "money"),
    Column("modal_luar", N_("Modal luar"), "money"),
    Column("volume_usaha", N_("Volume usaha"), "money"),
    Column("shu", N_("SHU"), "money"),
    Column("aset", N_("Aset"), "money"),
    Column("catatan", N_("Catatan"), "text"),
)


def ods_values(row: AnnualRow, _: Translate) -> list[str | int | date | None]:
    """One koperasi's year in the order of `ODS_COLUMNS`."""
    return [
        row.year,
        row.nik,
        row.koperasi.name,
        row.kind_label,
        "aktif" if row.active else "tidak aktif",
        "ya" if row.rat_held else "tidak",
        row.rat_date,
        row.members,
        row.managers,
        row.employees,
        row.own_capital,
        row.outside_capital,
        row.business_volume,
        row.shu,
        row.assets,
        _(EMPLOYEES_NOTE) if row.employees is None else "",
    ]


def _safe_text(value: str) -> str:
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def ods_csv(rows: Sequence[AnnualRow], _: Translate) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([column.key for column in ODS_COLUMNS])
    for row in rows:
        cells: list[str] = []
        for value in ods_values(row, _):
            if value is None:
                cells.append("")
            elif isinstance(value, date):
                cells.append(value.isoformat())
            elif isinstance(value, str):
                cells.append(_safe_text(value))
            else:
                cells.append(str(value))
        writer.writerow(cells)
    # A byte-order mark: Excel then reads the UTF-8 names right.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


class _Book:
    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.book = xlsxwriter.Workbook(self.buffer, {"in_memory": True})
        self.bold = self.book.add_format({"bold": True})
        self.head = self.book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
        self.formats = {
            "money": self.book.add_format({"num_format": MONEY}),
            "count": self.book.add_format({"num_format": COUNT}),
            "date": self.book.add_format({"num_format": "yyyy-mm-dd"}),
            "text": self.book.add_format({}),
        }

    def close(self) -> bytes:
        self.book.close()
        return self.buffer.getvalue()


def ods_xlsx(rows: Sequence[AnnualRow], year: int, region_name: str, _: Translate) -> bytes:
    out = _Book()
    sheet = out.book.add_worksheet("ODS " + str(year))
    sheet.write_string(0, 0, _("Data tahunan koperasi {year} (ODS)", year=year), out.bold)
    sheet.write_string(1, 0, region_name)
    header_row = 3
    for c, column in enumerate(ODS_COLUMNS):
        sheet.write_string(header_row, c, _(column.heading), out.head)
        sheet.write_string(header_row + 1, c, column.key)
    for r, row in enumerate(rows, start=header_row + 2):
        for c, (column, value) in enumerate(zip(ODS_COLUMNS, ods_values(row, _), strict=True)):
            cell_format = out.formats[column.kind]
            if value is None:
                sheet.write_blank(r, c, None, cell_format)
            elif isinstance(value, date):
                sheet.write_datetime(r, c, value, cell_format)
            elif isinstance(value, str):
                sheet.write_string(r, c, value, cell_format)
            else:
                sheet.write_number(r, c, value, cell_format)
    sheet.set_column(0, 0, 10)
    sheet.set_column(1, 1, 20)
    sheet.set_column(2, 2, 40)
    sheet.set_column(3, len(ODS_COLUMNS) - 2, 16)
    sheet.set_column(len(ODS_COLUMNS) - 1, len(ODS_COLUMNS) - 1, 60)
    sheet.freeze_panes(header_row + 2, 3)
    return out.close()


TABLE_HEADINGS = (
    N_("Nama koperasi"),
    N_("Jenis"),
    N_("KUK"),
    N_("Kategori kesehatan terakhir"),
    N_("Tanggal penilaian"),
    N_("Kepatuhan"),
    N_("Butir terlambat"),
    N_("Anggota"),
    N_("Total aset"),
    N_("Penjualan 30 hari"),
    N_("Transaksi 30 hari"),
)


def _filters_text(filters: Filters, _: Translate) -> str:
    parts = []
    if filters.kind:
        parts.append(_("jenis {value}", value=filters.kind))
    if filters.kuk:
        parts.append(_("KUK {value}", value=filters.kuk))
    if filters.health:
        parts.append(_("kesehatan {value}", value=filters.health))
    if filters.compliance:
        parts.append(_("kepatuhan {value}", value=_(filters.compliance.label)))
    if filters.search.strip():
        parts.append(_("nama memuat “{value}”", value=filters.search.strip()))
    return _("Saringan: {filters}", filters=", ".join(parts)) if parts else _("Tanpa saringan")


def table_xlsx(
    rows: Sequence[KoperasiRow],
    filters: Filters,
    today: date,
    region_name: str,
    _: Translate,
    language: str,
) -> bytes:
    out = _Book()
    sheet = out.book.add_worksheet(_("Koperasi"))
    sheet.write_string(
        0,
        0,
        _("Koperasi di {region} per {date}", region=region_name, date=long_date(today, language)),
        out.bold,
    )
    sheet.write_string(1, 0, _filters_text(filters, _))
    header_row = 3
    for c, heading in enumerate(TABLE_HEADINGS):
        sheet.write_string(header_row, c, _(heading), out.head)
    for r, row in enumerate(rows, start=header_row + 1):
        sheet.write_string(r, 0, row.name)
        sheet.write_string(r, 1, _(row.kind_label))
        sheet.write_number(r, 2, row.kuk_class, out.formats["count"])
        sheet.write_string(r, 3, row.health_label or _("Belum dinilai"))
        if row.health_date:
            sheet.write_datetime(r, 4, row.health_date, out.formats["date"])
        else:
            sheet.write_blank(r, 4, None)
        sheet.write_string(r, 5, _(ComplianceStatus(row.compliance).label))
        sheet.write_number(r, 6, row.overdue_items, out.formats["count"])
        sheet.write_number(r, 7, row.members, out.formats["count"])
        sheet.write_number(r, 8, row.assets, out.formats["money"])
        sheet.write_number(r, 9, row.sales_30d, out.formats["money"])
        sheet.write_number(r, 10, row.sales_count_30d, out.formats["count"])
    total_row = header_row + 1 + len(rows)
    sheet.write_string(total_row, 0, _("Jumlah ({count} koperasi)", count=len(rows)), out.bold)
    sheet.write_number(total_row, 7, sum(r.members for r in rows), out.formats["count"])
    sheet.write_number(total_row, 8, sum(r.assets for r in rows), out.formats["money"])
    sheet.write_number(total_row, 9, sum(r.sales_30d for r in rows), out.formats["money"])
    sheet.write_number(total_row, 10, sum(r.sales_count_30d for r in rows), out.formats["count"])
    sheet.set_column(0, 0, 40)
    sheet.set_column(1, 1, 26)
    sheet.set_column(2, 2, 6)
    sheet.set_column(3, 10, 16)
    sheet.freeze_panes(header_row + 1, 1)
    return out.close()
