"""A region's filings of one period as an Excel workbook (XlsxWriter) for the Dinas: what
each koperasi declared (latest revision), the books' figures when each report arrived, the
differences, and every revision with its reason."""

from __future__ import annotations

import io
from datetime import datetime, timedelta, timezone

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from backend.formatting import date_time, long_date
from backend.i18n import Translate
from backend.reporting.domain import FieldType, FormDef, parse_period, period_label
from backend.reporting.service import RegionReport, SubmissionDetail

REGION_TZ = timezone(timedelta(hours=7), "WIB")
MONEY = '"Rp" #,##0;-"Rp" #,##0;"Rp" 0'
COUNT = "#,##0"


def _when(moment: datetime, language: str) -> str:
    return date_time(moment.astimezone(REGION_TZ), language) + " WIB"


def _sheet_name(text: str) -> str:
    return text[:31].translate(str.maketrans("[]:*?/\\", "()-----"))


def region_xlsx(
    report: RegionReport,
    details: list[SubmissionDetail],
    form: FormDef,
    region_name: str,
    _: Translate,
    language: str,
) -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    head = book.add_format({"bold": True, "text_wrap": True, "valign": "top"})
    formats = {
        FieldType.RUPIAH: book.add_format({"num_format": MONEY}),
        FieldType.COUNT: book.add_format({"num_format": COUNT}),
        FieldType.TEXT: book.add_format({"text_wrap": True, "valign": "top"}),
    }
    period = period_label(parse_period(report.period), language, _)
    by_koperasi = {d.summary.koperasi_id: d for d in details}
    numeric = [f for f in form.fields if f.prefill is not None]

    def top(sheet: Worksheet, title: str) -> None:
        sheet.write(0, 0, _(report.title) + " · " + period, bold)
        sheet.write(1, 0, region_name)
        sheet.write(2, 0, title)
        sheet.write(
            3,
            0,
            _(
                "Jatuh tempo {date}: {filed} mengirim, {missing} belum.",
                date=long_date(report.due, language),
                filed=report.filed,
                missing=report.missing,
            ),
        )

    def status(filed: bool, overdue: bool) -> str:
        if filed:
            return _("Sudah mengirim")
        return _("Terlambat") if overdue else _("Belum mengirim")

    fixed = [_("Koperasi"), _("Status"), _("Revisi"), _("Diterima")]

    # Declared figures, every field.
    sheet = book.add_worksheet(_sheet_name(_("Dilaporkan")))
    top(sheet, _("Angka yang dilaporkan koperasi (revisi terakhir)."))
    labels = fixed + [_("Alasan koreksi")] + [_(f.label) for f in form.fields]
    for c, label in enumerate(labels):
        sheet.write(5, c, label, head)
    for r, row in enumerate(report.rows, start=6):
        sheet.write(r, 0, row.name)
        sheet.write(r, 1, status(row.filed, row.overdue))
        detail = by_koperasi.get(row.koperasi_id)
        if detail is None:
            continue
        sheet.write_number(r, 2, detail.summary.revision)
        sheet.write(r, 3, _when(detail.summary.received_at, language))
        sheet.write(r, 4, detail.summary.correction_reason)
        declared = {c.key: c.declared for c in detail.rows}
        for c, f in enumerate(form.fields, start=5):
            value = declared.get(f.key)
            if isinstance(value, int):
                sheet.write_number(r, c, value, formats[f.type])
            elif value:
                sheet.write_string(r, c, str(value), formats[f.type])
    sheet.set_column(0, 0, 40)
    sheet.set_column(1, 4, 18)
    sheet.set_column(5, 4 + len(form.fields), 20)
    sheet.freeze_panes(6, 1)

    # The books' figures, and declared minus books.
    for title, note, pick in (
        (_("Pembukuan"), _("Angka dari pembukuan koperasi saat laporan diterima."), "books"),
        (_("Selisih"), _("Angka yang dilaporkan dikurangi angka dari pembukuan."), "difference"),
    ):
        sheet = book.add_worksheet(_sheet_name(title))
        top(sheet, note)
        labels = fixed + [_(f.label) for f in numeric]
        for c, label in enumerate(labels):
            sheet.write(5, c, label, head)
        for r, row in enumerate(report.rows, start=6):
            sheet.write(r, 0, row.name)
            sheet.write(r, 1, status(row.filed, row.overdue))
            detail = by_koperasi.get(row.koperasi_id)
            if detail is None:
                continue
            sheet.write_number(r, 2, detail.summary.revision)
            sheet.write(r, 3, _when(detail.summary.received_at, language))
            found = {c.key: c for c in detail.rows}
            for c, f in enumerate(numeric, start=4):
                compared = found.get(f.key)
                value = None
                if compared is not None:
                    value = compared.books if pick == "books" else compared.difference
                if value is not None:
                    sheet.write_number(r, c, value, formats[f.type])
        sheet.set_column(0, 0, 40)
        sheet.set_column(1, 3, 18)
        sheet.set_column(4, 3 + len(numeric), 20)
        sheet.freeze_panes(6, 1)

    # Every revision.
    sheet = book.add_worksheet(_sheet_name(_("Riwayat")))
    top(sheet, _("Semua revisi laporan periode ini."))
    labels = [_("Koperasi"), _("Revisi"), _("Diterima"), _("Dikirim oleh"), _("Alasan koreksi")]
    for c, label in enumerate(labels):
        sheet.write(5, c, label, head)
    r = 6
    for detail in details:
        for summary in sorted(detail.history, key=lambda s: s.revision):
            sheet.write(r, 0, detail.koperasi_name)
            sheet.write_number(r, 1, summary.revision)
            sheet.write(r, 2, _when(summary.received_at, language))
            sheet.write(r, 3, summary.submitted_by or "")
            sheet.write(r, 4, summary.correction_reason)
            r += 1
    sheet.set_column(0, 0, 40)
    sheet.set_column(1, 3, 20)
    sheet.set_column(4, 4, 50)
    book.close()
    return buffer.getvalue()
