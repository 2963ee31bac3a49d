"""The RAT pack: one download (PDF or Excel) for the annual members' meeting with a cover,
the Neraca (year end against the previous year end), the PHU (the year against the
previous year), the SHU allocation and the per-member SHU list with totals. The statements
are the books' own reports (backend/ledger/exports.py); every part is a `Report`, so the PDF
and the workbook always say the same."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date

import xlsxwriter
from fpdf import FPDF

from backend.errors import NotFound
from backend.formatting import long_date, rupiah
from backend.i18n import Translate
from backend.ledger import exports, statements
from backend.ledger.exports import Report, ReportRow
from backend.shu import service
from backend.shu.domain import bp_text
from backend.shu.service import ShareRow, YearView, year_end, year_start
from backend.tenancy.tables import Koperasi
from backend.texts import N_

MEDIA_TYPES = {
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Cover:
    koperasi: str
    title: str
    year_line: str
    made_line: str
    status_line: str
    contents: list[str]


@dataclass(frozen=True)
class Pack:
    cover: Cover
    reports: list[Report]


def allocation_report(view: YearView, koperasi: str, _: Translate, language: str) -> Report:
    """The SHU and its split: each component with its percentage and amount, what nobody
    had a base for (to the cadangan), and (once posted) where the members' part went."""
    summary = view.summary
    rows = [
        ReportRow("total", _("SHU tahun {year}", year=summary.year), amounts=[summary.pool]),
        ReportRow("heading", _("Pembagian menurut AD/ART dan keputusan RAT")),
    ]
    rows += [
        ReportRow(
            "line",
            f"{_(part.component.label)} ({bp_text(part.bp, language)})",
            part.component.account,
            [part.amount],
        )
        for part in summary.components
    ]
    rows.append(ReportRow("total", _("Jumlah dibagi"), amounts=[summary.pool]))
    moved = [part for part in summary.components if part.redirected]
    if moved:
        rows.append(ReportRow("heading", _("Tanpa anggota yang berhak: masuk cadangan")))
        rows += [
            ReportRow("line", _(part.component.label), amounts=[part.redirected]) for part in moved
        ]
        rows.append(ReportRow("total", _("Cadangan seluruhnya"), amounts=[summary.cadangan_total]))
    rows.append(ReportRow("heading", _("Bagian anggota")))
    rows.append(
        ReportRow(
            "line",
            _("Dasar jasa modal: simpanan anggota pada 31 Desember"),
            amounts=[summary.modal_total_base],
        )
    )
    rows.append(
        ReportRow(
            "line",
            _("Dasar jasa usaha: {basis}", basis=_(summary.allocation.usaha_basis.label)),
            amounts=[summary.usaha_total_base],
        )
    )
    if view.posting is not None:
        rows.append(
            ReportRow("line", _("Masuk simpanan sukarela"), amounts=[view.posting.credited_total])
        )
        rows.append(
            ReportRow(
                "line",
                _("Dana SHU bagian anggota (diambil di koperasi)"),
                amounts=[view.posting.members_total - view.posting.credited_total],
            )
        )
    rows.append(ReportRow("total", _("Jumlah bagian anggota"), amounts=[summary.members_total]))
    return Report(
        title=_("Pembagian SHU"),
        koperasi=koperasi,
        subtitle=_("Tahun buku {year}", year=summary.year),
        columns=[_("Jumlah")],
        rows=rows,
    )


def members_report(view: YearView, rows: list[ShareRow], koperasi: str, _: Translate) -> Report:
    """Number, name, jasa modal, jasa usaha and total of every member, with the totals."""
    lines = [
        ReportRow(
            "line",
            row.share.name,
            row.share.member_number,
            [row.share.jasa_modal, row.share.jasa_usaha, row.share.total],
        )
        for row in rows
    ]
    totals = [
        sum(row.share.jasa_modal for row in rows),
        sum(row.share.jasa_usaha for row in rows),
        sum(row.share.total for row in rows),
    ]
    lines.append(ReportRow("total", _("Jumlah ({count} anggota)", count=len(rows)), amounts=totals))
    return Report(
        title=_("SHU per anggota"),
        koperasi=koperasi,
        subtitle=_("Tahun buku {year}", year=view.summary.year),
        columns=[_("Jasa modal"), _("Jasa usaha"), _("Jumlah")],
        rows=lines,
    )


