"""The attendance list of a training as an Excel workbook (XlsxWriter), for the Dinas to
print certificates from: every seated participant with their attendance, and a
certificate number for each one who came (in the order they got their seat)."""

from __future__ import annotations

import io
from datetime import datetime

import xlsxwriter

from backend.formatting import date_time
from backend.i18n import Translate
from backend.outreach.domain import REGION_TZ, Attendance, certificate_number
from backend.outreach.training import Participants


def _when(moment: datetime, language: str) -> str:
    return date_time(moment.astimezone(REGION_TZ), language) + " WIB"


def filename(event_id: int) -> str:
    return f"daftar-hadir-pelatihan-{event_id}.xlsx"


def attendance_xlsx(found: Participants, _: Translate, language: str) -> bytes:
    event = found.event
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = book.add_format({"bold": True})
    title = book.add_format({"bold": True, "font_size": 14})
    head = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "bottom": 1})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    sheet = book.add_worksheet(_("Daftar hadir")[:31])
    sheet.write(0, 0, event.title, title)
    sheet.write(1, 0, event.dinas_name)
    sheet.write(
        2,
        0,
        _(
            "{start} sampai {end}",
            start=_when(event.starts_at, language),
            end=_when(event.ends_at, language),
        ),
    )
    sheet.write(3, 0, event.place or event.online_url)
    attended = [p for p in found.seated if p.attendance == Attendance.HADIR.value]
    sheet.write(
        4,
        0,
        _(
            "{attended} dari {seated} peserta terdaftar hadir.",
            attended=len(attended),
            seated=len(found.seated),
        ),
        bold,
    )
    labels = [
        _("No."),
        _("Nama peserta"),
        _("Peran"),
        _("Koperasi"),
        _("Kehadiran"),
        _("Nomor sertifikat"),
    ]
    for column, label in enumerate(labels):
        sheet.write(6, column, label, head)
    year = event.starts_at.astimezone(REGION_TZ).year
    certificate = 0
    for index, person in enumerate(found.seated, start=1):
        row = 6 + index
        number = ""
        if person.attendance == Attendance.HADIR.value:
            certificate += 1
            number = certificate_number(event.id, year, certificate)
        sheet.write_number(row, 0, index)
        sheet.write(row, 1, person.name, wrap)
        sheet.write(row, 2, _(person.role_label))
        sheet.write(row, 3, person.koperasi_name or event.dinas_name, wrap)
        sheet.write(
            row, 4, _(person.attendance_label) if person.attendance_label else _("Belum dicatat")
        )
        sheet.write(row, 5, number)
    sheet.set_column(0, 0, 5)
    sheet.set_column(1, 1, 32)
    sheet.set_column(2, 2, 14)
    sheet.set_column(3, 3, 36)
    sheet.set_column(4, 4, 14)
    sheet.set_column(5, 5, 24)
    sheet.freeze_panes(7, 0)
    sheet.autofilter(6, 0, 6 + len(found.seated), len(labels) - 1)
    book.set_properties({"title": event.title, "author": event.dinas_name})
    book.close()
    return buffer.getvalue()