def status_line(view: YearView, _: Translate, language: str) -> str:
    if view.posting is None:
        return _(
            "SHU belum dibukukan: pembagian di paket ini masih rancangan menurut ketentuan "
            "yang tersimpan."
        )
    return _(
        "SHU dibukukan pada {date} (jurnal #{number}).",
        date=long_date(view.posting.posted_on, language),
        number=view.posting.entry_number,
    )


async def build(
    koperasi_id: int, year: int, today: date, _: Translate, language: str
) -> tuple[Pack, str]:
    """The pack of `year` (a closed year) and the koperasi's slug (for the file name)."""
    row = (
        await Koperasi.select(Koperasi.name, Koperasi.slug)
        .where(Koperasi.id == koperasi_id)
        .first()
    )
    if row is None:
        raise NotFound("koperasi_not_found", N_("Koperasi tidak ditemukan."))
    name = str(row["name"])
    view, shares = await service.shares(koperasi_id, year)  # refuses a year not closed
    sheet = await statements.neraca(koperasi_id, year_end(year), year_end(year - 1))
    income = await statements.phu(
        koperasi_id,
        year_start(year),
        year_end(year),
        (year_start(year - 1), year_end(year - 1)),
    )
    reports = [
        exports.neraca_report(sheet, name, _, language),
        exports.phu_report(income, name, _, language),
        allocation_report(view, name, _, language),
        members_report(view, shares, name, _),
    ]
    cover = Cover(
        koperasi=name,
        title=_("Paket Rapat Anggota Tahunan (RAT)"),
        year_line=_("Tahun buku {year}", year=year),
        made_line=_("Dibuat {date}", date=long_date(today, language)),
        status_line=status_line(view, _, language),
        contents=[report.title for report in reports],
    )
    return Pack(cover, reports), str(row["slug"])


# --- PDF ---------------------------------------------------------------------------------


def _latin1(text: str) -> str:
    # The PDF's built-in Helvetica speaks Latin-1 only; dashes and such become ASCII.
    for fancy, plain in (("–", "-"), ("—", "-"), ("−", "-"), ("×", "x"), ("÷", ":")):
        text = text.replace(fancy, plain)
    return text.encode("latin-1", "replace").decode("latin-1")


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """Cut a label to its cell (fpdf2 cells do not clip)."""
    if pdf.get_string_width(text) <= width - 2:
        return text
    while text and pdf.get_string_width(text + "...") > width - 2:
        text = text[:-1]
    return text + "..."


def _cover_page(pdf: FPDF, cover: Cover, _: Translate) -> None:
    pdf.add_page()
    pdf.ln(40)
    pdf.set_font("Helvetica", "B", 20)
    pdf.multi_cell(0, 10, _latin1(cover.title), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(0, 9, _latin1(cover.koperasi), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 13)
    pdf.cell(0, 9, _latin1(cover.year_line), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.set_font("Helvetica", "", 11)
    pdf.multi_cell(0, 6, _latin1(cover.status_line), align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 7, _latin1(_("Isi")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    for number, title in enumerate(cover.contents, start=1):
        pdf.cell(0, 6, _latin1(f"{number}. {title}"), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.set_font("Helvetica", "", 9)
    pdf.cell(0, 6, _latin1(cover.made_line), new_x="LMARGIN", new_y="NEXT")


def _report_pages(pdf: FPDF, report: Report) -> None:
    """One report from a new page, laid out like the books' own PDF exports."""
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 14)
    pdf.cell(0, 8, _latin1(report.koperasi), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "B", 12)
    pdf.cell(0, 7, _latin1(report.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 10)
    pdf.cell(0, 6, _latin1(report.subtitle), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
    amount_width = 38.0 if len(report.columns) < 3 else 32.0
    label_width = pdf.epw - amount_width * len(report.columns)

    def header() -> None:
        pdf.set_font("Helvetica", "B", 9)
        pdf.cell(label_width, 6, "")
        for column in report.columns:
            pdf.cell(amount_width, 6, _fit(pdf, _latin1(column), amount_width), align="R")
        pdf.ln()

    header()
    for row in report.rows:
        if pdf.will_page_break(5.5):
            pdf.add_page()
            header()
        pdf.set_font("Helvetica", "" if row.kind == "line" else "B", 9)
        label = f"{row.code}  {row.label}" if row.code else row.label
        indent = "    " if row.kind == "line" else ""
        pdf.cell(label_width, 5.5, _fit(pdf, _latin1(indent + label), label_width))
        for amount in row.amounts:
            pdf.cell(amount_width, 5.5, _latin1(rupiah(amount)), align="R")
        pdf.ln()


def to_pdf(pack: Pack, _: Translate) -> bytes:
    pdf = FPDF(orientation="portrait", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.set_title(_latin1(f"{pack.cover.title} - {pack.cover.koperasi}"))
    _cover_page(pdf, pack.cover, _)
    for report in pack.reports:
        _report_pages(pdf, report)
    return bytes(pdf.output())


# --- Excel -------------------------------------------------------------------------------


def _sheet_name(title: str, taken: set[str]) -> str:
    base = title.translate(str.maketrans("[]:*?/\\", "()-----"))[:31]
    name, n = base, 2
    while name.lower() in taken:
        suffix = f" {n}"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def to_xlsx(pack: Pack, _: Translate) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    bold = workbook.add_format({"bold": True})
    title = workbook.add_format({"bold": True, "font_size": 14})
    money_format = '"Rp" #,##0;-"Rp" #,##0;"Rp" 0'
    money = workbook.add_format({"num_format": money_format})
    money_bold = workbook.add_format({"num_format": money_format, "bold": True})
    taken: set[str] = set()
    cover = workbook.add_worksheet(_sheet_name(_("Sampul"), taken))
    cover.write(0, 0, pack.cover.title, title)
    cover.write(1, 0, pack.cover.koperasi, bold)
    cover.write(2, 0, pack.cover.year_line)
    cover.write(3, 0, pack.cover.status_line)
    cover.write(4, 0, pack.cover.made_line)
    cover.write(6, 0, _("Isi"), bold)
    for number, name in enumerate(pack.cover.contents, start=1):
        cover.write(6 + number, 0, f"{number}. {name}")
    cover.set_column(0, 0, 90)
    for report in pack.reports:
        sheet = workbook.add_worksheet(_sheet_name(report.title, taken))
        sheet.write(0, 0, report.koperasi, bold)
        sheet.write(1, 0, report.title, bold)
        sheet.write(2, 0, report.subtitle)
        for c, column in enumerate(report.columns):
            sheet.write(4, 2 + c, column, bold)
        for r, row in enumerate(report.rows, start=5):
            sheet.write_string(r, 0, row.code)
            sheet.write_string(r, 1, row.label, None if row.kind == "line" else bold)
            for c, amount in enumerate(row.amounts):
                sheet.write_number(r, 2 + c, amount, money if row.kind == "line" else money_bold)
        sheet.set_column(0, 0, 12)
        sheet.set_column(1, 1, 45)
        sheet.set_column(2, 1 + len(report.columns), 22)
        sheet.freeze_panes(5, 2)
    workbook.close()
    return buffer.getvalue()


def render(pack: Pack, fmt: str, _: Translate) -> bytes:
    return to_pdf(pack, _) if fmt == "pdf" else to_xlsx(pack, _)
